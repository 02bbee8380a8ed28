#!/usr/bin/env python3
"""Mutation fuzzer for the schema front-end, run in process.

Every valid schema (tests/qapi-schema/good/*.json, and schema/*.json
that is accepted on its own) is copied, with the files it includes, into
a temporary directory.  Each iteration picks one of them, mutates the
main file or one of its includes (truncation, byte flips, token swaps,
deletions, duplications and replacements, line deletion and duplication,
quote swaps, deep nesting, type name replacement, '*' toggling,
duplicated definitions, long base and include chains, ...), writes the
mutant, and runs Schema() on it.

Every outcome must be either success or a QAPIError whose message is
located: after the context lines ("In file included from F:N:",
"F: In <meta> '<name>':") every line reads ``FILE:LINE: ...`` or
``FILE:LINE:COL: ...``, where FILE is the mutant or a file it includes,
except for the "Valid keys are ..." hint that follows an unknown key
error (as in QEMU).  Anything else (another exception, RecursionError,
a hang, a QAPIError without a location) is a failure: the mutant is
saved as fuzz-crash-N.json in the build directory and the traceback
printed.  A good/ schema that is rejected unmutated is a failure too.

    fuzz-frontend.py --srcdir DIR [--seed S] [--iterations N] [--only I] [-v]

The seed (default 0, env QAPIC_FUZZ_SEED) and iteration count (env
QAPIC_FUZZ_ITERATIONS) make a run reproducible; iteration I depends on
the seed, I and the set of seed schemas only, so --only I replays it.
-v prints how often each outcome (acceptance, each error message)
occurred.
"""

import argparse
import glob
import os
import random
import re
import shutil
import signal
import sys
import tempfile
import time
import traceback
from typing import Any, Callable, Dict, List, Optional, Tuple

DEFAULT_ITERATIONS = 6000
HANG_SECONDS = 10
MAX_SAVED = 20          # crash files written
MAX_SHOWN = 10          # failures printed in full

# The last line of a located message: FILE:LINE: or FILE:LINE:COL:
_LOCATED = re.compile(r'^(?P<file>.+?):(?P<line>[0-9]+):(?:[0-9]+:)? ')

# Lines that may precede it, and the one hint that may follow it.
_CONTEXT = re.compile(r"^In file included from .+:[0-9]+:$|^.+: In [a-z]+ '.*':$")
_HINT = re.compile(r"^Valid keys are '[^\n]*'\.$")

# Our own tokenizer (deliberately not the front-end's): white space,
# comments, strings (possibly unterminated), punctuation, words, and any
# other single character.
_TOK = re.compile(r"""[ \t\r\n]+|#[^\n]*|'(?:[^'\\\n]|\\.)*'?|[{}\[\]:,]"""
                  r"""|[^\s'{}\[\]:,#]+|.""", re.S)
_KIND = {' ': 'ws', '\t': 'ws', '\r': 'ws', '\n': 'ws', '#': 'comment',
         "'": 'str', '{': 'punct', '}': 'punct', '[': 'punct', ']': 'punct',
         ':': 'punct', ',': 'punct'}
_NAME = re.compile(r"^\*?[A-Za-z_][A-Za-z0-9_.+-]*$")

BUILTINS = ['str', 'number', 'int', 'int8', 'int16', 'int32', 'int64',
            'uint8', 'uint16', 'uint32', 'uint64', 'size', 'bool', 'null',
            'any', 'QType', 'strList', 'intList', 'QTypeList']

