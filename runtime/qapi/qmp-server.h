/*
 * qapi/qmp-server.h - a QMP server: QEMU's monitor protocol over Unix
 * and TCP sockets, on top of qapi/dispatch.h and qapi/event.h.
 *
 *   QmpCommandList *cmds = qmp_command_list_new();
 *   qmp_init_marshal(cmds);                    generated
 *   QmpServer *srv = qmp_server_new(cmds);     adds qmp_capabilities
 *   qmp_server_set_version(srv, 9, 1, 0, "my-vmm 1.2");
 *   qmp_server_listen_unix(srv, "/run/vmm/qmp.sock", &err);
 *   qmp_server_run(srv);                       until qmp_server_stop()
 *   qmp_server_free(srv);
 *
 * Protocol (docs/interop/qmp-spec.rst), as QEMU's monitor does it:
 *
 *   - On connection the server sends the greeting
 *       {"QMP": {"version": {"qemu": {"micro": U, "minor": N,
 *        "major": J}, "package": P}, "capabilities": [...]}}
 *     with capability "oob" only when qmp_server_set_oob() enabled it.
 *   - Until the client runs qmp_capabilities ({"enable": ["oob"]} is
 *     accepted only when offered: "Capability oob not available"), every
 *     other command fails with CommandNotFound "Expecting capabilities
 *     negotiation with 'qmp_capabilities'", and no event is sent; after
 *     it, qmp_capabilities fails with CommandNotFound "Capabilities
 *     negotiation is already complete, command ignored".  The server
 *     registers qmp_capabilities in the command list itself (replacing
 *     any marshaller of that name, e.g. one generated from QEMU's
 *     control.json).
 *   - Requests are answered in order, "id" echoed, with the errors of
 *     qmp_dispatch() (qapi/dispatch.h).  With capability "oob" enabled,
 *     "exec-oob" requests run as soon as they are read, ahead of in-band
 *     requests read before them and not yet run (up to 8 are queued,
 *     as in QEMU); OOB handlers run in the server's thread too, so they
 *     cannot overtake an in-band handler that is running.
 *   - Every event sent with the generated qapi_event_send_NAME() (the
 *     server is a sink of qapi/event.h) goes to every client past
 *     negotiation, in the order sent.
 *   - Messages from the server end with "\r\n" and are ASCII (non-ASCII
 *     characters escaped as \uXXXX), as QEMU's.
 *
 * Input is split into messages as QEMU's JSON streamer does: JSON
 * objects (and other values) separated by nothing or by white space;
 * QEMU's extensions 'single-quoted strings' and \' are accepted.  Garbage
 * gets QEMU's answers, e.g. {"error": {"class": "GenericError", "desc":
 * "JSON parse error, stray '@'"}}; after a lexical error input is skipped
 * up to the next structural character or control character (sending
 * 0x01, say, resets the parser, as qmp-spec.rst describes).  A non-object
 * value gets "QMP input must be a JSON object".  The connection stays up.
 *
 * Limits and policy (qmp_server_set_limits()):
 *
 *   - max_request (default 1 MiB): a message longer than this, counted
 *     from its first token, gets one error "JSON token size limit
 *     exceeded" (QEMU's text for its own 64 MiB limit); the rest of it is
 *     skipped, without keeping it in memory, and the next message is
 *     read normally.  Nesting deeper than 1024 is handled the same way
 *     ("JSON nesting depth limit exceeded").
 *   - max_backlog (default 16 MiB): output not yet taken by the client.
 *     A client that stops reading is not waited for: the server stops
 *     reading its requests while more than 64 KiB (or max_backlog / 2,
 *     if smaller) of its output is pending, so that its own responses
 *     cannot grow without bound; events keep coming, and a client whose
 *     pending output would exceed max_backlog is disconnected.  Events
 *     are never dropped for a client that stays connected.
 *   - max_clients (default 64): further connections are accepted and
 *     closed at once.  Out of file descriptors, the server stops
 *     accepting until one of its sessions closes.
 *
 * A client that disconnects, even in the middle of a message or with
 * output pending, is just closed; requests it completed before are
 * executed.  One that only shuts down its sending side still gets the
 * responses to those requests (but no more events) before the server
 * closes the connection.  Writes use MSG_NOSIGNAL: no SIGPIPE.  Nothing a
 * client sends can make the server abort.
 *
 * Threads: one thread drives the server, with qmp_server_run() or with
 * qmp_server_iterate() from the application's own loop (poll the fd of
 * qmp_server_get_fd() for POLLIN); command handlers run in that thread.
 * Events may be sent from any thread (the sink locks the server, and
 * writes straight to the sockets when it can).  qmp_server_stop() may be
 * called from any thread and from a signal handler.  Every other
 * function belongs to the driving thread (or to the time before it
 * starts and after it stopped).
 *
 * Linux only (epoll, eventfd).
 *
 * NULL or malformed arguments: an error, never a crash (qapi/error.h,
 * "Arguments").
 */
#ifndef QAPI_QMP_SERVER_H
#define QAPI_QMP_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "qapi/dispatch.h"
#include "qapi/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct QmpServer QmpServer;
typedef struct QmpSession QmpSession;

