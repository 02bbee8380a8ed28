/*
 * check-qmp-client - the QMP client (qapi/qmp-client.h) and the typed
 * client generated from the bundled schema (qapi-client.h).
 *
 *   - against libqapi's server with tests/qmp-test-handlers.c, run in a
 *     thread over a socketpair: greeting, negotiation, ids, events
 *     interleaved with replies (typed handlers and the queue), error
 *     replies with QEMU's classes, file descriptors with SCM_RIGHTS;
 *   - against scripted servers (bytes written to the other end of a
 *     socketpair beforehand): replies and events that do not fit the
 *     schema, reported with their member paths; garbage; unknown ids;
 *     oversized messages; a disconnect in the middle of a reply; bad
 *     greetings; timeouts.
 */
#include <check.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "qapi-client.h"
#include "qapi-commands.h"
#include "qapi/qmp-client.h"
#include "qapi/qmp-server.h"
#include "qmp-test-handlers.h"

#define TIMEOUT_MS 10000

/* ck_assert(ok) that shows the error. */
#define ck_assert_ok(call, err)                                                \
    do {                                                                       \
        bool ok_ = (call);                                                     \
        ck_assert_msg(ok_, "%s: %s", #call,                                    \
                      err ? qapi_error_get_pretty(err) : "(no error)");        \
    } while (0)

/* --- our server in a thread ------------------------------------------- */

typedef struct Served {
    QmpCommandList *cmds;
    QmpServer *srv;
    pthread_t thread;
    QmpClient *c;
} Served;

static void *run_server(void *opaque)
{
    Served *s = opaque;

    qmp_server_run(s->srv);
    return NULL;
}

static void serve(Served *s, bool negotiate)
{
    QapiError *err = NULL;
    int sv[2];

    s->cmds = qmp_command_list_new();
    ck_assert_ptr_nonnull(s->cmds);
    qmp_init_marshal(s->cmds);
    s->srv = qmp_server_new(s->cmds);
    ck_assert_ptr_nonnull(s->srv);
    qmp_server_set_version(s->srv, 7, 2, 11, "test");
    qmp_test_set_server(s->srv);
    ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    ck_assert_int_eq(qmp_server_add_client(s->srv, sv[1]), 0);
    ck_assert_int_eq(pthread_create(&s->thread, NULL, run_server, s), 0);
    s->c = qmp_client_new_fd(sv[0], TIMEOUT_MS, &err);
    ck_assert_ptr_null(err);
    ck_assert_ptr_nonnull(s->c);
    if (negotiate) {
        ck_assert(qmp_client_negotiate(s->c, NULL, &err));
        ck_assert_ptr_null(err);
    }
}

static void unserve(Served *s)
{
    qmp_client_free(s->c);
    qmp_server_stop(s->srv);
    pthread_join(s->thread, NULL);
    qmp_test_set_server(NULL);
    qmp_test_handlers_cleanup();
    qmp_server_free(s->srv);
    qmp_command_list_free(s->cmds);
}

/* *errp is @msg of class @cls; it is freed and reset. */
static void check_error(QapiError **errp, QapiErrClass cls, const char *msg)
{
    ck_assert_ptr_nonnull(*errp);
    ck_assert_str_eq(qapi_error_get_pretty(*errp), msg);
    ck_assert_int_eq(qapi_error_get_class(*errp), cls);
    qapi_error_free(*errp);
    *errp = NULL;
}

/* The trace written so far to the pipe @fd. */
static char *read_trace(int fd)
{
    static char buf[65536];
    ssize_t n = read(fd, buf, sizeof(buf) - 1);

    ck_assert_int_gt(n, 0);
    buf[n] = '\0';
    return buf;
}

