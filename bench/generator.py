#!/usr/bin/env python3
"""Generator benchmark on QEMU's whole schema.

    generator.py [--srcdir DIR] [--shared DIR] [--runs N] [--no-compile]

Measures, with the configured Python (env PYTHON, default python3) run
as the build runs it (-S, byte-compiled package):

* a full run, ``qapi-gen -b -o DIR``, into an empty directory;
* a no-op rerun into the same directory (nothing changed);
* a rerun after one module changed, and how many files it rewrote;
* the size of the generated C;
* compiling all generated .c files with ``cc -O2`` one after another
  (one core), against the runtime headers.

QEMU's own qapi-gen time is a quoted constant (QEMU's scripts/qapi is
not available here).  make bench's table takes the best of the runs,
the median in the label, and the compilation's CPU time (wall time too
in the label): other jobs on a shared machine only ever add time.
Skips where ../shared is absent.  Not a test.
"""

import argparse
import glob
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from typing import Dict, List

from benchlib import (GeneratorCopy, describe, median, qemu_schema, result,
                      timed_runs)

QEMU_SECONDS = 0.94         # QEMU 8.0 qapi-gen writing its C, as quoted
TARGET_FULL = 0.35
TARGET_NOOP = 0.15
TARGET_COMPILE = 60.0

# Appended to one module to measure an incremental regeneration.
EXTRA_DEFINITION = """
##
# @BenchExtra:
#
# @x: a member
#
# Since: 8.0
##
{ 'struct': 'BenchExtra', 'data': { 'x': 'int' } }
"""


def snapshot(outdir: str) -> Dict[str, int]:
    return {f: os.stat(f).st_mtime_ns
            for f in glob.glob(os.path.join(outdir, '*.[ch]'))}


def report(what: str, seconds: float, target: float, extra: str = '') -> None:
    print('  %-34s %7.3f s   target %5.2f s: %s%s'
          % (what, seconds, target, 'met' if seconds <= target else 'NOT met',
             extra))


def main() -> int:
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser()
    ap.add_argument('--srcdir', default=os.environ.get('abs_top_srcdir', here))
    ap.add_argument('--shared', default=os.environ.get('QAPIC_SHARED'))
    ap.add_argument('--runs', type=int, default=7)
    ap.add_argument('--no-compile', action='store_true')
    args = ap.parse_args()
    srcdir = os.path.abspath(args.srcdir)
    schema = qemu_schema(srcdir, args.shared)
    if schema is None:
        print('SKIP: QEMU\'s schema (../shared/qemu-schema) is not there')
        return 0
    python = os.environ.get('PYTHON') or 'python3'
    print('Generator benchmark: qapi-gen -b on %s' % schema)
    print('  python: %s' % describe(python))
    gen = GeneratorCopy(python, srcdir)
    work = tempfile.mkdtemp(prefix='qapic-genbench-')
    try:
        # Full runs: each into a fresh directory.
        full: List[float] = []
        for n in range(args.runs):
            out = os.path.join(work, 'full%d' % n)
            t = timed_runs(gen.cmd + ['-b', '-o', out, schema], 1)
            if t is None:
                return 1
            full += t
        out = os.path.join(work, 'full0')
        noop = timed_runs(gen.cmd + ['-b', '-o', out, schema], args.runs * 2)
        if noop is None:
            return 1
        # One module changed: a copy of the schema with a member added.
        copy = os.path.join(work, 'schema')
        shutil.copytree(os.path.dirname(schema), copy)
        incremental_out = os.path.join(work, 'incr')
        cmd = gen.cmd + ['-b', '-o', incremental_out,
                         os.path.join(copy, 'qapi-schema.json')]
        subprocess.run(cmd, check=True)
        before = snapshot(incremental_out)
        with open(os.path.join(copy, 'yank.json'), 'a') as module:
            module.write(EXTRA_DEFINITION)
        time.sleep(0.01)
        start = time.perf_counter()
        subprocess.run(cmd, check=True)
        incr = time.perf_counter() - start
        after = snapshot(incremental_out)
        rewritten = sorted(os.path.basename(f) for f in after
                           if before.get(f) != after[f])

        files = glob.glob(os.path.join(out, '*.[ch]'))
        size = sum(os.path.getsize(f) for f in files)
        lines = 0
        for name in files:
            with open(name, 'rb') as fh:
                lines += fh.read().count(b'\n')

        print()
        report('full run (median of %d)' % args.runs, median(full),
               TARGET_FULL, '  (QEMU %.2f s quoted: %.1fx as fast)'
               % (QEMU_SECONDS, QEMU_SECONDS / median(full)))
        report('no-op rerun (median of %d)' % len(noop), median(noop),
               TARGET_NOOP)
        print('  %-34s %7.3f s   rewrote %d of %d files: %s'
              % ('rerun, one module changed', incr, len(rewritten),
                 len(after), ', '.join(rewritten)))
        print('  %-34s %d files, %d lines, %.1f MB'
              % ('generated C', len(files), lines, size / 1e6))
        # Best of the runs in the table: other jobs on a shared machine
        # only ever add time.  The median is in the label.
        result('generator', 'qapi-gen -b, QEMU schema, best of %d (median %.3f s)'
               % (args.runs, median(full)), min(full), 's', "QEMU's qapi-gen",
               QEMU_SECONDS, quoted=True, ratio=QEMU_SECONDS / min(full),
               target='<=%g' % TARGET_FULL)
        result('generator', 'no-op rerun, best of %d (median %.3f s)'
               % (len(noop), median(noop)), min(noop), 's',
               target='<=%g' % TARGET_NOOP)
        result('generator', 'rerun, one module changed (%d of %d files), once'
               % (len(rewritten), len(after)), incr, 's', 'full run, best',
               min(full), ratio=min(full) / incr)
        result('generator', 'generated C, QEMU schema (%d files)' % len(files),
               size, 'B')

        if not args.no_compile:
            cc = os.environ.get('CC', 'cc')
            runtime = os.path.join(srcdir, 'runtime')
            start = time.perf_counter()
            before_cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
            for c in sorted(glob.glob(os.path.join(out, '*.c'))):
                subprocess.run([cc, '-std=c11', '-O2', '-c', '-I', runtime,
                                '-I', out, c, '-o', os.devnull], check=True)
            spent = time.perf_counter() - start
            after_cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
            # CPU time: what one core spends, whatever else runs beside.
            cpu = (after_cpu.ru_utime + after_cpu.ru_stime
                   - before_cpu.ru_utime - before_cpu.ru_stime)
            report('compile all .c, -O2, one core', spent, TARGET_COMPILE,
                   '  (CPU time %.1f s)' % cpu)
            result('generator', 'compiling that C, -O2, CPU time (wall %.1f s)'
                   % spent, cpu, 's', target='<=%g' % TARGET_COMPILE)
    finally:
        gen.close()
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
