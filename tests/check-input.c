/*
 * check-input.c - unit tests for qapi/input.h, over JSON text and over
 * jansson values.  Tests run as loop tests where both inputs apply: _i is
 * 0 for text, 1 for jansson.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qapi/input.h"
#include "qapi/output.h"

#include "check-walk.h"

/* The jansson value behind the last json input made by make_input(). */
static json_t *loaded;

/* Input over @text: JSON text if @kind is 0, else its jansson value. */
static QapiInput *make_input(int kind, const char *text)
{
    json_error_t jerr;

    json_decref(loaded);
    loaded = NULL;
    if (kind == 0) {
        return qapi_input_new_text(text, strlen(text));
    }
    loaded = json_loads(text, JSON_DECODE_ANY, &jerr);
    ck_assert_msg(loaded != NULL, "json_loads(%s): %s", text, jerr.text);
    return qapi_input_new_json(loaded);
}

static void teardown(void)
{
    json_decref(loaded);
    loaded = NULL;
}

/* Check that @err holds @msg, free it and clear it. */
#define ck_assert_err(err, msg)                                                \
    do {                                                                       \
        ck_assert_msg((err) != NULL, "no error, expected \"%s\"", (msg));      \
        ck_assert_str_eq(qapi_error_get_pretty(err), (msg));                   \
        qapi_error_free(err);                                                  \
        (err) = NULL;                                                          \
    } while (0)

/* Check that @err starts with @prefix, free it and clear it. */
#define ck_assert_err_prefix(err, prefix)                                      \
    do {                                                                       \
        ck_assert_msg((err) != NULL, "no error, expected \"%s...\"",           \
                      (prefix));                                               \
        ck_assert_msg(                                                         \
            !strncmp(qapi_error_get_pretty(err), (prefix), strlen(prefix)),    \
            "\"%s\" does not start with \"%s\"", qapi_error_get_pretty(err),   \
            (prefix));                                                         \
        qapi_error_free(err);                                                  \
        (err) = NULL;                                                          \
    } while (0)

/* Validate @text (@len bytes) with qapi_input_skip() and finish. */
static bool skip_text(const char *text, size_t len, QapiError **errp)
{
    QapiInput *in = qapi_input_new_text(text, len);
    bool ok = qapi_input_skip(in, errp) && qapi_input_finish(in, errp);

    qapi_input_free(in);
    return ok;
}

/* Read @text (@len bytes) with qapi_input_any() and finish. */
static json_t *any_text(const char *text, size_t len, QapiError **errp)
{
    QapiInput *in = qapi_input_new_text(text, len);
    json_t *v = NULL;

    if (!qapi_input_any(in, &v, errp) || !qapi_input_finish(in, errp)) {
        json_decref(v);
        v = NULL;
    }
    qapi_input_free(in);
    return v;
}

/* --- life cycle ----------------------------------------------------------- */

START_TEST(test_new_text)
{
    QapiError *err = NULL;
    QapiInput *in = qapi_input_new_text("[1] trailing", 3); /* length only */
    int64_t v;

    ck_assert_ptr_nonnull(in);
    ck_assert(qapi_input_start_array(in, &err));
    ck_assert_int_eq(qapi_input_next_element(in, &err), 1);
    ck_assert(qapi_input_int(in, INT64_MIN, INT64_MAX, "int", &v, &err));
    ck_assert_int_eq(v, 1);
    ck_assert_int_eq(qapi_input_next_element(in, &err), 0);
    qapi_input_end_array(in);
    ck_assert(qapi_input_finish(in, &err));
    ck_assert_ptr_null(err);
    qapi_input_free(in);

    /* NULL text is empty text. */
    in = qapi_input_new_text(NULL, 0);
    ck_assert_int_eq(qapi_input_peek(in), QAPI_JSON_INVALID);
    ck_assert(!qapi_input_skip(in, &err));
    ck_assert_err(err, "JSON parse error at byte 0: unexpected end of input, "
                       "expected a value");
    qapi_input_free(in);

    qapi_input_free(NULL);
}
END_TEST

START_TEST(test_new_json)
{
    QapiError *err = NULL;
    json_t *v = json_pack("{s:i}", "a", 1);
    QapiInput *in = qapi_input_new_json(v);
    const char *key;
    int64_t i;

    ck_assert(qapi_input_start_object(in, &err));
    ck_assert_int_eq(qapi_input_next_member(in, &key, &err), 1);
    ck_assert_str_eq(key, "a");
    ck_assert(qapi_input_int(in, 0, 10, "int", &i, &err));
    ck_assert_int_eq(i, 1);
    ck_assert_int_eq(qapi_input_next_member(in, &key, &err), 0);
    qapi_input_end_object(in);
    ck_assert(qapi_input_finish(in, &err));
    qapi_input_free(in);
    /* The value is borrowed, not reference-counted by the input. */
    ck_assert_int_eq(v->refcount, 1);
    json_decref(v);

    /* No value at all. */
    in = qapi_input_new_json(NULL);
    ck_assert_int_eq(qapi_input_peek(in), QAPI_JSON_INVALID);
    ck_assert(!qapi_input_start_object(in, &err));
    ck_assert_err(err, "Parameter '<root>' is missing");
    qapi_input_free(in);
}
END_TEST

START_TEST(test_finish)
{
    QapiError *err = NULL;
    QapiInput *in;
    bool b;

    /* Trailing white space is fine, anything else is not. */
    in = make_input(0, " true \t\r\n ");
    ck_assert(qapi_input_bool(in, &b, &err));
    ck_assert(qapi_input_finish(in, &err));
    qapi_input_free(in);

    in = make_input(0, "true x");
    ck_assert(qapi_input_bool(in, &b, &err));
    ck_assert(!qapi_input_finish(in, &err));
    ck_assert_err(err, "JSON parse error at byte 5: unexpected 'x', expected "
                       "the end of the input");
    qapi_input_free(in);

    in = make_input(0, "{} {}");
    ck_assert(qapi_input_skip(in, &err));
    ck_assert(!qapi_input_finish(in, &err));
    ck_assert_err(err, "JSON parse error at byte 3: unexpected '{', expected "
                       "the end of the input");
    qapi_input_free(in);

    /* An unread root value is checked all the same. */
    in = make_input(0, "[1, 2");
    ck_assert(!qapi_input_finish(in, &err));
    ck_assert_err(err, "JSON parse error at byte 5: unexpected end of input, "
                       "expected ',' or ']'");
    qapi_input_free(in);

    /* Open containers are skipped to their end. */
    in = make_input(0, "{\"a\": [1, 2], \"b\": 3}");
    ck_assert(qapi_input_start_object(in, &err));
    ck_assert(qapi_input_finish(in, &err));
    qapi_input_free(in);

    /* jansson input: nothing can trail. */
    in = make_input(1, "[1]");
    ck_assert(qapi_input_finish(in, &err));
    ck_assert_ptr_null(err);
    qapi_input_free(in);
}
END_TEST

/* --- peek ----------------------------------------------------------------- */

START_TEST(test_peek)
{
    static const struct {
        const char *text;
        QapiJsonType type;
    } cases[] = {
        {"null", QAPI_JSON_NULL},    {"1", QAPI_JSON_NUMBER},
        {"-1.5", QAPI_JSON_NUMBER},  {"\"s\"", QAPI_JSON_STRING},
        {"true", QAPI_JSON_BOOLEAN}, {"false", QAPI_JSON_BOOLEAN},
        {"{}", QAPI_JSON_OBJECT},    {"[]", QAPI_JSON_ARRAY},
        {"  [1] ", QAPI_JSON_ARRAY},
    };
    QapiError *err = NULL;
    QapiInput *in;
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        in = make_input(_i, cases[i].text);
        ck_assert_int_eq(qapi_input_peek(in), cases[i].type);
        ck_assert_int_eq(qapi_input_peek(in), cases[i].type); /* no change */
        ck_assert(qapi_input_skip(in, &err));
        /* Read: no current value any more. */
        ck_assert_int_eq(qapi_input_peek(in), QAPI_JSON_INVALID);
        qapi_input_free(in);
    }

    /* Not JSON. */
    if (_i == 0) {
        static const char *const bad[] = {"",    "  ",  "x",        ".5", "+1",
                                          "'s'", "NaN", "Infinity", "]",  "}"};

        for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
            in = make_input(0, bad[i]);
            ck_assert_int_eq(qapi_input_peek(in), QAPI_JSON_INVALID);
            qapi_input_free(in);
        }
    }

    /* Members and elements. */
    in = make_input(_i, "{\"a\": [\"x\", 1]}");
    ck_assert(qapi_input_start_object(in, &err));
    ck_assert_int_eq(qapi_input_peek(in), QAPI_JSON_INVALID);
    {
        const char *key;

        ck_assert_int_eq(qapi_input_next_member(in, &key, &err), 1);
    }
    ck_assert_int_eq(qapi_input_peek(in), QAPI_JSON_ARRAY);
    ck_assert(qapi_input_start_array(in, &err));
    ck_assert_int_eq(qapi_input_next_element(in, &err), 1);
    ck_assert_int_eq(qapi_input_peek(in), QAPI_JSON_STRING);
    ck_assert_int_eq(qapi_input_next_element(in, &err), 1);
    ck_assert_int_eq(qapi_input_peek(in), QAPI_JSON_NUMBER);
    ck_assert_int_eq(qapi_input_next_element(in, &err), 0);
    ck_assert_int_eq(qapi_input_peek(in), QAPI_JSON_INVALID);
    qapi_input_end_array(in);
    qapi_input_end_object(in);
    ck_assert(qapi_input_finish(in, &err));
    ck_assert_ptr_null(err);
    qapi_input_free(in);
}
END_TEST

