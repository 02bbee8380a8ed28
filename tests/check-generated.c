/*
 * check-generated.c - C generated from tests/schema/test-types.json.
 *
 * Every type goes through text and through jansson and back, is cloned
 * and compared (see check-gen-helpers.h); integers at their exact limits
 * and one past them; every combination of optional members; every union
 * and alternate branch; bad input of every kind with the message
 * docs/generated-api.md documents; events through a sink; introspection.
 *
 * Built with TEST_IF_ENABLED defined and TEST_IF_DISABLED not.  Run it
 * under valgrind with CK_FORK=no to see leaks on the failure paths
 * ("make check-generated-valgrind").
 */
#include <check.h>
#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "qapi-emit-events.h"
#include "qapi-events.h"
#include "qapi-introspect.h"
#include "qapi-json.h"
#include "qapi-types.h"
#include "qapi/enum.h"
#include "qapi/event.h"
#include "qapi/input.h"
#include "qapi/output.h"

#include "check-gen-helpers.h"

#ifndef TEST_IF_ENABLED
#error "tests/check-generated.c must be built with -DTEST_IF_ENABLED"
#endif
#ifdef TEST_IF_DISABLED
#error "tests/check-generated.c must be built without TEST_IF_DISABLED"
#endif

DEFINE_GEN_HELPERS(TestBuiltins)
DEFINE_GEN_HELPERS(TestOptional)
DEFINE_GEN_HELPERS(TestMangle)
DEFINE_GEN_HELPERS(TestInner)
DEFINE_GEN_HELPERS(TestInnerList)
DEFINE_GEN_HELPERS(TestEmpty)
DEFINE_GEN_HELPERS(TestEnumList)
DEFINE_GEN_HELPERS(TestMiddle)
DEFINE_GEN_HELPERS(TestNested)
DEFINE_GEN_HELPERS(TestBase0)
DEFINE_GEN_HELPERS(TestBase1)
DEFINE_GEN_HELPERS(TestDerived)
DEFINE_GEN_HELPERS(TestLists)
DEFINE_GEN_HELPERS(TestIfMembers)
DEFINE_GEN_HELPERS(TestAllOff)
DEFINE_GEN_HELPERS(TestBranchA)
DEFINE_GEN_HELPERS(TestBranchB)
DEFINE_GEN_HELPERS(TestUnionDict)
DEFINE_GEN_HELPERS(TestUnionBase)
DEFINE_GEN_HELPERS(TestUnionNamed)
DEFINE_GEN_HELPERS(TestAltScalar)
DEFINE_GEN_HELPERS(TestAltScalarList)
DEFINE_GEN_HELPERS(TestAltStr)
DEFINE_GEN_HELPERS(TestAltNum)
DEFINE_GEN_HELPERS(TestAltU64)
DEFINE_GEN_HELPERS(TestAltSize)
DEFINE_GEN_HELPERS(TestAlts)
/* Lists of built-in types: their code is in libqapi. */
DEFINE_GEN_HELPERS(strList)
DEFINE_GEN_HELPERS(numberList)
DEFINE_GEN_HELPERS(intList)
DEFINE_GEN_HELPERS(int8List)
DEFINE_GEN_HELPERS(int16List)
DEFINE_GEN_HELPERS(int32List)
DEFINE_GEN_HELPERS(int64List)
DEFINE_GEN_HELPERS(uint8List)
DEFINE_GEN_HELPERS(uint16List)
DEFINE_GEN_HELPERS(uint32List)
DEFINE_GEN_HELPERS(uint64List)
DEFINE_GEN_HELPERS(sizeList)
DEFINE_GEN_HELPERS(boolList)
DEFINE_GEN_HELPERS(nullList)
DEFINE_GEN_HELPERS(anyList)

static json_t *xjson(const char *text)
{
    json_t *v = json_loads(text, JSON_DECODE_ANY, NULL);

    ck_assert_ptr_nonnull(v);
    return v;
}

/* printf into a new string. */
static char *fmt(const char *f, ...) QAPI_PRINTF(1, 2);
static char *fmt(const char *f, ...)
{
    va_list ap;
    char *s;
    int n;

    va_start(ap, f);
    n = vsnprintf(NULL, 0, f, ap);
    va_end(ap);
    ck_assert_int_ge(n, 0);
    s = xcalloc((size_t)n + 1);
    va_start(ap, f);
    vsnprintf(s, (size_t)n + 1, f, ap);
    va_end(ap);
    return s;
}

static TestInner *inner_new(int8_t x, const char *y)
{
    TestInner *in = NEW(TestInner);

    in->x = x;
    in->y = y ? xstrdup(y) : NULL;
    return in;
}

static TestInnerList *inner_list(size_t n)
{
    TestInnerList *head = NULL, **tail = &head;
    size_t i;

    for (i = 0; i < n; i++) {
        TestInnerList *node = NEW(TestInnerList);

        node->value = inner_new((int8_t)(i * 50 - 128), i % 2 ? "odd" : NULL);
        *tail = node;
        tail = &node->next;
    }
    return head;
}

static intList *int_list(size_t n, const int64_t *v)
{
    intList *head = NULL, **tail = &head;
    size_t i;

    for (i = 0; i < n; i++) {
        intList *node = NEW(intList);

        node->value = v[i];
        *tail = node;
        tail = &node->next;
    }
    return head;
}

/* ---- built-in types, limits -------------------------------------------- */

static const char builtins_max_text[] =
    "{\"s\":\"max\",\"n\":1.7976931348623157e+308,"
    "\"i\":9223372036854775807,\"i8\":127,\"i16\":32767,"
    "\"i32\":2147483647,\"i64\":9223372036854775807,\"u8\":255,"
    "\"u16\":65535,\"u32\":4294967295,\"u64\":18446744073709551615,"
    "\"sz\":18446744073709551615,\"b\":true,\"nul\":null,"
    "\"a\":{\"k\":[1,\"x\",null,{}]}}";

static const char builtins_min_text[] =
    "{\"s\":\"\",\"n\":-1.7976931348623157e+308,"
    "\"i\":-9223372036854775808,\"i8\":-128,\"i16\":-32768,"
    "\"i32\":-2147483648,\"i64\":-9223372036854775808,\"u8\":0,"
    "\"u16\":0,\"u32\":0,\"u64\":0,\"sz\":0,\"b\":false,\"nul\":null,"
    "\"a\":null}";

static TestBuiltins *builtins_max(void)
{
    TestBuiltins *b = NEW(TestBuiltins);

    b->s = xstrdup("max");
    b->n = DBL_MAX;
    b->i = INT64_MAX;
    b->i8 = INT8_MAX;
    b->i16 = INT16_MAX;
    b->i32 = INT32_MAX;
    b->i64 = INT64_MAX;
    b->u8 = UINT8_MAX;
    b->u16 = UINT16_MAX;
    b->u32 = UINT32_MAX;
    b->u64 = UINT64_MAX;
    b->sz = UINT64_MAX;
    b->b = true;
    b->nul = qapi_null();
    b->a = xjson("{\"k\":[1,\"x\",null,{}]}");
    return b;
}

static TestBuiltins *builtins_min(void)
{
    TestBuiltins *b = NEW(TestBuiltins);

    b->s = xstrdup("");
    b->n = -DBL_MAX;
    b->i = INT64_MIN;
    b->i8 = INT8_MIN;
    b->i16 = INT16_MIN;
    b->i32 = INT32_MIN;
    b->i64 = INT64_MIN;
    b->b = false;
    b->nul = qapi_null();
    b->a = json_null();
    return b;
}

START_TEST(test_builtins_extremes)
{
    TestBuiltins *max = builtins_max(), *min = builtins_min();
    TestBuiltins *back;

    rt_TestBuiltins(max, builtins_max_text);
    rt_TestBuiltins(min, builtins_min_text);
    ck_assert(!qapi_equal_TestBuiltins(max, min));

    /* Read from text, the values are exact. */
    back = parse_TestBuiltins(builtins_max_text);
    ck_assert_uint_eq(back->u64, UINT64_MAX);
    ck_assert_uint_eq(back->sz, UINT64_MAX);
    ck_assert_int_eq(back->i, INT64_MAX);
    ck_assert_int_eq(back->i64, INT64_MAX);
    ck_assert(back->n == DBL_MAX);
    ck_assert(qapi_equal_TestBuiltins(back, max));
    qapi_free_TestBuiltins(back);
    back = parse_TestBuiltins(builtins_min_text);
    ck_assert_int_eq(back->i, INT64_MIN);
    ck_assert_int_eq(back->i64, INT64_MIN);
    ck_assert_int_eq(back->i8, INT8_MIN);
    ck_assert(json_is_null(back->a));
    ck_assert_ptr_eq(back->nul, qapi_null());
    qapi_free_TestBuiltins(back);

    qapi_free_TestBuiltins(max);
    qapi_free_TestBuiltins(min);
}
END_TEST

/* uint64 above INT64_MAX is a digit string in jansson, read back exactly. */
START_TEST(test_builtins_uint64_dom)
{
    TestBuiltins *max = builtins_max(), *back = NULL;
    json_t *dom = qapi_TestBuiltins_to_json(max);
    QapiError *err = NULL;

    ck_assert_ptr_nonnull(dom);
    ck_assert_str_eq(json_string_value(json_object_get(dom, "u64")),
                     "18446744073709551615");
    ck_assert_str_eq(json_string_value(json_object_get(dom, "sz")),
                     "18446744073709551615");
    ck_assert(json_integer_value(json_object_get(dom, "i")) == INT64_MAX);
    ck_assert(json_integer_value(json_object_get(dom, "u32")) == UINT32_MAX);
    ck_assert(qapi_TestBuiltins_from_json(dom, &back, &err));
    ck_assert_uint_eq(back->u64, UINT64_MAX);
    ck_assert(qapi_equal_TestBuiltins(max, back));
    qapi_free_TestBuiltins(back);
    json_decref(dom);
    qapi_free_TestBuiltins(max);
}
END_TEST

/* Each member changed makes the values differ (equal is not vacuous). */
START_TEST(test_builtins_equal)
{
    TestBuiltins *a = builtins_max();
    int field;

    for (field = 0; field < 15; field++) {
        TestBuiltins *b = qapi_clone_TestBuiltins(a);

        ck_assert(qapi_equal_TestBuiltins(a, b));
        switch (field) {
        case 0:
            b->s[0] = 'M';
            break;
        case 1:
            b->n = 1.0;
            break;
        case 2:
            b->i--;
            break;
        case 3:
            b->i8--;
            break;
        case 4:
            b->i16--;
            break;
        case 5:
            b->i32--;
            break;
        case 6:
            b->i64--;
            break;
        case 7:
            b->u8--;
            break;
        case 8:
            b->u16--;
            break;
        case 9:
            b->u32--;
            break;
        case 10:
            b->u64--;
            break;
        case 11:
            b->sz--;
            break;
        case 12:
            b->b = false;
            break;
        case 13:
            /* null has one value: equal whatever the pointer */
            ck_assert(qapi_equal_TestBuiltins(a, b));
            qapi_free_TestBuiltins(b);
            continue;
        case 14:
            json_decref(b->a);
            b->a = xjson("{\"k\":[1,\"x\",null,{\"z\":1}]}");
            break;
        }
        ck_assert_msg(!qapi_equal_TestBuiltins(a, b), "field %d", field);
        ck_assert_msg(!qapi_equal_TestBuiltins(b, a), "field %d", field);
        qapi_free_TestBuiltins(b);
    }
    ck_assert(qapi_equal_TestBuiltins(NULL, NULL));
    ck_assert(!qapi_equal_TestBuiltins(a, NULL));
    ck_assert(!qapi_equal_TestBuiltins(NULL, a));
    qapi_free_TestBuiltins(a);
    qapi_free_TestBuiltins(NULL);
    ck_assert_ptr_null(qapi_clone_TestBuiltins(NULL));
}
END_TEST

/* The JSON text of a TestBuiltins with member @name set to @value, or
 * left out if @value is NULL, or @value appended if @name is NULL. */
static const struct {
    const char *name, *value;
} builtin_members[] = {
    {"s", "\"x\""}, {"n", "1.5"}, {"i", "1"},    {"i8", "1"},     {"i16", "1"},
    {"i32", "1"},   {"i64", "1"}, {"u8", "1"},   {"u16", "1"},    {"u32", "1"},
    {"u64", "1"},   {"sz", "1"},  {"b", "true"}, {"nul", "null"}, {"a", "[1]"},
};

static char *builtins_json(const char *name, const char *value)
{
    char buf[4096] = "{";
    size_t i;

    for (i = 0; i < ARRAY_SIZE(builtin_members); i++) {
        const char *v = builtin_members[i].value;

        if (name && !strcmp(name, builtin_members[i].name)) {
            if (!value) {
                continue;
            }
            v = value;
        }
        snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%s\"%s\":%s",
                 buf[1] ? "," : "", builtin_members[i].name, v);
    }
    if (!name) {
        snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), ",%s", value);
    }
    strcat(buf, "}");
    return xstrdup(buf);
}