START_TEST(test_greeting_negotiation)
{
    Served s;
    QapiError *err = NULL;
    int64_t major, minor, micro;
    const char *package;
    const char *const oob[] = {"oob", NULL};
    int p[2];

    serve(&s, false);
    /* Traced from the start: the greeting comes first. */
    ck_assert_int_eq(pipe(p), 0);
    qmp_client_set_trace(s.c, p[1]);
    ck_assert_str_eq(read_trace(p[0]),
                     "<- {\"QMP\":{\"version\":{\"qemu\":{\"micro\":11,"
                     "\"minor\":2,\"major\":7},\"package\":\"test\"},"
                     "\"capabilities\":[]}}\n");
    qmp_client_set_trace(s.c, -1);
    close(p[0]);
    close(p[1]);
    qmp_client_get_version(s.c, &major, &minor, &micro, &package);
    ck_assert_int_eq(major, 7);
    ck_assert_int_eq(minor, 2);
    ck_assert_int_eq(micro, 11);
    ck_assert_str_eq(package, "test");
    ck_assert(!qmp_client_has_capability(s.c, "oob"));
    /* Commands before negotiation: QEMU's refusal. */
    ck_assert(!qmp_client_query_name(s.c, NULL, &err));
    check_error(&err, QAPI_ERR_CLASS_COMMAND_NOT_FOUND,
                "Expecting capabilities negotiation with 'qmp_capabilities'");
    /* A capability the server does not offer. */
    ck_assert(!qmp_client_negotiate(s.c, oob, &err));
    check_error(&err, QAPI_ERR_CLASS_GENERIC_ERROR,
                "Capability oob not available");
    ck_assert(qmp_client_negotiate(s.c, NULL, &err));
    ck_assert_ptr_null(err);
    unserve(&s);
}
END_TEST

START_TEST(test_ids_and_trace)
{
    Served s;
    QapiError *err = NULL;
    NameInfo *info = NULL;
    StatusInfo *status = NULL;
    char *text;
    int p[2];

    serve(&s, true);
    ck_assert_int_eq(pipe(p), 0);
    qmp_client_set_trace(s.c, p[1]);
    qmp_test_set_name("guest0");
    ck_assert(qmp_client_query_name(s.c, &info, &err));
    ck_assert_ptr_null(err);
    ck_assert_str_eq(info->name, "guest0");
    qapi_free_NameInfo(info);
    ck_assert(qmp_client_query_status(s.c, &status, &err));
    ck_assert_int_eq(status->status, RUN_STATE_RUNNING);
    ck_assert(status->running);
    qapi_free_StatusInfo(status);
    /* negotiation was id 1 */
    text = read_trace(p[0]);
    ck_assert_str_eq(text,
                     "-> {\"execute\":\"query-name\",\"id\":2}\n"
                     "<- {\"return\":{\"name\":\"guest0\"},\"id\":2}\n"
                     "-> {\"execute\":\"query-status\",\"id\":3}\n"
                     "<- {\"return\":{\"running\":true,\"singlestep\":false,"
                     "\"status\":\"running\"},\"id\":3}\n");
    /* Arguments, and a return value that is not an object. */
    ck_assert(qmp_client_human_monitor_command(s.c, "info name", false, 0,
                                               &text, &err));
    ck_assert_str_eq(text, "guest0\r\n");
    free(text);
    ck_assert_str_eq(read_trace(p[0]),
                     "-> {\"execute\":\"human-monitor-command\",\"arguments\":"
                     "{\"command-line\":\"info name\"},\"id\":4}\n"
                     "<- {\"return\":\"guest0\\r\\n\",\"id\":4}\n");
    qmp_client_set_trace(s.c, -1);
    close(p[0]);
    close(p[1]);
    unserve(&s);
}
END_TEST

typedef struct Seen {
    int rtc;
    int64_t offsets[8];
    int stop, resume;
    QmpClient *c;
    QapiError *nested;
} Seen;

static void on_rtc(QmpClient *c, const q_obj_RTC_CHANGE_arg *data,
                   const QmpEventTime *ts, void *opaque)
{
    Seen *seen = opaque;

    ck_assert_ptr_eq(c, seen->c);
    ck_assert_int_gt(ts->seconds, 0);
    ck_assert_str_eq(data->qom_path, "/machine/unattached/device[0]");
    if (seen->rtc < 8) {
        seen->offsets[seen->rtc] = data->offset;
    }
    seen->rtc++;
}

static void on_stop(QmpClient *c, const QmpEventTime *ts, void *opaque)
{
    Seen *seen = opaque;

    (void)ts;
    seen->stop++;
    /* No calls from a handler: it runs inside one. */
    ck_assert(!qmp_client_query_name(c, NULL, &seen->nested));
}

