#!/usr/bin/env python3
"""make bench's table: run each benchmark, then print one table.

    table.py run LOG NAME CMD...    run CMD, its output to stdout and
                                    appended to LOG; exit 0 even when it
                                    fails, so that the other benchmarks
                                    still run (the failure is logged)
    table.py print LOG              the table of every result in LOG;
                                    exit 1 if a benchmark failed

A benchmark reports each figure in a line of ten tab-separated fields
(bench/benchlib.py result(), bench/bench.h bench_result()):

    BENCH  name  what  value  unit  baseline  baseline-value
           baseline-kind  ratio  target

baseline-kind is "measured" (in the same run) or "quoted" (a constant);
ratio is how many times better than the baseline ours is (a time: the
baseline's over ours; a rate: ours over the baseline's); target is
"<=X" or ">=X" on the value, "x>=X" on the ratio, or empty.
"""

import os
import subprocess
import sys
from typing import List, Optional, Tuple

FIELDS = 10


def run(log: str, name: str, cmd: List[str]) -> int:
    env = dict(os.environ, PYTHONUNBUFFERED='1')
    with open(log, 'a') as out:
        out.write('START\t%s\n' % name)
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT)
        assert proc.stdout is not None
        for raw in proc.stdout:
            line = raw.decode(errors='replace')
            sys.stdout.write(line)
            sys.stdout.flush()
            out.write(line)
        status = proc.wait()
        if status != 0:
            out.write('FAILED\t%s\t%d\n' % (name, status))
            print('%s: FAILED (exit %d)' % (name, status))
        out.write('END\t%s\n' % name)
    return 0


def fmt(value: float, unit: str) -> str:
    if unit == 's':
        return '%.3f s' % value
    if unit == '/s':
        return ('%.2f M/s' % (value / 1e6) if value >= 1e6
                else '%.0fk/s' % (value / 1e3))
    if unit == 'B/s':
        return '%.2f GB/s' % (value / 1e9)
    if unit == 'B':
        return '%.1f MB' % (value / 1e6)
    return '%.3g %s' % (value, unit)


def verdict(value: float, ratio: Optional[float], target: str,
            unit: str) -> str:
    """The target as text, and whether it is met."""
    if not target:
        return ''
    on_ratio = target.startswith('x')
    body = target[1:] if on_ratio else target
    op, limit = body[:2], float(body[2:])
    text = '%s %s' % (op, '%.2fx' % limit if on_ratio else fmt(limit, unit))
    got = ratio if on_ratio else value
    if got is None:
        return text
    met = got >= limit if op == '>=' else got <= limit
    return '%s: %s' % (text, 'met' if met else 'MISSED')


def row(f: List[str]) -> Tuple[str, ...]:
    _, name, what, value, unit, baseline, base_value, kind, ratio, target = f
    v = float(value)
    r = float(ratio) if ratio else None
    base = ''
    if baseline:
        base = '%s%s (%s)' % (baseline, ': ' + fmt(float(base_value), unit)
                              if base_value else '', kind)
    return (name, what, fmt(v, unit), base, '%.2fx' % r if r else '',
            verdict(v, r, target, unit))


def table(log: str) -> int:
    rows: List[Tuple[str, ...]] = []
    notes: List[str] = []
    failed = False
    name, count, last = '', 0, ''
    with open(log) as f:
        for line in f:
            fields = line.rstrip('\n').split('\t')
            if fields[0] == 'START':
                name, count, last = fields[1], 0, ''
            elif fields[0] == 'BENCH' and len(fields) == FIELDS:
                rows.append(row(fields))
                count += 1
            elif fields[0] == 'FAILED':
                failed, count = True, -1     # no second note
                notes.append('%s: FAILED (exit %s)' % (fields[1], fields[2]))
            elif fields[0] == 'END' and not count:
                notes.append('%s: no figures for the table (%s)'
                             % (name, last or 'no output'))
            elif line.strip():
                last = line.strip()
    head = ('benchmark', 'figure', 'measured', 'baseline', 'ratio', 'target')
    widths = [max(len(r[i]) for r in rows + [head]) for i in range(len(head))]
    print()
    for r in [head, tuple('-' * w for w in widths)] + rows:
        print('| ' + ' | '.join(c.ljust(w) for c, w in zip(r, widths)) + ' |')
    print()
    print('ratio: times better than the baseline (for a time, baseline/ours; '
          'for a rate, ours/baseline).')
    print('Timings are not tests: other jobs on the machine lower them.')
    for note in notes:
        print(note)
    return 1 if failed else 0


def main(argv: List[str]) -> int:
    if len(argv) >= 4 and argv[0] == 'run':
        return run(argv[1], argv[2], argv[3:])
    if len(argv) == 2 and argv[0] == 'print':
        return table(argv[1])
    sys.stderr.write('usage: table.py run LOG NAME CMD... | table.py print LOG\n')
    return 2


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
