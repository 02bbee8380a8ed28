/*
 * QMP server: see qapi/qmp-server.h.
 *
 * One epoll instance watches the listening sockets, the clients and an
 * eventfd that wakes the loop (stop requests, clients an event sender
 * found over its backlog).  The driving thread reads, splits input into
 * messages (qmp-server-json.c), dispatches them and writes responses;
 * the event sink, in whatever thread sends the event, appends to every
 * negotiated client's output and writes it out at once if it can.
 *
 * Locking: server->lock guards the session list, each session's output
 * buffer, its "negotiated" and "dead" flags and its epoll registration.
 * Input state belongs to the driving thread alone.  The lock is never
 * held while a handler runs, so handlers may send events (the event
 * sink is called with qapi/event.c's lock held and takes server->lock:
 * that is the only order they are taken in).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "args-impl.h"
#include "qapi/event.h"
#include "qapi/output.h"
#include "qapi/qmp-server.h"
#include "qmp-server-impl.h"

#define DEFAULT_MAX_REQUEST ((size_t)1 << 20)
#define DEFAULT_MAX_BACKLOG ((size_t)16 << 20)
#define DEFAULT_MAX_CLIENTS 64
#define PAUSE_BACKLOG ((size_t)64 << 10)
#define READ_CHUNK 65536
#define QUEUE_MAX 8 /* QEMU's QMP_REQ_QUEUE_LEN_MAX */
#define MAX_FDS 16  /* file descriptors kept per session */
#define OUT_KEEP ((size_t)1 << 20)

enum { K_WAKE, K_LISTENER, K_SESSION };

typedef struct Listener {
    int kind; /* K_LISTENER: first, for the epoll tag */
    int fd;
    char *path; /* Unix socket file to remove, or NULL */
    dev_t dev;
    ino_t ino;
    bool paused; /* out of file descriptors: not watched */
    struct Listener *next;
} Listener;

/* An in-band request (or an error response) waiting in an OOB session. */
typedef struct Queued {
    char *text;
    size_t len;
    bool is_response;
} Queued;

struct QmpSession {
    int kind; /* K_SESSION */
    QmpServer *server;
    int fd;
    uint64_t id;
    QmpSession *prev, *next;

    /* under server->lock */
    bool negotiated;
    bool dead;
    uint32_t events; /* registered with epoll */
    char *out;
    size_t out_head, out_len, out_cap;

    /* driving thread only */
    bool oob;
    bool negotiating; /* qmp_capabilities is succeeding */
    bool want_oob;
    bool eof;
    bool close_requested;
    QmpStreamer st;
    char *in; /* unprocessed input: server->rbuf or owned */
    size_t in_pos, in_len;
    bool in_owned;
    Queued queue[QUEUE_MAX];
    size_t q_head, q_len;
    int fds[MAX_FDS];
    size_t n_fds;
    void *opaque;
    void (*opaque_free)(void *);
};

struct QmpServer {
    int wake_kind; /* K_WAKE: the eventfd's epoll tag */
    QmpCommandList *cmds;
    int epfd;
    int wakefd;
    Listener *listeners;
    pthread_mutex_t lock;
    QmpSession *sessions;
    unsigned n_sessions;
    bool reap; /* under lock: some session is dead */
    bool listeners_paused;
    atomic_int stop;
    atomic_uint flags;
    char *greeting;
    size_t greeting_len;
    int64_t version[3];
    char *package;
    bool oob_offered;
    size_t max_request, max_backlog, pause_backlog;
    unsigned max_clients;
    uint64_t next_id;
    QmpSessionCallback *cb;
    void *cb_opaque;
    bool sink_added;
    char rbuf[READ_CHUNK];
};

static _Thread_local QmpSession *cur_session;

static const char oom_response[] =
    "{\"error\":{\"class\":\"GenericError\",\"desc\":\"Out of memory\"}}";

/* --- output --------------------------------------------------------------- */

/* True if @p holds a byte qmp_ascii_copy() escapes: DEL or non-ASCII. */
static bool needs_escaping(const char *p, size_t len)
{
    size_t i;

    for (i = 0; i < len; i++) {
        if ((unsigned char)p[i] >= 0x7F) {
            return true;
        }
    }
    return false;
}

static void set_events_locked(QmpSession *ss, uint32_t events)
{
    struct epoll_event ev;

    if (ss->events == events || ss->fd < 0) {
        return;
    }
    memset(&ev, 0, sizeof(ev));
    ev.events = events;
    ev.data.ptr = ss;
    if (epoll_ctl(ss->server->epfd, EPOLL_CTL_MOD, ss->fd, &ev) == 0) {
        ss->events = events;
    }
}

static void mark_dead_locked(QmpSession *ss)
{
    static const uint64_t one = 1;

    if (!ss->dead) {
        ss->dead = true;
        ss->server->reap = true;
        /* The loop may be asleep: have it close the session. */
        if (write(ss->server->wakefd, &one, sizeof(one)) < 0) {
            /* the counter is already non-zero: the loop will wake */
        }
    }
}

