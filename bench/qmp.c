/*
 * bench/qmp - QMP round trips over a Unix socket, one client, one
 * request in flight: {"execute": "query-name"} answered with
 * {"return": {"name": "bench"}}.
 *
 *   ours      libqapi's QMP server (its own thread, qmp_server_run())
 *             with the generated marshallers of the bundled schema
 *   baseline  a bare echo server thread that answers every line with a
 *             canned response of the same length: the cost of the socket
 *             round trip and the thread wake-ups alone
 *   QEMU      qemu-system-x86_64 -M none, if it is installed (same
 *             client, same request), for reference
 *
 * Target: at least 50,000 round trips/s.
 *
 * Everything runs on one CPU (QEMU too: it inherits the affinity).  With
 * client and server on different CPUs of an otherwise idle virtual
 * machine, each round trip waits for a vCPU to wake from idle: the bare
 * echo server then managed 14k/s, against 234k/s on a busy machine, so
 * that the figure measured the hypervisor, not the server.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"
#include "qapi-commands.h"
#include "qapi/qmp-server.h"
#include "qmp-test-handlers.h"

extern char **environ;

static const char request[] = "{\"execute\":\"query-name\"}\n";
static const char canned[] = "{\"return\":{\"name\":\"bench\"}}\r\n";

typedef struct Conn {
    int fd;
    char buf[4096];
} Conn;

/* Read one line (the response); false at EOF. */
static bool read_line(Conn *c)
{
    size_t len = 0;

    for (;;) {
        ssize_t n = recv(c->fd, c->buf + len, sizeof(c->buf) - len, 0);

        if (n <= 0) {
            if (n < 0 && errno == EINTR) {
                continue;
            }
            return false;
        }
        len += (size_t)n;
        if (c->buf[len - 1] == '\n' || len == sizeof(c->buf)) {
            return true;
        }
    }
}

static void round_trips(void *opaque, long n)
{
    Conn *c = opaque;
    long i;

    for (i = 0; i < n; i++) {
        if (send(c->fd, request, sizeof(request) - 1, MSG_NOSIGNAL) !=
                (ssize_t)(sizeof(request) - 1) ||
            !read_line(c)) {
            fprintf(stderr, "qmp bench: connection lost\n");
            exit(1);
        }
    }
}

static int connect_unix(const char *path)
{
    struct sockaddr_un addr;
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    int tries;

    memset(&addr, 0, sizeof(addr));
    addr.sun_family = AF_UNIX;
    snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", path);
    for (tries = 0; tries < 500; tries++) {
        if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) == 0) {
            return fd;
        }
        usleep(10000);
    }
    close(fd);
    return -1;
}

/* Greeting, qmp_capabilities; false if the server does not answer. */
static bool negotiate(Conn *c)
{
    static const char caps[] = "{\"execute\":\"qmp_capabilities\"}\n";

    return read_line(c) && strstr(c->buf, "\"QMP\"") &&
           send(c->fd, caps, sizeof(caps) - 1, MSG_NOSIGNAL) > 0 &&
           read_line(c) && strstr(c->buf, "\"return\"");
}

/* --- the baseline: an echo server ----------------------------------------- */

static void *echo_thread(void *opaque)
{
    int fd = (int)(intptr_t)opaque;
    char buf[4096];

    for (;;) {
        ssize_t n = recv(fd, buf, sizeof(buf), 0);
        ssize_t i;

        if (n <= 0) {
            break;
        }
        for (i = 0; i < n; i++) {
            if (buf[i] == '\n' &&
                send(fd, canned, sizeof(canned) - 1, MSG_NOSIGNAL) < 0) {
                return NULL;
            }
        }
    }
    close(fd);
    return NULL;
}

/* --- QEMU, if installed --------------------------------------------------- */

