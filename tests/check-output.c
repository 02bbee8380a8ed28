/*
 * check-output.c - unit tests for qapi/output.h: the text writer and the
 * jansson builder.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qapi/input.h"
#include "qapi/output.h"

#include "check-walk.h"

/* Finish @out and compare its text with @want. */
static void check_text(QapiOutput *out, const char *want)
{
    size_t len = 12345;
    char *s = qapi_output_finish_text(out, &len);

    ck_assert_ptr_nonnull(s);
    ck_assert_str_eq(s, want);
    ck_assert_uint_eq(len, strlen(want));
    free(s);
}

/* Finish @out and compare its value with the JSON text @want. */
static void check_json(QapiOutput *out, const char *want)
{
    json_t *got = qapi_output_finish_json(out);
    json_t *expected = json_loads(want, JSON_DECODE_ANY, NULL);

    ck_assert_ptr_nonnull(got);
    ck_assert_ptr_nonnull(expected);
    if (!json_equal(got, expected)) {
        char *dump = json_dumps(got, JSON_ENCODE_ANY | JSON_COMPACT);

        ck_abort_msg("got %s, want %s", dump, want);
    }
    json_decref(got);
    json_decref(expected);
}

/* --- life cycle ----------------------------------------------------------- */

START_TEST(test_new_finish)
{
    QapiOutput *out = qapi_output_new_text();
    size_t len = 99;
    char *s;

    /* Nothing written: empty text. */
    ck_assert_ptr_nonnull(out);
    s = qapi_output_finish_text(out, &len);
    ck_assert_str_eq(s, "");
    ck_assert_uint_eq(len, 0);
    free(s);

    /* len may be NULL. */
    out = qapi_output_new_text();
    qapi_output_int(out, 7);
    s = qapi_output_finish_text(out, NULL);
    ck_assert_str_eq(s, "7");
    free(s);

    /* Nothing written: no value. */
    out = qapi_output_new_json();
    ck_assert_ptr_nonnull(out);
    ck_assert_ptr_null(qapi_output_finish_json(out));

    /* The wrong finish gives NULL (and frees). */
    out = qapi_output_new_json();
    qapi_output_int(out, 1);
    ck_assert_ptr_null(qapi_output_finish_text(out, &len));
    out = qapi_output_new_text();
    qapi_output_int(out, 1);
    ck_assert_ptr_null(qapi_output_finish_json(out));

    ck_assert_ptr_null(qapi_output_finish_text(NULL, &len));
    ck_assert_ptr_null(qapi_output_finish_json(NULL));
}
END_TEST

START_TEST(test_free)
{
    QapiOutput *out = qapi_output_new_text();

    qapi_output_start_object(out);
    qapi_output_member(out, "a");
    qapi_output_str(out, "unfinished");
    qapi_output_free(out);

    out = qapi_output_new_json();
    qapi_output_start_array(out);
    qapi_output_start_object(out);
    qapi_output_member(out, "a");
    qapi_output_int(out, 1);
    qapi_output_free(out); /* leak-free under valgrind */

    qapi_output_free(NULL);
}
END_TEST

/* --- structure ------------------------------------------------------------ */

/* The same calls on either output. */
static void write_doc(QapiOutput *out)
{
    qapi_output_start_object(out);
    qapi_output_member(out, "a");
    qapi_output_int(out, 1);
    qapi_output_member(out, "b");
    qapi_output_start_array(out);
    qapi_output_bool(out, true);
    qapi_output_null(out);
    qapi_output_end_array(out);
    qapi_output_member(out, "c");
    qapi_output_start_object(out);
    qapi_output_end_object(out);
    qapi_output_member(out, "d");
    qapi_output_start_array(out);
    qapi_output_end_array(out);
    qapi_output_member(out, "e");
    qapi_output_start_array(out);
    qapi_output_start_array(out);
    qapi_output_end_array(out);
    qapi_output_start_object(out);
    qapi_output_member(out, "x");
    qapi_output_str(out, "y");
    qapi_output_member(out, "z");
    qapi_output_bool(out, false);
    qapi_output_end_object(out);
    qapi_output_number(out, 2.5);
    qapi_output_end_array(out);
    qapi_output_end_object(out);
}