/* Write what the socket takes now. */
static void flush_locked(QmpSession *ss)
{
    while (ss->out_len && !ss->dead) {
        ssize_t n = send(ss->fd, ss->out + ss->out_head, ss->out_len,
                         MSG_NOSIGNAL | MSG_DONTWAIT);

        if (n > 0) {
            ss->out_head += (size_t)n;
            ss->out_len -= (size_t)n;
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            break;
        } else {
            mark_dead_locked(ss);
        }
    }
    if (!ss->out_len) {
        ss->out_head = 0;
        if (ss->out_cap > OUT_KEEP) {
            free(ss->out);
            ss->out = NULL;
            ss->out_cap = 0;
        }
    }
}

/*
 * Queue @len bytes of JSON text and "\r\n"; @ascii: the text is known to
 * be ASCII.  A client over its backlog is marked dead.
 */
static bool append_locked(QmpSession *ss, const char *text, size_t len,
                          bool ascii)
{
    QmpServer *s = ss->server;
    size_t need = (ascii ? len : qmp_ascii_size(text, len)) + 2;
    char *o;

    if (ss->dead) {
        return false;
    }
    if (ss->out_len + need > s->max_backlog) {
        mark_dead_locked(ss);
        return false;
    }
    if (ss->out_head + ss->out_len + need > ss->out_cap) {
        if (ss->out_head) {
            memmove(ss->out, ss->out + ss->out_head, ss->out_len);
            ss->out_head = 0;
        }
        if (ss->out_len + need > ss->out_cap) {
            size_t cap = ss->out_cap ? ss->out_cap : 4096;
            char *grown;

            while (cap < ss->out_len + need) {
                cap *= 2;
            }
            grown = realloc(ss->out, cap);
            if (!grown) {
                mark_dead_locked(ss);
                return false;
            }
            ss->out = grown;
            ss->out_cap = cap;
        }
    }
    o = ss->out + ss->out_head + ss->out_len;
    if (ascii) {
        memcpy(o, text, len);
        o += len;
    } else {
        o += qmp_ascii_copy(o, text, len);
    }
    o[0] = '\r';
    o[1] = '\n';
    ss->out_len += need;
    return true;
}

static void send_text(QmpSession *ss, const char *text, size_t len)
{
    QmpServer *s = ss->server;

    pthread_mutex_lock(&s->lock);
    append_locked(ss, text, len, !needs_escaping(text, len));
    pthread_mutex_unlock(&s->lock);
}

/* {"error": {"class": "GenericError", "desc": @desc}} */
static char *error_response(const char *desc, size_t *len)
{
    QapiError *err = NULL;
    char *rsp;

    qapi_error_setg(&err, "%s", desc);
    rsp = qmp_error_response(err, len);
    qapi_error_free(err);
    return rsp;
}

/* --- the event sink ------------------------------------------------------- */

static void event_sink(void *opaque, const char *name, const char *json,
                       size_t len)
{
    QmpServer *s = opaque;
    bool ascii = !needs_escaping(json, len);
    QmpSession *ss;

    (void)name;
    pthread_mutex_lock(&s->lock);
    for (ss = s->sessions; ss; ss = ss->next) {
        bool was_empty = ss->out_len == 0;

        if (!ss->negotiated || !append_locked(ss, json, len, ascii)) {
            continue;
        }
        if (was_empty) {
            flush_locked(ss);
        }
        if (ss->out_len && !ss->dead) {
            set_events_locked(ss, ss->events | EPOLLOUT);
        }
    }
    pthread_mutex_unlock(&s->lock);
}

/* --- qmp_capabilities ----------------------------------------------------- */

static const char *const capability_names[] = {"oob"};
static const QapiEnumLookup capability_lookup = {capability_names, 1};

static void cmd_qmp_capabilities(QapiInput *args, QapiOutput *out, void *opaque,
                                 QapiError **errp)
{
    QmpSession *ss = cur_session;
    bool want_oob = false;
    const char *key;
    int r;

    (void)out;
    (void)opaque;
    if (!qapi_input_start_object(args, errp)) {
        return;
    }
    while ((r = qapi_input_next_member(args, &key, errp)) > 0) {
        if (strcmp(key, "enable")) {
            qapi_input_error_unexpected(args, errp);
            return;
        }
        if (!qapi_input_start_array(args, errp)) {
            return;
        }
        while ((r = qapi_input_next_element(args, errp)) > 0) {
            int cap;

            if (!qapi_input_enum(args, &capability_lookup, &cap, errp)) {
                return;
            }
            want_oob = true; /* the only capability */
        }
        if (r < 0) {
            return;
        }
        qapi_input_end_array(args);
    }
    if (r < 0) {
        return;
    }
    qapi_input_end_object(args);
    if (!qapi_input_finish(args, errp)) {
        return;
    }
    if (!ss || qmp_dispatch_context() != ss) {
        /* Dispatched by someone else than a server. */
        qapi_error_set(errp, QAPI_ERR_CLASS_COMMAND_NOT_FOUND,
                       "The command qmp_capabilities has not been found");
        return;
    }
    if (ss->negotiated) {
        qapi_error_set(errp, QAPI_ERR_CLASS_COMMAND_NOT_FOUND,
                       "Capabilities negotiation is already complete, "
                       "command ignored");
        return;
    }
    if (want_oob && !ss->server->oob_offered) {
        qapi_error_setg(errp, "Capability %s not available", "oob");
        return;
    }
    /* Takes effect once the response is queued: no event before it. */
    ss->negotiating = true;
    ss->want_oob = want_oob;
}