static double bench_qemu(const char *dir)
{
    char path[256];
    char arg[300];
    char prog[] = "qemu-system-x86_64";
    char o_m[] = "-M", v_m[] = "none", o_nd[] = "-nodefaults";
    char o_d[] = "-display", v_d[] = "none", o_q[] = "-qmp";
    char *argv[] = {prog, o_m, v_m, o_nd, o_d, v_d, o_q, arg, NULL};
    posix_spawn_file_actions_t fa;
    pid_t pid;
    Conn c;
    double rate = 0;
    int r;

    snprintf(path, sizeof(path), "%s/qemu.sock", dir);
    snprintf(arg, sizeof(arg), "unix:%s,server=on,wait=off", path);
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    r = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (r != 0) {
        return 0;
    }
    c.fd = connect_unix(path);
    if (c.fd >= 0 && negotiate(&c)) {
        rate = bench_rate(round_trips, &c, 1.0);
    }
    if (c.fd >= 0) {
        close(c.fd);
    }
    kill(pid, SIGTERM);
    waitpid(pid, NULL, 0);
    unlink(path);
    return rate;
}

/* --- ours ----------------------------------------------------------------- */

static void *server_thread(void *opaque)
{
    return (void *)(intptr_t)qmp_server_run(opaque);
}

/* The CPU this runs on, for every thread and child from now on. */
static void pin_to_one_cpu(void)
{
    int cpu = sched_getcpu();
    cpu_set_t set;

    CPU_ZERO(&set);
    CPU_SET(cpu < 0 ? 0 : cpu, &set);
    if (sched_setaffinity(0, sizeof(set), &set) < 0) {
        perror("qmp bench: sched_setaffinity (figures may vary)");
    }
}

int main(void)
{
    char dir[] = "/tmp/bench-qmp-XXXXXX";
    char path[64];
    QmpCommandList *cmds = qmp_command_list_new();
    QmpServer *srv;
    QapiError *err = NULL;
    pthread_t t;
    int sv[2];
    double ours, echo, qemu;
    Conn c;

    if (!cmds || !mkdtemp(dir)) {
        return 1;
    }
    pin_to_one_cpu();
    snprintf(path, sizeof(path), "%s/qmp.sock", dir);
    qmp_init_marshal(cmds);
    srv = qmp_server_new(cmds);
    if (!srv || qmp_server_listen_unix(srv, path, &err) < 0) {
        fprintf(stderr, "qmp bench: %s\n",
                err ? qapi_error_get_pretty(err) : "out of memory");
        return 1;
    }
    qmp_test_set_name("bench");
    qmp_test_set_server(srv);
    bench_header("QMP benchmark: query-name round trips over a Unix "
                 "socket, one client");
    pthread_create(&t, NULL, server_thread, srv);
    c.fd = connect_unix(path);
    if (c.fd < 0 || !negotiate(&c)) {
        fprintf(stderr, "qmp bench: no server\n");
        return 1;
    }
    round_trips(&c, 1);
    printf("  response: %.*s\n", (int)strcspn(c.buf, "\r\n"), c.buf);
    ours = bench_rate(round_trips, &c, 2.0);
    close(c.fd);
    qmp_server_stop(srv);
    pthread_join(t, NULL);

    /* The echo baseline, over a connected pair of Unix sockets. */
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0) {
        return 1;
    }
    pthread_create(&t, NULL, echo_thread, (void *)(intptr_t)sv[1]);
    c.fd = sv[0];
    echo = bench_rate(round_trips, &c, 2.0);
    close(sv[0]);
    pthread_join(t, NULL);

    bench_target("libqapi QMP server", ours, 50000);
    bench_vs("bare echo server (socket floor)", echo, ours);
    bench_result("qmp", "query-name round trips, one client", ours, "/s",
                 "bare echo server", echo, ">=50000");
    qemu = bench_qemu(dir);
    if (qemu > 0) {
        bench_vs("QEMU -M none (same client)", qemu, ours);
        bench_result("qmp", "query-name round trips, against QEMU", ours, "/s",
                     "QEMU -M none", qemu, "");
    } else {
        printf("  QEMU: qemu-system-x86_64 not available, not compared\n");
    }

    qmp_test_handlers_cleanup();
    qmp_server_free(srv);
    qmp_command_list_free(cmds);
    rmdir(dir);
    return 0;
}
