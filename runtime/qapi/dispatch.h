/*
 * qapi/dispatch.h - QMP command registry and dispatcher.
 *
 * Modelled on QEMU's qapi/qmp/dispatch.h.  Generated code
 * (qapi-commands-M.{h,c}) provides, for each command NAME of the schema,
 *
 *   RET qmp_NAME(ARG..., QapiError **errp);       implemented by the user
 *   void qmp_marshal_NAME(QapiInput *args, QapiOutput *out,
 *                         QapiError **errp);      generated
 *   void qmp_init_marshal(QmpCommandList *cmds);  registers them all
 *
 * and this runtime takes one QMP request, runs the command and builds the
 * response, with QEMU's error classes and messages:
 *
 *   QmpCommandList *cmds = qmp_command_list_new();
 *   qmp_init_marshal(cmds);                  (PREFIXqmp_init_marshal)
 *   qmp_register_query_commands(cmds, QMP_CMD_ALLOW_PRECONFIG);
 *   ...
 *   if (qmp_dispatch(cmds, line, len, flags, session, &rsp, &rsp_len) > 0)
 *       send rsp, then free(rsp);
 *
 * Requests are {"execute": NAME, "arguments": {...}, "id": ANY} (or
 * "exec-oob" instead of "execute", when QMP_DISPATCH_ALLOW_OOB is given);
 * responses {"return": VALUE, "id": ANY} or
 * {"error": {"class": CLASS, "desc": TEXT}, "id": ANY}, "id" only when the
 * request had one, echoed verbatim.
 *
 * Errors, in the order they are checked (all GenericError unless noted):
 *
 *   JSON parse error at byte N: ...          (malformed text; no id)
 *   QMP input must be a JSON object          (no id)
 *   QMP input member 'execute' must be a string   (also 'exec-oob')
 *   QMP input member 'exec-oob' clashes with 'execute'   (or vice versa)
 *   QMP input member 'arguments' must be an object
 *   QMP input member 'X' is unexpected       (any other key; 'exec-oob'
 *                                             without QMP_DISPATCH_ALLOW_OOB)
 *   QMP input lacks member 'execute'
 *   The command NAME has not been found                  CommandNotFound
 *   Deprecated command NAME disabled by policy           CommandNotFound
 *   Unstable command NAME disabled by policy             CommandNotFound
 *   Command NAME has been disabled[: REASON]             CommandNotFound
 *   The command NAME does not support OOB
 *   The command 'NAME' is permitted only after machine initialization
 *       has completed                         (QMP_DISPATCH_PRECONFIG)
 *   argument errors (qapi/input.h), paths relative to "arguments":
 *       Parameter 'x' is missing, Parameter 'a.b' is unexpected,
 *       Invalid parameter type for 'x', expected: integer, ...
 *   whatever the command's handler reports
 *
 * In capabilities negotiation mode (QMP_DISPATCH_NEGOTIATION) only
 * "qmp_capabilities" can be found, and the message of every
 * CommandNotFound error becomes "Expecting capabilities negotiation with
 * 'qmp_capabilities'", as QEMU's monitor does.
 *
 * A command list is not locked: register, unregister, enable and disable
 * commands from one thread, or under the application's own lock; any
 * number of threads may dispatch on a list nobody modifies meanwhile.
 *
 * NULL or malformed arguments: an error, never a crash (qapi/error.h,
 * "Arguments").
 */
#ifndef QAPI_DISPATCH_H
#define QAPI_DISPATCH_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "qapi/error.h"
#include "qapi/input.h"
#include "qapi/lit.h"
#include "qapi/output.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct QmpCommandList QmpCommandList;
typedef struct QmpCommand QmpCommand;

/*
 * A command's marshaller.  @args is an input whose root value is the
 * "arguments" object (an empty object when the request had none); the
 * marshaller reads it strictly and, on success, writes exactly one value
 * to @out: the return value, {} for a command without one.  Writing
 * nothing also yields {}.  On failure it sets an error; what it wrote to
 * @out is then discarded.  Generated qmp_marshal_NAME() are of this type.
 */
