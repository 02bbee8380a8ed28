/*
 * check-bundled.c - C generated from the bundled schema
 * (schema/qapi-schema.json and the modules it includes).
 *
 * Every type of the bundled schema goes through text and jansson and
 * back, is cloned and compared (check-gen-helpers.h), with its integer
 * members at their limits and its optional members present and absent;
 * every enum value through its lookup table; the implicit argument types
 * of the commands and events through the lower-level qapi_in_T()/
 * qapi_out_T(); the events through a sink; the introspection data.
 *
 * The generated C is the demo's (examples/demo/gen).
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

DEFINE_GEN_HELPERS(String)
DEFINE_GEN_HELPERS(StrOrNull)
DEFINE_GEN_HELPERS(HumanReadableText)
DEFINE_GEN_HELPERS(NameInfo)
DEFINE_GEN_HELPERS(IOThreadInfo)
DEFINE_GEN_HELPERS(IOThreadInfoList)
DEFINE_GEN_HELPERS(AddfdInfo)
DEFINE_GEN_HELPERS(FdsetFdInfo)
DEFINE_GEN_HELPERS(FdsetFdInfoList)
DEFINE_GEN_HELPERS(FdsetInfo)
DEFINE_GEN_HELPERS(FdsetInfoList)
DEFINE_GEN_HELPERS(CommandLineParameterInfo)
DEFINE_GEN_HELPERS(CommandLineParameterInfoList)
DEFINE_GEN_HELPERS(CommandLineOptionInfo)
DEFINE_GEN_HELPERS(CommandLineOptionInfoList)
DEFINE_GEN_HELPERS(StatusInfo)
DEFINE_GEN_HELPERS(VirtioInfo)
DEFINE_GEN_HELPERS(VirtioInfoList)
DEFINE_GEN_HELPERS(VhostStatus)
DEFINE_GEN_HELPERS(VirtioStatus)

/* ---- enums ------------------------------------------------------------- */

