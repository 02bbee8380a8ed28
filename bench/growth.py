#!/usr/bin/env python3
"""Growth benchmark: generation time and generated size against schema size.

    growth.py [--sizes 1000,10000,100000] [--modules 10] [--runs N]
              [--srcdir DIR]

Writes synthetic schemas of each size itself (bench/synth.py: QEMU's mix
of definitions, documented, spread over --modules include modules), then
times ``qapi-gen --check`` (the front-end) and ``qapi-gen -b`` into an
empty directory (everything), with the configured Python (env PYTHON)
run as the build runs it (-S, byte-compiled package).  Each figure is
the best of N runs (default 5, 3 and 2 for the sizes given).  Both wall
and CPU time (user + system, the child that renders half the files
included) are printed; the verdict uses CPU time, which other jobs on a
shared machine disturb far less.

Per definition, time and output size must stay flat as the schema grows:
the verdict is "linear" when from each size to the next, CPU time and
bytes per definition grow at most LINEAR_SLACK times per tenfold growth
of the schema.  (Over 1,000 to 100,000 definitions as a whole, a slack
of 1.5 let through a quadratic term that cost 40% at 100,000.)  The
module count stays fixed, so that per-module costs that grow with a
module's size show up.  Not a test: nothing is asserted.
"""

import argparse
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from typing import Dict, List, Tuple

from benchlib import GeneratorCopy, describe, median, result
from synth import write_schema

LINEAR_SLACK = 1.25    # per tenfold growth


