#!/bin/sh
# Runs one libFuzzer target for a bounded time: what "make check-fuzz"
# does for each (tests/hardening.am).  From the top of the build tree:
#
#   sh fuzz/run-fuzzer.sh NAME PROGRAM
#
# NAME is the target's name (types, input, dispatch, ...), PROGRAM its
# binary.  Environment: FUZZ_SECONDS (default 60), FUZZ_TIMEOUT (seconds
# one input may take, default 10), FUZZ_FLAGS (more libFuzzer options),
# srcdir (the source tree, default: this script's parent).
#
# The corpus: fuzz/work/NAME/ in the build tree, where libFuzzer adds what
# it finds (kept between runs), then the seeds of fuzz/corpus/NAME/ in the
# source tree (read only).  Dictionary: fuzz/NAME.dict if there is one,
# else fuzz/json.dict.  Output: fuzz/NAME.log; a crash, leak, timeout or
# out-of-memory input is saved as fuzz/artifacts/NAME-KIND-SHA1, and fails
# the run (exit status 1).  Replay one with "PROGRAM FILE".
set -u
if [ $# -ne 2 ]; then
    echo "usage: $0 NAME PROGRAM" >&2
    exit 2
fi
name=$1
prog=$2
srcdir=${srcdir:-$(dirname "$0")/..}
seconds=${FUZZ_SECONDS:-60}
timeout=${FUZZ_TIMEOUT:-10}

work=fuzz/work/$name
seeds=$srcdir/fuzz/corpus/$name
log=fuzz/$name.log
dict=$srcdir/fuzz/$name.dict
[ -f "$dict" ] || dict=$srcdir/fuzz/json.dict
mkdir -p "$work" fuzz/artifacts || exit 1
[ -d "$seeds" ] || seeds=

echo "+ $prog -max_total_time=$seconds $work${seeds:+ $seeds}"
# timeout(1) in case libFuzzer itself gets stuck past -max_total_time.
# shellcheck disable=SC2086
timeout -k 10 $((seconds + 120)) "$prog" \
    -max_total_time="$seconds" -timeout="$timeout" -rss_limit_mb=2048 \
    -max_len=16384 -print_final_stats=1 -dict="$dict" \
    -artifact_prefix="fuzz/artifacts/$name-" ${FUZZ_FLAGS:-} \
    "$work" ${seeds:+"$seeds"} >"$log" 2>&1
status=$?

# The figures: executions, coverage (edges), features, corpus size.
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
last=$(grep -E '^#[0-9]+.*cov: ' "$log" | tail -n 1)
cov=$(printf '%s\n' "$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
ft=$(printf '%s\n' "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
corp=$(printf '%s\n' "$last" | sed -n 's/.* corp: \([0-9]*\).*/\1/p')
summary="fuzz-$name: ${runs:-?} runs in ${seconds} s, cov ${cov:-?}, ft ${ft:-?}, corpus ${corp:-?}"

if [ $status -ne 0 ]; then
    echo "$summary: FAILED (exit status $status); the end of $log:" >&2
    tail -n 60 "$log" >&2
    for f in fuzz/artifacts/"$name"-*; do
        [ -f "$f" ] && echo "saved: $f (replay: $prog $f)" >&2
    done
    exit 1
fi
echo "$summary: OK"
