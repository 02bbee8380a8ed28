/*
 * qapi/marshal.h - glue between generated marshallers and QapiInput.
 *
 * One reader per built-in type, so that generated code reads every
 * member with a single call.  Not meant for applications.
 */
#ifndef QAPI_MARSHAL_H
#define QAPI_MARSHAL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "qapi/input.h"
#include "qapi/output.h"
#include "qapi/util.h"

#ifdef __cplusplus
extern "C" {
#endif

static inline bool qapi_read_int8(QapiInput *in, int8_t *value,
                                  QapiError **errp)
{
    int64_t v;

    if (!qapi_input_int(in, INT8_MIN, INT8_MAX, "int8", &v, errp)) {
        return false;
    }
    *value = (int8_t)v;
    return true;
}

static inline bool qapi_read_int16(QapiInput *in, int16_t *value,
                                   QapiError **errp)
{
    int64_t v;

    if (!qapi_input_int(in, INT16_MIN, INT16_MAX, "int16", &v, errp)) {
        return false;
    }
    *value = (int16_t)v;
    return true;
}

static inline bool qapi_read_int32(QapiInput *in, int32_t *value,
                                   QapiError **errp)
{
    int64_t v;

    if (!qapi_input_int(in, INT32_MIN, INT32_MAX, "int32", &v, errp)) {
        return false;
    }
    *value = (int32_t)v;
    return true;
}

static inline bool qapi_read_int64(QapiInput *in, int64_t *value,
                                   QapiError **errp)
{
    int64_t v;

    if (!qapi_input_int(in, INT64_MIN, INT64_MAX, "int64", &v, errp)) {
        return false;
    }
    *value = (int64_t)v;
    return true;
}

static inline bool qapi_read_int(QapiInput *in, int64_t *value,
                                 QapiError **errp)
{
    int64_t v;

    if (!qapi_input_int(in, INT64_MIN, INT64_MAX, "int", &v, errp)) {
        return false;
    }
    *value = (int64_t)v;
    return true;
}

static inline bool qapi_read_uint8(QapiInput *in, uint8_t *value,
                                   QapiError **errp)
{
    uint64_t v;

    if (!qapi_input_uint(in, UINT8_MAX, "uint8", &v, errp)) {
        return false;
    }
    *value = (uint8_t)v;
    return true;
}

static inline bool qapi_read_uint16(QapiInput *in, uint16_t *value,
                                    QapiError **errp)
{
    uint64_t v;

    if (!qapi_input_uint(in, UINT16_MAX, "uint16", &v, errp)) {
        return false;
    }
    *value = (uint16_t)v;
    return true;
}

static inline bool qapi_read_uint32(QapiInput *in, uint32_t *value,
                                    QapiError **errp)
{
    uint64_t v;

    if (!qapi_input_uint(in, UINT32_MAX, "uint32", &v, errp)) {
        return false;
    }
    *value = (uint32_t)v;
    return true;
}

static inline bool qapi_read_uint64(QapiInput *in, uint64_t *value,
                                    QapiError **errp)
{
    uint64_t v;

    if (!qapi_input_uint(in, UINT64_MAX, "uint64", &v, errp)) {
        return false;
    }
    *value = (uint64_t)v;
    return true;
}

static inline bool qapi_read_size(QapiInput *in, uint64_t *value,
                                  QapiError **errp)
{
    uint64_t v;

    if (!qapi_input_uint(in, UINT64_MAX, "size", &v, errp)) {
        return false;
    }
    *value = (uint64_t)v;
    return true;
}

static inline bool qapi_read_null(QapiInput *in, QapiNull **value,
                                  QapiError **errp)
{
    if (!qapi_input_null(in, errp)) {
        return false;
    }
    *value = qapi_null();
    return true;
}

/* Equality of two numbers as data: NaN equals NaN (and -0 equals 0). */
static inline bool qapi_number_equal(double a, double b)
{
    return !(a < b) && !(a > b);
}

/* A string parameter, stored in a struct whose member is not const (the
 * struct is only read).  A union says so without a cast. */
static inline char *qapi_unconst(const char *s)
{
    union {
        const char *c;
        char *m;
    } u;

    u.c = s;
    return u.m;
}

/* Note that a member was seen; seeing it again is an error. */
static inline bool qapi_input_once(QapiInput *in, bool *seen, QapiError **errp)
{
    if (*seen) {
        qapi_input_error_duplicate(in, errp);
        return false;
    }
    *seen = true;
    return true;
}

/* Allocate a zeroed object for an unmarshaller; sets an error if out of
 * memory. */
static inline void *qapi_input_alloc(size_t size, QapiError **errp)
{
    void *p = calloc(1, size);

    if (!p) {
        qapi_error_setg(errp, "Out of memory");
    }
    return p;
}

#ifdef __cplusplus
}
#endif

#endif /* QAPI_MARSHAL_H */
