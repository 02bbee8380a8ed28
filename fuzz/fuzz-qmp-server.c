/*
 * fuzz/fuzz-qmp-server.c - libFuzzer target: a whole QMP server session
 * (runtime/qmp-server.c, qmp-server-json.c) on arbitrary client bytes:
 * greeting, negotiation, the streamer's message splitting, limits, OOB,
 * dispatch to the marshallers of tests/dispatch-schema.json
 * (dispatch-handlers.c), events, pausing and resuming a client, response
 * writing, end of session.
 *
 * The server is driven in this thread with qmp_server_iterate(), its
 * client on a socketpair; no thread, no timer: each input runs the same
 * way every time.  Input: a 10-byte header, then the client's bytes.
 *
 *   byte 0   flags: 1 offer OOB; 2, 4, 8 dispatch flags PRECONFIG,
 *            REJECT_DEPRECATED, REJECT_UNSTABLE; 16 small socket buffers
 *            (4 KiB: the server's output backs up); 32 max_request
 *            64 + 8 * byte 1; 64 pass a file descriptor (SCM_RIGHTS)
 *            with the first write; 128 a lazy client, which reads only
 *            when its writes would block, and at the end
 *   byte 1   see flag 32
 *   2..9     four little-endian 16-bit offsets where the client's bytes
 *            are cut into separate writes (each followed by the server's
 *            turn), so that messages arrive in pieces
 *
 * echo-str's text makes its handler act on the session: "event..."
 * sends an event carrying the text, "close" closes the session,
 * "take-fd" takes a passed descriptor, "opaque" attaches data to the
 * session, "preconfig-done" clears QMP_DISPATCH_PRECONFIG.
 *
 * Properties checked besides the sanitizers':
 *
 *   - the output is lines of ASCII without control characters, each
 *     ending with CRLF: the greeting (offering "oob" exactly when
 *     enabled), then responses (an object with one of "return" and
 *     "error", and "id" at most) and events;
 *   - one response for each message or error the streamer makes of the
 *     whole input at once (qmp_streamer_feed(), same size limit), less
 *     the successful fire-and-forget calls: cutting the input anywhere
 *     changes nothing, and no request is lost or answered twice, however
 *     the client reads;
 *   - without OOB (and without fire-and-forget calls that succeeded,
 *     which leave a gap), the k-th response answers the k-th message:
 *     it carries the same "id", or none if the request had none; a
 *     parse error gets an error without "id";
 *   - every event a handler sent arrives (the session is negotiated
 *     while a handler runs);
 *   - the session ends once the client shut down its side and read
 *     everything (bounded number of turns: no livelock), with one
 *     connect and one disconnect callback; no file descriptor is left
 *     open.
 *
 * After "close" a session ends early: responses and events then count
 * at most as above, and the last line may be cut short.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "dispatch-handlers.h"
#include "fuzz.h"
#include "qapi/event.h"
#include "qapi/qmp-server.h"
#include "qmp-server-impl.h"

#define HEADER 10
#define NCUTS 4
/* Server turns without progress before the session counts as hung. */
#define MAX_TURNS 100000

enum {
    F_OOB = 1,
    F_PRECONFIG = 2,
    F_REJECT_DEPRECATED = 4,
    F_REJECT_UNSTABLE = 8,
    F_SMALL_BUFFERS = 16,
    F_MAX_REQUEST = 32,
    F_PASS_FD = 64,
    F_LAZY = 128,
};

/*
 * The "id" of a request or response: ID_NONE (none, or not an object),
 * ID_VALUE (in value), ID_UNKNOWN (not readable as a C value here: the
 * pair is not compared).
 */
enum { ID_NONE, ID_VALUE, ID_UNKNOWN, ID_PARSE_ERROR };
/* Or'ed into a response's state: it is an error. */
#define ID_ERROR 4

typedef struct Ids {
    int *state;
    json_t **value;
    size_t n, cap;
} Ids;

/* The state of one input (reset at its start). */
static struct {
    QmpServer *server;
    unsigned dispatch_flags;
    unsigned long events_sent;
    bool closed;
    unsigned connects, disconnects;
    /* what the client read */
    char *out;
    size_t out_len, out_cap;
    bool eof;
    /* the ids of the requests (whole input) and of the responses */
    Ids req_ids, rsp_ids;
} t;