static const char doc_text[] = "{\"a\":1,\"b\":[true,null],\"c\":{},\"d\":[],"
                               "\"e\":[[],{\"x\":\"y\",\"z\":false},2.5]}";

START_TEST(test_structure)
{
    QapiOutput *out = qapi_output_new_text();

    write_doc(out);
    check_text(out, doc_text);

    out = qapi_output_new_json();
    write_doc(out);
    check_json(out, doc_text);

    /* Scalars and empty containers at the root. */
    out = qapi_output_new_text();
    qapi_output_start_array(out);
    qapi_output_end_array(out);
    check_text(out, "[]");
    out = qapi_output_new_json();
    qapi_output_start_object(out);
    qapi_output_end_object(out);
    check_json(out, "{}");
    out = qapi_output_new_json();
    qapi_output_str(out, "root");
    check_json(out, "\"root\"");
}
END_TEST

/* --- strings -------------------------------------------------------------- */

/* What the text writer must make of byte @c. */
static const char *escaped(unsigned c, char *buf)
{
    switch (c) {
    case '"':
        return "\\\"";
    case '\\':
        return "\\\\";
    case '\b':
        return "\\b";
    case '\f':
        return "\\f";
    case '\n':
        return "\\n";
    case '\r':
        return "\\r";
    case '\t':
        return "\\t";
    }
    if (c < 0x20 || c == 0x7f) {
        snprintf(buf, 8, "\\u%04X", c);
    } else {
        buf[0] = (char)c;
        buf[1] = '\0';
    }
    return buf;
}

START_TEST(test_str)
{
    char all[256];
    char want[256 * 6 + 16];
    char buf[8];
    QapiOutput *out;
    unsigned c;

    /* Every byte but NUL, as a value and as a member name. */
    strcpy(want, "{\"");
    for (c = 1; c < 256; c++) {
        all[c - 1] = (char)c;
        strcat(want, escaped(c, buf));
    }
    all[255] = '\0';
    strcat(want, "\":\"");
    for (c = 1; c < 256; c++) {
        strcat(want, escaped(c, buf));
    }
    strcat(want, "\"}");

    out = qapi_output_new_text();
    qapi_output_start_object(out);
    qapi_output_member(out, all);
    qapi_output_str(out, all);
    qapi_output_end_object(out);
    check_text(out, want);

    out = qapi_output_new_text();
    qapi_output_start_array(out);
    qapi_output_str(out, "");
    qapi_output_str(out, NULL);
    qapi_output_str(out, "plain");
    qapi_output_str(out, "caf\xc3\xa9 \xf0\x9f\x98\x80 /");
    qapi_output_str(out, "\n\n\n\"\"\"");
    qapi_output_end_array(out);
    check_text(out, "[\"\",\"\",\"plain\",\"caf\xc3\xa9 \xf0\x9f\x98\x80 /\","
                    "\"\\n\\n\\n\\\"\\\"\\\"\"]");

    out = qapi_output_new_json();
    qapi_output_start_array(out);
    qapi_output_str(out, NULL);
    qapi_output_str(out, "a\"b\n");
    qapi_output_end_array(out);
    check_json(out, "[\"\", \"a\\\"b\\n\"]");
}
END_TEST

START_TEST(test_str_long)
{
    /* Long strings that need escaping all over: the buffer must grow in
     * the middle of a string. */
    size_t n = 100000;
    char *s = malloc(n + 1);
    char *want = malloc(6 * n + 3);
    size_t i;
    size_t w = 0;
    QapiOutput *out = qapi_output_new_text();

    want[w++] = '"';
    for (i = 0; i < n; i++) {
        s[i] = (char)(i % 3 == 0 ? 1 : i % 3 == 1 ? 'x' : '"');
        if (s[i] == 1) {
            memcpy(want + w, "\\u0001", 6);
            w += 6;
        } else if (s[i] == '"') {
            memcpy(want + w, "\\\"", 2);
            w += 2;
        } else {
            want[w++] = 'x';
        }
    }
    s[n] = '\0';
    want[w++] = '"';
    want[w] = '\0';
    qapi_output_str(out, s);
    check_text(out, want);
    free(s);
    free(want);
}
END_TEST

/* --- numbers -------------------------------------------------------------- */

