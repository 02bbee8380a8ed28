/*
 * qmp-test-handlers.c - handlers for the commands of the bundled schema,
 * with QEMU's behaviour where the tests compare with QEMU:
 *
 *   query-name          {"name": NAME} (set with --name), {} without
 *   query-status, stop, cont
 *                       a run state, "running" at start as in QEMU
 *                       without -S; stop sends STOP when running, cont
 *                       RESUME, or STOP and RESUME when already running
 *                       (QEMU does both)
 *   quit                stops the server; the program then sends
 *                       SHUTDOWN (host-qmp-quit) after the reply, as
 *                       QEMU does, and exits
 *   getfd, add-fd       take a descriptor passed with SCM_RIGHTS, else
 *                       "No file descriptor supplied via SCM_RIGHTS"
 *   closefd             "File descriptor named 'X' not found"
 *   human-monitor-command, a test hook:
 *       "info name"       the name, "\r\n"
 *       "emit N"          N RTC_CHANGE events, offset 0..N-1, sent here
 *       "emit-thread N [U]"  the same from a new thread (returns at
 *                         once), pausing U microseconds every 100 events
 *       anything else     "unknown command: 'X'\r\n", as QEMU's HMP
 *   x-exit-preconfig    leaves the preconfig state
 *   the others          empty lists, or an error
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "qapi-commands.h"
#include "qapi-events.h"
#include "qmp-test-handlers.h"

static char *vm_name;
static QmpServer *the_server;
static bool preconfig_done;
static RunState run_state = RUN_STATE_RUNNING;
static bool quit_requested;

/* Event threads ("emit-thread"). */
#define MAX_THREADS 64
static pthread_t threads[MAX_THREADS];
static size_t n_threads;

/* add-fd: the descriptors of fdset 0, kept until cleanup. */
#define MAX_FDSET 64
static int fdset_fds[MAX_FDSET];
static size_t n_fdset;

void qmp_test_set_name(const char *name)
{
    free(vm_name);
    vm_name = name ? strdup(name) : NULL;
}

void qmp_test_set_server(QmpServer *server)
{
    the_server = server;
}

void qmp_test_handlers_cleanup(void)
{
    size_t i;

    for (i = 0; i < n_threads; i++) {
        pthread_join(threads[i], NULL);
    }
    n_threads = 0;
    for (i = 0; i < n_fdset; i++) {
        close(fdset_fds[i]);
    }
    n_fdset = 0;
    free(vm_name);
    vm_name = NULL;
}

NameInfo *qmp_query_name(QapiError **errp)
{
    NameInfo *info = calloc(1, sizeof(*info));

    if (!info) {
        qapi_error_setg(errp, "Out of memory");
        return NULL;
    }
    if (vm_name) {
        info->name = strdup(vm_name);
    }
    return info;
}

IOThreadInfoList *qmp_query_iothreads(QapiError **errp)
{
    (void)errp;
    return NULL;
}

StatusInfo *qmp_query_status(QapiError **errp)
{
    StatusInfo *info = calloc(1, sizeof(*info));

    if (!info) {
        qapi_error_setg(errp, "Out of memory");
        return NULL;
    }
    info->running = run_state == RUN_STATE_RUNNING;
    info->status = run_state;
    return info;
}

void qmp_stop(QapiError **errp)
{
    (void)errp;
    if (run_state == RUN_STATE_RUNNING) {
        run_state = RUN_STATE_PAUSED;
        qapi_event_send_stop();
    }
}

void qmp_cont(QapiError **errp)
{
    (void)errp;
    if (run_state == RUN_STATE_RUNNING) {
        qapi_event_send_stop();
    }
    run_state = RUN_STATE_RUNNING;
    qapi_event_send_resume();
}

void qmp_quit(QapiError **errp)
{
    (void)errp;
    quit_requested = true;
    if (the_server) {
        qmp_server_stop(the_server);
    }
}

bool qmp_test_quit_requested(void)
{
    return quit_requested;
}

void qmp_x_exit_preconfig(QapiError **errp)
{
    if (preconfig_done) {
        qapi_error_setg(errp, "The command is permitted only before machine "
                              "initialization");
        return;
    }
    preconfig_done = true;
    if (the_server) {
        qmp_server_set_dispatch_flags(the_server, 0);
    }
}

static void emit(long n)
{
    long i;

    for (i = 0; i < n; i++) {
        qapi_event_send_rtc_change(i, "/machine/unattached/device[0]");
    }
}

typedef struct EmitJob {
    long n;
    long pause_us;
} EmitJob;

static void *emit_thread(void *opaque)
{
    EmitJob *job = opaque;
    long i;

    for (i = 0; i < job->n; i++) {
        qapi_event_send_rtc_change(i, "/machine/unattached/device[0]");
        if (job->pause_us && i % 100 == 99) {
            struct timespec ts = {job->pause_us / 1000000,
                                  job->pause_us % 1000000 * 1000};

            nanosleep(&ts, NULL);
        }
    }
    free(job);
    return NULL;
}

