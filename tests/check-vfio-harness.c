/*
 * check-vfio-harness: the QMP commands of schema/harness.json, as
 * vfio-migrate serves them, through libqapi's dispatcher: replies,
 * errors, and the events each command causes, in order.
 */
#include <check.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness-qmp.h"
#include "harness.h"
#include "qapi-commands.h"
#include "qapi/dispatch.h"
#include "qapi/event.h"

static VfioHarness h;
static QmpCommandList *cmds;
static json_t *events;

static void capture(void *opaque, const char *name, const char *json,
                    size_t len)
{
    json_t *ev = json_loadb(json, len, 0, NULL);

    (void)opaque;
    (void)name;
    ck_assert_ptr_nonnull(ev);
    json_array_append_new(events, ev);
}

static void setup(void)
{
    VfioHarnessConfig cfg = {1u << 20, VFIO_REF_MIGRATION_ALL, 5, NULL, NULL};

    signal(SIGPIPE, SIG_IGN);
    ck_assert_int_eq(vfio_harness_init(&h, &cfg), 0);
    h.opts.max_rounds = 2;
    h.opts.dirty_per_round = 64 << 10;
    vfio_harness_qmp_bind(&h);
    cmds = qmp_command_list_new();
    qmp_init_marshal(cmds);
    ck_assert(!qmp_command_list_failed(cmds));
    events = json_array();
    qapi_event_set_emitter(capture, NULL);
}

static void teardown(void)
{
    qapi_event_set_emitter(NULL, NULL);
    json_decref(events);
    qmp_command_list_free(cmds);
    vfio_harness_qmp_bind(NULL);
    vfio_harness_destroy(&h);
}

/* Run @request; returns the response (new reference). */
static json_t *qmp(const char *request)
{
    char *rsp = NULL;
    json_t *j;

    ck_assert_int_eq(
        qmp_dispatch(cmds, request, strlen(request), 0, NULL, &rsp, NULL), 1);
    j = json_loads(rsp, 0, NULL);
    ck_assert_ptr_nonnull(j);
    free(rsp);
    return j;
}

static json_t *qmp_ok(const char *request)
{
    json_t *rsp = qmp(request);
    json_t *ret = json_incref(json_object_get(rsp, "return"));

    ck_assert_msg(ret, "%s: no return", request);
    json_decref(rsp);
    return ret;
}

static void qmp_err(const char *request, const char *cls, const char *desc)
{
    json_t *rsp = qmp(request);
    json_t *err = json_object_get(rsp, "error");

    ck_assert_ptr_nonnull(err);
    ck_assert_str_eq(json_string_value(json_object_get(err, "class")), cls);
    ck_assert_msg(strstr(json_string_value(json_object_get(err, "desc")), desc),
                  "%s", json_string_value(json_object_get(err, "desc")));
    json_decref(rsp);
}

/* The events since last time, as "P id state" / "M id state", joined by
 * commas; then forgotten. */
static char *take_events(void)
{
    static char buf[8192];
    size_t i, len = 0;
    json_t *ev;

    buf[0] = 0;
    json_array_foreach(events, i, ev)
    {
        json_t *data = json_object_get(ev, "data");
        const char *name = json_string_value(json_object_get(ev, "event"));

        len += (size_t)snprintf(
            buf + len, sizeof(buf) - len, "%s%s %s %s", i ? "," : "",
            strcmp(name, "VFIO_MIGRATION") ? "P" : "M",
            json_string_value(json_object_get(data, "device-id")),
            json_string_value(json_object_get(data, "device-state")));
    }
    json_array_clear(events);
    return buf;
}