START_TEST(test_int)
{
    static const int64_t values[] = {
        0,         1,         -1,
        9,         10,        99,
        100,       -100,      12345,
        INT32_MAX, INT32_MIN, (int64_t)INT32_MAX + 1,
        INT64_MAX, INT64_MIN, INT64_MIN + 1,
    };
    char want[32];
    char *s;
    QapiOutput *out;
    size_t i;
    int64_t p;

    for (i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
        out = qapi_output_new_text();
        qapi_output_int(out, values[i]);
        snprintf(want, sizeof(want), "%lld", (long long)values[i]);
        check_text(out, want);
    }
    /* Around every power of ten. */
    for (p = 1; p <= INT64_MAX / 10; p *= 10) {
        int64_t around[] = {p - 1, p, p + 1, -p, 10 * p - 1};
        size_t k;

        for (k = 0; k < 5; k++) {
            out = qapi_output_new_text();
            qapi_output_int(out, around[k]);
            s = qapi_output_finish_text(out, NULL);
            snprintf(want, sizeof(want), "%lld", (long long)around[k]);
            ck_assert_str_eq(s, want);
            free(s);
        }
    }

    out = qapi_output_new_json();
    qapi_output_start_array(out);
    qapi_output_int(out, INT64_MIN);
    qapi_output_int(out, INT64_MAX);
    qapi_output_end_array(out);
    check_json(out, "[-9223372036854775808, 9223372036854775807]");
}
END_TEST

START_TEST(test_uint)
{
    static const uint64_t values[] = {
        0,
        1,
        9,
        10,
        UINT32_MAX,
        (uint64_t)INT64_MAX,
        (uint64_t)INT64_MAX + 1,
        UINT64_MAX - 1,
        UINT64_MAX,
        10000000000000000000u,
    };
    char want[32];
    QapiOutput *out;
    json_t *v;
    size_t i;

    for (i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
        out = qapi_output_new_text();
        qapi_output_uint(out, values[i]);
        snprintf(want, sizeof(want), "%llu", (unsigned long long)values[i]);
        check_text(out, want);
    }

    /* jansson: a number up to INT64_MAX, a digit string above. */
    out = qapi_output_new_json();
    qapi_output_start_array(out);
    qapi_output_uint(out, (uint64_t)INT64_MAX);
    qapi_output_uint(out, (uint64_t)INT64_MAX + 1);
    qapi_output_uint(out, UINT64_MAX);
    qapi_output_end_array(out);
    v = qapi_output_finish_json(out);
    ck_assert(json_is_integer(json_array_get(v, 0)));
    ck_assert_int_eq(json_integer_value(json_array_get(v, 0)), INT64_MAX);
    ck_assert_str_eq(json_string_value(json_array_get(v, 1)),
                     "9223372036854775808");
    ck_assert_str_eq(json_string_value(json_array_get(v, 2)),
                     "18446744073709551615");
    json_decref(v);
}
END_TEST

static char *number_text(double d)
{
    QapiOutput *out = qapi_output_new_text();

    qapi_output_number(out, d);
    return qapi_output_finish_text(out, NULL);
}

START_TEST(test_number)
{
    static const struct {
        double value;
        const char *text;
    } cases[] = {
        {0.0, "0.0"},
        {-0.0, "-0.0"},
        {1.0, "1.0"},
        {-1.0, "-1.0"},
        {0.1, "0.1"},
        {2.5, "2.5"},
        {-1.5e-7, "-1.5e-07"},
        {1e300, "1e+300"},
        {1e15, "1e+15"},
        {1e16, "1e+16"},
        {123456789012345.0, "123456789012345.0"},
        {999999999999999.0, "999999999999999.0"},
        {1234567890123456.0, "1234567890123456.0"},
        {0.30000000000000004, "0.30000000000000004"},
        {1.0 / 3.0, "0.3333333333333333"},
        {1.7976931348623157e308, "1.7976931348623157e+308"},
        {2.2250738585072014e-308, "2.2250738585072014e-308"},
        {4.9406564584124654e-324, "4.94065645841247e-324"},
        {9007199254740993.0, "9007199254740992.0"},
    };
    char *s;
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        s = number_text(cases[i].value);
        ck_assert_str_eq(s, cases[i].text);
        free(s);
    }
    /* No JSON form: null. */
    s = number_text(NAN);
    ck_assert_str_eq(s, "null");
    free(s);
    s = number_text(INFINITY);
    ck_assert_str_eq(s, "null");
    free(s);
    s = number_text(-INFINITY);
    ck_assert_str_eq(s, "null");
    free(s);
}
END_TEST

