#!/bin/sh
# Fresh captures, validated: a session with our QMP server
# (tests/qmp-test-server) against the bundled schema; vfio-migrate's
# stdout and a session with vfio-migrate --qmp against
# schema/harness.json; a session with QEMU against the bundled schema.
# QEMU's every query command is also held to QEMU 8.0's schema where
# ../shared has it: what differs is printed, not failed (the committed
# tests/validate/qemu-8.0 expectations pin it).
#
# Skipped (77) without qemu-system-x86_64 (QEMU=... picks another), once
# our own captures passed.
srcdir=${srcdir:-.}
PYTHON=${PYTHON:-python3}
server=${QMP_TEST_SERVER:-tests/qmp-test-server}
vfio=${VFIO_MIGRATE:-examples/vfio-migrate/vfio-migrate}
qemu=${QEMU:-qemu-system-x86_64}
record="$PYTHON $srcdir/tests/validate-record.py"
validate="$PYTHON $srcdir/generator/qapi-validate"
bundled=$srcdir/schema/qapi-schema.json
harness=$srcdir/schema/harness.json

tmp=$(mktemp -d "${TMPDIR:-/tmp}/validate-live.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
status=0

run() {  # NAME: the command after it must exit 0
    name=$1; shift
    if "$@"; then echo "ok - $name"; else echo "not ok - $name"; status=1; fi
}

run 'record our server' $record --server "$server" --introspect \
    "$tmp/server.jsonl"
run 'our server against the bundled schema' $validate -s "$bundled" \
    "$tmp/server.jsonl"
# Every query, without arguments: some need them, so the commands are
# not held to the schema, the replies are.
run 'record our server, every query' $record --server "$server" \
    --all-queries "$tmp/server-all.jsonl"
run 'its replies against the bundled schema' $validate -s --server-only \
    "$bundled" "$tmp/server-all.jsonl"
"$vfio" --size 1M --dirty-rate 64K --max-rounds 3 >"$tmp/vfio.jsonl" \
    2>"$tmp/vfio.err"
run 'vfio-migrate stdout against harness.json' $validate -s "$harness" \
    "$tmp/vfio.jsonl"
run 'record vfio-migrate --qmp' $record --vfio-migrate "$vfio" "$tmp/vfio-qmp.jsonl"
run 'vfio-migrate --qmp against harness.json' $validate -s "$harness" \
    "$tmp/vfio-qmp.jsonl"

if ! command -v "$qemu" >/dev/null 2>&1; then
    echo "SKIP: $qemu not found"
    [ $status -eq 0 ] && exit 77
    exit $status
fi
run 'record QEMU' $record --qemu "$qemu" --introspect "$tmp/qemu.jsonl"
run 'QEMU against the bundled schema' $validate -s "$bundled" "$tmp/qemu.jsonl"

shared=${QAPIC_SHARED:-$(cd "$srcdir/.." && pwd)/shared}
qemu80=$shared/qemu-schema/qapi-schema.json
if [ -f "$qemu80" ]; then
    run 'record QEMU, every query' $record --qemu "$qemu" --introspect \
        --all-queries "$tmp/qemu-all.jsonl"
    echo "# QEMU's replies and events that QEMU 8.0's schema does not allow:"
    $validate --server-only "$qemu80" "$tmp/qemu-all.jsonl" \
        | sed 's/\[[0-9]*\]/[N]/g' | uniq -c | sed 's/^/# /'
else
    echo "# $qemu80 absent: not checked against QEMU 8.0"
fi
exit $status
