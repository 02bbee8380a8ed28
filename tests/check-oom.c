/*
 * check-oom.c - libqapi when memory runs out: the runtime's sources are
 * compiled into this test with their allocations routed through hooks
 * (check-oom-hooks.h), and jansson's through json_set_alloc_funcs().  Every
 * allocation in turn is made to fail, either alone or with all that follow:
 * nothing may crash or leak, outputs finish with NULL, inputs fail with
 * "out of memory".
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "qapi/input.h"
#include "qapi/output.h"

#include "check-walk.h"

/* The test's own allocations are real. */
#undef malloc
#undef calloc
#undef realloc

static long alloc_count;  /* allocations so far */
static long fail_at = -1; /* the allocation that fails, or -1 */
static bool fail_rest;    /* ... and all those after it */
static long failures;     /* allocations failed */

static bool allowed(void)
{
    long n = alloc_count++;

    if (fail_at >= 0 && (n == fail_at || (fail_rest && n > fail_at))) {
        failures++;
        return false;
    }
    return true;
}

void *check_oom_malloc(size_t size)
{
    return allowed() ? malloc(size) : NULL;
}

void *check_oom_calloc(size_t n, size_t size)
{
    return allowed() ? calloc(n, size) : NULL;
}

void *check_oom_realloc(void *p, size_t size)
{
    return allowed() ? realloc(p, size) : NULL;
}

static void arm(long at, bool rest)
{
    alloc_count = 0;
    failures = 0;
    fail_at = at;
    fail_rest = rest;
}

static void disarm(void)
{
    fail_at = -1;
}

static void setup(void)
{
    json_set_alloc_funcs(check_oom_malloc, free);
}

/* Upper bound on the allocations of one run; the loops stop earlier, at
 * the first run where no allocation was made to fail. */
#define MAX_ALLOCS 2000

/* --- outputs -------------------------------------------------------------- */

static const char long_string[] =
    "a long string with\nescapes\tthat needs more room than the first buffer "
    "a long string with\nescapes\tthat needs more room than the first buffer "
    "a long string with\nescapes\tthat needs more room than the first buffer "
    "a long string with\nescapes\tthat needs more room than the first buffer";

static void write_doc(QapiOutput *out, const json_t *any)
{
    int i;

    qapi_output_start_object(out);
    qapi_output_member(out, "name");
    qapi_output_str(out, long_string);
    qapi_output_member(out, "list");
    qapi_output_start_array(out);
    for (i = 0; i < 40; i++) {
        qapi_output_int(out, i * 1000003);
        qapi_output_uint(out, UINT64_MAX - (uint64_t)i);
        qapi_output_number(out, i + 0.25);
        qapi_output_bool(out, i & 1);
        qapi_output_null(out);
    }
    qapi_output_end_array(out);
    for (i = 0; i < 30; i++) {
        qapi_output_member(out, "nested");
        qapi_output_start_object(out);
    }
    qapi_output_member(out, "any");
    qapi_output_any(out, any);
    for (i = 0; i < 30; i++) {
        qapi_output_end_object(out);
    }
    qapi_output_end_object(out);
}

static json_t *make_any(void)
{
    json_t *v = json_object();
    json_t *inner = json_object();
    int i;

    disarm();
    for (i = 0; i < 20; i++) {
        inner = json_pack("[o]", inner);
    }
    json_object_set_new(v, "a", json_pack("[i,f,s,o]", 1, 2.5, "x", inner));
    return v;
}

START_TEST(test_output_text)
{
    json_t *any = make_any();
    QapiOutput *out = qapi_output_new_text();
    char *want;
    long n;

    write_doc(out, any);
    want = qapi_output_finish_text(out, NULL);
    ck_assert_ptr_nonnull(want);

    for (n = 0; n < MAX_ALLOCS; n++) {
        char *got;

        arm(n, _i);
        out = qapi_output_new_text();
        if (out) {
            write_doc(out, any);
            got = qapi_output_finish_text(out, NULL);
        } else {
            got = NULL;
        }
        disarm();
        if (!failures) {
            ck_assert_str_eq(got, want);
            free(got);
            break;
        }
        ck_assert_msg(got == NULL, "allocation %ld failed, yet text", n);
    }
    ck_assert_int_lt(n, MAX_ALLOCS);
    free(want);
    json_decref(any);
}
END_TEST

START_TEST(test_output_json)
{
    json_t *any = make_any();
    QapiOutput *out = qapi_output_new_json();
    json_t *want;
    long n;

    write_doc(out, any);
    want = qapi_output_finish_json(out);
    ck_assert_ptr_nonnull(want);

    for (n = 0; n < MAX_ALLOCS; n++) {
        json_t *got;

        arm(n, _i);
        out = qapi_output_new_json();
        if (out) {
            write_doc(out, any);
            got = qapi_output_finish_json(out);
        } else {
            got = NULL;
        }
        disarm();
        if (!failures) {
            ck_assert(json_equal(got, want));
            json_decref(got);
            break;
        }
        ck_assert_msg(got == NULL, "allocation %ld failed, yet a value", n);
    }
    ck_assert_int_lt(n, MAX_ALLOCS);
    json_decref(want);
    json_decref(any);
}
END_TEST