START_TEST(test_number_roundtrip)
{
    uint64_t state = 88172645463325252u;
    int i;

    /* Random doubles: the text is a JSON number that reads back bit for
     * bit, with no more digits than "%.17g". */
    for (i = 0; i < 20000; i++) {
        QapiError *err = NULL;
        QapiInput *in;
        double d;
        double back = 0;
        char *s;

        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        memcpy(&d, &state, sizeof(d));
        if (!isfinite(d)) {
            continue;
        }
        s = number_text(d);
        ck_assert_uint_le(strlen(s), 24); /* -2.2250738585072014e-308 */
        in = qapi_input_new_text(s, strlen(s));
        ck_assert_msg(qapi_input_number(in, &back, &err) &&
                          qapi_input_finish(in, &err),
                      "%s", s);
        ck_assert_msg(!memcmp(&back, &d, sizeof(d)), "%s", s);
        ck_assert(strpbrk(s, ".e"));
        qapi_input_free(in);
        free(s);
    }
}
END_TEST

/* The reference: the first of %.15g, %.16g, %.17g that reads back. */
static void reference_text(double d, char *buf, size_t size)
{
    int prec;

    for (prec = 15; prec <= 17; prec++) {
        snprintf(buf, size, "%.*g", prec, d);
        if (strtod(buf, NULL) == d) {
            break;
        }
    }
    if (!strpbrk(buf, ".e")) {
        strcat(buf, ".0");
    }
}

START_TEST(test_number_matches_printf)
{
    uint64_t state = 0x2545F4914F6CDD1Du;
    char want[40];
    char text[40];
    int i;

    /* The printf-free paths write exactly what the reference writes:
     * short decimals of all sizes, and random doubles. */
    for (i = 0; i < 60000; i++) {
        double d;
        char *s;

        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        if (i % 3 == 0) {
            memcpy(&d, &state, sizeof(d));
            if (!isfinite(d)) {
                continue;
            }
        } else {
            int digits = 1 + (int)(state % 17);
            int point = (int)((state >> 8) % 24) - 6;

            snprintf(
                text, sizeof(text), "%llu",
                (unsigned long long)((state >> 11) % 100000000000000000ull));
            text[digits < (int)strlen(text) ? digits : (int)strlen(text)] =
                '\0';
            snprintf(text + strlen(text), 16, "e%d", point - digits);
            d = strtod(text, NULL);
            if (i % 2) {
                d = -d;
            }
        }
        reference_text(d, want, sizeof(want));
        s = number_text(d);
        ck_assert_msg(!strcmp(s, want), "%.17g: %s, want %s", d, s, want);
        free(s);
    }
}
END_TEST

START_TEST(test_number_json)
{
    QapiOutput *out = qapi_output_new_json();
    json_t *v;

    qapi_output_start_array(out);
    qapi_output_number(out, 2.5);
    qapi_output_number(out, NAN);
    qapi_output_number(out, -INFINITY);
    qapi_output_end_array(out);
    v = qapi_output_finish_json(out);
    ck_assert(json_is_real(json_array_get(v, 0)));
    ck_assert(json_real_value(json_array_get(v, 0)) == 2.5);
    ck_assert(json_is_null(json_array_get(v, 1)));
    ck_assert(json_is_null(json_array_get(v, 2)));
    json_decref(v);
}
END_TEST

/* --- other scalars -------------------------------------------------------- */

START_TEST(test_bool_null)
{
    QapiOutput *out = qapi_output_new_text();

    qapi_output_start_array(out);
    qapi_output_bool(out, true);
    qapi_output_bool(out, false);
    qapi_output_null(out);
    qapi_output_end_array(out);
    check_text(out, "[true,false,null]");

    out = qapi_output_new_json();
    qapi_output_start_array(out);
    qapi_output_bool(out, true);
    qapi_output_bool(out, false);
    qapi_output_null(out);
    qapi_output_end_array(out);
    check_json(out, "[true,false,null]");
}
END_TEST

