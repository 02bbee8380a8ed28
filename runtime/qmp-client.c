/*
 * The QMP client (qapi/qmp-client.h): the connection, waiting, calls.
 *
 * Incoming bytes are split into messages by the QMP server's streamer
 * (qmp-server-impl.h): it is QEMU's JSON lexer and parser, bounded in
 * size and depth, resynchronising after garbage, and hands out strict
 * JSON text that libqapi's exact text input then reads
 * (qmp-client-msg.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "args-impl.h"
#include "qmp-client-impl.h"

static int64_t now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t deadline_after(int timeout_ms)
{
    return timeout_ms < 0 ? -1 : now_ms() + timeout_ms;
}

/* --- trace -------------------------------------------------------------- */

static void write_full(int fd, const char *p, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, p, len);

        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return; /* tracing must not break the session */
        }
        p += n;
        len -= (size_t)n;
    }
}

void qmp_client_trace(QmpClient *c, const char *dir, const char *text,
                      size_t len)
{
    if (c->trace_fd < 0) {
        return;
    }
    write_full(c->trace_fd, dir, 3);
    write_full(c->trace_fd, text, len);
    write_full(c->trace_fd, "\n", 1);
}

/* --- errors ------------------------------------------------------------- */

static void lose_connection(QmpClient *c, const char *why, int err)
{
    if (c->conn_err) {
        return;
    }
    if (err) {
        qapi_error_setg(&c->conn_err, "%s: %s", why, strerror(err));
    } else {
        qapi_error_setg(&c->conn_err, "%s", why);
    }
}

/* An error no call waits for: the error handler's, or kept for the next
 * event call (the first one only). */
void qmp_client_async_error(QmpClient *c, QapiError *err)
{
    if (c->err_fn) {
        c->err_fn(c, err, c->err_opaque);
        qapi_error_free(err);
    } else if (!c->async_err) {
        c->async_err = err;
    } else {
        qapi_error_free(err);
    }
}

/* The waiting call fails with @err, or no call waits and it is reported
 * asynchronously. */
void qmp_client_call_error(QmpClient *c, QapiError *err)
{
    if (c->pending_id && c->reply_state == REPLY_NONE) {
        c->reply_err = err;
        c->reply_state = REPLY_FAILED;
        c->pending_id = 0;
    } else {
        qmp_client_async_error(c, err);
    }
}

/* --- input -------------------------------------------------------------- */

typedef bool Condition(const QmpClient *c);

static bool never(const QmpClient *c)
{
    (void)c;
    return false;
}

/* Hand the bytes read so far to the streamer, message by message, until
 * @done. */
static bool process_buffered(QmpClient *c, Condition *done)
{
    while (!done(c) && c->rpos < c->rlen) {
        QmpStreamItem item;

        c->rpos += qmp_streamer_feed(&c->st, c->rbuf + c->rpos,
                                     c->rlen - c->rpos, &item);
        if (item.kind == QMP_STREAM_MESSAGE) {
            c->in_garbage = false;
            qmp_client_handle_message(c, item.text, item.len);
        } else if (item.kind == QMP_STREAM_ERROR) {
            QapiError *err = NULL;

            qapi_error_setg(&err, "Invalid QMP message from the server: %s",
                            item.error);
            if (!c->greeted) {
                qapi_error_propagate(&c->conn_err, err);
            } else if (c->in_garbage) {
                /* One piece of garbage can make several errors: the
                 * first failed the waiting call, if any. */
                qmp_client_async_error(c, err);
            } else {
                qmp_client_call_error(c, err);
            }
            c->in_garbage = true;
        }
        if (c->conn_err) {
            c->rpos = c->rlen; /* a bad greeting: nothing more is read */
        }
    }
    return done(c);
}

/* Read what has arrived: 1 if something did, 0 if nothing, -1 if the
 * connection is lost. */