/* --- objects -------------------------------------------------------------- */

START_TEST(test_start_object)
{
    QapiError *err = NULL;
    QapiInput *in;

    in = make_input(_i, "[1]");
    ck_assert(!qapi_input_start_object(in, &err));
    ck_assert_err(err, "Invalid parameter type for '<root>', expected: object");
    /* Not consumed: it can still be read as what it is. */
    ck_assert(qapi_input_start_array(in, &err));
    qapi_input_end_array(in);
    ck_assert(qapi_input_finish(in, &err));
    qapi_input_free(in);

    in = make_input(_i, "{}");
    ck_assert(qapi_input_start_object(in, NULL));
    qapi_input_end_object(in);
    /* The root was read: nothing left. */
    ck_assert(!qapi_input_start_object(in, &err));
    ck_assert_err(err, "Parameter '<root>' is missing");
    qapi_input_free(in);
}
END_TEST

START_TEST(test_next_member)
{
    QapiError *err = NULL;
    QapiInput *in = make_input(_i, " { \"a\" : 1 , \"b\\u00e9\\n\":\"x\","
                                   "\"\":null, \"c\": {\"d\": []}} ");
    const char *key;
    int64_t i;
    char *s;

    ck_assert(qapi_input_start_object(in, &err));
    ck_assert_int_eq(qapi_input_next_member(in, &key, &err), 1);
    ck_assert_str_eq(key, "a");
    ck_assert(qapi_input_int(in, 0, 10, "int", &i, &err));
    ck_assert_int_eq(qapi_input_next_member(in, &key, &err), 1);
    ck_assert_str_eq(key, "b\xc3\xa9\n");
    ck_assert(qapi_input_str(in, &s, &err));
    ck_assert_str_eq(s, "x");
    free(s);
    ck_assert_int_eq(qapi_input_next_member(in, &key, &err), 1);
    ck_assert_str_eq(key, "");
    ck_assert(qapi_input_null(in, &err));
    ck_assert_int_eq(qapi_input_next_member(in, &key, &err), 1);
    ck_assert_str_eq(key, "c");
    ck_assert(qapi_input_start_object(in, &err));
    ck_assert_int_eq(qapi_input_next_member(in, &key, &err), 1);
    ck_assert_str_eq(key, "d");
    ck_assert(qapi_input_start_array(in, &err));
    ck_assert_int_eq(qapi_input_next_element(in, &err), 0);
    qapi_input_end_array(in);
    ck_assert_int_eq(qapi_input_next_member(in, &key, &err), 0);
    qapi_input_end_object(in);
    ck_assert_int_eq(qapi_input_next_member(in, &key, &err), 0);
    ck_assert_int_eq(qapi_input_next_member(in, &key, &err), 0); /* again */
    qapi_input_end_object(in);
    ck_assert(qapi_input_finish(in, &err));
    ck_assert_ptr_null(err);
    qapi_input_free(in);

    /* Empty object. */
    in = make_input(_i, "{ }");
    ck_assert(qapi_input_start_object(in, &err));
    ck_assert_int_eq(qapi_input_next_member(in, &key, &err), 0);
    qapi_input_end_object(in);
    ck_assert(qapi_input_finish(in, &err));
    qapi_input_free(in);

    /* Not in an object. */
    in = make_input(_i, "[1]");
    ck_assert_int_eq(qapi_input_next_member(in, &key, &err), -1);
    ck_assert_err_prefix(err, "qapi_input: no object is open");
    qapi_input_free(in);
}
END_TEST

START_TEST(test_next_member_skips_unread)
{
    QapiError *err = NULL;
    QapiInput *in = make_input(_i, "{\"a\": {\"x\": [1, {\"y\": 2}]}, "
                                   "\"b\": \"s\", \"c\": true}");
    const char *key;
    bool b;

    ck_assert(qapi_input_start_object(in, &err));
    ck_assert_int_eq(qapi_input_next_member(in, &key, &err), 1);
    ck_assert_str_eq(key, "a");
    ck_assert_int_eq(qapi_input_next_member(in, &key, &err), 1);
    ck_assert_str_eq(key, "b");
    ck_assert_int_eq(qapi_input_next_member(in, &key, &err), 1);
    ck_assert_str_eq(key, "c");
    ck_assert(qapi_input_bool(in, &b, &err));
    ck_assert(b);
    ck_assert_int_eq(qapi_input_next_member(in, &key, &err), 0);
    qapi_input_end_object(in);
    ck_assert(qapi_input_finish(in, &err));
    ck_assert_ptr_null(err);
    qapi_input_free(in);
}
END_TEST

START_TEST(test_end_object)
{
    QapiError *err = NULL;
    QapiInput *in = make_input(_i, "[{\"a\": 1, \"b\": [2, 3], \"c\": {}}, 7]");
    const char *key;
    int64_t i;

    ck_assert(qapi_input_start_array(in, &err));
    ck_assert_int_eq(qapi_input_next_element(in, &err), 1);
    ck_assert(qapi_input_start_object(in, &err));
    ck_assert_int_eq(qapi_input_next_member(in, &key, &err), 1);
    /* Leave early: the rest of the object is skipped. */
    qapi_input_end_object(in);
    ck_assert_int_eq(qapi_input_next_element(in, &err), 1);
    ck_assert(qapi_input_int(in, 0, 10, "int", &i, &err));
    ck_assert_int_eq(i, 7);
    ck_assert_int_eq(qapi_input_next_element(in, &err), 0);
    qapi_input_end_array(in);
    ck_assert(qapi_input_finish(in, &err));
    ck_assert_ptr_null(err);

    /* Without an open object: nothing happens. */
    qapi_input_end_object(in);
    qapi_input_end_array(in);
    qapi_input_free(in);

    /* Leaving a malformed object records the parse error. */
    if (_i == 0) {
        in = make_input(0, "{\"a\": 1, \"b\" 2}");
        ck_assert(qapi_input_start_object(in, &err));
        qapi_input_end_object(in);
        ck_assert(!qapi_input_finish(in, &err));
        ck_assert_err(err, "JSON parse error at byte 13: unexpected '2', "
                           "expected ':'");
        qapi_input_free(in);
    }
}
END_TEST

START_TEST(test_find_string)
{
    QapiError *err = NULL;
    QapiInput *in = make_input(
        _i, "{\"data\": {\"type\": \"inner\", \"n\": 1}, \"x\": [1, {}],"
            " \"type\": \"out\\u00e9r\", \"num\": 5}");
    const char *outer;
    const char *inner;
    const char *v;
    const char *key;

    ck_assert(qapi_input_start_object(in, &err));
    ck_assert_int_eq(qapi_input_find_string(in, "type", &outer, &err), 1);
    ck_assert_str_eq(outer, "out\xc3\xa9r");
    ck_assert_int_eq(qapi_input_find_string(in, "missing", &v, &err), 0);
    ck_assert_int_eq(qapi_input_find_string(in, "num", &v, &err), -1);
    ck_assert_err(err, "Invalid parameter type for 'num', expected: string");
    ck_assert_int_eq(qapi_input_find_string(in, "x", &v, &err), -1);
    ck_assert_err(err, "Invalid parameter type for 'x', expected: string");

    /* The walk itself is unaffected. */
    ck_assert_int_eq(qapi_input_next_member(in, &key, &err), 1);
    ck_assert_str_eq(key, "data");
    ck_assert(qapi_input_start_object(in, &err));
    ck_assert_int_eq(qapi_input_find_string(in, "type", &inner, &err), 1);
    ck_assert_str_eq(inner, "inner");
    ck_assert_int_eq(qapi_input_find_string(in, "n", &v, &err), -1);
    ck_assert_err(err, "Invalid parameter type for 'data.n', expected: "
                       "string");
    ck_assert_int_eq(qapi_input_next_member(in, &key, &err), 1);
    ck_assert_str_eq(key, "type");
    ck_assert_str_eq(outer, "out\xc3\xa9r"); /* still valid */
    ck_assert_str_eq(inner, "inner");
    qapi_input_end_object(in);
    ck_assert_str_eq(outer, "out\xc3\xa9r");
    ck_assert_int_eq(qapi_input_next_member(in, &key, &err), 1);
    ck_assert_str_eq(key, "x");
    ck_assert_int_eq(qapi_input_next_member(in, &key, &err), 1);
    ck_assert_str_eq(key, "type");
    /* Looking ahead in the middle of the object still sees all of it. */
    ck_assert_int_eq(qapi_input_find_string(in, "type", &v, &err), 1);
    ck_assert_str_eq(v, "out\xc3\xa9r");
    qapi_input_end_object(in);
    ck_assert(qapi_input_finish(in, &err));
    ck_assert_ptr_null(err);
    qapi_input_free(in);

    /* Empty object; no object open. */
    in = make_input(_i, "{}");
    ck_assert(qapi_input_start_object(in, &err));
    ck_assert_int_eq(qapi_input_find_string(in, "type", &v, &err), 0);
    qapi_input_end_object(in);
    ck_assert_int_eq(qapi_input_find_string(in, "type", &v, &err), -1);
    ck_assert_err(err, "qapi_input: no object is open");
    qapi_input_free(in);

    if (_i == 0) {
        /* Duplicates (in text only): the first one counts. */
        in = make_input(0, "{\"type\": \"a\", \"type\": \"b\"}");
        ck_assert(qapi_input_start_object(in, &err));
        ck_assert_int_eq(qapi_input_find_string(in, "type", &v, &err), 1);
        ck_assert_str_eq(v, "a");
        qapi_input_free(in);

        /* Malformed text further on. */
        in = make_input(0, "{\"a\": 1, \"b\": tru, \"type\": \"x\"}");
        ck_assert(qapi_input_start_object(in, &err));
        ck_assert_int_eq(qapi_input_find_string(in, "type", &v, &err), -1);
        ck_assert_err(err, "JSON parse error at byte 14: invalid literal");
        qapi_input_free(in);

        in = make_input(0, "{\"type\": 1.}");
        ck_assert(qapi_input_start_object(in, &err));
        ck_assert_int_eq(qapi_input_find_string(in, "type", &v, &err), -1);
        ck_assert_err(err, "JSON parse error at byte 11: unexpected '}', "
                           "expected a digit after '.'");
        qapi_input_free(in);
    }
}
END_TEST