/* --- inputs --------------------------------------------------------------- */

static const char doc[] =
    "{\"long\": \"a long string with\\nescapes\\tthat needs more room than "
    "the scratch buffer a long string with\\nescapes\\tthat needs more room "
    "than the scratch buffer a long string with\\nescapes\\tthat needs more "
    "room than the scratch buffer\\u00e9\", "
    "\"deep\": [[[[[[[[[[[[[[[[[[[[[[[[1, 2.5, \"x\"]]]]]]]]]]]]]]]]]]]]]]]], "
    "\"anyv\": {\"k\": [[[[[[[[[[[[[[{\"z\": null}]]]]]]]]]]]]]], \"s\": "
    "\"t\"}, "
    "\"type\": \"disc\", \"n\": -1.5e3}";

/* Read @in the way generated code for a union would. */
static bool read_doc(QapiInput *in, QapiError **errp)
{
    const char *key;
    const char *type;
    json_t *v;
    int r;

    if (!qapi_input_start_object(in, errp)) {
        return false;
    }
    if (qapi_input_find_string(in, "type", &type, errp) < 0) {
        qapi_input_end_object(in);
        return false;
    }
    while ((r = qapi_input_next_member(in, &key, errp)) > 0) {
        bool ok;

        if (!strcmp(key, "anyv")) {
            ok = qapi_input_any(in, &v, errp);
            if (ok) {
                json_decref(v);
            }
        } else {
            ok = walk_value(in, NULL, errp);
        }
        if (!ok) {
            r = -1;
            break;
        }
    }
    qapi_input_end_object(in);
    return r == 0 && qapi_input_finish(in, errp);
}

static void check_input(json_t *value, const char *text, bool rest)
{
    long n;

    for (n = 0; n < MAX_ALLOCS; n++) {
        QapiError *err = NULL;
        QapiInput *in;
        bool ok = false;

        arm(n, rest);
        in = value ? qapi_input_new_json(value)
                   : qapi_input_new_text(text, strlen(text));
        if (in) {
            ok = read_doc(in, &err);
            qapi_input_free(in);
        }
        disarm();
        if (!failures) {
            ck_assert_msg(ok, "%s", err ? qapi_error_get_pretty(err) : "");
            break;
        }
        if (!ok && in) {
            ck_assert_ptr_nonnull(err);
            ck_assert_str_eq(qapi_error_get_pretty(err), "out of memory");
        }
        qapi_error_free(err);
    }
    ck_assert_int_lt(n, MAX_ALLOCS);
}

START_TEST(test_input_text)
{
    check_input(NULL, doc, _i);
}
END_TEST

START_TEST(test_input_json)
{
    json_t *v = json_loads(doc, 0, NULL);

    ck_assert_ptr_nonnull(v);
    check_input(v, NULL, _i);
    json_decref(v);
}
END_TEST

START_TEST(test_input_errors)
{
    /* Error messages need memory too: they fail soft. */
    static const char *const bad[] = {
        "{\"a\": [1, 2,]}",
        "{\"a\": {\"b\": \"x\"}, \"type\": 5}",
        "[1e999]",
        "{\"x\": 18446744073709551616}",
    };
    size_t i;
    long n;

    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        for (n = 0; n < MAX_ALLOCS; n++) {
            QapiError *err = NULL;
            QapiInput *in;
            json_t *v = NULL;

            arm(n, _i);
            in = qapi_input_new_text(bad[i], strlen(bad[i]));
            if (in) {
                if (qapi_input_peek(in) == QAPI_JSON_ARRAY) {
                    ck_assert(!walk_value(in, NULL, &err));
                } else if (i == 3) {
                    ck_assert(!qapi_input_any(in, &v, &err));
                } else {
                    ck_assert(!read_doc(in, &err));
                }
                ck_assert_ptr_nonnull(err);
                qapi_input_free(in);
            }
            disarm();
            qapi_error_free(err);
            json_decref(v);
            if (!failures) {
                break;
            }
        }
        ck_assert_int_lt(n, MAX_ALLOCS);
    }
}
END_TEST

static Suite *oom_suite(void)
{
    Suite *s = suite_create("oom");
    TCase *tc = tcase_create("api");

    /* _i: 0 fails one allocation, 1 fails it and all that follow. */
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, test_output_text, 0, 2);
    tcase_add_loop_test(tc, test_output_json, 0, 2);
    tcase_add_loop_test(tc, test_input_text, 0, 2);
    tcase_add_loop_test(tc, test_input_json, 0, 2);
    tcase_add_loop_test(tc, test_input_errors, 0, 2);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(oom_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