static const struct {
    const char *name, *value, *msg; /* msg NULL: accepted */
} builtin_values[] = {
    /* exact limits and one past them */
    {"i8", "127", NULL},
    {"i8", "-128", NULL},
    {"i8", "128", "Parameter 'i8' expects int8"},
    {"i8", "-129", "Parameter 'i8' expects int8"},
    {"i16", "32767", NULL},
    {"i16", "-32768", NULL},
    {"i16", "32768", "Parameter 'i16' expects int16"},
    {"i16", "-32769", "Parameter 'i16' expects int16"},
    {"i32", "2147483647", NULL},
    {"i32", "-2147483648", NULL},
    {"i32", "2147483648", "Parameter 'i32' expects int32"},
    {"i32", "-2147483649", "Parameter 'i32' expects int32"},
    {"i64", "9223372036854775807", NULL},
    {"i64", "-9223372036854775808", NULL},
    {"i64", "9223372036854775808", "Parameter 'i64' expects int64"},
    {"i64", "-9223372036854775809", "Parameter 'i64' expects int64"},
    {"i", "9223372036854775807", NULL},
    {"i", "-9223372036854775808", NULL},
    {"i", "9223372036854775808", "Parameter 'i' expects int"},
    {"i", "-9223372036854775809", "Parameter 'i' expects int"},
    {"i", "99999999999999999999999", "Parameter 'i' expects int"},
    {"u8", "255", NULL},
    {"u8", "0", NULL},
    {"u8", "256", "Parameter 'u8' expects uint8"},
    {"u8", "-1", "Parameter 'u8' expects uint8"},
    {"u16", "65535", NULL},
    {"u16", "65536", "Parameter 'u16' expects uint16"},
    {"u16", "-1", "Parameter 'u16' expects uint16"},
    {"u32", "4294967295", NULL},
    {"u32", "4294967296", "Parameter 'u32' expects uint32"},
    {"u32", "-1", "Parameter 'u32' expects uint32"},
    {"u64", "18446744073709551615", NULL},
    {"u64", "18446744073709551616", "Parameter 'u64' expects uint64"},
    {"u64", "-1", "Parameter 'u64' expects uint64"},
    {"sz", "18446744073709551615", NULL},
    {"sz", "18446744073709551616", "Parameter 'sz' expects size"},
    {"sz", "-1", "Parameter 'sz' expects size"},
    {"i8", "-0", NULL},
    {"n", "1e308", NULL},
    {"n", "-5e-324", NULL},
    {"n", "0", NULL},
    {"n", "18446744073709551615", NULL},
    {"n", "1e400", "Parameter 'n' expects number"},
    {"n", "-1e400", "Parameter 'n' expects number"},
    /* wrong JSON type */
    {"s", "1", "Invalid parameter type for 's', expected: string"},
    {"s", "null", "Invalid parameter type for 's', expected: string"},
    {"n", "\"1\"", "Invalid parameter type for 'n', expected: number"},
    {"n", "true", "Invalid parameter type for 'n', expected: number"},
    {"i", "1.5", "Invalid parameter type for 'i', expected: integer"},
    {"i", "1.0", "Invalid parameter type for 'i', expected: integer"},
    {"i", "1e2", "Invalid parameter type for 'i', expected: integer"},
    {"i", "\"1\"", "Invalid parameter type for 'i', expected: integer"},
    {"i8", "[]", "Invalid parameter type for 'i8', expected: integer"},
    {"u8", "{}", "Invalid parameter type for 'u8', expected: integer"},
    {"u64", "\"1\"", "Invalid parameter type for 'u64', expected: integer"},
    {"u64", "1.5", "Invalid parameter type for 'u64', expected: integer"},
    {"sz", "false", "Invalid parameter type for 'sz', expected: integer"},
    {"b", "1", "Invalid parameter type for 'b', expected: boolean"},
    {"b", "\"true\"", "Invalid parameter type for 'b', expected: boolean"},
    {"nul", "0", "Invalid parameter type for 'nul', expected: null"},
    {"nul", "{}", "Invalid parameter type for 'nul', expected: null"},
    /* any takes every JSON value, but only int64 integers */
    {"a", "null", NULL},
    {"a", "\"s\"", NULL},
    {"a", "-9223372036854775808", NULL},
    {"a", "{\"x\":[{}]}", NULL},
    {"a", "18446744073709551615", "Parameter 'a' is out of int64 range"},
    {"a", "[{\"k\":[1,{\"q\":99999999999999999999}]}]",
     "Parameter 'a[0].k[1].q' is out of int64 range"},
    /* missing */
    {"s", NULL, "Parameter 's' is missing"},
    {"n", NULL, "Parameter 'n' is missing"},
    {"i", NULL, "Parameter 'i' is missing"},
    {"i8", NULL, "Parameter 'i8' is missing"},
    {"i16", NULL, "Parameter 'i16' is missing"},
    {"i32", NULL, "Parameter 'i32' is missing"},
    {"i64", NULL, "Parameter 'i64' is missing"},
    {"u8", NULL, "Parameter 'u8' is missing"},
    {"u16", NULL, "Parameter 'u16' is missing"},
    {"u32", NULL, "Parameter 'u32' is missing"},
    {"u64", NULL, "Parameter 'u64' is missing"},
    {"sz", NULL, "Parameter 'sz' is missing"},
    {"b", NULL, "Parameter 'b' is missing"},
    {"nul", NULL, "Parameter 'nul' is missing"},
    {"a", NULL, "Parameter 'a' is missing"},
};

START_TEST(test_builtins_values)
{
    size_t i;

    for (i = 0; i < ARRAY_SIZE(builtin_values); i++) {
        char *json =
            builtins_json(builtin_values[i].name, builtin_values[i].value);

        if (builtin_values[i].msg) {
            bad_TestBuiltins(json, builtin_values[i].msg, 0);
        } else {
            TestBuiltins *b = parse_TestBuiltins(json);

            rt_TestBuiltins(b, NULL);
            qapi_free_TestBuiltins(b);
        }
        free(json);
    }
}
END_TEST

START_TEST(test_builtins_unexpected_duplicate)
{
    size_t i;

    for (i = 0; i < ARRAY_SIZE(builtin_members); i++) {
        char *extra =
            fmt("\"%s\":%s", builtin_members[i].name, builtin_members[i].value);
        char *json = builtins_json(NULL, extra);
        char *msg =
            fmt("Parameter '%s' is duplicated", builtin_members[i].name);

        bad_TestBuiltins(json, msg, BAD_TEXT_ONLY);
        free(msg);
        free(json);
        free(extra);
    }
    {
        char *json = builtins_json(NULL, "\"zz\":1");

        bad_TestBuiltins(json, "Parameter 'zz' is unexpected", 0);
        free(json);
        /* Names are case-sensitive, and not mangled on the wire. */
        json = builtins_json(NULL, "\"S\":\"x\"");
        bad_TestBuiltins(json, "Parameter 'S' is unexpected", 0);
        free(json);
    }
}
END_TEST

START_TEST(test_strings)
{
    static const struct {
        const char *c, *json;
    } strs[] = {
        {"", "\"\""},
        {"q\" b\\ nl\n tab\t cr\r ctl\x01\x1f del\x7f",
         "\"q\\\" b\\\\ nl\\n tab\\t cr\\r ctl\\u0001\\u001F del\\u007F\""},
        {"caf\xc3\xa9 \xf0\x9f\x98\x80 /",
         "\"caf\xc3\xa9 \xf0\x9f\x98\x80 /\""},
    };
    size_t i;

    for (i = 0; i < ARRAY_SIZE(strs); i++) {
        strList l = {NULL, (char *)strs[i].c};
        char *expect = fmt("[%s]", strs[i].json);

        rt_strList(&l, expect);
        free(expect);
    }
    {
        /* Escapes are decoded on input. */
        strList *l = parse_strList("[\"\\u00e9\\ud83d\\ude00\\/\\b\\f\"]");

        ck_assert_str_eq(l->value, "\xc3\xa9\xf0\x9f\x98\x80/\b\f");
        qapi_free_strList(l);
    }
    bad_strList("[\"\\u0000\"]", "JSON parse error at byte ", BAD_PREFIX);
    bad_strList("[\"\\ud800\"]", "JSON parse error at byte ", BAD_PREFIX);
    bad_strList("[\"\xff\"]", "JSON parse error at byte ", BAD_PREFIX);
    bad_strList("[\"a\nb\"]", "JSON parse error at byte ", BAD_PREFIX);
}
END_TEST

START_TEST(test_numbers)
{
    static const struct {
        double value;
        const char *json;
    } nums[] = {
        {0.0, "0.0"},
        {1.0, "1.0"},
        {-1.0, "-1.0"},
        {0.1, "0.1"},
        {1.0 / 3, "0.3333333333333333"},
        {1e300, "1e+300"},
        {5e-324, "4.94065645841247e-324"},
        {DBL_MAX, "1.7976931348623157e+308"},
        {9007199254740993.0, "9007199254740992.0"},
    };
    size_t i;

    for (i = 0; i < ARRAY_SIZE(nums); i++) {
        numberList l = {NULL, nums[i].value};
        char *expect = fmt("[%s]", nums[i].json);

        rt_numberList(&l, expect);
        free(expect);
    }
    {
        /* Integers are numbers too. */
        numberList *l = parse_numberList("[3,-0,1e2,18446744073709551615]");

        ck_assert(l->value == 3.0);
        ck_assert(l->next->value == 0.0);
        ck_assert(l->next->next->value == 100.0);
        ck_assert(l->next->next->next->value == 18446744073709551615.0);
        rt_numberList(l, "[3.0,-0.0,100.0,1.8446744073709552e+19]");
        qapi_free_numberList(l);
    }
    {
        /* Non-finite numbers have no JSON form: written as null. */
        numberList l = {NULL, HUGE_VAL};
        char *s = qapi_numberList_to_string(&l);

        ck_assert_str_eq(s, "[null]");
        free(s);
    }
    bad_numberList("[NaN]", "JSON parse error at byte 1: ", BAD_PREFIX);
    bad_numberList("[01]", "JSON parse error at byte ", BAD_PREFIX);
    bad_numberList("[1.]", "JSON parse error at byte ", BAD_PREFIX);
    bad_numberList("[+1]", "JSON parse error at byte ", BAD_PREFIX);
    bad_numberList("[1e400]", "Parameter '[0]' expects number", 0);
}
END_TEST

/* ---- optional members -------------------------------------------------- */

enum {
    OPT_S,
    OPT_N,
    OPT_I,
    OPT_U64,
    OPT_SZ,
    OPT_B,
    OPT_E,
    OPT_NUL,
    OPT_A,
    OPT_INNER,
    OPT_L,
    OPT_ALT,
    OPT__MAX
};
static const char *const opt_names[OPT__MAX] = {
    "s", "n", "i", "u64", "sz", "b", "e", "nul", "a", "inner", "l", "alt",
};

static int popcount(unsigned mask)
{
    int n = 0;

    for (; mask; mask &= mask - 1) {
        n++;
    }
    return n;
}

static TestOptional *optional_new(unsigned mask)
{
    static const int64_t ints[] = {1, INT64_MIN};
    TestOptional *o = NEW(TestOptional);

#define HAS(bit) (mask & (1u << (bit)))
    if (HAS(OPT_S)) {
        o->s = xstrdup("");
    }
    o->has_n = HAS(OPT_N);
    o->n = o->has_n ? 2.5 : 0;
    o->has_i = HAS(OPT_I);
    o->i = o->has_i ? -7 : 0;
    o->has_u64 = HAS(OPT_U64);
    o->u64 = o->has_u64 ? UINT64_MAX : 0;
    o->has_sz = HAS(OPT_SZ);
    o->sz = o->has_sz ? UINT64_MAX - 1 : 0;
    o->has_b = HAS(OPT_B);
    o->b = false; /* present and false is not absent */
    o->has_e = HAS(OPT_E);
    o->e = o->has_e ? TEST_ENUM_THREE : TEST_ENUM_ONE;
    o->nul = HAS(OPT_NUL) ? qapi_null() : NULL;
    o->a = HAS(OPT_A) ? json_null() : NULL; /* present, and null */
    o->inner = HAS(OPT_INNER) ? inner_new(-128, NULL) : NULL;
    /* An optional list has a flag: NULL is also the empty list. */
    o->has_l = HAS(OPT_L);
    o->l = HAS(OPT_L) ? int_list(2, ints) : NULL;
    if (HAS(OPT_ALT)) {
        o->alt = NEW(TestAltScalar);
        o->alt->type = QTYPE_QBOOL;
        o->alt->u.b = false;
    }
#undef HAS
    return o;
}