char *qmp_human_monitor_command(const char *command_line, bool has_cpu_index,
                                int64_t cpu_index, QapiError **errp)
{
    char *out;
    long n;
    long pause_us = 0;

    (void)has_cpu_index;
    (void)cpu_index;
    if (!strcmp(command_line, "info name")) {
        const char *name = vm_name ? vm_name : "";

        out = malloc(strlen(name) + 3);
        if (out) {
            sprintf(out, "%s\r\n", name);
        }
        return out;
    }
    if (sscanf(command_line, "emit %ld", &n) == 1) {
        emit(n);
        return strdup("");
    }
    if (sscanf(command_line, "emit-thread %ld %ld", &n, &pause_us) >= 1) {
        EmitJob *job = malloc(sizeof(*job));

        if (!job || n_threads == MAX_THREADS) {
            free(job);
            qapi_error_setg(errp, "Cannot start a thread");
            return NULL;
        }
        job->n = n;
        job->pause_us = pause_us;
        if (pthread_create(&threads[n_threads], NULL, emit_thread, job)) {
            free(job);
            qapi_error_setg(errp, "Cannot start a thread");
            return NULL;
        }
        n_threads++;
        return strdup("");
    }
    out = malloc(strlen(command_line) + 32);
    if (out) {
        sprintf(out, "unknown command: '%s'\r\n", command_line);
    }
    return out;
}

/* getfd's descriptors: per session, as QEMU keeps them per monitor. */
typedef struct NamedFd {
    char *name;
    int fd;
    struct NamedFd *next;
} NamedFd;

typedef struct FdTable {
    NamedFd *head;
} FdTable;

static void fd_table_free(void *opaque)
{
    FdTable *t = opaque;

    while (t->head) {
        NamedFd *nf = t->head;

        t->head = nf->next;
        close(nf->fd);
        free(nf->name);
        free(nf);
    }
    free(t);
}

/* The session's table, created on first use; NULL if out of memory. */
static FdTable *fd_table(QmpSession *ss)
{
    FdTable *t = qmp_session_get_opaque(ss);

    if (!t) {
        t = calloc(1, sizeof(*t));
        if (t) {
            qmp_session_set_opaque(ss, t, fd_table_free);
        }
    }
    return t;
}

void qmp_getfd(const char *fdname, QapiError **errp)
{
    QmpSession *ss = qmp_session_current();
    int fd = ss ? qmp_session_take_fd(ss) : -1;
    FdTable *t;
    NamedFd *nf;

    if (fd < 0) {
        qapi_error_setg(errp, "No file descriptor supplied via SCM_RIGHTS");
        return;
    }
    t = fd_table(ss);
    for (nf = t ? t->head : NULL; nf; nf = nf->next) {
        if (!strcmp(nf->name, fdname)) {
            close(nf->fd);
            nf->fd = fd;
            return;
        }
    }
    nf = t ? calloc(1, sizeof(*nf)) : NULL;
    if (!nf || !(nf->name = strdup(fdname))) {
        free(nf);
        close(fd);
        qapi_error_setg(errp, "Out of memory");
        return;
    }
    nf->fd = fd;
    nf->next = t->head;
    t->head = nf;
}

void qmp_closefd(const char *fdname, QapiError **errp)
{
    QmpSession *ss = qmp_session_current();
    FdTable *t = ss ? qmp_session_get_opaque(ss) : NULL;
    NamedFd **link;

    for (link = t ? &t->head : NULL; link && *link; link = &(*link)->next) {
        NamedFd *nf = *link;

        if (!strcmp(nf->name, fdname)) {
            *link = nf->next;
            close(nf->fd);
            free(nf->name);
            free(nf);
            return;
        }
    }
    qapi_error_setg(errp, "File descriptor named '%s' not found", fdname);
}

AddfdInfo *qmp_add_fd(bool has_fdset_id, int64_t fdset_id, const char *opaque,
                      QapiError **errp)
{
    QmpSession *ss = qmp_session_current();
    int fd = ss ? qmp_session_take_fd(ss) : -1;
    AddfdInfo *info;

    (void)opaque;
    if (fd < 0) {
        qapi_error_setg(errp, "No file descriptor supplied via SCM_RIGHTS");
        return NULL;
    }
    if (n_fdset == MAX_FDSET || !(info = calloc(1, sizeof(*info)))) {
        close(fd);
        qapi_error_setg(errp, "Too many file descriptors");
        return NULL;
    }
    fdset_fds[n_fdset++] = fd;
    info->fdset_id = has_fdset_id ? fdset_id : 0;
    info->fd = fd;
    return info;
}

void qmp_remove_fd(int64_t fdset_id, bool has_fd, int64_t fd, QapiError **errp)
{
    if (has_fd) {
        qapi_error_setg(errp,
                        "File descriptor named 'fdset-id:%lld, "
                        "fd:%lld' not found",
                        (long long)fdset_id, (long long)fd);
    } else {
        qapi_error_setg(errp,
                        "File descriptor named 'fdset-id:%lld' not "
                        "found",
                        (long long)fdset_id);
    }
}

FdsetInfoList *qmp_query_fdsets(QapiError **errp)
{
    (void)errp;
    return NULL;
}

void qmp_add_client(const char *protocol, const char *fdname, bool has_skipauth,
                    bool skipauth, bool has_tls, bool tls, QapiError **errp)
{
    (void)fdname;
    (void)has_skipauth;
    (void)skipauth;
    (void)has_tls;
    (void)tls;
    qapi_error_setg(errp, "Protocol '%s' is invalid", protocol);
}

CommandLineOptionInfoList *qmp_query_command_line_options(const char *option,
                                                          QapiError **errp)
{
    if (option) {
        qapi_error_setg(errp, "invalid option name: %s", option);
    }
    return NULL;
}

VirtioInfoList *qmp_x_query_virtio(QapiError **errp)
{
    (void)errp;
    return NULL;
}

VirtioStatus *qmp_x_query_virtio_status(const char *path, QapiError **errp)
{
    qapi_error_setg(errp, "Path %s is not a VirtIODevice", path);
    return NULL;
}
