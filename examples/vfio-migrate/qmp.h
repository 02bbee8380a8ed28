/*
 * qmp.h - vfio-migrate's --qmp: the harness on a QMP socket.
 *
 * vfio_migrate_qmp_start() is called once the devices exist and the event
 * sinks are installed, before the migration starts.  It serves the
 * commands of schema/harness.json (the QmpCommandList that the generated
 * qmp_init_marshal() fills, with the handlers of harness-qmp.c, bound to
 * @h) with libqapi's QMP server on the Unix socket @path, and returns
 * once a client is ready: it has negotiated and run its first harness
 * command (query-vfio-harness-devices, say).  The server is an event
 * sink, added after stdout's: from then on every negotiated client gets
 * the events stdout shows, in the same order.
 *
 * Everything runs in the calling thread: while the migration runs the
 * server is not driven (events are still written to the clients, or
 * queued and written later; requests wait).  vfio_migrate_qmp_stop()
 * then serves until every client has disconnected, or for at most
 * @linger seconds (< 0: no limit), and frees the server (removing the
 * socket file).  SIGINT and SIGTERM end either wait.
 */
#ifndef VFIO_MIGRATE_QMP_H
#define VFIO_MIGRATE_QMP_H

#include "harness.h"

/*
 * 0, or -errno: -EINTR when a signal ended the wait for a client (the
 * server is then freed), another one when the server could not start
 * (the reason was printed on stderr).
 */
int vfio_migrate_qmp_start(const char *path, VfioHarness *h);
void vfio_migrate_qmp_stop(VfioHarness *h, double linger);

#endif /* VFIO_MIGRATE_QMP_H */
