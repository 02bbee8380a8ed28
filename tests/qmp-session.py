#!/usr/bin/env python3
"""A QMP client session against tests/qmp-test-server, and against QEMU.

    qmp-session.py --server PROGRAM [--full]
    qmp-session.py --server PROGRAM --qemu QEMU

The first form starts PROGRAM (tests/qmp-test-server) on a temporary
Unix socket and runs the common session (greeting, negotiation, commands
with ids, every kind of error, events to two clients, garbage); with
--full also the checks only our server can take: many clients, events
from another thread to two clients while other clients are killed in
the middle of a message, send garbage or stall, oversized and too deeply
nested requests, TCP, SCM_RIGHTS, byte-at-a-time input.  The server must
then still answer, and exit with status 0 on SIGTERM.

The second form runs the common session against QEMU (QEMU ... -M none
-nodefaults -display none, two -qmp sockets: a QEMU monitor serves one
client at a time) and against PROGRAM, and compares the shapes of what
both answered: message kinds, member names, error classes, "id"
presence; not values (error texts differ where QEMU's own wording is
not ours to follow).

Exit status: 0 pass, 1 fail, 77 skip (QEMU requested but absent).
"""

import argparse
import collections
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from typing import Any, Callable, Deque, Dict, List, Optional, Tuple

TIMEOUT = 20.0

Msg = Dict[str, Any]


class Failure(Exception):
    pass


def check(cond: bool, what: str) -> None:
    if not cond:
        raise Failure(what)


class Client:
    """One QMP connection; messages are parsed as they arrive."""

    def __init__(self, sock: socket.socket, name: str) -> None:
        self.sock = sock
        self.name = name
        self.buf = b''
        self.lines: Deque[bytes] = collections.deque()
        self.eof = False
        self.sock.settimeout(TIMEOUT)

    @classmethod
    def unix(cls, path: str, name: str) -> 'Client':
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.connect(path)
        return cls(s, name)

    @classmethod
    def tcp(cls, port: int, name: str) -> 'Client':
        s = socket.create_connection(('127.0.0.1', port))
        return cls(s, name)

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def execute(self, cmd: str, args: Optional[Msg] = None,
                ident: Any = None, oob: bool = False) -> None:
        req: Msg = {'exec-oob' if oob else 'execute': cmd}
        if args is not None:
            req['arguments'] = args
        if ident is not None:
            req['id'] = ident
        self.send(json.dumps(req).encode() + b'\n')

    def _fill(self, deadline: float) -> bool:
        if self.eof:
            return False
        self.sock.settimeout(max(0.01, deadline - time.monotonic()))
        try:
            data = self.sock.recv(65536)
        except socket.timeout:
            return False
        except ConnectionResetError:
            data = b''
        if not data:
            self.eof = True
            return False
        lines = (self.buf + data).split(b'\n')
        self.buf = lines.pop()
        self.lines.extend(lines)
        return True

    def recv(self, timeout: float = TIMEOUT) -> Optional[Msg]:
        """The next message, None at EOF or timeout."""
        deadline = time.monotonic() + timeout
        while not self.lines:
            if not self._fill(deadline):
                if time.monotonic() >= deadline or self.eof:
                    return None
        line = self.lines.popleft()
        check(line.endswith(b'\r'), '%s: line not ended by CRLF: %r'
              % (self.name, line[:80]))
        check(all(b < 0x80 for b in line),
              '%s: output not ASCII: %r' % (self.name, line[:80]))
        msg = json.loads(line)
        check(isinstance(msg, dict), '%s: not an object' % self.name)
        return msg  # type: ignore[no-any-return]

    def expect(self, what: str, timeout: float = TIMEOUT) -> Msg:
        msg = self.recv(timeout)
        check(msg is not None, '%s: no message (%s)' % (self.name, what))
        assert msg is not None
        return msg

    def until(self, pred: Callable[[Msg], bool], what: str,
              timeout: float = TIMEOUT) -> List[Msg]:
        """Messages up to and including the first that satisfies pred."""
        out: List[Msg] = []
        deadline = time.monotonic() + timeout
        while True:
            msg = self.recv(max(0.0, deadline - time.monotonic()))
            check(msg is not None, '%s: no message (%s); got %s'
                  % (self.name, what, [shape(m) for m in out][-5:]))
            assert msg is not None
            out.append(msg)
            if pred(msg):
                return out

    def quiet(self, seconds: float) -> List[Msg]:
        """Whatever arrives within seconds."""
        out: List[Msg] = []
        deadline = time.monotonic() + seconds
        while True:
            msg = self.recv(max(0.0, deadline - time.monotonic()))
            if msg is None:
                return out
            out.append(msg)

    def negotiate(self) -> Msg:
        greeting = self.expect('greeting')
        check('QMP' in greeting, '%s: greeting %r' % (self.name, greeting))
        self.execute('qmp_capabilities')
        rsp = self.expect('qmp_capabilities')
        check(rsp == {'return': {}}, '%s: qmp_capabilities: %r'
              % (self.name, rsp))
        return greeting

    def close(self) -> None:
        self.sock.close()


