/* check-util.c - unit tests for qapi/util.h. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "qapi/util.h"

START_TEST(test_null)
{
    QapiNull *a = qapi_null();

    ck_assert_ptr_nonnull(a);
    ck_assert_ptr_eq(a, qapi_null()); /* one shared value */
}
END_TEST

START_TEST(test_strdup)
{
    const char *src = "vhost-user";
    char *copy = qapi_strdup(src);

    ck_assert_ptr_null(qapi_strdup(NULL));
    ck_assert_ptr_nonnull(copy);
    ck_assert_ptr_ne(copy, src);
    ck_assert_str_eq(copy, src);
    free(copy);

    copy = qapi_strdup("");
    ck_assert_str_eq(copy, "");
    free(copy);
}
END_TEST

START_TEST(test_strcmp0)
{
    ck_assert_int_eq(qapi_strcmp0(NULL, NULL), 0);
    ck_assert_int_lt(qapi_strcmp0(NULL, ""), 0);
    ck_assert_int_gt(qapi_strcmp0("", NULL), 0);
    ck_assert_int_eq(qapi_strcmp0("abc", "abc"), 0);
    ck_assert_int_lt(qapi_strcmp0("abc", "abd"), 0);
    ck_assert_int_gt(qapi_strcmp0("b", "abc"), 0);
    ck_assert_int_lt(qapi_strcmp0("", "a"), 0);
}
END_TEST

static json_t *load(const char *text)
{
    json_t *v = json_loads(text, JSON_DECODE_ANY, NULL);

    ck_assert_ptr_nonnull(v);
    return v;
}

/* qapi_json_equal() on two parsed texts, both ways round. */
static bool equal_texts(const char *a, const char *b)
{
    json_t *va = load(a);
    json_t *vb = load(b);
    bool eq = qapi_json_equal(va, vb);

    ck_assert_int_eq(eq, qapi_json_equal(vb, va));
    json_decref(va);
    json_decref(vb);
    return eq;
}

START_TEST(test_json_equal)
{
    json_t *v = load("{\"a\":1}");

    /* NULL equals only NULL. */
    ck_assert(qapi_json_equal(NULL, NULL));
    ck_assert(!qapi_json_equal(v, NULL));
    ck_assert(!qapi_json_equal(NULL, v));
    ck_assert(qapi_json_equal(v, v));
    json_decref(v);

    /* Scalars. */
    ck_assert(equal_texts("1", "1"));
    ck_assert(!equal_texts("1", "2"));
    ck_assert(!equal_texts("1", "1.0")); /* integer vs real */
    ck_assert(equal_texts("2.5", "2.5"));
    ck_assert(equal_texts("\"x\"", "\"x\""));
    ck_assert(!equal_texts("\"x\"", "\"y\""));
    ck_assert(equal_texts("null", "null"));
    ck_assert(!equal_texts("null", "false"));
    ck_assert(equal_texts("true", "true"));
    ck_assert(!equal_texts("true", "false"));

    /* Objects ignore member order; deep. */
    ck_assert(equal_texts("{\"a\":1,\"b\":[1,{\"c\":null}]}",
                          "{\"b\":[1,{\"c\":null}],\"a\":1}"));
    ck_assert(!equal_texts("{\"a\":1,\"b\":[1,{\"c\":null}]}",
                           "{\"a\":1,\"b\":[1,{\"c\":false}]}"));
    ck_assert(!equal_texts("{\"a\":1}", "{\"a\":1,\"b\":2}"));
    ck_assert(equal_texts("{}", "{}"));

    /* Arrays keep their order. */
    ck_assert(!equal_texts("[1,2]", "[2,1]"));
    ck_assert(!equal_texts("[1,2]", "[1,2,3]"));
    ck_assert(equal_texts("[]", "[]"));
    ck_assert(!equal_texts("[]", "{}"));
}
END_TEST

static Suite *util_suite(void)
{
    Suite *s = suite_create("util");
    TCase *tc = tcase_create("api");

    tcase_add_test(tc, test_null);
    tcase_add_test(tc, test_strdup);
    tcase_add_test(tc, test_strcmp0);
    tcase_add_test(tc, test_json_equal);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(util_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
