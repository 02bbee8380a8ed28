/*
 * input-json.c - QapiInput over a jansson value.
 *
 * The value is borrowed; the walk only follows pointers into it.  Integers
 * are json_int_t; for uint64 the canonical decimal string of a value above
 * INT64_MAX is accepted too (what qapi_output_new_json() writes).  Strings
 * containing NUL bytes are refused, like "\u0000" in JSON text.
 */
#include "input-impl.h"

#include <stdlib.h>
#include <string.h>

typedef struct JsonInput {
    QapiInput base;
    json_t *cur; /* the current value while base.pending */
} JsonInput;

static inline JsonInput *jin_of(QapiInput *in)
{
    return (JsonInput *)in;
}

static QapiJsonType jin_peek(QapiInput *in)
{
    switch (json_typeof(jin_of(in)->cur)) {
    case JSON_OBJECT:
        return QAPI_JSON_OBJECT;
    case JSON_ARRAY:
        return QAPI_JSON_ARRAY;
    case JSON_STRING:
        return QAPI_JSON_STRING;
    case JSON_INTEGER:
    case JSON_REAL:
        return QAPI_JSON_NUMBER;
    case JSON_TRUE:
    case JSON_FALSE:
        return QAPI_JSON_BOOLEAN;
    case JSON_NULL:
        return QAPI_JSON_NULL;
    }
    return QAPI_JSON_INVALID;
}

static bool jin_start(QapiInput *in, QapiJsonType kind, QapiError **errp)
{
    JsonInput *j = jin_of(in);
    json_t *c = j->cur;
    QapiInputFrame *f;

    if (kind == QAPI_JSON_OBJECT ? !json_is_object(c) : !json_is_array(c)) {
        qapi_input_error_type(in, kind == QAPI_JSON_OBJECT ? "object" : "array",
                              errp);
        return false;
    }
    if (in->depth >= QAPI_INPUT_MAX_DEPTH) {
        QapiStrBuf sb = {0};

        qapi_input_path(in, true, &sb);
        qapi_input_fatal(in, errp, "Parameter '%s' nests deeper than %d levels",
                         qapi_sb_path(&sb), QAPI_INPUT_MAX_DEPTH);
        qapi_sb_free(&sb);
        return false;
    }
    f = qapi_input_push(in, kind, errp);
    if (!f) {
        return false;
    }
    f->json = c;
    if (kind == QAPI_JSON_OBJECT) {
        f->iter = json_object_iter(c);
    }
    j->cur = NULL;
    return true;
}

static int jin_next_member(QapiInput *in, QapiInputFrame *f, const char **key,
                           QapiError **errp)
{
    JsonInput *j = jin_of(in);

    (void)errp;
    if (!f->iter) {
        return 0;
    }
    f->key = json_object_iter_key(f->iter);
    f->key_len = strlen(f->key);
    j->cur = json_object_iter_value(f->iter);
    f->iter = json_object_iter_next(f->json, f->iter);
    *key = f->key;
    return 1;
}

static int jin_next_element(QapiInput *in, QapiInputFrame *f, QapiError **errp)
{
    JsonInput *j = jin_of(in);

    (void)errp;
    if (f->count >= json_array_size(f->json)) {
        return 0;
    }
    j->cur = json_array_get(f->json, f->count);
    return 1;
}

static void jin_end(QapiInput *in, QapiInputFrame *f)
{
    (void)f;
    jin_of(in)->cur = NULL;
}

static int jin_find_string(QapiInput *in, QapiInputFrame *f, const char *name,
                           const char **value, QapiError **errp)
{
    json_t *v = json_object_get(f->json, name);

    if (!v) {
        return 0;
    }
    if (!json_is_string(v) ||
        strlen(json_string_value(v)) != json_string_length(v)) {
        qapi_input_member_type_error(in, name, "string", errp);
        return -1;
    }
    *value = json_string_value(v); /* lives as long as the object */
    return 1;
}

/* Magnitude of the canonical decimal string @s of a number above
 * INT64_MAX, or 0 if @s is not one.  Sets *overflow above UINT64_MAX. */