static unsigned count_fds(void)
{
    DIR *d = opendir("/proc/self/fd");
    unsigned n = 0;

    FUZZ_CHECK(d != NULL, "cannot list /proc/self/fd");
    while (readdir(d)) {
        n++;
    }
    closedir(d);
    return n;
}

static void send_event(const char *text)
{
    QapiOutput *out = qapi_event_start("FUZZ_EVENT");

    FUZZ_CHECK(out != NULL, "qapi_event_start failed");
    qapi_output_member(out, "data");
    qapi_output_start_object(out);
    qapi_output_member(out, "text");
    qapi_output_str(out, text);
    qapi_output_end_object(out);
    qapi_event_send(out, "FUZZ_EVENT");
    t.events_sent++;
}

static void echo_hook(const char *text)
{
    QmpSession *ss = qmp_session_current();

    FUZZ_CHECK(ss != NULL, "no current session in a handler");
    FUZZ_CHECK(qmp_session_get_server(ss) == t.server, "wrong server");
    FUZZ_CHECK(qmp_session_get_id(ss) == 1, "session id %llu",
               (unsigned long long)qmp_session_get_id(ss));
    if (!strncmp(text, "event", 5)) {
        send_event(text);
    } else if (!strcmp(text, "close")) {
        qmp_session_close(ss);
        t.closed = true;
    } else if (!strcmp(text, "take-fd")) {
        int fd = qmp_session_take_fd(ss);

        if (fd >= 0) {
            close(fd);
        }
    } else if (!strcmp(text, "opaque")) {
        char *copy = strdup(text);

        FUZZ_CHECK(copy != NULL, "out of memory");
        qmp_session_set_opaque(ss, copy, free);
        FUZZ_CHECK(qmp_session_get_opaque(ss) == copy, "opaque lost");
    } else if (!strcmp(text, "preconfig-done")) {
        t.dispatch_flags &= ~(unsigned)QMP_DISPATCH_PRECONFIG;
        qmp_server_set_dispatch_flags(t.server, t.dispatch_flags);
    }
}

static void session_cb(QmpSession *ss, bool connected, void *opaque)
{
    (void)ss;
    (void)opaque;
    if (connected) {
        FUZZ_CHECK(!t.connects && !t.disconnects, "connected twice");
        t.connects++;
    } else {
        FUZZ_CHECK(t.connects == 1 && !t.disconnects, "disconnected twice");
        t.disconnects++;
    }
}

/* Read what the server sent, up to end of file or what is there now. */
static void drain(int fd)
{
    while (!t.eof) {
        ssize_t n;

        if (t.out_cap - t.out_len < 4096) {
            char *grown;

            t.out_cap = t.out_cap ? t.out_cap * 2 : 65536;
            grown = realloc(t.out, t.out_cap);
            FUZZ_CHECK(grown != NULL, "out of memory");
            t.out = grown;
        }
        n = recv(fd, t.out + t.out_len, t.out_cap - t.out_len, MSG_DONTWAIT);
        if (n > 0) {
            t.out_len += (size_t)n;
        } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
            t.eof = true; /* ECONNRESET after a close counts as the end */
        } else if (errno == EAGAIN) {
            return;
        }
    }
}

/* The server's turn: everything it can do now; with @read, the client
 * reads along. */
static void pump(int fd, bool read)
{
    unsigned turns = 0;

    for (;;) {
        int n = qmp_server_iterate(t.server, 0);

        FUZZ_CHECK(n >= 0, "qmp_server_iterate: %s", strerror(errno));
        if (read) {
            drain(fd);
        }
        if (n == 0) {
            return;
        }
        FUZZ_CHECK(++turns < MAX_TURNS, "the server does not settle");
    }
}

