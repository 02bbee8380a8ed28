#!/usr/bin/env python3
"""qapi-validate's command line, exit status and robustness.

    validate-cli.py --srcdir DIR [--mutants N]

Runs generator/qapi-validate as a program: options, usage errors,
schema errors (reported as qapi-gen reports them), unreadable and
empty captures, stdin, -q, -s; then inputs meant to break it: deep
nesting, a huge line, binary garbage, and N seeded mutants of every
capture of the corpus (in process), each of which must be reported
as violations or accepted, never end in a traceback.
"""

import argparse
import contextlib
import io
import os
import random
import subprocess
import sys
import tempfile
import traceback
from typing import List, Tuple

failures: List[str] = []


def check(cond: bool, what: str) -> None:
    print('%s - %s' % ('ok' if cond else 'not ok', what))
    if not cond:
        failures.append(what)


class Program:
    def __init__(self, srcdir: str) -> None:
        self.srcdir = srcdir
        self.script = os.path.join(srcdir, 'generator', 'qapi-validate')
        self.corpus = os.path.join(srcdir, 'tests', 'validate')
        self.schema = os.path.join(self.corpus, 'test-schema.json')

    def run(self, args: List[str], stdin: bytes = b'',
            prog: str = '') -> Tuple[int, str, str]:
        p = subprocess.run([sys.executable, prog or self.script] + args,
                           input=stdin, capture_output=True)
        return p.returncode, p.stdout.decode(), p.stderr.decode()