/* --- arrays --------------------------------------------------------------- */

START_TEST(test_arrays)
{
    QapiError *err = NULL;
    QapiInput *in = make_input(_i, "[ [], [1, [2]], \"x\" ]");
    int64_t i;

    ck_assert(!qapi_input_start_object(in, &err));
    ck_assert_err(err, "Invalid parameter type for '<root>', expected: object");
    ck_assert(qapi_input_start_array(in, &err));
    ck_assert_int_eq(qapi_input_next_element(in, &err), 1);
    ck_assert(qapi_input_start_array(in, &err));
    ck_assert_int_eq(qapi_input_next_element(in, &err), 0);
    ck_assert_int_eq(qapi_input_next_element(in, &err), 0);
    qapi_input_end_array(in);
    ck_assert_int_eq(qapi_input_next_element(in, &err), 1);
    ck_assert(qapi_input_start_array(in, &err));
    ck_assert_int_eq(qapi_input_next_element(in, &err), 1);
    ck_assert(qapi_input_int(in, 0, 9, "int", &i, &err));
    ck_assert_int_eq(i, 1);
    ck_assert_int_eq(qapi_input_next_element(in, &err), 1);
    ck_assert(qapi_input_start_array(in, &err));
    ck_assert_int_eq(qapi_input_next_element(in, &err), 1);
    ck_assert(!qapi_input_start_array(in, &err));
    ck_assert_err(err, "Invalid parameter type for '[1][1][0]', expected: "
                       "array");
    qapi_input_end_array(in); /* unread element skipped */
    ck_assert_int_eq(qapi_input_next_element(in, &err), 0);
    qapi_input_end_array(in);
    ck_assert_int_eq(qapi_input_next_element(in, &err), 1);
    ck_assert(!qapi_input_int(in, 0, 9, "int", &i, &err));
    ck_assert_err(err, "Invalid parameter type for '[2]', expected: integer");
    ck_assert_int_eq(qapi_input_next_element(in, &err), 0);
    qapi_input_end_array(in);
    ck_assert(qapi_input_finish(in, &err));
    ck_assert_ptr_null(err);
    qapi_input_free(in);

    in = make_input(_i, "{}");
    ck_assert_int_eq(qapi_input_next_element(in, &err), -1);
    ck_assert_err(err, "qapi_input: no array is open");
    qapi_input_free(in);
}
END_TEST

/* --- integers ------------------------------------------------------------- */

static const struct {
    const char *type;
    int64_t min;
    int64_t max;
    const char *below; /* min - 1 */
    const char *above; /* max + 1 */
} int_types[] = {
    {"int8", INT8_MIN, INT8_MAX, "-129", "128"},
    {"int16", INT16_MIN, INT16_MAX, "-32769", "32768"},
    {"int32", INT32_MIN, INT32_MAX, "-2147483649", "2147483648"},
    {"int64", INT64_MIN, INT64_MAX, "-9223372036854775809",
     "9223372036854775808"},
};

static const struct {
    const char *type;
    uint64_t max;
    const char *above; /* max + 1 */
} uint_types[] = {
    {"uint8", UINT8_MAX, "256"},
    {"uint16", UINT16_MAX, "65536"},
    {"uint32", UINT32_MAX, "4294967296"},
    {"uint64", UINT64_MAX, "18446744073709551616"},
};

static bool read_int(int kind, const char *text, int64_t min, int64_t max,
                     const char *type, int64_t *v, QapiError **errp)
{
    QapiInput *in = make_input(kind, text);
    bool ok = qapi_input_int(in, min, max, type, v, errp) &&
              qapi_input_finish(in, errp);

    qapi_input_free(in);
    return ok;
}

static bool read_uint(int kind, const char *text, uint64_t max,
                      const char *type, uint64_t *v, QapiError **errp)
{
    QapiInput *in = make_input(kind, text);
    bool ok =
        qapi_input_uint(in, max, type, v, errp) && qapi_input_finish(in, errp);

    qapi_input_free(in);
    return ok;
}

START_TEST(test_int_limits)
{
    QapiError *err = NULL;
    char text[64];
    char msg[64];
    int64_t v;
    size_t t;

    for (t = 0; t < sizeof(int_types) / sizeof(int_types[0]); t++) {
        snprintf(text, sizeof(text), "%lld", (long long)int_types[t].min);
        ck_assert(read_int(0, text, int_types[t].min, int_types[t].max,
                           int_types[t].type, &v, &err));
        ck_assert_int_eq(v, int_types[t].min);
        snprintf(text, sizeof(text), "%lld", (long long)int_types[t].max);
        ck_assert(read_int(0, text, int_types[t].min, int_types[t].max,
                           int_types[t].type, &v, &err));
        ck_assert_int_eq(v, int_types[t].max);

        snprintf(msg, sizeof(msg), "Parameter '<root>' expects %s",
                 int_types[t].type);
        ck_assert(!read_int(0, int_types[t].below, int_types[t].min,
                            int_types[t].max, int_types[t].type, &v, &err));
        ck_assert_err(err, msg);
        ck_assert(!read_int(0, int_types[t].above, int_types[t].min,
                            int_types[t].max, int_types[t].type, &v, &err));
        ck_assert_err(err, msg);
        ck_assert(!read_int(0, "123456789012345678901234567890",
                            int_types[t].min, int_types[t].max,
                            int_types[t].type, &v, &err));
        ck_assert_err(err, msg);
        ck_assert(!read_int(0, "-123456789012345678901234567890",
                            int_types[t].min, int_types[t].max,
                            int_types[t].type, &v, &err));
        ck_assert_err(err, msg);
        ck_assert(!read_int(0, "18446744073709551615", int_types[t].min,
                            int_types[t].max, int_types[t].type, &v, &err));
        ck_assert_err(err, msg);
    }
    ck_assert_ptr_null(err);
}
END_TEST

START_TEST(test_uint_limits)
{
    QapiError *err = NULL;
    char text[64];
    char msg[64];
    uint64_t v;
    size_t t;

    for (t = 0; t < sizeof(uint_types) / sizeof(uint_types[0]); t++) {
        ck_assert(
            read_uint(0, "0", uint_types[t].max, uint_types[t].type, &v, &err));
        ck_assert_uint_eq(v, 0);
        snprintf(text, sizeof(text), "%llu",
                 (unsigned long long)uint_types[t].max);
        ck_assert(read_uint(0, text, uint_types[t].max, uint_types[t].type, &v,
                            &err));
        ck_assert_uint_eq(v, uint_types[t].max);

        snprintf(msg, sizeof(msg), "Parameter '<root>' expects %s",
                 uint_types[t].type);
        ck_assert(!read_uint(0, uint_types[t].above, uint_types[t].max,
                             uint_types[t].type, &v, &err));
        ck_assert_err(err, msg);
        ck_assert(!read_uint(0, "-1", uint_types[t].max, uint_types[t].type, &v,
                             &err));
        ck_assert_err(err, msg);
        ck_assert(!read_uint(0, "99999999999999999999999", uint_types[t].max,
                             uint_types[t].type, &v, &err));
        ck_assert_err(err, msg);
    }
    ck_assert(
        read_uint(0, "18446744073709551615", UINT64_MAX, "uint64", &v, &err));
    ck_assert_uint_eq(v, UINT64_MAX);
    ck_assert(
        read_uint(0, "9223372036854775808", UINT64_MAX, "uint64", &v, &err));
    ck_assert_uint_eq(v, (uint64_t)INT64_MAX + 1);
    ck_assert(read_uint(0, "-0", UINT64_MAX, "uint64", &v, &err));
    ck_assert_uint_eq(v, 0);
    ck_assert_ptr_null(err);
}
END_TEST

