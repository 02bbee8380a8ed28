/*
 * output-impl.h - private: QapiOutput's state, shared by the text writer
 * (output.c, which also dispatches the public calls) and the jansson
 * builder (output-json.c).  Not installed.
 */
#ifndef QAPI_OUTPUT_IMPL_H
#define QAPI_OUTPUT_IMPL_H

#include <stdbool.h>
#include <stddef.h>

#include "qapi/output.h"

struct QapiOutput {
    bool is_json; /* jansson builder, else text writer */
    bool failed;  /* memory ran out: finish returns NULL */
    /* text */
    bool need_comma; /* a value was written at this level */
    char *buf;
    size_t len;
    size_t cap;
    /* json */
    json_t *root;
    json_t **stack; /* open containers (borrowed: owned by root) */
    size_t depth;
    size_t stack_cap;
    char *key; /* pending member name */
    size_t key_cap;
    bool have_key;
};

/* The jansson builder's side of each call. */
void qapi_output_json_start(QapiOutput *out, bool object);
void qapi_output_json_member(QapiOutput *out, const char *key);
void qapi_output_json_end(QapiOutput *out);
void qapi_output_json_int(QapiOutput *out, int64_t value);
void qapi_output_json_uint(QapiOutput *out, uint64_t value);
void qapi_output_json_number(QapiOutput *out, double value);
void qapi_output_json_bool(QapiOutput *out, bool value);
void qapi_output_json_str(QapiOutput *out, const char *value);
void qapi_output_json_null(QapiOutput *out);
void qapi_output_json_any(QapiOutput *out, const json_t *value);
void qapi_output_json_free(QapiOutput *out);

/*
 * Shortest text of @v (finite) that strtod() reads back as @v, in the C
 * locale's notation and always with a '.' or an exponent ("1.0", "0.1",
 * "1e+300").  @buf has room for 32 bytes; returns the length.
 */
size_t qapi_format_double(double v, char *buf);

/* Decimal digits of @v, at @buf (room for 20 bytes); returns the length. */
size_t qapi_format_uint(uint64_t v, char *buf);

#endif /* QAPI_OUTPUT_IMPL_H */