typedef void QmpCommandFunc(QapiInput *args, QapiOutput *out, QapiError **errp);

/* The same, with the pointer given at registration. */
typedef void QmpCommandDataFunc(QapiInput *args, QapiOutput *out, void *opaque,
                                QapiError **errp);

/*
 * Command options: QEMU's QCO_* flags (same values), and the special
 * features of the command (QEMU passes those separately).
 */
enum {
    QMP_CMD_NO_SUCCESS_RESP = 1u << 0, /* 'success-response': false */
    QMP_CMD_ALLOW_OOB = 1u << 1,       /* 'allow-oob': true */
    QMP_CMD_ALLOW_PRECONFIG = 1u << 2, /* 'allow-preconfig': true */
    QMP_CMD_COROUTINE = 1u << 3,       /* 'coroutine': true (recorded
                                          only: handlers run synchronously) */
    QMP_CMD_DEPRECATED = 1u << 4,      /* feature 'deprecated' */
    QMP_CMD_UNSTABLE = 1u << 5,        /* feature 'unstable' */
};

/* An empty list; NULL if out of memory. */
QmpCommandList *qmp_command_list_new(void);
/* Free the list and its commands; NULL is fine. */
void qmp_command_list_free(QmpCommandList *cmds);
/*
 * True if a registration on @cmds ran out of memory (qmp_init_marshal()
 * returns nothing, as in QEMU: check this after it).
 */
bool qmp_command_list_failed(const QmpCommandList *cmds);

/*
 * Register command @name (copied) with marshaller @fn and QMP_CMD_* flags
 * @options, enabled.  Registering a name again replaces its marshaller
 * and options (keeping its place in the list) and enables it: this is
 * how an application overrides a generated marshaller, e.g. with
 * qmp_register_query_commands() after qmp_init_marshal().
 * Returns 0, or -1 if out of memory (qmp_command_list_failed() is then
 * true) or an argument is NULL.
 */
int qmp_register_command(QmpCommandList *cmds, const char *name,
                         QmpCommandFunc *fn, unsigned options);
int qmp_register_command_data(QmpCommandList *cmds, const char *name,
                              QmpCommandDataFunc *fn, void *opaque,
                              unsigned options);
/* Remove command @name; returns 0, or -1 if there is none. */
int qmp_unregister_command(QmpCommandList *cmds, const char *name);

/*
 * Disable command @name: requests for it fail with CommandNotFound
 * "Command NAME has been disabled" (": REASON" appended when @reason is
 * not NULL; it is copied).  Returns 0, or -1 if there is no such command
 * or memory ran out.
 */
int qmp_disable_command(QmpCommandList *cmds, const char *name,
                        const char *reason);
int qmp_enable_command(QmpCommandList *cmds, const char *name);

/* The command called @name, or NULL.  Valid until it is unregistered or
 * the list freed. */
const QmpCommand *qmp_find_command(const QmpCommandList *cmds,
                                   const char *name);
const char *qmp_command_name(const QmpCommand *cmd);
unsigned qmp_command_options(const QmpCommand *cmd);
bool qmp_command_is_enabled(const QmpCommand *cmd);
/* The reason given to qmp_disable_command(), or NULL. */
const char *qmp_command_disable_reason(const QmpCommand *cmd);
bool qmp_has_success_response(const QmpCommand *cmd);

/* Call @fn for every command, enabled or not, in registration order. */
typedef void QmpCommandCallback(const QmpCommand *cmd, void *opaque);
void qmp_for_each_command(const QmpCommandList *cmds, QmpCommandCallback *fn,
                          void *opaque);

