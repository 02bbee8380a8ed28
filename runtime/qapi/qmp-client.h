/*
 * qapi/qmp-client.h - a QMP client.
 *
 * The client side of the QMP protocol (qmp-spec.rst): it reads the
 * server's greeting, negotiates capabilities, sends commands with an "id"
 * of its own and waits for the reply carrying that id, and hands the
 * events that arrive meanwhile to handlers or queues them.  Generated
 * code (qapi-client-M.{h,c}) puts typed functions on top of it:
 *
 *   bool qmp_client_NAME(QmpClient *c, ARG..., RET *ret, QapiError **errp);
 *   bool qmp_client_on_NAME(QmpClient *c, CALLBACK *cb, void *opaque);
 *
 * Everything the server sends is checked strictly: replies and events
 * that do not fit the schema are errors naming the member path
 * ("return.name", "data.reason"), as are messages that fit no part of
 * the protocol.  Server-side errors come back with QEMU's class and desc
 * (qapi/error.h).
 *
 * Waiting: every wait (the greeting, a reply, an event, a send that the
 * server does not take) ends after the timeout given to the constructor,
 * -1 meaning no limit.  A call that timed out gives up its id: a reply
 * to it arriving later is dropped.
 *
 * Robustness: incoming messages are split as QEMU's JSON streamer does
 * and limited in size (qmp_client_set_max_message()); a malformed or
 * oversized message fails the call waiting for a reply, or is reported
 * asynchronously (below) when none waits (so are the further errors
 * the same garbage makes).  A reply whose id the client never sent is
 * dropped, as qmp-spec.rst says, and reported asynchronously.  When the
 * server closes the connection, or on an I/O error, the waiting call
 * and every later one fail with the reason.  Writes use MSG_NOSIGNAL:
 * no SIGPIPE.
 *
 * Asynchronous errors (an event that does not fit the schema, a
 * malformed message no call was waiting for, ...) go to the handler set
 * with qmp_client_set_error_handler(); without one, the first of them is
 * kept and makes the next qmp_client_wait_event() or
 * qmp_client_next_event() fail, so that nothing goes unreported.
 *
 * A client is used from one thread at a time.  Handlers run inside the
 * client's calls and must not make calls on the same client themselves
 * (such a call fails).  Linux (and BSD) only: Unix sockets, SCM_RIGHTS.
 *
 * NULL or malformed arguments: an error, never a crash (qapi/error.h,
 * "Arguments"); a generated qmp_client_NAME() given a NULL client fails
 * with "qmp_client_call: argument 'c' is NULL".
 */
#ifndef QAPI_QMP_CLIENT_H
#define QAPI_QMP_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "qapi/error.h"
#include "qapi/input.h"
#include "qapi/output.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct QmpClient QmpClient;

/* An event's "timestamp". */
typedef struct QmpEventTime {
    int64_t seconds;
    int64_t microseconds;
} QmpEventTime;

/*
 * Connect to the QMP server listening on Unix socket @path and read its
 * greeting.  @timeout_ms bounds this and every later wait (-1: none).
 * Returns NULL with an error set on failure.
 */
QmpClient *qmp_client_connect_unix(const char *path, int timeout_ms,
                                   QapiError **errp);

/*
 * The same over @fd, a connected stream socket (one end of a socketpair,
 * say); the client owns @fd from then on, even on failure.
 */
QmpClient *qmp_client_new_fd(int fd, int timeout_ms, QapiError **errp);

/* Close the connection, free queued events and handlers.  NULL is fine. */
void qmp_client_free(QmpClient *c);

/*
 * Write every message sent and received to @fd (-1: stop), one a line:
 * "-> " and the JSON text for client to server, "<- " for server to
 * client, as QEMU's documentation shows QMP sessions.  Malformed
 * messages are not written.  Set before the first command, the trace
 * starts with the greeting.  The client does not own @fd.
 */
void qmp_client_set_trace(QmpClient *c, int fd);

/*
 * The longest message accepted from the server, in bytes (0: the
 * default, 64 MiB).  Longer ones are skipped without being stored and
 * reported as errors.
 */
void qmp_client_set_max_message(QmpClient *c, size_t max);

/* --- the greeting ----------------------------------------------------- */

/* The greeting's QMP.version.qemu numbers and QMP.version.package
 * (borrowed, valid as long as the client). */
void qmp_client_get_version(const QmpClient *c, int64_t *major, int64_t *minor,
                            int64_t *micro, const char **package);

/* True if the greeting's QMP.capabilities lists @capability ("oob"). */
bool qmp_client_has_capability(const QmpClient *c, const char *capability);

/*
 * Leave capabilities negotiation mode: "qmp_capabilities", enabling the
 * capabilities of the NULL-terminated array @enable (NULL: none).
 */
bool qmp_client_negotiate(QmpClient *c, const char *const *enable,
                          QapiError **errp);

