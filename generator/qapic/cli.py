"""The qapi-gen command line."""

import gc
import os
import sys
from typing import TYPE_CHECKING, List, Optional

from . import __version__
from .options import UsageError, split_args

if TYPE_CHECKING:
    from .stamp import Stamp

USAGE = 'usage: qapi-gen [OPTION]... SCHEMA.json\n'

HELP = USAGE + """
Check a QAPI schema and generate C code for it: types, JSON marshallers,
events, command dispatch, introspection and client stubs.

Options:
  -o, --output-dir=DIR   write output files to DIR (default: .)
  -p, --prefix=PREFIX    prefix every output file name with PREFIX
  -b, --builtins         also generate the built-in types' module
  -u, --unmask-non-abi-names
                         don't mask non-ABI names in introspection
      --check            only check the schema; write nothing
      --depfile=FILE     write a make-style dependency file naming every
                         schema file read
      --list-outputs     print the files a run would write, write nothing
  -h, --help             show this help and exit
      --version          show the version and exit

Exit status: 0 on success, 1 when the schema has errors, 2 on usage errors.
"""


class Options:
    def __init__(self) -> None:
        self.output_dir = '.'
        self.prefix = ''
        self.builtins = False
        self.unmask = False
        self.check = False
        self.depfile: Optional[str] = None
        self.list_outputs = False
        self.schema = ''


_WITH_VALUE = {'-o': 'output_dir', '--output-dir': 'output_dir',
               '-p': 'prefix', '--prefix': 'prefix', '--depfile': 'depfile'}
_FLAGS = {'-b': 'builtins', '--builtins': 'builtins',
          '-u': 'unmask', '--unmask-non-abi-names': 'unmask',
          '--check': 'check', '--list-outputs': 'list_outputs'}


def parse_args(argv: List[str]) -> Options:
    opts = Options()
    options, positional = split_args(argv, _FLAGS, _WITH_VALUE)
    for name, value in options:
        if name in _FLAGS:
            setattr(opts, _FLAGS[name], True)
        else:
            setattr(opts, _WITH_VALUE[name], value)
    if len(positional) != 1:
        raise UsageError('expected one schema file, got %d'
                         % len(positional))
    opts.schema = positional[0]
    return opts


def main(argv: Optional[List[str]] = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if '-h' in argv or '--help' in argv:
        sys.stdout.write(HELP)
        return 0
    if '--version' in argv:
        print('qapi-gen (qapi-c) ' + __version__)
        return 0
    try:
        opts = parse_args(argv)
    except UsageError as err:
        sys.stderr.write('qapi-gen: %s\n%sTry qapi-gen --help.\n'
                         % (err, USAGE))
        return 2
    stamp = None
    if not opts.check and not opts.list_outputs:
        stamp = _stamp(opts)
        if stamp.is_current():
            return 0
    from .frontend.schema import Schema
    from .frontend.source import QAPIError
    try:
        schema = Schema(opts.schema)
        gc.freeze()  # the model lives to the end: spare the collector it
    except QAPIError as err:
        print(err, file=sys.stderr)
        return 1
    if opts.check:
        return 0
    from .backend import generate
    try:
        if stamp:
            stamp.remove()
        outputs = generate(schema, opts)
        if stamp and outputs:
            stamp.write(schema.files, outputs)
    except OSError as err:
        print('qapi-gen: %s' % err, file=sys.stderr)
        return 1
    return 0


def _generator_files() -> List[str]:
    """Size and mtime of every module of the generator: a changed
    generator must regenerate even where the schema did not change."""
    here = os.path.dirname(os.path.abspath(__file__))
    out = []
    for sub in ('', 'frontend', 'backend'):
        folder = os.path.join(here, sub)
        for name in sorted(os.listdir(folder)):
            if name.endswith('.py'):
                st = os.stat(os.path.join(folder, name))
                out.append('%s/%s:%d:%d' % (sub, name, st.st_size,
                                            st.st_mtime_ns))
    return out


def _stamp(opts: Options) -> 'Stamp':
    from .stamp import Stamp
    name = '.%s%s.stamp' % (opts.prefix, os.path.basename(opts.schema))
    options = [os.path.abspath(opts.schema), opts.prefix, str(opts.builtins),
               str(opts.unmask), str(opts.depfile)] + _generator_files()
    return Stamp(os.path.join(opts.output_dir, name), options)