/* --- greeting ------------------------------------------------------------- */

static int build_greeting(QmpServer *s)
{
    QapiOutput *out = qapi_output_new_text();
    char *text;
    size_t len;

    if (!out) {
        return -1;
    }
    qapi_output_start_object(out);
    qapi_output_member(out, "QMP");
    qapi_output_start_object(out);
    qapi_output_member(out, "version");
    qapi_output_start_object(out);
    qapi_output_member(out, "qemu");
    qapi_output_start_object(out);
    qapi_output_member(out, "micro");
    qapi_output_int(out, s->version[2]);
    qapi_output_member(out, "minor");
    qapi_output_int(out, s->version[1]);
    qapi_output_member(out, "major");
    qapi_output_int(out, s->version[0]);
    qapi_output_end_object(out);
    qapi_output_member(out, "package");
    qapi_output_str(out, s->package ? s->package : "");
    qapi_output_end_object(out);
    qapi_output_member(out, "capabilities");
    qapi_output_start_array(out);
    if (s->oob_offered) {
        qapi_output_str(out, "oob");
    }
    qapi_output_end_array(out);
    qapi_output_end_object(out);
    qapi_output_end_object(out);
    text = qapi_output_finish_text(out, &len);
    if (!text) {
        return -1;
    }
    free(s->greeting);
    s->greeting = text;
    s->greeting_len = len;
    return 0;
}

/* --- server --------------------------------------------------------------- */

QmpServer *qmp_server_new(QmpCommandList *cmds)
{
    QmpServer *s;
    struct epoll_event ev;

    if (!cmds) {
        errno = EINVAL;
        return NULL;
    }
    s = calloc(1, sizeof(*s));
    if (!s) {
        return NULL;
    }
    s->wake_kind = K_WAKE;
    s->cmds = cmds;
    s->epfd = -1;
    s->wakefd = -1;
    s->max_request = DEFAULT_MAX_REQUEST;
    s->max_backlog = DEFAULT_MAX_BACKLOG;
    s->pause_backlog = PAUSE_BACKLOG;
    s->max_clients = DEFAULT_MAX_CLIENTS;
    atomic_init(&s->stop, 0);
    atomic_init(&s->flags, 0u);
    pthread_mutex_init(&s->lock, NULL);
    s->epfd = epoll_create1(EPOLL_CLOEXEC);
    s->wakefd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (s->epfd < 0 || s->wakefd < 0) {
        goto fail;
    }
    memset(&ev, 0, sizeof(ev));
    ev.events = EPOLLIN;
    ev.data.ptr = &s->wake_kind;
    if (epoll_ctl(s->epfd, EPOLL_CTL_ADD, s->wakefd, &ev) < 0 ||
        build_greeting(s) < 0) {
        goto fail;
    }
    if (qmp_register_command_data(cmds, "qmp_capabilities",
                                  cmd_qmp_capabilities, NULL,
                                  QMP_CMD_ALLOW_PRECONFIG) < 0 ||
        qapi_event_add_sink(event_sink, s) < 0) {
        errno = ENOMEM;
        goto fail;
    }
    s->sink_added = true;
    return s;

fail:
    qmp_server_free(s);
    return NULL;
}

int qmp_server_set_version(QmpServer *s, int64_t major, int64_t minor,
                           int64_t micro, const char *package)
{
    char *copy;
    int64_t saved[3];
    char *saved_pkg;

    QAPI_ARG_ERRNO(s, -1);
    copy = strdup(package ? package : "");
    if (!copy) {
        return -1;
    }
    memcpy(saved, s->version, sizeof(saved));
    saved_pkg = s->package;
    s->version[0] = major;
    s->version[1] = minor;
    s->version[2] = micro;
    s->package = copy;
    if (build_greeting(s) < 0) {
        memcpy(s->version, saved, sizeof(saved));
        s->package = saved_pkg;
        free(copy);
        return -1;
    }
    free(saved_pkg);
    return 0;
}

void qmp_server_set_oob(QmpServer *s, bool offer)
{
    bool saved;

    if (!s) {
        return;
    }
    saved = s->oob_offered;
    s->oob_offered = offer;
    if (build_greeting(s) < 0) {
        s->oob_offered = saved;
    }
}

void qmp_server_set_dispatch_flags(QmpServer *s, unsigned flags)
{
    if (!s) {
        return;
    }
    atomic_store(&s->flags, flags & ~(unsigned)(QMP_DISPATCH_NEGOTIATION |
                                                QMP_DISPATCH_ALLOW_OOB));
}