static int read_some(QmpClient *c)
{
    ssize_t n;

    if (c->rpos < c->rlen) {
        return 1; /* what was read before is not all handled yet */
    }
    if (c->conn_err) {
        return -1;
    }
    do {
        n = recv(c->fd, c->rbuf, READ_SIZE, 0);
    } while (n < 0 && errno == EINTR);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        return 0;
    }
    if (n < 0) {
        lose_connection(c, "Lost the connection to the QMP server", errno);
    } else if (n == 0) {
        lose_connection(c,
                        qmp_streamer_pending(&c->st)
                            ? "The QMP server closed the connection in "
                              "the middle of a message"
                            : "The QMP server closed the connection",
                        0);
    } else {
        c->rpos = 0;
        c->rlen = (size_t)n;
        return 1;
    }
    if (c->pending_id) {
        qmp_client_call_error(c, qapi_error_copy(c->conn_err));
    }
    return -1;
}

/* poll() the socket for @events until @deadline: the revents, 0 on
 * timeout. */
static int wait_fd(QmpClient *c, short events, int64_t deadline)
{
    struct pollfd pfd = {.fd = c->fd, .events = events};

    for (;;) {
        int timeout = -1;
        int r;

        if (deadline >= 0) {
            int64_t left = deadline - now_ms();

            timeout = left <= 0 ? 0 : left > 60000 ? 60000 : (int)left;
        }
        r = poll(&pfd, 1, timeout);
        if (r > 0) {
            return pfd.revents;
        }
        if (r < 0 && errno != EINTR) {
            lose_connection(c, "poll", errno);
            return -1;
        }
        if (r == 0 && deadline >= 0 && now_ms() >= deadline) {
            return 0;
        }
    }
}

/* Read and handle messages until @done: 1, 0 at @deadline, -1 when the
 * connection is lost. */
static int pump(QmpClient *c, Condition *done, int64_t deadline)
{
    for (;;) {
        int r;

        if (process_buffered(c, done)) {
            return 1;
        }
        r = read_some(c);
        if (r < 0) {
            return done(c) ? 1 : -1;
        }
        if (r == 0) {
            r = wait_fd(c, POLLIN, deadline);
            if (r <= 0) {
                return r;
            }
        }
    }
}

/* --- output ------------------------------------------------------------- */

static bool send_all(QmpClient *c, const char *text, size_t len,
                     QapiError **errp)
{
    union {
        char buf[CMSG_SPACE(MAX_FDS * sizeof(int))];
        struct cmsghdr align;
    } u;
    static char newline[] = "\n";
    struct iovec iov[2] = {{(void *)(uintptr_t)text, len}, {newline, 1}};
    int64_t deadline = deadline_after(c->timeout_ms);
    size_t done = 0;

    qmp_client_trace(c, "-> ", text, len);
    while (done < len + 1) {
        struct msghdr msg;
        size_t skip = done;
        ssize_t n;
        int rev;

        memset(&msg, 0, sizeof(msg));
        if (skip < len) {
            iov[0].iov_base = (void *)(uintptr_t)(text + skip);
            iov[0].iov_len = len - skip;
            msg.msg_iov = iov;
            msg.msg_iovlen = 2;
        } else {
            msg.msg_iov = &iov[1];
            msg.msg_iovlen = 1;
        }
        if (c->n_fds) {
            struct cmsghdr *cmsg;

            memset(&u, 0, sizeof(u));
            msg.msg_control = u.buf;
            msg.msg_controllen = CMSG_SPACE(c->n_fds * sizeof(int));
            cmsg = CMSG_FIRSTHDR(&msg);
            cmsg->cmsg_level = SOL_SOCKET;
            cmsg->cmsg_type = SCM_RIGHTS;
            cmsg->cmsg_len = CMSG_LEN(c->n_fds * sizeof(int));
            memcpy(CMSG_DATA(cmsg), c->fds, c->n_fds * sizeof(int));
        }
        n = sendmsg(c->fd, &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n > 0) {
            c->n_fds = 0; /* they went with the first byte */
            done += (size_t)n;
            continue;
        }
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
            lose_connection(c, "Lost the connection to the QMP server", errno);
            break;
        }
        /* The server does not take more now: read meanwhile, since it
         * may be waiting for us to read before it reads again. */
        rev = wait_fd(c, POLLIN | POLLOUT, deadline);
        if (rev == 0) {
            qapi_error_setg(errp, "Timed out after %d ms sending '%s'",
                            c->timeout_ms, c->cmd);
            lose_connection(c, "A request was sent in part only", 0);
            return false;
        }
        if (rev < 0) {
            break;
        }
        if ((rev & POLLIN) && read_some(c) >= 0) {
            process_buffered(c, never);
        }
    }
    if (c->conn_err) {
        qapi_error_propagate(errp, qapi_error_copy(c->conn_err));
        return false;
    }
    return true;
}

