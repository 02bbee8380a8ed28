#!/bin/sh
# The typed client against vfio-migrate --qmp: the events it decodes
# (tests/check-qmp-client-vfio) equal, in order, those vfio-migrate prints on
# stdout; and its trace passes qapi-validate against schema/harness.json
# when generator/qapi-validate exists.
#
# VFIO_MIGRATE, CHECK_QMP_CLIENT_VFIO and PYTHON come from the test
# environment (vfio.am, client.am).
VFIO_MIGRATE=${VFIO_MIGRATE:-examples/vfio-migrate/vfio-migrate}
CHECK_QMP_CLIENT_VFIO=${CHECK_QMP_CLIENT_VFIO:-tests/check-qmp-client-vfio}
PYTHON=${PYTHON:-python3}
srcdir=${srcdir:-.}

command -v "$PYTHON" >/dev/null 2>&1 || {
    echo "SKIP: no $PYTHON"
    exit 77
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vfio-client.XXXXXX") || exit 1
pid=
cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

"$VFIO_MIGRATE" --qmp "$tmp/qmp.sock" --size 1M --dirty-rate 64K \
    --max-rounds 3 --json >"$tmp/stdout" 2>"$tmp/stderr" &
pid=$!
if ! "$CHECK_QMP_CLIENT_VFIO" "$tmp/qmp.sock" "$tmp/events" "$tmp/trace"; then
    echo "FAIL: the client; vfio-migrate's stderr:"
    cat "$tmp/stderr"
    exit 1
fi
# vfio-migrate leaves once its client has gone.
wait "$pid"
rc=$?
pid=
if [ $rc -ne 0 ]; then
    echo "FAIL: vfio-migrate exit $rc"
    cat "$tmp/stderr"
    exit 1
fi

"$PYTHON" - "$tmp/events" "$tmp/stdout" <<'PY' || exit 1
import json
import sys

client = [json.loads(line) for line in open(sys.argv[1])]
printed = [json.loads(line) for line in open(sys.argv[2])]
assert "summary" in printed[-1], printed[-1]
printed = printed[:-1]
assert len(client) >= 10, client
if client != printed:
    for i, (a, b) in enumerate(zip(client, printed)):
        if a != b:
            print("FAIL: event %d differs:\n  client %s\n  stdout %s" % (i, a, b))
            break
    print("FAIL: %d events decoded, %d printed" % (len(client), len(printed)))
    sys.exit(1)
print("ok: %d events decoded by the client, equal to stdout" % len(client))
PY

validate=$srcdir/generator/qapi-validate
if [ -f "$validate" ]; then
    if ! "$PYTHON" "$validate" "$srcdir/schema/harness.json" "$tmp/trace"; then
        echo "FAIL: qapi-validate on the client's trace"
        exit 1
    fi
    echo "ok: qapi-validate accepts the trace"
else
    echo "note: no $validate; the trace is not validated"
fi