START_TEST(test_enum)
{
    static const char *const names[] = {"on", NULL, "off"};
    static const QapiEnumLookup lookup = {names, 3};
    int bad[] = {-1, 1, 3};
    size_t i;
    QapiOutput *out = qapi_output_new_text();

    qapi_output_start_array(out);
    qapi_output_enum(out, &lookup, 0);
    qapi_output_enum(out, &lookup, 2);
    qapi_output_end_array(out);
    check_text(out, "[\"on\",\"off\"]");

    /* Out of range, compiled out: no JSON stands for them. */
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        out = qapi_output_new_text();
        qapi_output_enum(out, &lookup, bad[i]);
        ck_assert_ptr_null(qapi_output_finish_text(out, NULL));
        out = qapi_output_new_json();
        qapi_output_enum(out, &lookup, bad[i]);
        ck_assert_ptr_null(qapi_output_finish_json(out));
    }
}
END_TEST

START_TEST(test_member)
{
    QapiOutput *out = qapi_output_new_text();

    qapi_output_start_object(out);
    qapi_output_member(out, "plain-name");
    qapi_output_int(out, 1);
    qapi_output_member(out, "");
    qapi_output_int(out, 2);
    qapi_output_member(out, "odd\"\\\x01");
    qapi_output_int(out, 3);
    qapi_output_end_object(out);
    check_text(out, "{\"plain-name\":1,\"\":2,\"odd\\\"\\\\\\u0001\":3}");

    out = qapi_output_new_json();
    qapi_output_start_object(out);
    qapi_output_member(out, "plain-name");
    qapi_output_int(out, 1);
    qapi_output_member(out, "");
    qapi_output_int(out, 2);
    qapi_output_member(out, "odd\"\\\x01");
    qapi_output_int(out, 3);
    qapi_output_end_object(out);
    check_json(out, "{\"plain-name\":1,\"\":2,\"odd\\\"\\\\\\u0001\":3}");
}
END_TEST

/* --- any ------------------------------------------------------------------ */

START_TEST(test_any)
{
    json_t *v = json_pack("{s:[i,f,s,b,n,{}],s:{s:[]},s:s#}", "a", -3, 0.5,
                          "x\n", 1, "b", "c", "nul", "a\0b", (int)3);
    json_t *zero = json_integer(0);
    QapiOutput *out = qapi_output_new_text();
    json_t *got;

    qapi_output_start_array(out);
    qapi_output_any(out, v);
    qapi_output_any(out, NULL);
    qapi_output_any(out, zero);
    qapi_output_end_array(out);
    json_decref(zero);
    check_text(out, "[{\"a\":[-3,0.5,\"x\\n\",true,null,{}],\"b\":{\"c\":[]},"
                    "\"nul\":\"a\\u0000b\"},null,0]");

    out = qapi_output_new_json();
    qapi_output_start_object(out);
    qapi_output_member(out, "v");
    qapi_output_any(out, v);
    qapi_output_member(out, "n");
    qapi_output_any(out, NULL);
    qapi_output_end_object(out);
    got = qapi_output_finish_json(out);
    /* Shared, not copied. */
    ck_assert_ptr_eq(json_object_get(got, "v"), v);
    ck_assert(json_is_null(json_object_get(got, "n")));
    json_decref(got);
    ck_assert_int_eq(v->refcount, 1);
    json_decref(v);
}
END_TEST

START_TEST(test_any_deep)
{
    /* Deeper than any stack-based writer would like. */
    size_t depth = 20000;
    json_t *root = json_array();
    json_t *a = root;
    QapiOutput *out = qapi_output_new_text();
    char *s;
    size_t i;

    for (i = 1; i < depth; i++) {
        json_t *b = json_array();

        json_array_append_new(a, b);
        a = b;
    }
    qapi_output_any(out, root);
    s = qapi_output_finish_text(out, NULL);
    ck_assert_uint_eq(strlen(s), 2 * depth);
    for (i = 0; i < depth; i++) {
        ck_assert(s[i] == '[' && s[depth + i] == ']');
    }
    free(s);
    /* Free it iteratively: jansson's json_decref recurses. */
    while (json_array_size(root)) {
        json_t *child = json_incref(json_array_get(root, 0));

        json_decref(root);
        root = child;
    }
    json_decref(root);
}
END_TEST

