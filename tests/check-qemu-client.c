/*
 * check-qemu-client SOCKET TRACE - the typed client of the bundled schema
 * against a real QEMU (tests/run-qemu-client.sh starts it: -M none -S
 * -name qapi-c).
 *
 * Runs the commands of schema/misc.json and schema/run-state.json that
 * QEMU implements, decoding every reply and every event strictly, and
 * checks the values that are known: the run state through -S, cont,
 * stop; STOP and RESUME; file descriptors through add-fd, query-fdsets,
 * remove-fd, getfd and closefd; QEMU's error texts; and SHUTDOWN
 * (guest false, reason host-qmp-quit) after quit.  A step that fails is
 * reported and the others still run, so that one run shows every
 * mismatch; every message goes to TRACE for qapi-validate.
 * Exit status 0, or 1 if any step failed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "qapi-client.h"

#define TIMEOUT_MS 10000

static int failures;

static void fail(const char *step, const char *fmt, ...) QAPI_PRINTF(2, 3);

static void fail(const char *step, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "FAIL: %s: ", step);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    failures++;
}

/* A command's outcome: true if it succeeded; otherwise reported.  The
 * error is taken from *errp (then freed and reset). */
static bool ok(const char *step, bool done, QapiError **errp)
{
    if (!done) {
        fail(step, "%s", *errp ? qapi_error_get_pretty(*errp) : "failed");
    } else {
        printf("ok: %s\n", step);
    }
    qapi_error_free(*errp);
    *errp = NULL;
    return done;
}

/* A command that must fail with QEMU's class and text. */
static void refused(const char *step, bool done, QapiError **errp,
                    QapiErrClass cls, const char *desc)
{
    QapiError *err = *errp;

    if (done) {
        fail(step, "succeeded, expected the error '%s'", desc);
    } else if (qapi_error_get_class(err) != cls ||
               strcmp(qapi_error_get_pretty(err), desc)) {
        fail(step, "error %s '%s', expected %s '%s'",
             qapi_error_class_name(qapi_error_get_class(err)),
             qapi_error_get_pretty(err), qapi_error_class_name(cls), desc);
    } else {
        printf("ok: %s (%s)\n", step, desc);
    }
    qapi_error_free(err);
    *errp = NULL;
}

static void expect(const char *step, bool cond, const char *what)
{
    if (!cond) {
        fail(step, "%s", what);
    }
}

typedef struct Events {
    int stop, resume, shutdown;
    bool guest;
    ShutdownCause reason;
} Events;

static void on_stop(QmpClient *c, const QmpEventTime *ts, void *opaque)
{
    (void)c;
    expect("STOP", ts->seconds > 0, "timestamp");
    ((Events *)opaque)->stop++;
}

static void on_resume(QmpClient *c, const QmpEventTime *ts, void *opaque)
{
    (void)c;
    expect("RESUME", ts->seconds > 0, "timestamp");
    ((Events *)opaque)->resume++;
}

static void on_shutdown(QmpClient *c, const q_obj_SHUTDOWN_arg *data,
                        const QmpEventTime *ts, void *opaque)
{
    Events *ev = opaque;

    (void)c;
    (void)ts;
    ev->shutdown++;
    ev->guest = data->guest;
    ev->reason = data->reason;
}

static void on_error(QmpClient *c, const QapiError *err, void *opaque)
{
    (void)c;
    (void)opaque;
    fail("asynchronous", "%s", qapi_error_get_pretty(err));
}

static QmpClient *connect_retry(const char *path)
{
    struct timespec pause = {0, 10 * 1000 * 1000};
    QapiError *err = NULL;
    int tries;

    for (tries = 0;; tries++) {
        QmpClient *c = qmp_client_connect_unix(path, TIMEOUT_MS, &err);

        if (c || tries == 1000) {
            if (!c) {
                fail("connect", "%s", qapi_error_get_pretty(err));
                qapi_error_free(err);
            }
            return c;
        }
        qapi_error_free(err);
        err = NULL;
        nanosleep(&pause, NULL);
    }
}

static void check_status(QmpClient *c, const char *step, bool running,
                         RunState state)
{
    QapiError *err = NULL;
    StatusInfo *st = NULL;

    if (ok(step, qmp_client_query_status(c, &st, &err), &err)) {
        expect(step, st->running == running, "running");
        if (st->status != state) {
            fail(step, "status %s, expected %s", RunState_str(st->status),
                 RunState_str(state));
        }
    }
    qapi_free_StatusInfo(st);
}

static void fds(QmpClient *c)
{
    QapiError *err = NULL;
    AddfdInfo *info = NULL;
    FdsetInfoList *sets = NULL;
    int p[2];

    if (pipe(p) < 0) {
        fail("pipe", "%s", strerror(errno));
        return;
    }
    refused("add-fd without a descriptor",
            qmp_client_add_fd(c, false, 0, NULL, NULL, &err), &err,
            QAPI_ERR_CLASS_GENERIC_ERROR,
            "No file descriptor supplied via SCM_RIGHTS");
    qmp_client_pass_fds(c, &p[0], 1, NULL);
    if (ok("add-fd", qmp_client_add_fd(c, true, 7, "qapi-c", &info, &err),
           &err)) {
        expect("add-fd", info->fdset_id == 7, "fdset-id 7");
        if (ok("query-fdsets", qmp_client_query_fdsets(c, &sets, &err), &err)) {
            expect("query-fdsets",
                   sets && sets->value->fdset_id == 7 && sets->value->fds &&
                       sets->value->fds->value->fd == info->fd &&
                       sets->value->fds->value->opaque &&
                       !strcmp(sets->value->fds->value->opaque, "qapi-c"),
                   "fdset 7 with the descriptor added");
        }
        ok("remove-fd", qmp_client_remove_fd(c, 7, true, info->fd, &err), &err);
    }
    qapi_free_AddfdInfo(info);
    qapi_free_FdsetInfoList(sets);
    qmp_client_pass_fds(c, &p[1], 1, NULL);
    ok("getfd", qmp_client_getfd(c, "qapi-c-fd", &err), &err);
    ok("closefd", qmp_client_closefd(c, "qapi-c-fd", &err), &err);
    refused("closefd of an unknown name",
            qmp_client_closefd(c, "qapi-c-fd", &err), &err,
            QAPI_ERR_CLASS_GENERIC_ERROR,
            "File descriptor named 'qapi-c-fd' not found");
    close(p[0]);
    close(p[1]);
}

