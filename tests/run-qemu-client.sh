#!/bin/sh
# make check-qemu: the typed client of the bundled schema against
# Debian's qemu-system-x86_64 (tests/check-qemu-client.c says what it
# runs and checks).  QEMU starts paused with no machine:
#
#   qemu-system-x86_64 -M none -nodefaults -display none -name qapi-c \
#       -qmp unix:SOCKET,server=on,wait=off -S
#
# The client's trace then goes through generator/qapi-validate, when it
# exists, which reports every message that does not fit the schema with
# its member paths.  QEMU is killed and its directory removed however
# this ends.  Exit status 77 (skipped) without QEMU.
CHECK_QEMU_CLIENT=${CHECK_QEMU_CLIENT:-tests/check-qemu-client}
PYTHON=${PYTHON:-python3}
srcdir=${srcdir:-.}
QEMU=${QEMU:-qemu-system-x86_64}

if ! command -v "$QEMU" >/dev/null 2>&1; then
    echo "SKIP: check-qemu: no $QEMU (Debian package qemu-system-x86)"
    exit 77
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/check-qemu.XXXXXX") || exit 1
qemu_pid=
cleanup() {
    if [ -n "$qemu_pid" ]; then
        kill -9 "$qemu_pid" 2>/dev/null
        wait "$qemu_pid" 2>/dev/null
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

"$QEMU" -M none -nodefaults -display none -name qapi-c \
    -qmp "unix:$tmp/qmp.sock,server=on,wait=off" -S \
    </dev/null >"$tmp/qemu.log" 2>&1 &
qemu_pid=$!

# The client bounds each wait by itself (10 s); timeout(1) bounds the
# whole in case the client itself misbehaves.
run=
command -v timeout >/dev/null 2>&1 && run="timeout 60"
status=0
$run "$CHECK_QEMU_CLIENT" "$tmp/qmp.sock" "$tmp/trace" || status=1

# After quit QEMU leaves by itself; give it 5 s.
i=0
while kill -0 "$qemu_pid" 2>/dev/null && [ $i -lt 50 ]; do
    sleep 0.1
    i=$((i + 1))
done
if kill -0 "$qemu_pid" 2>/dev/null; then
    echo "FAIL: QEMU still runs after quit"
    status=1
else
    wait "$qemu_pid"
    qemu_status=$?
    qemu_pid=
    if [ $qemu_status -ne 0 ]; then
        echo "FAIL: QEMU exit status $qemu_status"
        status=1
    fi
fi
if [ $status -ne 0 ] && [ -s "$tmp/qemu.log" ]; then
    echo "QEMU's output:"
    cat "$tmp/qemu.log"
fi

validate=$srcdir/generator/qapi-validate
if [ -f "$validate" ] && [ -s "$tmp/trace" ]; then
    if "$PYTHON" "$validate" "$srcdir/schema/qapi-schema.json" "$tmp/trace"
    then
        echo "ok: qapi-validate accepts the session"
    else
        echo "FAIL: qapi-validate on the session (trace above)"
        status=1
    fi
elif [ ! -f "$validate" ]; then
    echo "note: no $validate; the session is not validated"
fi
if [ $status -ne 0 ] && [ -s "$tmp/trace" ]; then
    echo "The session:"
    cat "$tmp/trace"
fi
[ $status -eq 0 ] && echo "check-qemu: passed against $("$QEMU" --version | head -1)"
exit $status