void qmp_server_set_limits(QmpServer *s, size_t max_request, size_t max_backlog,
                           unsigned max_clients)
{
    if (!s) {
        return;
    }
    if (max_request) {
        s->max_request = max_request;
    }
    if (max_backlog) {
        s->max_backlog = max_backlog;
        s->pause_backlog =
            PAUSE_BACKLOG < max_backlog / 2 ? PAUSE_BACKLOG : max_backlog / 2;
    }
    if (max_clients) {
        s->max_clients = max_clients;
    }
}

void qmp_server_set_session_callback(QmpServer *s, QmpSessionCallback *fn,
                                     void *opaque)
{
    if (!s) {
        return;
    }
    s->cb = fn;
    s->cb_opaque = opaque;
}

int qmp_server_get_fd(const QmpServer *s)
{
    QAPI_ARG_ERRNO(s, -1);
    return s->epfd;
}

unsigned qmp_server_client_count(QmpServer *s)
{
    unsigned n;

    if (!s) {
        return 0;
    }
    pthread_mutex_lock(&s->lock);
    n = s->n_sessions;
    pthread_mutex_unlock(&s->lock);
    return n;
}

void qmp_server_stop(QmpServer *s)
{
    static const uint64_t one = 1;

    if (!s) {
        return;
    }
    atomic_store(&s->stop, 1);
    if (write(s->wakefd, &one, sizeof(one)) < 0) {
        /* EAGAIN: the counter is full, the loop wakes anyway */
    }
}

/* --- listening ------------------------------------------------------------ */

static int add_listener(QmpServer *s, int fd, const char *path,
                        QapiError **errp)
{
    Listener *l = calloc(1, sizeof(*l));
    struct epoll_event ev;
    struct stat sb;

    if (!l || (path && !(l->path = strdup(path)))) {
        free(l);
        qapi_error_setg(errp, "Out of memory");
        return -1;
    }
    l->kind = K_LISTENER;
    l->fd = fd;
    if (path && stat(path, &sb) == 0) {
        l->dev = sb.st_dev;
        l->ino = sb.st_ino;
    }
    memset(&ev, 0, sizeof(ev));
    ev.events = EPOLLIN;
    ev.data.ptr = l;
    if (epoll_ctl(s->epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
        qapi_error_setg(errp, "Failed to watch listening socket: %s",
                        strerror(errno));
        free(l->path);
        free(l);
        return -1;
    }
    l->next = s->listeners;
    s->listeners = l;
    return 0;
}

int qmp_server_listen_unix(QmpServer *s, const char *path, QapiError **errp)
{
    struct sockaddr_un addr;
    struct stat sb;
    int fd;

    QAPI_ARG_CHECK(s, errp, "argument 'server' is NULL", -1);
    QAPI_ARG_CHECK(path, errp, "argument 'path' is NULL", -1);
    if (strlen(path) >= sizeof(addr.sun_path)) {
        qapi_error_setg(errp, "UNIX socket path '%s' is too long", path);
        return -1;
    }
    if (lstat(path, &sb) == 0) {
        if (!S_ISSOCK(sb.st_mode)) {
            qapi_error_setg(errp, "Failed to bind socket to %s: %s", path,
                            strerror(EADDRINUSE));
            return -1;
        }
        unlink(path);
    }
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        qapi_error_setg(errp, "Failed to create socket: %s", strerror(errno));
        return -1;
    }
    memset(&addr, 0, sizeof(addr));
    addr.sun_family = AF_UNIX;
    memcpy(addr.sun_path, path, strlen(path) + 1);
    if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
        qapi_error_setg(errp, "Failed to bind socket to %s: %s", path,
                        strerror(errno));
        close(fd);
        return -1;
    }
    if (listen(fd, 16) < 0) {
        qapi_error_setg(errp, "Failed to listen on socket: %s",
                        strerror(errno));
        close(fd);
        unlink(path);
        return -1;
    }
    if (add_listener(s, fd, path, errp) < 0) {
        close(fd);
        unlink(path);
        return -1;
    }
    return 0;
}