START_TEST(test_int_syntax)
{
    QapiError *err = NULL;
    int64_t v;
    uint64_t u;
    static const char *const not_integers[] = {
        "1e2",  "1E2",   "1.0",  "-0.0", "0e0", "1.5",
        "1e-2", "\"1\"", "true", "null", "[1]", "{}",
    };
    size_t i;

    ck_assert(read_int(_i, "-0", -5, 5, "int8", &v, &err));
    ck_assert_int_eq(v, 0);
    ck_assert(read_int(_i, " 42 ", -5, 50, "int8", &v, &err));
    ck_assert_int_eq(v, 42);

    for (i = 0; i < sizeof(not_integers) / sizeof(not_integers[0]); i++) {
        ck_assert(!read_int(_i, not_integers[i], INT64_MIN, INT64_MAX, "int64",
                            &v, &err));
        ck_assert_err(err, "Invalid parameter type for '<root>', expected: "
                           "integer");
        ck_assert(
            !read_uint(_i, not_integers[i], UINT64_MAX, "uint64", &u, &err));
        ck_assert_err(err, "Invalid parameter type for '<root>', expected: "
                           "integer");
    }
    /* Malformed numbers are parse errors. */
    ck_assert(!read_int(0, "01", INT64_MIN, INT64_MAX, "int64", &v, &err));
    ck_assert_err(err, "JSON parse error at byte 0: leading zeros are not "
                       "allowed");
    ck_assert(!read_int(0, "-", INT64_MIN, INT64_MAX, "int64", &v, &err));
    ck_assert_err(err, "JSON parse error at byte 1: unexpected end of input, "
                       "expected a digit");
    ck_assert(!read_int(0, "-x", INT64_MIN, INT64_MAX, "int64", &v, &err));
    ck_assert_err(err, "JSON parse error at byte 1: unexpected 'x', expected "
                       "a digit");
    ck_assert(!read_int(0, "1x", INT64_MIN, INT64_MAX, "int64", &v, &err));
    ck_assert_err(err, "JSON parse error at byte 1: unexpected 'x', expected "
                       "the end of the input");
    ck_assert(!read_uint(0, "+1", UINT64_MAX, "uint64", &u, &err));
    ck_assert_err(err, "JSON parse error at byte 0: unexpected '+', expected "
                       "a value");
    /* A type error on a malformed value reports the parse error. */
    ck_assert(!read_int(0, "[1,]", INT64_MIN, INT64_MAX, "int64", &v, &err));
    ck_assert_err(err, "JSON parse error at byte 3: unexpected ']', expected "
                       "a value");
}
END_TEST

START_TEST(test_int_range_keeps_value)
{
    QapiError *err = NULL;
    QapiInput *in = make_input(_i, "300");
    int64_t v;
    uint64_t u;

    /* Out of range: the value stays unread and can be read otherwise. */
    ck_assert(!qapi_input_int(in, INT8_MIN, INT8_MAX, "int8", &v, &err));
    ck_assert_err(err, "Parameter '<root>' expects int8");
    ck_assert(!qapi_input_uint(in, UINT8_MAX, "uint8", &u, &err));
    ck_assert_err(err, "Parameter '<root>' expects uint8");
    ck_assert(qapi_input_uint(in, UINT16_MAX, "uint16", &u, &err));
    ck_assert_uint_eq(u, 300);
    ck_assert(qapi_input_finish(in, &err));
    qapi_input_free(in);
}
END_TEST

START_TEST(test_json_uint64)
{
    QapiError *err = NULL;
    json_t *v;
    QapiInput *in;
    uint64_t u;
    int64_t i;
    static const char *const bad[] = {
        "9223372036854775807", /* fits int64: written as a number */
        "1",
        "",
        "018446744073709551615",
        "+9223372036854775808",
        "9223372036854775808 ",
        "-9223372036854775809",
        "1e19",
        "0x8000000000000000",
    };
    size_t k;

    /* jansson integers. */
    ck_assert(read_int(1, "-9223372036854775808", INT64_MIN, INT64_MAX, "int64",
                       &i, &err));
    ck_assert_int_eq(i, INT64_MIN);
    ck_assert(
        read_uint(1, "9223372036854775807", UINT64_MAX, "uint64", &u, &err));
    ck_assert_uint_eq(u, INT64_MAX);
    ck_assert(!read_uint(1, "-1", UINT64_MAX, "uint64", &u, &err));
    ck_assert_err(err, "Parameter '<root>' expects uint64");
    ck_assert(!read_int(1, "128", INT8_MIN, INT8_MAX, "int8", &i, &err));
    ck_assert_err(err, "Parameter '<root>' expects int8");

    /* Canonical digit strings above INT64_MAX. */
    ck_assert(read_uint(1, "\"18446744073709551615\"", UINT64_MAX, "uint64", &u,
                        &err));
    ck_assert_uint_eq(u, UINT64_MAX);
    ck_assert(read_uint(1, "\"9223372036854775808\"", UINT64_MAX, "uint64", &u,
                        &err));
    ck_assert_uint_eq(u, (uint64_t)INT64_MAX + 1);
    ck_assert(!read_uint(1, "\"18446744073709551616\"", UINT64_MAX, "uint64",
                         &u, &err));
    ck_assert_err(err, "Parameter '<root>' expects uint64");
    ck_assert(!read_uint(1, "\"9223372036854775808\"", UINT32_MAX, "uint32", &u,
                         &err));
    ck_assert_err(err, "Parameter '<root>' expects uint32");
    /* ... only for uint: */
    ck_assert(!read_int(1, "\"9223372036854775808\"", INT64_MIN, INT64_MAX,
                        "int64", &i, &err));
    ck_assert_err(err, "Invalid parameter type for '<root>', expected: "
                       "integer");
    for (k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
        v = json_string(bad[k]);
        in = qapi_input_new_json(v);
        ck_assert(!qapi_input_uint(in, UINT64_MAX, "uint64", &u, &err));
        ck_assert_err(err, "Invalid parameter type for '<root>', expected: "
                           "integer");
        qapi_input_free(in);
        json_decref(v);
    }
    /* ... and not in text. */
    ck_assert(!read_uint(0, "\"18446744073709551615\"", UINT64_MAX, "uint64",
                         &u, &err));
    ck_assert_err(err, "Invalid parameter type for '<root>', expected: "
                       "integer");
}
END_TEST

/* --- numbers -------------------------------------------------------------- */

static bool read_number(int kind, const char *text, double *d, QapiError **errp)
{
    QapiInput *in = make_input(kind, text);
    bool ok = qapi_input_number(in, d, errp) && qapi_input_finish(in, errp);

    qapi_input_free(in);
    return ok;
}

/* @text read as a number is exactly strtod(@text). */
static void check_number_exact(const char *text)
{
    QapiError *err = NULL;
    double want = strtod(text, NULL);
    double got = 0;

    ck_assert_msg(read_number(0, text, &got, &err), "%s: %s", text,
                  err ? qapi_error_get_pretty(err) : "");
    ck_assert_msg(!memcmp(&got, &want, sizeof(got)), "%s: %.17g != %.17g", text,
                  got, want);
}

START_TEST(test_number)
{
    static const char *const exact[] = {
        "0",
        "-0",
        "1",
        "-1",
        "0.1",
        "0.5",
        "1e2",
        "1E+2",
        "1e-2",
        "-1.5e-7",
        "3.141592653589793",
        "2.718281828459045",
        "0.30000000000000004",
        "1.7976931348623157e308",
        "2.2250738585072014e-308",
        "5e-324",
        "4.9406564584124654e-324",
        "1e-400",
        "123456789012345678901234567890",
        "9007199254740993",
        "18446744073709551615",
        "18446744073709551616",
        "-9223372036854775809",
        "0.000001",
        "1e22",
        "1e23",
        "9007199254740992e22",
        "123.456e-10",
        "0.1e-22",
        "8.5e-23",
        "1234567890123456789e-5",
        "12345678901234567890e-5",
        "0.0000000000000000000000000000001",
        "1.00000000000000011102230246251565404236316680908203125",
        "1.00000000000000011102230246251565404236316680908203124",
    };
    QapiError *err = NULL;
    double d;
    size_t i;

    for (i = 0; i < sizeof(exact) / sizeof(exact[0]); i++) {
        check_number_exact(exact[i]);
    }
    ck_assert(read_number(0, "-0", &d, &err));
    ck_assert(signbit(d));
    ck_assert(read_number(_i, "1", &d, &err));
    ck_assert(d == 1.0);
    ck_assert(read_number(_i, "-2.5", &d, &err));
    ck_assert(d == -2.5);
    ck_assert(read_number(_i, "-9223372036854775808", &d, &err));
    ck_assert(d == -9223372036854775808.0);

    /* Too large for a double. */
    ck_assert(!read_number(0, "1e400", &d, &err));
    ck_assert_err(err, "Parameter '<root>' expects number");
    ck_assert(!read_number(0, "-1e99999999999999999999", &d, &err));
    ck_assert_err(err, "Parameter '<root>' expects number");

    ck_assert(!read_number(_i, "\"1\"", &d, &err));
    ck_assert_err(err, "Invalid parameter type for '<root>', expected: number");
    ck_assert(!read_number(_i, "null", &d, &err));
    ck_assert_err(err, "Invalid parameter type for '<root>', expected: number");

    /* Malformed. */
    ck_assert(!read_number(0, "1.", &d, &err));
    ck_assert_err(err, "JSON parse error at byte 2: unexpected end of input, "
                       "expected a digit after '.'");
    ck_assert(!read_number(0, "1.e5", &d, &err));
    ck_assert_err(err, "JSON parse error at byte 2: unexpected 'e', expected "
                       "a digit after '.'");
    ck_assert(!read_number(0, "1e", &d, &err));
    ck_assert_err(err, "JSON parse error at byte 2: unexpected end of input, "
                       "expected a digit in the exponent");
    ck_assert(!read_number(0, "1e+", &d, &err));
    ck_assert_err(err, "JSON parse error at byte 3: unexpected end of input, "
                       "expected a digit in the exponent");
    ck_assert(!read_number(0, "00.5", &d, &err));
    ck_assert_err(err, "JSON parse error at byte 0: leading zeros are not "
                       "allowed");
    ck_assert(!read_number(0, "-012", &d, &err));
    ck_assert_err(err, "JSON parse error at byte 1: leading zeros are not "
                       "allowed");
    ck_assert(!read_number(0, "NaN", &d, &err));
    ck_assert_err(err, "JSON parse error at byte 0: unexpected 'N', expected "
                       "a value");
    ck_assert(!read_number(0, "-Infinity", &d, &err));
    ck_assert_err(err, "JSON parse error at byte 1: unexpected 'I', expected "
                       "a digit");
}
END_TEST

