/*
 * vfio-migrate's --qmp (see qmp.h): libqapi's QMP server, driven from
 * the main thread with qmp_server_iterate().
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "harness-qmp.h"
#include "qapi-commands.h"
#include "qapi/qmp-server.h"
#include "qmp.h"

static QmpCommandList *cmds;
static QmpServer *srv;
static bool client_ready;
static volatile sig_atomic_t interrupted;
static struct sigaction old_int, old_term;

/*
 * The harness commands, each wrapped so that the first one run tells
 * that a client is ready (only a negotiated client can run them).
 */
typedef struct HarnessCmd {
    const char *name;
    QmpCommandFunc *fn;
} HarnessCmd;

static const HarnessCmd harness_cmds[] = {
    {"query-vfio-harness-devices", qmp_marshal_query_vfio_harness_devices},
    {"vfio-harness-set-state", qmp_marshal_vfio_harness_set_state},
    {"vfio-harness-reset", qmp_marshal_vfio_harness_reset},
    {"vfio-harness-set-events", qmp_marshal_vfio_harness_set_events},
    {"vfio-harness-migrate", qmp_marshal_vfio_harness_migrate},
};

static void run_harness_cmd(QapiInput *args, QapiOutput *out, void *opaque,
                            QapiError **errp)
{
    const HarnessCmd *c = opaque;

    c->fn(args, out, errp);
    client_ready = true;
}

static int wrap_harness_cmds(void)
{
    for (size_t i = 0; i < sizeof(harness_cmds) / sizeof(harness_cmds[0]);
         i++) {
        const QmpCommand *cmd = qmp_find_command(cmds, harness_cmds[i].name);

        if (!cmd ||
            qmp_register_command_data(cmds, harness_cmds[i].name,
                                      run_harness_cmd, (void *)&harness_cmds[i],
                                      qmp_command_options(cmd)) < 0) {
            return -1;
        }
    }
    return 0;
}

static void on_signal(int sig)
{
    (void)sig;
    interrupted = 1;
    if (srv) {
        qmp_server_stop(srv);
    }
}

static void free_server(void)
{
    qmp_server_free(srv);
    srv = NULL;
    qmp_command_list_free(cmds);
    cmds = NULL;
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
}

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int vfio_migrate_qmp_start(const char *path, VfioHarness *h)
{
    struct sigaction sa;
    QapiError *err = NULL;
    int r;

    vfio_harness_qmp_bind(h);
    cmds = qmp_command_list_new();
    if (!cmds) {
        return -ENOMEM;
    }
    qmp_init_marshal(cmds);
    if (qmp_command_list_failed(cmds) || wrap_harness_cmds() < 0) {
        qmp_command_list_free(cmds);
        cmds = NULL;
        return -ENOMEM;
    }
    srv = qmp_server_new(cmds);
    if (!srv) {
        r = errno ? -errno : -ENOMEM;
        qmp_command_list_free(cmds);
        cmds = NULL;
        return r;
    }
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    if (qmp_server_set_version(srv, 0, 1, 0, "vfio-migrate") < 0) {
        free_server();
        return -ENOMEM;
    }
    if (qmp_server_listen_unix(srv, path, &err) < 0) {
        fprintf(stderr, "vfio-migrate: --qmp %s: %s\n", path,
                qapi_error_get_pretty(err));
        qapi_error_free(err);
        free_server();
        return -EINVAL;
    }
    /* Until a client is ready (or a signal): its requests run here. */
    while (!client_ready && !interrupted) {
        if (qmp_server_iterate(srv, -1) < 0 && errno != EINTR) {
            r = -errno;
            fprintf(stderr, "vfio-migrate: --qmp %s: %s\n", path,
                    strerror(errno));
            free_server();
            return r;
        }
    }
    if (!client_ready) {
        free_server();
        return -EINTR;
    }
    return 0;
}

void vfio_migrate_qmp_stop(VfioHarness *h, double linger)
{
    double deadline = linger >= 0 ? now() + linger : 0;

    (void)h;
    if (!srv) {
        return;
    }
    /* Serve until the clients are gone, the time is up, or a signal. */
    for (;;) {
        int timeout = -1;

        if (interrupted || !qmp_server_client_count(srv)) {
            break;
        }
        if (linger >= 0) {
            double left = deadline - now();

            if (left <= 0) {
                break;
            }
            timeout = (int)(left * 1000) + 1;
        }
        if (qmp_server_iterate(srv, timeout) < 0 && errno != EINTR) {
            break;
        }
    }
    /* Write out what can be written without waiting. */
    if (!interrupted) {
        qmp_server_iterate(srv, 0);
    }
    free_server();
}