static void on_resume(QmpClient *c, const QmpEventTime *ts, void *opaque)
{
    (void)c;
    (void)ts;
    ((Seen *)opaque)->resume++;
}

START_TEST(test_events)
{
    Served s;
    Seen seen;
    QapiError *err = NULL;
    QmpClientEvent *ev = NULL;
    StatusInfo *status = NULL;
    int i;

    serve(&s, true);
    memset(&seen, 0, sizeof(seen));
    seen.c = s.c;
    /* Events with a handler come before the reply that follows them. */
    ck_assert(qmp_client_on_rtc_change(s.c, on_rtc, &seen));
    ck_assert(
        qmp_client_human_monitor_command(s.c, "emit 5", false, 0, NULL, &err));
    ck_assert_ptr_null(err);
    ck_assert_int_eq(seen.rtc, 5);
    for (i = 0; i < 5; i++) {
        ck_assert_int_eq(seen.offsets[i], i);
    }
    ck_assert(!qmp_client_next_event(s.c, &ev, &err));
    ck_assert_ptr_null(err);
    /* Without a handler they are queued, in order. */
    ck_assert(qmp_client_on_rtc_change(s.c, NULL, NULL));
    ck_assert(
        qmp_client_human_monitor_command(s.c, "emit 2", false, 0, NULL, &err));
    ck_assert_int_eq(seen.rtc, 5);
    ck_assert(qmp_client_next_event(s.c, &ev, &err));
    ck_assert_str_eq(ev->name, "RTC_CHANGE");
    ck_assert_ptr_nonnull(strstr(ev->json, "\"offset\":0"));
    qmp_client_event_free(ev);
    ck_assert(qmp_client_next_event(s.c, &ev, &err));
    ck_assert_ptr_nonnull(strstr(ev->json, "\"offset\":1"));
    qmp_client_event_free(ev);
    ck_assert(!qmp_client_next_event(s.c, &ev, &err));

    /* stop: STOP; cont: RESUME.  wait_event also sees handled events. */
    ck_assert(qmp_client_on_stop(s.c, on_stop, &seen));
    ck_assert(qmp_client_on_resume(s.c, on_resume, &seen));
    ck_assert_ok(qmp_client_cont(s.c, &err), err);
    ck_assert_ok(qmp_client_stop(s.c, &err), err);
    ck_assert_ptr_null(err);
    ck_assert_int_eq(seen.stop, 2);
    ck_assert_int_eq(seen.resume, 1);
    check_error(&seen.nested, QAPI_ERR_CLASS_GENERIC_ERROR,
                "The QMP client is busy: no calls from its event "
                "handlers");
    ck_assert(qmp_client_query_status(s.c, &status, &err));
    ck_assert_int_eq(status->status, RUN_STATE_PAUSED);
    ck_assert(!status->running);
    qapi_free_StatusInfo(status);
    ck_assert(qmp_client_on_resume(s.c, NULL, NULL));
    ck_assert_ok(qmp_client_cont(s.c, &err), err);
    ck_assert_int_eq(qmp_client_wait_event(s.c, "RESUME", -1, &ev, &err), 1);
    ck_assert_str_eq(ev->name, "RESUME");
    ck_assert_int_gt(ev->timestamp.seconds, 0);
    qmp_client_event_free(ev);
    ck_assert_int_eq(qmp_client_wait_event(s.c, NULL, 0, &ev, &err), 0);
    ck_assert_ptr_null(err);

    /* quit: the reply, then SHUTDOWN from the test server's main. */
    ck_assert(qmp_client_quit(s.c, &err));
    ck_assert_ptr_null(err);
    unserve(&s);
}
END_TEST