static bool write_chunk(int fd, const char *p, size_t len, bool lazy,
                        int pass_fd)
{
    unsigned turns = 0;

    while (len) {
        char cbuf[CMSG_SPACE(sizeof(int))];
        struct iovec iov = {(void *)p, len};
        struct msghdr msg;
        ssize_t n;

        memset(&msg, 0, sizeof(msg));
        msg.msg_iov = &iov;
        msg.msg_iovlen = 1;
        if (pass_fd >= 0) {
            struct cmsghdr *c;

            memset(cbuf, 0, sizeof(cbuf));
            msg.msg_control = cbuf;
            msg.msg_controllen = sizeof(cbuf);
            c = CMSG_FIRSTHDR(&msg);
            c->cmsg_level = SOL_SOCKET;
            c->cmsg_type = SCM_RIGHTS;
            c->cmsg_len = CMSG_LEN(sizeof(int));
            memcpy(CMSG_DATA(c), &pass_fd, sizeof(int));
        }
        n = sendmsg(fd, &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n > 0) {
            p += n;
            len -= (size_t)n;
            pass_fd = -1;
            pump(fd, !lazy);
        } else if (n < 0 && errno == EAGAIN) {
            /* The server is behind: let it read and the client read. */
            pump(fd, true);
            FUZZ_CHECK(++turns < MAX_TURNS, "the server reads no more");
        } else if (n < 0 && errno != EINTR) {
            /* EPIPE, ECONNRESET: the session was closed. */
            FUZZ_CHECK(t.closed, "write: %s, but no close requested",
                       strerror(errno));
            return false;
        }
    }
    return true;
}

static void ids_add(Ids *ids, int state, json_t *value)
{
    if (ids->n == ids->cap) {
        ids->cap = ids->cap ? 2 * ids->cap : 64;
        ids->state = realloc(ids->state, ids->cap * sizeof(*ids->state));
        ids->value = realloc(ids->value, ids->cap * sizeof(*ids->value));
        FUZZ_CHECK(ids->state && ids->value, "out of memory");
    }
    ids->state[ids->n] = state;
    ids->value[ids->n++] = value;
}

static void ids_free(Ids *ids)
{
    for (size_t i = 0; i < ids->n; i++) {
        json_decref(ids->value[i]);
    }
    free(ids->state);
    free(ids->value);
}

/* Append the top-level "id" of the JSON text @text to @ids. */
static void add_id_of(Ids *ids, const char *text, size_t len)
{
    QapiInput *in = qapi_input_new_text(text, len);
    QapiError *err = NULL;
    json_t *id = NULL;
    const char *key;
    int r, state = ID_NONE;

    FUZZ_CHECK(in != NULL, "no input");
    if (qapi_input_peek(in) != QAPI_JSON_OBJECT) {
        qapi_input_free(in);
        ids_add(ids, ID_NONE, NULL);
        return;
    }
    if (!qapi_input_start_object(in, &err)) {
        state = ID_UNKNOWN;
    }
    while (state != ID_UNKNOWN &&
           (r = qapi_input_next_member(in, &key, &err)) != 0) {
        if (r < 0) {
            state = ID_UNKNOWN;
        } else if (!strcmp(key, "id")) {
            state = qapi_input_any(in, &id, &err) ? ID_VALUE : ID_UNKNOWN;
        } else if (!qapi_input_skip(in, &err)) {
            state = ID_UNKNOWN;
        }
    }
    qapi_error_free(err);
    qapi_input_free(in);
    if (state == ID_UNKNOWN) {
        json_decref(id);
        id = NULL;
    }
    ids_add(ids, state, id);
}

/*
 * Responses and errors the streamer makes of the whole input at once;
 * the ids of its messages into t.req_ids (ID_PARSE_ERROR for an error).
 */
static unsigned long count_items(const char *text, size_t len,
                                 size_t max_request)
{
    QmpStreamer st;
    QmpStreamItem item;
    unsigned long items = 0;
    size_t pos = 0;

    qmp_streamer_init(&st, max_request);
    while (pos < len) {
        size_t n = qmp_streamer_feed(&st, text + pos, len - pos, &item);

        FUZZ_CHECK(n <= len - pos, "consumed more than given");
        FUZZ_CHECK(n || item.kind != QMP_STREAM_NONE, "no progress");
        pos += n;
        if (item.kind == QMP_STREAM_MESSAGE) {
            add_id_of(&t.req_ids, item.text, item.len);
        } else if (item.kind == QMP_STREAM_ERROR) {
            ids_add(&t.req_ids, ID_PARSE_ERROR, NULL);
        }
        if (item.kind != QMP_STREAM_NONE) {
            items++;
        }
    }
    qmp_streamer_destroy(&st);
    return items;
}

static void check_greeting(const char *line, bool oob)
{
    json_error_t jerr;
    json_t *g = json_loads(line, 0, &jerr);
    json_t *caps;

    FUZZ_CHECK(g != NULL, "greeting '%s': %s", line, jerr.text);
    caps = json_object_get(json_object_get(g, "QMP"), "capabilities");
    FUZZ_CHECK(json_is_array(caps) && json_array_size(caps) == (oob ? 1 : 0),
               "greeting '%s' with oob %d", line, oob);
    json_decref(g);
}

