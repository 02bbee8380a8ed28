/*
 * qmp-test-server - a QMP server for the bundled schema, for the
 * integration tests (tests/qmp-session.py).
 *
 *   qmp-test-server [--unix PATH]... [--tcp PORT] [--oob] [--name NAME]
 *                   [--version MAJOR.MINOR.MICRO] [--package TEXT]
 *                   [--max-request N] [--max-backlog N] [--max-clients N]
 *                   [--preconfig]
 *
 * Prints "ready PORT" (PORT: the TCP port, 0 without --tcp) once it
 * listens, and serves until SIGTERM or SIGINT (whose handler calls
 * qmp_server_stop()), or until "quit", after which it sends SHUTDOWN to
 * the clients still connected, as QEMU does.  SIGPIPE keeps its default action
 * on purpose: the server must never raise it.  The commands are those of
 * tests/qmp-test-handlers.c, plus query-commands.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qapi-commands.h"
#include "qapi-events.h"
#include "qapi/qmp-server.h"
#include "qmp-test-handlers.h"

static QmpServer *server;

static void on_signal(int sig)
{
    (void)sig;
    qmp_server_stop(server);
}

static void usage(void)
{
    fprintf(stderr, "usage: qmp-test-server [--unix PATH]... [--tcp PORT] "
                    "[--oob] [--name NAME] [--version X.Y.Z] "
                    "[--package TEXT] [--max-request N] [--max-backlog N] "
                    "[--max-clients N] [--preconfig]\n");
    exit(2);
}

int main(int argc, char **argv)
{
    QmpCommandList *cmds = qmp_command_list_new();
    QapiError *err = NULL;
    struct sigaction sa;
    long long version[3] = {0, 0, 0};
    const char *package = "";
    size_t max_request = 0, max_backlog = 0;
    unsigned max_clients = 0;
    int tcp_port = -1;
    int port = 0;
    int i;

    if (!cmds) {
        return 1;
    }
    qmp_init_marshal(cmds);
    qmp_register_query_commands(cmds, QMP_CMD_ALLOW_PRECONFIG);
    server = qmp_server_new(cmds);
    if (!server || qmp_command_list_failed(cmds)) {
        fprintf(stderr, "qmp-test-server: out of memory\n");
        return 1;
    }
    qmp_test_set_server(server);
    for (i = 1; i < argc; i++) {
        const char *arg = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;

        if (!strcmp(arg, "--oob")) {
            qmp_server_set_oob(server, true);
            continue;
        }
        if (!strcmp(arg, "--preconfig")) {
            qmp_server_set_dispatch_flags(server, QMP_DISPATCH_PRECONFIG);
            continue;
        }
        if (!val) {
            usage();
        }
        i++;
        if (!strcmp(arg, "--unix")) {
            if (qmp_server_listen_unix(server, val, &err) < 0) {
                fprintf(stderr, "qmp-test-server: %s\n",
                        qapi_error_get_pretty(err));
                return 1;
            }
        } else if (!strcmp(arg, "--tcp")) {
            tcp_port = atoi(val);
        } else if (!strcmp(arg, "--name")) {
            qmp_test_set_name(val);
        } else if (!strcmp(arg, "--version")) {
            if (sscanf(val, "%lld.%lld.%lld", &version[0], &version[1],
                       &version[2]) != 3) {
                usage();
            }
        } else if (!strcmp(arg, "--package")) {
            package = val;
        } else if (!strcmp(arg, "--max-request")) {
            max_request = strtoul(val, NULL, 0);
        } else if (!strcmp(arg, "--max-backlog")) {
            max_backlog = strtoul(val, NULL, 0);
        } else if (!strcmp(arg, "--max-clients")) {
            max_clients = (unsigned)strtoul(val, NULL, 0);
        } else {
            usage();
        }
    }
    qmp_server_set_version(server, version[0], version[1], version[2], package);
    qmp_server_set_limits(server, max_request, max_backlog, max_clients);
    if (tcp_port >= 0) {
        port = qmp_server_listen_tcp(server, NULL, tcp_port, &err);
        if (port < 0) {
            fprintf(stderr, "qmp-test-server: %s\n",
                    qapi_error_get_pretty(err));
            return 1;
        }
    }

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);

    printf("ready %d\n", port);
    fflush(stdout);
    if (qmp_server_run(server) < 0) {
        perror("qmp-test-server: qmp_server_run");
        return 1;
    }
    if (qmp_test_quit_requested()) {
        qapi_event_send_shutdown(false, SHUTDOWN_CAUSE_HOST_QMP_QUIT);
    }
    qmp_test_handlers_cleanup();
    qmp_server_free(server);
    qmp_command_list_free(cmds);
    return 0;
}