START_TEST(test_error_replies)
{
    Served s;
    QapiError *err = NULL;
    char *ret = NULL;

    serve(&s, true);
    ck_assert(!qmp_client_closefd(s.c, "nope", &err));
    check_error(&err, QAPI_ERR_CLASS_GENERIC_ERROR,
                "File descriptor named 'nope' not found");
    ck_assert(!qmp_client_add_fd(s.c, false, 0, NULL, NULL, &err));
    check_error(&err, QAPI_ERR_CLASS_GENERIC_ERROR,
                "No file descriptor supplied via SCM_RIGHTS");
    ck_assert(!qmp_client_execute(s.c, "no-such-command", NULL, NULL, &err));
    check_error(&err, QAPI_ERR_CLASS_COMMAND_NOT_FOUND,
                "The command no-such-command has not been found");
    ck_assert(!qmp_client_execute(s.c, "query-name", "{\"x\":1}", NULL, &err));
    check_error(&err, QAPI_ERR_CLASS_GENERIC_ERROR,
                "Parameter 'x' is unexpected");
    ck_assert(!qmp_client_execute(s.c, "query-name", "[1]", NULL, &err));
    check_error(&err, QAPI_ERR_CLASS_GENERIC_ERROR,
                "Arguments of 'query-name' must be a JSON object");
    /* The untyped call. */
    qmp_test_set_name("vm");
    ck_assert(qmp_client_execute(s.c, "query-name", "{}", &ret, &err));
    ck_assert_str_eq(ret, "{\"name\":\"vm\"}");
    free(ret);
    /* The session goes on after errors. */
    ck_assert(qmp_client_query_name(s.c, NULL, &err));
    ck_assert_ptr_null(err);
    unserve(&s);
}
END_TEST

START_TEST(test_fd_passing)
{
    Served s;
    QapiError *err = NULL;
    AddfdInfo *info = NULL;
    FdsetInfoList *sets = NULL;
    int p[2];

    serve(&s, true);
    ck_assert_int_eq(pipe(p), 0);
    ck_assert(qmp_client_pass_fds(s.c, &p[0], 1, &err));
    ck_assert(qmp_client_add_fd(s.c, true, 3, "cookie", &info, &err));
    ck_assert_ptr_null(err);
    ck_assert_int_eq(info->fdset_id, 3);
    ck_assert_int_ge(info->fd, 0);
    qapi_free_AddfdInfo(info);
    ck_assert(qmp_client_query_fdsets(s.c, &sets, &err));
    ck_assert_ptr_null(err);
    qapi_free_FdsetInfoList(sets);
    /* getfd takes one too; the fd went with that command only. */
    ck_assert(qmp_client_pass_fds(s.c, &p[1], 1, &err));
    ck_assert(qmp_client_getfd(s.c, "pipe", &err));
    ck_assert_ptr_null(err);
    ck_assert(!qmp_client_getfd(s.c, "again", &err));
    check_error(&err, QAPI_ERR_CLASS_GENERIC_ERROR,
                "No file descriptor supplied via SCM_RIGHTS");
    ck_assert(qmp_client_closefd(s.c, "pipe", &err));
    ck_assert_ptr_null(err);
    ck_assert(!qmp_client_pass_fds(s.c, p, 17, &err));
    check_error(&err, QAPI_ERR_CLASS_GENERIC_ERROR,
                "Cannot pass 17 file descriptors (at most 16)");
    close(p[0]);
    close(p[1]);
    unserve(&s);
}
END_TEST

/* --- scripted servers -------------------------------------------------- */

#define GREETING                                                               \
    "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 0, \"minor\": 2, "         \
    "\"major\": 7}, \"package\": \"\"}, \"capabilities\": []}}\r\n"
#define TS "\"timestamp\": {\"seconds\": 1, \"microseconds\": 2}"

typedef struct Scripted {
    QmpClient *c;
    int peer;
} Scripted;

/* A client whose server has already sent @script (after the greeting),
 * then hangs up if @close_after. */
static void scripted(Scripted *s, const char *script, bool close_after,
                     int timeout_ms)
{
    QapiError *err = NULL;
    int sv[2];

    ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    ck_assert_int_eq(write(sv[1], GREETING, strlen(GREETING)),
                     (ssize_t)strlen(GREETING));
    ck_assert_int_eq(write(sv[1], script, strlen(script)),
                     (ssize_t)strlen(script));
    s->peer = sv[1];
    if (close_after) {
        /* The server is gone: the client reads the end, its writes
         * still go somewhere. */
        ck_assert_int_eq(shutdown(sv[1], SHUT_WR), 0);
    }
    s->c = qmp_client_new_fd(sv[0], timeout_ms, &err);
    ck_assert_ptr_null(err);
    ck_assert_ptr_nonnull(s->c);
}

