/*
 * qapi/output.h - where generated marshallers write JSON values to.
 *
 * A QapiOutput builds one JSON value, either as compact JSON text written
 * straight into a growing buffer (exact for every integer), or as a
 * jansson value.  Generated qapi_out_T() functions drive it.
 *
 * jansson integers are json_int_t (int64).  The jansson output therefore
 * writes a uint64 above INT64_MAX as a JSON string of its decimal digits;
 * qapi_input_new_json() reads that form back into the same uint64, so a
 * value survives qapi_T_to_json() -> qapi_T_from_json() unchanged.  For
 * JSON text with plain numbers use the text output (qapi_T_to_string()).
 *
 * Non-finite numbers (NaN, infinities) have no JSON form and are written
 * as null.
 *
 * NULL or malformed arguments: an error, never a crash (qapi/error.h,
 * "Arguments").
 */
#ifndef QAPI_OUTPUT_H
#define QAPI_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "qapi/enum.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct QapiOutput QapiOutput;

/* Returns NULL only when out of memory. */
QapiOutput *qapi_output_new_text(void);
QapiOutput *qapi_output_new_json(void);

/*
 * Finish and free the output.  _text returns the JSON text (a string the
 * caller frees), _json the value (a new reference).  Both return NULL if
 * memory ran out at any point.  With nothing written, _text returns "" and
 * _json NULL; called on the other kind of output, both return NULL.
 * They also return NULL when a write was refused (a NULL member name, an
 * enum value out of range).
 *
 * The text is compact ({"a":1,"b":[true,null]}); strings escape '"', '\\',
 * control characters and DEL only, as \uXXXX in upper case like QEMU; doubles
 * take the shortest of "%.15g",
 * "%.16g", "%.17g" that reads back exactly, always with a '.' or an
 * exponent ("1.0", "0.1", "1e+300").  qapi_output_any() on the jansson
 * output shares the value (a new reference, no copy).
 */
char *qapi_output_finish_text(QapiOutput *out, size_t *len);
json_t *qapi_output_finish_json(QapiOutput *out);
void qapi_output_free(QapiOutput *out);

void qapi_output_start_object(QapiOutput *out);
/* The next value is the member @key (a plain string: no escaping needed
 * for names from a schema, but any key is escaped correctly). */
void qapi_output_member(QapiOutput *out, const char *key);
void qapi_output_end_object(QapiOutput *out);
void qapi_output_start_array(QapiOutput *out);
void qapi_output_end_array(QapiOutput *out);

void qapi_output_int(QapiOutput *out, int64_t value);
void qapi_output_uint(QapiOutput *out, uint64_t value);
void qapi_output_number(QapiOutput *out, double value);
void qapi_output_bool(QapiOutput *out, bool value);
/* NULL is written as "" (generated code never passes NULL). */
void qapi_output_str(QapiOutput *out, const char *value);
void qapi_output_null(QapiOutput *out);
/*
 * The name of enum value @value.  A value @lookup does not know has no
 * JSON form: the output fails (finish returns NULL) rather than write
 * something the schema does not allow.
 */
void qapi_output_enum(QapiOutput *out, const QapiEnumLookup *lookup, int value);
/* Any jansson value (borrowed); NULL is written as null. */
void qapi_output_any(QapiOutput *out, const json_t *value);

#ifdef __cplusplus
}
#endif

#endif /* QAPI_OUTPUT_H */
