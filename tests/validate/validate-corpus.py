#!/usr/bin/env python3
"""Run qapi-validate's capture corpus, in process.

bad/NAME.jsonl is checked against test-schema.json, with the options
in bad/NAME.args if there is one: it must exit 1 with exactly the
report in bad/NAME.out on stdout, and on stderr what bad/NAME.err
holds (nothing when there is none).  good/NAME.jsonl must exit 0 silently against
the schema its name starts with: test- (test-schema.json), qemu- and
server- (the bundled schema), vfio- (schema/harness.json).

Where QEMU 8.0's schema is at hand (../shared/qemu-schema, next to the
source tree; QAPIC_SHARED overrides), good/qemu-NAME.jsonl and
qemu-8.0/NAME.jsonl (commands the bundled schema lacks) are checked
against it, with --server-only (the captures' commands were written
for QEMU 7.2), and must give exactly qemu-8.0/NAME.out, empty for no
violation: what QEMU 7.2 sends that QEMU 8.0's schema does not allow.

    validate-corpus.py --srcdir DIR [--update] [NAME...]

--update rewrites the expected reports from the current output; review
the diff before committing it.
"""

import argparse
import contextlib
import io
import os
import sys
import traceback
from typing import Callable, List, Optional, Tuple

Main = Callable[[List[str]], int]

GOOD_SCHEMAS = (('test-', 'test-schema.json'),
                ('qemu-', '../../schema/qapi-schema.json'),
                ('server-', '../../schema/qapi-schema.json'),
                ('vfio-', '../../schema/harness.json'))


def run(main: Main, args: List[str]) -> Tuple[int, str, str]:
    """qapi-validate ARGS from the corpus directory: status, stdout,
    stderr; a traceback is a failure of its own."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = main(args)
        except SystemExit as e:
            status = e.code if isinstance(e.code, int) else 2
        except Exception:
            status = -1
            err.write('CRASH\n' + traceback.format_exc())
    return status, out.getvalue(), err.getvalue()


def read(path: str) -> Optional[str]:
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return None


class Corpus:
    def __init__(self, main: Main, update: bool) -> None:
        self.main = main
        self.update = update
        self.passed = self.failed = 0

    def result(self, name: str, ok: bool, detail: str) -> None:
        if ok:
            self.passed += 1
            print('ok - %s' % name)
        else:
            self.failed += 1
            print('not ok - %s\n%s' % (name, detail))

    def expect(self, name: str, args: List[str], out_path: str,
               status_if_clean: int) -> None:
        """Exit 1 with the report in out_path (empty: status_if_clean,
        nothing reported) and on stderr what NAME.err holds, if there
        is one, else nothing."""
        status, out, err = self.run_case(args)
        err_path = out_path[:-4] + '.err'
        if self.update and status in (0, 1) and 'CRASH' not in err:
            with open(out_path, 'w') as f:
                f.write(out)
        expected = read(out_path)
        want = status_if_clean if expected == '' else 1
        ok = status == want and out == expected and \
            err == (read(err_path) or '')
        self.result(name, ok, 'exit %s (want %s)\n--- expected\n%s--- got\n'
                    '%s%s' % (status, want, expected, out, err))

    def run_case(self, args: List[str]) -> Tuple[int, str, str]:
        return run(self.main, args)

    def good(self, name: str, schema: str, args: List[str]) -> None:
        status, out, err = self.run_case(args + [schema, name])
        self.result(name, status == 0 and not out and not err,
                    'exit %s\n%s%s' % (status, out, err))


# Every kind of violation qapi-validate reports, as a piece of its
# message: each must be in some bad/NAME.out.
KINDS = (
    'malformed JSON', 'not UTF-8', 'no message after', 'duplicate member',
    'message is not a JSON object', 'not a QMP message',
    'a command sent by the server', 'server output is not ASCII',
    'expected string, got', 'expected integer, got', 'expected number, got',
    'expected boolean, got', 'expected null, got', 'expected object, got',
    'expected array, got', '(alternate ', 'is out of range for',
    'is not a value of enum', 'required member missing', 'unexpected member',
    'no such command in the schema', 'no such event in the schema',
    "conflicts with 'execute'", "conflicts with 'error'",
    "without 'allow-oob'", "without capability 'oob'",
    'no command awaits a reply', 'no command was sent with this id',
    'not a time')


def cases(folder: str, names: List[str]) -> List[str]:
    if not os.path.isdir(folder):
        return []
    found = sorted(f for f in os.listdir(folder) if f.endswith('.jsonl'))
    return [f for f in found if not names or f[:-6] in names]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument('--srcdir', default=os.environ.get('srcdir', '.'))
    ap.add_argument('--update', action='store_true')
    ap.add_argument('names', nargs='*')
    args = ap.parse_args()
    srcdir = os.path.abspath(args.srcdir)
    sys.path.insert(0, os.path.join(srcdir, 'generator'))
    from qapic.validate.cli import main as validate_main

    corpus = os.path.join(srcdir, 'tests', 'validate')
    os.chdir(corpus)
    c = Corpus(validate_main, args.update)
    for case in cases('good', args.names):
        schema = next((s for prefix, s in GOOD_SCHEMAS
                       if case.startswith(prefix)), None)
        if schema is None:
            c.result('good/' + case, False, 'no schema for this name')
            continue
        c.good('good/' + case, schema, [])
    for case in cases('bad', args.names):
        stem = os.path.join('bad', case[:-6])
        opts = (read(stem + '.args') or '').split()
        c.expect(stem + '.jsonl', opts + ['test-schema.json', stem + '.jsonl'],
                 stem + '.out', 1)

    if not args.names:
        reports = ''.join(read(os.path.join('bad', f[:-6] + '.out')) or ''
                          for f in cases('bad', []))
        missing = [k for k in KINDS if k not in reports]
        c.result('every kind of violation in bad/', not missing,
                 'missing: %s' % ', '.join(missing))

    shared = os.environ.get('QAPIC_SHARED') or \
        os.path.join(os.path.dirname(srcdir), 'shared')
    qemu80 = os.path.join(shared, 'qemu-schema', 'qapi-schema.json')
    if os.path.isfile(qemu80):
        captures = [os.path.join('good', f) for f in cases('good', args.names)
                    if f.startswith('qemu-')]
        captures += [os.path.join('qemu-8.0', f)
                     for f in cases('qemu-8.0', args.names)]
        for case in captures:
            out = os.path.join('qemu-8.0', os.path.basename(case)[:-6] + '.out')
            c.expect('qemu-8.0: ' + case, ['--server-only', qemu80, case],
                     out, 0)
    else:
        print('# %s absent: captures not checked against QEMU 8.0' % qemu80)
    print('%d passed, %d failed' % (c.passed, c.failed))
    return 1 if c.failed or not c.passed else 0


if __name__ == '__main__':
    sys.exit(main())