/* --- construction ------------------------------------------------------- */

static bool greeted(const QmpClient *c)
{
    return c->greeted;
}

QmpClient *qmp_client_new_fd(int fd, int timeout_ms, QapiError **errp)
{
    QmpClient *c;
    int flags;
    int r;

    if (fd < 0) {
        qapi_error_setg(errp, "Invalid file descriptor");
        return NULL;
    }
    c = calloc(1, sizeof(*c));
    if (!c || !(c->rbuf = malloc(READ_SIZE))) {
        free(c);
        close(fd);
        qapi_error_setg(errp, "Out of memory");
        return NULL;
    }
    c->fd = fd;
    c->timeout_ms = timeout_ms;
    c->trace_fd = -1;
    c->next_id = 1;
    c->max_queue = DEFAULT_MAX_QUEUE;
    qmp_streamer_init(&c->st, DEFAULT_MAX_MESSAGE);
    flags = fcntl(fd, F_GETFL);
    if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) {
        lose_connection(c, "fcntl", errno);
    }
    r = c->conn_err ? -1 : pump(c, greeted, deadline_after(timeout_ms));
    if (r <= 0) {
        if (r == 0) {
            qapi_error_setg(errp,
                            "Timed out after %d ms waiting for the "
                            "QMP greeting",
                            timeout_ms);
        } else {
            qapi_error_propagate(errp, qapi_error_copy(c->conn_err));
        }
        qmp_client_free(c);
        return NULL;
    }
    return c;
}

QmpClient *qmp_client_connect_unix(const char *path, int timeout_ms,
                                   QapiError **errp)
{
    struct sockaddr_un addr;
    int fd;

    memset(&addr, 0, sizeof(addr));
    addr.sun_family = AF_UNIX;
    QAPI_ARG_CHECK(path, errp, "argument 'path' is NULL", NULL);
    if (strlen(path) >= sizeof(addr.sun_path)) {
        qapi_error_setg(errp, "UNIX socket path '%s' is too long", path);
        return NULL;
    }
    strcpy(addr.sun_path, path);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        qapi_error_setg(errp, "Failed to create socket: %s", strerror(errno));
        return NULL;
    }
    if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
        qapi_error_setg(errp, "Failed to connect to '%s': %s", path,
                        strerror(errno));
        close(fd);
        return NULL;
    }
    return qmp_client_new_fd(fd, timeout_ms, errp);
}

void qmp_client_free(QmpClient *c)
{
    size_t i;

    if (!c) {
        return;
    }
    close(c->fd);
    qmp_streamer_destroy(&c->st);
    free(c->rbuf);
    qapi_error_free(c->conn_err);
    free(c->package);
    free(c->greeting);
    for (i = 0; i < c->n_caps; i++) {
        free(c->caps[i]);
    }
    free(c->caps);
    free(c->reply);
    qapi_error_free(c->reply_err);
    for (i = 0; i < c->n_handlers; i++) {
        free(c->handlers[i].name);
        free(c->handlers[i].h);
    }
    free(c->handlers);
    while (c->head) {
        QueuedEvent *q = c->head;

        c->head = q->next;
        qmp_client_event_free(q->ev);
        free(q);
    }
    qmp_client_event_free(c->waited);
    qapi_error_free(c->async_err);
    free(c);
}

void qmp_client_set_trace(QmpClient *c, int fd)
{
    if (!c) {
        return;
    }
    c->trace_fd = fd;
    if (c->greeting) {
        /* Nothing was sent yet: the trace starts with the greeting. */
        qmp_client_trace(c, "<- ", c->greeting, c->greeting_len);
        free(c->greeting);
        c->greeting = NULL;
    }
}

void qmp_client_set_max_message(QmpClient *c, size_t max)
{
    if (!c) {
        return;
    }
    c->st.max_size = max ? max : DEFAULT_MAX_MESSAGE;
}