/* A small deterministic generator for the randomized tests. */
static uint64_t rng_state = 0x9E3779B97F4A7C15u;

static uint64_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

START_TEST(test_number_random)
{
    char text[64];
    int i;

    /* Any double printed with 17 digits reads back bit for bit. */
    for (i = 0; i < 3000; i++) {
        uint64_t bits = rng();
        double d;

        memcpy(&d, &bits, sizeof(d));
        if (!isfinite(d)) {
            continue;
        }
        snprintf(text, sizeof(text), "%.17g", d);
        check_number_exact(text);
    }
    /* Short decimals, where the fast path applies, agree with strtod. */
    for (i = 0; i < 3000; i++) {
        unsigned long long m = rng() % 100000000000000000ull;
        int frac = (int)(rng() % 20);
        int e = (int)(rng() % 61) - 30;
        int len = snprintf(text, sizeof(text), "%llu", m);

        if (frac && frac < len) {
            memmove(text + len - frac + 1, text + len - frac, (size_t)frac + 1);
            text[len - frac] = '.';
        }
        if (rng() & 1) {
            snprintf(text + strlen(text), 16, "e%d", e);
        }
        check_number_exact(text);
    }
}
END_TEST

/* --- other scalars -------------------------------------------------------- */

START_TEST(test_bool)
{
    QapiError *err = NULL;
    QapiInput *in = make_input(_i, "[true, false, 1, \"true\"]");
    bool b = false;

    ck_assert(qapi_input_start_array(in, &err));
    ck_assert_int_eq(qapi_input_next_element(in, &err), 1);
    ck_assert(qapi_input_bool(in, &b, &err));
    ck_assert(b);
    ck_assert_int_eq(qapi_input_next_element(in, &err), 1);
    ck_assert(qapi_input_bool(in, &b, &err));
    ck_assert(!b);
    ck_assert_int_eq(qapi_input_next_element(in, &err), 1);
    ck_assert(!qapi_input_bool(in, &b, &err));
    ck_assert_err(err, "Invalid parameter type for '[2]', expected: boolean");
    ck_assert_int_eq(qapi_input_next_element(in, &err), 1);
    ck_assert(!qapi_input_bool(in, &b, &err));
    ck_assert_err(err, "Invalid parameter type for '[3]', expected: boolean");
    qapi_input_free(in);

    if (_i == 0) {
        static const char *const bad[] = {"tru", "truE", "fals", "t", "f"};
        size_t i;

        for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
            in = make_input(0, bad[i]);
            ck_assert(!qapi_input_bool(in, &b, &err));
            ck_assert_err(err, "JSON parse error at byte 0: invalid literal");
            qapi_input_free(in);
        }
        in = make_input(0, "truex");
        ck_assert(qapi_input_bool(in, &b, &err));
        ck_assert(!qapi_input_finish(in, &err));
        ck_assert_err(err, "JSON parse error at byte 4: unexpected 'x', "
                           "expected the end of the input");
        qapi_input_free(in);
    }
}
END_TEST

START_TEST(test_null)
{
    QapiError *err = NULL;
    QapiInput *in = make_input(_i, "{\"a\": null, \"b\": 0}");
    const char *key;

    ck_assert(qapi_input_start_object(in, &err));
    ck_assert_int_eq(qapi_input_next_member(in, &key, &err), 1);
    ck_assert(qapi_input_null(in, &err));
    ck_assert_int_eq(qapi_input_next_member(in, &key, &err), 1);
    ck_assert(!qapi_input_null(in, &err));
    ck_assert_err(err, "Invalid parameter type for 'b', expected: null");
    qapi_input_free(in);

    if (_i == 0) {
        in = make_input(0, "nul");
        ck_assert(!qapi_input_null(in, &err));
        ck_assert_err(err, "JSON parse error at byte 0: invalid literal");
        qapi_input_free(in);
    }
}
END_TEST

static char *read_str(int kind, const char *text, QapiError **errp)
{
    QapiInput *in = make_input(kind, text);
    char *s = NULL;

    if (!qapi_input_str(in, &s, errp) || !qapi_input_finish(in, errp)) {
        free(s);
        s = NULL;
    }
    qapi_input_free(in);
    return s;
}

static void check_str(int kind, const char *text, const char *want)
{
    QapiError *err = NULL;
    char *s = read_str(kind, text, &err);

    ck_assert_msg(s != NULL, "%s: %s", text,
                  err ? qapi_error_get_pretty(err) : "");
    ck_assert_str_eq(s, want);
    free(s);
}

static void check_str_error(const char *text, const char *msg)
{
    QapiError *err = NULL;
    char *s = read_str(0, text, &err);

    ck_assert_ptr_null(s);
    ck_assert_err(err, msg);
}

START_TEST(test_str)
{
    char big[5000];
    char *want;

    check_str(_i, "\"\"", "");
    check_str(_i, "\"plain\"", "plain");
    check_str(_i, "\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t\"",
              "\" \\ / \b \f \n \r \t");
    check_str(_i, "\"\\u0041\\u00e9\\u20AC\\uFFFF\"",
              "A\xc3\xa9\xe2\x82\xac\xef\xbf\xbf");
    check_str(_i, "\"\\ud83d\\ude00 \\uDBFF\\uDFFF\"",
              "\xf0\x9f\x98\x80 \xf4\x8f\xbf\xbf");
    check_str(_i, "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\x7f\"",
              "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\x7f");
    check_str(_i, "\"\xed\x9f\xbf\xee\x80\x80\xf4\x8f\xbf\xbf\"",
              "\xed\x9f\xbf\xee\x80\x80\xf4\x8f\xbf\xbf");

    /* Longer than the scratch buffer, with escapes in it. */
    memset(big, 'a', sizeof(big));
    big[0] = '"';
    memcpy(big + 3000, "\\n\\u00e9", 8);
    big[sizeof(big) - 2] = '"';
    big[sizeof(big) - 1] = '\0';
    want = malloc(sizeof(big));
    memset(want, 'a', sizeof(big));
    memcpy(want + 2999, "\n\xc3\xa9", 3);
    want[sizeof(big) - 2 - 1 - 5] = '\0';
    if (_i == 0) {
        check_str(0, big, want);
    }
    free(want);

    if (_i == 1) {
        return;
    }
    check_str_error("\"abc", "JSON parse error at byte 4: unterminated string");
    check_str_error("\"abc\\", "JSON parse error at byte 4: unterminated "
                               "string");
    check_str_error("\"a\x01\"", "JSON parse error at byte 2: control "
                                 "character in string");
    check_str_error("\"a\nb\"", "JSON parse error at byte 2: control "
                                "character in string");
    check_str_error("\"\x1f\"", "JSON parse error at byte 1: control "
                                "character in string");
    check_str_error("\"\\x\"", "JSON parse error at byte 1: invalid escape");
    check_str_error("\"\\'\"", "JSON parse error at byte 1: invalid escape");
    check_str_error("\"\\u12\"", "JSON parse error at byte 1: invalid \\u "
                                 "escape");
    check_str_error("\"\\u12g4\"", "JSON parse error at byte 1: invalid \\u "
                                   "escape");
    check_str_error("\"\\u0000\"", "JSON parse error at byte 1: \\u0000 is "
                                   "not supported in strings");
    check_str_error("\"x\\ud800\"", "JSON parse error at byte 2: lone high "
                                    "surrogate");
    check_str_error("\"\\ud800\\u0041\"", "JSON parse error at byte 1: lone "
                                          "high surrogate");
    check_str_error("\"\\ud800\\ud800\"", "JSON parse error at byte 1: lone "
                                          "high surrogate");
    check_str_error("\"\\udc00\"", "JSON parse error at byte 1: lone low "
                                   "surrogate");
    check_str_error("\"\\udfff\\ud800\"", "JSON parse error at byte 1: lone "
                                          "low surrogate");
    /* Invalid UTF-8: stray continuation, overlong forms, surrogates,
     * beyond U+10FFFF, bad lead bytes, truncated sequences. */
    check_str_error("\"\x80\"", "JSON parse error at byte 1: invalid UTF-8");
    check_str_error("\"\xbf\"", "JSON parse error at byte 1: invalid UTF-8");
    check_str_error("\"\xc0\x80\"", "JSON parse error at byte 1: invalid "
                                    "UTF-8");
    check_str_error("\"\xc1\xbf\"", "JSON parse error at byte 1: invalid "
                                    "UTF-8");
    check_str_error("\"\xe0\x80\x80\"", "JSON parse error at byte 1: invalid "
                                        "UTF-8");
    check_str_error("\"\xe0\x9f\xbf\"", "JSON parse error at byte 1: invalid "
                                        "UTF-8");
    check_str_error("\"\xed\xa0\x80\"", "JSON parse error at byte 1: invalid "
                                        "UTF-8");
    check_str_error("\"\xed\xbf\xbf\"", "JSON parse error at byte 1: invalid "
                                        "UTF-8");
    check_str_error("\"\xf0\x80\x80\x80\"", "JSON parse error at byte 1: "
                                            "invalid UTF-8");
    check_str_error("\"\xf0\x8f\xbf\xbf\"", "JSON parse error at byte 1: "
                                            "invalid UTF-8");
    check_str_error("\"\xf4\x90\x80\x80\"", "JSON parse error at byte 1: "
                                            "invalid UTF-8");
    check_str_error("\"\xf5\x80\x80\x80\"", "JSON parse error at byte 1: "
                                            "invalid UTF-8");
    check_str_error("\"\xff\"", "JSON parse error at byte 1: invalid UTF-8");
    check_str_error("\"\xfe\"", "JSON parse error at byte 1: invalid UTF-8");
    check_str_error("\"a\xc3\"", "JSON parse error at byte 2: invalid UTF-8");
    check_str_error("\"a\xe2\x82\"", "JSON parse error at byte 2: invalid "
                                     "UTF-8");
    check_str_error("\"a\xe2\x82x\"", "JSON parse error at byte 2: invalid "
                                      "UTF-8");
    check_str_error("\"\xf0\x9f\x98\"", "JSON parse error at byte 1: invalid "
                                        "UTF-8");
    check_str_error("'single'", "JSON parse error at byte 0: unexpected "
                                "''', expected a value");
}
END_TEST