/* Flags of one dispatch: the state of the QMP session. */
enum {
    /* Accept "exec-oob" (the client enabled capability "oob"). */
    QMP_DISPATCH_ALLOW_OOB = 1u << 0,
    /* Capabilities negotiation mode: only "qmp_capabilities" exists. */
    QMP_DISPATCH_NEGOTIATION = 1u << 1,
    /* Before machine initialization: only 'allow-preconfig' commands. */
    QMP_DISPATCH_PRECONFIG = 1u << 2,
    /* QEMU's -compat deprecated-input=reject, unstable-input=reject. */
    QMP_DISPATCH_REJECT_DEPRECATED = 1u << 3,
    QMP_DISPATCH_REJECT_UNSTABLE = 1u << 4,
};

/*
 * Execute one request, @len bytes of JSON text at @request (need not be
 * NUL-terminated).  Returns 1 and stores the response in *response, a
 * NUL-terminated string of compact JSON (without a newline) the caller
 * frees, and its length in *response_len if that is not NULL; returns 0
 * and stores NULL when no response is due (a successful command with
 * QMP_CMD_NO_SUCCESS_RESP); returns -1 and stores NULL if memory ran out,
 * or with errno EINVAL if @response is NULL (a NULL @cmds is an empty list,
 * a NULL @request the empty text).
 *
 * Arguments are read straight from the text, so that every int64 and
 * uint64 value is exact.  The "id" is echoed as the client wrote it,
 * white space outside strings removed.  Duplicate keys: inside
 * "arguments" the generated unmarshallers reject them ("Parameter 'x' is
 * duplicated"); among the request's own members ("execute", "id", ...)
 * the last one counts.  QEMU never gets that far: its JSON parser
 * rejects duplicate keys anywhere, and so does the QMP server
 * (qapi/qmp-server.h) before it calls this.
 *
 * @ctx is returned by qmp_dispatch_context() while the handler runs
 * (QEMU's monitor_cur()): a QMP server passes its session.
 */
int qmp_dispatch(const QmpCommandList *cmds, const char *request, size_t len,
                 unsigned flags, void *ctx, char **response,
                 size_t *response_len);

/*
 * The same for a request that is a jansson value (borrowed); the
 * response is a new jansson value.  Arguments are read with
 * qapi_input_new_json(), return values written with
 * qapi_output_new_json() (see qapi/output.h about uint64).
 */
int qmp_dispatch_json(const QmpCommandList *cmds, json_t *request,
                      unsigned flags, void *ctx, json_t **response);

/* The @ctx of the innermost dispatch running in this thread, or NULL. */
void *qmp_dispatch_context(void);

/*
 * True if @request (@len bytes of JSON text) is an object with member
 * "exec-oob" and without "execute": what a server executes out of band
 * (QEMU's qmp_is_oob()).  False for anything else, malformed text too.
 */
bool qmp_is_oob(const char *request, size_t len);

/*
 * {"error": {"class": CLASS, "desc": MESSAGE}} for @err, as a string the
 * caller frees (its length in *len if not NULL), or NULL if out of
 * memory: for errors a server detects before dispatching (the JSON
 * streamer's, say).
 */
char *qmp_error_response(const QapiError *err, size_t *len);

/*
 * Built-in commands, registered on request:
 *
 * query-commands: the enabled commands of @cmds as QEMU's CommandInfo
 * list, [{"name": "..."}, ...], most recently registered first (QEMU's
 * order).  An application using QEMU's schema registers it after
 * qmp_init_marshal(), replacing the generated marshaller of the
 * schema's query-commands.
 *
 * query-qmp-schema: @schema, typically the generated qmp_schema_qlit
 * (qapi-introspect.h), which must outlive the registration.
 *
 * QEMU's schema gives both QMP_CMD_ALLOW_PRECONFIG.  Return as
 * qmp_register_command().
 */
int qmp_register_query_commands(QmpCommandList *cmds, unsigned options);
int qmp_register_query_qmp_schema(QmpCommandList *cmds, const QapiLit *schema,
                                  unsigned options);

/*
 * For generated marshallers of commands without arguments: check that
 * @args is an empty object ("Parameter 'x' is unexpected" otherwise).
 */
bool qmp_marshal_no_args(QapiInput *args, QapiError **errp);

#ifdef __cplusplus
}
#endif

#endif /* QAPI_DISPATCH_H */