static void unscript(Scripted *s)
{
    qmp_client_free(s->c);
    close(s->peer);
}

START_TEST(test_reply_not_fitting)
{
    Scripted s;
    QapiError *err = NULL;
    NameInfo *info = NULL;
    StatusInfo *status = NULL;

    scripted(&s,
             "{\"return\": {\"name\": 42}, \"id\": 1}"
             "{\"return\": {\"running\": true, \"status\": \"flying\", "
             "\"singlestep\": false}, \"id\": 2}"
             "{\"return\": {\"running\": true}, \"id\": 3}"
             "{\"return\": {\"extra\": 1}, \"id\": 4}"
             "{\"return\": {}, \"id\": 5, \"data\": {}}"
             "{\"return\": {\"name\": \"ok\"}, \"id\": 6}",
             false, TIMEOUT_MS);
    ck_assert(!qmp_client_query_name(s.c, &info, &err));
    ck_assert_ptr_null(info);
    check_error(&err, QAPI_ERR_CLASS_GENERIC_ERROR,
                "Reply to 'query-name' does not fit the schema: Invalid "
                "parameter type for 'return.name', expected: string");
    ck_assert(!qmp_client_query_status(s.c, &status, &err));
    check_error(&err, QAPI_ERR_CLASS_GENERIC_ERROR,
                "Reply to 'query-status' does not fit the schema: Parameter "
                "'return.status' does not accept value 'flying'");
    ck_assert(!qmp_client_query_status(s.c, &status, &err));
    check_error(&err, QAPI_ERR_CLASS_GENERIC_ERROR,
                "Reply to 'query-status' does not fit the schema: Parameter "
                "'return.singlestep' is missing");
    ck_assert(!qmp_client_stop(s.c, &err));
    check_error(&err, QAPI_ERR_CLASS_GENERIC_ERROR,
                "Reply to 'stop' does not fit the schema: Parameter "
                "'return.extra' is unexpected");
    ck_assert(!qmp_client_cont(s.c, &err));
    check_error(&err, QAPI_ERR_CLASS_GENERIC_ERROR,
                "Invalid QMP reply from the server: Parameter 'data' is "
                "unexpected");
    ck_assert(qmp_client_query_name(s.c, &info, &err));
    ck_assert_str_eq(info->name, "ok");
    qapi_free_NameInfo(info);
    unscript(&s);
}
END_TEST

static void on_rtc_count(QmpClient *c, const q_obj_RTC_CHANGE_arg *data,
                         const QmpEventTime *ts, void *opaque)
{
    (void)c;
    (void)data;
    ck_assert_int_eq(ts->seconds, 1);
    ck_assert_int_eq(ts->microseconds, 2);
    ++*(int *)opaque;
}

static void on_stop_count(QmpClient *c, const QmpEventTime *ts, void *opaque)
{
    (void)c;
    (void)ts;
    ++*(int *)opaque;
}

static void on_error(QmpClient *c, const QapiError *err, void *opaque)
{
    (void)c;
    ck_assert_ptr_null(*(QapiError **)opaque);
    *(QapiError **)opaque = qapi_error_copy(err);
}