/* Every value of an enum: name, parse, and through qapi_in/qapi_out. */
#define CHECK_ENUM(T, max, ...)                                                \
    do {                                                                       \
        static const char *const names[] = {__VA_ARGS__};                      \
        int i;                                                                 \
                                                                               \
        ck_assert_int_eq(max, ARRAY_SIZE(names));                              \
        ck_assert_int_eq(T##_lookup.size, max);                                \
        for (i = 0; i < (int)(max); i++) {                                     \
            QapiError *err = NULL;                                             \
            QapiOutput *out = qapi_output_new_text();                          \
            QapiInput *in;                                                     \
            char *text;                                                        \
            T value;                                                           \
                                                                               \
            ck_assert_str_eq(T##_str((T)i), names[i]);                         \
            ck_assert_int_eq(qapi_enum_parse(&T##_lookup, names[i], -1, &err), \
                             i);                                               \
            ck_assert_ptr_null(err);                                           \
            qapi_out_##T(out, (T)i);                                           \
            text = qapi_output_finish_text(out, NULL);                         \
            in = qapi_input_new_text(text, strlen(text));                      \
            ck_assert(qapi_in_##T(in, &value, &err));                          \
            ck_assert(qapi_input_finish(in, &err));                            \
            ck_assert_int_eq(value, i);                                        \
            qapi_input_free(in);                                               \
            free(text);                                                        \
        }                                                                      \
        ck_assert_ptr_null(T##_str((T)(max)));                                 \
        {                                                                      \
            QapiError *err = NULL;                                             \
            QapiInput *in = qapi_input_new_text("\"nope\"", 6);                \
            T value;                                                           \
                                                                               \
            ck_assert(!qapi_in_##T(in, &value, &err));                         \
            ck_assert_str_eq(qapi_error_get_pretty(err),                       \
                             "Parameter '<root>' does not accept value "       \
                             "'nope'");                                        \
            qapi_error_free(err);                                              \
            qapi_input_free(in);                                               \
        }                                                                      \
    } while (0)

START_TEST(test_enums)
{
    CHECK_ENUM(QapiErrorClass, QAPI_ERROR_CLASS__MAX, "GenericError",
               "CommandNotFound", "DeviceNotActive", "DeviceNotFound",
               "KVMMissingCap");
    ck_assert_int_eq(QAPI_ERROR_CLASS_KVMMISSINGCAP, 4);
    CHECK_ENUM(IoOperationType, IO_OPERATION_TYPE__MAX, "read", "write");
    CHECK_ENUM(OnOffAuto, ON_OFF_AUTO__MAX, "auto", "on", "off");
    CHECK_ENUM(OnOffSplit, ON_OFF_SPLIT__MAX, "on", "off", "split");
    CHECK_ENUM(CommandLineParameterType, COMMAND_LINE_PARAMETER_TYPE__MAX,
               "string", "boolean", "number", "size");
    CHECK_ENUM(QapiVfioMigrationState, QAPI_VFIO_MIGRATION_STATE__MAX, "stop",
               "running", "stop-copy", "resuming", "running-p2p", "pre-copy",
               "pre-copy-p2p");
    ck_assert_int_eq(QAPI_VFIO_MIGRATION_STATE_RUNNING_P2P, 4);
    ck_assert_int_eq(QAPI_VFIO_MIGRATION_STATE_PRE_COPY_P2P, 6);
    CHECK_ENUM(RunState, RUN_STATE__MAX, "debug", "inmigrate", "internal-error",
               "io-error", "paused", "postmigrate", "prelaunch",
               "finish-migrate", "restore-vm", "running", "save-vm", "shutdown",
               "suspended", "watchdog", "guest-panicked", "colo");
    CHECK_ENUM(ShutdownCause, SHUTDOWN_CAUSE__MAX, "none", "host-error",
               "host-qmp-quit", "host-qmp-system-reset", "host-signal",
               "host-ui", "guest-shutdown", "guest-reset", "guest-panic",
               "subsystem-reset", "snapshot-load");
}
END_TEST

/* ---- common.json ------------------------------------------------------- */

START_TEST(test_common)
{
    String s = {.str = (char *)"x\"y"};
    HumanReadableText h = {.human_readable_text = (char *)"line\n"};
    StrOrNull sn;

    rt_String(&s, "{\"str\":\"x\\\"y\"}");
    rt_HumanReadableText(&h, "{\"human-readable-text\":\"line\\n\"}");
    sn.type = QTYPE_QSTRING;
    sn.u.s = (char *)"";
    rt_StrOrNull(&sn, "\"\"");
    sn.u.s = (char *)"null";
    rt_StrOrNull(&sn, "\"null\"");
    sn.type = QTYPE_QNULL;
    sn.u.n = qapi_null();
    rt_StrOrNull(&sn, "null");
    {
        StrOrNull *p = parse_StrOrNull("null");

        ck_assert_int_eq(p->type, QTYPE_QNULL);
        qapi_free_StrOrNull(p);
        p = parse_StrOrNull("\"a\"");
        ck_assert_int_eq(p->type, QTYPE_QSTRING);
        ck_assert_str_eq(p->u.s, "a");
        qapi_free_StrOrNull(p);
    }
    bad_StrOrNull("1",
                  "Invalid parameter type for '<root>', expected: "
                  "StrOrNull",
                  0);
    bad_StrOrNull("{}",
                  "Invalid parameter type for '<root>', expected: "
                  "StrOrNull",
                  0);
    bad_String("{}", "Parameter 'str' is missing", 0);
    bad_String("{\"str\":null}",
               "Invalid parameter type for 'str', expected: string", 0);
    bad_HumanReadableText("{\"human_readable_text\":\"\"}",
                          "Parameter 'human_readable_text' is unexpected", 0);
}
END_TEST

/* ---- misc.json --------------------------------------------------------- */

START_TEST(test_misc)
{
    NameInfo n = {0};
    IOThreadInfo io = {.id = (char *)"io0",
                       .thread_id = INT64_MAX,
                       .poll_max_ns = INT64_MIN,
                       .poll_grow = 0,
                       .poll_shrink = -1,
                       .aio_max_batch = 1};
    IOThreadInfoList iol2 = {NULL, &io}, iol = {&iol2, &io};
    AddfdInfo a = {.fdset_id = 1, .fd = -1};

    rt_NameInfo(&n, "{}");
    n.name = (char *)"vm";
    rt_NameInfo(&n, "{\"name\":\"vm\"}");
    bad_NameInfo("{\"name\":1}",
                 "Invalid parameter type for 'name', expected: string", 0);

    rt_IOThreadInfo(&io, "{\"id\":\"io0\",\"thread-id\":9223372036854775807,"
                         "\"poll-max-ns\":-9223372036854775808,"
                         "\"poll-grow\":0,\"poll-shrink\":-1,"
                         "\"aio-max-batch\":1}");
    rt_IOThreadInfoList(&iol, NULL);
    rt_IOThreadInfoList(NULL, "[]");
    bad_IOThreadInfo("{\"id\":\"io0\",\"thread-id\":9223372036854775808,"
                     "\"poll-max-ns\":0,\"poll-grow\":0,\"poll-shrink\":0,"
                     "\"aio-max-batch\":1}",
                     "Parameter 'thread-id' expects int", 0);
    bad_IOThreadInfo("{\"id\":\"io0\",\"thread-id\":1,"
                     "\"poll-max-ns\":0,\"poll-grow\":0,\"poll-shrink\":0}",
                     "Parameter 'aio-max-batch' is missing", 0);
    bad_IOThreadInfoList("[{\"id\":\"io0\",\"thread-id\":1,"
                         "\"poll-max-ns\":0,\"poll-grow\":0,"
                         "\"poll-shrink\":0,\"aio-max-batch\":1,"
                         "\"extra\":0}]",
                         "Parameter '[0].extra' is unexpected", 0);

    rt_AddfdInfo(&a, "{\"fdset-id\":1,\"fd\":-1}");
    bad_AddfdInfo("{\"fdset-id\":1,\"fd\":-1,\"fd\":2}",
                  "Parameter 'fd' is duplicated", BAD_TEXT_ONLY);
}
END_TEST

/* ---- run-state.json ---------------------------------------------------- */

START_TEST(test_run_state)
{
    StatusInfo st = {.running = false, .status = RUN_STATE_PRELAUNCH};

    rt_StatusInfo(&st, "{\"running\":false,\"singlestep\":false,"
                       "\"status\":\"prelaunch\"}");
    st.running = true;
    st.singlestep = true;
    st.status = RUN_STATE_RUNNING;
    rt_StatusInfo(&st, NULL);
    bad_StatusInfo("{\"running\":true,\"status\":\"running\"}",
                   "Parameter 'singlestep' is missing", 0);
    bad_StatusInfo("{\"running\":true,\"singlestep\":false,"
                   "\"status\":\"flying\"}",
                   "Parameter 'status' does not accept value 'flying'", 0);
    st.status = RUN_STATE__MAX;
    ck_assert_ptr_null(qapi_StatusInfo_to_string(&st));
    ck_assert_ptr_null(qapi_StatusInfo_to_json(&st));
}
END_TEST

START_TEST(test_fdsets)
{
    FdsetFdInfo f1 = {.fd = 3, .opaque = NULL};
    FdsetFdInfo f2 = {.fd = 4, .opaque = (char *)"rdonly"};
    FdsetFdInfoList l2 = {NULL, &f2}, l1 = {&l2, &f1};
    FdsetInfo set = {.fdset_id = 0, .fds = &l1};
    FdsetInfo empty = {.fdset_id = 1, .fds = NULL};
    FdsetInfoList sl2 = {NULL, &empty}, sl = {&sl2, &set};

    rt_FdsetFdInfo(&f1, "{\"fd\":3}");
    rt_FdsetFdInfo(&f2, "{\"fd\":4,\"opaque\":\"rdonly\"}");
    rt_FdsetFdInfoList(&l1, "[{\"fd\":3},{\"fd\":4,\"opaque\":\"rdonly\"}]");
    rt_FdsetInfo(&set, "{\"fdset-id\":0,\"fds\":[{\"fd\":3},"
                       "{\"fd\":4,\"opaque\":\"rdonly\"}]}");
    rt_FdsetInfo(&empty, "{\"fdset-id\":1,\"fds\":[]}");
    rt_FdsetInfoList(&sl, NULL);
    bad_FdsetInfoList(
        "[{\"fdset-id\":0,\"fds\":[{\"fd\":3},{\"opaque\":\"\"}]}]",
        "Parameter '[0].fds[1].fd' is missing", 0);
    bad_FdsetInfo("{\"fdset-id\":0,\"fds\":[{\"fd\":3,\"opaque\":false}]}",
                  "Invalid parameter type for 'fds[0].opaque', expected: "
                  "string",
                  0);
}
END_TEST

START_TEST(test_command_line_options)
{
    unsigned mask;

    for (mask = 0; mask < 4; mask++) {
        int t;

        for (t = 0; t < COMMAND_LINE_PARAMETER_TYPE__MAX; t++) {
            CommandLineParameterInfo p = {
                .name = (char *)"size",
                .type = (CommandLineParameterType)t,
                .help = mask & 1 ? (char *)"help" : NULL,
                .q_default = mask & 2 ? (char *)"1G" : NULL,
            };
            char expect[256];

            snprintf(expect, sizeof(expect),
                     "{\"name\":\"size\",\"type\":\"%s\"%s%s}",
                     CommandLineParameterType_str((CommandLineParameterType)t),
                     mask & 1 ? ",\"help\":\"help\"" : "",
                     mask & 2 ? ",\"default\":\"1G\"" : "");
            rt_CommandLineParameterInfo(&p, expect);
        }
    }
    {
        CommandLineParameterInfo p1 = {
            .name = (char *)"a", .type = COMMAND_LINE_PARAMETER_TYPE_BOOLEAN};
        CommandLineParameterInfoList pl = {NULL, &p1};
        CommandLineOptionInfo o = {.option = (char *)"drive",
                                   .parameters = &pl};
        CommandLineOptionInfo o2 = {.option = (char *)"none",
                                    .parameters = NULL};
        CommandLineOptionInfoList ol2 = {NULL, &o2}, ol = {&ol2, &o};

        rt_CommandLineParameterInfoList(
            &pl, "[{\"name\":\"a\",\"type\":\"boolean\"}]");
        rt_CommandLineOptionInfo(&o,
                                 "{\"option\":\"drive\",\"parameters\":"
                                 "[{\"name\":\"a\",\"type\":\"boolean\"}]}");
        rt_CommandLineOptionInfoList(&ol, NULL);
    }
    bad_CommandLineOptionInfo("{\"option\":\"drive\",\"parameters\":"
                              "[{\"name\":\"a\",\"type\":\"bool\"}]}",
                              "Parameter 'parameters[0].type' does not accept "
                              "value 'bool'",
                              0);
    bad_CommandLineParameterInfo("{\"name\":\"a\",\"type\":\"size\","
                                 "\"q_default\":\"\"}",
                                 "Parameter 'q_default' is unexpected", 0);
}
END_TEST

/* ---- virtio.json ------------------------------------------------------- */

static const char vhost_max[] =
    "{\"n-mem-sections\":9223372036854775807,"
    "\"n-tmp-sections\":-9223372036854775808,\"nvqs\":4294967295,"
    "\"vq-index\":0,\"features\":18446744073709551615,"
    "\"acked-features\":18446744073709551614,"
    "\"backend-features\":9223372036854775808,"
    "\"protocol-features\":9223372036854775807,\"max-queues\":0,"
    "\"backend-cap\":1,\"log-enabled\":true,"
    "\"log-size\":18446744073709551615}";

static VirtioStatus *virtio_status(bool vhost)
{
    VirtioStatus *s = NEW(VirtioStatus);

    s->name = xstrdup("virtio-net");
    s->device_id = UINT16_MAX;
    s->vhost_started = vhost;
    s->device_endian = xstrdup("little");
    s->guest_features = UINT64_MAX;
    s->host_features = (uint64_t)INT64_MAX + 1;
    s->backend_features = 0;
    s->num_vqs = -1;
    s->status = UINT8_MAX;
    s->isr = 0;
    s->queue_sel = 0;
    s->vm_running = true;
    s->broken = false;
    s->disabled = true;
    s->use_started = false;
    s->started = true;
    s->start_on_kick = false;
    s->disable_legacy_check = true;
    s->bus_name = xstrdup("");
    s->use_guest_notifier_mask = true;
    if (vhost) {
        QapiError *err = NULL;

        ck_assert(qapi_VhostStatus_from_string(vhost_max, &s->vhost_dev, &err));
    }
    return s;
}

START_TEST(test_virtio)
{
    VirtioInfo v1 = {.path = (char *)"/machine/peripheral/net0",
                     .name = (char *)"virtio-net"};
    VirtioInfoList vl = {NULL, &v1};
    VhostStatus *vh = parse_VhostStatus(vhost_max);
    VirtioStatus *s;

    rt_VirtioInfo(&v1, "{\"path\":\"/machine/peripheral/net0\","
                       "\"name\":\"virtio-net\"}");
    rt_VirtioInfoList(&vl, NULL);
    bad_VirtioInfo("{\"path\":\"/machine/peripheral/net0\",\"name\":5}",
                   "Invalid parameter type for 'name', expected: string", 0);
    bad_VirtioInfo("{\"path\":\"/p\",\"name\":\"net\",\"mtu\":9000}",
                   "Parameter 'mtu' is unexpected", 0);
    bad_VirtioInfo("{\"path\":\"/machine/peripheral/net0\"}",
                   "Parameter 'name' is missing", 0);
    bad_VirtioInfo("{\"path\":\"/p\",\"name\":\"net\"} trailing",
                   "JSON parse error at byte 27: unexpected 't'", BAD_PREFIX);

    ck_assert_uint_eq(vh->features, UINT64_MAX);
    ck_assert_uint_eq(vh->acked_features, UINT64_MAX - 1);
    ck_assert_uint_eq(vh->backend_features, (uint64_t)INT64_MAX + 1);
    ck_assert_uint_eq(vh->nvqs, UINT32_MAX);
    ck_assert_int_eq(vh->n_tmp_sections, INT64_MIN);
    rt_VhostStatus(vh, vhost_max);
    qapi_free_VhostStatus(vh);

    s = virtio_status(false);
    rt_VirtioStatus(s, NULL);
    qapi_free_VirtioStatus(s);
    s = virtio_status(true);
    rt_VirtioStatus(s, NULL);
    {
        /* The optional struct member makes the difference. */
        VirtioStatus *t = qapi_clone_VirtioStatus(s);

        qapi_free_VhostStatus(t->vhost_dev);
        t->vhost_dev = NULL;
        ck_assert(!qapi_equal_VirtioStatus(s, t));
        qapi_free_VirtioStatus(t);
    }
    qapi_free_VirtioStatus(s);
}
END_TEST

/* A VirtioStatus text with member @name set to @value. */
static char *virtio_json(const char *name, const char *value)
{
    VirtioStatus *s = virtio_status(true);
    char *text = qapi_VirtioStatus_to_string(s);
    char key[64], *at, *end, *out;
    size_t n;

    snprintf(key, sizeof(key), "\"%s\":", name);
    at = strstr(text, key);
    ck_assert_ptr_nonnull(at);
    at += strlen(key);
    end = at + strcspn(at, ",}");
    n = (size_t)(at - text) + strlen(value) + strlen(end) + 1;
    out = xcalloc(n);
    snprintf(out, n, "%.*s%s%s", (int)(at - text), text, value, end);
    free(text);
    qapi_free_VirtioStatus(s);
    return out;
}

START_TEST(test_virtio_limits)
{
    static const struct {
        const char *name, *value, *msg;
    } cases[] = {
        {"device-id", "65535", NULL},
        {"device-id", "65536", "Parameter 'device-id' expects uint16"},
        {"device-id", "-1", "Parameter 'device-id' expects uint16"},
        {"status", "255", NULL},
        {"status", "256", "Parameter 'status' expects uint8"},
        {"isr", "-1", "Parameter 'isr' expects uint8"},
        {"queue-sel", "65536", "Parameter 'queue-sel' expects uint16"},
        {"guest-features", "18446744073709551615", NULL},
        {"guest-features", "18446744073709551616",
         "Parameter 'guest-features' expects uint64"},
        {"num-vqs", "-9223372036854775809", "Parameter 'num-vqs' expects int"},
        {"nvqs", "4294967296", "Parameter 'vhost-dev.nvqs' expects uint32"},
        {"log-size", "18446744073709551616",
         "Parameter 'vhost-dev.log-size' expects uint64"},
        {"log-enabled", "0",
         "Invalid parameter type for 'vhost-dev.log-enabled', expected: "
         "boolean"},
        {"broken", "\"no\"",
         "Invalid parameter type for 'broken', expected: boolean"},
    };
    size_t i;

    for (i = 0; i < ARRAY_SIZE(cases); i++) {
        char *json = virtio_json(cases[i].name, cases[i].value);

        if (cases[i].msg) {
            bad_VirtioStatus(json, cases[i].msg, 0);
        } else {
            VirtioStatus *s = parse_VirtioStatus(json);

            rt_VirtioStatus(s, json);
            qapi_free_VirtioStatus(s);
        }
        free(json);
    }
}
END_TEST

/* ---- implicit argument types, through qapi_in/qapi_out ------------------ */

#define CHECK_ARGS(T, json)                                                    \
    do {                                                                       \
        const char *text_ = (json);                                            \
        QapiInput *in = qapi_input_new_text(text_, strlen(text_));             \
        QapiOutput *out = qapi_output_new_text();                              \
        QapiError *err = NULL;                                                 \
        T *arg = NULL;                                                         \
        T *copy;                                                               \
        char *s;                                                               \
                                                                               \
        ck_assert_msg(qapi_in_##T(in, &arg, &err), "%s: %s", text_,            \
                      errmsg(err));                                            \
        ck_assert(qapi_input_finish(in, &err));                                \
        qapi_input_free(in);                                                   \
        qapi_out_##T(out, arg);                                                \
        s = qapi_output_finish_text(out, NULL);                                \
        ck_assert_str_eq(s, text_);                                            \
        copy = qapi_clone_##T(arg);                                            \
        ck_assert(qapi_equal_##T(arg, copy));                                  \
        free(s);                                                               \
        qapi_free_##T(copy);                                                   \
        qapi_free_##T(arg);                                                    \
    } while (0)

#define CHECK_ARGS_BAD(T, json, msg)                                           \
    do {                                                                       \
        const char *text_ = (json);                                            \
        QapiInput *in = qapi_input_new_text(text_, strlen(text_));             \
        QapiError *err = NULL;                                                 \
        T *arg = NULL;                                                         \
                                                                               \
        ck_assert(!qapi_in_##T(in, &arg, &err));                               \
        ck_assert_ptr_null(arg);                                               \
        check_message(err, msg, 0, text_);                                     \
        qapi_error_free(err);                                                  \
        qapi_input_free(in);                                                   \
    } while (0)

START_TEST(test_arguments)
{
    CHECK_ARGS(q_obj_add_client_arg,
               "{\"protocol\":\"vnc\",\"fdname\":\"fd0\"}");
    CHECK_ARGS(q_obj_add_client_arg,
               "{\"protocol\":\"vnc\",\"fdname\":\"fd0\",\"skipauth\":false,"
               "\"tls\":true}");
    CHECK_ARGS_BAD(q_obj_add_client_arg, "{\"protocol\":\"vnc\"}",
                   "Parameter 'fdname' is missing");
    CHECK_ARGS(q_obj_human_monitor_command_arg,
               "{\"command-line\":\"info\",\"cpu-index\":-1}");
    CHECK_ARGS(q_obj_getfd_arg, "{\"fdname\":\"x\"}");
    CHECK_ARGS(q_obj_closefd_arg, "{\"fdname\":\"x\"}");
    CHECK_ARGS(q_obj_add_fd_arg, "{}");
    CHECK_ARGS(q_obj_add_fd_arg, "{\"fdset-id\":1,\"opaque\":\"o\"}");
    CHECK_ARGS(q_obj_remove_fd_arg, "{\"fdset-id\":1,\"fd\":2}");
    CHECK_ARGS_BAD(q_obj_remove_fd_arg, "{\"fd\":2}",
                   "Parameter 'fdset-id' is missing");
    CHECK_ARGS(q_obj_query_command_line_options_arg, "{}");
    CHECK_ARGS(q_obj_query_command_line_options_arg, "{\"option\":\"m\"}");
    CHECK_ARGS(q_obj_x_query_virtio_status_arg, "{\"path\":\"/p\"}");
    CHECK_ARGS(q_obj_RTC_CHANGE_arg, "{\"offset\":-1,\"qom-path\":\"/rtc\"}");
    CHECK_ARGS(q_obj_VFU_CLIENT_HANGUP_arg,
               "{\"vfu-id\":\"a\",\"vfu-qom-path\":\"b\",\"dev-id\":\"c\","
               "\"dev-qom-path\":\"d\"}");
    CHECK_ARGS(q_obj_VFIO_MIGRATION_arg,
               "{\"device-id\":\"d\",\"qom-path\":\"q\","
               "\"device-state\":\"pre-copy-p2p\"}");
    CHECK_ARGS(q_obj_VFIO_MIGRATION_PREPARE_arg,
               "{\"device-id\":\"d\",\"qom-path\":\"q\","
               "\"device-state\":\"stop\"}");
    CHECK_ARGS_BAD(q_obj_VFIO_MIGRATION_arg,
                   "{\"device-id\":\"d\",\"qom-path\":\"q\","
                   "\"device-state\":\"stopped\"}",
                   "Parameter 'device-state' does not accept value 'stopped'");
}
END_TEST

/* ---- events ------------------------------------------------------------ */

static char *last_event;
static int n_events;

static void sink(void *opaque, const char *name, const char *json, size_t len)
{
    ck_assert_ptr_eq(opaque, &n_events);
    ck_assert_uint_eq(strlen(json), len);
    ck_assert_ptr_nonnull(strstr(json, name));
    free(last_event);
    last_event = xstrdup(json);
    n_events++;
}

/* The event text without its timestamp, which is checked for shape. */
static void expect_event(const char *head)
{
    const char *ts;
    long long s, us;
    int n = 0;

    ck_assert_ptr_nonnull(last_event);
    ck_assert_msg(!strncmp(last_event, head, strlen(head)),
                  "event %s, expected %s...", last_event, head);
    ts = last_event + strlen(head);
    ck_assert_int_eq(sscanf(ts,
                            ",\"timestamp\":{\"seconds\":%lld,"
                            "\"microseconds\":%lld}}%n",
                            &s, &us, &n),
                     2);
    ck_assert_uint_eq(strlen(ts), (size_t)n);
    ck_assert_int_gt(s, 0);
    ck_assert(us >= 0 && us < 1000000);
}

START_TEST(test_events)
{
    ck_assert_int_eq(qapi_event_add_sink(sink, &n_events), 0);
    qapi_event_send_rtc_change(INT64_MIN, "/machine/rtc");
    expect_event("{\"event\":\"RTC_CHANGE\",\"data\":{\"offset\":"
                 "-9223372036854775808,\"qom-path\":\"/machine/rtc\"}");
    qapi_event_send_vfu_client_hangup("a", "b", "c", "d");
    expect_event("{\"event\":\"VFU_CLIENT_HANGUP\",\"data\":{\"vfu-id\":\"a\","
                 "\"vfu-qom-path\":\"b\",\"dev-id\":\"c\","
                 "\"dev-qom-path\":\"d\"}");
    qapi_event_send_vfio_migration("dev", "/q",
                                   QAPI_VFIO_MIGRATION_STATE_STOP_COPY);
    expect_event("{\"event\":\"VFIO_MIGRATION\",\"data\":{\"device-id\":"
                 "\"dev\",\"qom-path\":\"/q\",\"device-state\":\"stop-copy\"}");
    qapi_event_send_vfio_migration_prepare("dev", "/q",
                                           QAPI_VFIO_MIGRATION_STATE_RUNNING);
    expect_event("{\"event\":\"VFIO_MIGRATION_PREPARE\",\"data\":{"
                 "\"device-id\":\"dev\",\"qom-path\":\"/q\","
                 "\"device-state\":\"running\"}");
    qapi_event_send_shutdown(false, SHUTDOWN_CAUSE_HOST_QMP_QUIT);
    expect_event("{\"event\":\"SHUTDOWN\",\"data\":{\"guest\":false,"
                 "\"reason\":\"host-qmp-quit\"}");
    qapi_event_send_reset(true, SHUTDOWN_CAUSE_GUEST_RESET);
    expect_event("{\"event\":\"RESET\",\"data\":{\"guest\":true,"
                 "\"reason\":\"guest-reset\"}");
    qapi_event_send_stop();
    expect_event("{\"event\":\"STOP\"");
    qapi_event_send_resume();
    expect_event("{\"event\":\"RESUME\"");
    qapi_event_send_powerdown();
    expect_event("{\"event\":\"POWERDOWN\"");
    ck_assert_int_eq(n_events, 9);
    ck_assert_int_eq(qapi_event_remove_sink(sink, &n_events), 0);
    free(last_event);
    last_event = NULL;

    ck_assert_int_eq(QAPI_EVENT__MAX, 9);
    ck_assert_str_eq(qapi_enum_lookup(&QAPIEvent_lookup, QAPI_EVENT_RTC_CHANGE),
                     "RTC_CHANGE");
    ck_assert_str_eq(
        qapi_enum_lookup(&QAPIEvent_lookup, QAPI_EVENT_VFIO_MIGRATION_PREPARE),
        "VFIO_MIGRATION_PREPARE");
}
END_TEST

/* ---- introspection ----------------------------------------------------- */

START_TEST(test_introspection)
{
    static const char *const commands[] = {
        "add_client",
        "query-name",
        "query-iothreads",
        "stop",
        "cont",
        "x-exit-preconfig",
        "human-monitor-command",
        "getfd",
        "closefd",
        "add-fd",
        "remove-fd",
        "query-fdsets",
        "query-command-line-options",
        "x-query-virtio",
        "x-query-virtio-status",
    };
    static const char *const events[] = {
        "VFIO_MIGRATION",
        "VFIO_MIGRATION_PREPARE",
        "RTC_CHANGE",
        "VFU_CLIENT_HANGUP",
    };
    json_t *schema = qmp_schema_json(), *e;
    char *text = qmp_schema_string();
    size_t i;

    ck_assert_ptr_nonnull(schema);
    ck_assert_ptr_nonnull(text);
    ck_assert(json_is_array(schema));
    for (i = 0; i < ARRAY_SIZE(commands); i++) {
        e = find_entry(schema, commands[i]);
        ck_assert_msg(e != NULL, "no command %s", commands[i]);
        ck_assert_str_eq(json_string_value(json_object_get(e, "meta-type")),
                         "command");
        ck_assert_ptr_nonnull(find_entry(
            schema, json_string_value(json_object_get(e, "arg-type"))));
        ck_assert_ptr_nonnull(find_entry(
            schema, json_string_value(json_object_get(e, "ret-type"))));
    }
    for (i = 0; i < ARRAY_SIZE(events); i++) {
        e = find_entry(schema, events[i]);
        ck_assert_msg(e != NULL, "no event %s", events[i]);
        ck_assert_str_eq(json_string_value(json_object_get(e, "meta-type")),
                         "event");
    }
    e = find_entry(schema, "x-query-virtio");
    ck_assert_str_eq(
        json_string_value(json_array_get(json_object_get(e, "features"), 0)),
        "unstable");
    e = find_entry(schema, "human-monitor-command");
    ck_assert_str_eq(
        json_string_value(json_array_get(json_object_get(e, "features"), 0)),
        "savevm-monitor-nodes");
    /* Type names masked. */
    ck_assert_ptr_null(strstr(text, "VirtioStatus"));
    ck_assert_ptr_null(strstr(text, "q_obj"));
    ck_assert_ptr_null(strstr(text, "\"CommandLineParameterType\""));
    json_decref(schema);
    free(text);
}
END_TEST

static Suite *bundled_suite(void)
{
    Suite *s = suite_create("bundled");
    TCase *tc = tcase_create("types");

    tcase_add_test(tc, test_enums);
    tcase_add_test(tc, test_common);
    tcase_add_test(tc, test_misc);
    tcase_add_test(tc, test_run_state);
    tcase_add_test(tc, test_fdsets);
    tcase_add_test(tc, test_command_line_options);
    tcase_add_test(tc, test_virtio);
    tcase_add_test(tc, test_virtio_limits);
    tcase_add_test(tc, test_arguments);
    tcase_add_test(tc, test_events);
    tcase_add_test(tc, test_introspection);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(bundled_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