static unsigned optional_mask(const TestOptional *o)
{
    return (o->s ? 1u << OPT_S : 0) | (o->has_n ? 1u << OPT_N : 0) |
           (o->has_i ? 1u << OPT_I : 0) | (o->has_u64 ? 1u << OPT_U64 : 0) |
           (o->has_sz ? 1u << OPT_SZ : 0) | (o->has_b ? 1u << OPT_B : 0) |
           (o->has_e ? 1u << OPT_E : 0) | (o->nul ? 1u << OPT_NUL : 0) |
           (o->a ? 1u << OPT_A : 0) | (o->inner ? 1u << OPT_INNER : 0) |
           (o->has_l ? 1u << OPT_L : 0) | (o->alt ? 1u << OPT_ALT : 0);
}

START_TEST(test_optional_combinations)
{
    unsigned mask;

    for (mask = 0; mask < 1u << OPT__MAX; mask++) {
        TestOptional *o = optional_new(mask), *back;
        json_t *dom;
        char *text;
        int bit;

        rt_TestOptional(o, mask ? NULL : "{}");

        /* Exactly the present members are written ... */
        dom = qapi_TestOptional_to_json(o);
        ck_assert_int_eq(json_object_size(dom), popcount(mask));
        for (bit = 0; bit < OPT__MAX; bit++) {
            ck_assert_msg(!json_object_get(dom, opt_names[bit]) ==
                              !(mask & (1u << bit)),
                          "mask %#x member %s", mask, opt_names[bit]);
        }
        json_decref(dom);

        /* ... and read back as present. */
        text = qapi_TestOptional_to_string(o);
        back = parse_TestOptional(text);
        ck_assert_uint_eq(optional_mask(back), mask);
        if (mask & (1u << OPT_U64)) {
            ck_assert_uint_eq(back->u64, UINT64_MAX);
        }
        free(text);
        qapi_free_TestOptional(back);

        /* A flag or pointer alone makes a difference (nul: see
         * test_optional_null_equal). */
        if (mask & ~(1u << OPT_NUL)) {
            unsigned low = mask & ~(1u << OPT_NUL);
            TestOptional *fewer = optional_new(mask & ~(low & -low));

            ck_assert_msg(!qapi_equal_TestOptional(o, fewer),
                          "mask %#x equals mask %#x", mask,
                          mask & ~(low & -low));
            qapi_free_TestOptional(fewer);
        }
        qapi_free_TestOptional(o);
    }
}
END_TEST

START_TEST(test_optional_values)
{
    TestOptional *o;

    o = parse_TestOptional("{\"a\":null,\"nul\":null,\"b\":false}");
    ck_assert(json_is_null(o->a));
    ck_assert_ptr_eq(o->nul, qapi_null());
    ck_assert(o->has_b && !o->b);
    ck_assert(!o->has_n && !o->has_i && !o->s && !o->inner);
    qapi_free_TestOptional(o);

    /* An empty optional list is present, and NULL. */
    o = parse_TestOptional("{\"l\":[]}");
    ck_assert(o->has_l);
    ck_assert_ptr_null(o->l);
    rt_TestOptional(o, "{\"l\":[]}");
    {
        TestOptional *absent = parse_TestOptional("{}");

        ck_assert(!absent->has_l);
        ck_assert(!qapi_equal_TestOptional(o, absent));
        qapi_free_TestOptional(absent);
    }
    qapi_free_TestOptional(o);

    bad_TestOptional("{\"e\":\"four\"}",
                     "Parameter 'e' does not accept value 'four'", 0);
    bad_TestOptional("{\"e\":1}",
                     "Invalid parameter type for 'e', expected: string", 0);
    bad_TestOptional("{\"s\":null}",
                     "Invalid parameter type for 's', expected: string", 0);
    bad_TestOptional("{\"i\":null}",
                     "Invalid parameter type for 'i', expected: integer", 0);
    bad_TestOptional("{\"inner\":{}}", "Parameter 'inner.x' is missing", 0);
    bad_TestOptional("{\"inner\":{\"x\":1,\"y\":2}}",
                     "Invalid parameter type for 'inner.y', expected: string",
                     0);
    bad_TestOptional("{\"l\":[1,true]}",
                     "Invalid parameter type for 'l[1]', expected: integer", 0);
    bad_TestOptional("{\"alt\":null}",
                     "Invalid parameter type for 'alt', expected: "
                     "TestAltScalar",
                     0);
    bad_TestOptional("{\"b\":true,\"b\":true}", "Parameter 'b' is duplicated",
                     BAD_TEXT_ONLY);
    bad_TestOptional("{\"a\":1,\"a\":1}", "Parameter 'a' is duplicated",
                     BAD_TEXT_ONLY);
    bad_TestOptional("{\"nul\":null,\"nul\":null}",
                     "Parameter 'nul' is duplicated", BAD_TEXT_ONLY);
    bad_TestOptional("{\"inner\":{\"x\":1},\"inner\":{\"x\":1}}",
                     "Parameter 'inner' is duplicated", BAD_TEXT_ONLY);
    bad_TestOptional("{\"has-b\":true}", "Parameter 'has-b' is unexpected", 0);
    bad_TestOptional("{\"has_b\":true}", "Parameter 'has_b' is unexpected", 0);
}
END_TEST

/*
 * An optional member of type 'null' present and absent are different
 * values: their JSON differs ({"nul":null} and {}), yet
 * qapi_equal_TestOptional() calls them equal (types.py _value_equal()
 * returns "true" for null without looking at presence).
 */
START_TEST(test_optional_null_equal)
{
    TestOptional *present = parse_TestOptional("{\"nul\":null}");
    TestOptional *absent = parse_TestOptional("{}");

    ck_assert_ptr_nonnull(present->nul);
    ck_assert_ptr_null(absent->nul);
    ck_assert_msg(!qapi_equal_TestOptional(present, absent),
                  "{\"nul\":null} and {} compare equal");
    ck_assert(!qapi_equal_TestOptional(absent, present));
    qapi_free_TestOptional(present);
    qapi_free_TestOptional(absent);
}
END_TEST

/* ---- names, nesting, bases --------------------------------------------- */

START_TEST(test_mangling)
{
    unsigned mask;

    for (mask = 0; mask < 8; mask++) {
        TestMangle *m = NEW(TestMangle);
        char *expect;

        m->q_default = -1;
        m->q_if = xstrdup("if");
        m->a_b = true;
        /* Absent members are left zero: qapi_equal_TestMangle() compares
         * the values of absent scalar members too. */
        m->has_q_class = mask & 1;
        m->q_class = mask & 1 ? 2 : 0;
        m->has_e = mask & 2;
        m->e = mask & 2 ? TEST_MANGLED_ENUM_A_B : 0;
        m->has_p = mask & 4;
        m->p = mask & 4 ? TP_ON_IF : 0;
        expect = fmt("{\"default\":-1,\"if\":\"if\",\"a-b\":true%s%s%s}",
                     mask & 1 ? ",\"class\":2" : "",
                     mask & 2 ? ",\"e\":\"a-b\"" : "",
                     mask & 4 ? ",\"p\":\"on-if\"" : "");
        rt_TestMangle(m, expect);
        free(expect);
        qapi_free_TestMangle(m);
    }
    {
        TestMangle *m = parse_TestMangle(
            "{\"e\":\"0x\",\"a-b\":false,\"if\":\"\",\"default\":0,"
            "\"p\":\"beta-gamma\"}");

        ck_assert_int_eq(m->e, TEST_MANGLED_ENUM_0X);
        ck_assert_int_eq(m->p, TP_BETA_GAMMA);
        ck_assert(m->has_e && m->has_p && !m->has_q_class);
        qapi_free_TestMangle(m);
    }
    bad_TestMangle("{\"default\":0,\"if\":\"\",\"a_b\":false}",
                   "Parameter 'a_b' is unexpected", 0);
    bad_TestMangle("{\"q_default\":0}", "Parameter 'q_default' is unexpected",
                   0);
    bad_TestMangle("{\"default\":0,\"a-b\":false}", "Parameter 'if' is missing",
                   0);
    bad_TestMangle("{\"default\":0,\"if\":\"\",\"a-b\":false,\"e\":\"a_b\"}",
                   "Parameter 'e' does not accept value 'a_b'", 0);
    bad_TestMangle("{\"default\":0,\"if\":\"\",\"a-b\":false,"
                   "\"e\":\"DEFAULT\"}",
                   "Parameter 'e' does not accept value 'DEFAULT'", 0);
    /* A value compiled out does not exist. */
    bad_TestMangle("{\"default\":0,\"if\":\"\",\"a-b\":false,\"p\":\"off-if\"}",
                   "Parameter 'p' does not accept value 'off-if'", 0);
}
END_TEST

static TestNested *nested_new(size_t n)
{
    TestNested *t = NEW(TestNested);

    t->id = xstrdup("id");
    t->outer = NEW(TestMiddle);
    t->outer->inner = inner_list(n);
    return t;
}

START_TEST(test_nested)
{
    TestNested *t = nested_new(3);
    TestMiddle *m;

    rt_TestNested(t, "{\"outer\":{\"inner\":[{\"x\":-128},{\"x\":-78,"
                     "\"y\":\"odd\"},{\"x\":-28}]},\"id\":\"id\"}");
    t->outer->has_e = true;
    t->outer->e = TEST_ENUM_TWO;
    rt_TestNested(t, NULL);
    rt_TestMiddle(t->outer, NULL);
    rt_TestInnerList(t->outer->inner, NULL);
    rt_TestInner(t->outer->inner->next->value, "{\"x\":-78,\"y\":\"odd\"}");
    qapi_free_TestNested(t);

    t = nested_new(0);
    rt_TestNested(t, "{\"outer\":{\"inner\":[]},\"id\":\"id\"}");
    qapi_free_TestNested(t);

    /* A deep difference makes a difference. */
    t = nested_new(2);
    {
        TestNested *u = qapi_clone_TestNested(t);

        u->outer->inner->next->value->x++;
        ck_assert(!qapi_equal_TestNested(t, u));
        u->outer->inner->next->value->x--;
        ck_assert(qapi_equal_TestNested(t, u));
        free(u->outer->inner->next->value->y);
        u->outer->inner->next->value->y = NULL;
        ck_assert(!qapi_equal_TestNested(t, u));
        qapi_free_TestNested(u);
    }
    qapi_free_TestNested(t);

    m = parse_TestMiddle("{\"e\":\"three\",\"inner\":[{\"y\":\"\",\"x\":0}]}");
    ck_assert_int_eq(m->e, TEST_ENUM_THREE);
    ck_assert_str_eq(m->inner->value->y, "");
    qapi_free_TestMiddle(m);
}
END_TEST

static const struct {
    const char *json, *msg;
    int flags;
} nested_bad[] = {
    {"{\"outer\":{\"inner\":[{\"x\":1},{\"x\":300}]},\"id\":\"a\"}",
     "Parameter 'outer.inner[1].x' expects int8", 0},
    {"{\"outer\":{\"inner\":[{\"x\":1},{\"x\":-129}]},\"id\":\"a\"}",
     "Parameter 'outer.inner[1].x' expects int8", 0},
    {"{\"outer\":{\"inner\":[{\"x\":1},{}]},\"id\":\"a\"}",
     "Parameter 'outer.inner[1].x' is missing", 0},
    {"{\"outer\":{\"inner\":[{\"x\":1},{\"x\":\"1\"}]},\"id\":\"a\"}",
     "Invalid parameter type for 'outer.inner[1].x', expected: integer", 0},
    {"{\"outer\":{\"inner\":[{\"x\":1,\"z\":1}]},\"id\":\"a\"}",
     "Parameter 'outer.inner[0].z' is unexpected", 0},
    {"{\"outer\":{\"inner\":[{\"x\":1},{\"x\":1,\"y\":\"a\",\"y\":\"b\"}]},"
     "\"id\":\"a\"}",
     "Parameter 'outer.inner[1].y' is duplicated", BAD_TEXT_ONLY},
    {"{\"outer\":{\"inner\":[{\"x\":1},null]},\"id\":\"a\"}",
     "Invalid parameter type for 'outer.inner[1]', expected: object", 0},
    {"{\"outer\":{\"inner\":{}},\"id\":\"a\"}",
     "Invalid parameter type for 'outer.inner', expected: array", 0},
    {"{\"outer\":{\"inner\":[],\"e\":\"bad\"},\"id\":\"a\"}",
     "Parameter 'outer.e' does not accept value 'bad'", 0},
    {"{\"outer\":{},\"id\":\"a\"}", "Parameter 'outer.inner' is missing", 0},
    {"{\"outer\":[],\"id\":\"a\"}",
     "Invalid parameter type for 'outer', expected: object", 0},
    {"{\"outer\":{\"inner\":[]}}", "Parameter 'id' is missing", 0},
    {"{\"id\":\"a\"}", "Parameter 'outer' is missing", 0},
    {"{\"id\":\"a\",\"outer\":{\"inner\":[]},\"id\":\"b\"}",
     "Parameter 'id' is duplicated", BAD_TEXT_ONLY},
    {"[]", "Invalid parameter type for '<root>', expected: object", 0},
    {"null", "Invalid parameter type for '<root>', expected: object", 0},
    {"\"x\"", "Invalid parameter type for '<root>', expected: object", 0},
};