START_TEST(test_query_devices)
{
    json_t *ret = qmp_ok("{\"execute\": \"query-vfio-harness-devices\"}");
    json_t *d0 = json_array_get(ret, 0);
    char *flags;

    ck_assert_int_eq(json_array_size(ret), 2);
    ck_assert_str_eq(json_string_value(json_object_get(d0, "id")), "vfio-src0");
    ck_assert_str_eq(json_string_value(json_object_get(d0, "qom-path")),
                     "/machine/peripheral/vfio-src0");
    ck_assert_str_eq(json_string_value(json_object_get(d0, "state")),
                     "running");
    ck_assert_int_eq(json_integer_value(json_object_get(d0, "state-size")),
                     1 << 20);
    ck_assert(json_is_false(json_object_get(d0, "error")));
    ck_assert(json_is_true(json_object_get(d0, "events")));
    flags = json_dumps(json_object_get(d0, "flags"), JSON_COMPACT);
    ck_assert_str_eq(flags, "[\"stop-copy\",\"p2p\",\"pre-copy\"]");
    free(flags);
    ck_assert_str_eq(
        json_string_value(json_object_get(json_array_get(ret, 1), "id")),
        "vfio-dst0");
    json_decref(ret);
    ck_assert_str_eq(take_events(), "");

    /* A device in ERROR has no state, and says so. */
    ck_assert_int_eq(vfio_ref_device_fail_arc(h.dev[0], 2, 5, 5, true, 1), 0);
    ck_assert_int_eq(vfio_ref_device_set_state(h.dev[0], 1, NULL), -5);
    ret = qmp_ok("{\"execute\": \"query-vfio-harness-devices\"}");
    d0 = json_array_get(ret, 0);
    ck_assert_ptr_null(json_object_get(d0, "state"));
    ck_assert(json_is_true(json_object_get(d0, "error")));
    json_decref(ret);
    json_decref(qmp_ok("{\"execute\": \"vfio-harness-reset\","
                       " \"arguments\": {\"id\": \"vfio-src0\"}}"));
    ck_assert_str_eq(take_events(), "M vfio-src0 running");
}
END_TEST

START_TEST(test_set_state)
{
    json_decref(qmp_ok("{\"execute\": \"vfio-harness-set-state\","
                       " \"arguments\": {\"id\": \"vfio-src0\","
                       " \"state\": \"stop\"}}"));
    ck_assert_str_eq(take_events(), "P vfio-src0 stop,M vfio-src0 stop");
    /* A combination transition: one pair of events. */
    json_decref(qmp_ok("{\"execute\": \"vfio-harness-set-state\","
                       " \"arguments\": {\"id\": \"vfio-src0\","
                       " \"state\": \"pre-copy\"}}"));
    ck_assert_str_eq(take_events(),
                     "P vfio-src0 pre-copy,M vfio-src0 pre-copy");
    ck_assert_int_ge(vfio_mig_device_data_fd(h.mig[0]), 0);
    /* Refused: STOP_COPY cannot go back to pre-copy. */
    json_decref(qmp_ok("{\"execute\": \"vfio-harness-set-state\","
                       " \"arguments\": {\"id\": \"vfio-src0\","
                       " \"state\": \"stop-copy\"}}"));
    take_events();
    qmp_err("{\"execute\": \"vfio-harness-set-state\", \"arguments\":"
            " {\"id\": \"vfio-src0\", \"state\": \"pre-copy\","
            " \"recover\": \"stop-copy\"}}",
            "GenericError",
            "Device 'vfio-src0' could not go to pre-copy: Invalid argument");
    ck_assert_str_eq(take_events(),
                     "P vfio-src0 pre-copy,P vfio-src0 stop-copy,"
                     "M vfio-src0 stop-copy");
    /* Without a recover state: reset. */
    qmp_err("{\"execute\": \"vfio-harness-set-state\", \"arguments\":"
            " {\"id\": \"vfio-src0\", \"state\": \"pre-copy-p2p\"}}",
            "GenericError", "could not go to pre-copy-p2p");
    ck_assert_str_eq(take_events(),
                     "P vfio-src0 pre-copy-p2p,M vfio-src0 running");
    ck_assert_int_eq(vfio_mig_device_data_fd(h.mig[0]), -1);
    /* Bad arguments. */
    qmp_err("{\"execute\": \"vfio-harness-set-state\", \"arguments\":"
            " {\"id\": \"nope\", \"state\": \"stop\"}}",
            "DeviceNotFound", "Device 'nope' not found");
    qmp_err("{\"execute\": \"vfio-harness-set-state\", \"arguments\":"
            " {\"id\": \"vfio-src0\", \"state\": \"error\"}}",
            "GenericError", "does not accept value 'error'");
    ck_assert_str_eq(take_events(), "");
}
END_TEST