INTERESTING = [
    'true', 'false', '{}', '[]', "''", "'*'", "'**'", "'-'", "'_'", "'a'",
    "'*a'", "'q_obj_x-arg'", "'xList'", "'List'", "'__x'", "'x:y'",
    "'\\\\'", "'\\''", "'\\u0041'", "'\\n'", "'caf\u00e9'", "'a\tb'",
    "'type'", "'data'", "'base'", "'if'", "'features'", "'deprecated'",
    "'unstable'", "'discriminator'", "'boxed'", "'returns'", "'gen'",
    "'success-response'", "'allow-oob'", "'allow-preconfig'", "'coroutine'",
    "'prefix'", "'include'", "'pragma'", "'enum'", "'struct'", "'union'",
    "'alternate'", "'command'", "'event'", "'name'",
    "{ 'all': [] }", "{ 'any': [] }", "{ 'not': 'X' }", "{ 'all': 'X' }",
    "{ 'not': { 'not': { 'all': [ 'A', { 'any': [ 'B' ] } ] } } }",
    "[ 'int' ]", "[ [ 'int' ] ]", "[ 'x', 'x' ]", "{ 'type': 'int' }",
    "{ 'type': [ 'int' ] }", "{ 'name': 'x' }", "{ 'name': 'x', 'if': 'Y' }",
    "'ab'", "1", "null", "0x10", '"dq"', '\\', '#', '##', '\n##\n',
]

SPECIAL_BYTES = [0x00, 0x01, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1b,
                 0x1f, 0x7f, 0x80, 0xbf, 0xc0, 0xc3, 0xe2, 0xef, 0xf0, 0xff,
                 ord("'"), ord('"'), ord('\\'), ord('#'), ord('*'), ord('{'),
                 ord('}'), ord('['), ord(']'), ord(':'), ord(','), ord(' ')]
SPECIAL_SEQS = ['\u00e9'.encode(), '\u2028'.encode(), '\ufeff'.encode(),
                '\U0001f600'.encode(), b'\xed\xa0\x80', b'\xc0\xaf',
                b'\r', b'\r\n', b'\t', b'\x00', b'\\u0000', b'\\', b"\\'",
                b'##', b'\n##\n', b'# @x:', b'\n# =', b'\n#\n']


class Hang(BaseException):
    """Raised by the alarm when one Schema() call takes too long."""


def _on_alarm(signum: int, frame: Any) -> None:
    raise Hang('no result after %d s' % HANG_SECONDS)


# Tokens ---------------------------------------------------------------------

Tok = Tuple[str, str]   # (kind, text)


def tokenize(text: str) -> List[Tok]:
    kind = _KIND.get
    return [(kind(t[0], 'other'), t) for t in _TOK.findall(text)]


def untokenize(toks: List[Tok]) -> str:
    return ''.join(t for _, t in toks)


def significant(toks: List[Tok]) -> List[int]:
    """Indexes of the tokens that are not white space or comments."""
    return [i for i, (k, _) in enumerate(toks) if k not in ('ws', 'comment')]


def top_level_spans(toks: List[Tok]) -> List[Tuple[int, int]]:
    """[start, end) token ranges of the top-level expressions."""
    spans = []
    depth = 0
    start = 0
    for i, (kind, text) in enumerate(toks):
        if kind != 'punct':
            continue
        if text in '{[':
            if depth == 0:
                start = i
            depth += 1
        elif text in '}]' and depth > 0:
            depth -= 1
            if depth == 0:
                spans.append((start, i + 1))
    return spans


# Mutations ------------------------------------------------------------------
#
# Each takes the random generator, the current text (bytes, since byte
# flips may make it invalid UTF-8) and the names found in the seed's
# files; it returns the mutant.  Text-level mutations decode with
# surrogateescape so that any byte survives the round trip.

def _dec(data: bytes) -> str:
    return data.decode('utf-8', 'surrogateescape')


def _enc(text: str) -> bytes:
    return text.encode('utf-8', 'surrogateescape')


def m_truncate(rng: random.Random, data: bytes, names: List[str]) -> bytes:
    return data[:rng.randrange(len(data) + 1)]


