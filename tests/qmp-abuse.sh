#!/bin/sh
# The QMP server (tests/qmp-test-server) under a scripted abuse session:
# random bytes, 100 MB lines, connect storms, clients that never read
# while events flood, all at once; a well-behaved client must be served
# throughout, memory and descriptors must stay bounded.  See
# tests/qmp-abuse.py.  This is the short session of "make check": every
# phase, with a 4 MiB backlog limit so that the non-readers reach it in
# a second; "make check-abuse" runs the full one with the defaults.
# In a sanitizer build (QAPI_SANITIZE_FLAGS, from tests/hardening.am) the
# memory figures are ASan's (quarantine, shadow): reported, not asserted.
srcdir=${srcdir:-.}
if [ -n "${QAPI_SANITIZE_FLAGS:-}" ]; then
    set -- --no-memory-bound "$@"
fi
server=${QMP_TEST_SERVER:-tests/qmp-test-server}
exec "${PYTHON:-python3}" "$srcdir/tests/qmp-abuse.py" --server "$server" \
    --limits 1048576,4194304,64 "$@"