static void check_event(const char *line)
{
    json_error_t jerr;
    json_t *e = json_loads(line, 0, &jerr);
    json_t *ts;

    FUZZ_CHECK(e != NULL, "event '%s': %s", line, jerr.text);
    ts = json_object_get(e, "timestamp");
    FUZZ_CHECK(json_object_size(e) == 3 &&
                   json_is_string(json_object_get(e, "event")) &&
                   json_is_string(
                       json_object_get(json_object_get(e, "data"), "text")) &&
                   json_is_integer(json_object_get(ts, "seconds")) &&
                   json_is_integer(json_object_get(ts, "microseconds")),
               "bad event '%s'", line);
    json_decref(e);
}

/* The client's view of the session; returns the responses and events. */
static void check_output(bool oob, unsigned long *responses,
                         unsigned long *events)
{
    size_t pos = 0, lines = 0;

    *responses = *events = 0;
    while (pos < t.out_len) {
        const char *line = t.out + pos;
        const char *end = memchr(line, '\n', t.out_len - pos);
        size_t len, i;
        char *copy;

        if (!end) {
            /* Cut short: only when the session closed itself. */
            FUZZ_CHECK(t.closed, "output ends without CRLF");
            break;
        }
        len = (size_t)(end - line);
        FUZZ_CHECK(len >= 1 && line[len - 1] == '\r', "LF without CR");
        len--;
        for (i = 0; i < len; i++) {
            /* Printable ASCII: DEL and non-ASCII are escaped, as QEMU's
             * writer does (an echoed "id" included). */
            FUZZ_CHECK(line[i] >= 0x20 && line[i] < 0x7f,
                       "byte 0x%02x in output line %zu", (unsigned char)line[i],
                       lines);
        }
        copy = fuzz_strndup((const uint8_t *)line, len);
        if (lines == 0) {
            check_greeting(copy, oob);
        } else if (!strncmp(copy, "{\"event\":", 9)) {
            check_event(copy);
            (*events)++;
        } else {
            fuzz_check_response_text(copy, len);
            add_id_of(&t.rsp_ids, copy, len);
            if (!strncmp(copy, "{\"error\":", 9)) {
                t.rsp_ids.state[t.rsp_ids.n - 1] |= ID_ERROR;
            }
            (*responses)++;
        }
        free(copy);
        lines++;
        pos += len + 2;
    }
    FUZZ_CHECK(lines >= 1 || t.closed, "no greeting");
}

/*
 * Without OOB, responses come in the order of the requests: each
 * echoes its request's "id" (a parse error gets an error without one).
 */