/* --- round trips ---------------------------------------------------------- */

/* Compact, canonical JSON: reading and writing it again changes nothing. */
static const char *const canonical[] = {
    "null",
    "true",
    "0",
    "-9223372036854775808",
    "18446744073709551615",
    "0.1",
    "-0.0",
    "1e+300",
    "\"\"",
    "\"\\\"\\\\\\b\\f\\n\\r\\t\\u0001\\u001F caf\xc3\xa9 \xf0\x9f\x98\x80\"",
    "[]",
    "{}",
    "[[],{},[[]],{\"a\":{}}]",
    "{\"name\":\"vm0\",\"id\":-12,\"big\":18446744073709551615,\"pi\":3.25,"
    "\"ok\":true,\"no\":false,\"nil\":null,\"list\":[1,2.5,\"x\",[true]],"
    "\"nested\":{\"a\":{\"b\":{\"c\":[1e-05,{\"d\":\"e\"}]}}}}",
};

START_TEST(test_roundtrip_text)
{
    QapiError *err = NULL;
    size_t i;

    for (i = 0; i < sizeof(canonical) / sizeof(canonical[0]); i++) {
        char *s = walk_text(canonical[i], strlen(canonical[i]), &err);

        ck_assert_msg(s != NULL, "%s: %s", canonical[i],
                      err ? qapi_error_get_pretty(err) : "");
        ck_assert_str_eq(s, canonical[i]);
        free(s);
    }
}
END_TEST

START_TEST(test_roundtrip_any)
{
    QapiError *err = NULL;
    size_t i;

    for (i = 0; i < sizeof(canonical) / sizeof(canonical[0]); i++) {
        QapiInput *in;
        QapiOutput *out;
        json_t *v = NULL;
        char *s;

        if (strstr(canonical[i], "18446744073709551615")) {
            continue; /* not an 'any' value */
        }
        in = qapi_input_new_text(canonical[i], strlen(canonical[i]));
        ck_assert(qapi_input_any(in, &v, &err));
        ck_assert(qapi_input_finish(in, &err));
        qapi_input_free(in);
        out = qapi_output_new_text();
        qapi_output_any(out, v);
        s = qapi_output_finish_text(out, NULL);
        ck_assert_str_eq(s, canonical[i]);
        free(s);
        json_decref(v);
    }
    ck_assert_ptr_null(err);
}
END_TEST

START_TEST(test_roundtrip_pretty)
{
    QapiError *err = NULL;
    const char *pretty = " {\n  \"a\" : [ 1 , 2.50 , 1E2 , -0 ] ,\n"
                         "  \"b\\u0041\" : \"\\u00e9\\/\"\n}\n";
    char *s = walk_text(pretty, strlen(pretty), &err);

    ck_assert_ptr_nonnull(s);
    ck_assert_str_eq(s, "{\"a\":[1,2.5,100.0,0],\"bA\":\"\xc3\xa9/\"}");
    free(s);
}
END_TEST

static Suite *output_suite(void)
{
    Suite *s = suite_create("output");
    TCase *tc = tcase_create("api");

    tcase_add_test(tc, test_new_finish);
    tcase_add_test(tc, test_free);
    tcase_add_test(tc, test_structure);
    tcase_add_test(tc, test_str);
    tcase_add_test(tc, test_str_long);
    tcase_add_test(tc, test_int);
    tcase_add_test(tc, test_uint);
    tcase_add_test(tc, test_number);
    tcase_add_test(tc, test_number_roundtrip);
    tcase_add_test(tc, test_number_matches_printf);
    tcase_add_test(tc, test_number_json);
    tcase_add_test(tc, test_bool_null);
    tcase_add_test(tc, test_enum);
    tcase_add_test(tc, test_member);
    tcase_add_test(tc, test_any);
    tcase_add_test(tc, test_any_deep);
    tcase_add_test(tc, test_roundtrip_text);
    tcase_add_test(tc, test_roundtrip_any);
    tcase_add_test(tc, test_roundtrip_pretty);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(output_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