void qmp_client_get_version(const QmpClient *c, int64_t *major, int64_t *minor,
                            int64_t *micro, const char **package)
{
    if (major) {
        *major = c ? c->version[0] : 0;
    }
    if (minor) {
        *minor = c ? c->version[1] : 0;
    }
    if (micro) {
        *micro = c ? c->version[2] : 0;
    }
    if (package) {
        *package = c ? c->package : NULL;
    }
}

bool qmp_client_has_capability(const QmpClient *c, const char *capability)
{
    size_t i;

    if (!c || !capability) {
        return false;
    }
    for (i = 0; i < c->n_caps; i++) {
        if (!strcmp(c->caps[i], capability)) {
            return true;
        }
    }
    return false;
}

/* --- calls -------------------------------------------------------------- */

QapiOutput *qmp_client_request(QmpClient *c, const char *command,
                               bool with_args)
{
    QapiOutput *out;

    if (!c) {
        return NULL; /* qmp_client_call() reports it */
    }
    out = qapi_output_new_text();
    if (!command) {
        command = "";
    }
    if (!c->busy) {
        /* (A call from a handler fails: keep the running call's name.) */
        snprintf(c->cmd, sizeof(c->cmd), "%s", command);
    }
    if (out) {
        qapi_output_start_object(out);
        qapi_output_member(out, "execute");
        qapi_output_str(out, command);
        if (with_args) {
            qapi_output_member(out, "arguments");
        }
    }
    return out;
}

/* Send the request, with an id, and note that its reply is awaited. */
static bool start_call(QmpClient *c, QapiOutput *request, QapiError **errp)
{
    char *text;
    size_t len;
    bool ok;

    if (!request) {
        qapi_error_setg(errp, "Out of memory");
        return false;
    }
    if (c->busy) {
        qapi_output_free(request);
        qapi_error_setg(errp, "The QMP client is busy: no calls from its "
                              "event handlers");
        return false;
    }
    if (c->conn_err) {
        qapi_output_free(request);
        qapi_error_propagate(errp, qapi_error_copy(c->conn_err));
        return false;
    }
    qapi_output_member(request, "id");
    qapi_output_int(request, c->next_id);
    qapi_output_end_object(request);
    text = qapi_output_finish_text(request, &len);
    if (!text) {
        /* or an argument had no JSON form (an enum value out of range) */
        qapi_error_setg(errp, "Cannot write the arguments of '%s'", c->cmd);
        return false;
    }
    free(c->greeting); /* too late for a trace to start with it */
    c->greeting = NULL;
    c->pending_id = c->next_id++;
    c->busy = true;
    ok = send_all(c, text, len, errp);
    c->busy = false;
    free(text);
    if (!ok) {
        /* The connection is lost: whatever ended the call is moot. */
        c->pending_id = 0;
        c->reply_state = REPLY_NONE;
        qapi_error_free(c->reply_err);
        c->reply_err = NULL;
    }
    return ok;
}

static bool replied(const QmpClient *c)
{
    return c->reply_state != REPLY_NONE;
}

QapiInput *qmp_client_call(QmpClient *c, QapiOutput *request, QapiError **errp)
{
    QapiInput *in;
    int r;

    if (!c) {
        qapi_output_free(request);
    }
    QAPI_ARG_CHECK(c, errp, "argument 'c' is NULL", NULL);
    if (!start_call(c, request, errp)) {
        return NULL;
    }
    c->busy = true;
    r = pump(c, replied, deadline_after(c->timeout_ms));
    c->busy = false;
    if (r <= 0 && c->reply_state == REPLY_NONE) {
        c->pending_id = 0;
        if (r == 0) {
            qapi_error_setg(errp,
                            "Timed out after %d ms waiting for the "
                            "reply to '%s'",
                            c->timeout_ms, c->cmd);
        } else {
            qapi_error_propagate(errp, qapi_error_copy(c->conn_err));
        }
        return NULL;
    }
    if (c->reply_state == REPLY_FAILED) {
        c->reply_state = REPLY_NONE;
        qapi_error_propagate(errp, c->reply_err);
        c->reply_err = NULL;
        return NULL;
    }
    c->reply_state = REPLY_NONE;
    in = qmp_client_input_at(c->reply, c->reply_len, "return", errp);
    if (!in) {
        free(c->reply);
        c->reply = NULL;
    }
    return in;
}