START_TEST(test_str_type)
{
    QapiError *err = NULL;
    char *s = read_str(_i, "1", &err);

    ck_assert_ptr_null(s);
    ck_assert_err(err, "Invalid parameter type for '<root>', expected: "
                       "string");
    s = read_str(_i, "{\"a\": 1}", &err);
    ck_assert_ptr_null(s);
    ck_assert_err(err, "Invalid parameter type for '<root>', expected: "
                       "string");
}
END_TEST

START_TEST(test_json_str_nul)
{
    QapiError *err = NULL;
    json_t *v = json_stringn("a\0b", 3);
    QapiInput *in = qapi_input_new_json(v);
    char *s;
    int e;
    static const char *const names[] = {"a"};
    static const QapiEnumLookup lookup = {names, 1};

    ck_assert(!qapi_input_str(in, &s, &err));
    ck_assert_err(err, "Parameter '<root>' contains a NUL character");
    ck_assert(!qapi_input_enum(in, &lookup, &e, &err));
    ck_assert_err(err, "Parameter '<root>' contains a NUL character");
    qapi_input_free(in);

    /* find_string refuses it as well. */
    json_decref(v);
    v = json_pack("{s:s#}", "type", "a\0b", (int)3);
    in = qapi_input_new_json(v);
    ck_assert(qapi_input_start_object(in, &err));
    {
        const char *found;

        ck_assert_int_eq(qapi_input_find_string(in, "type", &found, &err), -1);
        ck_assert_err(err, "Invalid parameter type for 'type', expected: "
                           "string");
    }
    qapi_input_free(in);
    json_decref(v);
}
END_TEST

static const char *const color_names[] = {"red", "green", NULL, "blue"};
static const QapiEnumLookup color_lookup = {color_names, 4};

START_TEST(test_enum)
{
    QapiError *err = NULL;
    QapiInput *in = make_input(
        _i, "{\"c\": [\"blue\", \"red\", \"purple\", \"\", 2, \"Red\"]}");
    const char *key;
    int v = -1;

    ck_assert(qapi_input_start_object(in, &err));
    ck_assert_int_eq(qapi_input_next_member(in, &key, &err), 1);
    ck_assert(qapi_input_start_array(in, &err));
    ck_assert_int_eq(qapi_input_next_element(in, &err), 1);
    ck_assert(qapi_input_enum(in, &color_lookup, &v, &err));
    ck_assert_int_eq(v, 3);
    ck_assert_int_eq(qapi_input_next_element(in, &err), 1);
    ck_assert(qapi_input_enum(in, &color_lookup, &v, &err));
    ck_assert_int_eq(v, 0);
    ck_assert_int_eq(qapi_input_next_element(in, &err), 1);
    ck_assert(!qapi_input_enum(in, &color_lookup, &v, &err));
    ck_assert_err(err, "Parameter 'c[2]' does not accept value 'purple'");
    ck_assert_int_eq(qapi_input_next_element(in, &err), 1);
    ck_assert(!qapi_input_enum(in, &color_lookup, &v, &err));
    ck_assert_err(err, "Parameter 'c[3]' does not accept value ''");
    ck_assert_int_eq(qapi_input_next_element(in, &err), 1);
    ck_assert(!qapi_input_enum(in, &color_lookup, &v, &err));
    ck_assert_err(err, "Invalid parameter type for 'c[4]', expected: string");
    ck_assert(qapi_input_skip(in, &err));
    ck_assert_int_eq(qapi_input_next_element(in, &err), 1);
    ck_assert(!qapi_input_enum(in, &color_lookup, &v, &err));
    ck_assert_err(err, "Parameter 'c[5]' does not accept value 'Red'");
    ck_assert_int_eq(qapi_input_next_element(in, &err), 0);
    qapi_input_end_array(in);
    qapi_input_end_object(in);
    ck_assert(qapi_input_finish(in, &err));
    qapi_input_free(in);
}
END_TEST

/* --- any ------------------------------------------------------------------ */

START_TEST(test_any)
{
    static const char *const texts[] = {
        "null",
        "true",
        "false",
        "0",
        "-0",
        "-9223372036854775808",
        "9223372036854775807",
        "1.5",
        "1e2",
        "\"s\\u00e9\"",
        "[]",
        "{}",
        "[1, [2, [3, {}]], {\"a\": {\"b\": [null]}}]",
        "{\"k\": \"v\", \"n\": {\"x\": 1.25, \"y\": [true, false]}}",
    };
    QapiError *err = NULL;
    size_t i;

    for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
        QapiInput *in = make_input(_i, texts[i]);
        json_t *want = json_loads(texts[i], JSON_DECODE_ANY, NULL);
        json_t *got = NULL;

        ck_assert(qapi_input_any(in, &got, &err));
        ck_assert_msg(json_equal(got, want), "%s", texts[i]);
        ck_assert(qapi_input_finish(in, &err));
        qapi_input_free(in);
        json_decref(got);
        json_decref(want);
    }
    ck_assert_ptr_null(err);
}
END_TEST

START_TEST(test_any_errors)
{
    QapiError *err = NULL;
    QapiInput *in;
    const char *key;
    json_t *v;

    ck_assert_ptr_null(
        any_text("18446744073709551615", strlen("18446744073709551615"), &err));
    ck_assert_err(err, "Parameter '<root>' is out of int64 range");
    ck_assert_ptr_null(
        any_text("-9223372036854775809", strlen("-9223372036854775809"), &err));
    ck_assert_err(err, "Parameter '<root>' is out of int64 range");
    ck_assert_ptr_null(any_text("1e999", strlen("1e999"), &err));
    ck_assert_err(err, "Parameter '<root>' expects number");
    ck_assert_ptr_null(
        any_text("{\"a\": 1, \"b\": {\"c\": 2, \"c\": 3}}",
                 strlen("{\"a\": 1, \"b\": {\"c\": 2, \"c\": 3}}"), &err));
    ck_assert_err(err, "Parameter 'b.c' is duplicated");
    ck_assert_ptr_null(
        any_text("[1, 2, [0, {\"x\": 18446744073709551616}]]",
                 strlen("[1, 2, [0, {\"x\": 18446744073709551616}]]"), &err));
    ck_assert_err(err, "Parameter '[2][1].x' is out of int64 range");
    ck_assert_ptr_null(any_text("[1, 2,]", strlen("[1, 2,]"), &err));
    ck_assert_err(err, "JSON parse error at byte 6: unexpected ']', expected "
                       "a value");
    ck_assert_ptr_null(any_text("{\"a\" 1}", strlen("{\"a\" 1}"), &err));
    ck_assert_err(err, "JSON parse error at byte 5: unexpected '1', expected "
                       "':'");
    ck_assert_ptr_null(
        any_text("{\"a\": 1 \"b\": 2}", strlen("{\"a\": 1 \"b\": 2}"), &err));
    ck_assert_err(err, "JSON parse error at byte 8: unexpected '\"', "
                       "expected ',' or '}'");
    ck_assert_ptr_null(any_text("{1: 2}", strlen("{1: 2}"), &err));
    ck_assert_err(err, "JSON parse error at byte 1: unexpected '1', expected "
                       "a string");

    /* The path of the member holding the value comes first. */
    in = make_input(0, "{\"args\": {\"deep\": [99999999999999999999]}}");
    ck_assert(qapi_input_start_object(in, &err));
    ck_assert_int_eq(qapi_input_next_member(in, &key, &err), 1);
    ck_assert(!qapi_input_any(in, &v, &err));
    ck_assert_err(err, "Parameter 'args.deep[0]' is out of int64 range");
    /* A value error leaves the value unread. */
    ck_assert(qapi_input_skip(in, &err));
    qapi_input_end_object(in);
    ck_assert(qapi_input_finish(in, &err));
    qapi_input_free(in);
}
END_TEST

START_TEST(test_any_json_shares)
{
    QapiError *err = NULL;
    json_t *root = json_pack("{s:[i,i]}", "a", 1, 2);
    QapiInput *in = qapi_input_new_json(root);
    const char *key;
    json_t *v;

    ck_assert(qapi_input_start_object(in, &err));
    ck_assert_int_eq(qapi_input_next_member(in, &key, &err), 1);
    ck_assert(qapi_input_any(in, &v, &err));
    ck_assert_ptr_eq(v, json_object_get(root, "a"));
    ck_assert_int_eq(v->refcount, 2);
    qapi_input_end_object(in);
    qapi_input_free(in);
    json_decref(root);
    ck_assert_int_eq(json_array_size(v), 2);
    json_decref(v);
}
END_TEST

