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
 *
 * Paths: members are joined with '.', elements get "[i]": "a.b[2].c"; a
 * member of the root object is just its name ("c"), an element of a root
 * array "[2]", and the root value itself "<root>".  All messages:
 *
 *   Parameter 'PATH' is missing               (also: no value to read)
 *   Parameter 'PATH' is unexpected
 *   Parameter 'PATH' is duplicated            (also: duplicate key in 'any')
 *   Invalid parameter type for 'PATH', expected: EXPECTED
 *       EXPECTED: integer, number, string, boolean, null, object, array,
 *       or what qapi_input_error_type() was given
 *   Parameter 'PATH' expects TYPE             (integer out of range, TYPE
 *       as given to qapi_input_int()/_uint(); "number" for a number too
 *       large for a double)
 *   Parameter 'PATH' does not accept value 'VALUE'   (enums)
 *   Parameter 'PATH' is out of int64 range    (integer in an 'any' value)
 *   Parameter 'PATH' contains a NUL character (jansson strings only)
 *   Parameter 'PATH' nests deeper than 1024 levels   (jansson input)
 *   JSON parse error at byte N: WHAT          (malformed JSON text)
 *
 * JSON text is read as RFC 8259 says, strictly: no comments, trailing
 * commas, NaN/Infinity, leading zeros, raw control characters in strings,
 * invalid UTF-8 or lone surrogates.  "\u0000" is refused (C strings cannot
 * hold it).  Objects and arrays nest at most 1024 levels deep.  A parse
 * error is final: every later call fails with the same message.  Duplicate
 * keys are not detected by the input (generated code reports those it
 * knows, with qapi_input_error_duplicate()); find_string sees the first.
 *
 * A read that fails on the type or range of the value leaves it unread, so
 * that it can be read as something else (qapi_input_skip() still works).
 * A value left unread when next_member/next_element is called is skipped,
 * and end_object/end_array skip whatever the walk left of the container.
 *
 * NULL or malformed arguments: an error, never a crash (qapi/error.h,
 * "Arguments").
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
    QAPI_JSON_INVALID, /* no value, or malformed JSON text */
    QAPI_JSON_NULL,
    QAPI_JSON_NUMBER, /* integer or not */
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
int qapi_input_find_string(QapiInput *in, const char *name, const char **value,
                           QapiError **errp);

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
 * cannot be held by jansson and are rejected rather than rounded.  From a
 * jansson input the value is shared with it (a new reference, no copy).
 */
bool qapi_input_any(QapiInput *in, json_t **value, QapiError **errp);
bool qapi_input_enum(QapiInput *in, const QapiEnumLookup *lookup, int *value,
                     QapiError **errp);
/* Consume the current value, whatever it is. */
bool qapi_input_skip(QapiInput *in, QapiError **errp);

/*
 * Errors about the current position, in QEMU's words.  _missing names
 * @member of the innermost open object ("a.b.member"; "member" at the
 * root); the others name the current value: the member or element last
 * returned by next_member/next_element, or the container itself once
 * they returned 0.
 */
void qapi_input_error_missing(QapiInput *in, const char *member,
                              QapiError **errp);
void qapi_input_error_unexpected(QapiInput *in, QapiError **errp);
void qapi_input_error_duplicate(QapiInput *in, QapiError **errp);
void qapi_input_error_type(QapiInput *in, const char *expected,
                           QapiError **errp);
void qapi_input_error_value(QapiInput *in, const char *value, QapiError **errp);
/* Like _error_value, for member @member of the current object (a union's
 * discriminator, read ahead with qapi_input_find_string()). */
void qapi_input_error_member_value(QapiInput *in, const char *member,
                                   const char *value, QapiError **errp);

#ifdef __cplusplus
}
#endif

#endif /* QAPI_INPUT_H */