def m_byte_flip(rng: random.Random, data: bytes, names: List[str]) -> bytes:
    buf = bytearray(data)
    for _ in range(rng.choice((1, 1, 1, 2, 3, 8))):
        if not buf:
            break
        pos = rng.randrange(len(buf))
        how = rng.randrange(4)
        if how == 0:
            buf[pos] = rng.randrange(256)
        elif how == 1:
            buf[pos] = rng.choice(SPECIAL_BYTES)
        elif how == 2:
            buf[pos] ^= 1 << rng.randrange(8)
        else:
            buf[pos:pos + rng.randrange(2)] = rng.choice(SPECIAL_SEQS)
    return bytes(buf)


def m_token_swap(rng: random.Random, data: bytes, names: List[str]) -> bytes:
    toks = tokenize(_dec(data))
    sig = significant(toks)
    if len(sig) < 2:
        return data
    a, b = rng.sample(sig, 2)
    toks[a], toks[b] = toks[b], toks[a]
    return _enc(untokenize(toks))


def m_token_delete(rng: random.Random, data: bytes, names: List[str]) -> bytes:
    toks = tokenize(_dec(data))
    sig = significant(toks)
    if not sig:
        return data
    for i in sorted(rng.sample(sig, min(len(sig), rng.choice((1, 1, 2, 3)))),
                    reverse=True):
        del toks[i]
    return _enc(untokenize(toks))


def m_token_dup(rng: random.Random, data: bytes, names: List[str]) -> bytes:
    toks = tokenize(_dec(data))
    sig = significant(toks)
    if not sig:
        return data
    i = rng.choice(sig)
    j = rng.choice(sig)
    toks.insert(j, toks[i])
    if rng.random() < 0.5:
        toks.insert(j + 1, ('ws', ' '))
    return _enc(untokenize(toks))


def m_token_replace(rng: random.Random, data: bytes,
                    names: List[str]) -> bytes:
    toks = tokenize(_dec(data))
    sig = significant(toks)
    if not sig:
        return data
    toks[rng.choice(sig)] = ('other', rng.choice(INTERESTING))
    return _enc(untokenize(toks))


def m_line_delete(rng: random.Random, data: bytes, names: List[str]) -> bytes:
    lines = data.split(b'\n')
    i = rng.randrange(len(lines))
    del lines[i:i + rng.choice((1, 1, 1, 2, 5))]
    return b'\n'.join(lines)


def m_line_dup(rng: random.Random, data: bytes, names: List[str]) -> bytes:
    lines = data.split(b'\n')
    i = rng.randrange(len(lines))
    n = rng.choice((1, 1, 2, 4))
    lines[rng.randrange(len(lines) + 1):0] = lines[i:i + n]
    return b'\n'.join(lines)


def m_quotes(rng: random.Random, data: bytes, names: List[str]) -> bytes:
    how = rng.randrange(4)
    if how == 0:                # every quote becomes a double quote
        return data.replace(b"'", b'"')
    pos = [i for i, c in enumerate(data) if c in b'\'"']
    if not pos:
        return data
    buf = bytearray(data)
    if how == 1:                # one quote swapped
        i = rng.choice(pos)
        buf[i] = ord('"') if buf[i] == ord("'") else ord("'")
    elif how == 2:              # one quote deleted
        del buf[rng.choice(pos)]
    else:                       # one quote doubled or escaped
        i = rng.choice(pos)
        buf[i:i] = rng.choice((b"'", b'\\'))
    return bytes(buf)