/* --- skip ----------------------------------------------------------------- */

START_TEST(test_skip)
{
    QapiError *err = NULL;
    /* jansson cannot load the big integer. */
    QapiInput *in = make_input(
        _i, _i == 0 ? "[{\"a\": [1, 2.5e3, -0, \"x\\\"\", {\"b\": {}}], "
                      "\"c\": null}, true, false, [], \"\\ud83d\\ude00\", "
                      "18446744073709551616]"
                    : "[{\"a\": [1, 2.5e3, -0, \"x\\\"\", {\"b\": {}}], "
                      "\"c\": null}, true, false, [], \"\\ud83d\\ude00\", 1]");
    int64_t v;
    int n = 0;

    ck_assert(qapi_input_start_array(in, &err));
    while (qapi_input_next_element(in, &err) > 0) {
        ck_assert(qapi_input_skip(in, &err));
        n++;
    }
    qapi_input_end_array(in);
    ck_assert_int_eq(n, 6);
    ck_assert(qapi_input_finish(in, &err));
    ck_assert_ptr_null(err);
    ck_assert(!qapi_input_skip(in, &err)); /* nothing left */
    ck_assert_err(err, "Parameter '<root>' is missing");
    qapi_input_free(in);

    if (_i == 1) {
        return;
    }
    static const struct {
        const char *text;
        const char *msg;
    } bad[] = {
        {"[1, 2", "JSON parse error at byte 5: unexpected end of input, "
                  "expected ',' or ']'"},
        {"[1 2]", "JSON parse error at byte 3: unexpected '2', expected ',' "
                  "or ']'"},
        {"{\"a\": 1,}", "JSON parse error at byte 8: unexpected '}', expected "
                        "a string"},
        {"{,}", "JSON parse error at byte 1: unexpected ',', expected a "
                "string"},
        {"[,]", "JSON parse error at byte 1: unexpected ',', expected a "
                "value"},
        {"{\"a\": 1]", "JSON parse error at byte 7: unexpected ']', expected "
                       "',' or '}'"},
        {"[1}", "JSON parse error at byte 2: unexpected '}', expected ',' or "
                "']'"},
        {"{a: 1}", "JSON parse error at byte 1: unexpected 'a', expected a "
                   "string"},
        {"/* c */ 1", "JSON parse error at byte 0: unexpected '/', expected a "
                      "value"},
        {"[1, // c\n 2]", "JSON parse error at byte 4: unexpected '/', "
                          "expected a value"},
        {"\x01", "JSON parse error at byte 0: unexpected byte 0x01, expected "
                 "a value"},
        {"[\"a\" \"b\"]", "JSON parse error at byte 5: unexpected '\"', "
                          "expected ',' or ']'"},
        {"\xef\xbb\xbf[]", "JSON parse error at byte 0: unexpected byte 0xef, "
                           "expected a value"},
        {"[\f]", "JSON parse error at byte 1: unexpected byte 0x0c, expected "
                 "a value"},
        {"{\"a\":}", "JSON parse error at byte 5: unexpected '}', expected a "
                     "value"},
    };
    size_t i;

    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        ck_assert_msg(!skip_text(bad[i].text, strlen(bad[i].text), &err), "%s",
                      bad[i].text);
        ck_assert_err(err, bad[i].msg);
        /* The walk and any agree. */
        ck_assert_ptr_null(walk_text(bad[i].text, strlen(bad[i].text), &err));
        ck_assert_err(err, bad[i].msg);
        ck_assert_ptr_null(any_text(bad[i].text, strlen(bad[i].text), &err));
        ck_assert_err(err, bad[i].msg);
    }
    (void)v;
}
END_TEST

START_TEST(test_parse_error_sticky)
{
    QapiError *err = NULL;
    QapiInput *in = make_input(0, "[1, x, 3]");
    const char *msg = "JSON parse error at byte 4: unexpected 'x', expected "
                      "a value";
    int64_t v;
    const char *key;

    ck_assert(qapi_input_start_array(in, &err));
    ck_assert_int_eq(qapi_input_next_element(in, &err), 1);
    ck_assert_int_eq(qapi_input_next_element(in, &err), 1);
    ck_assert_int_eq(qapi_input_peek(in), QAPI_JSON_INVALID);
    ck_assert(!qapi_input_int(in, 0, 9, "int", &v, &err));
    ck_assert_err(err, msg);
    /* Every later call fails the same way. */
    ck_assert_int_eq(qapi_input_peek(in), QAPI_JSON_INVALID);
    ck_assert_int_eq(qapi_input_next_element(in, &err), -1);
    ck_assert_err(err, msg);
    ck_assert(!qapi_input_skip(in, &err));
    ck_assert_err(err, msg);
    ck_assert_int_eq(qapi_input_next_member(in, &key, &err), -1);
    ck_assert_err(err, msg);
    qapi_input_end_array(in);
    ck_assert(!qapi_input_finish(in, &err));
    ck_assert_err(err, msg);
    qapi_input_free(in);
}
END_TEST

/* --- error messages ------------------------------------------------------- */

START_TEST(test_error_paths)
{
    QapiError *err = NULL;
    QapiInput *in = make_input(
        _i, "{\"a\": {\"b\": [0, {\"c\": 1}]}, \"q\\\"\\u00e9\": {\"r\": 2}}");
    const char *key;

    /* At the root. */
    qapi_input_error_type(in, "object", &err);
    ck_assert_err(err, "Invalid parameter type for '<root>', expected: object");
    qapi_input_error_value(in, "v", &err);
    ck_assert_err(err, "Parameter '<root>' does not accept value 'v'");
    qapi_input_error_missing(in, "m", &err);
    ck_assert_err(err, "Parameter 'm' is missing");

    ck_assert(qapi_input_start_object(in, &err));
    qapi_input_error_missing(in, "m", &err);
    ck_assert_err(err, "Parameter 'm' is missing");
    ck_assert_int_eq(qapi_input_next_member(in, &key, &err), 1);
    qapi_input_error_unexpected(in, &err);
    ck_assert_err(err, "Parameter 'a' is unexpected");
    ck_assert(qapi_input_start_object(in, &err));
    qapi_input_error_missing(in, "m", &err);
    ck_assert_err(err, "Parameter 'a.m' is missing");
    ck_assert_int_eq(qapi_input_next_member(in, &key, &err), 1);
    ck_assert(qapi_input_start_array(in, &err));
    qapi_input_error_missing(in, "m", &err);
    ck_assert_err(err, "Parameter 'a.b.m' is missing");
    ck_assert_int_eq(qapi_input_next_element(in, &err), 1);
    qapi_input_error_type(in, "Foo", &err);
    ck_assert_err(err, "Invalid parameter type for 'a.b[0]', expected: Foo");
    ck_assert_int_eq(qapi_input_next_element(in, &err), 1);
    ck_assert(qapi_input_start_object(in, &err));
    ck_assert_int_eq(qapi_input_next_member(in, &key, &err), 1);
    qapi_input_error_duplicate(in, &err);
    ck_assert_err(err, "Parameter 'a.b[1].c' is duplicated");
    qapi_input_error_unexpected(in, &err);
    ck_assert_err(err, "Parameter 'a.b[1].c' is unexpected");
    qapi_input_error_value(in, "it's", &err);
    ck_assert_err(err, "Parameter 'a.b[1].c' does not accept value 'it's'");
    qapi_input_error_type(in, "string", &err);
    ck_assert_err(err, "Invalid parameter type for 'a.b[1].c', expected: "
                       "string");
    ck_assert_int_eq(qapi_input_next_member(in, &key, &err), 0);
    /* At the end of an object, its own path. */
    qapi_input_error_missing(in, "d", &err);
    ck_assert_err(err, "Parameter 'a.b[1].d' is missing");
    qapi_input_error_type(in, "Foo", &err);
    ck_assert_err(err, "Invalid parameter type for 'a.b[1]', expected: Foo");
    qapi_input_end_object(in);
    /* After leaving: the path of the object just read. */
    qapi_input_error_value(in, "x", &err);
    ck_assert_err(err, "Parameter 'a.b[1]' does not accept value 'x'");
    ck_assert_int_eq(qapi_input_next_element(in, &err), 0);
    qapi_input_error_missing(in, "m", &err);
    ck_assert_err(err, "Parameter 'a.b.m' is missing");
    qapi_input_end_array(in);
    qapi_input_end_object(in);
    /* Escaped names are decoded in paths. */
    ck_assert_int_eq(qapi_input_next_member(in, &key, &err), 1);
    ck_assert_str_eq(key, "q\"\xc3\xa9");
    ck_assert(qapi_input_start_object(in, &err));
    ck_assert_int_eq(qapi_input_next_member(in, &key, &err), 1);
    qapi_input_error_unexpected(in, &err);
    ck_assert_err(err, "Parameter 'q\"\xc3\xa9.r' is unexpected");
    qapi_input_end_object(in);
    qapi_input_end_object(in);
    ck_assert(qapi_input_finish(in, &err));

    /* errp may be NULL; an error already set is kept. */
    qapi_input_error_missing(in, "x", NULL);
    qapi_input_error_unexpected(in, NULL);
    qapi_input_error_duplicate(in, NULL);
    qapi_input_error_type(in, "x", NULL);
    qapi_input_error_value(in, "x", NULL);
    qapi_error_setg(&err, "first");
    qapi_input_error_missing(in, "x", &err);
    qapi_input_error_unexpected(in, &err);
    qapi_input_error_duplicate(in, &err);
    qapi_input_error_type(in, "x", &err);
    qapi_input_error_value(in, "x", &err);
    ck_assert_err(err, "first");
    qapi_input_free(in);
}
END_TEST