static void check_ids(void)
{
    FUZZ_CHECK(t.req_ids.n == t.rsp_ids.n, "%zu requests, %zu responses",
               t.req_ids.n, t.rsp_ids.n);
    for (size_t i = 0; i < t.req_ids.n; i++) {
        int req = t.req_ids.state[i];
        int rsp = t.rsp_ids.state[i] & ~ID_ERROR;
        bool error = t.rsp_ids.state[i] & ID_ERROR;

        if (req == ID_PARSE_ERROR) {
            /* (unknown: an error text with \u0000, see
             * dispatch-handlers.c) */
            FUZZ_CHECK(error && rsp != ID_VALUE,
                       "response %zu to a parse error", i);
        } else if (req != ID_UNKNOWN && rsp != ID_UNKNOWN) {
            FUZZ_CHECK(req == rsp, "response %zu: id %s", i,
                       rsp == ID_VALUE ? "added" : "lost");
            FUZZ_CHECK(req == ID_NONE ||
                           json_equal(t.req_ids.value[i], t.rsp_ids.value[i]),
                       "response %zu: another id", i);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text;
    size_t len, max_request = 0, cuts[NCUTS + 2], i;
    unsigned flags, fds_before;
    unsigned long silent_before, expected, responses, events;
    QmpCommandList *cmds;
    int sv[2], pass_fd = -1;
    bool going = true;

    if (size < HEADER) {
        return 0;
    }
    flags = data[0];
    text = (const char *)data + HEADER;
    len = size - HEADER;
    if (flags & F_MAX_REQUEST) {
        max_request = 64 + 8 * (size_t)data[1];
    }
    /* Cut points, in order: 0, the four offsets (within the text), len. */
    fuzz_cuts(data + 2, NCUTS, len, cuts);

    memset(&t, 0, sizeof(t));
    fds_before = count_fds();
    silent_before = fuzz_silent_calls;
    fuzz_echo_hook = echo_hook;
    cmds = fuzz_dispatch_commands();
    t.server = qmp_server_new(cmds);
    FUZZ_CHECK(t.server != NULL, "qmp_server_new: %s", strerror(errno));
    qmp_server_set_version(t.server, 9, 2, 0, "fuzz");
    qmp_server_set_oob(t.server, flags & F_OOB);
    t.dispatch_flags =
        (flags & F_PRECONFIG ? QMP_DISPATCH_PRECONFIG : 0) |
        (flags & F_REJECT_DEPRECATED ? QMP_DISPATCH_REJECT_DEPRECATED : 0) |
        (flags & F_REJECT_UNSTABLE ? QMP_DISPATCH_REJECT_UNSTABLE : 0);
    qmp_server_set_dispatch_flags(t.server, t.dispatch_flags);
    qmp_server_set_limits(t.server, max_request, 0, 0);
    qmp_server_set_session_callback(t.server, session_cb, NULL);

    FUZZ_CHECK(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == 0,
               "socketpair: %s", strerror(errno));
    if (flags & F_SMALL_BUFFERS) {
        int small = 4096;

        for (i = 0; i < 2; i++) {
            setsockopt(sv[i], SOL_SOCKET, SO_SNDBUF, &small, sizeof(small));
            setsockopt(sv[i], SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
        }
    }
    FUZZ_CHECK(qmp_server_add_client(t.server, sv[0]) == 0,
               "qmp_server_add_client failed");
    if (flags & F_PASS_FD) {
        pass_fd = eventfd(0, EFD_CLOEXEC);
        FUZZ_CHECK(pass_fd >= 0, "eventfd: %s", strerror(errno));
    }

    for (i = 0; i + 1 < NCUTS + 2 && going; i++) {
        if (cuts[i + 1] == cuts[i]) {
            continue;
        }
        /* The descriptor travels with the first bytes. */
        going = write_chunk(sv[1], text + cuts[i], cuts[i + 1] - cuts[i],
                            flags & F_LAZY, pass_fd);
        if (pass_fd >= 0) {
            close(pass_fd);
            pass_fd = -1;
        }
    }
    if (pass_fd >= 0) {
        close(pass_fd); /* no byte to carry it */
    }

    /* The end: the client shuts down its side and reads it all. */
    shutdown(sv[1], SHUT_WR);
    for (i = 0; !t.eof; i++) {
        FUZZ_CHECK(qmp_server_iterate(t.server, 0) >= 0,
                   "qmp_server_iterate: %s", strerror(errno));
        drain(sv[1]);
        FUZZ_CHECK(i < MAX_TURNS, "the session does not end");
    }
    FUZZ_CHECK(qmp_server_client_count(t.server) == 0,
               "the session outlived its client");
    FUZZ_CHECK(t.connects == 1 && t.disconnects == 1,
               "%u connect(s), %u disconnect(s)", t.connects, t.disconnects);
    close(sv[1]);

    check_output(flags & F_OOB, &responses, &events);
    expected = count_items(text, len, max_request) -
               (fuzz_silent_calls - silent_before);
    if (t.closed) {
        FUZZ_CHECK(responses <= expected && events <= t.events_sent,
                   "%lu responses of %lu, %lu events of %lu", responses,
                   expected, events, t.events_sent);
    } else {
        FUZZ_CHECK(responses == expected, "%lu responses, %lu expected",
                   responses, expected);
        FUZZ_CHECK(events == t.events_sent, "%lu events of %lu", events,
                   t.events_sent);
        if (!(flags & F_OOB) && fuzz_silent_calls == silent_before) {
            check_ids();
        }
    }
    ids_free(&t.req_ids);
    ids_free(&t.rsp_ids);

    qmp_server_free(t.server);
    qmp_command_list_free(cmds);
    fuzz_echo_hook = NULL;
    free(t.out);
    FUZZ_CHECK(count_fds() == fds_before, "file descriptors leaked");
    return 0;
}
