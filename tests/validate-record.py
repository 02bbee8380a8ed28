#!/usr/bin/env python3
"""Record a QMP session as a capture for qapi-validate.

    validate-record.py --qemu QEMU [--introspect] [--all-queries]
                       [--query NAME]... OUT
    validate-record.py --server PROGRAM [--introspect] [--all-queries]
                       [--query NAME]... OUT
    validate-record.py --vfio-migrate PROGRAM OUT

--qemu starts QEMU (-M none -nodefaults -display none -S) and --server
tests/qmp-test-server, each on a temporary Unix socket, and runs the
same session: the commands of schema/misc.json and run-state.json,
with ids of several JSON types and none, replies of both kinds, the
events STOP, RESUME and SHUTDOWN; --introspect adds query-qmp-schema,
--all-queries every query command that query-commands lists and
--query NAME the command NAME if it lists it, each without arguments.
--vfio-migrate runs vfio-migrate --qmp and its harness commands.

OUT gets every line sent ("-> ") and received ("<- ") as it was on the
wire, CRLF removed.  Exit status: 0, 1 on failure.
"""

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from typing import Any, Dict, List, Optional, TextIO

TIMEOUT = 20.0

Msg = Dict[str, Any]


class Recorder:
    def __init__(self, path: str, out: TextIO) -> None:
        self.out = out
        deadline = time.monotonic() + TIMEOUT
        while True:
            self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                self.sock.connect(path)
                break
            except OSError:
                self.sock.close()
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.02)
        self.sock.settimeout(TIMEOUT)
        self.buf = b''

    def recv(self) -> Optional[Msg]:
        while b'\n' not in self.buf:
            try:
                data = self.sock.recv(65536)
            except ConnectionResetError:
                data = b''
            if not data:
                return None
            self.buf += data
        line, self.buf = self.buf.split(b'\n', 1)
        text = line.rstrip(b'\r').decode()
        self.out.write('<- %s\n' % text)
        msg: Msg = json.loads(text)
        return msg

    def send(self, req: Msg) -> None:
        text = json.dumps(req)
        self.out.write('-> %s\n' % text)
        self.sock.sendall(text.encode() + b'\n')

    def run(self, cmd: str, args: Optional[Msg] = None, ident: Any = None,
            has_id: bool = True) -> Msg:
        """Send a command, read up to its reply (events included)."""
        req: Msg = {'execute': cmd}
        if args is not None:
            req['arguments'] = args
        if has_id:
            req['id'] = ident if ident is not None else cmd
        self.send(req)
        while True:
            msg = self.recv()
            if msg is None:
                raise RuntimeError('connection closed awaiting ' + cmd)
            if 'return' in msg or 'error' in msg:
                return msg

    def drain(self) -> None:
        """Everything until the server closes the connection."""
        while self.recv() is not None:
            pass


def misc_session(r: Recorder, introspect: bool, all_queries: bool,
                 queries: List[str]) -> None:
    r.recv()
    r.run('qmp_capabilities', ident=0)
    r.run('query-name', ident=1)
    r.run('query-name', has_id=False)
    r.run('query-name', ident='name')
    r.run('query-name', ident={'x': [1, None, True]})
    r.run('query-name', ident=[])
    r.run('query-status', ident=2)
    r.run('query-iothreads', ident=3)
    # QEMU is started with -S: cont gives RESUME, then stop STOP.
    r.run('cont', ident=4)
    r.run('stop', ident=5)
    r.run('query-status', ident=6)
    r.run('cont', ident=6.5)
    r.run('query-command-line-options', {'option': 'machine'}, ident=7)
    r.run('query-command-line-options', {'option': 'no-such-option'},
          ident=8)
    r.run('human-monitor-command', {'command-line': 'info name'}, ident=9)
    r.run('human-monitor-command', {'command-line': 'info status'},
          ident=10)
    r.run('add-fd', {'fdset-id': 1}, ident=11)
    r.run('getfd', {'fdname': 'fd0'}, ident=12)
    r.run('closefd', {'fdname': 'fd0'}, ident=13)
    r.run('remove-fd', {'fdset-id': 99}, ident=14)
    r.run('query-fdsets', ident=15)
    r.run('x-exit-preconfig', ident=16)
    cmds = r.run('query-commands', ident=17).get('return', [])
    if introspect:
        r.run('query-qmp-schema', ident=18)
    names = sorted(c['name'] for c in cmds)
    if all_queries:
        queries += [n for n in names if n.startswith(('query-', 'x-query-'))]
    for name in queries:
        if name in names:
            r.run(name, ident=name)
    r.run('quit', ident=19)
    r.drain()


def harness_session(r: Recorder) -> None:
    r.recv()
    r.run('qmp_capabilities')
    r.run('query-vfio-harness-devices')
    # The migration's events, until the source stops.
    while True:
        msg = r.recv()
        if msg is None:
            raise RuntimeError('closed during the migration')
        if msg.get('event') == 'VFIO_MIGRATION' and \
                msg['data'].get('device-id') == 'vfio-src0' and \
                msg['data'].get('device-state') == 'stop':
            break
    r.run('vfio-harness-set-state', {'id': 'vfio-src0', 'state': 'running'})
    r.run('vfio-harness-set-state', {'id': 'nope', 'state': 'stop'},
          ident='bad device')
    r.run('vfio-harness-migrate', {'source': 'vfio-dst0',
                                   'destination': 'vfio-src0',
                                   'max-rounds': 2})
    r.run('vfio-harness-reset', {'id': 'vfio-dst0'})
    r.run('query-vfio-harness-devices', ident=99)


def main() -> int:
    ap = argparse.ArgumentParser()
    kind = ap.add_mutually_exclusive_group(required=True)
    kind.add_argument('--qemu')
    kind.add_argument('--server')
    kind.add_argument('--vfio-migrate')
    ap.add_argument('--introspect', action='store_true')
    ap.add_argument('--all-queries', action='store_true')
    ap.add_argument('--query', action='append', default=[])
    ap.add_argument('out')
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix='validate-record.')
    path = os.path.join(tmp, 'qmp.sock')
    if args.qemu:
        argv = [args.qemu, '-M', 'none', '-nodefaults', '-display', 'none',
                '-S', '-qmp', 'unix:%s,server=on,wait=off' % path]
    elif args.server:
        argv = [args.server, '--unix', path]
    else:
        argv = [args.vfio_migrate, '--qmp', path, '--size', '1M',
                '--dirty-rate', '64K', '--max-rounds', '3', '-q']
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL)
    status = 1
    try:
        with open(args.out, 'w') as out:
            r = Recorder(path, out)
            if args.vfio_migrate:
                harness_session(r)
            else:
                misc_session(r, args.introspect, args.all_queries, args.query)
            r.sock.close()
        status = 0
    except (OSError, RuntimeError, ValueError) as err:
        print('validate-record: %s' % err, file=sys.stderr)
    finally:
        if proc.poll() is None:
            proc.terminate()
        proc.wait(timeout=TIMEOUT)
        if os.path.exists(path):
            os.unlink(path)
        os.rmdir(tmp)
    return status


if __name__ == '__main__':
    sys.exit(main())