START_TEST(test_nested_errors)
{
    size_t i;

    for (i = 0; i < ARRAY_SIZE(nested_bad); i++) {
        bad_TestNested(nested_bad[i].json, nested_bad[i].msg,
                       nested_bad[i].flags);
    }
    bad_TestInnerList("[{\"x\":1},{\"x\":\"a\"}]",
                      "Invalid parameter type for '[1].x', expected: integer",
                      0);
    bad_TestInnerList("[{\"x\":1},{\"x\":1,\"x\":2}]",
                      "Parameter '[1].x' is duplicated", BAD_TEXT_ONLY);
    bad_TestInnerList("{}",
                      "Invalid parameter type for '<root>', expected: "
                      "array",
                      0);
    bad_TestInner("{\"x\":128}", "Parameter 'x' expects int8", 0);
}
END_TEST

START_TEST(test_base_chain)
{
    unsigned mask;

    for (mask = 0; mask < 4; mask++) {
        TestDerived *d = NEW(TestDerived);
        char *expect, *text;

        d->b0 = INT64_MIN;
        d->b1 = mask & 1 ? xstrdup("one") : NULL;
        d->d = true;
        d->has_d2 = mask & 2;
        d->d2 = mask & 2 ? UINT8_MAX : 0;
        expect = fmt("{\"b0\":-9223372036854775808%s,\"d\":true%s}",
                     mask & 1 ? ",\"b1\":\"one\"" : "",
                     mask & 2 ? ",\"d2\":255" : "");
        rt_TestDerived(d, expect);
        free(expect);

        /* The base views share the layout. */
        ck_assert_ptr_eq((void *)qapi_TestDerived_base(d), (void *)d);
        ck_assert_int_eq(qapi_TestDerived_base(d)->b0, INT64_MIN);
        text = qapi_TestBase1_to_string(qapi_TestDerived_base(d));
        expect = fmt("{\"b0\":-9223372036854775808%s}",
                     mask & 1 ? ",\"b1\":\"one\"" : "");
        ck_assert_str_eq(text, expect);
        free(text);
        free(expect);
        text = qapi_TestBase0_to_string(
            qapi_TestBase1_base(qapi_TestDerived_base(d)));
        ck_assert_str_eq(text, "{\"b0\":-9223372036854775808}");
        free(text);
        rt_TestBase1(qapi_TestDerived_base(d), NULL);
        qapi_free_TestDerived(d);
    }
    bad_TestDerived("{\"d\":true}", "Parameter 'b0' is missing", 0);
    bad_TestDerived("{\"b0\":1}", "Parameter 'd' is missing", 0);
    bad_TestDerived("{\"b0\":1,\"d\":true,\"d2\":256}",
                    "Parameter 'd2' expects uint8", 0);
    bad_TestDerived("{\"b0\":1,\"d\":true,\"b0\":1}",
                    "Parameter 'b0' is duplicated", BAD_TEXT_ONLY);
    bad_TestDerived("{\"b0\":1,\"d\":true,\"b2\":[]}",
                    "Parameter 'b2' is unexpected", 0);
    bad_TestBase1("{\"b0\":1,\"d\":true}", "Parameter 'd' is unexpected", 0);
}
END_TEST

/* ---- lists ------------------------------------------------------------- */

static const char lists_text[] =
    "{\"ints\":[-9223372036854775808,0,9223372036854775807],"
    "\"i8s\":[-128,127],\"u64s\":[18446744073709551615,0],"
    "\"sizes\":[18446744073709551615],\"nums\":[0.5,-2.0],"
    "\"bools\":[true,false],\"strs\":[\"a\",\"\"],\"nuls\":[null,null],"
    "\"anys\":[1,\"s\",[],{\"k\":null}],\"enums\":[\"three\",\"one\"],"
    "\"structs\":[{\"x\":1},{\"x\":2,\"y\":\"z\"}],"
    "\"alts\":[true,-1,\"two\"]}";

static const char lists_empty_text[] =
    "{\"ints\":[],\"i8s\":[],\"u64s\":[],\"sizes\":[],\"nums\":[],"
    "\"bools\":[],\"strs\":[],\"nuls\":[],\"anys\":[],\"enums\":[],"
    "\"structs\":[],\"alts\":[]}";

START_TEST(test_lists)
{
    TestLists *l = parse_TestLists(lists_text), *e;

    ck_assert_int_eq(l->ints->value, INT64_MIN);
    ck_assert_int_eq(l->ints->next->next->value, INT64_MAX);
    ck_assert_ptr_null(l->ints->next->next->next);
    ck_assert_uint_eq(l->u64s->value, UINT64_MAX);
    ck_assert_uint_eq(l->sizes->value, UINT64_MAX);
    ck_assert_int_eq(l->i8s->value, INT8_MIN);
    ck_assert_ptr_eq(l->nuls->value, qapi_null());
    ck_assert_int_eq(l->enums->value, TEST_ENUM_THREE);
    ck_assert_int_eq(l->alts->value->type, QTYPE_QBOOL);
    ck_assert_int_eq(l->alts->next->value->type, QTYPE_QNUM);
    ck_assert_int_eq(l->alts->next->next->value->type, QTYPE_QSTRING);
    ck_assert_int_eq(l->alts->next->next->value->u.e, TEST_ENUM_TWO);
    rt_TestLists(l, lists_text);
    rt_intList(l->ints, "[-9223372036854775808,0,9223372036854775807]");
    rt_uint64List(l->u64s, "[18446744073709551615,0]");
    rt_sizeList(l->sizes, "[18446744073709551615]");
    rt_TestEnumList(l->enums, "[\"three\",\"one\"]");
    rt_TestAltScalarList(l->alts, "[true,-1,\"two\"]");
    rt_anyList(l->anys, "[1,\"s\",[],{\"k\":null}]");
    rt_nullList(l->nuls, "[null,null]");
    rt_boolList(l->bools, "[true,false]");
    rt_TestInnerList(l->structs, "[{\"x\":1},{\"x\":2,\"y\":\"z\"}]");

    /* Lists differ in length or in one element. */
    e = qapi_clone_TestLists(l);
    e->ints->next->value = 1;
    ck_assert(!qapi_equal_TestLists(l, e));
    e->ints->next->value = 0;
    ck_assert(qapi_equal_TestLists(l, e));
    qapi_free_intList(e->ints->next->next);
    e->ints->next->next = NULL;
    ck_assert(!qapi_equal_TestLists(l, e));
    ck_assert(!qapi_equal_TestLists(e, l));
    qapi_free_TestLists(e);
    qapi_free_TestLists(l);

    /* Empty lists are NULL. */
    e = parse_TestLists(lists_empty_text);
    ck_assert_ptr_null(e->ints);
    ck_assert_ptr_null(e->structs);
    ck_assert_ptr_null(e->alts);
    rt_TestLists(e, lists_empty_text);
    qapi_free_TestLists(e);
    e = NEW(TestLists);
    rt_TestLists(e, lists_empty_text);
    qapi_free_TestLists(e);
    rt_intList(NULL, "[]");
    rt_TestInnerList(NULL, "[]");
    rt_TestEnumList(NULL, "[]");
}
END_TEST

/* lists_empty_text with member @name set to @value. */
static char *lists_json(const char *name, const char *value)
{
    char *key = fmt("\"%s\":[]", name);
    const char *at = strstr(lists_empty_text, key);
    char *json;

    ck_assert_ptr_nonnull(at);
    json = fmt("%.*s\"%s\":%s%s", (int)(at - lists_empty_text),
               lists_empty_text, name, value, at + strlen(key));
    free(key);
    return json;
}

START_TEST(test_list_errors)
{
    static const struct {
        const char *name, *value, *msg;
    } bad[] = {
        {"ints", "[1,\"x\"]",
         "Invalid parameter type for 'ints[1]', expected: integer"},
        {"ints", "[9223372036854775808]", "Parameter 'ints[0]' expects int"},
        {"i8s", "[127,128]", "Parameter 'i8s[1]' expects int8"},
        {"u64s", "[0,18446744073709551616]",
         "Parameter 'u64s[1]' expects uint64"},
        {"sizes", "[-1]", "Parameter 'sizes[0]' expects size"},
        {"nums", "[1,null]",
         "Invalid parameter type for 'nums[1]', expected: number"},
        {"bools", "[true,0]",
         "Invalid parameter type for 'bools[1]', expected: boolean"},
        {"strs", "[\"a\",[]]",
         "Invalid parameter type for 'strs[1]', expected: string"},
        {"nuls", "[null,0]",
         "Invalid parameter type for 'nuls[1]', expected: null"},
        {"anys", "[1,[2,99999999999999999999]]",
         "Parameter 'anys[1][1]' is out of int64 range"},
        {"enums", "[\"one\",\"zz\"]",
         "Parameter 'enums[1]' does not accept value 'zz'"},
        {"enums", "[\"one\",1]",
         "Invalid parameter type for 'enums[1]', expected: string"},
        {"structs", "[{\"x\":1},{\"x\":1,\"q\":2}]",
         "Parameter 'structs[1].q' is unexpected"},
        {"structs", "[{\"x\":1},{\"y\":\"\"}]",
         "Parameter 'structs[1].x' is missing"},
        {"alts", "[true,null]",
         "Invalid parameter type for 'alts[1]', expected: TestAltScalar"},
        {"alts", "[true,\"four\"]",
         "Parameter 'alts[1]' does not accept value 'four'"},
        {"ints", "{}", "Invalid parameter type for 'ints', expected: array"},
        {"ints", "null", "Invalid parameter type for 'ints', expected: array"},
        {"structs", "{\"x\":1}",
         "Invalid parameter type for 'structs', expected: array"},
    };
    size_t i;

    for (i = 0; i < ARRAY_SIZE(bad); i++) {
        char *json = lists_json(bad[i].name, bad[i].value);

        bad_TestLists(json, bad[i].msg, 0);
        free(json);
    }
    bad_TestLists("{\"ints\":[]}", "Parameter 'i8s' is missing", 0);
}
END_TEST

/* Lists of every built-in integer type at their limits, from the root. */
START_TEST(test_builtin_lists)
{
    int8List *i8;
    uint64List *u64;

    i8 = parse_int8List("[-128,127]");
    rt_int8List(i8, "[-128,127]");
    qapi_free_int8List(i8);
    bad_int8List("[-128,127,128]", "Parameter '[2]' expects int8", 0);
    bad_int16List("[-32769]", "Parameter '[0]' expects int16", 0);
    {
        int16List *l = parse_int16List("[-32768,32767]");

        rt_int16List(l, "[-32768,32767]");
        qapi_free_int16List(l);
    }
    {
        int32List *l = parse_int32List("[-2147483648,2147483647]");

        rt_int32List(l, "[-2147483648,2147483647]");
        qapi_free_int32List(l);
    }
    bad_int32List("[2147483648]", "Parameter '[0]' expects int32", 0);
    {
        int64List *l =
            parse_int64List("[-9223372036854775808,9223372036854775807]");

        rt_int64List(l, "[-9223372036854775808,9223372036854775807]");
        qapi_free_int64List(l);
    }
    bad_int64List("[-9223372036854775809]", "Parameter '[0]' expects int64", 0);
    {
        uint8List *l = parse_uint8List("[0,255]");

        rt_uint8List(l, "[0,255]");
        qapi_free_uint8List(l);
    }
    bad_uint8List("[256]", "Parameter '[0]' expects uint8", 0);
    {
        uint16List *l = parse_uint16List("[0,65535]");

        rt_uint16List(l, "[0,65535]");
        qapi_free_uint16List(l);
    }
    bad_uint16List("[65536]", "Parameter '[0]' expects uint16", 0);
    {
        uint32List *l = parse_uint32List("[0,4294967295]");

        rt_uint32List(l, "[0,4294967295]");
        qapi_free_uint32List(l);
    }
    bad_uint32List("[4294967296]", "Parameter '[0]' expects uint32", 0);
    u64 = parse_uint64List("[18446744073709551615,9223372036854775808]");
    ck_assert_uint_eq(u64->value, UINT64_MAX);
    ck_assert_uint_eq(u64->next->value, (uint64_t)INT64_MAX + 1);
    rt_uint64List(u64, "[18446744073709551615,9223372036854775808]");
    qapi_free_uint64List(u64);
    bad_uint64List("[18446744073709551616]", "Parameter '[0]' expects uint64",
                   0);
    bad_sizeList("[1,-1]", "Parameter '[1]' expects size", 0);
    bad_boolList("[null]",
                 "Invalid parameter type for '[0]', expected: boolean", 0);
    bad_nullList("[false]", "Invalid parameter type for '[0]', expected: null",
                 0);
    bad_anyList("[{\"a\":1,\"a\":2}]", "Parameter '[0].a' is duplicated",
                BAD_TEXT_ONLY);
    bad_TestEnumList("[\"one\",\"bad\"]",
                     "Parameter '[1]' does not accept value 'bad'", 0);
    bad_TestAltScalarList("[{}]",
                          "Invalid parameter type for '[0]', expected: "
                          "TestAltScalar",
                          0);
}
END_TEST