def cli(p: Program, tmp: str) -> None:
    status, out, err = p.run(['--help'])
    check(status == 0 and out.startswith('usage: qapi-validate ')
          and not err, '--help')
    status, out, err = p.run(['--version'])
    check(status == 0 and out.startswith('qapi-validate (qapi-c) '),
          '--version')
    usage: List[List[str]] = [
        [], [p.schema], ['--bogus', p.schema, '-'],
        ['--max-errors=0', p.schema, '-'], ['--max-errors', 'x', p.schema, '-'],
        ['--unknown-if=maybe', p.schema, '-'], [p.schema, '-D']]
    for args in usage:
        status, out, err = p.run(args)
        check(status == 2 and not out and err.startswith('qapi-validate: ')
              and err.endswith('Try qapi-validate --help.\n'),
              'usage error: %s' % ' '.join(os.path.basename(a) for a in args))

    # Schema errors: exit 2, reported exactly as qapi-gen reports them.
    bad = os.path.join(tmp, 'bad-schema.json')
    with open(bad, 'w') as f:
        f.write("{ 'struct': 'S', 'data': { 'm': 'NoSuchType' } }\n")
    capture = os.path.join(tmp, 'capture.jsonl')
    with open(capture, 'w') as f:
        f.write('{"execute": "ping"}\n')
    gen = os.path.join(p.srcdir, 'generator', 'qapi-gen')
    for schema in (bad, os.path.join(tmp, 'missing.json')):
        status, out, err = p.run([schema, capture])
        gstatus, _, gerr = p.run(['--check', schema], prog=gen)
        check(status == 2 and not out and gstatus == 1 and err == gerr
              and err.count('\n') >= 1,
              'schema error as qapi-gen reports it: %s' % err.strip())

    # Unreadable captures: exit 2, the others are still checked.
    status, out, err = p.run([p.schema, os.path.join(tmp, 'none.jsonl'),
                              tmp, capture])
    check(status == 2 and err == "qapi-validate: cannot read '%s': No such "
          "file or directory\nqapi-validate: cannot read '%s': Is a "
          "directory\n" % (os.path.join(tmp, 'none.jsonl'), tmp)
          and out == '', 'unreadable captures')

    empty = os.path.join(tmp, 'empty.jsonl')
    open(empty, 'w').close()
    check(p.run([p.schema, empty]) == (0, '', ''), 'empty capture')
    check(p.run([p.schema, '-'], b'\n\n  \n') == (0, '', ''), 'blank lines')

    status, out, err = p.run(['-s', p.schema, '-'],
                             b'{"execute": "ping"}\n{"return": 1}\n')
    check(status == 1 and out == "<stdin>:2: reply to 'ping': 'return': "
          "expected object, got number\n"
          and err == '<stdin>: 2 messages, 1 violations\n', 'stdin, -s')
    status, out, err = p.run(['-q', p.schema, '-', capture], b'[]\n')
    check((status, out, err) == (1, '', ''), '-q')

    # A reader that leaves early (| head -1): exit 1, no complaint.
    many = os.path.join(tmp, 'many.jsonl')
    with open(many, 'w') as f:
        f.write('[]\n' * 100000)
    proc = subprocess.Popen([sys.executable, p.script, p.schema, many],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read().decode()
    status = proc.wait()
    check(first.startswith(many.encode()) and status == 1 and err == '',
          'stdout closed early: exit %d, %r' % (status, err[:200]))


def robustness(p: Program) -> None:
    def stdin_case(name: str, data: bytes, want: int) -> None:
        status, out, err = p.run([p.schema, '-'], data)
        check(status == want and 'Traceback' not in err and
              (want == 0) == (out == ''), '%s: exit %d' % (name, status))

    # QMP takes 1024 levels of nesting.
    deep = b'[' * 1000 + b']' * 1000
    stdin_case('1000 levels in an "any"',
               b'{"execute": "echo-scalars", "arguments": {"a": %s}}\n'
               % deep, 0)
    tree = b'{"name": "n", "children": [' * 1000 + b'{"name": "leaf"}' + \
        b']}' * 1000
    stdin_case('a 1000-level recursive type',
               b'{"execute": "get-tree"}\n{"return": %s}\n' % tree, 0)
    bad_tree = tree.replace(b'"leaf"', b'5')
    status, out, err = p.run([p.schema, '-'],
                             b'{"execute": "get-tree"}\n{"return": %s}\n'
                             % bad_tree)
    check(status == 1 and out.endswith(".children[0].name': expected string, "
                                       "got number\n")
          and out.count('children[0]') == 1000, 'path 1000 levels deep')
    stdin_case('100000 levels', b'[' * 100000 + b'\n', 1)
    stdin_case('100000 levels of objects',
               b'{"a":' * 100000 + b'1' + b'}' * 100000 + b'\n', 1)
    stdin_case('a 20 MB line',
               b'{"execute": "hostname"}\n{"return": "%s"}\n' % (b'x' * 20000000),
               0)
    rng = random.Random(1)
    stdin_case('binary garbage', bytes(rng.randrange(256)
                                       for _ in range(100000)), 1)
    stdin_case('NUL bytes', b'\x00' * 1000 + b'\n{"execute": "ping"}\n', 1)
    stdin_case('no final newline', b'{"execute": "ping"}', 0)


def mutate(rng: random.Random, data: bytes) -> bytes:
    b = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        if not b:
            break
        i = rng.randrange(len(b))
        op = rng.randrange(5)
        if op == 0:
            b[i] = rng.randrange(256)
        elif op == 1:
            del b[i:i + rng.randint(1, 16)]
        elif op == 2:
            j = rng.randrange(len(b))
            b[i:i] = b[j:j + rng.randint(1, 64)]
        elif op == 3:
            b[i:i] = rng.choice([b'{', b'}', b'[', b']', b'"', b',', b':',
                                 b'null', b'-1', b'1e400', b'\\u', b'\n',
                                 b'"id": 1', b'"return": ', b'<- ', b'-> '])
        else:
            del b[i:]
    return bytes(b)


def mutants(p: Program, count: int) -> None:
    sys.path.insert(0, os.path.join(p.srcdir, 'generator'))
    from qapic.frontend.schema import Schema
    from qapic.validate.checker import Conditions
    from qapic.validate.cli import Validator, parse_args
    from qapic.validate.session import Model

    models = {}
    for name in ('test-schema.json', '../../schema/qapi-schema.json',
                 '../../schema/harness.json'):
        models[name] = Model(Schema(os.path.join(p.corpus, name)),
                             Conditions())
    seeds = []
    for folder in ('good', 'bad'):
        for f in sorted(os.listdir(os.path.join(p.corpus, folder))):
            if f.endswith('.jsonl'):
                with open(os.path.join(p.corpus, folder, f), 'rb') as fp:
                    seeds.append(fp.read())
    rng = random.Random(8)
    crashes = 0
    statuses = set()
    with tempfile.NamedTemporaryFile(suffix='.jsonl') as tmp:
        for n in range(count):
            data = mutate(rng, rng.choice(seeds))
            tmp.seek(0)
            tmp.truncate()
            tmp.write(data)
            tmp.flush()
            model = rng.choice(list(models.values()))
            opts = parse_args(['schema', tmp.name])
            try:
                with contextlib.redirect_stdout(io.StringIO()):
                    statuses.add(Validator(model, opts).run())
            except Exception:
                crashes += 1
                if crashes <= 3:
                    print('# mutant %d:\n# %r' % (n, data[:2000]))
                    traceback.print_exc()
    check(crashes == 0 and statuses <= {0, 1},
          '%d mutants: %d tracebacks, exit statuses %s'
          % (count, crashes, sorted(statuses)))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument('--srcdir', default=os.environ.get('srcdir', '.'))
    ap.add_argument('--mutants', type=int, default=3000)
    args = ap.parse_args()
    p = Program(os.path.abspath(args.srcdir))
    with tempfile.TemporaryDirectory() as tmp:
        cli(p, tmp)
    robustness(p)
    mutants(p, args.mutants)
    print('%d failed' % len(failures))
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
