/*
 * qapi/input.h - where generated unmarshallers read JSON values from.
 *
 * A QapiInput walks one JSON value, either JSON text (exact: every
 * integer of int64 and uint64 range is read without loss) or a jansson
 * value.  Generated code drives it; applications only create one, hand
 * it to a generated qapi_in_T() and free it.
 *
 * The walk: every read function consumes the current value.  Objects and
 * arrays are entered with qapi_input_start_object()/_start_array(), their
 * members or elements visited with qapi_input_next_member()/_next_element()
 * and left with qapi_input_end_object()/_end_array().  The input keeps the
 * path of the current value ("vhost-dev.features", "list[2].name") and puts
 * it into every error message.
 *
 * Input is strict, as QMP requires: errors name the offending member path
 * and use QEMU's wording ("Parameter 'x' is missing", "Parameter 'x' is
 * unexpected", "Invalid parameter type for 'x', expected: integer", ...).
 */
#ifndef QAPI_INPUT_H
#define QAPI_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "qapi/enum.h"
#include "qapi/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct QapiInput QapiInput;

/* JSON types, as seen by qapi_input_peek(). */
typedef enum QapiJsonType {
    QAPI_JSON_INVALID,          /* no value, or malformed JSON text */
    QAPI_JSON_NULL,
    QAPI_JSON_NUMBER,           /* integer or not */
    QAPI_JSON_STRING,
    QAPI_JSON_BOOLEAN,
    QAPI_JSON_OBJECT,
    QAPI_JSON_ARRAY,
} QapiJsonType;

/*
 * Input from JSON text: @len bytes at @text (need not be NUL-terminated;
 * the text is borrowed and must outlive the input).  Malformed text is
 * reported when the walk reaches it.  Returns NULL only when out of memory.
 */
QapiInput *qapi_input_new_text(const char *text, size_t len);

/*
 * Input from a jansson value (borrowed, not reference-counted by the input).
 * Integers are read as json_int_t; a uint64 member also accepts a string
 * of decimal digits for a value above INT64_MAX, the form that
 * qapi_output_new_json() writes such values in (see qapi/output.h).
 */
QapiInput *qapi_input_new_json(json_t *value);

/*
 * After the walk: checks that nothing but white space follows the value
 * in JSON text.  Returns false and sets an error otherwise.
 */
bool qapi_input_finish(QapiInput *in, QapiError **errp);

void qapi_input_free(QapiInput *in);

/* Type of the current value, without consuming it. */
QapiJsonType qapi_input_peek(QapiInput *in);

/* Objects */
bool qapi_input_start_object(QapiInput *in, QapiError **errp);
/*
 * Next member of the current object: returns 1 and sets *key (borrowed,
 * valid until the next call) when there is one, whose value is then the
 * current value and must be read or skipped; 0 at the end of the object;
 * -1 with an error set on malformed input.
 */
int qapi_input_next_member(QapiInput *in, const char **key, QapiError **errp);
void qapi_input_end_object(QapiInput *in);
/*
 * Look ahead in the object just started (before any next_member call) for
 * member @name.  Returns 1 and sets *value (borrowed, valid until the
 * object is left) if it exists and is a string; 0 if it does not exist;
 * -1 with an error set if it is not a string or the text is malformed.
 * Unions use it to read their discriminator before the other members.
 */
int qapi_input_find_string(QapiInput *in, const char *name,
                           const char **value, QapiError **errp);

/* Arrays: next_element returns 1 for an element, 0 at the end, -1 error. */
bool qapi_input_start_array(QapiInput *in, QapiError **errp);
int qapi_input_next_element(QapiInput *in, QapiError **errp);
void qapi_input_end_array(QapiInput *in);

/* Scalars.  @type is the QAPI type name used in range errors ("int8"). */
bool qapi_input_int(QapiInput *in, int64_t min, int64_t max, const char *type,
                    int64_t *value, QapiError **errp);
bool qapi_input_uint(QapiInput *in, uint64_t max, const char *type,
                     uint64_t *value, QapiError **errp);
bool qapi_input_number(QapiInput *in, double *value, QapiError **errp);
bool qapi_input_bool(QapiInput *in, bool *value, QapiError **errp);
/* *value is a new string the caller frees. */
bool qapi_input_str(QapiInput *in, char **value, QapiError **errp);
bool qapi_input_null(QapiInput *in, QapiError **errp);
/*
 * Any JSON value, as a new jansson reference.  Integers outside int64 range
 * cannot be held by jansson and are rejected rather than rounded.
 */
bool qapi_input_any(QapiInput *in, json_t **value, QapiError **errp);
bool qapi_input_enum(QapiInput *in, const QapiEnumLookup *lookup, int *value,
                     QapiError **errp);
/* Consume the current value, whatever it is. */
bool qapi_input_skip(QapiInput *in, QapiError **errp);

/* Errors about the current position, in QEMU's words. */
void qapi_input_error_missing(QapiInput *in, const char *member,
                              QapiError **errp);
void qapi_input_error_unexpected(QapiInput *in, QapiError **errp);
void qapi_input_error_duplicate(QapiInput *in, QapiError **errp);
void qapi_input_error_type(QapiInput *in, const char *expected,
                           QapiError **errp);
void qapi_input_error_value(QapiInput *in, const char *value,
                            QapiError **errp);
/* Like _error_value, for member @member of the current object (a union's
 * discriminator, read ahead with qapi_input_find_string()). */
void qapi_input_error_member_value(QapiInput *in, const char *member,
                                   const char *value, QapiError **errp);

#ifdef __cplusplus
}
#endif

#endif /* QAPI_INPUT_H */