bool qmp_client_call_end(QmpClient *c, QapiInput *ret, bool ok,
                         QapiError **errp)
{
    qapi_input_free(ret);
    QAPI_ARG_CHECK(c, errp, "argument 'c' is NULL", false);
    free(c->reply);
    c->reply = NULL;
    if (!ok) {
        qapi_error_prepend(errp,
                           "Reply to '%s' does not fit the schema: ", c->cmd);
    }
    return ok;
}

bool qmp_client_call_void(QmpClient *c, QapiOutput *request, QapiError **errp)
{
    QapiInput *in = qmp_client_call(c, request, errp);
    const char *key;
    bool ok;
    int r;

    if (!in) {
        return false;
    }
    ok = qapi_input_start_object(in, errp);
    if (ok && (r = qapi_input_next_member(in, &key, errp)) != 0) {
        if (r > 0) {
            qapi_input_error_unexpected(in, errp);
        }
        ok = false;
    }
    return qmp_client_call_end(c, in, ok, errp);
}

bool qmp_client_send(QmpClient *c, QapiOutput *request, QapiError **errp)
{
    bool ok;

    if (!c) {
        qapi_output_free(request);
    }
    QAPI_ARG_CHECK(c, errp, "argument 'c' is NULL", false);
    ok = start_call(c, request, errp);

    c->pending_id = 0; /* no reply is due: drop any */
    return ok;
}

bool qmp_client_execute(QmpClient *c, const char *command, const char *args,
                        char **ret, QapiError **errp)
{
    QapiOutput *out;
    QapiInput *in;
    json_t *value = NULL;
    bool ok;

    QAPI_ARG_CHECK(c, errp, "argument 'c' is NULL", false);
    QAPI_ARG_CHECK(command, errp, "argument 'command' is NULL", false);
    if (args) {
        json_error_t jerr;

        value = json_loads(args, JSON_REJECT_DUPLICATES, &jerr);
        if (!json_is_object(value)) {
            json_decref(value);
            qapi_error_setg(errp, "Arguments of '%s' must be a JSON object",
                            command);
            return false;
        }
    }
    out = qmp_client_request(c, command, value != NULL);
    if (out && value) {
        qapi_output_any(out, value);
    }
    json_decref(value);
    value = NULL;
    in = qmp_client_call(c, out, errp);
    if (!in) {
        return false;
    }
    ok = qapi_input_any(in, &value, errp);
    ok = qmp_client_call_end(c, in, ok, errp);
    if (ok && ret) {
        *ret = json_dumps(value, JSON_COMPACT | JSON_ENCODE_ANY);
        if (!*ret) {
            qapi_error_setg(errp, "Out of memory");
            ok = false;
        }
    }
    json_decref(value);
    return ok;
}

bool qmp_client_negotiate(QmpClient *c, const char *const *enable,
                          QapiError **errp)
{
    QapiOutput *out =
        qmp_client_request(c, "qmp_capabilities", enable && *enable);

    if (out && enable && *enable) {
        qapi_output_start_object(out);
        qapi_output_member(out, "enable");
        qapi_output_start_array(out);
        for (; *enable; enable++) {
            qapi_output_str(out, *enable);
        }
        qapi_output_end_array(out);
        qapi_output_end_object(out);
    }
    return qmp_client_call_void(c, out, errp);
}

bool qmp_client_pass_fds(QmpClient *c, const int *fds, size_t n,
                         QapiError **errp)
{
    QAPI_ARG_CHECK(c, errp, "argument 'c' is NULL", false);
    QAPI_ARG_CHECK(fds || !n, errp, "argument 'fds' is NULL", false);
    if (n > MAX_FDS) {
        qapi_error_setg(errp, "Cannot pass %zu file descriptors (at most %d)",
                        n, MAX_FDS);
        return false;
    }
    if (n) {
        memcpy(c->fds, fds, n * sizeof(int));
    }
    c->n_fds = n;
    return true;
}

/* --- events ------------------------------------------------------------- */

