#!/usr/bin/env python3
"""Run the schema corpus through the front-end, in process.

good/NAME.json must be accepted silently.  bad/NAME.json must be
rejected with exit status 1 and exactly the message in bad/NAME.err
(paths as seen from the case's directory).  Files in subdirectories are
helpers that cases include, not cases.

    run-corpus.py --srcdir DIR [--update] [NAME...]

--update rewrites the .err files from the current output, for writing
new cases; review the diff before committing it.
"""

import argparse
import contextlib
import io
import os
import sys
import traceback
from typing import List, Tuple


def run_case(cli_main: 'object', path: str) -> Tuple[int, str]:
    """Run qapi-gen --check on path from its directory: (status, stderr)."""
    cwd = os.getcwd()
    err = io.StringIO()
    os.chdir(os.path.dirname(path))
    try:
        with contextlib.redirect_stderr(err):
            try:
                status = cli_main(['--check', os.path.basename(path)])  # type: ignore
            except SystemExit as e:
                status = e.code if isinstance(e.code, int) else 2
            except Exception:
                status = -1
                err.write('CRASH\n' + traceback.format_exc())
    finally:
        os.chdir(cwd)
    return status, err.getvalue()


def cases(corpus: str, kind: str, names: List[str]) -> List[str]:
    folder = os.path.join(corpus, kind)
    if not os.path.isdir(folder):
        return []
    found = sorted(f[:-5] for f in os.listdir(folder) if f.endswith('.json'))
    if names:
        found = [f for f in found if f in names]
    return [os.path.join(folder, f + '.json') for f in found]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument('--srcdir', default=os.environ.get('srcdir', '.'))
    ap.add_argument('--update', action='store_true')
    ap.add_argument('names', nargs='*')
    args = ap.parse_args()
    srcdir = os.path.abspath(args.srcdir)
    sys.path.insert(0, os.path.join(srcdir, 'generator'))
    from qapic.cli import main as cli_main

    corpus = os.path.join(srcdir, 'tests', 'qapi-schema')
    passed = failed = 0
    for path in cases(corpus, 'good', args.names):
        status, err = run_case(cli_main, path)
        name = 'good/' + os.path.basename(path)
        if status == 0 and not err:
            passed += 1
            print('ok - %s' % name)
        else:
            failed += 1
            print('not ok - %s: exit %s\n%s' % (name, status, err))
    for path in cases(corpus, 'bad', args.names):
        status, err = run_case(cli_main, path)
        name = 'bad/' + os.path.basename(path)
        err_path = path[:-5] + '.err'
        if args.update and status == 1:
            with open(err_path, 'w') as f:
                f.write(err)
        try:
            with open(err_path) as f:
                expected = f.read()
        except OSError:
            expected = '(no .err file)\n'
        if status == 1 and err == expected:
            passed += 1
            print('ok - %s' % name)
        else:
            failed += 1
            print('not ok - %s: exit %s\n--- expected\n%s--- got\n%s'
                  % (name, status, expected, err))
    print('%d passed, %d failed' % (passed, failed))
    return 1 if failed or not passed else 0


if __name__ == '__main__':
    sys.exit(main())
