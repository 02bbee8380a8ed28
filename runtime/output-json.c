/*
 * output-json.c - QapiOutput's jansson builder.
 *
 * Each value is created and added to the innermost open container at once
 * (under the pending member name for objects); containers stay on a stack
 * of borrowed pointers until they are closed.  A uint64 above INT64_MAX
 * becomes a string of its decimal digits (see qapi/output.h), non-finite
 * numbers become null.  qapi_output_any() shares the value it is given
 * (a new reference, no copy), as QEMU's visitors share QObjects.
 */
#include "output-impl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Add @v (a new reference, or NULL when out of memory) where it belongs. */
static void add(QapiOutput *out, json_t *v)
{
    json_t *top;

    if (!v) {
        out->failed = true;
        return;
    }
    if (out->failed) {
        json_decref(v);
        return;
    }
    if (!out->depth) {
        json_decref(out->root);
        out->root = v;
        return;
    }
    top = out->stack[out->depth - 1];
    if (json_is_object(top)) {
        const char *key = out->have_key ? out->key : "";

        out->have_key = false;
        if (json_object_set_new_nocheck(top, key, v) < 0) {
            out->failed = true;
        }
    } else if (json_array_append_new(top, v) < 0) {
        out->failed = true;
    }
}

void qapi_output_json_start(QapiOutput *out, bool object)
{
    json_t *c;

    if (out->failed) {
        return;
    }
    if (out->depth == out->stack_cap) {
        size_t cap = out->stack_cap ? 2 * out->stack_cap : 16;
        json_t **stack = realloc(out->stack, cap * sizeof(*stack));

        if (!stack) {
            out->failed = true;
            return;
        }
        out->stack = stack;
        out->stack_cap = cap;
    }
    c = object ? json_object() : json_array();
    add(out, c); /* the parent (or root) keeps it alive */
    if (!out->failed) {
        out->stack[out->depth++] = c;
    }
}

void qapi_output_json_member(QapiOutput *out, const char *key)
{
    size_t len = strlen(key) + 1;

    if (out->failed) {
        return;
    }
    if (len > out->key_cap) {
        char *buf = realloc(out->key, len < 64 ? 64 : len);

        if (!buf) {
            out->failed = true;
            return;
        }
        out->key = buf;
        out->key_cap = len < 64 ? 64 : len;
    }
    memcpy(out->key, key, len);
    out->have_key = true;
}

void qapi_output_json_end(QapiOutput *out)
{
    if (out->depth) {
        out->depth--;
    }
}

void qapi_output_json_int(QapiOutput *out, int64_t value)
{
    add(out, json_integer((json_int_t)value));
}

void qapi_output_json_uint(QapiOutput *out, uint64_t value)
{
    char buf[21];

    if (value <= (uint64_t)INT64_MAX) {
        add(out, json_integer((json_int_t)value));
        return;
    }
    add(out, json_stringn_nocheck(buf, qapi_format_uint(value, buf)));
}

void qapi_output_json_number(QapiOutput *out, double value)
{
    add(out, isfinite(value) ? json_real(value) : json_null());
}

void qapi_output_json_bool(QapiOutput *out, bool value)
{
    add(out, json_boolean(value));
}

void qapi_output_json_str(QapiOutput *out, const char *value)
{
    add(out, json_stringn_nocheck(value, strlen(value)));
}

void qapi_output_json_null(QapiOutput *out)
{
    add(out, json_null());
}

void qapi_output_json_any(QapiOutput *out, const json_t *value)
{
    /* json_incref() takes a non-const value; only the count changes. */
    add(out, value ? json_incref((json_t *)value) : json_null());
}

void qapi_output_json_free(QapiOutput *out)
{
    json_decref(out->root);
    out->root = NULL;
    free(out->stack);
    out->stack = NULL;
    free(out->key);
    out->key = NULL;
}