static void queries(QmpClient *c)
{
    QapiError *err = NULL;
    NameInfo *name = NULL;
    IOThreadInfoList *threads = NULL;
    CommandLineOptionInfoList *opts = NULL;
    char *hmp = NULL;

    if (ok("query-name", qmp_client_query_name(c, &name, &err), &err)) {
        expect("query-name", name->name && !strcmp(name->name, "qapi-c"),
               "name qapi-c");
    }
    qapi_free_NameInfo(name);
    if (ok("query-iothreads", qmp_client_query_iothreads(c, &threads, &err),
           &err)) {
        expect("query-iothreads", !threads, "no iothreads");
    }
    qapi_free_IOThreadInfoList(threads);
    if (ok("query-command-line-options",
           qmp_client_query_command_line_options(c, "name", &opts, &err),
           &err)) {
        expect("query-command-line-options",
               opts && !opts->next && !strcmp(opts->value->option, "name") &&
                   opts->value->parameters,
               "option name, with parameters");
    }
    qapi_free_CommandLineOptionInfoList(opts);
    opts = NULL;
    ok("query-command-line-options (all)",
       qmp_client_query_command_line_options(c, NULL, &opts, &err), &err);
    qapi_free_CommandLineOptionInfoList(opts);
    if (ok("human-monitor-command",
           qmp_client_human_monitor_command(c, "info name", false, 0, &hmp,
                                            &err),
           &err)) {
        expect("human-monitor-command", !strcmp(hmp, "qapi-c\r\n"),
               "'info name' prints the name");
    }
    free(hmp);
    refused("x-exit-preconfig", qmp_client_x_exit_preconfig(c, &err), &err,
            QAPI_ERR_CLASS_GENERIC_ERROR,
            "The command is permitted only before machine initialization");
}

int main(int argc, char **argv)
{
    QapiError *err = NULL;
    Events ev;
    QmpClient *c;
    int64_t major = 0;
    int trace;

    if (argc != 3) {
        fprintf(stderr, "usage: check-qemu-client SOCKET TRACE\n");
        return 2;
    }
    setvbuf(stdout, NULL, _IOLBF, 0); /* in order with stderr */
    trace = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (trace < 0) {
        perror("check-qemu-client");
        return 1;
    }
    c = connect_retry(argv[1]);
    if (!c) {
        return 1;
    }
    memset(&ev, 0, sizeof(ev));
    qmp_client_set_trace(c, trace);
    qmp_client_set_error_handler(c, on_error, NULL);
    qmp_client_on_stop(c, on_stop, &ev);
    qmp_client_on_resume(c, on_resume, &ev);
    qmp_client_on_shutdown(c, on_shutdown, &ev);
    qmp_client_get_version(c, &major, NULL, NULL, NULL);
    expect("greeting", major >= 7, "QEMU 7 or later");
    expect("greeting", qmp_client_has_capability(c, "oob"), "offers oob");
    if (!ok("qmp_capabilities", qmp_client_negotiate(c, NULL, &err), &err)) {
        qmp_client_free(c);
        return 1;
    }

    check_status(c, "query-status (-S)", false, RUN_STATE_PRELAUNCH);
    queries(c);
    ok("cont", qmp_client_cont(c, &err), &err);
    check_status(c, "query-status after cont", true, RUN_STATE_RUNNING);
    ok("stop", qmp_client_stop(c, &err), &err);
    check_status(c, "query-status after stop", false, RUN_STATE_PAUSED);
    if (ev.resume != 1 || ev.stop != 1) {
        fail("events", "%d RESUME and %d STOP, expected one each", ev.resume,
             ev.stop);
    }
    fds(c);
    ok("quit", qmp_client_quit(c, &err), &err);
    if (!ev.shutdown) {
        if (qmp_client_wait_event(c, "SHUTDOWN", -1, NULL, &err) <= 0) {
            fail("SHUTDOWN", "%s",
                 err ? qapi_error_get_pretty(err) : "timed out");
            qapi_error_free(err);
        }
    }
    if (ev.shutdown == 1) {
        expect("SHUTDOWN", !ev.guest, "guest false");
        if (ev.reason != SHUTDOWN_CAUSE_HOST_QMP_QUIT) {
            fail("SHUTDOWN", "reason %s, expected host-qmp-quit",
                 ShutdownCause_str(ev.reason));
        } else {
            printf("ok: SHUTDOWN (host-qmp-quit)\n");
        }
    } else {
        fail("SHUTDOWN", "%d events, expected one", ev.shutdown);
    }
    qmp_client_free(c);
    close(trace);
    return failures ? 1 : 0;
}
