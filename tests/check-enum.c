/* check-enum.c - unit tests for qapi/enum.h. */
#include <check.h>
#include <stdlib.h>

#include "qapi/enum.h"

/* An enum of four values whose value 2 is compiled out ('if' false). */
static const char *const color_names[] = {"red", "green", NULL, "blue"};
static const QapiEnumLookup color_lookup = {color_names, 4};

START_TEST(test_lookup)
{
    ck_assert_str_eq(qapi_enum_lookup(&color_lookup, 0), "red");
    ck_assert_str_eq(qapi_enum_lookup(&color_lookup, 1), "green");
    ck_assert_str_eq(qapi_enum_lookup(&color_lookup, 3), "blue");
    ck_assert_ptr_null(qapi_enum_lookup(&color_lookup, 2)); /* compiled out */
    ck_assert_ptr_null(qapi_enum_lookup(&color_lookup, 4));
    ck_assert_ptr_null(qapi_enum_lookup(&color_lookup, -1));
}
END_TEST

START_TEST(test_parse)
{
    QapiError *err = NULL;

    ck_assert_int_eq(qapi_enum_parse(&color_lookup, "red", -1, &err), 0);
    ck_assert_int_eq(qapi_enum_parse(&color_lookup, "blue", -1, &err), 3);
    ck_assert_ptr_null(err);

    /* NULL: the default, no error. */
    ck_assert_int_eq(qapi_enum_parse(&color_lookup, NULL, 7, &err), 7);
    ck_assert_ptr_null(err);

    /* Unknown (and case-sensitive): the default and an error. */
    ck_assert_int_eq(qapi_enum_parse(&color_lookup, "Red", 1, &err), 1);
    ck_assert_ptr_nonnull(err);
    ck_assert_str_eq(qapi_error_get_pretty(err), "Invalid parameter 'Red'");
    ck_assert_int_eq(qapi_error_get_class(err), QAPI_ERR_CLASS_GENERIC_ERROR);
    qapi_error_free(err);
    err = NULL;

    /* The empty string is not a value either. */
    ck_assert_int_eq(qapi_enum_parse(&color_lookup, "", 0, &err), 0);
    ck_assert_str_eq(qapi_error_get_pretty(err), "Invalid parameter ''");
    qapi_error_free(err);

    /* errp may be NULL. */
    ck_assert_int_eq(qapi_enum_parse(&color_lookup, "purple", 2, NULL), 2);
}
END_TEST

START_TEST(test_parse_empty_enum)
{
    static const QapiEnumLookup empty = {NULL, 0};
    QapiError *err = NULL;

    ck_assert_ptr_null(qapi_enum_lookup(&empty, 0));
    ck_assert_int_eq(qapi_enum_parse(&empty, "x", -1, &err), -1);
    ck_assert_str_eq(qapi_error_get_pretty(err), "Invalid parameter 'x'");
    qapi_error_free(err);
}
END_TEST

static Suite *enum_suite(void)
{
    Suite *s = suite_create("enum");
    TCase *tc = tcase_create("api");

    tcase_add_test(tc, test_lookup);
    tcase_add_test(tc, test_parse);
    tcase_add_test(tc, test_parse_empty_enum);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(enum_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