/* ---- conditions -------------------------------------------------------- */

START_TEST(test_conditional)
{
    TestIfMembers *m = NEW(TestIfMembers);
    TestAllOff *off;

    m->always = 1;
    m->on = 2;
    rt_TestIfMembers(m, "{\"always\":1,\"on\":2}");
    m->not_off = xstrdup("x");
    rt_TestIfMembers(m, "{\"always\":1,\"on\":2,\"not-off\":\"x\"}");
    qapi_free_TestIfMembers(m);

    bad_TestIfMembers("{\"always\":1}", "Parameter 'on' is missing", 0);
    bad_TestIfMembers("{\"always\":1,\"on\":2,\"off\":3}",
                      "Parameter 'off' is unexpected", 0);
    bad_TestIfMembers("{\"always\":1,\"on\":2,\"both\":\"\"}",
                      "Parameter 'both' is unexpected", 0);

    off = parse_TestAllOff("{}");
    rt_TestAllOff(off, "{}");
    qapi_free_TestAllOff(off);
    bad_TestAllOff("{\"x\":1}", "Parameter 'x' is unexpected", 0);

    /* Enums: compiled-out values have no constant and no name. */
    ck_assert_int_eq(TP__MAX, 4);
    ck_assert_int_eq(TestPrefixed_lookup.size, 4);
    ck_assert_int_eq(TP_ALPHA, 0);
    ck_assert_int_eq(TP_ON_IF, 2);
    ck_assert_int_eq(TP_LAST, 3);
    ck_assert_str_eq(TestPrefixed_str(TP_BETA_GAMMA), "beta-gamma");
    ck_assert_str_eq(TestPrefixed_str(TP_ON_IF), "on-if");
    ck_assert_str_eq(TestPrefixed_str(TP_LAST), "last");
    ck_assert_ptr_null(TestPrefixed_str(TP__MAX));
    ck_assert_ptr_null(TestPrefixed_str((TestPrefixed)-1));
    ck_assert_int_eq(TEST_KIND__MAX, 5);
    ck_assert_str_eq(TestKind_str(TEST_KIND_E), "e");
    {
        QapiError *err = NULL;

        ck_assert_int_eq(
            qapi_enum_parse(&TestPrefixed_lookup, "on-if", -1, &err), TP_ON_IF);
        ck_assert_ptr_null(err);
        ck_assert_int_eq(
            qapi_enum_parse(&TestPrefixed_lookup, "off-if", -1, &err), -1);
        ck_assert_ptr_nonnull(err);
        qapi_error_free(err);
    }
    ck_assert_int_eq(TEST_MANGLED_ENUM__MAX, 4);
    ck_assert_str_eq(TestMangledEnum_str(TEST_MANGLED_ENUM_DEFAULT), "default");
    ck_assert_str_eq(TestMangledEnum_str(TEST_MANGLED_ENUM_IF), "if");
    ck_assert_str_eq(TestMangledEnum_str(TEST_MANGLED_ENUM_0X), "0x");
    ck_assert_int_eq(TEST_ENUM__MAX, 3);
    ck_assert_str_eq(TestEnum_str(TEST_ENUM_TWO), "two");
}
END_TEST

/* ---- unions ------------------------------------------------------------ */

static TestUnionDict *union_new(TestKind kind, bool common)
{
    TestUnionDict *u = NEW(TestUnionDict);

    u->kind = kind;
    u->has_common = common;
    u->common = common ? -5 : 0;
    switch (kind) {
    case TEST_KIND_A:
        u->u.a.a1 = INT64_MAX;
        u->u.a.a2 = xstrdup("a2");
        break;
    case TEST_KIND_B:
        u->u.b.b0 = 3;
        u->u.b.b2 = inner_list(2);
        break;
    case TEST_KIND_E:
        u->u.e.x = 9;
        break;
    default:
        break;
    }
    return u;
}

START_TEST(test_union_dict)
{
    /* The text of each branch, after the common members. */
    static const char *const texts[] = {
        ",\"a1\":9223372036854775807,\"a2\":\"a2\"}",
        ",\"b0\":3,\"b2\":[{\"x\":-128},{\"x\":-78,\"y\":\"odd\"}]}",
        "}",
        "}",
        ",\"x\":9}",
    };
    int kind, common;

    ck_assert_int_eq(ARRAY_SIZE(texts), TEST_KIND__MAX);
    for (kind = 0; kind < TEST_KIND__MAX; kind++) {
        for (common = 0; common < 2; common++) {
            TestUnionDict *u = union_new((TestKind)kind, common);
            char *expect =
                fmt("{\"kind\":\"%s\"%s%s", TestKind_str((TestKind)kind),
                    common ? ",\"common\":-5" : "", texts[kind]);
            int other;

            rt_TestUnionDict(u, expect);
            free(expect);
            /* A different branch is a different value. */
            for (other = 0; other < TEST_KIND__MAX; other++) {
                TestUnionDict *v = union_new((TestKind)other, common);

                ck_assert(qapi_equal_TestUnionDict(u, v) == (other == kind));
                qapi_free_TestUnionDict(v);
            }
            qapi_free_TestUnionDict(u);
        }
    }
    {
        /* Members in any order, the discriminator last. */
        TestUnionDict *u = parse_TestUnionDict(
            "{\"a2\":\"\",\"a1\":1,\"common\":2,\"kind\":\"a\"}");
        TestUnionDict *v;

        ck_assert_int_eq(u->kind, TEST_KIND_A);
        ck_assert_int_eq(u->u.a.a1, 1);
        ck_assert(u->has_common);
        v = qapi_clone_TestUnionDict(u);
        v->u.a.a1 = 2;
        ck_assert(!qapi_equal_TestUnionDict(u, v));
        qapi_free_TestUnionDict(v);
        qapi_free_TestUnionDict(u);
    }
}
END_TEST

static const struct {
    const char *json, *msg;
    int flags;
} union_bad[] = {
    {"{\"kind\":\"zz\"}", "Parameter 'kind' does not accept value 'zz'", 0},
    {"{\"a1\":1,\"kind\":\"A\"}", "Parameter 'kind' does not accept value 'A'",
     0},
    /* compiled out */
    {"{\"kind\":\"f\",\"x\":1}", "Parameter 'kind' does not accept value 'f'",
     0},
    {"{\"common\":1}", "Parameter 'kind' is missing", 0},
    {"{}", "Parameter 'kind' is missing", 0},
    {"{\"kind\":1}", "Invalid parameter type for 'kind', expected: string", 0},
    {"{\"kind\":null}", "Invalid parameter type for 'kind', expected: string",
     0},
    {"{\"kind\":\"a\"}", "Parameter 'a1' is missing", 0},
    {"{\"kind\":\"b\",\"b0\":1}", "Parameter 'b2' is missing", 0},
    {"{\"kind\":\"b\",\"b2\":[]}", "Parameter 'b0' is missing", 0},
    {"{\"kind\":\"a\",\"a1\":1,\"b0\":1}", "Parameter 'b0' is unexpected", 0},
    {"{\"kind\":\"c\",\"a1\":1}", "Parameter 'a1' is unexpected", 0},
    {"{\"kind\":\"d\",\"zz\":1}", "Parameter 'zz' is unexpected", 0},
    {"{\"kind\":\"c\",\"kind\":\"c\"}", "Parameter 'kind' is duplicated",
     BAD_TEXT_ONLY},
    {"{\"kind\":\"c\",\"kind\":\"d\"}", "Parameter 'kind' is duplicated",
     BAD_TEXT_ONLY},
    {"{\"kind\":\"a\",\"a1\":1,\"a1\":1}", "Parameter 'a1' is duplicated",
     BAD_TEXT_ONLY},
    {"{\"kind\":\"c\",\"common\":1,\"common\":1}",
     "Parameter 'common' is duplicated", BAD_TEXT_ONLY},
    {"{\"kind\":\"a\",\"a1\":\"1\"}",
     "Invalid parameter type for 'a1', expected: integer", 0},
    {"{\"kind\":\"c\",\"common\":1.5}",
     "Invalid parameter type for 'common', expected: integer", 0},
    {"{\"kind\":\"b\",\"b0\":3,\"b2\":[{\"x\":1},{\"x\":1000}]}",
     "Parameter 'b2[1].x' expects int8", 0},
    {"{\"kind\":\"e\",\"x\":1,\"y\":1}",
     "Invalid parameter type for 'y', expected: string", 0},
    {"[]", "Invalid parameter type for '<root>', expected: object", 0},
};

START_TEST(test_union_errors)
{
    size_t i;

    for (i = 0; i < ARRAY_SIZE(union_bad); i++) {
        bad_TestUnionDict(union_bad[i].json, union_bad[i].msg,
                          union_bad[i].flags);
    }
    bad_TestUnionDict("{\"kind\":\"a\",\"a1\":1", "JSON parse error at byte ",
                      BAD_PREFIX);
}
END_TEST

START_TEST(test_union_named)
{
    TestUnionNamed *u = NEW(TestUnionNamed);

    u->tag = TEST_ENUM_ONE;
    u->name = xstrdup("n");
    u->u.one.a1 = -1;
    rt_TestUnionNamed(u, "{\"tag\":\"one\",\"name\":\"n\",\"a1\":-1}");
    rt_TestUnionBase(qapi_TestUnionNamed_base(u),
                     "{\"tag\":\"one\",\"name\":\"n\"}");
    u->u.one.a2 = xstrdup("x");
    rt_TestUnionNamed(
        u, "{\"tag\":\"one\",\"name\":\"n\",\"a1\":-1,\"a2\":\"x\"}");
    qapi_free_TestUnionNamed(u);

    u = parse_TestUnionNamed("{\"name\":\"\",\"tag\":\"two\"}");
    ck_assert_int_eq(u->tag, TEST_ENUM_TWO);
    rt_TestUnionNamed(u, "{\"tag\":\"two\",\"name\":\"\"}");
    qapi_free_TestUnionNamed(u);
    u = parse_TestUnionNamed("{\"name\":\"\",\"tag\":\"three\"}");
    ck_assert_int_eq(u->tag, TEST_ENUM_THREE);
    rt_TestUnionNamed(u, "{\"tag\":\"three\",\"name\":\"\"}");
    qapi_free_TestUnionNamed(u);

    bad_TestUnionNamed("{\"name\":\"\"}", "Parameter 'tag' is missing", 0);
    bad_TestUnionNamed("{\"tag\":\"one\"}", "Parameter 'name' is missing", 0);
    bad_TestUnionNamed("{\"tag\":\"one\",\"name\":\"\"}",
                       "Parameter 'a1' is missing", 0);
    bad_TestUnionNamed("{\"tag\":\"three\",\"name\":\"\",\"a1\":1}",
                       "Parameter 'a1' is unexpected", 0);
    bad_TestUnionNamed("{\"tag\":\"four\",\"name\":\"\"}",
                       "Parameter 'tag' does not accept value 'four'", 0);
    bad_TestUnionNamed("{\"tag\":\"one\",\"name\":\"\",\"a1\":1,"
                       "\"tag\":\"one\"}",
                       "Parameter 'tag' is duplicated", BAD_TEXT_ONLY);
    /* Branch structs on their own. */
    {
        TestBranchB *b = parse_TestBranchB("{\"b0\":0,\"b2\":[]}");

        rt_TestBranchB(b, "{\"b0\":0,\"b2\":[]}");
        qapi_free_TestBranchB(b);
    }
    {
        TestBranchA *a = parse_TestBranchA("{\"a1\":0}");
        TestEmpty *e = parse_TestEmpty("{}");

        rt_TestBranchA(a, "{\"a1\":0}");
        rt_TestEmpty(e, "{}");
        bad_TestEmpty("{\"a\":1}", "Parameter 'a' is unexpected", 0);
        qapi_free_TestBranchA(a);
        qapi_free_TestEmpty(e);
    }
}
END_TEST

/* ---- alternates -------------------------------------------------------- */

