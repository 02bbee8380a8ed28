"""The qapi-validate command line and its report."""

import os
import sys
from typing import TYPE_CHECKING, BinaryIO, List, Optional

from .. import __version__
from ..options import UsageError, split_args

if TYPE_CHECKING:
    from .session import Model

USAGE = 'usage: qapi-validate [OPTION]... SCHEMA.json CAPTURE...\n'

HELP = USAGE + """
Check captured QMP traffic against a QAPI schema: every command, reply,
event and greeting, each violation reported on stdout as
CAPTURE:LINE: CONTEXT: 'MEMBER.PATH': WHAT.

A capture holds one JSON message a line, optionally prefixed with "-> "
(client to server) or "<- " (server to client); without a prefix the
kind of message follows from its members.  CAPTURE '-' is stdin.

Options:
  -D, --define=MACRO     'if' conditions on MACRO hold
  -U, --undefine=MACRO   'if' conditions on MACRO do not hold
      --unknown-if=BOOL  whether conditions on other macros hold
                         (true, the default, or false)
      --server-only      check only what the server sent; commands are
                         read to match replies, not checked
      --max-errors=N     stop after N violations
  -q, --quiet            report nothing; the exit status tells
  -s, --summary          one line per capture on stderr: messages read,
                         violations found
  -h, --help             show this help and exit
      --version          show the version and exit

Exit status: 0 when no violation was found, 1 when one was, 2 on usage
errors, unreadable captures and schema errors.
"""


class Options:
    def __init__(self) -> None:
        self.defined: List[str] = []
        self.undefined: List[str] = []
        self.unknown_if = True
        self.server_only = False
        self.max_errors = 0
        self.quiet = False
        self.summary = False
        self.schema = ''
        self.captures: List[str] = []


_WITH_VALUE = ('-D', '--define', '-U', '--undefine', '--unknown-if',
               '--max-errors')
_FLAGS = {'-q': 'quiet', '--quiet': 'quiet', '-s': 'summary',
          '--summary': 'summary', '--server-only': 'server_only'}


def parse_args(argv: List[str]) -> Options:
    opts = Options()
    options, positional = split_args(argv, _FLAGS, _WITH_VALUE)
    for name, value in options:
        if name in _FLAGS:
            setattr(opts, _FLAGS[name], True)
        else:
            _set(opts, name, value)
    if len(positional) < 2:
        raise UsageError('expected a schema and at least one capture')
    opts.schema = positional[0]
    opts.captures = positional[1:]
    return opts


def _set(opts: Options, name: str, value: str) -> None:
    if name in ('-D', '--define'):
        opts.defined.append(value)
    elif name in ('-U', '--undefine'):
        opts.undefined.append(value)
    elif name == '--unknown-if':
        if value not in ('true', 'false'):
            raise UsageError("--unknown-if takes 'true' or 'false', not '%s'"
                             % value)
        opts.unknown_if = value == 'true'
    else:
        if not value.isdigit() or int(value) == 0:
            raise UsageError("--max-errors takes a positive number, not '%s'"
                             % value)
        opts.max_errors = int(value)


def main(argv: Optional[List[str]] = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if '-h' in argv or '--help' in argv:
        sys.stdout.write(HELP)
        return 0
    if '--version' in argv:
        print('qapi-validate (qapi-c) ' + __version__)
        return 0
    try:
        opts = parse_args(argv)
    except UsageError as err:
        sys.stderr.write('qapi-validate: %s\n%sTry qapi-validate --help.\n'
                         % (err, USAGE))
        return 2
    from ..frontend.schema import Schema
    from ..frontend.source import QAPIError
    from .checker import Conditions
    from .session import Model
    try:
        schema = Schema(opts.schema)
    except QAPIError as err:
        print(err, file=sys.stderr)
        return 2
    conds = Conditions(frozenset(opts.defined), frozenset(opts.undefined),
                       opts.unknown_if)
    # Deep but valid messages (QMP allows 1024 levels) must not exhaust
    # the recursion of json's decoder or of the checkers.
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10000))
    try:
        return Validator(Model(schema, conds), opts).run()
    except BrokenPipeError:
        # The reader left (| head): nothing more to write, even at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except KeyboardInterrupt:
        return 130


class Validator:
    def __init__(self, model: 'Model', opts: Options) -> None:
        self.model = model
        self.opts = opts
        self.violations = 0
        self.status = 0

    def run(self) -> int:
        for path in self.opts.captures:
            if not self._capture(path):
                break
        if self.violations and self.status == 0:
            self.status = 1
        return self.status

    def _capture(self, path: str) -> bool:
        """Check one capture; False once --max-errors is reached."""
        name = '<stdin>' if path == '-' else path
        try:
            if path == '-':
                return self._stream(name, sys.stdin.buffer)
            with open(path, 'rb') as stream:
                return self._stream(name, stream)
        except BrokenPipeError:
            raise           # stdout's, not the capture's
        except OSError as err:
            sys.stderr.write("qapi-validate: cannot read '%s': %s\n"
                             % (name, err.strerror or err))
            self.status = 2
            return True

    def _stream(self, name: str, stream: BinaryIO) -> bool:
        from .capture import read
        from .session import Session
        session = Session(self.model, not self.opts.server_only)
        write = sys.stdout.write
        quiet = self.opts.quiet
        limit = self.opts.max_errors
        messages = found = 0
        go_on = True
        for msg in read(stream):
            messages += 1
            try:
                problems = session.check(msg)
            except RecursionError:
                problems = ['nested too deeply to check']
            if not problems:
                continue
            if limit and self.violations + len(problems) >= limit:
                problems = problems[:limit - self.violations]
                go_on = False
            found += len(problems)
            self.violations += len(problems)
            if not quiet:
                for p in problems:
                    write('%s:%d: %s\n' % (name, msg.line, p))
            if not go_on:
                sys.stderr.write('qapi-validate: stopped after %d '
                                 'violations\n' % limit)
                break
        if self.opts.summary:
            sys.stderr.write('%s: %d messages, %d violations\n'
                             % (name, messages, found))
        return go_on
