/* check-error.c - unit tests for qapi/error.h (one test per function). */
#include <check.h>
#include <stdlib.h>

#include "qapi/error.h"

START_TEST(test_class_name)
{
    ck_assert_str_eq(qapi_error_class_name(QAPI_ERR_CLASS_GENERIC_ERROR),
                     "GenericError");
    ck_assert_str_eq(qapi_error_class_name(QAPI_ERR_CLASS_COMMAND_NOT_FOUND),
                     "CommandNotFound");
    ck_assert_str_eq(qapi_error_class_name(QAPI_ERR_CLASS_DEVICE_NOT_ACTIVE),
                     "DeviceNotActive");
    ck_assert_str_eq(qapi_error_class_name(QAPI_ERR_CLASS_DEVICE_NOT_FOUND),
                     "DeviceNotFound");
    ck_assert_str_eq(qapi_error_class_name(QAPI_ERR_CLASS_KVM_MISSING_CAP),
                     "KVMMissingCap");
    ck_assert_ptr_null(qapi_error_class_name(QAPI_ERR_CLASS__MAX));
}
END_TEST

START_TEST(test_setg)
{
    QapiError *err = NULL;

    qapi_error_setg(NULL, "ignored %d", 1); /* must not crash */
    qapi_error_setg(&err, "bad value %d for '%s'", 42, "x");
    ck_assert_ptr_nonnull(err);
    ck_assert_str_eq(qapi_error_get_pretty(err), "bad value 42 for 'x'");
    ck_assert_int_eq(qapi_error_get_class(err), QAPI_ERR_CLASS_GENERIC_ERROR);

    /* A second error is dropped; the first one stays. */
    qapi_error_setg(&err, "second");
    ck_assert_str_eq(qapi_error_get_pretty(err), "bad value 42 for 'x'");
    qapi_error_free(err);
}
END_TEST

START_TEST(test_set)
{
    QapiError *err = NULL;

    qapi_error_set(NULL, QAPI_ERR_CLASS_DEVICE_NOT_FOUND, "ignored");
    qapi_error_set(&err, QAPI_ERR_CLASS_DEVICE_NOT_FOUND, "no device %s",
                   "vfio0");
    ck_assert_ptr_nonnull(err);
    ck_assert_int_eq(qapi_error_get_class(err),
                     QAPI_ERR_CLASS_DEVICE_NOT_FOUND);
    ck_assert_str_eq(qapi_error_get_pretty(err), "no device vfio0");

    qapi_error_set(&err, QAPI_ERR_CLASS_KVM_MISSING_CAP, "second");
    ck_assert_int_eq(qapi_error_get_class(err),
                     QAPI_ERR_CLASS_DEVICE_NOT_FOUND);
    qapi_error_free(err);
}
END_TEST

START_TEST(test_propagate)
{
    QapiError *dst = NULL;
    QapiError *local = NULL;

    qapi_error_propagate(&dst, NULL);
    ck_assert_ptr_null(dst);

    qapi_error_setg(&local, "first");
    qapi_error_propagate(&dst, local);
    ck_assert_str_eq(qapi_error_get_pretty(dst), "first");

    /* dst already set: the new error is freed, the first kept. */
    local = NULL;
    qapi_error_setg(&local, "second");
    qapi_error_propagate(&dst, local);
    ck_assert_str_eq(qapi_error_get_pretty(dst), "first");

    /* NULL destination: the error is freed. */
    local = NULL;
    qapi_error_setg(&local, "dropped");
    qapi_error_propagate(NULL, local);
    qapi_error_free(dst);
}
END_TEST

START_TEST(test_prepend)
{
    QapiError *err = NULL;

    qapi_error_prepend(NULL, "x");
    qapi_error_prepend(&err, "x");
    ck_assert_ptr_null(err);

    qapi_error_set(&err, QAPI_ERR_CLASS_COMMAND_NOT_FOUND, "'%s' not found",
                   "foo");
    qapi_error_prepend(&err, "%s: ", "qmp");
    ck_assert_str_eq(qapi_error_get_pretty(err), "qmp: 'foo' not found");
    ck_assert_int_eq(qapi_error_get_class(err),
                     QAPI_ERR_CLASS_COMMAND_NOT_FOUND);
    qapi_error_free(err);
}
END_TEST

START_TEST(test_get_pretty)
{
    QapiError *err = NULL;

    qapi_error_setg(&err, "%s", "");
    ck_assert_str_eq(qapi_error_get_pretty(err), "");
    qapi_error_free(err);
}
END_TEST

START_TEST(test_get_class)
{
    int i;

    for (i = 0; i < QAPI_ERR_CLASS__MAX; i++) {
        QapiError *err = NULL;

        qapi_error_set(&err, (QapiErrClass)i, "class %d", i);
        ck_assert_int_eq(qapi_error_get_class(err), i);
        qapi_error_free(err);
    }
}
END_TEST

START_TEST(test_free)
{
    QapiError *err = NULL;

    qapi_error_free(NULL);
    qapi_error_setg(&err, "freed");
    qapi_error_free(err);
}
END_TEST

START_TEST(test_copy)
{
    QapiError *err = NULL;
    QapiError *copy;

    ck_assert_ptr_null(qapi_error_copy(NULL));
    qapi_error_set(&err, QAPI_ERR_CLASS_DEVICE_NOT_ACTIVE, "inactive");
    copy = qapi_error_copy(err);
    ck_assert_ptr_nonnull(copy);
    ck_assert_ptr_ne(copy, err);
    qapi_error_free(err); /* the copy must not depend on the original */
    ck_assert_int_eq(qapi_error_get_class(copy),
                     QAPI_ERR_CLASS_DEVICE_NOT_ACTIVE);
    ck_assert_str_eq(qapi_error_get_pretty(copy), "inactive");
    qapi_error_free(copy);
}
END_TEST

static Suite *error_suite(void)
{
    Suite *s = suite_create("error");
    TCase *tc = tcase_create("api");

    tcase_add_test(tc, test_class_name);
    tcase_add_test(tc, test_setg);
    tcase_add_test(tc, test_set);
    tcase_add_test(tc, test_propagate);
    tcase_add_test(tc, test_prepend);
    tcase_add_test(tc, test_get_pretty);
    tcase_add_test(tc, test_get_class);
    tcase_add_test(tc, test_free);
    tcase_add_test(tc, test_copy);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(error_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