def has_id(ident: Any) -> Callable[[Msg], bool]:
    return lambda m: m.get('id') == ident and ('return' in m or 'error' in m)


def is_response(m: Msg) -> bool:
    return 'return' in m or 'error' in m


def shape(msg: Msg) -> str:
    """What is compared with QEMU: kinds, member names, error classes."""
    if 'QMP' in msg:
        q = msg['QMP']
        ver = q['version']
        return 'greeting keys=%s version=%s qemu=%s caps=%s' % (
            sorted(q), sorted(ver), sorted(ver['qemu']),
            sorted(q['capabilities']))
    if 'event' in msg:
        check(isinstance(msg.get('data', {}), dict), 'event data %r' % msg)
        ts = msg['timestamp']
        return 'event keys=%s timestamp=%s' % (
            sorted(k for k in msg if k != 'data'), sorted(ts))
    ident = ' id' if 'id' in msg else ''
    if 'error' in msg:
        return 'error %s keys=%s%s' % (msg['error']['class'],
                                       sorted(msg['error']), ident)
    if 'return' in msg:
        ret = msg['return']
        kind = type(ret).__name__
        if isinstance(ret, dict):
            kind += str(sorted(ret))
        return 'return %s%s' % (kind, ident)
    return 'other %s' % sorted(msg)


# --- the common session ------------------------------------------------------


Transcript = List[Tuple[str, List[str]]]


def descs(msgs: List[Msg]) -> List[str]:
    return [m['error']['desc'] for m in msgs if 'error' in m]