START_TEST(test_alternates)
{
    TestAltScalar as;
    TestAltStr astr;
    TestAltNum an;
    TestAltU64 au;
    TestAltSize asz;

    as.type = QTYPE_QBOOL;
    as.u.b = true;
    rt_TestAltScalar(&as, "true");
    as.u.b = false;
    rt_TestAltScalar(&as, "false");
    as.type = QTYPE_QNUM;
    as.u.i = INT64_MIN;
    rt_TestAltScalar(&as, "-9223372036854775808");
    as.u.i = INT64_MAX;
    rt_TestAltScalar(&as, "9223372036854775807");
    as.type = QTYPE_QSTRING;
    as.u.e = TEST_ENUM_TWO;
    rt_TestAltScalar(&as, "\"two\"");

    astr.type = QTYPE_QNULL;
    astr.u.n = qapi_null();
    rt_TestAltStr(&astr, "null");
    astr.type = QTYPE_QSTRING;
    astr.u.s = (char *)"1";
    rt_TestAltStr(&astr, "\"1\"");
    astr.type = QTYPE_QDICT;
    astr.u.o.x = 1;
    astr.u.o.y = NULL;
    rt_TestAltStr(&astr, "{\"x\":1}");
    astr.u.o.y = (char *)"y";
    rt_TestAltStr(&astr, "{\"x\":1,\"y\":\"y\"}");
    astr.type = QTYPE_QLIST;
    astr.u.l = NULL;
    rt_TestAltStr(&astr, "[]");
    astr.u.l = int_list(3, (const int64_t[]){1, 2, 3});
    rt_TestAltStr(&astr, "[1,2,3]");
    qapi_free_intList(astr.u.l);

    an.type = QTYPE_QNUM;
    an.u.n = 0.5;
    rt_TestAltNum(&an, "0.5");
    an.u.n = -3.0;
    rt_TestAltNum(&an, "-3.0");
    an.type = QTYPE_QSTRING;
    an.u.e = TEST_ENUM_ONE;
    rt_TestAltNum(&an, "\"one\"");
    an.type = QTYPE_QLIST;
    an.u.l = inner_list(1);
    rt_TestAltNum(&an, "[{\"x\":-128}]");
    qapi_free_TestInnerList(an.u.l);
    {
        TestUnionDict *u = union_new(TEST_KIND_B, true);

        an.type = QTYPE_QDICT;
        an.u.u = *u;
        rt_TestAltNum(&an, "{\"kind\":\"b\",\"common\":-5,\"b0\":3,"
                           "\"b2\":[{\"x\":-128},{\"x\":-78,\"y\":\"odd\"}]}");
        qapi_free_TestUnionDict(u);
    }

    au.type = QTYPE_QNUM;
    au.u.u = (uint64_t)INT64_MAX;
    rt_TestAltU64(&au, "9223372036854775807");
    au.type = QTYPE_QSTRING;
    au.u.e = TEST_ENUM_THREE;
    rt_TestAltU64(&au, "\"three\"");
    asz.type = QTYPE_QBOOL;
    asz.u.b = true;
    rt_TestAltSize(&asz, "true");
    asz.type = QTYPE_QNUM;
    asz.u.s = 0;
    rt_TestAltSize(&asz, "0");

    /* From text, the branch follows the JSON type. */
    {
        TestAltNum *n = parse_TestAltNum("7");

        ck_assert_int_eq(n->type, QTYPE_QNUM);
        ck_assert(n->u.n == 7.0);
        qapi_free_TestAltNum(n);
        n = parse_TestAltNum("{\"kind\":\"c\"}");
        ck_assert_int_eq(n->type, QTYPE_QDICT);
        ck_assert_int_eq(n->u.u.kind, TEST_KIND_C);
        qapi_free_TestAltNum(n);
    }
    {
        TestAltU64 *u = parse_TestAltU64("18446744073709551615");

        ck_assert_int_eq(u->type, QTYPE_QNUM);
        ck_assert_uint_eq(u->u.u, UINT64_MAX);
        qapi_free_TestAltU64(u);
    }

    /* Different branches, or values, differ. */
    {
        TestAltScalar x = {.type = QTYPE_QNUM, .u.i = 1};
        TestAltScalar y = {.type = QTYPE_QBOOL, .u.b = true};

        ck_assert(!qapi_equal_TestAltScalar(&x, &y));
        y.type = QTYPE_QNUM;
        y.u.i = 2;
        ck_assert(!qapi_equal_TestAltScalar(&x, &y));
        y.u.i = 1;
        ck_assert(qapi_equal_TestAltScalar(&x, &y));
    }
}
END_TEST

/*
 * A uint64 alternate branch above INT64_MAX through jansson: to_json
 * writes the documented digit string, from_json must read it back into
 * the uint64 branch (docs/generated-api.md, <qapi/output.h>: "a value
 * survives qapi_T_to_json() -> qapi_T_from_json() unchanged").
 */
START_TEST(test_alternate_uint64_dom)
{
    TestAltU64 au = {.type = QTYPE_QNUM, .u.u = UINT64_MAX};
    TestAltSize asz = {.type = QTYPE_QNUM, .u.s = UINT64_MAX};
    TestAlts alts = {0};

    rt_TestAltU64(&au, "18446744073709551615");
    rt_TestAltSize(&asz, "18446744073709551615");
    alts.scalar = &(TestAltScalar){.type = QTYPE_QBOOL, .u.b = true};
    alts.u64 = &au;
    alts.size = &asz;
    rt_TestAlts(&alts, "{\"scalar\":true,\"u64\":18446744073709551615,"
                       "\"size\":18446744073709551615}");
}
END_TEST

START_TEST(test_alternate_errors)
{
    bad_TestAltScalar("null",
                      "Invalid parameter type for '<root>', expected: "
                      "TestAltScalar",
                      0);
    bad_TestAltScalar("{}",
                      "Invalid parameter type for '<root>', expected: "
                      "TestAltScalar",
                      0);
    bad_TestAltScalar("[]",
                      "Invalid parameter type for '<root>', expected: "
                      "TestAltScalar",
                      0);
    bad_TestAltScalar("\"four\"",
                      "Parameter '<root>' does not accept value 'four'", 0);
    bad_TestAltScalar(
        "1.5", "Invalid parameter type for '<root>', expected: integer", 0);
    bad_TestAltScalar("9223372036854775808", "Parameter '<root>' expects int",
                      0);
    bad_TestAltStr(
        "1", "Invalid parameter type for '<root>', expected: TestAltStr", 0);
    bad_TestAltStr(
        "true", "Invalid parameter type for '<root>', expected: TestAltStr", 0);
    bad_TestAltStr("{\"x\":1,\"z\":2}", "Parameter 'z' is unexpected", 0);
    bad_TestAltStr("{\"y\":\"\"}", "Parameter 'x' is missing", 0);
    bad_TestAltStr("[1,\"a\"]",
                   "Invalid parameter type for '[1]', expected: integer", 0);
    bad_TestAltNum(
        "true", "Invalid parameter type for '<root>', expected: TestAltNum", 0);
    bad_TestAltNum(
        "null", "Invalid parameter type for '<root>', expected: TestAltNum", 0);
    bad_TestAltNum("{\"kind\":\"zz\"}",
                   "Parameter 'kind' does not accept value 'zz'", 0);
    bad_TestAltNum("[{\"x\":1},{\"x\":1000}]", "Parameter '[1].x' expects int8",
                   0);
    bad_TestAltU64("-1", "Parameter '<root>' expects uint64", 0);
    bad_TestAltU64("18446744073709551616", "Parameter '<root>' expects uint64",
                   0);
    bad_TestAltU64("\"18446744073709551615\"",
                   "Parameter '<root>' does not accept value "
                   "'18446744073709551615'",
                   BAD_TEXT_ONLY);
    bad_TestAltSize("\"1\"",
                    "Invalid parameter type for '<root>', expected: "
                    "TestAltSize",
                    BAD_TEXT_ONLY);
    bad_TestAltSize("{}",
                    "Invalid parameter type for '<root>', expected: "
                    "TestAltSize",
                    0);
    /* Malformed JSON is reported as such, not as a type error. */
    bad_TestAltScalar("", "JSON parse error at byte 0: ", BAD_PREFIX);
    bad_TestAltScalar("tru", "JSON parse error at byte ", BAD_PREFIX);
    bad_TestAltStr("[1,", "JSON parse error at byte ", BAD_PREFIX);
    bad_TestAltStr("{\"x\":1", "JSON parse error at byte ", BAD_PREFIX);
}
END_TEST

START_TEST(test_alternates_in_struct)
{
    unsigned mask;

    for (mask = 0; mask < 16; mask++) {
        TestAlts *a = NEW(TestAlts);
        char *expect;

        a->scalar = NEW(TestAltScalar);
        a->scalar->type = QTYPE_QSTRING;
        a->scalar->u.e = TEST_ENUM_THREE;
        if (mask & 1) {
            a->str = NEW(TestAltStr);
            a->str->type = QTYPE_QNULL;
            a->str->u.n = qapi_null();
        }
        if (mask & 2) {
            a->num = NEW(TestAltNum);
            a->num->type = QTYPE_QDICT;
            a->num->u.u.kind = TEST_KIND_D;
        }
        if (mask & 4) {
            a->u64 = NEW(TestAltU64);
            a->u64->type = QTYPE_QNUM;
            a->u64->u.u = 42;
        }
        if (mask & 8) {
            a->size = NEW(TestAltSize);
            a->size->type = QTYPE_QBOOL;
            a->size->u.b = false;
        }
        expect = fmt(
            "{\"scalar\":\"three\"%s%s%s%s}", mask & 1 ? ",\"str\":null" : "",
            mask & 2 ? ",\"num\":{\"kind\":\"d\"}" : "",
            mask & 4 ? ",\"u64\":42" : "", mask & 8 ? ",\"size\":false" : "");
        rt_TestAlts(a, expect);
        free(expect);
        qapi_free_TestAlts(a);
    }
    bad_TestAlts("{\"scalar\":null}",
                 "Invalid parameter type for 'scalar', expected: "
                 "TestAltScalar",
                 0);
    bad_TestAlts("{\"scalar\":true,\"num\":{\"kind\":\"zz\"}}",
                 "Parameter 'num.kind' does not accept value 'zz'", 0);
    bad_TestAlts("{\"scalar\":true,\"num\":{}}",
                 "Parameter 'num.kind' is missing", 0);
    bad_TestAlts("{\"scalar\":true,\"num\":{\"kind\":\"b\",\"b0\":1,"
                 "\"b2\":[{\"x\":1},{\"x\":1,\"q\":1}]}}",
                 "Parameter 'num.b2[1].q' is unexpected", 0);
    bad_TestAlts("{\"scalar\":true,\"str\":{\"x\":300}}",
                 "Parameter 'str.x' expects int8", 0);
    bad_TestAlts("{\"scalar\":true,\"str\":[1,[]]}",
                 "Invalid parameter type for 'str[1]', expected: integer", 0);
    bad_TestAlts("{\"scalar\":true,\"size\":\"big\"}",
                 "Invalid parameter type for 'size', expected: TestAltSize", 0);
    bad_TestAlts("{}", "Parameter 'scalar' is missing", 0);
}
END_TEST

/* ---- API misuse, malformed JSON ---------------------------------------- */

START_TEST(test_invalid_arguments)
{
    TestNested *sentinel = NEW(TestNested), *obj = sentinel;
    QapiError *err = NULL;
    json_t *dom = xjson("{}");

    ck_assert(!qapi_TestNested_from_string(NULL, &obj, &err));
    ck_assert_ptr_eq(obj, sentinel);
    ck_assert_ptr_nonnull(err);
    ck_assert_str_eq(qapi_error_get_pretty(err),
                     "qapi_TestNested_from_string: argument 'json' is NULL");
    qapi_error_free(err);
    err = NULL;
    ck_assert(!qapi_TestNested_from_json(NULL, &obj, &err));
    ck_assert_ptr_eq(obj, sentinel);
    ck_assert_str_eq(qapi_error_get_pretty(err),
                     "qapi_TestNested_from_json: argument 'json' is NULL");
    qapi_error_free(err);
    err = NULL;
    ck_assert(!qapi_TestNested_from_string("{}", NULL, &err));
    ck_assert_str_eq(qapi_error_get_pretty(err),
                     "qapi_TestNested_from_string: argument 'obj' is NULL");
    qapi_error_free(err);
    err = NULL;
    ck_assert(!qapi_TestNested_from_json(dom, NULL, &err));
    ck_assert_str_eq(qapi_error_get_pretty(err),
                     "qapi_TestNested_from_json: argument 'obj' is NULL");
    qapi_error_free(err);
    err = NULL;
    /* errp may be NULL. */
    ck_assert(!qapi_TestNested_from_string(NULL, &obj, NULL));
    ck_assert(!qapi_TestNested_from_string("{\"id\":1}", &obj, NULL));
    ck_assert(!qapi_TestNested_from_json(dom, &obj, NULL));
    ck_assert_ptr_eq(obj, sentinel);
    /* An error already set is kept. */
    qapi_error_setg(&err, "first");
    ck_assert(!qapi_TestNested_from_string("[]", &obj, &err));
    ck_assert_str_eq(qapi_error_get_pretty(err), "first");
    qapi_error_free(err);
    json_decref(dom);
    free(sentinel);
}
END_TEST