START_TEST(test_event_not_fitting)
{
    Scripted s;
    QapiError *err = NULL;
    QapiError *async = NULL;
    QmpClientEvent *ev = NULL;
    int n = 0;

    scripted(&s,
             "{\"event\": \"RTC_CHANGE\", \"data\": {\"offset\": \"x\", "
             "\"qom-path\": \"/a\"}, " TS "}"
             "{\"event\": \"RTC_CHANGE\", \"data\": {\"offset\": 1, "
             "\"qom-path\": \"/a\"}, " TS "}"
             "{\"return\": {}, \"id\": 1}"
             "{\"event\": \"RTC_CHANGE\", \"data\": {\"offset\": 1.5, "
             "\"qom-path\": \"/a\"}, " TS "}"
             "{\"return\": {}, \"id\": 2}",
             false, TIMEOUT_MS);
    ck_assert(qmp_client_on_rtc_change(s.c, on_rtc_count, &n));
    /* Without an error handler, the first error waits for the next
     * event call. */
    ck_assert_ok(qmp_client_cont(s.c, &err), err);
    ck_assert_ptr_null(err);
    ck_assert_int_eq(n, 1);
    ck_assert(!qmp_client_next_event(s.c, &ev, &err));
    check_error(&err, QAPI_ERR_CLASS_GENERIC_ERROR,
                "Event 'RTC_CHANGE' does not fit the schema: Invalid "
                "parameter type for 'data.offset', expected: integer");
    ck_assert(!qmp_client_next_event(s.c, &ev, &err));
    ck_assert_ptr_null(err);
    /* With one, every error. */
    qmp_client_set_error_handler(s.c, on_error, &async);
    ck_assert_ok(qmp_client_cont(s.c, &err), err);
    check_error(&async, QAPI_ERR_CLASS_GENERIC_ERROR,
                "Event 'RTC_CHANGE' does not fit the schema: Invalid "
                "parameter type for 'data.offset', expected: integer");
    unscript(&s);
}
END_TEST

START_TEST(test_event_envelope)
{
    Scripted s;
    QapiError *err = NULL;
    QapiError *async = NULL;
    int n = 0;

    scripted(&s,
             "{\"event\": \"STOP\", " TS ", \"data\": {}}"
             "{\"return\": {}, \"id\": 1}"
             "{\"event\": \"RTC_CHANGE\", " TS "}"
             "{\"return\": {}, \"id\": 2}"
             "{\"event\": \"RESUME\", \"timestamp\": {\"seconds\": 1}}"
             "{\"return\": {}, \"id\": 3}",
             false, TIMEOUT_MS);
    ck_assert(qmp_client_on_stop(s.c, on_stop_count, &n));
    ck_assert(qmp_client_on_rtc_change(s.c, on_rtc_count, &n));
    qmp_client_set_error_handler(s.c, on_error, &async);
    ck_assert_ok(qmp_client_cont(s.c, &err), err);
    check_error(&async, QAPI_ERR_CLASS_GENERIC_ERROR,
                "Event 'STOP' does not fit the schema: Parameter 'data' is "
                "unexpected");
    ck_assert_ok(qmp_client_cont(s.c, &err), err);
    check_error(&async, QAPI_ERR_CLASS_GENERIC_ERROR,
                "Event 'RTC_CHANGE' does not fit the schema: Parameter "
                "'data' is missing");
    ck_assert_ok(qmp_client_cont(s.c, &err), err);
    check_error(&async, QAPI_ERR_CLASS_GENERIC_ERROR,
                "Invalid QMP message from the server: Parameter "
                "'timestamp.microseconds' is missing");
    ck_assert_ptr_null(err);
    ck_assert_int_eq(n, 0);
    unscript(&s);
}
END_TEST

START_TEST(test_garbage_and_ids)
{
    Scripted s;
    QapiError *err = NULL;
    QmpClientEvent *ev = NULL;

    scripted(&s,
             /* id 1: garbage fails the call */
             "{\"return\": @}\r\n"
             /* id 2: unknown ids are dropped, then the reply */
             "{\"return\": {}, \"id\": 99}"
             "{\"return\": {}, \"id\": \"two\"}"
             "{\"return\": {}, \"id\": 2}"
             /* id 3: a server error without an id is the call's */
             "{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON parse "
             "error, expecting value\"}}"
             /* id 4: not a reply or event; 5: an error reply not fitting;
              * 6: an unknown class */
             "[1, 2]"
             "{\"error\": {\"class\": \"GenericError\"}, \"id\": 5}"
             "{\"error\": {\"class\": \"Nope\", \"desc\": \"d\"}, \"id\": 6}"
             /* a second greeting */
             "{\"QMP\": {}}",
             false, TIMEOUT_MS);
    ck_assert(!qmp_client_stop(s.c, &err));
    check_error(&err, QAPI_ERR_CLASS_GENERIC_ERROR,
                "Invalid QMP message from the server: JSON parse error, "
                "stray '@'");
    ck_assert_ok(qmp_client_stop(s.c, &err), err);
    ck_assert_ptr_null(err);
    /* The second parse error of the garbage, then the unknown id. */
    ck_assert(!qmp_client_next_event(s.c, &ev, &err));
    check_error(&err, QAPI_ERR_CLASS_GENERIC_ERROR,
                "Invalid QMP message from the server: JSON parse error, "
                "expecting value");
    ck_assert(!qmp_client_stop(s.c, &err));
    check_error(&err, QAPI_ERR_CLASS_GENERIC_ERROR,
                "JSON parse error, expecting value");
    ck_assert(!qmp_client_stop(s.c, &err));
    check_error(&err, QAPI_ERR_CLASS_GENERIC_ERROR,
                "Invalid QMP message from the server: Invalid parameter "
                "type for '<root>', expected: object");
    ck_assert(!qmp_client_stop(s.c, &err));
    check_error(&err, QAPI_ERR_CLASS_GENERIC_ERROR,
                "Invalid QMP error reply: Parameter 'error.desc' is missing");
    ck_assert(!qmp_client_stop(s.c, &err));
    check_error(&err, QAPI_ERR_CLASS_GENERIC_ERROR, "d");
    ck_assert(!qmp_client_stop(s.c, &err));
    check_error(&err, QAPI_ERR_CLASS_GENERIC_ERROR,
                "Invalid QMP message from the server: a second greeting");
    unscript(&s);
}
END_TEST