static uint64_t big_decimal(const char *s, size_t len, bool *overflow)
{
    uint64_t v = 0;
    size_t i;

    *overflow = false;
    if (!len || len > 40 || s[0] < '1' || s[0] > '9') {
        return 0;
    }
    for (i = 0; i < len; i++) {
        unsigned d = (unsigned)(s[i] - '0');

        if (s[i] < '0' || s[i] > '9') {
            return 0;
        }
        if (v > (UINT64_MAX - d) / 10) {
            *overflow = true;
        }
        v = v * 10 + d;
    }
    return *overflow || v > (uint64_t)INT64_MAX ? v : 0;
}

static int jin_integer(QapiInput *in, bool big_string, bool *neg, uint64_t *mag,
                       QapiError **errp)
{
    json_t *v = jin_of(in)->cur;
    json_int_t i;

    if (json_is_integer(v)) {
        i = json_integer_value(v);
        *neg = i < 0;
        *mag = i < 0 ? (uint64_t) - (i + 1) + 1 : (uint64_t)i;
        return 1;
    }
    if (big_string && json_is_string(v)) {
        bool overflow;
        uint64_t m =
            big_decimal(json_string_value(v), json_string_length(v), &overflow);

        if (overflow) {
            return 0;
        }
        if (m) {
            *neg = false;
            *mag = m;
            return 1;
        }
    }
    qapi_input_error_type(in, "integer", errp);
    return -1;
}

static void jin_commit(QapiInput *in)
{
    jin_of(in)->cur = NULL;
}

static bool jin_number(QapiInput *in, double *value, QapiError **errp)
{
    json_t *v = jin_of(in)->cur;

    if (!json_is_number(v)) {
        qapi_input_error_type(in, "number", errp);
        return false;
    }
    *value = json_number_value(v);
    return true;
}

static bool jin_boolean(QapiInput *in, bool *value, QapiError **errp)
{
    json_t *v = jin_of(in)->cur;

    if (!json_is_boolean(v)) {
        qapi_input_error_type(in, "boolean", errp);
        return false;
    }
    *value = json_is_true(v);
    return true;
}

static bool jin_string(QapiInput *in, const char **value, size_t *len,
                       QapiError **errp)
{
    json_t *v = jin_of(in)->cur;
    QapiStrBuf sb = {0};

    if (!json_is_string(v)) {
        qapi_input_error_type(in, "string", errp);
        return false;
    }
    *value = json_string_value(v);
    *len = json_string_length(v);
    if (strlen(*value) != *len) {
        if (errp && !*errp) {
            qapi_input_path(in, true, &sb);
            qapi_error_setg(errp, "Parameter '%s' contains a NUL character",
                            qapi_sb_path(&sb));
            qapi_sb_free(&sb);
        }
        return false;
    }
    return true;
}

static bool jin_null(QapiInput *in, QapiError **errp)
{
    if (!json_is_null(jin_of(in)->cur)) {
        qapi_input_error_type(in, "null", errp);
        return false;
    }
    return true;
}

static bool jin_any(QapiInput *in, json_t **value, QapiError **errp)
{
    (void)errp;
    /* Shared with the input, as QEMU's visitors share QObjects. */
    *value = json_incref(jin_of(in)->cur);
    return true;
}

static bool jin_skip(QapiInput *in, QapiError **errp)
{
    (void)errp;
    jin_of(in)->cur = NULL;
    return true;
}

static bool jin_finish(QapiInput *in, QapiError **errp)
{
    (void)in;
    (void)errp;
    return true;
}

static void jin_free(QapiInput *in)
{
    free(jin_of(in));
}

static const QapiInputOps json_ops = {
    .peek = jin_peek,
    .start = jin_start,
    .next_member = jin_next_member,
    .next_element = jin_next_element,
    .end = jin_end,
    .find_string = jin_find_string,
    .integer = jin_integer,
    .commit = jin_commit,
    .number = jin_number,
    .boolean = jin_boolean,
    .string = jin_string,
    .null = jin_null,
    .any = jin_any,
    .skip = jin_skip,
    .finish = jin_finish,
    .free = jin_free,
};

QapiInput *qapi_input_new_json(json_t *value)
{
    JsonInput *j = malloc(sizeof(*j));

    if (!j) {
        return NULL;
    }
    qapi_input_init(&j->base, &json_ops);
    j->cur = value;
    j->base.pending = value != NULL;
    return &j->base;
}
