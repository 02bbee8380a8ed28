#!/bin/sh
# vfio-migrate as the README runs it: every flag combination migrates and
# is verified (exit 0), its stdout is the QMP event stream as JSON lines
# (then, with --json, the summary object); an injected fault makes it
# fail (exit 1) with the error in the summary; bad usage exits 2.
#
# VFIO_MIGRATE and PYTHON come from the test environment (vfio.am).
VFIO_MIGRATE=${VFIO_MIGRATE:-examples/vfio-migrate/vfio-migrate}
PYTHON=${PYTHON:-python3}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vfio-migrate.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
status=0

fail() {
    echo "FAIL: $*" >&2
    status=1
}

# check_output FILE VERDICT: every line JSON, events then one summary.
check_output() {
    "$PYTHON" - "$1" "$2" <<'PY' || return 1
import json, sys
lines = open(sys.argv[1]).read().splitlines()
objs = [json.loads(line) for line in lines]
events, summary = objs[:-1], objs[-1]["summary"]
assert summary["verdict"] == sys.argv[2], summary
assert summary["events"] == len(events), (summary["events"], len(events))
for e in events:
    assert e["event"] in ("VFIO_MIGRATION", "VFIO_MIGRATION_PREPARE"), e
    assert set(e["data"]) == {"device-id", "qom-path", "device-state"}, e
    assert set(e["timestamp"]) == {"seconds", "microseconds"}, e
# Every VFIO_MIGRATION_PREPARE is answered by a VFIO_MIGRATION of the
# same device before that device's next PREPARE.
pending = {}
for e in events:
    dev = e["data"]["device-id"]
    if e["event"] == "VFIO_MIGRATION_PREPARE":
        pending[dev] = pending.get(dev, 0) + 1
    else:
        pending[dev] = 0
if sys.argv[2] == "verified":
    assert not any(pending.values()), pending
    last = {}
    for e in events:
        if e["event"] == "VFIO_MIGRATION":
            last[e["data"]["device-id"]] = e["data"]["device-state"]
    assert last == {"vfio-src0": "stop", "vfio-dst0": "running"}, last
    assert summary["src-hash"] == summary["dst-hash"], summary
    assert summary["bytes"] >= summary["state-size"], summary
PY
}

for flags in stop-copy p2p pre-copy all; do
    echo "+ vfio-migrate --size 3M --flags $flags --dirty-rate 64K --json"
    "$VFIO_MIGRATE" --size 3M --flags "$flags" --dirty-rate 64K --json \
        >"$tmp/out" 2>"$tmp/err"
    rc=$?
    [ $rc -eq 0 ] || fail "--flags $flags: exit $rc: $(cat "$tmp/err")"
    check_output "$tmp/out" verified || fail "--flags $flags: bad output"
done

# The human summary goes to stderr; stdout stays pure JSON lines.
echo "+ vfio-migrate --size 1M"
"$VFIO_MIGRATE" --size 1M >"$tmp/out" 2>"$tmp/err" || fail "plain run"
grep -q 'verdict: *verified' "$tmp/err" || fail "no verdict on stderr"
"$PYTHON" -c 'import json, sys
[json.loads(l) for l in open(sys.argv[1])]' "$tmp/out" ||
    fail "stdout is not JSON lines"

# Faults: the destination refuses the stream; the run fails.
for fault in corrupt:5000 truncate:70000 bad-version overlong:3; do
    echo "+ vfio-migrate --size 1M --fault $fault --json"
    "$VFIO_MIGRATE" --size 1M --fault "$fault" --json >"$tmp/out" 2>&1
    rc=$?
    [ $rc -eq 1 ] || fail "--fault $fault: exit $rc, want 1"
    check_output "$tmp/out" failed || fail "--fault $fault: bad output"
done
echo "+ vfio-migrate --size 1M --flags stop-copy --fail-arc src:stop:stop-copy:EIO"
"$VFIO_MIGRATE" --size 1M --flags stop-copy --fail-arc src:stop:stop-copy:EIO \
    --json >"$tmp/out" 2>&1
[ $? -eq 1 ] || fail "--fail-arc: want exit 1"
grep -q '"errno":5' "$tmp/out" || fail "--fail-arc: EIO not reported"

# Emission off for one device.
"$VFIO_MIGRATE" --size 1M --no-events=src >"$tmp/out" 2>/dev/null ||
    fail "--no-events=src"
if grep -q '"vfio-src0"' "$tmp/out"; then
    fail "--no-events=src: source events printed"
fi
grep -q '"vfio-dst0"' "$tmp/out" || fail "--no-events=src: no dst events"

# Usage.
"$VFIO_MIGRATE" --help >/dev/null || fail "--help"
"$VFIO_MIGRATE" --flags p3p >/dev/null 2>&1
[ $? -eq 2 ] || fail "bad --flags: want exit 2"
"$VFIO_MIGRATE" --fail-arc src:running:resuming >/dev/null 2>&1
[ $? -eq 2 ] || fail "--fail-arc on a non-arc: want exit 2"

exit $status