START_TEST(test_unknown_id_reported)
{
    Scripted s;
    QapiError *err = NULL;

    scripted(&s, "{\"return\": {}, \"id\": 99}{\"return\": {}, \"id\": 1}",
             false, TIMEOUT_MS);
    ck_assert_ok(qmp_client_stop(s.c, &err), err);
    ck_assert_int_eq(qmp_client_wait_event(s.c, NULL, 0, NULL, &err), -1);
    check_error(&err, QAPI_ERR_CLASS_GENERIC_ERROR,
                "Dropped a reply with an id this client never sent");
    unscript(&s);
}
END_TEST

START_TEST(test_oversized)
{
    Scripted s;
    QapiError *err = NULL;
    NameInfo *info = NULL;
    char *script = malloc(3000);
    int n;

    ck_assert_ptr_nonnull(script);
    n = sprintf(script, "{\"return\": {\"name\": \"");
    memset(script + n, 'x', 2000);
    strcpy(script + n + 2000, "\"}, \"id\": 1}{\"return\": {}, \"id\": 2}");
    scripted(&s, script, false, TIMEOUT_MS);
    free(script);
    qmp_client_set_max_message(s.c, 1024);
    ck_assert(!qmp_client_query_name(s.c, &info, &err));
    check_error(&err, QAPI_ERR_CLASS_GENERIC_ERROR,
                "Invalid QMP message from the server: JSON token size "
                "limit exceeded");
    /* The rest of it was skipped: the next reply is read. */
    ck_assert_ok(qmp_client_stop(s.c, &err), err);
    ck_assert_ptr_null(err);
    unscript(&s);
}
END_TEST

START_TEST(test_disconnect)
{
    Scripted s;
    QapiError *err = NULL;
    QmpClientEvent *ev = NULL;

    scripted(&s, "{\"return\": {\"na", true, TIMEOUT_MS);
    ck_assert(!qmp_client_query_name(s.c, NULL, &err));
    check_error(&err, QAPI_ERR_CLASS_GENERIC_ERROR,
                "The QMP server closed the connection in the middle of a "
                "message");
    /* Every later call fails the same way, at once. */
    ck_assert(!qmp_client_stop(s.c, &err));
    check_error(&err, QAPI_ERR_CLASS_GENERIC_ERROR,
                "The QMP server closed the connection in the middle of a "
                "message");
    ck_assert_int_eq(qmp_client_wait_event(s.c, NULL, -1, &ev, &err), -1);
    ck_assert_ptr_nonnull(err);
    qapi_error_free(err);
    err = NULL;
    unscript(&s);

    /* Closed between messages; the events before are kept. */
    scripted(&s, "{\"event\": \"STOP\", " TS "}", true, TIMEOUT_MS);
    ck_assert(!qmp_client_stop(s.c, &err));
    check_error(&err, QAPI_ERR_CLASS_GENERIC_ERROR,
                "The QMP server closed the connection");
    ck_assert(qmp_client_next_event(s.c, &ev, &err));
    ck_assert_str_eq(ev->name, "STOP");
    qmp_client_event_free(ev);
    unscript(&s);
}
END_TEST

