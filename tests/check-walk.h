/*
 * check-walk.h - helpers shared by the input/output tests: a generic walk
 * that copies whatever a QapiInput holds into a QapiOutput, driven by
 * qapi_input_peek() the way generated code for alternates and 'any'-like
 * members would be.
 */
#ifndef CHECK_WALK_H
#define CHECK_WALK_H

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "qapi/input.h"
#include "qapi/output.h"

/* Copy the current value of @in to @out (@out may be NULL).  Numbers are
 * read as int64, else uint64, else double. */
static inline bool walk_value(QapiInput *in, QapiOutput *out, QapiError **errp)
{
    QapiError *local = NULL;
    const char *key;
    char *s;
    int64_t i;
    uint64_t u;
    double d;
    bool b;
    int r;

    switch (qapi_input_peek(in)) {
    case QAPI_JSON_OBJECT:
        if (!qapi_input_start_object(in, errp)) {
            return false;
        }
        if (out) {
            qapi_output_start_object(out);
        }
        while ((r = qapi_input_next_member(in, &key, errp)) > 0) {
            if (out) {
                qapi_output_member(out, key);
            }
            if (!walk_value(in, out, errp)) {
                r = -1;
                break;
            }
        }
        qapi_input_end_object(in);
        if (out) {
            qapi_output_end_object(out);
        }
        return r == 0;
    case QAPI_JSON_ARRAY:
        if (!qapi_input_start_array(in, errp)) {
            return false;
        }
        if (out) {
            qapi_output_start_array(out);
        }
        while ((r = qapi_input_next_element(in, errp)) > 0) {
            if (!walk_value(in, out, errp)) {
                r = -1;
                break;
            }
        }
        qapi_input_end_array(in);
        if (out) {
            qapi_output_end_array(out);
        }
        return r == 0;
    case QAPI_JSON_STRING:
        if (!qapi_input_str(in, &s, errp)) {
            return false;
        }
        if (out) {
            qapi_output_str(out, s);
        }
        free(s);
        return true;
    case QAPI_JSON_NUMBER:
        if (qapi_input_int(in, INT64_MIN, INT64_MAX, "int64", &i, &local)) {
            if (out) {
                qapi_output_int(out, i);
            }
            return true;
        }
        qapi_error_free(local);
        local = NULL;
        if (qapi_input_uint(in, UINT64_MAX, "uint64", &u, &local)) {
            if (out) {
                qapi_output_uint(out, u);
            }
            return true;
        }
        qapi_error_free(local);
        if (!qapi_input_number(in, &d, errp)) {
            return false;
        }
        if (out) {
            qapi_output_number(out, d);
        }
        return true;
    case QAPI_JSON_BOOLEAN:
        if (!qapi_input_bool(in, &b, errp)) {
            return false;
        }
        if (out) {
            qapi_output_bool(out, b);
        }
        return true;
    case QAPI_JSON_NULL:
        if (!qapi_input_null(in, errp)) {
            return false;
        }
        if (out) {
            qapi_output_null(out);
        }
        return true;
    case QAPI_JSON_INVALID:
        break;
    }
    /* Let skip report what is wrong. */
    if (qapi_input_skip(in, errp)) {
        qapi_error_setg(errp, "walk: skip accepted an invalid value");
    }
    return false;
}

/* Walk the JSON text @text (@len bytes) into compact text; NULL and
 * *errp set on error. */
static inline char *walk_text(const char *text, size_t len, QapiError **errp)
{
    QapiInput *in = qapi_input_new_text(text, len);
    QapiOutput *out = qapi_output_new_text();
    bool ok = walk_value(in, out, errp) && qapi_input_finish(in, errp);
    char *result = qapi_output_finish_text(out, NULL);

    qapi_input_free(in);
    if (!ok) {
        free(result);
        return NULL;
    }
    return result;
}

#endif /* CHECK_WALK_H */