START_TEST(test_set_events)
{
    json_decref(qmp_ok("{\"execute\": \"vfio-harness-set-events\","
                       " \"arguments\": {\"id\": \"vfio-dst0\","
                       " \"enable\": false}}"));
    json_decref(qmp_ok("{\"execute\": \"vfio-harness-set-state\","
                       " \"arguments\": {\"id\": \"vfio-dst0\","
                       " \"state\": \"stop\"}}"));
    ck_assert_str_eq(take_events(), "");
    ck_assert(!vfio_mig_device_events(h.mig[1]));
    qmp_err("{\"execute\": \"vfio-harness-set-events\", \"arguments\":"
            " {\"id\": \"x\", \"enable\": true}}",
            "DeviceNotFound", "'x'");
}
END_TEST

START_TEST(test_migrate)
{
    json_t *ret = qmp_ok("{\"execute\": \"vfio-harness-migrate\"}");

    ck_assert(json_is_true(json_object_get(ret, "verified")));
    ck_assert_int_ge(json_integer_value(json_object_get(ret, "bytes")),
                     1 << 20);
    ck_assert_int_eq(json_integer_value(json_object_get(ret, "rounds")), 2);
    ck_assert_ptr_null(json_object_get(ret, "error"));
    json_decref(ret);
    ck_assert_str_eq(take_events(),
                     "P vfio-dst0 running-p2p,M vfio-dst0 running-p2p,"
                     "P vfio-dst0 stop,M vfio-dst0 stop,"
                     "P vfio-dst0 resuming,M vfio-dst0 resuming,"
                     "P vfio-src0 pre-copy,M vfio-src0 pre-copy,"
                     "P vfio-src0 pre-copy-p2p,M vfio-src0 pre-copy-p2p,"
                     "P vfio-src0 stop-copy,M vfio-src0 stop-copy,"
                     "P vfio-dst0 stop,M vfio-dst0 stop,"
                     "P vfio-dst0 running-p2p,M vfio-dst0 running-p2p,"
                     "P vfio-dst0 running,M vfio-dst0 running,"
                     "P vfio-src0 stop,M vfio-src0 stop");

    /* Back, with options; then a damaged stream: an outcome, no error. */
    ret = qmp_ok("{\"execute\": \"vfio-harness-migrate\", \"arguments\":"
                 " {\"source\": \"vfio-dst0\", \"destination\": \"vfio-src0\","
                 " \"dirty-rate\": 0, \"max-rounds\": 5}}");
    ck_assert(json_is_true(json_object_get(ret, "verified")));
    ck_assert_int_eq(json_integer_value(json_object_get(ret, "rounds")), 1);
    json_decref(ret);
    take_events();
    vfio_ref_device_fault_stream(h.dev[0], VFIO_REF_STREAM_CORRUPT, 1000);
    ret = qmp_ok("{\"execute\": \"vfio-harness-migrate\"}");
    ck_assert(json_is_false(json_object_get(ret, "verified")));
    ck_assert_str_eq(json_string_value(json_object_get(ret, "error")),
                     "Bad message");
    ck_assert_str_eq(json_string_value(json_object_get(ret, "failed-step")),
                     "destination to STOP");
    json_decref(ret);
    take_events();
    qmp_err("{\"execute\": \"vfio-harness-migrate\", \"arguments\":"
            " {\"source\": \"vfio-dst0\", \"destination\": \"vfio-dst0\"}}",
            "GenericError", "to itself");
    qmp_err("{\"execute\": \"vfio-harness-migrate\", \"arguments\":"
            " {\"destination\": \"gone\"}}",
            "DeviceNotFound", "'gone'");
    ck_assert_str_eq(take_events(), "");
}
END_TEST

static Suite *harness_suite(void)
{
    Suite *s = suite_create("vfio-harness");
    TCase *tc = tcase_create("qmp");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_query_devices);
    tcase_add_test(tc, test_set_state);
    tcase_add_test(tc, test_set_events);
    tcase_add_test(tc, test_migrate);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(harness_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