def run(cmd: List[str]) -> Tuple[float, float, int]:
    """Wall time, CPU time (user + system, its children included) and
    peak resident set (bytes) of cmd, which must succeed."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            err.seek(0)
            sys.exit('growth: failed (exit %d): %s\n%s' % (
                proc.returncode, ' '.join(cmd),
                err.read().decode(errors='replace')[:2000]))
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024


def output_size(outdir: str) -> Tuple[int, int, int]:
    """Files, bytes and lines of the generated output."""
    files = nbytes = lines = 0
    for name in os.listdir(outdir):
        if name.startswith('.'):
            continue        # the stamp
        with open(os.path.join(outdir, name), 'rb') as f:
            data = f.read()
        files += 1
        nbytes += len(data)
        lines += data.count(b'\n')
    return files, nbytes, lines


def measure(gen: GeneratorCopy, work: str, size: int, modules: int,
            runs: int) -> Dict[str, float]:
    schema, schema_bytes = write_schema(os.path.join(work, 's%d' % size),
                                        size, modules)
    check = [run(gen.cmd + ['--check', schema])[1] for _ in range(runs)]
    full: List[float] = []
    cpu: List[float] = []
    rss = 0
    out = os.path.join(work, 'out')
    for _ in range(runs):
        shutil.rmtree(out, ignore_errors=True)
        seconds, used, peak = run(gen.cmd + ['-b', '-o', out, schema])
        full.append(seconds)
        cpu.append(used)
        rss = max(rss, peak)
    files, nbytes, lines = output_size(out)
    shutil.rmtree(out)
    shutil.rmtree(os.path.dirname(schema))
    return {'size': size, 'runs': runs, 'schema': schema_bytes,
            'check': min(check), 'check_med': median(check),
            'full': min(full), 'full_med': median(full), 'cpu': min(cpu),
            'files': files, 'bytes': nbytes, 'lines': lines, 'rss': rss}


def report(rows: List[Dict[str, float]]) -> None:
    print('  %9s %4s %7s %9s %7s %8s %9s %7s %5s %8s %9s %6s %6s'
          % ('defs', 'runs', 'schema', '--check', 'us/def', '-b wall',
             '-b CPU', 'us/def', 'files', 'MB out', 'lines', 'B/def', 'RSS'))
    for r in rows:
        n = r['size']
        print('  %9d %4d %6.1fM %8.3fs %7.1f %7.3fs %8.3fs %7.1f %5d %8.1f %9d %6.0f %5.0fM'
              % (n, r['runs'], r['schema'] / 1e6, r['check'], r['check'] / n * 1e6,
                 r['full'], r['cpu'], r['cpu'] / n * 1e6, r['files'],
                 r['bytes'] / 1e6, r['lines'], r['bytes'] / n, r['rss'] / 2**20))
    print('  (best of the runs; --check: CPU time, one process; -b: its child '
          'renders half the files; medians of wall times: -b %s)'
          % ', '.join('%.3f s' % r['full_med'] for r in rows))
    for a, b in zip(rows, rows[1:]):
        print('  %gx the definitions: %.2fx the --check CPU time, %.2fx the -b '
              'CPU time (wall %.2fx), %.2fx the bytes'
              % (b['size'] / a['size'], b['check'] / a['check'], b['cpu'] / a['cpu'],
                 b['full'] / a['full'], b['bytes'] / a['bytes']))
    first = rows[0]

    def per_def(a: Dict[str, float], b: Dict[str, float], key: str) -> float:
        """Growth of key per definition from a to b, per tenfold."""
        growth = (b[key] / b['size']) / (a[key] / a['size'])
        return float(growth ** (1 / math.log10(b['size'] / a['size'])))

    linear = True
    for a, b in zip(rows, rows[1:]):
        cpu, check, size = (per_def(a, b, k) for k in ('cpu', 'check', 'bytes'))
        linear = linear and cpu <= LINEAR_SLACK and size <= LINEAR_SLACK
        print('  per definition and tenfold, %d to %d: %.2fx the -b CPU time, '
              '%.2fx the --check CPU time, %.2fx the bytes'
              % (a['size'], b['size'], cpu, check, size))
    print('  verdict: %s (criterion: at most %.2fx per definition and tenfold)'
          % ('linear' if linear else 'NOT linear', LINEAR_SLACK))
    # CPU time in the table: other jobs on the machine inflate wall times
    # unevenly between the sizes, which would fake or hide a trend.
    for key, what, unit in (('cpu', 'qapi-gen -b CPU time', 's'),
                            ('bytes', 'generated code', 'B')):
        result('growth', '%s, %s synthetic definitions'
               % (what, format(int(first['size']), ',')), first[key], unit)
        for a, b in zip(rows, rows[1:]):
            scale = b['size'] / a['size']
            result('growth', '%s, %s synthetic definitions'
                   % (what, format(int(b['size']), ',')), b[key], unit,
                   '%s-definition run x %g' % (format(int(a['size']), ','), scale),
                   a[key] * scale, ratio=a[key] * scale / b[key],
                   target='x>=%.2f' % (1 / LINEAR_SLACK ** math.log10(scale)))


def main() -> int:
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser()
    ap.add_argument('--srcdir', default=os.environ.get('abs_top_srcdir', here))
    ap.add_argument('--sizes', default='1000,10000,100000')
    ap.add_argument('--modules', type=int, default=10)
    ap.add_argument('--runs', type=int, default=0,
                    help='runs per size (default 5, 3, then 2)')
    args = ap.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(','))
    python = os.environ.get('PYTHON') or 'python3'
    print('Growth benchmark: qapi-gen on synthetic schemas of %s definitions '
          'in %d modules' % (', '.join(str(s) for s in sizes), args.modules))
    print('  python: %s' % describe(python))
    gen = GeneratorCopy(python, os.path.abspath(args.srcdir))
    work = tempfile.mkdtemp(prefix='qapic-growth-')
    try:
        rows = [measure(gen, work, size, args.modules,
                        args.runs or (5, 3, 2)[min(i, 2)])
                for i, size in enumerate(sizes)]
    finally:
        gen.close()
        shutil.rmtree(work, ignore_errors=True)
    report(rows)
    return 0


if __name__ == '__main__':
    sys.exit(main())
