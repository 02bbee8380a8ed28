"""The C back-end: one module per kind of output.

Output files follow QEMU's naming: for each schema module M (a schema
file), qapi-types-M.{h,c} and qapi-json-M.{h,c}; the main schema file's
own outputs drop the -M and, since each module's header includes the
headers of the modules it includes, serve as umbrella headers.  -p
prefixes every file name; -b also writes the built-in module
(qapi-builtin-types.*, qapi-builtin-json.*), which libqapi already
contains.
"""

import os
import sys
from typing import Dict, List

from ..cli import Options
from ..frontend.entities import Type
from ..frontend.schema import BUILTIN_MODULE, Schema
from .gen import CFile, Outputs, write_if_changed
from .json import emit_json
from .types import emit_types

# kind -> (what the file holds, for its header comment)
KINDS = {
    'types': 'Schema-defined QAPI types',
    'json': 'JSON marshallers for schema-defined QAPI types',
}


class ModuleFiles:
    """Names the files of each module."""

    def __init__(self, schema: Schema, opts: Options) -> None:
        self.main = schema.modules[1]
        self.prefix = opts.prefix

    def basename(self, kind: str, module: str) -> str:
        if module == BUILTIN_MODULE:
            return '%sqapi-builtin-%s' % (self.prefix, kind)
        name = '%sqapi-%s' % (self.prefix, kind)
        if module != self.main:
            name += '-' + os.path.splitext(os.path.basename(module))[0]
        return os.path.join(os.path.dirname(module), name)

    def header(self, kind: str, module: str) -> str:
        return self.basename(kind, module) + '.h'


def _include(files: ModuleFiles, h: CFile, kind: str, module: str,
             builtins: bool) -> None:
    """Make h include another module's header of the same kind."""
    if module == BUILTIN_MODULE and not builtins:
        h.add_include('qapi/%s' % os.path.basename(
            files.header(kind, module)))
    else:
        other = files.header(kind, module)
        h.add_include(os.path.relpath(other, os.path.dirname(h.fname) or '.'))


def build(schema: Schema, opts: Options) -> Outputs:
    files = ModuleFiles(schema, opts)
    by_module: Dict[str, List[Type]] = {m: [] for m in schema.modules}
    for ent in schema.entities:
        if isinstance(ent, Type):
            by_module[ent.module].append(ent)
    outputs = Outputs()
    schema_name = os.path.basename(schema.fname)
    for module in schema.modules:
        if module == BUILTIN_MODULE and not opts.builtins:
            continue
        mk = {}
        for kind, blurb in KINDS.items():
            base = files.basename(kind, module)
            text = '%s (module %s)' % (blurb, module)
            mk[kind] = (outputs.get(base + '.h', text, schema_name),
                        outputs.get(base + '.c', text, schema_name))
        th, tc = mk['types']
        jh, jc = mk['json']
        for h in (th, jh):
            h.add_include('stdbool.h', system=True)
            h.add_include('stdint.h', system=True)
            h.add_include('jansson.h', system=True)
        th.add_include('qapi/enum.h')
        th.add_include('qapi/util.h')
        jh.add_include('qapi/input.h')
        jh.add_include('qapi/output.h')
        jh.add_include(os.path.basename(th.fname))
        if module != BUILTIN_MODULE:
            _include(files, th, 'types', BUILTIN_MODULE, opts.builtins)
            _include(files, jh, 'json', BUILTIN_MODULE, opts.builtins)
        for included in schema.includes.get(module, []):
            _include(files, th, 'types', included, opts.builtins)
            _include(files, jh, 'json', included, opts.builtins)
        for c, h in ((tc, th), (jc, jh)):
            c.add_include('stdlib.h', system=True)
            c.add_include('string.h', system=True)
            c.add_include('qapi/marshal.h')
            c.add_include(os.path.basename(h.fname))
        types = by_module[module]
        emit_types(th, tc, types)
        emit_json(jh, jc, types)
    return outputs


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
    outputs = build(schema, opts)
    paths = [os.path.join(opts.output_dir, f) for f in sorted(outputs.files)]
    if opts.list_outputs:
        sys.stdout.write(''.join(p + '\n' for p in paths))
        return []
    for fname, path in zip(sorted(outputs.files), paths):
        write_if_changed(path, outputs.files[fname].content())
    if opts.depfile:
        write_depfile(opts.depfile, schema, paths)
        paths.append(opts.depfile)
    return paths
