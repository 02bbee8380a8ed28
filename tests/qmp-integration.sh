#!/bin/sh
# A real client session against the QMP server (tests/qmp-test-server):
# greeting, negotiation, commands with ids, every error path, events to
# two clients, clients killed mid-message, garbage, a stalled client,
# oversized input, TCP, SCM_RIGHTS; the server must stay up, lose no
# event for live clients, and exit cleanly on SIGTERM.  See
# tests/qmp-session.py.  QMP_SERVER_WRAPPER (e.g. "valgrind -q
# --error-exitcode=1 --leak-check=full") runs the server under a tool.
srcdir=${srcdir:-.}
server=${QMP_TEST_SERVER:-tests/qmp-test-server}
exec "${PYTHON:-python3}" "$srcdir/tests/qmp-session.py" --server "$server" \
    --full