def common_session(socks: Tuple[str, str],
                   texts: Optional[Dict[str, List[str]]] = None
                   ) -> Transcript:
    """Steps that QEMU takes too; returns (step, shapes) pairs, and
    stores the error texts of each step in texts."""
    t: Transcript = []

    def step(name: str, msgs: List[Msg]) -> None:
        t.append((name, [shape(m) for m in msgs]))
        if texts is not None:
            texts[name] = descs(msgs)

    c1 = Client.unix(socks[0], 'c1')
    greeting = c1.expect('greeting')
    step('greeting', [greeting])
    check(greeting['QMP']['capabilities'] == ['oob'],
          'oob offered: %r' % greeting)

    # Before negotiation: CommandNotFound, id echoed.
    c1.execute('query-name', ident='n1')
    rsp = c1.until(has_id('n1'), 'before negotiation')
    step('before negotiation', rsp)
    check(rsp[-1]['error']['desc'] ==
          "Expecting capabilities negotiation with 'qmp_capabilities'",
          'negotiation error text %r' % rsp)
    c1.send(b'{"execute": "stop"}')
    step('stop before negotiation', c1.until(is_response, 'stop'))
    c1.execute('qmp_capabilities', {'enable': ['nosuch']}, ident='n2')
    step('bad capability', c1.until(has_id('n2'), 'bad capability'))
    c1.execute('qmp_capabilities', {'bogus': 1}, ident='n3')
    step('bad qmp_capabilities argument', c1.until(has_id('n3'), 'arg'))
    c1.execute('qmp_capabilities', {'enable': ['oob']}, ident='n4')
    rsp = c1.until(has_id('n4'), 'qmp_capabilities')
    step('qmp_capabilities', rsp)
    check(rsp[-1] == {'return': {}, 'id': 'n4'}, 'negotiated: %r' % rsp)
    c1.execute('qmp_capabilities', ident='n5')
    rsp = c1.until(has_id('n5'), 'again')
    step('qmp_capabilities again', rsp)
    check(rsp[-1]['error']['desc'] == 'Capabilities negotiation is already '
          'complete, command ignored', 'again: %r' % rsp)

    # Commands with ids of every JSON type.
    for ident in ['a', 7, {'x': [1, None, True]}, [], None, 1.5]:
        req = json.dumps({'execute': 'query-name', 'id': ident})
        c1.send(req.encode() + b'\r\n')
        rsp = c1.until(is_response, 'id %r' % ident)
        step('id %s' % type(ident).__name__, rsp)
        check(rsp[-1].get('id', 'absent') == ident,
              'id %r echoed as %r' % (ident, rsp[-1]))
    # No id: none in the response.
    c1.execute('query-name')
    rsp = c1.until(is_response, 'no id')
    step('no id', rsp)
    check('id' not in rsp[-1], 'no id: %r' % rsp)

    # Request errors.
    requests = [
        ('unknown command', b'{"execute": "no-such-command", "id": 1}'),
        ('unexpected argument',
         b'{"execute": "query-name", "arguments": {"x": 1}, "id": 2}'),
        ('missing argument', b'{"execute": "getfd", "id": 3}'),
        ('argument type',
         b'{"execute": "getfd", "arguments": {"fdname": 5}, "id": 4}'),
        ('unknown key', b'{"execute": "query-name", "foo": 1, "id": 5}'),
        ('arguments not object',
         b'{"execute": "query-name", "arguments": [], "id": 6}'),
        ('execute not string', b'{"execute": 1, "id": 7}'),
        ('no execute', b'{"arguments": {}, "id": 8}'),
        ('empty object', b'{}'),
        ('array', b'[1, 2]'),
        ('number', b'42 '),
        ('string', b'"hello"'),
        ('null', b'null '),
        ('duplicate key', b'{"execute": "query-name", "execute": "stop"}'),
        ('stray byte', b'{"execute": @}'),
        ('invalid keyword', b'{"execute": "query-name", "id": nul}'),
        ('missing colon', b'{"execute" "query-name"}'),
        ('trailing comma', b'{"execute": "query-name",}'),
        ('bad escape', b'{"execute": "query-\\q"}'),
        ('bad unicode', b'{"execute": "query-name", "id": "\\uD800"}'),
        ('bad utf-8', b'{"execute": "query-name", "id": "\x80"}'),
        ('control char in string', b'{"execute": "query-\x01name"}'),
        ('stray closing', b'}'),
        ('single quotes', b"{'execute': 'query-name', 'id': 'it\\'s'}"),
        ('add-fd without fd',
         b'{"execute": "add-fd", "arguments": {"fdset-id": 1}, "id": 9}'),
        ('getfd without fd',
         b'{"execute": "getfd", "arguments": {"fdname": "x"}, "id": 10}'),
        ('exec-oob of in-band command',
         b'{"exec-oob": "query-name", "id": 11}'),
        ('execute and exec-oob',
         b'{"exec-oob": "query-name", "execute": "query-name"}'),
    ]
    for name, raw in requests:
        # A marker request after each one shows where its answers end.
        c1.send(raw + b'\n{"execute": "query-name", "id": "mark"}\n')
        rsp = c1.until(has_id('mark'), name)
        step(name, rsp[:-1])

    # Several messages in one write, one message in several.
    c1.send(b'{"execute":"query-name","id":1}{"execute":"query-name",'
            b'"id":2}\n{"execute":"query-name","id":3}')
    rsp = c1.until(has_id(3), 'three in one')
    step('three in one write', rsp)
    check([m.get('id') for m in rsp] == [1, 2, 3], 'order %r' % rsp)
    for piece in [b'{"exec', b'ute": "query-', b'name", "id"', b': 4}']:
        c1.send(piece)
        time.sleep(0.05)
    step('one in four writes', c1.until(has_id(4), 'pieces'))

    # Garbage, then the reset the spec recommends, then a request.
    c1.send(b'\xff\xfe{"execute"::: \x01\x01 {"id": [} \x01')
    c1.send(b'{"execute": "query-name", "id": "after garbage"}\n')
    rsp = c1.until(has_id('after garbage'), 'garbage')
    step('garbage', rsp)

    # Events go to every negotiated client.
    c2 = Client.unix(socks[1], 'c2')
    c2.negotiate()
    for cmd in ['stop', 'cont']:
        c1.execute(cmd, ident=cmd)
        rsp = c1.until(has_id(cmd), cmd)
        step(cmd, rsp)
        check(['event' in m for m in rsp] == [True, False],
              '%s: event, then return: %r' % (cmd, rsp))
        ev = c2.until(lambda m: 'event' in m, 'event on c2')
        step(cmd + ' on c2', ev)
        check(ev[-1]['event'] == rsp[0]['event'], 'same event')
        check(ev[-1]['timestamp'] == rsp[0]['timestamp'], 'same stamp')
    c1.close()
    c2.close()
    return t