START_TEST(test_timeout)
{
    const char *late = "{\"return\": {}, \"id\": 1}{\"return\": {}, \"id\": 2}";
    Scripted s;
    QapiError *err = NULL;

    scripted(&s, "", false, 50);
    ck_assert(!qmp_client_stop(s.c, &err));
    check_error(&err, QAPI_ERR_CLASS_GENERIC_ERROR,
                "Timed out after 50 ms waiting for the reply to 'stop'");
    /* A late reply to it is dropped; the next call gets its own. */
    ck_assert_int_eq(write(s.peer, late, strlen(late)), (ssize_t)strlen(late));
    ck_assert_ok(qmp_client_cont(s.c, &err), err);
    ck_assert_ptr_null(err);
    ck_assert_int_eq(qmp_client_wait_event(s.c, NULL, 0, NULL, &err), 0);
    ck_assert_ptr_null(err);
    unscript(&s);
}
END_TEST

static void check_bad_greeting(const char *greeting, int timeout_ms,
                               const char *msg)
{
    QapiError *err = NULL;
    int sv[2];

    ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    ck_assert_int_eq(write(sv[1], greeting, strlen(greeting)),
                     (ssize_t)strlen(greeting));
    ck_assert_ptr_null(qmp_client_new_fd(sv[0], timeout_ms, &err));
    check_error(&err, QAPI_ERR_CLASS_GENERIC_ERROR, msg);
    close(sv[1]);
}

START_TEST(test_bad_greetings)
{
    QapiError *err = NULL;

    check_bad_greeting("{\"QMP\": {\"version\": 1, \"capabilities\": []}}",
                       TIMEOUT_MS,
                       "Invalid QMP greeting: Invalid parameter type for "
                       "'QMP.version', expected: object");
    check_bad_greeting("{\"QMP\": {\"version\": {\"qemu\": {\"major\": 1, "
                       "\"minor\": 2, \"micro\": 3}, \"package\": \"\"}}}",
                       TIMEOUT_MS,
                       "Invalid QMP greeting: Parameter 'QMP.capabilities' "
                       "is missing");
    check_bad_greeting("{\"return\": {}}", TIMEOUT_MS,
                       "Expected the QMP greeting, got another message");
    check_bad_greeting("}", TIMEOUT_MS,
                       "Invalid QMP message from the server: JSON parse "
                       "error, expecting value");
    check_bad_greeting("", 20,
                       "Timed out after 20 ms waiting for the QMP greeting");
    ck_assert_ptr_null(
        qmp_client_connect_unix("/nonexistent/qmp.sock", 100, &err));
    check_error(&err, QAPI_ERR_CLASS_GENERIC_ERROR,
                "Failed to connect to '/nonexistent/qmp.sock': No such file "
                "or directory");
    ck_assert_ptr_null(qmp_client_new_fd(-1, 100, &err));
    check_error(&err, QAPI_ERR_CLASS_GENERIC_ERROR, "Invalid file descriptor");
}
END_TEST

static Suite *qmp_client_suite(void)
{
    Suite *s = suite_create("qmp-client");
    TCase *tc = tcase_create("server");

    tcase_add_test(tc, test_greeting_negotiation);
    tcase_add_test(tc, test_ids_and_trace);
    tcase_add_test(tc, test_events);
    tcase_add_test(tc, test_error_replies);
    tcase_add_test(tc, test_fd_passing);
    suite_add_tcase(s, tc);
    tc = tcase_create("scripted");
    tcase_add_test(tc, test_reply_not_fitting);
    tcase_add_test(tc, test_event_not_fitting);
    tcase_add_test(tc, test_event_envelope);
    tcase_add_test(tc, test_garbage_and_ids);
    tcase_add_test(tc, test_unknown_id_reported);
    tcase_add_test(tc, test_oversized);
    tcase_add_test(tc, test_disconnect);
    tcase_add_test(tc, test_timeout);
    tcase_add_test(tc, test_bad_greetings);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(qmp_client_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
