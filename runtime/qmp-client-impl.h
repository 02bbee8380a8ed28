/*
 * Internals of the QMP client (runtime/qmp-client*.c), not installed.
 *
 * qmp-client.c holds the connection (reading, writing, waiting) and the
 * calls; qmp-client-msg.c reads what the server sends, strictly, and
 * hands it on: the greeting, replies to the waiting call, events to
 * their handlers or the queue, errors to the call or asynchronously.
 */
#ifndef QMP_CLIENT_IMPL_H
#define QMP_CLIENT_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "qapi/qmp-client.h"
#include "qmp-server-impl.h"

#define MAX_FDS 16
#define READ_SIZE 65536
#define DEFAULT_MAX_MESSAGE (64u << 20)
#define DEFAULT_MAX_QUEUE 4096

typedef enum ReplyState {
    REPLY_NONE,
    REPLY_RETURN, /* c->reply holds the message */
    REPLY_FAILED, /* c->reply_err says why */
} ReplyState;

typedef struct Handler {
    char *name;
    QmpClientHandler *h;
} Handler;

typedef struct QueuedEvent {
    struct QueuedEvent *next;
    QmpClientEvent *ev;
} QueuedEvent;

struct QmpClient {
    int fd;
    int timeout_ms;
    int trace_fd;
    QmpStreamer st;
    char *rbuf;
    size_t rpos, rlen;
    QapiError *conn_err; /* the connection is unusable, and why */
    bool busy;           /* in a call or a handler: no new call */
    bool in_garbage;     /* the last item was a parse error */

    bool greeted;
    char *greeting; /* its text, until a trace or a request takes it */
    size_t greeting_len;
    int64_t version[3];
    char *package;
    char **caps;
    size_t n_caps;

    int64_t next_id;
    int64_t pending_id; /* 0: no reply awaited */
    char cmd[64];       /* the command of the call, for messages */
    ReplyState reply_state;
    char *reply;
    size_t reply_len;
    QapiError *reply_err;

    int fds[MAX_FDS];
    size_t n_fds;

    Handler *handlers;
    size_t n_handlers;
    QueuedEvent *head, *tail;
    size_t n_queued, max_queue;
    uint64_t dropped;
    bool waiting;           /* qmp_client_wait_event() runs */
    const char *wait_name;  /* ... for this event (NULL: any) */
    QmpClientEvent *waited; /* ... and got it */

    QmpClientErrorHandler *err_fn;
    void *err_opaque;
    QapiError *async_err;
};

/* Write one message to the trace, after @dir ("-> " or "<- "). */
QMP_INTERNAL void qmp_client_trace(QmpClient *c, const char *dir,
                                   const char *text, size_t len);

/* Report @err (owned) to the error handler, or keep it (the first). */
QMP_INTERNAL void qmp_client_async_error(QmpClient *c, QapiError *err);

/* Fail the waiting call with @err (owned); asynchronous if none waits. */
QMP_INTERNAL void qmp_client_call_error(QmpClient *c, QapiError *err);

/* Handle one message from the server, @len bytes of JSON text. */
QMP_INTERNAL void qmp_client_handle_message(QmpClient *c, const char *text,
                                            size_t len);

/* An input over @text whose current value is member @member of the
 * root object, or NULL with an error set. */
QMP_INTERNAL QapiInput *qmp_client_input_at(const char *text, size_t len,
                                            const char *member,
                                            QapiError **errp);

#endif /* QMP_CLIENT_IMPL_H */