# --- our server only ------------------------------------------------------------


def emit_and_check(clients: List[Client], n: int, via: Client,
                   ident: str, command: str) -> None:
    """n RTC_CHANGE events (offset 0..n-1) reach every client, in order:
    the clients read concurrently, as live clients do."""
    errors: List[str] = []

    def reader(c: Client) -> None:
        got: List[int] = []
        deadline = time.monotonic() + 60
        try:
            while len(got) < n:
                msg = c.recv(max(0.0, deadline - time.monotonic()))
                if msg is None:
                    errors.append('%s: %d of %d events' % (c.name, len(got),
                                                           n))
                    return
                if msg.get('event') == 'RTC_CHANGE':
                    got.append(msg['data']['offset'])
                elif msg.get('id') == ident:
                    check('return' in msg, 'hmp: %r' % msg)
            if got != list(range(n)):
                errors.append('%s: events out of order' % c.name)
        except Failure as e:
            errors.append(str(e))

    via.execute('human-monitor-command', {'command-line': command},
                ident=ident)
    threads = [threading.Thread(target=reader, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    check(not errors, '; '.join(errors))


def full_session(path: str, port: int) -> None:
    # Many clients at once.
    many = [Client.unix(path, 'm%d' % i) for i in range(20)]
    for c in many:
        c.negotiate()
    for i, c in enumerate(many):
        c.execute('query-name', ident=i)
    for i, c in enumerate(many):
        rsp = c.until(has_id(i), 'query-name')
        check(rsp[-1]['return'] == {'name': 'test-vm'}, 'name %r' % rsp)
    for c in many:
        c.close()

    a = Client.unix(path, 'a')
    a.negotiate()
    b = Client.tcp(port, 'b')
    greeting = b.negotiate()
    check(greeting['QMP']['version'] ==
          {'qemu': {'micro': 3, 'minor': 2, 'major': 1}, 'package': 'pkg'},
          'version %r' % greeting)

    # A client that never negotiates gets no event.
    unneg = Client.unix(path, 'unneg')
    unneg.expect('greeting')
    # A client that negotiates and then stops reading: it falls behind
    # and is disconnected; nobody else loses an event.
    stalled = Client.unix(path, 'stalled')
    stalled.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    stalled.negotiate()

    # Clients killed in the middle of a message, while events flow from
    # another thread.
    def vandals() -> None:
        for i in range(30):
            v = Client.unix(path, 'v%d' % i)
            try:
                if i % 2:
                    # Negotiated, so events pile up for it too: it may be
                    # dropped as a stalled client before it is done.
                    v.negotiate()
                v.send(b'{"execute": "query-na')
                if i % 3 == 0:
                    v.send(b'\x00\xff garbage {{{{ "\\')
                if i % 5 == 0:
                    # Reset: RST instead of FIN.
                    v.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                      b'\x01\x00\x00\x00\x00\x00\x00\x00')
            except (OSError, Failure):
                pass
            v.close()
    vt = threading.Thread(target=vandals)
    vt.start()
    # 10000 events at about 10000/s, from another thread.
    emit_and_check([a, b], 10000, a, 'emit1', 'emit-thread 10000 10000')
    vt.join()
    emit_and_check([a, b], 500, b, 'emit2', 'emit 500')

    # The stalled client was dropped: it reads what was sent, then EOF.
    stalled.sock.settimeout(TIMEOUT)
    total = 0
    while True:
        try:
            data = stalled.sock.recv(1 << 20)
        except ConnectionResetError:
            break
        if not data:
            break
        total += len(data)
    check(total < 10000 * 100, 'stalled client got everything (%d)' % total)
    stalled.close()
    check(unneg.quiet(0.3) == [], 'events before negotiation')
    unneg.execute('query-name', ident='u')
    check('error' in unneg.until(has_id('u'), 'unneg')[-1], 'unneg error')
    unneg.close()

    # Oversized request: one error, then back in sync.
    big = b'{"execute": "query-name", "id": "' + b'x' * 100000 + b'"}'
    a.send(big + b'{"execute": "query-name", "id": "after big"}')
    rsp = a.until(has_id('after big'), 'oversized')
    check([m.get('error', {}).get('desc') for m in rsp[:-1]] ==
          ['JSON token size limit exceeded'], 'oversized: %r' % rsp[:-1])
    # Too deep.
    a.send(b'[' * 2000 + b']' * 2000 + b'{"execute":"query-name","id":"d"}')
    rsp = a.until(has_id('d'), 'deep')
    check([m.get('error', {}).get('desc') for m in rsp[:-1]] ==
          ['JSON nesting depth limit exceeded'], 'deep: %r' % rsp[:-1])
    # Just below the limits.
    ok = b'{"execute": "query-name", "id": "' + b'y' * 60000 + b'"}'
    a.send(ok)
    rsp = a.until(is_response, 'big but fine')
    check(rsp[-1].get('id') == 'y' * 60000, 'big id')
    a.send(b'[' * 1023 + b']' * 1023 + b'{"execute":"query-name","id":"e"}')
    rsp = a.until(has_id('e'), 'deep but fine')
    check([m['error']['desc'] for m in rsp[:-1]] ==
          ['QMP input must be a JSON object'], 'deep fine: %r' % rsp)

    # Byte at a time.
    for ch in b'{"execute": "query-name", "id": "bytes"}':
        a.send(bytes([ch]))
    a.until(has_id('bytes'), 'bytes')

    # Non-ASCII is escaped on output.
    a.send('{"execute": "query-name", "id": "\u00e9\U0001F600"}'.encode())
    raw_id = a.until(is_response, 'utf-8')[-1]['id']
    check(raw_id == '\u00e9\U0001F600', 'utf-8 id %r' % raw_id)

    # SCM_RIGHTS.
    r, w = os.pipe()
    socket.send_fds(a.sock, [b'{"execute": "getfd", "arguments": '
                             b'{"fdname": "p"}, "id": "fd"}'], [w])
    os.close(w)
    check(a.until(has_id('fd'), 'getfd')[-1] == {'return': {}, 'id': 'fd'},
          'getfd with a descriptor')
    a.execute('closefd', {'fdname': 'p'}, ident='c1')
    check('return' in a.until(has_id('c1'), 'closefd')[-1], 'closefd')
    a.execute('closefd', {'fdname': 'p'}, ident='c2')
    check('error' in a.until(has_id('c2'), 'closefd again')[-1], 'closefd 2')
    os.close(r)

    # A client that sends many requests and goes without reading.
    g = Client.unix(path, 'g')
    g.negotiate()
    g.send(b'{"execute": "query-name"}' * 5000)
    g.close()

    # OOB: with capability oob, an exec-oob request read together with
    # in-band ones jumps ahead of them.
    o = Client.unix(path, 'o')
    o.expect('greeting')
    o.execute('qmp_capabilities', {'enable': ['oob']})
    o.expect('negotiation')
    o.send(b'{"execute": "query-name", "id": 1}'
           b'{"exec-oob": "migrate-pause-none", "id": "oob"}'
           b'{"execute": "query-name", "id": 2}')
    rsp = o.until(has_id(2), 'oob')
    check([m.get('id') for m in rsp] == ['oob', 1, 2], 'oob order %r' % rsp)
    o.close()

    # Everybody else is still served.
    c = Client.unix(path, 'last')
    c.negotiate()
    c.execute('query-name', ident='last')
    check(c.until(has_id('last'), 'last')[-1]['return'] ==
          {'name': 'test-vm'}, 'still up')
    c.close()
    a.close()
    b.close()


# --- processes ----------------------------------------------------------------


def wait_socket(path: str, proc: 'subprocess.Popen[bytes]') -> None:
    deadline = time.monotonic() + TIMEOUT
    while not os.path.exists(path):
        check(proc.poll() is None, 'server exited: %s' % proc.returncode)
        check(time.monotonic() < deadline, 'no socket %s' % path)
        time.sleep(0.02)


def start_ours(server: str, tmp: str, full: bool
               ) -> Tuple['subprocess.Popen[bytes]', str, int]:
    path = os.path.join(tmp, 'ours.sock')
    cmd = os.environ.get('QMP_SERVER_WRAPPER', '').split() + [
        server, '--unix', path, '--oob']
    if full:
        cmd += ['--tcp', '0', '--name', 'test-vm', '--version', '1.2.3',
                '--package', 'pkg', '--max-request', '65536',
                '--max-backlog', '262144']
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE)
    assert proc.stdout is not None
    line = proc.stdout.readline().decode()
    check(line.startswith('ready '), 'server did not start: %r' % line)
    return proc, path, int(line.split()[1])


