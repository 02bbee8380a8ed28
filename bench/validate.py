#!/usr/bin/env python3
"""qapi-validate benchmark: lines per second on large captures.

    validate.py [--srcdir DIR] [--lines N] [--runs N]

Builds captures of about N lines (default 200000) by repeating the
recorded captures of tests/validate/good (QEMU 7.2's session, our
server's, vfio-migrate's events), times ``qapi-validate`` on each
(median of --runs runs, start-up included) with the Python that
configure found (env PYTHON, default python3), and prints lines/s and
MB/s next to the floor of any Python checker: reading the same lines
and parsing each with json.loads, nothing else.  Not a test: timings
are never asserted.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from typing import List, Tuple

from benchlib import result

_FLOOR = """
import json, sys
with open(sys.argv[1], 'rb') as f:
    for line in f:
        line = line.strip()
        if line[:2] in (b'->', b'<-'):
            line = line[2:]
        if line:
            json.loads(line)
"""

CAPTURES = (('QEMU 7.2 session', 'qemu-7.2-misc.jsonl', 'qapi-schema.json'),
            ('our server', 'server-misc.jsonl', 'qapi-schema.json'),
            ('vfio-migrate events', 'vfio-migrate-stdout.jsonl',
             'harness.json'))


def build(src: str, dst: str, lines: int) -> Tuple[int, int]:
    """dst: src repeated up to about lines lines; (lines, bytes)."""
    with open(src, 'rb') as f:
        data = f.read()
    per = data.count(b'\n') or 1
    with open(dst, 'wb') as f:
        for _ in range(max(1, lines // per)):
            f.write(data)
    with open(dst, 'rb') as f:
        body = f.read()
    return body.count(b'\n'), len(body)


def timed(cmd: List[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.run(cmd, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE)
        times.append(time.perf_counter() - start)
        if proc.returncode != 0:
            sys.exit('failed (exit %d): %s\n%s' % (
                proc.returncode, ' '.join(cmd),
                (proc.stdout + proc.stderr).decode(errors='replace')[:2000]))
    return sorted(times)[len(times) // 2]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument('--srcdir', default=os.environ.get('abs_top_srcdir', '.'))
    ap.add_argument('--lines', type=int, default=200000)
    ap.add_argument('--runs', type=int, default=3)
    args = ap.parse_args()
    python = os.environ.get('PYTHON', 'python3')
    script = os.path.join(args.srcdir, 'generator', 'qapi-validate')
    good = os.path.join(args.srcdir, 'tests', 'validate', 'good')
    print('qapi-validate, %s, median of %d runs (start-up included)'
          % (python, args.runs))
    print('  %-22s %9s %8s %12s %9s %12s'
          % ('capture', 'lines', 'MB', 'lines/s', 'MB/s', 'json floor'))
    with tempfile.TemporaryDirectory() as tmp:
        for what, name, schema in CAPTURES:
            big = os.path.join(tmp, name)
            lines, size = build(os.path.join(good, name), big, args.lines)
            schema_path = os.path.join(args.srcdir, 'schema', schema)
            t = timed([python, script, schema_path, big], args.runs)
            floor = timed([python, '-c', _FLOOR, big], args.runs)
            print('  %-22s %9d %8.1f %12.0f %9.1f %11.0f%%'
                  % (what, lines, size / 1e6, lines / t, size / 1e6 / t,
                     100 * floor / t))
            result('validate', 'qapi-validate, %s (%d lines)' % (what, lines),
                   lines / t, 'lines/s',
                   'reading + json.loads alone', lines / floor,
                   ratio=floor / t)
    print('  (json floor: the time of reading and json.loads alone, as a '
          'share of the whole)')
    return 0


if __name__ == '__main__':
    sys.exit(main())