/*
 * A server for the commands of @cmds (which must outlive it); it
 * registers "qmp_capabilities" there and adds itself as an event sink.
 * Version 0.0.0, package "", no OOB until set.  NULL if out of memory or
 * out of file descriptors (errno tells).
 */
QmpServer *qmp_server_new(QmpCommandList *cmds);

/*
 * Close every connection (calling the session callback) and listening
 * socket (removing the Unix socket files it created), remove the event
 * sink, and free the server.  NULL is fine.  Not while qmp_server_run()
 * runs.
 */
void qmp_server_free(QmpServer *server);

/* The version in the greeting.  Returns 0, -1 if out of memory. */
int qmp_server_set_version(QmpServer *server, int64_t major, int64_t minor,
                           int64_t micro, const char *package);

/* Offer capability "oob" (default: not offered). */
void qmp_server_set_oob(QmpServer *server, bool offer);

/*
 * Dispatch flags for every request: QMP_DISPATCH_PRECONFIG,
 * QMP_DISPATCH_REJECT_DEPRECATED, QMP_DISPATCH_REJECT_UNSTABLE (the
 * others are per session and ignored here).  May be called from a
 * handler, e.g. x-exit-preconfig clearing QMP_DISPATCH_PRECONFIG; takes
 * effect from the next request.
 */
void qmp_server_set_dispatch_flags(QmpServer *server, unsigned flags);

/* The limits above; 0 keeps the default. */
void qmp_server_set_limits(QmpServer *server, size_t max_request,
                           size_t max_backlog, unsigned max_clients);

/*
 * Listen on Unix socket @path.  An existing socket file there is
 * replaced (as QEMU does); any other file is an error.  The file is
 * removed by qmp_server_free().  Returns 0, or -1 with an error set.
 */
int qmp_server_listen_unix(QmpServer *server, const char *path,
                           QapiError **errp);

/*
 * Listen on TCP @host (numeric address, NULL: 127.0.0.1) port @port
 * (0: any free port).  QMP has no authentication: keep to loopback
 * unless the network is trusted.  Returns the port listened on, or -1
 * with an error set.
 */
int qmp_server_listen_tcp(QmpServer *server, const char *host, int port,
                          QapiError **errp);

/*
 * Serve a connected stream socket (one end of a socketpair, say); the
 * server owns @fd from then on, even on failure.  Returns 0, or -1 if
 * out of memory, the client limit is reached, or @fd cannot be served
 * (not a descriptor epoll can watch; errno EINVAL if negative or
 * @server is NULL).
 */
int qmp_server_add_client(QmpServer *server, int fd);

/*
 * Serve until qmp_server_stop().  Returns 0 when stopped, -1 on a fatal
 * error of epoll_wait() (errno tells).  A stop requested before the call
 * makes it return at once; each request stops one run.
 */
int qmp_server_run(QmpServer *server);

/* Make qmp_server_run() return.  Async-signal-safe, any thread. */
void qmp_server_stop(QmpServer *server);

/*
 * For an application's own event loop: a file descriptor that polls
 * readable when the server has work; then call qmp_server_iterate(srv, 0).
 */
int qmp_server_get_fd(const QmpServer *server);

/*
 * Wait up to @timeout_ms (-1: forever, 0: not at all) for activity and
 * handle it: accept connections, read and execute requests, write
 * output.  Returns the number of file descriptors handled, 0 on timeout
 * or a stop request, -1 on error (errno tells; EINTR is not an error).
 */
int qmp_server_iterate(QmpServer *server, int timeout_ms);

/* Number of connected clients. */
unsigned qmp_server_client_count(QmpServer *server);

/*
 * Called with @connected true once a client got its greeting, with
 * @connected false just before its connection is closed.
 */
typedef void QmpSessionCallback(QmpSession *session, bool connected,
                                void *opaque);
void qmp_server_set_session_callback(QmpServer *server, QmpSessionCallback *fn,
                                     void *opaque);

/* --- for command handlers ------------------------------------------------- */

/* The session whose request is being handled in this thread, or NULL. */
QmpSession *qmp_session_current(void);

QmpServer *qmp_session_get_server(const QmpSession *session);

/* A number identifying the session, unique within its server (from 1). */
uint64_t qmp_session_get_id(const QmpSession *session);

/* True once qmp_capabilities enabled "oob" on the session. */
bool qmp_session_oob_enabled(const QmpSession *session);

/*
 * Take the oldest file descriptor the client sent with SCM_RIGHTS over a
 * Unix socket (the caller then owns it), or -1 if there is none: what
 * QEMU's getfd and add-fd use ("No file descriptor supplied via
 * SCM_RIGHTS").  Descriptors come with the bytes of a request; ones not
 * taken are closed when the client sends new ones, and when it goes.
 */
int qmp_session_take_fd(QmpSession *session);

/*
 * Data of the application's for @session, freed with @free_fn (unless
 * NULL) when replaced or when the session ends, after the session
 * callback.
 */
void qmp_session_set_opaque(QmpSession *session, void *opaque,
                            void (*free_fn)(void *));
void *qmp_session_get_opaque(const QmpSession *session);

/*
 * Close @session: after the response being built, if it is the current
 * session, else at the end of the server's current round.  Pending output
 * is written as far as the socket takes it without waiting.
 */
void qmp_session_close(QmpSession *session);

#ifdef __cplusplus
}
#endif

#endif /* QAPI_QMP_SERVER_H */