int qmp_server_listen_tcp(QmpServer *s, const char *host, int port,
                          QapiError **errp)
{
    struct addrinfo hints;
    struct addrinfo *res = NULL;
    struct sockaddr_storage bound;
    socklen_t bound_len = sizeof(bound);
    char service[16];
    int fd;
    int one = 1;
    int r;

    QAPI_ARG_CHECK(s, errp, "argument 'server' is NULL", -1);
    if (port < 0 || port > 65535) {
        qapi_error_setg(errp, "Invalid port %d", port);
        return -1;
    }
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICHOST | AI_NUMERICSERV;
    snprintf(service, sizeof(service), "%d", port);
    if (!host) {
        host = "127.0.0.1";
    }
    r = getaddrinfo(host, service, &hints, &res);
    if (r != 0) {
        qapi_error_setg(errp, "address resolution failed for %s:%d: %s", host,
                        port, gai_strerror(r));
        return -1;
    }
    fd = socket(res->ai_family, res->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                res->ai_protocol);
    if (fd < 0) {
        qapi_error_setg(errp, "Failed to create socket: %s", strerror(errno));
        freeaddrinfo(res);
        return -1;
    }
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (bind(fd, res->ai_addr, res->ai_addrlen) < 0 || listen(fd, 16) < 0) {
        qapi_error_setg(errp, "Failed to listen on %s:%d: %s", host, port,
                        strerror(errno));
        freeaddrinfo(res);
        close(fd);
        return -1;
    }
    freeaddrinfo(res);
    if (getsockname(fd, (struct sockaddr *)&bound, &bound_len) < 0) {
        qapi_error_setg(errp, "getsockname failed: %s", strerror(errno));
        close(fd);
        return -1;
    }
    port = bound.ss_family == AF_INET6
               ? ntohs(((struct sockaddr_in6 *)&bound)->sin6_port)
               : ntohs(((struct sockaddr_in *)&bound)->sin_port);
    if (add_listener(s, fd, NULL, errp) < 0) {
        close(fd);
        return -1;
    }
    return port;
}

/* --- sessions ------------------------------------------------------------- */

