#!/usr/bin/env python3
"""Front-end benchmark: wall time of ``qapi-gen --check`` on QEMU's schema.

    frontend.py [--srcdir DIR] [--shared DIR] [--runs N]

Times ``qapi-gen --check ../shared/qemu-schema/qapi-schema.json`` (the
median of 11 runs, interpreter start-up included) with the Python that
configure found (env PYTHON, default python3), with the interpreter
behind it if that is a wrapper such as a pyenv shim, and with
/usr/bin/python3 if that is yet another interpreter.  The generator package is
copied to a temporary directory and byte-compiled there first (python
-m compileall writes even where PYTHONDONTWRITEBYTECODE is set), so the
runs do not pay for compilation and the source tree is not written to.
(PYTHONPYCACHEPREFIX would also keep the tree clean, but it moves the
standard library's bytecode too, which then gets compiled on every run.)

The figure is printed next to QEMU's quoted front-end time (a constant:
QEMU's scripts/qapi is not available here) and the project's target;
make bench's table takes the best run (load only ever adds time), with
the median in its label.
Skips (exit 0) where ../shared is absent.  Not a test: timings are
never asserted.
"""

import argparse
import os
import subprocess
import sys

from benchlib import (GeneratorCopy, describe, interpreters, median,
                      qemu_schema, result, timed_runs)

QEMU_SECONDS = 0.44     # QEMU 8.0 scripts/qapi front-end, as quoted
TARGET_SECONDS = 0.15


# Median time of Schema(argv[2]) over argv[3] calls in one process, the
# package imported from argv[1] beforehand.
_IN_PROCESS = """
import statistics, sys, time
sys.path.insert(0, sys.argv[1])
from qapic.frontend.schema import Schema
t = []
for _ in range(int(sys.argv[3])):
    s = time.perf_counter()
    Schema(sys.argv[2])
    t.append(time.perf_counter() - s)
print('%.3f' % statistics.median(t))
"""


def bench(python: str, srcdir: str, schema: str, runs: int,
          label: str) -> bool:
    print('%s (%s):' % (python, describe(python)))
    gen = GeneratorCopy(python, srcdir)
    try:
        startup = timed_runs([python, '-S', '-c', 'pass'], runs)
        times = timed_runs(gen.cmd + ['--check', schema], runs)
        inproc = subprocess.run([python, '-c', _IN_PROCESS, gen.dir, schema,
                                 str(runs)], stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL)
    finally:
        gen.close()
    if times is None or startup is None:
        return False
    med = median(times)
    print('  qapi-gen --check: median %.3f s of %d runs (min %.3f, max %.3f)'
          % (med, runs, min(times), max(times)))
    print('    of which: interpreter start-up %.3f s; Schema() in process %s s'
          % (median(startup),
             inproc.stdout.decode().strip() if inproc.returncode == 0 else '?'))
    print('  QEMU front-end:   %.3f s (quoted)  -> %.2fx QEMU\'s time (%.1fx as fast)'
          % (QEMU_SECONDS, med / QEMU_SECONDS, QEMU_SECONDS / med))
    print('  target:           %.3f s           -> %.2fx the target (%s)'
          % (TARGET_SECONDS, med / TARGET_SECONDS,
             'met' if med <= TARGET_SECONDS else 'not met'))
    # Best of the runs in the table: other jobs on a shared machine only
    # ever add time.  The median is in the label.
    result('frontend', 'qapi-gen --check, QEMU schema, best of %d (median '
           '%.3f s)%s' % (runs, med, label), min(times), 's', "QEMU's front-end",
           QEMU_SECONDS, quoted=True, ratio=QEMU_SECONDS / min(times),
           target='<=%g' % TARGET_SECONDS)
    return True


def main() -> int:
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser()
    ap.add_argument('--srcdir', default=os.environ.get('abs_top_srcdir', here))
    ap.add_argument('--shared', default=os.environ.get('QAPIC_SHARED'))
    ap.add_argument('--runs', type=int, default=11)
    args = ap.parse_args()
    srcdir = os.path.abspath(args.srcdir)
    schema = qemu_schema(srcdir, args.shared)
    if schema is None:
        print('SKIP: QEMU\'s schema (../shared/qemu-schema) is not there')
        return 0
    pythons = interpreters(os.environ.get('PYTHON') or 'python3')
    print('Front-end benchmark: qapi-gen --check %s' % schema)
    ok = True
    for python in pythons:
        # Only the other interpreters are named in the table.
        label = '' if python is pythons[0] else ', ' + python
        ok = bench(python, srcdir, schema, args.runs, label) and ok
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
