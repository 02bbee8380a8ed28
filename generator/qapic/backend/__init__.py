"""The C back-end: one module per kind of output.

Output files follow QEMU's naming: for each schema module M (a schema
file), qapi-types-M.{h,c}, qapi-json-M.{h,c} and qapi-events-M.{h,c};
the main schema file's own outputs drop the -M and, since each module's
header includes the headers of the modules it includes, serve as
umbrella headers; likewise qapi-commands-M.{h,c}, whose main-module
files also hold qmp_init_marshal(), and qapi-client-M.{h,c}, the typed
QMP client.  Once per schema:
qapi-emit-events.{h,c} (the QAPIEvent enum) and qapi-introspect.{h,c}.
-p prefixes every file name; -b also writes the built-in module
(qapi-builtin-types.*, qapi-builtin-json.*), which libqapi already
contains.
"""

import os
import sys
from typing import Dict, List, Optional, Tuple

from ..cli import Options
from ..frontend.entities import Command, Entity, Event, Type
from ..frontend.schema import BUILTIN_MODULE, Schema
from .client import emit_client
from .commands import emit_commands, emit_init
from .events import emit_event_enum, emit_events
from .gen import CFile, Outputs, write_if_changed
from .introspect import emit_introspect
from .json import emit_json
from .types import emit_types

BLURBS = {
    'types': 'Schema-defined QAPI types',
    'json': 'JSON marshallers for schema-defined QAPI types',
    'events': 'Schema-defined QAPI events',
    'commands': 'Schema-defined QAPI/QMP commands',
    'client': 'Typed QMP client for schema-defined commands and events',
}


class Generator:
    def __init__(self, schema: Schema, opts: Options) -> None:
        self.schema = schema
        self.opts = opts
        self.main = schema.modules[1]
        self.outputs = Outputs()
        self.schema_name = os.path.basename(schema.fname)

    def basename(self, kind: str, module: str) -> str:
        if module == BUILTIN_MODULE:
            return '%sqapi-builtin-%s' % (self.opts.prefix, kind)
        name = '%sqapi-%s' % (self.opts.prefix, kind)
        if module != self.main:
            name += '-' + os.path.splitext(os.path.basename(module))[0]
        return os.path.join(os.path.dirname(module), name)

    def pair(self, kind: str, module: str) -> 'tuple[CFile, CFile]':
        """The header and source of one kind for one module; the header
        includes its counterparts of the modules the module includes."""
        base = self.basename(kind, module)
        blurb = '%s (module %s)' % (BLURBS[kind], module)
        h = self.outputs.get(base + '.h', blurb, self.schema_name)
        c = self.outputs.get(base + '.c', blurb, self.schema_name)
        h.add_include('stdbool.h', system=True)
        h.add_include('stdint.h', system=True)
        h.add_include('jansson.h', system=True)
        if kind != 'types':
            h.add_include(self.relative(h, self.basename('types', module)))
        if module != BUILTIN_MODULE and kind in ('types', 'json'):
            self.include(h, kind, BUILTIN_MODULE)
        for included in self.schema.includes.get(module, []):
            self.include(h, kind, included)
        c.add_include('stdlib.h', system=True)
        c.add_include('string.h', system=True)
        c.add_include('qapi/marshal.h')
        c.add_include(os.path.basename(h.fname))
        return h, c

    def relative(self, h: CFile, base: str) -> str:
        here, there = os.path.split(base)
        if here == os.path.dirname(h.fname):
            return there + '.h'   # the usual case, without relpath's cost
        return os.path.relpath(base + '.h', os.path.dirname(h.fname) or '.')

    def include(self, h: CFile, kind: str, module: str) -> None:
        base = self.basename(kind, module)
        if module == BUILTIN_MODULE and not self.opts.builtins:
            # libqapi's copy, installed without any prefix
            h.add_include('qapi/qapi-builtin-%s.h' % kind)
        else:
            h.add_include(self.relative(h, base))

    def modules(self) -> List[str]:
        """The modules whose outputs this run writes."""
        return [m for m in self.schema.modules
                if m != BUILTIN_MODULE or self.opts.builtins]

    def build(self, modules: Optional[List[str]] = None,
              once: bool = True) -> Outputs:
        """Emit the outputs of @modules (default: all), and with @once the
        outputs written once per schema.  Modules are independent of each
        other, so that two processes can share them."""
        by_module: Dict[str, List[Entity]] = {m: [] for m in self.schema.modules}
        for ent in self.schema.entities:
            by_module[ent.module].append(ent)
        for module in self.modules() if modules is None else modules:
            types = [e for e in by_module[module] if isinstance(e, Type)]
            th, tc = self.pair('types', module)
            th.add_include('qapi/enum.h')
            th.add_include('qapi/util.h')
            emit_types(th, tc, types)
            jh, jc = self.pair('json', module)
            jh.add_include('qapi/input.h')
            jh.add_include('qapi/output.h')
            emit_json(jh, jc, types)
            if module != BUILTIN_MODULE:
                eh, ec = self.pair('events', module)
                eh.add_include('qapi/event.h')
                ec.add_include(os.path.basename(jh.fname))
                emit_events(eh, ec, [e for e in by_module[module]
                                     if isinstance(e, Event)])
                ch, cc = self.pair('commands', module)
                ch.add_include('qapi/dispatch.h')
                cc.add_include(os.path.basename(jh.fname))
                emit_commands(ch, cc, [e for e in by_module[module]
                                       if isinstance(e, Command)])
                if module == self.main:
                    emit_init(ch, cc, [e for e in self.schema.entities
                                       if isinstance(e, Command)],
                              self.opts.prefix)
                kh, kc = self.pair('client', module)
                kh.add_include('qapi/qmp-client.h')
                kc.add_include(os.path.basename(jh.fname))
                emit_client(kh, kc, [e for e in by_module[module]
                                     if isinstance(e, Command)],
                            [e for e in by_module[module]
                             if isinstance(e, Event)])
        if not once:
            return self.outputs
        events = [e for e in self.schema.entities if isinstance(e, Event)]
        h, c = self.once('emit-events', 'The QAPIEvent enum')
        h.add_include('qapi/enum.h')
        emit_event_enum(h, c, events, self.opts.prefix)
        h, c = self.once('introspect',
                         'The schema as query-qmp-schema returns it')
        emit_introspect(h, c, self.schema, self.opts.prefix, self.opts.unmask)
        return self.outputs

    def once(self, kind: str, blurb: str) -> 'tuple[CFile, CFile]':
        """The header and source of an output written once per schema."""
        base = self.opts.prefix + 'qapi-' + kind
        h = self.outputs.get(base + '.h', blurb, self.schema_name)
        c = self.outputs.get(base + '.c', blurb, self.schema_name)
        h.add_include('jansson.h', system=True)
        c.add_include(os.path.basename(h.fname))
        return h, c


