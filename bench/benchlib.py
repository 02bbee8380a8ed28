"""Helpers shared by the benchmarks: interpreters, timing, a private
byte-compiled copy of the generator."""

import os
import shutil
import statistics
import subprocess
import tempfile
import time
from typing import Dict, List, Optional


def timed_runs(cmd: List[str], runs: int,
               env: Optional[Dict[str, str]] = None) -> Optional[List[float]]:
    """Wall times of runs executions of cmd; None if one fails."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.run(cmd, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT)
        times.append(time.perf_counter() - start)
        if proc.returncode != 0:
            print('  failed (exit %d): %s\n%s'
                  % (proc.returncode, ' '.join(cmd),
                     proc.stdout.decode(errors='replace')))
            return None
    return times


def median(times: List[float]) -> float:
    return statistics.median(times)


def executable(python: str) -> Optional[str]:
    """sys.executable of python (which may be a wrapper, e.g. a pyenv
    shim), or None if it does not run."""
    proc = subprocess.run([python, '-c', 'import sys; print(sys.executable)'],
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    out = proc.stdout.decode().strip()
    return out or None if proc.returncode == 0 else None


def describe(python: str) -> str:
    proc = subprocess.run([python, '-c', 'import sys; print(sys.executable, '
                           '"%d.%d.%d" % sys.version_info[:3])'],
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    return proc.stdout.decode().strip() if proc.returncode == 0 else '?'


def interpreters(configured: str) -> List[str]:
    """The configured Python, the interpreter behind it if that is a
    wrapper (a pyenv shim costs much start-up time), and
    /usr/bin/python3: each once."""
    out: List[str] = []
    seen = set()
    for python in (configured, executable(configured), '/usr/bin/python3'):
        if not python or (python != configured and not os.path.exists(python)):
            continue
        real = os.path.realpath(shutil.which(python) or python)
        if real not in seen:
            seen.add(real)
            out.append(python)
    return out


def qemu_schema(srcdir: str, shared: Optional[str]) -> Optional[str]:
    shared = shared or os.path.join(os.path.dirname(srcdir), 'shared')
    schema = os.path.join(shared, 'qemu-schema', 'qapi-schema.json')
    return schema if os.path.isfile(schema) else None


class GeneratorCopy:
    """A byte-compiled copy of generator/ in a temporary directory, so that
    runs pay no compilation and the source tree is not written to.
    (python -m compileall writes even where PYTHONDONTWRITEBYTECODE is
    set.)"""

    def __init__(self, python: str, srcdir: str) -> None:
        self.tmp = tempfile.mkdtemp(prefix='qapic-bench-')
        self.dir = os.path.join(self.tmp, 'generator')
        shutil.copytree(os.path.join(srcdir, 'generator'), self.dir,
                        ignore=shutil.ignore_patterns('__pycache__', '*.py[co]'))
        subprocess.run([python, '-m', 'compileall', '-q', self.dir], check=True)
        # -S as in the build rules and the installed script's first line
        self.cmd = [python, '-S', os.path.join(self.dir, 'qapi-gen')]

    def close(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)


def result(bench: str, what: str, value: float, unit: str,
           baseline: str = '', base_value: Optional[float] = None,
           quoted: bool = False, ratio: Optional[float] = None,
           target: str = '') -> None:
    """One machine-readable line for bench/table.py (format there):
    ratio > 1 is better than the baseline; target is '<=X' or '>=X' on
    the value, or 'x>=X' on the ratio."""
    print('\t'.join(['BENCH', bench, what, '%.6g' % value, unit, baseline,
                     '' if base_value is None else '%.6g' % base_value,
                     ('quoted' if quoted else 'measured') if baseline else '',
                     '' if ratio is None else '%.4g' % ratio, target]))
