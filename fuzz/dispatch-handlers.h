/*
 * fuzz/dispatch-handlers.h - the command handlers of
 * tests/dispatch-schema.json (generated with -p test-) and checks of
 * responses, shared by fuzz-dispatch and fuzz-qmp-server.
 */
#ifndef QAPI_FUZZ_DISPATCH_HANDLERS_H
#define QAPI_FUZZ_DISPATCH_HANDLERS_H

#include <stdbool.h>
#include <stddef.h>

#include "qapi/dispatch.h"

/*
 * A command list with every command of the schema, "raw-cmd" (gen:
 * false, allow-oob), query-commands, query-qmp-schema, and "slow"
 * disabled.  Free with qmp_command_list_free().
 */
QmpCommandList *fuzz_dispatch_commands(void);

/*
 * Called by echo-str with its text before anything else (NULL: not
 * called), so that a target can act on the caller from a handler.
 */
extern void (*fuzz_echo_hook)(const char *text);

/* fire-and-forget calls that succeeded, hence got no response. */
extern unsigned long fuzz_silent_calls;

/*
 * @rsp, @len bytes of JSON text, is a QMP response: an object with
 * either "return" or "error" ({"class": string, "desc": string}), and
 * "id" at most.  Read with libqapi's input, not jansson: a uint64 return
 * value can be out of jansson's range.  Aborts (FUZZ_CHECK) if not.
 */
void fuzz_check_response_text(const char *rsp, size_t len);

#endif /* QAPI_FUZZ_DISPATCH_HANDLERS_H */
