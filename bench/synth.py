"""Synthetic QAPI schemas for bench/growth.py.

``write_schema(dirname, count, modules)`` writes ``qapi-schema.json``
including ``modules`` modules with ``count`` definitions between them,
documented as QEMU documents its schema (``doc-required``).  The mix of
definitions follows QEMU 8.0's schema (922 definitions: 162 enums, 435
structs, 39 unions, 6 alternates, 228 commands, 52 events; about one in
five under 'if').  Structs have bases, optional members, lists and
nested types; unions are discriminated by an enum; commands take
arguments and return structs or lists.  Definitions refer only to
earlier, unconditional ones, so the generated C would also compile.
The output depends only on the arguments (a seeded random generator).
"""

import os
import random
from typing import Dict, List, Optional, Sequence, Set, Tuple

# Per 100 definitions, in QEMU's proportions.
MIX = (('enum', 18), ('struct', 47), ('union', 4), ('alternate', 1),
       ('command', 24), ('event', 6))

NOUNS = ('Block', 'Net', 'Chardev', 'Migration', 'Cpu', 'Memory', 'Display',
         'Audio', 'Usb', 'Pci', 'Rtc', 'Vnc', 'Job', 'Dirty', 'Tpm', 'Acpi',
         'Numa', 'Yank', 'Vfio', 'Virtio')
SUFFIXES = ('Info', 'Options', 'Stats', 'Config', 'Params', 'Status')
# 'driver' and 'node-name' are kept for union bases, so no branch clashes.
WORDS = ('id-str', 'size', 'offset', 'len', 'speed', 'device', 'filename',
         'format', 'backing-file', 'read-only', 'encrypted', 'bus', 'addr',
         'port', 'host', 'path', 'mode', 'state', 'enabled', 'count',
         'granularity', 'dirty', 'status', 'vcpu', 'thread-id', 'props',
         'qom-path', 'active', 'hits', 'misses', 'timestamp', 'max-size',
         'min-size', 'label', 'tag', 'flags', 'version', 'uuid', 'level',
         'iops', 'bps', 'ring', 'queue', 'index')
VALUES = ('off', 'on', 'auto', 'running', 'paused', 'stopped', 'copy', 'write',
          'read', 'none', 'unix', 'inet', 'vsock', 'fd', 'ignore', 'report',
          'stop', 'enospc', 'native', 'threads', 'io-uring', 'unmap')
SCALARS = ('str', 'str', 'str', 'int', 'uint32', 'uint64', 'size', 'bool',
           'bool', 'number', 'int64')
CONDITIONS = ("'CONFIG_LINUX'", "'CONFIG_POSIX'", "'CONFIG_VNC'",
              "{ 'not': 'CONFIG_WIN32' }",
              "{ 'all': [ 'CONFIG_POSIX', 'CONFIG_SPICE' ] }",
              "{ 'any': [ 'CONFIG_KVM', 'CONFIG_TCG' ] }")


class _Writer:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.enums: List[str] = []          # unconditional, referable
        self.plain_enums: List[Tuple[str, List[str]]] = []  # no 'if' values
        self.structs: List[str] = []
        self.members: Dict[str, Set[str]] = {}  # struct -> all its members

    def pick(self, pool: List[str]) -> str:
        # Mostly recent definitions, as within a QEMU module.
        return pool[-1 - min(int(self.rng.expovariate(0.02)), len(pool) - 1)]

    def cond(self) -> Optional[str]:
        return self.rng.choice(CONDITIONS) if self.rng.random() < 0.2 else None

    def mtype(self) -> str:
        r = self.rng.random()
        if r < 0.12 and self.enums:
            return "'%s'" % self.pick(self.enums)
        if r < 0.22 and self.structs:
            return "'%s'" % self.pick(self.structs)
        if r < 0.27 and self.structs:
            return "[ '%s' ]" % self.pick(self.structs)
        if r < 0.30:
            return "[ 'str' ]"
        return "'%s'" % self.rng.choice(SCALARS)

    def data(self, avoid: Set[str], lo: int, hi: int, conds: bool = False
             ) -> Tuple[List[Tuple[str, str]], List[str]]:
        """Members (name, type), with their doc lines; conditional ones
        only where conds (arguments need 'boxed' for them)."""
        words = [w for w in WORDS if w not in avoid]
        names = self.rng.sample(words, min(len(words), self.rng.randint(lo, hi)))
        out, doc = [], []
        for name in names:
            typ = self.mtype()
            if conds and self.rng.random() < 0.05:
                typ = "{ 'type': %s, 'if': %s }" % (typ, self.rng.choice(CONDITIONS))
            opt = self.rng.random() < 0.45
            out.append(('*' + name if opt else name, typ))
            doc.append('# @%s: The %s of the object%s.' % (
                name, name.replace('-', ' '), ' (default: none)' if opt else ''))
            if self.rng.random() < 0.3:
                doc.append('#     Continued description of @%s.' % name)
        return out, doc


def _members(data: List[Tuple[str, str]], indent: int) -> str:
    if not data:
        return '{}'
    sep = ',\n' + ' ' * (indent + 2)
    return '{ ' + sep.join("'%s': %s" % m for m in data) + ' }'


def _doc(name: str, body: List[str], extra: Sequence[str] = ()) -> str:
    lines = ['##', '# @%s:' % name, '#', '# Synthetic definition %s.' % name, '#']
    lines += body + (['#'] if body else []) + list(extra) + ['# Since: 8.0', '##']
    return '\n'.join(lines) + '\n'