def m_nesting(rng: random.Random, data: bytes, names: List[str]) -> bytes:
    depth = rng.choice((10, 62, 63, 64, 65, 100, 1000, 20000))
    kind = rng.randrange(4)
    if kind == 0:
        opn, cls = '[ ' * depth, ' ]' * depth
    elif kind == 1:
        opn, cls = "{ 'a': " * depth, ' }' * depth
    elif kind == 2:
        opn, cls = "[ { 'a': " * (depth // 2), ' } ]' * (depth // 2)
    else:                       # unbalanced
        opn, cls = rng.choice('[{') * depth, ''
    toks = tokenize(_dec(data))
    # Insert in place of a value: after ':' or '[' or ',' (or anywhere).
    spots = [i + 1 for i, t in enumerate(toks)
             if t in (('punct', ':'), ('punct', '['), ('punct', ','))]
    if not spots or rng.random() < 0.2:
        spots = list(range(len(toks) + 1))
    i = rng.choice(spots)
    value = rng.choice(("'int'", '{}', '[]', 'true', "'x'"))
    if rng.random() < 0.3 or i >= len(toks):
        toks.insert(i, ('other', opn + value + cls + (', ' if i < len(toks) else '')))
    else:
        # Wrap the existing value.
        j = i
        while j < len(toks) and toks[j][0] == 'ws':
            j += 1
        toks.insert(j + 1, ('other', cls))
        toks.insert(j, ('other', opn))
    if rng.random() < 0.1:
        return _enc(opn + value + cls + '\n') + data
    return _enc(untokenize(toks))


def m_rename(rng: random.Random, data: bytes, names: List[str]) -> bytes:
    toks = tokenize(_dec(data))
    strs = [i for i, (k, t) in enumerate(toks)
            if k == 'str' and _NAME.match(t.strip("'"))]
    if not strs:
        return data
    for _ in range(rng.choice((1, 1, 2, 4))):
        i = rng.choice(strs)
        new = rng.choice(names + BUILTINS)
        star = toks[i][1].startswith("'*")
        if star and not new.startswith('*'):
            new = '*' + new
        if rng.random() < 0.15:
            toks[i] = ('other', "[ '%s' ]" % new.lstrip('*'))
        else:
            toks[i] = ('str', "'%s'" % new)
    return _enc(untokenize(toks))


def m_optional(rng: random.Random, data: bytes, names: List[str]) -> bytes:
    toks = tokenize(_dec(data))
    keys = []
    sig = significant(toks)
    for n, i in enumerate(sig):
        if (toks[i][0] == 'str' and n + 1 < len(sig)
                and toks[sig[n + 1]] == ('punct', ':')):
            keys.append(i)
    if not keys:
        return data
    for _ in range(rng.choice((1, 1, 3))):
        i = rng.choice(keys)
        t = toks[i][1]
        if t.startswith("'*"):
            t = "'" + t[2:] if rng.random() < 0.8 else "'*" + t[1:]
        else:
            t = "'*" + t[1:]
        toks[i] = ('str', t)
    return _enc(untokenize(toks))


def m_dup_definition(rng: random.Random, data: bytes,
                     names: List[str]) -> bytes:
    toks = tokenize(_dec(data))
    spans = top_level_spans(toks)
    if not spans:
        return data
    start, end = rng.choice(spans)
    copy = toks[start:end]
    if rng.random() < 0.3:
        # Make it a C name clash rather than a plain duplicate.
        for n, (k, t) in enumerate(copy):
            if k == 'str' and _NAME.match(t.strip("'")) and n > 0:
                alt = (t.replace('-', '_') if '-' in t else
                       t.replace('_', '-') if '_' in t else
                       t[:2] + t[2:].swapcase())
                copy[n] = ('str', alt)
                break
    where = rng.choice([s for s, _ in spans] + [len(toks)])
    toks[where:where] = copy + [('ws', '\n')]
    return _enc(untokenize(toks))


def m_splice(rng: random.Random, data: bytes, names: List[str]) -> bytes:
    """Move a random chunk of bytes elsewhere."""
    if len(data) < 2:
        return data
    a = rng.randrange(len(data))
    b = min(len(data), a + rng.randrange(1, 200))
    chunk = data[a:b]
    rest = data[:a] + data[b:]
    c = rng.randrange(len(rest) + 1)
    return rest[:c] + chunk + rest[c:]


# Directory holding c0.json .. cN.json, where each file includes the next:
# an include of cK.json nests includes N - K deep.  Set by main().
_chain_dir = ''
CHAIN_FILES = 1000


def make_include_chain(folder: str) -> None:
    os.makedirs(folder)
    for i in range(CHAIN_FILES):
        with open(os.path.join(folder, 'c%d.json' % i), 'w') as f:
            if i + 1 < CHAIN_FILES:
                f.write("{ 'include': 'c%d.json' }\n" % (i + 1))
            else:
                f.write('# end of the include chain\n')


def m_deep_chain(rng: random.Random, data: bytes, names: List[str]) -> bytes:
    """Semantic rather than syntactic nesting: a long chain of struct
    bases, or of nested includes."""
    depth = rng.choice((5, 50, 300, 1200))
    if rng.random() < 0.3 and _chain_dir:
        depth = min(depth, CHAIN_FILES)
        inc = "{ 'include': '%s' }\n" % os.path.join(
            _chain_dir, 'c%d.json' % (CHAIN_FILES - depth))
        return data + b'\n' + inc.encode()
    # Bases defined after use, or before.  The latter costs depth**2 to
    # check (the struct at depth k has k members): keep it shorter.
    forward = rng.random() < 0.5
    if not forward:
        depth = min(depth, 300)
    defs = ["{ 'struct': 'FuzzChain%d', 'base': 'FuzzChain%d', "
            "'data': { 'm%d': 'int' } }\n" % (i, i + 1, i) for i in range(depth)]
    defs.append("{ 'struct': 'FuzzChain%d', 'data': {} }\n" % depth)
    if not forward:
        defs.reverse()
    text = ''.join(defs)
    if rng.random() < 0.3:
        # Reach the chain through a command's arguments instead.
        text += "{ 'command': 'fuzz-chain', 'data': 'FuzzChain0', 'boxed': true }\n"
    return data + b'\n' + text.encode()


MUTATIONS: List[Tuple[Callable[[random.Random, bytes, List[str]], bytes], int]] = [
    (m_truncate, 6),
    (m_byte_flip, 12),
    (m_token_swap, 10),
    (m_token_delete, 10),
    (m_token_dup, 8),
    (m_token_replace, 12),
    (m_line_delete, 8),
    (m_line_dup, 6),
    (m_quotes, 5),
    (m_nesting, 5),
    (m_rename, 14),
    (m_optional, 8),
    (m_dup_definition, 8),
    (m_splice, 4),
    (m_deep_chain, 2),
]


def mutate(rng: random.Random, data: bytes, names: List[str]) -> Tuple[bytes, List[str]]:
    funcs = [f for f, _ in MUTATIONS]
    weights = [w for _, w in MUTATIONS]
    applied = []
    for _ in range(rng.choice((1, 1, 1, 2, 2, 3))):
        func = rng.choices(funcs, weights)[0]
        data = func(rng, data, names)
        applied.append(func.__name__[2:])
    return data, applied


# Seeds ------------------------------------------------------------------------

class Seed:
    """A valid schema copied with its includes into its own directory."""

    def __init__(self, label: str, main: str, files: Dict[str, bytes],
                 names: List[str], seed_dir: str, tmpdir: str) -> None:
        self.label = label
        self.main = main            # absolute path of the main file's copy
        self.files = files          # absolute path of each copy -> contents
        self.names = names          # names found in the files
        self.dir = seed_dir         # where the copies are
        self.tmpdir = tmpdir        # the fuzzer's whole temporary directory


def collect_seeds(srcdir: str, tmpdir: str, schema_cls: Any,
                  error_cls: Any) -> Tuple[List[Seed], int]:
    """The seeds, and how many files of good/ were rejected."""
    paths = []
    for sub in (os.path.join('tests', 'qapi-schema', 'good'), 'schema'):
        folder = os.path.join(srcdir, sub)
        if os.path.isdir(folder):
            paths += [os.path.join(sub, f) for f in sorted(os.listdir(folder))
                      if f.endswith('.json')]
    seeds = []
    bad_good = 0
    for n, rel in enumerate(paths):
        path = os.path.join(srcdir, rel)
        try:
            read = schema_cls(path).files
        except error_cls as err:
            if rel.startswith('schema'):
                # schema/common.json and misc.json rely on the pragmas
                # schema/pragma.json sets: not valid on their own.
                print('note: seed %s is not valid on its own, skipped: %s'
                      % (rel, str(err).splitlines()[-1]))
            else:
                print('FAIL valid schema %s rejected:\n%s' % (rel, err))
                bad_good += 1
            continue
        absfiles = [os.path.abspath(f) for f in read]
        root = os.path.commonpath([os.path.dirname(f) for f in absfiles])
        seed_dir = os.path.join(tmpdir, 's%03d' % n)
        contents: Dict[str, bytes] = {}
        for f in absfiles:
            dest = os.path.join(seed_dir, os.path.relpath(f, root))
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            with open(f, 'rb') as fin:
                contents[dest] = fin.read()
            with open(dest, 'wb') as fout:
                fout.write(contents[dest])
        main = os.path.join(seed_dir, os.path.relpath(absfiles[0], root))
        names = set()
        for data in contents.values():
            for kind, text in tokenize(_dec(data)):
                if kind == 'str' and _NAME.match(text.strip("'")):
                    names.add(text.strip("'").lstrip('*'))
        seeds.append(Seed(rel, main, contents, sorted(names), seed_dir, tmpdir))
    return seeds, bad_good


# Running ------------------------------------------------------------------------

def check_message(msg: str, tmpdir: str) -> Optional[str]:
    """None if msg is a well-formed located error message, else what is
    wrong with it.  Its form: context lines (include chain, enclosing
    definition), then the located line FILE:LINE[:COL]: ...; further
    lines must be located too (e.g. "previous definition"), except the
    "Valid keys are ..." hint QEMU also prints after an unknown key."""
    lines = msg.split('\n')
    n = 0
    while n < len(lines) - 1 and _CONTEXT.match(lines[n]):
        n += 1
    for k, line in enumerate(lines[n:]):
        m = _LOCATED.match(line)
        if not m:
            if k > 0 and _HINT.match(line):
                continue
            return 'QAPIError message line %d has no location:\n%s\n' % (n + k + 1, msg)
        fname = os.path.realpath(m.group('file'))
        if (not os.path.isfile(fname)
                or not fname.startswith(os.path.realpath(tmpdir) + os.sep)):
            return ('QAPIError located in %s, which is neither the mutant nor '
                    'a file it includes:\n%s\n' % (m.group('file'), msg))
        if int(m.group('line')) < 1:
            return 'QAPIError with line number < 1:\n%s\n' % msg
    return None


def check_outcome(seed: Seed, schema_cls: Any, error_cls: Any,
                  tally: Dict[str, int]) -> Optional[str]:
    """Run Schema() on the seed's main file: None if the outcome is
    acceptable, else a description of the failure.  Counts outcomes in
    tally: 'accepted', or the error message with names blanked out."""
    signal.setitimer(signal.ITIMER_REAL, HANG_SECONDS)
    try:
        schema_cls(seed.main)
    except error_cls as err:
        signal.setitimer(signal.ITIMER_REAL, 0)
        try:
            msg = str(err)
        except Exception:
            return 'str(QAPIError) raised:\n' + traceback.format_exc()
        key = re.sub(r"'[^']*'", "'_'", _LOCATED.sub('', msg.split('\n')[-1]))
        tally[key] = tally.get(key, 0) + 1
        return check_message(msg, seed.tmpdir)
    except KeyboardInterrupt:
        raise
    except BaseException:
        signal.setitimer(signal.ITIMER_REAL, 0)
        return traceback.format_exc()
    signal.setitimer(signal.ITIMER_REAL, 0)
    tally['accepted'] = tally.get('accepted', 0) + 1
    return None


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument('--srcdir', default=os.environ.get('srcdir', '.'))
    ap.add_argument('--seed', type=int,
                    default=int(os.environ.get('QAPIC_FUZZ_SEED', '0')))
    ap.add_argument('--iterations', type=int,
                    default=int(os.environ.get('QAPIC_FUZZ_ITERATIONS',
                                               str(DEFAULT_ITERATIONS))))
    ap.add_argument('--only', type=int, metavar='I',
                    help='run iteration I only (to replay a failure)')
    ap.add_argument('-v', '--verbose', action='store_true',
                    help='print how often each outcome occurred')
    ap.add_argument('--outdir', default=os.environ.get('abs_top_builddir', '.'),
                    help='where crash files go (default: the build directory)')
    args = ap.parse_args()
    srcdir = os.path.abspath(args.srcdir)
    sys.path.insert(0, os.path.join(srcdir, 'generator'))
    from qapic.frontend.schema import Schema
    from qapic.frontend.source import QAPIError

    signal.signal(signal.SIGALRM, _on_alarm)
    started = time.monotonic()
    for stale in glob.glob(os.path.join(glob.escape(os.path.abspath(args.outdir)),
                                        'fuzz-crash-*.json')):
        os.remove(stale)
    passed = failed = 0
    shown: Dict[str, int] = {}
    tally: Dict[str, int] = {}
    tmpdir = tempfile.mkdtemp(prefix='qapic-fuzz-')
    try:
        global _chain_dir
        _chain_dir = os.path.join(tmpdir, 'include-chain')
        make_include_chain(_chain_dir)
        seeds, failed = collect_seeds(srcdir, tmpdir, Schema, QAPIError)
        if not seeds:
            print('no valid seed schema found')
            print('0 passed, %d failed' % (failed + 1))
            return 1
        print('fuzzing %d seed schemas, seed %d, %d iterations'
              % (len(seeds), args.seed, args.iterations))
        todo = [args.only] if args.only is not None else range(args.iterations)
        for it in todo:
            rng = random.Random('%d:%d' % (args.seed, it))
            seed = rng.choice(seeds)
            targets = sorted(seed.files)
            target = seed.main
            if len(targets) > 1 and rng.random() < 0.25:
                target = rng.choice(targets)
            mutant, applied = mutate(rng, seed.files[target], seed.names)
            with open(target, 'wb') as f:
                f.write(mutant)
            try:
                problem = check_outcome(seed, Schema, QAPIError, tally)
            finally:
                with open(target, 'wb') as f:
                    f.write(seed.files[target])
            if problem is None:
                passed += 1
                continue
            failed += 1
            what = ('iteration %d (seed %d): %s mutated by %s'
                    % (it, args.seed, os.path.relpath(target, seed.dir),
                       '+'.join(applied)))
            saved = ''
            if failed <= MAX_SAVED:
                saved = os.path.join(os.path.abspath(args.outdir),
                                     'fuzz-crash-%d.json' % failed)
                with open(saved, 'wb') as f:
                    f.write(mutant)
            print('FAIL %s, from %s%s' % (what, seed.label,
                                          ', saved as ' + saved if saved else ''))
            # Print each distinct problem in full, a few times at most.
            sig = problem.strip().splitlines()[-1][:120]
            shown[sig] = shown.get(sig, 0) + 1
            if shown[sig] <= 2 and sum(shown.values()) <= MAX_SHOWN * 2:
                text = _dec(mutant)
                if len(text) > 4000:
                    text = text[:4000] + '\n[... %d more bytes]' % (len(mutant) - 4000)
                print('--- mutant\n%s\n--- problem\n%s---' % (text, problem))
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        shutil.rmtree(tmpdir, ignore_errors=True)
    if args.verbose:
        print('outcomes:')
        for key, count in sorted(tally.items(), key=lambda x: (-x[1], x[0])):
            print('  %5d x %s' % (count, key))
    if shown:
        print('distinct failures:')
        for sig, count in sorted(shown.items(), key=lambda x: -x[1]):
            print('  %5d x %s' % (count, sig))
    print('elapsed %.1f s' % (time.monotonic() - started))
    print('%d passed, %d failed' % (passed, failed))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