def write_depfile(path: str, schema: Schema, targets: List[str]) -> None:
    deps = ' \\\n  '.join(schema.files)
    text = '%s: \\\n  %s\n' % (' '.join(targets), deps)
    # An empty rule per schema file, so that deleting one does not break
    # the build (as gcc -MP does).
    text += ''.join('\n%s:\n' % f for f in schema.files)
    write_if_changed(path, text)


def generate(schema: Schema, opts: Options) -> List[str]:
    """Write (or with --list-outputs, list) the output files; return the
    paths written, the depfile included."""
    gen = Generator(schema, opts)
    if opts.list_outputs:
        names = sorted(gen.build().files)
        sys.stdout.write(''.join(os.path.join(opts.output_dir, f) + '\n'
                                 for f in names))
        return []
    paths = _build_and_write(gen, opts.output_dir)
    if opts.depfile:
        write_depfile(opts.depfile, schema, paths)
        paths.append(opts.depfile)
    return paths


def _write(outputs: Outputs, output_dir: str) -> List[str]:
    paths = []
    for name, cfile in outputs.files.items():
        path = os.path.join(output_dir, name)
        write_if_changed(path, cfile.content())
        paths.append(path)
    return paths


def _halves(gen: Generator) -> Tuple[List[str], List[str]]:
    """The modules split in two of about equal work, by definition count,
    heaviest first; the outputs written once per schema (introspection
    describes every definition) weigh on the first half."""
    weight: Dict[str, int] = {}
    for ent in gen.schema.entities:
        weight[ent.module] = weight.get(ent.module, 0) + 1
    halves: Tuple[List[str], List[str]] = ([], [])
    load = [len(gen.schema.entities) // 4, 0]
    for module in sorted(gen.modules(), key=lambda m: -weight.get(m, 0)):
        i = 0 if load[0] <= load[1] else 1
        halves[i].append(module)
        load[i] += weight.get(module, 0)
    return halves


def _build_and_write(gen: Generator, output_dir: str) -> List[str]:
    """Emit, render and write every output.  That is most of a run's
    time, so on a system with fork() and more than one CPU a child
    process takes about half the modules.  It reports through a pipe the
    paths it wrote, or its error; a failure in either process fails the
    run, with one message."""
    modules = gen.modules()
    if (len(modules) < 4 or not hasattr(os, 'fork')
            or (os.cpu_count() or 1) < 2):
        return _write(gen.build(), output_dir)
    mine, theirs = _halves(gen)
    sys.stdout.flush()
    sys.stderr.flush()
    rfd, wfd = os.pipe()
    pid = os.fork()
    if pid == 0:
        status = 1
        try:   # whatever happens, the child goes no further than this
            os.close(rfd)
            with os.fdopen(wfd, 'w') as pipe:
                try:
                    report = '\n'.join(_write(gen.build(theirs, once=False),
                                              output_dir))
                except OSError as err:
                    report = '!%s' % err
                pipe.write(report)
            status = 0
        finally:
            os._exit(status)
    os.close(wfd)
    try:
        paths = _write(gen.build(mine), output_dir)
    finally:
        with os.fdopen(rfd) as pipe:
            report = pipe.read()
        _, status = os.waitpid(pid, 0)
    if report.startswith('!'):
        raise OSError(report[1:])
    if status != 0:
        raise OSError('writing the output files failed')
    return sorted(paths + [p for p in report.split('\n') if p])