/* --- depth ---------------------------------------------------------------- */

/* @n arrays nested, "[[[...]]]", malloc'ed. */
static char *nested_arrays(size_t n)
{
    char *s = malloc(2 * n + 1);

    memset(s, '[', n);
    memset(s + n, ']', n);
    s[2 * n] = '\0';
    return s;
}

START_TEST(test_depth_limit)
{
    QapiError *err = NULL;
    char *ok = nested_arrays(1024);
    char *deep = nested_arrays(1025);
    const char *msg = "JSON parse error at byte 1024: nesting deeper than "
                      "1024 levels";
    json_t *v;
    char *s;
    QapiInput *in;
    size_t i;

    ck_assert(skip_text(ok, strlen(ok), &err));
    v = any_text(ok, strlen(ok), &err);
    ck_assert_ptr_nonnull(v);
    json_decref(v);
    s = walk_text(ok, strlen(ok), &err);
    ck_assert_str_eq(s, ok);
    free(s);
    ck_assert_ptr_null(err);

    ck_assert(!skip_text(deep, strlen(deep), &err));
    ck_assert_err(err, msg);
    ck_assert_ptr_null(any_text(deep, strlen(deep), &err));
    ck_assert_err(err, msg);
    ck_assert_ptr_null(walk_text(deep, strlen(deep), &err));
    ck_assert_err(err, msg);

    /* The limit counts the levels the walk has entered. */
    in = qapi_input_new_text(deep, strlen(deep));
    for (i = 0; i < 1000; i++) {
        ck_assert(qapi_input_start_array(in, &err));
        ck_assert_int_eq(qapi_input_next_element(in, &err), 1);
    }
    ck_assert(!qapi_input_skip(in, &err));
    ck_assert_err(err, msg);
    qapi_input_free(in);

    in = qapi_input_new_text(deep, strlen(deep));
    for (i = 0; i < 1000; i++) {
        ck_assert(qapi_input_start_array(in, &err));
        ck_assert_int_eq(qapi_input_next_element(in, &err), 1);
    }
    ck_assert(!qapi_input_any(in, &v, &err));
    ck_assert_err(err, msg);
    qapi_input_free(in);

    /* Objects count the same. */
    free(deep);
    deep = malloc(1025 * 6 + 2);
    for (i = 0; i < 1025; i++) {
        memcpy(deep + 5 * i, "{\"a\":", 5);
    }
    memcpy(deep + 5 * 1025, "1", 1);
    memset(deep + 5 * 1025 + 1, '}', 1025);
    deep[1025 * 6 + 1] = '\0';
    ck_assert(!skip_text(deep, strlen(deep), &err));
    ck_assert_err(err, "JSON parse error at byte 5120: nesting deeper than "
                       "1024 levels");
    /* One level less is fine. */
    ck_assert(skip_text(deep + 5, strlen(deep) - 6, &err));
    ck_assert_ptr_null(err);

    free(ok);
    free(deep);
}
END_TEST

START_TEST(test_depth_limit_json)
{
    QapiError *err = NULL;
    json_t *root = json_array();
    json_t *a = root;
    QapiInput *in;
    size_t i;

    for (i = 1; i < 1024; i++) {
        json_t *b = json_array();

        json_array_append_new(a, b);
        a = b;
    }
    /* 1024 levels: fine. */
    in = qapi_input_new_json(root);
    ck_assert_msg(walk_value(in, NULL, &err), "%s",
                  err ? qapi_error_get_pretty(err) : "");
    ck_assert(qapi_input_finish(in, &err));
    qapi_input_free(in);
    ck_assert_ptr_null(err);

    json_array_append_new(a, json_array());
    in = qapi_input_new_json(root);
    ck_assert(!walk_value(in, NULL, &err));
    ck_assert_ptr_nonnull(err);
    ck_assert_ptr_nonnull(
        strstr(qapi_error_get_pretty(err), "' nests deeper than 1024 levels"));
    ck_assert(!strncmp(qapi_error_get_pretty(err), "Parameter '[0][0][0]", 20));
    qapi_error_free(err);
    qapi_input_free(in);
    json_decref(root);
}
END_TEST

/* --- robustness ----------------------------------------------------------- */

static const char sample[] =
    "{\"name\": \"vm\\u00e9\\ud83d\\ude00x\xc3\xa9\", \"id\": -12, "
    "\"big\": 18446744073709551615, \"pi\": 3.25e-1, \"ok\": true, "
    "\"no\": false, \"nil\": null, "
    "\"list\": [1, [], {}, {\"a\": [2, 3.5]}], \"esc\": \"a\\\\b\\\"c\\n\"}";

/* Run every reader over @text (@len bytes, not NUL-terminated). */
static void read_all_ways(const char *text, size_t len, bool expect_ok)
{
    QapiError *err = NULL;
    char *s;
    json_t *v;
    bool ok;

    s = walk_text(text, len, &err);
    ck_assert_int_eq(s != NULL, expect_ok);
    ck_assert_int_eq(err == NULL, expect_ok);
    free(s);
    qapi_error_free(err);
    err = NULL;

    ok = skip_text(text, len, &err);
    ck_assert_int_eq(ok, expect_ok);
    qapi_error_free(err);
    err = NULL;

    v = any_text(text, len, &err);
    /* "big" does not fit jansson: any always fails on the sample. */
    ck_assert_ptr_null(v);
    ck_assert_ptr_nonnull(err);
    qapi_error_free(err);
}

START_TEST(test_truncated)
{
    size_t len = strlen(sample);
    size_t n;

    read_all_ways(sample, len, true);
    for (n = 0; n < len; n++) {
        /* An exact-size heap copy, so that reading past it is caught by
         * valgrind and the address sanitizer. */
        char *copy = malloc(n ? n : 1);

        memcpy(copy, sample, n);
        read_all_ways(copy, n, false);
        free(copy);
    }
}
END_TEST

START_TEST(test_mutated)
{
    static const char replacements[] = {
        '\0', '"', '\\', '{', '}',        '[',        ']', ',',
        ':',  '0', '-',  'e', (char)0xff, (char)0xc3, '\n'};
    size_t len = strlen(sample);
    char *copy = malloc(len);
    size_t n;
    size_t r;

    for (n = 0; n < len; n++) {
        for (r = 0; r < sizeof(replacements); r++) {
            QapiError *err = NULL;
            char *s;
            json_t *v;

            memcpy(copy, sample, len);
            copy[n] = replacements[r];
            /* Must not crash; the result may be valid or not. */
            s = walk_text(copy, len, &err);
            free(s);
            qapi_error_free(err);
            err = NULL;
            skip_text(copy, len, &err);
            qapi_error_free(err);
            err = NULL;
            v = any_text(copy, len, &err);
            json_decref(v);
            qapi_error_free(err);
        }
    }
    free(copy);
}
END_TEST

static Suite *input_suite(void)
{
    Suite *s = suite_create("input");
    TCase *tc = tcase_create("api");
    TCase *tc_robust = tcase_create("robustness");

    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_add_test(tc, test_new_text);
    tcase_add_test(tc, test_new_json);
    tcase_add_test(tc, test_finish);
    tcase_add_loop_test(tc, test_peek, 0, 2);
    tcase_add_loop_test(tc, test_start_object, 0, 2);
    tcase_add_loop_test(tc, test_next_member, 0, 2);
    tcase_add_loop_test(tc, test_next_member_skips_unread, 0, 2);
    tcase_add_loop_test(tc, test_end_object, 0, 2);
    tcase_add_loop_test(tc, test_find_string, 0, 2);
    tcase_add_loop_test(tc, test_arrays, 0, 2);
    tcase_add_test(tc, test_int_limits);
    tcase_add_test(tc, test_uint_limits);
    tcase_add_loop_test(tc, test_int_syntax, 0, 2);
    tcase_add_loop_test(tc, test_int_range_keeps_value, 0, 2);
    tcase_add_test(tc, test_json_uint64);
    tcase_add_loop_test(tc, test_number, 0, 2);
    tcase_add_test(tc, test_number_random);
    tcase_add_loop_test(tc, test_bool, 0, 2);
    tcase_add_loop_test(tc, test_null, 0, 2);
    tcase_add_loop_test(tc, test_str, 0, 2);
    tcase_add_loop_test(tc, test_str_type, 0, 2);
    tcase_add_test(tc, test_json_str_nul);
    tcase_add_loop_test(tc, test_enum, 0, 2);
    tcase_add_loop_test(tc, test_any, 0, 2);
    tcase_add_test(tc, test_any_errors);
    tcase_add_test(tc, test_any_json_shares);
    tcase_add_loop_test(tc, test_skip, 0, 2);
    tcase_add_test(tc, test_parse_error_sticky);
    tcase_add_loop_test(tc, test_error_paths, 0, 2);
    tcase_add_test(tc, test_depth_limit);
    tcase_add_test(tc, test_depth_limit_json);
    suite_add_tcase(s, tc);

    tcase_set_timeout(tc_robust, 120);
    tcase_add_test(tc_robust, test_truncated);
    tcase_add_test(tc_robust, test_mutated);
    suite_add_tcase(s, tc_robust);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(input_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