START_TEST(test_malformed)
{
    static const char *const bad[] = {
        "",
        " ",
        "{",
        "{\"outer\"",
        "{\"outer\":",
        "{\"outer\":}",
        "{\"outer\":{\"inner\":[,]}}",
        "{,}",
        "{\"id\":\"a\",}",
        "{'id':'a'}",
        "{\"id\":\"a\" /* c */}",
        "{\"id\":\"a\"]",
        "{\"id\":\"a\\x\"}",
        "{\"id\":tru}",
        "{\"id\":\"a",
        "\xef\xbb\xbf{}",
        "{\"id\":1e}",
    };
    size_t i;
    char *full, *json, *msg;
    TestNested *t = nested_new(2);

    for (i = 0; i < ARRAY_SIZE(bad); i++) {
        bad_TestNested(bad[i], "JSON parse error at byte ", BAD_PREFIX);
    }
    /* Trailing garbage, after a complete value. */
    full = qapi_TestNested_to_string(t);
    json = fmt("%s x", full);
    msg = fmt("JSON parse error at byte %zu: unexpected 'x', expected the "
              "end of the input",
              strlen(full) + 1);
    bad_TestNested(json, msg, 0);
    free(json);
    free(msg);
    json = fmt("%s{}", full);
    msg = fmt("JSON parse error at byte %zu: ", strlen(full));
    bad_TestNested(json, msg, BAD_PREFIX);
    free(json);
    free(msg);
    json = fmt(" \t\r\n%s \t\r\n", full); /* white space is fine */
    {
        TestNested *back = parse_TestNested(json);

        ck_assert(qapi_equal_TestNested(back, t));
        qapi_free_TestNested(back);
    }
    free(json);
    free(full);
    qapi_free_TestNested(t);
}
END_TEST

/*
 * Every truncation and many one-byte mutations of valid documents: each
 * either fails cleanly (an error, nothing stored; leaks show under
 * valgrind) or yields a value that round-trips.
 */
#define DEFINE_MUTATE(T)                                                       \
    static void mutate_##T(const char *doc)                                    \
    {                                                                          \
        static const char subst[] = "\"{}[],:0-x n\\";                         \
        size_t len = strlen(doc), i, j;                                        \
        char *buf = xcalloc(len + 1);                                          \
                                                                               \
        qapi_free_##T(parse_##T(doc)); /* doc itself is valid */               \
        for (i = 0; i < len; i++) {                                            \
            T *obj = NULL;                                                     \
            QapiError *err = NULL;                                             \
                                                                               \
            memcpy(buf, doc, i);                                               \
            buf[i] = 0;                                                        \
            ck_assert_msg(!qapi_##T##_from_string(buf, &obj, &err),            \
                          "truncation accepted: %s", buf);                     \
            ck_assert_ptr_null(obj);                                           \
            ck_assert_ptr_nonnull(err);                                        \
            qapi_error_free(err);                                              \
        }                                                                      \
        for (i = 0; i < len; i++) {                                            \
            for (j = 0; j < sizeof(subst) - 1; j++) {                          \
                T *obj = NULL;                                                 \
                QapiError *err = NULL;                                         \
                                                                               \
                memcpy(buf, doc, len + 1);                                     \
                buf[i] = subst[j];                                             \
                if (qapi_##T##_from_string(buf, &obj, &err)) {                 \
                    ck_assert_ptr_null(err);                                   \
                    rt_##T(obj, NULL);                                         \
                    qapi_free_##T(obj);                                        \
                } else {                                                       \
                    ck_assert_ptr_nonnull(err);                                \
                    ck_assert_ptr_null(obj);                                   \
                    qapi_error_free(err);                                      \
                }                                                              \
            }                                                                  \
        }                                                                      \
        free(buf);                                                             \
    }

DEFINE_MUTATE(TestNested)
DEFINE_MUTATE(TestLists)
DEFINE_MUTATE(TestUnionDict)
DEFINE_MUTATE(TestAlts)
DEFINE_MUTATE(TestBuiltins)
DEFINE_MUTATE(TestOptional)

START_TEST(test_mutations)
{
    TestOptional *o = optional_new((1u << OPT__MAX) - 1);
    char *opt = qapi_TestOptional_to_string(o);

    mutate_TestNested("{\"outer\":{\"inner\":[{\"x\":1},{\"x\":2,\"y\":\"a\"}],"
                      "\"e\":\"two\"},\"id\":\"a\"}");
    mutate_TestLists(lists_text);
    mutate_TestUnionDict(
        "{\"kind\":\"b\",\"common\":1,\"b0\":3,\"b2\":[{\"x\":1}]}");
    mutate_TestAlts("{\"scalar\":\"three\",\"str\":[1],"
                    "\"num\":{\"kind\":\"a\",\"a1\":1},\"u64\":\"one\","
                    "\"size\":true}");
    mutate_TestBuiltins(builtins_max_text);
    mutate_TestOptional(opt);
    free(opt);
    qapi_free_TestOptional(o);
}
END_TEST

/* ---- lower-level entry points ------------------------------------------ */

START_TEST(test_in_out)
{
    static const char text[] = "{\"arg\":\"two\",\"opt\":-1}";
    QapiInput *in = qapi_input_new_text(text, strlen(text));
    QapiOutput *out = qapi_output_new_text();
    q_obj_test_command_arg *arg = NULL;
    QapiError *err = NULL;
    char *s;

    ck_assert(qapi_in_q_obj_test_command_arg(in, &arg, &err));
    ck_assert(qapi_input_finish(in, &err));
    qapi_input_free(in);
    ck_assert_int_eq(arg->arg, TEST_ENUM_TWO);
    ck_assert(arg->has_opt);
    ck_assert_int_eq(arg->opt, -1);
    qapi_out_q_obj_test_command_arg(out, arg);
    s = qapi_output_finish_text(out, NULL);
    ck_assert_str_eq(s, text);
    free(s);
    qapi_free_q_obj_test_command_arg(arg);

    in = qapi_input_new_text("{\"arg\":\"two\",\"x\":1}",
                             strlen("{\"arg\":\"two\",\"x\":1}"));
    arg = NULL;
    ck_assert(!qapi_in_q_obj_test_command_arg(in, &arg, &err));
    ck_assert_ptr_null(arg);
    ck_assert_str_eq(qapi_error_get_pretty(err), "Parameter 'x' is unexpected");
    qapi_error_free(err);
    qapi_input_free(in);

    /* Enums */
    {
        TestEnum e = TEST_ENUM_ONE;

        err = NULL;
        in = qapi_input_new_text("\"three\"", 7);
        ck_assert(qapi_in_TestEnum(in, &e, &err));
        ck_assert_int_eq(e, TEST_ENUM_THREE);
        qapi_input_free(in);
        out = qapi_output_new_text();
        qapi_out_TestKind(out, TEST_KIND_E);
        s = qapi_output_finish_text(out, NULL);
        ck_assert_str_eq(s, "\"e\"");
        free(s);
    }
}
END_TEST

/* ---- events ------------------------------------------------------------ */

#define MAX_EVENTS 4

typedef struct Received {
    int count;
    char *name[MAX_EVENTS];
    char *json[MAX_EVENTS];
} Received;

static void sink(void *opaque, const char *name, const char *json, size_t len)
{
    Received *r = opaque;

    ck_assert_uint_eq(strlen(json), len);
    ck_assert_int_lt(r->count, MAX_EVENTS);
    r->name[r->count] = xstrdup(name);
    r->json[r->count] = xstrdup(json);
    r->count++;
}

static void received_clear(Received *r)
{
    int i;

    for (i = 0; i < r->count; i++) {
        free(r->name[i]);
        free(r->json[i]);
    }
    memset(r, 0, sizeof(*r));
}

/*
 * The clock the emitters read.  time() may read a coarser one, which lags
 * it by a tick across a second boundary.
 */
static time_t now_seconds(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return ts.tv_sec;
}

/*
 * Check event text @json: {"event": NAME, ["data": DATA,] "timestamp":
 * {"seconds": S, "microseconds": US}} exactly, in that order, with the
 * time between @t0 and @t1 (@data NULL: no "data" member).
 */
static void check_event(const char *json, const char *name, const char *data,
                        time_t t0, time_t t1)
{
    char *head =
        data ? fmt("{\"event\":\"%s\",\"data\":%s,\"timestamp\":"
                   "{\"seconds\":",
                   name, data)
             : fmt("{\"event\":\"%s\",\"timestamp\":{\"seconds\":", name);
    long long s, us;
    int n = 0;

    ck_assert_msg(!strncmp(json, head, strlen(head)),
                  "event %s, expected %s...", json, head);
    ck_assert_int_eq(sscanf(json + strlen(head),
                            "%lld,\"microseconds\":%lld}}%n", &s, &us, &n),
                     2);
    ck_assert_int_eq(strlen(json + strlen(head)), n);
    ck_assert_int_ge(s, (long long)t0);
    ck_assert_int_le(s, (long long)t1);
    ck_assert_int_ge(us, 0);
    ck_assert_int_lt(us, 1000000);
    free(head);

    /* What jansson sees (where it can read the text). */
    {
        json_t *ev = jansson_parse(json);

        if (ev) {
            json_t *ts = json_object_get(ev, "timestamp");

            ck_assert_int_eq(json_object_size(ev), data ? 3 : 2);
            ck_assert_str_eq(json_string_value(json_object_get(ev, "event")),
                             name);
            ck_assert_int_eq(json_object_get(ev, "data") != NULL, data != NULL);
            ck_assert_int_eq(json_object_size(ts), 2);
            ck_assert(json_is_integer(json_object_get(ts, "seconds")));
            ck_assert(json_is_integer(json_object_get(ts, "microseconds")));
            json_decref(ev);
        }
    }
}

static Received received;

static void events_setup(void)
{
    memset(&received, 0, sizeof(received));
    ck_assert_int_eq(qapi_event_add_sink(sink, &received), 0);
}

static void events_teardown(void)
{
    qapi_event_remove_sink(sink, &received);
    received_clear(&received);
}

START_TEST(test_event_plain)
{
    time_t t0 = now_seconds(), t1;

    qapi_event_send_test_event_plain();
    t1 = now_seconds();
    ck_assert_int_eq(received.count, 1);
    ck_assert_str_eq(received.name[0], "TEST_EVENT_PLAIN");
    check_event(received.json[0], "TEST_EVENT_PLAIN", NULL, t0, t1);
    ck_assert_ptr_null(strstr(received.json[0], "\"data\""));
}
END_TEST

START_TEST(test_event_args)
{
    unsigned mask;

    for (mask = 0; mask < 32; mask++) {
        TestInner *inner = mask & 8 ? inner_new(-1, "in") : NULL;
        time_t t0 = now_seconds(), t1;
        char *data;

        received_clear(&received);
        qapi_event_send_test_event_args(
            "name", mask & 1 ? "label" : NULL, mask & 2, INT64_MIN,
            TEST_ENUM_THREE, mask & 4, UINT64_MAX, inner, mask & 16, false, -2);
        t1 = now_seconds();
        data = fmt("{\"name\":\"name\"%s%s,\"kind\":\"three\"%s%s%s,"
                   "\"default\":-2}",
                   mask & 1 ? ",\"label\":\"label\"" : "",
                   mask & 2 ? ",\"count\":-9223372036854775808" : "",
                   mask & 4 ? ",\"big\":18446744073709551615" : "",
                   mask & 8 ? ",\"inner\":{\"x\":-1,\"y\":\"in\"}" : "",
                   mask & 16 ? ",\"flag\":false" : "");
        ck_assert_int_eq(received.count, 1);
        ck_assert_str_eq(received.name[0], "TEST_EVENT_ARGS");
        check_event(received.json[0], "TEST_EVENT_ARGS", data, t0, t1);
        free(data);
        qapi_free_TestInner(inner);
    }
}
END_TEST

START_TEST(test_event_boxed)
{
    TestDerived d = {.b0 = 1, .b1 = (char *)"b1", .d = true};
    TestUnionDict *u = union_new(TEST_KIND_A, true);
    TestInner inner = {.x = 5};
    time_t t0 = now_seconds(), t1;
    char *data;

    qapi_event_send_test_event_boxed(&d);
    qapi_event_send_test_event_boxed_union(u);
    qapi_event_send_test_event_enabled(-7);
    qapi_event_send_test_event_sub(&inner);
    t1 = now_seconds();
    ck_assert_int_eq(received.count, 4);
    data = qapi_TestDerived_to_string(&d);
    ck_assert_str_eq(data, "{\"b0\":1,\"b1\":\"b1\",\"d\":true}");
    check_event(received.json[0], "TEST_EVENT_BOXED", data, t0, t1);
    free(data);
    data = qapi_TestUnionDict_to_string(u);
    check_event(received.json[1], "TEST_EVENT_BOXED_UNION", data, t0, t1);
    free(data);
    check_event(received.json[2], "TEST_EVENT_ENABLED", "{\"x\":-7}", t0, t1);
    check_event(received.json[3], "TEST_EVENT_SUB", "{\"inner\":{\"x\":5}}", t0,
                t1);
    ck_assert_str_eq(received.name[3], "TEST_EVENT_SUB");
    qapi_free_TestUnionDict(u);
}
END_TEST

