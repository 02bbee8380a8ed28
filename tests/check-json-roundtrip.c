/*
 * check-json-roundtrip.c - values crossing between the two inputs and the
 * two outputs unchanged, and agreement with jansson's own parser.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "qapi/input.h"
#include "qapi/output.h"
#include "qapi/util.h"

#include "check-walk.h"

/*
 * Documents and what they become through jansson: uint64 values above
 * INT64_MAX are digit strings there (see qapi/output.h), which a walk
 * that does not know the schema reads back as strings.
 */
static const struct {
    const char *text;
    const char *via_json;
} docs[] = {
    {"{\"name\":\"vm0\",\"id\":-12,\"big\":18446744073709551615,"
     "\"edge\":9223372036854775808,\"min\":-9223372036854775808,"
     "\"pi\":3.25,\"ok\":true,\"nil\":null,\"list\":[1,2.5,\"x\",[true]],"
     "\"s\":\"caf\xc3\xa9\\n\\u0001\"}",
     "{\"name\":\"vm0\",\"id\":-12,\"big\":\"18446744073709551615\","
     "\"edge\":\"9223372036854775808\",\"min\":-9223372036854775808,"
     "\"pi\":3.25,\"ok\":true,\"nil\":null,\"list\":[1,2.5,\"x\",[true]],"
     "\"s\":\"caf\xc3\xa9\\n\\u0001\"}"},
    {"[18446744073709551615,9223372036854775807,0,-1]",
     "[\"18446744073709551615\",9223372036854775807,0,-1]"},
    {"[]", "[]"},
    {"\"x\"", "\"x\""},
    {"1.5", "1.5"},
};

/* text -> walk -> jansson output -> jansson input -> walk -> text. */
START_TEST(test_text_json_text)
{
    QapiError *err = NULL;
    size_t i;

    for (i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
        const char *text = docs[i].text;
        QapiInput *in = qapi_input_new_text(text, strlen(text));
        QapiOutput *out = qapi_output_new_json();
        json_t *v;
        char *s;

        ck_assert(walk_value(in, out, &err));
        ck_assert(qapi_input_finish(in, &err));
        qapi_input_free(in);
        v = qapi_output_finish_json(out);
        ck_assert_ptr_nonnull(v);

        in = qapi_input_new_json(v);
        out = qapi_output_new_text();
        ck_assert_msg(walk_value(in, out, &err), "%s",
                      err ? qapi_error_get_pretty(err) : "");
        ck_assert(qapi_input_finish(in, &err));
        qapi_input_free(in);
        s = qapi_output_finish_text(out, NULL);
        ck_assert_str_eq(s, docs[i].via_json);
        free(s);
        json_decref(v);
    }
    ck_assert_ptr_null(err);
}
END_TEST

/* uint64 values above INT64_MAX survive text -> jansson -> uint64. */
START_TEST(test_uint64_through_json)
{
    static const uint64_t values[] = {0, 1, (uint64_t)INT64_MAX,
                                      (uint64_t)INT64_MAX + 1, UINT64_MAX};
    QapiError *err = NULL;
    size_t i;

    for (i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
        QapiOutput *out = qapi_output_new_json();
        QapiInput *in;
        json_t *v;
        uint64_t back = 12345;

        qapi_output_uint(out, values[i]);
        v = qapi_output_finish_json(out);
        in = qapi_input_new_json(v);
        ck_assert(qapi_input_uint(in, UINT64_MAX, "uint64", &back, &err));
        ck_assert_uint_eq(back, values[i]);
        qapi_input_free(in);
        json_decref(v);
    }
    ck_assert_ptr_null(err);
}
END_TEST

/* Our parser and jansson's agree on what they both accept. */
START_TEST(test_agrees_with_jansson)
{
    static const char *const texts[] = {
        "{\"a\": [1, 2.5, -3e-2, \"\\u00e9\\ud83d\\ude00\"], \"b\": {}}",
        "[true, false, null, \"\\\"\\\\\\/\\b\\f\\n\\r\\t\"]",
        "  -0.0  ",
        "[1e308, 2.2250738585072014e-308, 0.1]",
        "{\"k\": {\"k\": {\"k\": [[[[]]]]}}}",
    };
    QapiError *err = NULL;
    size_t i;

    for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
        QapiInput *in = qapi_input_new_text(texts[i], strlen(texts[i]));
        json_t *ours = NULL;
        json_t *theirs = json_loads(texts[i], JSON_DECODE_ANY, NULL);
        char *a;
        char *b;

        ck_assert(qapi_input_any(in, &ours, &err));
        ck_assert(qapi_input_finish(in, &err));
        qapi_input_free(in);
        ck_assert(qapi_json_equal(ours, theirs));
        /* Same text from jansson's writer for both. */
        a = json_dumps(ours, JSON_COMPACT | JSON_ENCODE_ANY);
        b = json_dumps(theirs, JSON_COMPACT | JSON_ENCODE_ANY);
        ck_assert_str_eq(a, b);
        free(a);
        free(b);
        json_decref(ours);
        json_decref(theirs);
    }
    ck_assert_ptr_null(err);
}
END_TEST

/* Documents without reals: our text writer and jansson's compact writer
 * produce the same bytes. */
START_TEST(test_same_text_as_jansson)
{
    static const char *const texts[] = {
        "{\"a\":[1,-2,\"x\\n\\u0001\"],\"b\":{\"c\":null,\"d\":true}}",
        "[\"caf\xc3\xa9\",\"\\\"\\\\\"]",
    };
    size_t i;

    for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
        json_t *v = json_loads(texts[i], 0, NULL);
        QapiOutput *out = qapi_output_new_text();
        char *ours;
        char *theirs;

        qapi_output_any(out, v);
        ours = qapi_output_finish_text(out, NULL);
        theirs = json_dumps(v, JSON_COMPACT);
        ck_assert_str_eq(ours, theirs);
        ck_assert_str_eq(ours, texts[i]);
        free(ours);
        free(theirs);
        json_decref(v);
    }
}
END_TEST

static Suite *roundtrip_suite(void)
{
    Suite *s = suite_create("json-roundtrip");
    TCase *tc = tcase_create("api");

    tcase_add_test(tc, test_text_json_text);
    tcase_add_test(tc, test_uint64_through_json);
    tcase_add_test(tc, test_agrees_with_jansson);
    tcase_add_test(tc, test_same_text_as_jansson);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(roundtrip_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