int qmp_server_add_client(QmpServer *s, int fd)
{
    QmpSession *ss;
    struct epoll_event ev;
    int fl;

    if (fd < 0) {
        errno = EINVAL;
        return -1;
    }
    if (!s) {
        close(fd); /* owned even then */
        errno = EINVAL;
        return -1;
    }
    pthread_mutex_lock(&s->lock);
    if (s->n_sessions >= s->max_clients) {
        pthread_mutex_unlock(&s->lock);
        close(fd);
        return -1;
    }
    pthread_mutex_unlock(&s->lock);
    ss = calloc(1, sizeof(*ss));
    if (!ss) {
        close(fd);
        return -1;
    }
    fl = fcntl(fd, F_GETFL);
    if (fl >= 0 && !(fl & O_NONBLOCK)) {
        fcntl(fd, F_SETFL, fl | O_NONBLOCK);
    }
    fl = fcntl(fd, F_GETFD);
    if (fl >= 0) {
        fcntl(fd, F_SETFD, fl | FD_CLOEXEC);
    }
    ss->kind = K_SESSION;
    ss->server = s;
    ss->fd = fd;
    qmp_streamer_init(&ss->st, s->max_request);
    memset(&ev, 0, sizeof(ev));
    ev.events = EPOLLIN;
    ev.data.ptr = ss;
    pthread_mutex_lock(&s->lock);
    if (epoll_ctl(s->epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
        pthread_mutex_unlock(&s->lock);
        qmp_streamer_destroy(&ss->st);
        free(ss);
        close(fd);
        return -1;
    }
    ss->events = EPOLLIN;
    ss->id = ++s->next_id;
    ss->next = s->sessions;
    if (s->sessions) {
        s->sessions->prev = ss;
    }
    s->sessions = ss;
    s->n_sessions++;
    append_locked(ss, s->greeting, s->greeting_len,
                  !needs_escaping(s->greeting, s->greeting_len));
    flush_locked(ss);
    if (ss->out_len && !ss->dead) {
        set_events_locked(ss, EPOLLIN | EPOLLOUT);
    }
    pthread_mutex_unlock(&s->lock);
    if (s->cb) {
        s->cb(ss, true, s->cb_opaque);
    }
    return 0;
}

static void watch_listener(QmpServer *s, Listener *l, bool on)
{
    struct epoll_event ev;

    memset(&ev, 0, sizeof(ev));
    ev.events = on ? EPOLLIN : 0;
    ev.data.ptr = l;
    epoll_ctl(s->epfd, EPOLL_CTL_MOD, l->fd, &ev);
    l->paused = !on;
}

/* Watch the listeners again once a session went (its fd is free). */
static void resume_listeners(QmpServer *s)
{
    Listener *l;

    for (l = s->listeners; l; l = l->next) {
        if (l->paused) {
            watch_listener(s, l, true);
        }
    }
    s->listeners_paused = false;
}

static void close_fds(QmpSession *ss)
{
    size_t i;

    for (i = 0; i < ss->n_fds; i++) {
        close(ss->fds[i]);
    }
    ss->n_fds = 0;
}

static void session_free(QmpSession *ss)
{
    QmpServer *s = ss->server;

    if (s->cb) {
        s->cb(ss, false, s->cb_opaque);
    }
    if (ss->opaque_free) {
        ss->opaque_free(ss->opaque);
    }
    pthread_mutex_lock(&s->lock);
    if (ss->prev) {
        ss->prev->next = ss->next;
    } else {
        s->sessions = ss->next;
    }
    if (ss->next) {
        ss->next->prev = ss->prev;
    }
    s->n_sessions--;
    epoll_ctl(s->epfd, EPOLL_CTL_DEL, ss->fd, NULL);
    close(ss->fd);
    ss->fd = -1;
    pthread_mutex_unlock(&s->lock);
    close_fds(ss);
    if (s->listeners_paused) {
        resume_listeners(s);
    }
    qmp_streamer_destroy(&ss->st);
    while (ss->q_len) {
        free(ss->queue[ss->q_head].text);
        ss->q_head = (ss->q_head + 1) % QUEUE_MAX;
        ss->q_len--;
    }
    if (ss->in_owned) {
        free(ss->in);
    }
    free(ss->out);
    free(ss);
}

/* A final attempt to write pending output, then close. */
static void session_close(QmpSession *ss)
{
    pthread_mutex_lock(&ss->server->lock);
    flush_locked(ss);
    pthread_mutex_unlock(&ss->server->lock);
    session_free(ss);
}

static void accept_clients(QmpServer *s, Listener *l)
{
    int i;

    for (i = 0; i < 16; i++) {
        int fd = accept4(l->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        int one = 1;

        if (fd < 0) {
            /* Out of file descriptors or memory: the pending connection
             * would make the listener ready forever; stop watching it
             * until a session closes.  EAGAIN, or a connection that went
             * before it was accepted: nothing to do. */
            if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS ||
                errno == ENOMEM) {
                watch_listener(s, l, false);
                s->listeners_paused = true;
            }
            return;
        }
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
        qmp_server_add_client(s, fd);
    }
}

/* --- requests ------------------------------------------------------------- */

static void dispatch(QmpSession *ss, const char *text, size_t len)
{
    QmpServer *s = ss->server;
    unsigned flags = atomic_load(&s->flags);
    QmpSession *saved = cur_session;
    char *rsp = NULL;
    size_t rsp_len = 0;
    int r;

    if (!ss->negotiated) {
        flags |= QMP_DISPATCH_NEGOTIATION;
    }
    if (ss->oob) {
        flags |= QMP_DISPATCH_ALLOW_OOB;
    }
    cur_session = ss;
    r = qmp_dispatch(s->cmds, text, len, flags, ss, &rsp, &rsp_len);
    cur_session = saved;
    pthread_mutex_lock(&s->lock);
    if (r > 0) {
        append_locked(ss, rsp, rsp_len, !needs_escaping(rsp, rsp_len));
    } else if (r < 0) {
        append_locked(ss, oom_response, sizeof(oom_response) - 1, true);
    }
    if (ss->negotiating) {
        ss->negotiating = false;
        ss->negotiated = true;
        ss->oob = ss->want_oob;
    }
    pthread_mutex_unlock(&s->lock);
    free(rsp);
}

static void send_parse_error(QmpSession *ss, const char *desc)
{
    size_t len;
    char *rsp = error_response(desc, &len);

    if (rsp) {
        send_text(ss, rsp, len);
        free(rsp);
    } else {
        send_text(ss, oom_response, sizeof(oom_response) - 1);
    }
}

static bool enqueue(QmpSession *ss, const char *text, size_t len,
                    bool is_response)
{
    Queued *q = &ss->queue[(ss->q_head + ss->q_len) % QUEUE_MAX];

    q->text = malloc(len + 1);
    if (!q->text) {
        return false;
    }
    memcpy(q->text, text, len);
    q->text[len] = '\0';
    q->len = len;
    q->is_response = is_response;
    ss->q_len++;
    return true;
}

static void run_queued(QmpSession *ss)
{
    Queued q = ss->queue[ss->q_head];

    ss->q_head = (ss->q_head + 1) % QUEUE_MAX;
    ss->q_len--;
    if (q.is_response) {
        send_text(ss, q.text, q.len);
    } else {
        dispatch(ss, q.text, q.len);
    }
    free(q.text);
}

static bool stopped_reading(QmpSession *ss)
{
    bool paused;

    pthread_mutex_lock(&ss->server->lock);
    paused = ss->dead || ss->out_len >= ss->server->pause_backlog;
    pthread_mutex_unlock(&ss->server->lock);
    return paused || ss->close_requested;
}

/* Handle one item of the streamer. */
static void handle_item(QmpSession *ss, const QmpStreamItem *item)
{
    if (item->kind == QMP_STREAM_MESSAGE) {
        if (!ss->oob || item->oob) {
            dispatch(ss, item->text, item->len);
        } else if (!enqueue(ss, item->text, item->len, false)) {
            send_text(ss, oom_response, sizeof(oom_response) - 1);
        }
    } else if (item->kind == QMP_STREAM_ERROR) {
        if (!ss->oob) {
            send_parse_error(ss, item->error);
        } else {
            size_t len;
            char *rsp = error_response(item->error, &len);

            if (!rsp || !enqueue(ss, rsp, len, true)) {
                send_text(ss, oom_response, sizeof(oom_response) - 1);
            }
            free(rsp);
        }
    }
}

/*
 * Work through the input read so far, as long as the client's output
 * allows: in-band requests in order; with OOB, parse ahead (up to 8
 * queued) so that exec-oob requests run first.
 */
static void process_input(QmpSession *ss)
{
    while (!stopped_reading(ss)) {
        if (ss->q_len && (ss->q_len == QUEUE_MAX || ss->in_pos == ss->in_len)) {
            run_queued(ss);
            continue;
        }
        if (ss->in_pos == ss->in_len) {
            break;
        }
        {
            QmpStreamItem item;
            size_t n = qmp_streamer_feed(&ss->st, ss->in + ss->in_pos,
                                         ss->in_len - ss->in_pos, &item);

            ss->in_pos += n;
            handle_item(ss, &item);
        }
    }
    if (ss->in_pos == ss->in_len) {
        if (ss->in_owned) {
            free(ss->in);
        }
        ss->in = NULL;
        ss->in_owned = false;
        ss->in_pos = ss->in_len = 0;
    } else if (!ss->in_owned) {
        /* Paused in the middle of the shared buffer: keep the rest. */
        size_t rest = ss->in_len - ss->in_pos;
        char *copy = malloc(rest);

        if (copy) {
            memcpy(copy, ss->in + ss->in_pos, rest);
            ss->in = copy;
            ss->in_owned = true;
            ss->in_pos = 0;
            ss->in_len = rest;
        } else {
            pthread_mutex_lock(&ss->server->lock);
            mark_dead_locked(ss);
            pthread_mutex_unlock(&ss->server->lock);
        }
    }
}

/* Read one chunk into the server's buffer. */
static void read_input(QmpSession *ss)
{
    QmpServer *s = ss->server;
    union {
        struct cmsghdr align;
        char buf[CMSG_SPACE(sizeof(int) * MAX_FDS)];
    } control;
    struct iovec iov;
    struct msghdr msg;
    struct cmsghdr *cmsg;
    ssize_t n;

    iov.iov_base = s->rbuf;
    iov.iov_len = sizeof(s->rbuf);
    memset(&msg, 0, sizeof(msg));
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control.buf;
    msg.msg_controllen = sizeof(control.buf);
    do {
        n = recvmsg(ss->fd, &msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
        if (errno != EAGAIN && errno != EWOULDBLOCK) {
            pthread_mutex_lock(&s->lock);
            mark_dead_locked(ss);
            pthread_mutex_unlock(&s->lock);
        }
        return;
    }
    for (cmsg = CMSG_FIRSTHDR(&msg); cmsg; cmsg = CMSG_NXTHDR(&msg, cmsg)) {
        size_t nfd;
        size_t i;

        if (cmsg->cmsg_level != SOL_SOCKET || cmsg->cmsg_type != SCM_RIGHTS) {
            continue;
        }
        nfd = (cmsg->cmsg_len - CMSG_LEN(0)) / sizeof(int);
        /* As QEMU: new descriptors replace those not taken. */
        close_fds(ss);
        for (i = 0; i < nfd; i++) {
            int fd;

            memcpy(&fd, CMSG_DATA(cmsg) + i * sizeof(int), sizeof(int));
            if (ss->n_fds < MAX_FDS) {
                ss->fds[ss->n_fds++] = fd;
            } else {
                close(fd);
            }
        }
    }
    if (n == 0) {
        /* The client sent all it will: what it gets now is the output
         * still pending (no more events), then the connection closes. */
        ss->eof = true;
        pthread_mutex_lock(&s->lock);
        ss->negotiated = false;
        pthread_mutex_unlock(&s->lock);
        return;
    }
    ss->in = s->rbuf;
    ss->in_owned = false;
    ss->in_pos = 0;
    ss->in_len = (size_t)n;
}

/* Input read but not processed yet (the client was paused)? */
static bool has_pending(const QmpSession *ss)
{
    return ss->in_pos < ss->in_len || ss->q_len;
}

/* After handling a session: close it, or set what to wait for. */
static void session_settle(QmpSession *ss)
{
    QmpServer *s = ss->server;
    bool close_now;

    pthread_mutex_lock(&s->lock);
    flush_locked(ss);
    close_now = ss->dead || ss->close_requested ||
                (ss->eof && !has_pending(ss) && !ss->out_len);
    if (!close_now) {
        uint32_t events = 0;

        if (!ss->eof && !has_pending(ss) && ss->out_len < s->pause_backlog) {
            events |= EPOLLIN;
        }
        /* Input left over means the client was paused for its backlog,
         * which the flush above may have drained since: EPOLLOUT goes on
         * with it as soon as the socket takes output, at once if nothing
         * is pending any more. */
        if (ss->out_len || has_pending(ss)) {
            events |= EPOLLOUT;
        }
        set_events_locked(ss, events);
    }
    pthread_mutex_unlock(&s->lock);
    if (close_now) {
        session_close(ss);
    }
}

/* Process pending input as long as writing the output lets it go on. */
static void work(QmpSession *ss)
{
    QmpServer *s = ss->server;

    for (;;) {
        process_input(ss);
        pthread_mutex_lock(&s->lock);
        flush_locked(ss);
        pthread_mutex_unlock(&s->lock);
        if (!has_pending(ss) || stopped_reading(ss)) {
            return;
        }
    }
}

static void session_event(QmpSession *ss, uint32_t events)
{
    if (events & (EPOLLOUT | EPOLLERR | EPOLLHUP)) {
        pthread_mutex_lock(&ss->server->lock);
        flush_locked(ss);
        pthread_mutex_unlock(&ss->server->lock);
    }
    /* Leftover input or queued requests first, then read more. */
    work(ss);
    if (!has_pending(ss) && !ss->eof &&
        (events & (EPOLLIN | EPOLLERR | EPOLLHUP)) && !stopped_reading(ss)) {
        read_input(ss);
        work(ss);
    }
    session_settle(ss);
}

/* Close the sessions marked dead by event senders, or to be closed. */
static void reap(QmpServer *s)
{
    QmpSession *ss;
    bool again = true;

    while (again) {
        again = false;
        pthread_mutex_lock(&s->lock);
        s->reap = false;
        for (ss = s->sessions; ss && !ss->dead && !ss->close_requested;
             ss = ss->next) {
        }
        pthread_mutex_unlock(&s->lock);
        if (ss) {
            session_close(ss);
            again = true;
        }
    }
}

int qmp_server_iterate(QmpServer *s, int timeout_ms)
{
    struct epoll_event evs[64];
    int n;
    int i;
    bool do_reap;

    QAPI_ARG_ERRNO(s, -1);
    if (atomic_load(&s->stop)) {
        return 0;
    }
    n = epoll_wait(s->epfd, evs, 64, timeout_ms);
    if (n < 0) {
        return errno == EINTR ? 0 : -1;
    }
    for (i = 0; i < n; i++) {
        int kind = *(int *)evs[i].data.ptr;

        if (kind == K_WAKE) {
            uint64_t v;

            if (read(s->wakefd, &v, sizeof(v)) < 0) {
                /* EAGAIN: someone else drained it */
            }
        } else if (kind == K_LISTENER) {
            accept_clients(s, evs[i].data.ptr);
        } else {
            session_event(evs[i].data.ptr, evs[i].events);
        }
    }
    pthread_mutex_lock(&s->lock);
    do_reap = s->reap;
    pthread_mutex_unlock(&s->lock);
    if (do_reap) {
        reap(s);
    }
    return n;
}

int qmp_server_run(QmpServer *s)
{
    int r = 0;

    QAPI_ARG_ERRNO(s, -1);
    while (!atomic_load(&s->stop)) {
        if (qmp_server_iterate(s, -1) < 0) {
            r = -1;
            break;
        }
    }
    atomic_store(&s->stop, 0);
    return r;
}

void qmp_server_free(QmpServer *s)
{
    Listener *l;

    if (!s) {
        return;
    }
    if (s->sink_added) {
        qapi_event_remove_sink(event_sink, s);
    }
    while (s->sessions) {
        session_close(s->sessions);
    }
    while ((l = s->listeners)) {
        struct stat sb;

        s->listeners = l->next;
        close(l->fd);
        /* Remove the socket file, unless someone replaced it. */
        if (l->path && stat(l->path, &sb) == 0 && sb.st_dev == l->dev &&
            sb.st_ino == l->ino) {
            unlink(l->path);
        }
        free(l->path);
        free(l);
    }
    if (s->epfd >= 0) {
        close(s->epfd);
    }
    if (s->wakefd >= 0) {
        close(s->wakefd);
    }
    pthread_mutex_destroy(&s->lock);
    free(s->greeting);
    free(s->package);
    free(s);
}

/* --- for handlers --------------------------------------------------------- */

QmpSession *qmp_session_current(void)
{
    return cur_session;
}

QmpServer *qmp_session_get_server(const QmpSession *ss)
{
    return ss ? ss->server : NULL;
}

uint64_t qmp_session_get_id(const QmpSession *ss)
{
    return ss ? ss->id : 0;
}

bool qmp_session_oob_enabled(const QmpSession *ss)
{
    return ss && ss->oob;
}

int qmp_session_take_fd(QmpSession *ss)
{
    int fd;

    QAPI_ARG_ERRNO(ss, -1);
    if (!ss->n_fds) {
        return -1;
    }
    fd = ss->fds[0];
    memmove(&ss->fds[0], &ss->fds[1], (ss->n_fds - 1) * sizeof(int));
    ss->n_fds--;
    return fd;
}

void qmp_session_set_opaque(QmpSession *ss, void *opaque,
                            void (*free_fn)(void *))
{
    if (!ss) {
        return;
    }
    if (ss->opaque_free && ss->opaque != opaque) {
        ss->opaque_free(ss->opaque);
    }
    ss->opaque = opaque;
    ss->opaque_free = free_fn;
}

void *qmp_session_get_opaque(const QmpSession *ss)
{
    return ss ? ss->opaque : NULL;
}

void qmp_session_close(QmpSession *ss)
{
    if (!ss) {
        return;
    }
    ss->close_requested = true;
    /* Closed after its own request, or at the end of this round. */
    pthread_mutex_lock(&ss->server->lock);
    ss->server->reap = true;
    pthread_mutex_unlock(&ss->server->lock);
}