/* --- commands --------------------------------------------------------- */

/*
 * Send @fds (still owned by the caller; up to 16) with the next command,
 * as SCM_RIGHTS ancillary data: what getfd and add-fd take.
 * Returns false with an error if there are too many.
 */
bool qmp_client_pass_fds(QmpClient *c, const int *fds, size_t n,
                         QapiError **errp);

/*
 * Execute @command with @args (JSON text of an object, or NULL for
 * none), without a schema: on success, if @ret is not NULL, store the
 * reply's "return" value as compact JSON text (the caller frees it).
 * Both go through jansson, so their integers must fit int64.
 */
bool qmp_client_execute(QmpClient *c, const char *command, const char *args,
                        char **ret, QapiError **errp);

/*
 * For generated code.  A call is
 *
 *   out = qmp_client_request(c, NAME, with_args);
 *   (if with_args and out: write the arguments object to out)
 *   in = qmp_client_call(c, out, errp);            the return value, or NULL
 *   ok = qmp_client_call_end(c, in, qapi_in_T(in, &value, errp), errp);
 *
 * or qmp_client_call_void(c, out, errp) for a command without 'returns'
 * (the return value must be {}), or qmp_client_send(c, out, errp) for
 * one without a success response.  qmp_client_request() returns NULL
 * only when out of memory, which qmp_client_call() then reports.  The
 * input from qmp_client_call() reads the reply's "return" member (paths
 * "return..."); qmp_client_call_end() frees it, returns @ok, and, when
 * @ok is false, makes the error say which reply did not fit.  Between
 * the two, the client must not be used otherwise.
 */
QapiOutput *qmp_client_request(QmpClient *c, const char *command,
                               bool with_args);
QapiInput *qmp_client_call(QmpClient *c, QapiOutput *request, QapiError **errp);
bool qmp_client_call_end(QmpClient *c, QapiInput *ret, bool ok,
                         QapiError **errp);
bool qmp_client_call_void(QmpClient *c, QapiOutput *request, QapiError **errp);
bool qmp_client_send(QmpClient *c, QapiOutput *request, QapiError **errp);

/* --- events ----------------------------------------------------------- */

/*
 * An event as received: the whole message as JSON text (@json, @len),
 * its name and timestamp.
 */
typedef struct QmpClientEvent {
    char *name;
    QmpEventTime timestamp;
    char *json;
    size_t len;
} QmpClientEvent;

void qmp_client_event_free(QmpClientEvent *ev);

/*
 * Take the oldest queued event (an event without a handler); false if
 * there is none, or with an error set if an asynchronous error is
 * pending.  Does not wait or read.
 */
bool qmp_client_next_event(QmpClient *c, QmpClientEvent **ev, QapiError **errp);

/*
 * Read from the server until an event called @name (NULL: any event)
 * arrives or is already queued, or @timeout_ms pass (-1: the client's
 * timeout; 0: only what has arrived).  Events with a
 * handler are delivered as they arrive; the wait ends at one called
 * @name all the same.  Returns 1 and, if @ev is not NULL, stores the
 * event there (the caller frees it); it is taken off the queue.  Returns
 * 0 on timeout, -1 with an error set on an asynchronous error or a lost
 * connection.
 */
int qmp_client_wait_event(QmpClient *c, const char *name, int timeout_ms,
                          QmpClientEvent **ev, QapiError **errp);

/* Events queued, at most this many (0: the default, 4096); beyond it,
 * the oldest are dropped and counted. */
void qmp_client_set_max_queue(QmpClient *c, size_t max);
uint64_t qmp_client_dropped_events(const QmpClient *c);

/*
 * An event handler, as generated code builds it: @deliver decodes the
 * event's data from @data (the input is at member "data"; NULL when the
 * event has none) and calls the application's callback.  Allocated with
 * malloc(); the embedding structure holds the callback.  The client
 * checks that "data" is there exactly when @has_data says so.
 */
typedef struct QmpClientHandler QmpClientHandler;
struct QmpClientHandler {
    bool (*deliver)(QmpClient *c, const QmpClientHandler *h, QapiInput *data,
                    const QmpEventTime *ts, QapiError **errp);
    bool has_data;
};

/*
 * Make @h (the client owns it, even on failure) the handler of event
 * @name, replacing any before; NULL removes it.  Returns false only if
 * out of memory.
 */
bool qmp_client_set_handler(QmpClient *c, const char *name,
                            QmpClientHandler *h);

/* Where asynchronous errors go (@err is borrowed for the call). */
typedef void QmpClientErrorHandler(QmpClient *c, const QapiError *err,
                                   void *opaque);
void qmp_client_set_error_handler(QmpClient *c, QmpClientErrorHandler *fn,
                                  void *opaque);

#ifdef __cplusplus
}
#endif

#endif /* QAPI_QMP_CLIENT_H */
