/*
 * qmp-test-handlers.h - handlers for every command of the bundled schema
 * (schema/qapi-schema.json), for tests/qmp-test-server and bench/qmp.
 */
#ifndef QMP_TEST_HANDLERS_H
#define QMP_TEST_HANDLERS_H

#include <stdbool.h>

#include "qapi/qmp-server.h"

/* The name query-name reports (NULL: none); copied. */
void qmp_test_set_name(const char *name);

/*
 * The server the handlers act on (x-exit-preconfig changes its dispatch
 * flags).
 */
void qmp_test_set_server(QmpServer *server);

/*
 * True once "quit" ran: it stopped the server, and the program is to
 * send SHUTDOWN and exit.
 */
bool qmp_test_quit_requested(void);

/* Join the event threads started with "emit-thread", close stored fds. */
void qmp_test_handlers_cleanup(void);

#endif /* QMP_TEST_HANDLERS_H */