def stop_ours(proc: 'subprocess.Popen[bytes]') -> None:
    check(proc.poll() is None, 'server died: status %s' % proc.returncode)
    proc.send_signal(signal.SIGTERM)
    try:
        status = proc.wait(60)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise Failure('server did not stop on SIGTERM')
    check(status == 0, 'server exit status %d' % status)


def print_transcript(title: str, t: Transcript) -> None:
    print('--- %s' % title)
    for name, shapes in t:
        print('%-32s %s' % (name, ' | '.join(shapes)))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument('--server', required=True)
    ap.add_argument('--full', action='store_true')
    ap.add_argument('--qemu')
    args = ap.parse_args()

    tmp = tempfile.mkdtemp(prefix='qmp-test-')
    procs: List['subprocess.Popen[bytes]'] = []
    try:
        if args.qemu:
            qemu = shutil.which(args.qemu)
            if not qemu:
                print('SKIP: %s not found' % args.qemu)
                return 77
            qa = os.path.join(tmp, 'qemu-a.sock')
            qb = os.path.join(tmp, 'qemu-b.sock')
            qproc = subprocess.Popen(
                [qemu, '-M', 'none', '-nodefaults', '-display', 'none',
                 '-qmp', 'unix:%s,server=on,wait=off' % qa,
                 '-qmp', 'unix:%s,server=on,wait=off' % qb],
                stdin=subprocess.DEVNULL)
            procs.append(qproc)
            wait_socket(qa, qproc)
            wait_socket(qb, qproc)
            their_texts: Dict[str, List[str]] = {}
            our_texts: Dict[str, List[str]] = {}
            theirs = common_session((qa, qb), their_texts)
            proc, path, _ = start_ours(args.server, tmp, False)
            procs.append(proc)
            ours = common_session((path, path), our_texts)
            stop_ours(proc)
            print_transcript('QEMU', theirs)
            print_transcript('ours', ours)
            # Error texts are not compared; differences are shown.
            for name in their_texts:
                if their_texts[name] != our_texts.get(name):
                    print('text differs: %s\n  QEMU: %s\n  ours: %s'
                          % (name, their_texts[name], our_texts.get(name)))
            diff = [(a, b) for a, b in zip(theirs, ours) if a != b]
            for a, b in diff:
                print('DIFFERENT: %s\n  QEMU: %s\n  ours: %s'
                      % (a[0], a[1], b[1]))
            check(len(theirs) == len(ours) and not diff,
                  'shapes differ from QEMU')
            print('same shapes as QEMU in %d steps' % len(ours))
        else:
            proc, path, port = start_ours(args.server, tmp, args.full)
            procs.append(proc)
            t = common_session((path, path))
            print_transcript('ours', t)
            if args.full:
                full_session(path, port)
                print('full session passed')
            stop_ours(proc)
        return 0
    except (Failure, OSError, ValueError) as e:
        print('FAIL: %s' % e)
        return 1
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == '__main__':
    sys.exit(main())