def _expr(meta: str, name: str, keys: List[str], cond: Optional[str]) -> str:
    if cond:
        keys = keys + ["'if': %s" % cond]
    return '{ ' + ',\n  '.join(["'%s': '%s'" % (meta, name)] + keys) + ' }\n'


def _definition(w: _Writer, kind: str, i: int) -> str:
    rng = w.rng
    noun = rng.choice(NOUNS)
    cond = w.cond()
    if kind == 'union' and (not w.plain_enums or not w.structs):
        kind = 'struct'
    if kind == 'alternate' and not w.structs:
        kind = 'enum'
    if kind == 'enum':
        name = '%sMode%d' % (noun, i)
        values = rng.sample(VALUES, rng.randint(2, 10))
        conds = [rng.random() < 0.05 for _ in values]
        text = ', '.join("{ 'name': '%s', 'if': %s }" % (v, rng.choice(CONDITIONS))
                         if c else "'%s'" % v for v, c in zip(values, conds))
        if not cond:
            w.enums.append(name)
            if not any(conds):
                w.plain_enums.append((name, values))
        return _doc(name, ['# @%s: Mode %s.' % (v, v) for v in values]) + \
            _expr('enum', name, ["'data': [ %s ]" % text], cond)
    if kind == 'struct':
        name = '%s%s%d' % (noun, rng.choice(SUFFIXES), i)
        keys = []
        base: Set[str] = set()
        if w.structs and rng.random() < 0.25:
            parent = w.pick(w.structs)
            if len(w.members[parent]) <= 20:
                base = w.members[parent]
                keys.append("'base': '%s'" % parent)
        data, doc = w.data(base, 1, 8, True)
        keys.insert(0, "'data': %s" % _members(data, 10))
        if not cond:
            w.structs.append(name)
            w.members[name] = base | {m.lstrip('*') for m, _ in data}
        return _doc(name, doc) + _expr('struct', name, keys, cond)
    if kind == 'union':
        name = '%sOptions%d' % (noun, i)
        enum, values = w.plain_enums[-1 - min(int(rng.expovariate(0.1)),
                                              len(w.plain_enums) - 1)]
        branches = [(v, "'%s'" % w.pick(w.structs))
                    for j, v in enumerate(values) if not j or rng.random() < 0.7]
        keys = ["'base': { 'driver': '%s', '*node-name': 'str' }" % enum,
                "'discriminator': 'driver'",
                "'data': %s" % _members(branches, 10)]
        doc = ['# @driver: The driver.', '# @node-name: The node name.']
        return _doc(name, doc) + _expr('union', name, keys, cond)
    if kind == 'alternate':
        name = '%sRef%d' % (noun, i)
        data = [('definition', "'%s'" % w.pick(w.structs)),
                ('reference', "'%s'" % rng.choice(('str', 'int', 'bool')))]
        doc = ['# @definition: Inline.', '# @reference: By reference.']
        return _doc(name, doc) + _expr('alternate', name,
                                       ["'data': %s" % _members(data, 10)], cond)
    if kind == 'command':
        name = '%s-%s-%d' % (rng.choice(('query', 'set', 'x-debug', 'block')),
                             noun.lower(), i)
        keys, doc, extra = [], [], []
        r = rng.random()
        if r < 0.7:
            data, doc = w.data(set(), 1, 6)
            keys.append("'data': %s" % _members(data, 10))
        elif r < 0.85 and w.structs:
            # Its members may be conditional: QEMU passes such boxed.
            keys += ["'data': '%s'" % w.pick(w.structs), "'boxed': true"]
        if rng.random() < 0.05:
            keys.append("'features': [ 'unstable' ]")
            extra = ['# Features:', '#', '# @unstable: This command is experimental.',
                     '#']
        r = rng.random()
        if r < 0.6 and w.structs:
            ret = w.pick(w.structs)
            keys.append("'returns': %s" % ("'%s'" % ret if r < 0.4 else "[ '%s' ]" % ret))
            extra += ['# Returns: the %s.' % ret, '#']
        return _doc(name, doc, extra) + _expr('command', name, keys, cond)
    name = '%s_EVENT_%d' % (noun.upper(), i)
    keys, doc = [], []
    if rng.random() < 0.8:
        data, doc = w.data(set(), 1, 5)
        keys.append("'data': %s" % _members(data, 10))
    return _doc(name, doc) + _expr('event', name, keys, cond)


def write_schema(dirname: str, count: int, modules: int) -> Tuple[str, int]:
    """Write the schema; return the main file's name and the bytes
    written."""
    w = _Writer(count)
    kinds = [k for k, n in MIX for _ in range(n)]
    names = ['module%02d.json' % m for m in range(modules)]
    texts: List[List[str]] = [["{ 'include': '%s' }\n" % names[m - 1]] if m else []
                              for m in range(modules)]
    for i in range(count):
        if i % 100 == 0:
            w.rng.shuffle(kinds)
        # Contiguous blocks: later modules use earlier ones, as in QEMU.
        texts[i * modules // count].append(_definition(w, kinds[i % 100], i))
    os.makedirs(dirname, exist_ok=True)
    total = 0
    for name, parts in zip(names, texts):
        text = '# Synthetic module for bench/growth.py\n\n' + '\n'.join(parts)
        with open(os.path.join(dirname, name), 'w') as f:
            total += f.write(text)
    main = os.path.join(dirname, 'qapi-schema.json')
    with open(main, 'w') as f:
        total += f.write("{ 'pragma': { 'doc-required': true } }\n"
                         + ''.join("{ 'include': '%s' }\n" % n for n in names))
    return main, total