static bool take_async_error(QmpClient *c, QapiError **errp)
{
    if (!c->async_err) {
        return false;
    }
    qapi_error_propagate(errp, c->async_err);
    c->async_err = NULL;
    return true;
}

/* Take the oldest queued event called @name (any if NULL). */
static QmpClientEvent *take_queued(QmpClient *c, const char *name)
{
    QueuedEvent *prev = NULL;
    QueuedEvent *q;

    for (q = c->head; q; prev = q, q = q->next) {
        QmpClientEvent *ev = q->ev;

        if (name && strcmp(ev->name, name)) {
            continue;
        }
        if (prev) {
            prev->next = q->next;
        } else {
            c->head = q->next;
        }
        if (c->tail == q) {
            c->tail = prev;
        }
        free(q);
        c->n_queued--;
        return ev;
    }
    return NULL;
}

bool qmp_client_next_event(QmpClient *c, QmpClientEvent **ev, QapiError **errp)
{
    QmpClientEvent *got;

    QAPI_ARG_CHECK(c, errp, "argument 'c' is NULL", false);
    if (take_async_error(c, errp) || !(got = take_queued(c, NULL))) {
        return false;
    }
    if (ev) {
        *ev = got;
    } else {
        qmp_client_event_free(got);
    }
    return true;
}

static bool got_event(const QmpClient *c)
{
    return c->waited || c->async_err;
}

int qmp_client_wait_event(QmpClient *c, const char *name, int timeout_ms,
                          QmpClientEvent **ev, QapiError **errp)
{
    QmpClientEvent *got;
    int r;

    QAPI_ARG_CHECK(c, errp, "argument 'c' is NULL", -1);
    if (take_async_error(c, errp)) {
        return -1;
    }
    got = take_queued(c, name);
    if (!got) {
        if (c->busy) {
            qapi_error_setg(errp, "The QMP client is busy: wait called "
                                  "from an event handler");
            return -1;
        }
        c->waiting = true;
        c->wait_name = name;
        c->busy = true;
        r = pump(c, got_event,
                 deadline_after(timeout_ms < 0 ? c->timeout_ms : timeout_ms));
        c->busy = false;
        c->waiting = false;
        got = c->waited;
        c->waited = NULL;
        if (!got) {
            if (take_async_error(c, errp)) {
                return -1;
            }
            if (r < 0) {
                qapi_error_propagate(errp, qapi_error_copy(c->conn_err));
            }
            return r < 0 ? -1 : 0;
        }
    }
    if (ev) {
        *ev = got;
    } else {
        qmp_client_event_free(got);
    }
    return 1;
}

void qmp_client_set_max_queue(QmpClient *c, size_t max)
{
    if (!c) {
        return;
    }
    c->max_queue = max ? max : DEFAULT_MAX_QUEUE;
}

uint64_t qmp_client_dropped_events(const QmpClient *c)
{
    return c ? c->dropped : 0;
}

bool qmp_client_set_handler(QmpClient *c, const char *name, QmpClientHandler *h)
{
    Handler *handlers;
    size_t i;

    if (!c || !name) {
        free(h); /* owned, whatever happens */
        return false;
    }
    for (i = 0; i < c->n_handlers; i++) {
        if (!strcmp(c->handlers[i].name, name)) {
            free(c->handlers[i].h);
            if (h) {
                c->handlers[i].h = h;
            } else {
                free(c->handlers[i].name);
                c->handlers[i] = c->handlers[--c->n_handlers];
            }
            return true;
        }
    }
    if (!h) {
        return true;
    }
    handlers = realloc(c->handlers, (c->n_handlers + 1) * sizeof(*handlers));
    if (!handlers) {
        free(h);
        return false;
    }
    c->handlers = handlers;
    handlers[c->n_handlers].name = strdup(name);
    if (!handlers[c->n_handlers].name) {
        free(h);
        return false;
    }
    handlers[c->n_handlers++].h = h;
    return true;
}

void qmp_client_set_error_handler(QmpClient *c, QmpClientErrorHandler *fn,
                                  void *opaque)
{
    if (!c) {
        return;
    }
    c->err_fn = fn;
    c->err_opaque = opaque;
}
