#!/bin/sh
# The client session of tests/qmp-session.py against QEMU and against our
# QMP server: the shapes of the answers (kinds, members, error classes,
# ids) must be the same.  Skipped (77) without qemu-system-x86_64
# (Debian: apt-get install qemu-system-x86); QEMU=... picks another.
srcdir=${srcdir:-.}
server=${QMP_TEST_SERVER:-tests/qmp-test-server}
qemu=${QEMU:-qemu-system-x86_64}
if ! command -v "$qemu" >/dev/null 2>&1; then
    echo "SKIP: $qemu not found"
    exit 77
fi
exec "${PYTHON:-python3}" "$srcdir/tests/qmp-session.py" --server "$server" \
    --qemu "$qemu"