START_TEST(test_event_sinks)
{
    Received other = {0};

    ck_assert_int_eq(qapi_event_add_sink(sink, &other), 0);
    qapi_event_send_test_event_plain();
    ck_assert_int_eq(received.count, 1);
    ck_assert_int_eq(other.count, 1);
    ck_assert_str_eq(other.json[0], received.json[0]);
    ck_assert_int_eq(qapi_event_remove_sink(sink, &other), 0);
    ck_assert_int_eq(qapi_event_remove_sink(sink, &other), -1);
    qapi_event_send_test_event_plain();
    ck_assert_int_eq(received.count, 2);
    ck_assert_int_eq(other.count, 1);
    received_clear(&other);

    /* set_emitter replaces every sink; NULL drops events. */
    ck_assert_int_eq(qapi_event_set_emitter(sink, &other), 0);
    qapi_event_send_test_event_enabled(1);
    ck_assert_int_eq(received.count, 2);
    ck_assert_int_eq(other.count, 1);
    ck_assert_int_eq(qapi_event_set_emitter(NULL, NULL), 0);
    qapi_event_send_test_event_enabled(1);
    ck_assert_int_eq(other.count, 1);
    received_clear(&other);
    ck_assert_int_eq(qapi_event_add_sink(sink, &received), 0);
}
END_TEST

START_TEST(test_event_enum)
{
    /* Schema order; TEST_EVENT_DISABLED compiled out. */
    static const char *const names[] = {
        "TEST_EVENT_SUB",   "TEST_EVENT_PLAIN",       "TEST_EVENT_ARGS",
        "TEST_EVENT_BOXED", "TEST_EVENT_BOXED_UNION", "TEST_EVENT_ENABLED",
    };
    int i;

    ck_assert_int_eq(QAPI_EVENT__MAX, ARRAY_SIZE(names));
    ck_assert_int_eq(QAPIEvent_lookup.size, QAPI_EVENT__MAX);
    for (i = 0; i < QAPI_EVENT__MAX; i++) {
        ck_assert_str_eq(qapi_enum_lookup(&QAPIEvent_lookup, i), names[i]);
    }
    ck_assert_int_eq(QAPI_EVENT_TEST_EVENT_SUB, 0);
    ck_assert_int_eq(QAPI_EVENT_TEST_EVENT_ENABLED, 5);
    ck_assert_ptr_null(qapi_enum_lookup(&QAPIEvent_lookup, QAPI_EVENT__MAX));
}
END_TEST

/* ---- introspection ----------------------------------------------------- */

/* Is @name a masked type name ("12", "[12]", "[int]") or a built-in? */
static bool masked_name(const char *name)
{
    size_t n = strlen(name);

    if (name[0] == '[' && name[n - 1] == ']') {
        return n > 2;
    }
    if (strspn(name, "0123456789") == n) {
        return n > 0;
    }
    return !strcmp(name, "str") || !strcmp(name, "int") ||
           !strcmp(name, "number") || !strcmp(name, "bool") ||
           !strcmp(name, "null") || !strcmp(name, "any");
}

static void check_type_ref(json_t *schema, json_t *ref)
{
    const char *name = json_string_value(ref);

    ck_assert_ptr_nonnull(name);
    ck_assert_msg(masked_name(name), "type name %s not masked", name);
    ck_assert_msg(find_entry(schema, name) != NULL, "no entry for %s", name);
}

/* The member names of object entry @e, comma-separated. */
static char *member_names(json_t *e, const char *list, const char *key)
{
    char buf[512] = "";
    size_t i;
    json_t *m;

    json_array_foreach(json_object_get(e, list), i, m)
    {
        const char *n = key ? json_string_value(json_object_get(m, key))
                            : json_string_value(m);

        snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%s%s",
                 i ? "," : "", n);
    }
    return xstrdup(buf);
}

START_TEST(test_introspection)
{
    json_t *schema = qmp_schema_json(), *e, *cmd, *args;
    char *text, *names;
    size_t i, j;
    int enums_checked = 0;

    ck_assert_ptr_nonnull(schema);
    ck_assert(json_is_array(schema));
    ck_assert_int_eq(qmp_schema_qlit.type, QAPI_LIT_LIST);
    text = qmp_schema_string();
    ck_assert_ptr_nonnull(text);
    {
        json_t *again = xjson(text);

        ck_assert(json_equal(again, schema));
        json_decref(again);
    }
    /* Nothing from a disabled condition anywhere. */
    ck_assert_ptr_null(strstr(text, "DISABLED"));
    ck_assert_ptr_null(strstr(text, "disabled"));
    ck_assert_ptr_null(strstr(text, "off-if"));
    ck_assert_ptr_null(strstr(text, "\"off\""));
    ck_assert_ptr_null(strstr(text, "\"both\""));
    /* Type names are masked. */
    ck_assert_ptr_null(strstr(text, "Test"));
    ck_assert_ptr_null(strstr(text, "q_obj"));
    free(text);

    json_array_foreach(schema, i, e)
    {
        const char *name = json_string_value(json_object_get(e, "name"));
        const char *meta = json_string_value(json_object_get(e, "meta-type"));
        json_t *m;

        ck_assert_ptr_nonnull(name);
        ck_assert_ptr_nonnull(meta);
        if (!strcmp(meta, "command") || !strcmp(meta, "event")) {
            check_type_ref(schema, json_object_get(e, "arg-type"));
            if (!strcmp(meta, "command")) {
                check_type_ref(schema, json_object_get(e, "ret-type"));
            }
            continue;
        }
        ck_assert_msg(masked_name(name), "entry %s not masked", name);
        if (!strcmp(meta, "builtin")) {
            ck_assert(json_is_string(json_object_get(e, "json-type")));
        } else if (!strcmp(meta, "enum")) {
            ck_assert(json_is_array(json_object_get(e, "values")));
            ck_assert_int_eq(json_array_size(json_object_get(e, "values")),
                             json_array_size(json_object_get(e, "members")));
            enums_checked++;
        } else if (!strcmp(meta, "array")) {
            check_type_ref(schema, json_object_get(e, "element-type"));
        } else if (!strcmp(meta, "object")) {
            json_array_foreach(json_object_get(e, "members"), j, m)
            {
                ck_assert(json_is_string(json_object_get(m, "name")));
                check_type_ref(schema, json_object_get(m, "type"));
            }
            json_array_foreach(json_object_get(e, "variants"), j, m)
            {
                check_type_ref(schema, json_object_get(m, "type"));
            }
        } else {
            ck_assert_str_eq(meta, "alternate");
            json_array_foreach(json_object_get(e, "members"), j, m)
            {
                check_type_ref(schema, json_object_get(m, "type"));
            }
        }
    }
    ck_assert_int_gt(enums_checked, 0);

    /* Commands and events present, disabled ones absent. */
    ck_assert_ptr_nonnull(find_entry(schema, "test-command"));
    ck_assert_ptr_null(find_entry(schema, "test-command-disabled"));
    ck_assert_ptr_nonnull(find_entry(schema, "TEST_EVENT_PLAIN"));
    ck_assert_ptr_nonnull(find_entry(schema, "TEST_EVENT_ARGS"));
    ck_assert_ptr_nonnull(find_entry(schema, "TEST_EVENT_BOXED"));
    ck_assert_ptr_nonnull(find_entry(schema, "TEST_EVENT_BOXED_UNION"));
    ck_assert_ptr_nonnull(find_entry(schema, "TEST_EVENT_ENABLED"));
    ck_assert_ptr_nonnull(find_entry(schema, "TEST_EVENT_SUB"));
    ck_assert_ptr_null(find_entry(schema, "TEST_EVENT_DISABLED"));
    ck_assert_str_eq(json_string_value(json_object_get(
                         find_entry(schema, "test-command"), "meta-type")),
                     "command");
    ck_assert_str_eq(json_string_value(json_object_get(
                         find_entry(schema, "TEST_EVENT_PLAIN"), "meta-type")),
                     "event");

    /* test-introspect's arguments: the conditional pieces. */
    cmd = find_entry(schema, "test-introspect");
    ck_assert_ptr_nonnull(cmd);
    ck_assert_str_eq(
        json_string_value(json_array_get(json_object_get(cmd, "features"), 0)),
        "unstable");
    args =
        find_entry(schema, json_string_value(json_object_get(cmd, "arg-type")));
    names = member_names(args, "members", "name");
    ck_assert_str_eq(names, "members,prefixed,union,alts,mangle");
    free(names);
    {
        json_t *members = json_object_get(args, "members");
        json_t *ifm =
            find_entry(schema, json_string_value(json_object_get(
                                   json_array_get(members, 0), "type")));
        json_t *pre =
            find_entry(schema, json_string_value(json_object_get(
                                   json_array_get(members, 1), "type")));
        json_t *uni =
            find_entry(schema, json_string_value(json_object_get(
                                   json_array_get(members, 2), "type")));
        json_t *kind;

        /* optional members have "default": null, required ones none */
        ck_assert_ptr_null(
            json_object_get(json_array_get(members, 0), "default"));
        ck_assert(json_is_null(
            json_object_get(json_array_get(members, 4), "default")));
        names = member_names(ifm, "members", "name");
        ck_assert_str_eq(names, "always,on,not-off");
        free(names);
        names = member_names(pre, "values", NULL);
        ck_assert_str_eq(names, "alpha,beta-gamma,on-if,last");
        free(names);
        names = member_names(pre, "members", "name");
        ck_assert_str_eq(names, "alpha,beta-gamma,on-if,last");
        free(names);
        ck_assert_str_eq(json_string_value(json_object_get(uni, "tag")),
                         "kind");
        names = member_names(uni, "variants", "case");
        ck_assert_str_eq(names, "a,b,e");
        free(names);
        names = member_names(uni, "members", "name");
        ck_assert_str_eq(names, "kind,common");
        free(names);
        kind = find_entry(
            schema,
            json_string_value(json_object_get(
                json_array_get(json_object_get(uni, "members"), 0), "type")));
        names = member_names(kind, "values", NULL);
        ck_assert_str_eq(names, "a,b,c,d,e");
        free(names);
    }
    /* Integer types all show as int; uint64 too. */
    {
        json_t *ev = find_entry(schema, "TEST_EVENT_ARGS");
        json_t *arg = find_entry(
            schema, json_string_value(json_object_get(ev, "arg-type")));
        json_t *m;

        json_array_foreach(json_object_get(arg, "members"), i, m)
        {
            const char *n = json_string_value(json_object_get(m, "name"));

            if (!strcmp(n, "big") || !strcmp(n, "count")) {
                ck_assert_str_eq(json_string_value(json_object_get(m, "type")),
                                 "int");
            }
        }
    }
    json_decref(schema);
}
END_TEST

static Suite *generated_suite(void)
{
    Suite *s = suite_create("generated");
    TCase *tc = tcase_create("types");
    TCase *tc_mut = tcase_create("mutations");
    TCase *tc_ev = tcase_create("events");
    TCase *tc_intro = tcase_create("introspection");

    tcase_add_test(tc, test_builtins_extremes);
    tcase_add_test(tc, test_builtins_uint64_dom);
    tcase_add_test(tc, test_builtins_equal);
    tcase_add_test(tc, test_builtins_values);
    tcase_add_test(tc, test_builtins_unexpected_duplicate);
    tcase_add_test(tc, test_strings);
    tcase_add_test(tc, test_numbers);
    tcase_add_test(tc, test_optional_combinations);
    tcase_add_test(tc, test_optional_values);
    tcase_add_test(tc, test_mangling);
    tcase_add_test(tc, test_nested);
    tcase_add_test(tc, test_nested_errors);
    tcase_add_test(tc, test_base_chain);
    tcase_add_test(tc, test_lists);
    tcase_add_test(tc, test_list_errors);
    tcase_add_test(tc, test_builtin_lists);
    tcase_add_test(tc, test_conditional);
    tcase_add_test(tc, test_union_dict);
    tcase_add_test(tc, test_union_errors);
    tcase_add_test(tc, test_union_named);
    tcase_add_test(tc, test_alternates);
    tcase_add_test(tc, test_alternate_errors);
    tcase_add_test(tc, test_alternates_in_struct);
    tcase_add_test(tc, test_invalid_arguments);
    tcase_add_test(tc, test_malformed);
    tcase_add_test(tc, test_in_out);
    tcase_add_test(tc, test_alternate_uint64_dom);
    tcase_add_test(tc, test_optional_null_equal);
    tcase_set_timeout(tc, 120);
    suite_add_tcase(s, tc);

    tcase_add_test(tc_mut, test_mutations);
    tcase_set_timeout(tc_mut, 600);
    suite_add_tcase(s, tc_mut);

    tcase_add_checked_fixture(tc_ev, events_setup, events_teardown);
    tcase_add_test(tc_ev, test_event_plain);
    tcase_add_test(tc_ev, test_event_args);
    tcase_add_test(tc_ev, test_event_boxed);
    tcase_add_test(tc_ev, test_event_sinks);
    tcase_add_test(tc_ev, test_event_enum);
    suite_add_tcase(s, tc_ev);

    tcase_add_test(tc_intro, test_introspection);
    suite_add_tcase(s, tc_intro);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(generated_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
