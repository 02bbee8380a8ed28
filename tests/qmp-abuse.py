#!/usr/bin/env python3
"""The QMP server under a scripted abuse session.

    qmp-abuse.py --server PROGRAM [--full] [--name NAME]
                 [--limits REQUEST,BACKLOG,CLIENTS] [--no-memory-bound]
                 [--watchdog SECONDS]

PROGRAM is tests/qmp-test-server (or anything taking its options and
printing "ready PORT").  Phases:

  a  random bytes (control characters, NULs, invalid UTF-8, JSON-ish
     fragments) from many clients, each of which must then get the
     answer to a request after resetting the parser with 0x01;
  b  100 MB lines sent as fast as loopback allows: one huge string, one
     huge number with no newline, deep nesting; each must get exactly
     its limit error, then the next request on the same connection is
     answered;
  c  thousands of connects and disconnects (at once, mid-message, after
     negotiating with a request unread, TCP resets), then more clients
     than max_clients: exactly the surplus is refused;
  d  clients that never read while events flood from another thread
     (human-monitor-command "emit-thread"), some of them sending
     requests: each must be disconnected, having received a gap-free
     prefix of the events, while reading clients get every event;
  e  all of the above at once.

Throughout, a well-behaved client runs query-name in a loop: every
answer must arrive (bounded wait) and be right.  After each phase the
server's descriptor count must return to its baseline; its memory
(VmRSS, VmHWM, reset per phase through clear_refs where allowed) must
stay under a bound derived from the server's limits; and a new client
must be served.  A table of the figures is printed at the end.

Exit status: 0 pass, 1 fail.
"""

import argparse
import functools
import json
import os
import random
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
from typing import Any, Callable, Dict, List, Optional, Tuple

TIMEOUT = 30.0  # any single expected answer; generous on a loaded machine
MIB = 1 << 20

Msg = Dict[str, Any]


class Failure(Exception):
    pass


def check(cond: bool, what: str) -> None:
    if not cond:
        raise Failure(what)


class Params:
    """Sizes of the session; --full scales them up."""

    def __init__(self, full: bool) -> None:
        self.garbage_clients = 24 if full else 8
        self.garbage_bytes = 2 * MIB if full else 256 * 1024
        self.big_bytes = 100 * 1000 * 1000
        # (kind, count): every kind runs at least once, even in short runs
        # 'deep': 2^31 + 1 MiB brackets, past a 32-bit count (full only)
        self.big_lines = ([('string', 2), ('number', 1), ('nesting', 1),
                           ('deep', 1)]
                          if full else
                          [('string', 1), ('number', 1), ('nesting', 1)])
        self.nesting_bytes = self.big_bytes if full else 16 * MIB
        self.connects = 50000 if full else 2000
        self.connect_threads = 4
        self.nonreaders = 12 if full else 6
        # at least enough to take a non-reader past max_backlog (main())
        self.events = 1000000 if full else 50000
        self.event_pause_us = 1000  # per 100 events: <= 100k events/s

    def line_bytes(self, kind: str) -> int:
        if kind == 'nesting':
            return self.nesting_bytes // MIB * MIB
        if kind == 'deep':
            return 2 * ((1 << 31) + MIB)  # [ then ], 2^31 + 1 Mi of each
        return self.big_bytes


# --- the server and its memory --------------------------------------------------


class Sample:
    def __init__(self) -> None:
        self.rss_max = 0
        self.hwm = 0
        self.fds_max = 0
        self.n = 0
        self.seconds = 0.0
        self.answers = 0
        self.latency_max = 0.0
        self.notes: List[str] = []


def proc_status(pid: int) -> Tuple[int, int]:
    """(VmRSS, VmHWM) in KiB."""
    rss = hwm = 0
    with open('/proc/%d/status' % pid) as f:
        for line in f:
            if line.startswith('VmRSS:'):
                rss = int(line.split()[1])
            elif line.startswith('VmHWM:'):
                hwm = int(line.split()[1])
    return rss, hwm


def fd_count(pid: int) -> int:
    return len(os.listdir('/proc/%d/fd' % pid))


class Monitor(threading.Thread):
    """Samples the server's memory and descriptors every 20 ms."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.lock = threading.Lock()
        self.done = threading.Event()
        self.phases: Dict[str, Sample] = {}
        self.order: List[str] = []
        self.current: Optional[Sample] = None
        self.hwm_reset = False

    def start_phase(self, name: str) -> Sample:
        # Writing 5 to clear_refs resets VmHWM (Linux >= 4.0): the
        # figure is then this phase's own peak.
        try:
            with open('/proc/%d/clear_refs' % self.pid, 'w') as f:
                f.write('5')
            self.hwm_reset = True
        except OSError:
            self.hwm_reset = False
        s = Sample()
        with self.lock:
            self.phases[name] = s
            self.order.append(name)
            self.current = s
        self.sample()
        return s

    def sample(self) -> None:
        try:
            rss, hwm = proc_status(self.pid)
            fds = fd_count(self.pid)
        except (OSError, ValueError):
            return  # the server is exiting
        with self.lock:
            s = self.current
            if s is None:
                return
            s.rss_max = max(s.rss_max, rss)
            s.hwm = max(s.hwm, hwm)
            s.fds_max = max(s.fds_max, fds)
            s.n += 1

    def run(self) -> None:
        while not self.done.wait(0.02):
            self.sample()


# --- clients ----------------------------------------------------------------------


def connect(path: str, port: int = 0) -> socket.socket:
    if port:
        s = socket.create_connection(('127.0.0.1', port), timeout=TIMEOUT)
    else:
        # A full listen backlog makes a Unix connect fail with EAGAIN
        # (with a timeout set) rather than wait: retry, bounded.
        deadline = time.monotonic() + TIMEOUT
        while True:
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.settimeout(TIMEOUT)
            try:
                s.connect(path)
                break
            except BlockingIOError:
                s.close()
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.005)
    s.settimeout(TIMEOUT)
    return s


def is_event(line: bytes) -> bool:
    return line.startswith(b'{"event"')


class Conn:
    """A reading client: a thread drains the socket as fast as it can,
    checks every line (CRLF, ASCII), counts events and keeps the
    messages that matter (with an "id", or no error)."""

    def __init__(self, path: str, name: str, port: int = 0) -> None:
        self.name = name
        self.sock = connect(path, port)
        # The reader's own socket object: timeouts are per object, and
        # the writer's must stay long.
        self.rsock = self.sock.dup()
        self.cv = threading.Condition()
        self.msgs: List[Msg] = []
        self.events = 0
        self.errors_without_id = 0
        self.bytes = 0
        self.eof = False
        self.bad: Optional[str] = None
        self.closing = False
        self.thread = threading.Thread(target=self._drain, daemon=True)
        self.thread.start()

    def _drain(self) -> None:
        buf = b''
        self.rsock.settimeout(0.5)
        while not self.closing:
            try:
                data = self.rsock.recv(1 << 20)
            except socket.timeout:
                continue
            except OSError:
                data = b''
            if not data:
                break
            self.bytes += len(data)
            lines = (buf + data).split(b'\n')
            buf = lines.pop()
            self._lines(lines)
        with self.cv:
            self.eof = True
            self.cv.notify_all()

    def _lines(self, lines: List[bytes]) -> None:
        events = 0
        errors = 0
        keep: List[Msg] = []
        block = b'\n'.join(lines)
        if (b'"id"' not in block and b'"return"' not in block and
                b'"QMP"' not in block):
            # Only events and errors without id (floods of them): counted
            # at C speed, so that the client keeps up with the server.
            n = len(lines)
            events = block.count(b'{"event"')
            errors = block.count(b'{"error"')
            if (block.count(b'\r\n') + 1 != n or not block.endswith(b'\r')
                    or not block.isascii() or events + errors != n):
                self.bad = '%s: bad lines in %r' % (self.name, block[:80])
            with self.cv:
                self.events += events
                self.errors_without_id += errors
                self.cv.notify_all()
            return
        for line in lines:
            if not line.endswith(b'\r') or not line.isascii():
                self.bad = '%s: bad line %r' % (self.name, line[:80])
                continue
            if is_event(line):
                events += 1
            elif b'"id"' not in line and line.startswith(b'{"error"'):
                errors += 1
            else:
                keep.append(json.loads(line))
        with self.cv:
            self.events += events
            self.errors_without_id += errors
            self.msgs.extend(keep)
            self.cv.notify_all()

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def execute(self, cmd: str, args: Optional[Msg] = None,
                ident: Any = None) -> None:
        req: Msg = {'execute': cmd}
        if args is not None:
            req['arguments'] = args
        if ident is not None:
            req['id'] = ident
        self.send(json.dumps(req).encode() + b'\n')

    def take(self, pred: Callable[[Msg], bool], what: str,
             timeout: float = TIMEOUT) -> Tuple[List[Msg], Msg]:
        """Messages before the first that satisfies pred, and that one;
        they are consumed."""
        deadline = time.monotonic() + timeout
        with self.cv:
            while True:
                for i, m in enumerate(self.msgs):
                    if pred(m):
                        before = self.msgs[:i]
                        del self.msgs[:i + 1]
                        return before, m
                left = deadline - time.monotonic()
                check(not self.eof and left > 0, '%s: no %s (%s)' % (
                    self.name, what, 'disconnected' if self.eof
                    else 'timeout'))
                self.cv.wait(min(left, 1.0))

    def greeting(self) -> Msg:
        return self.take(lambda m: 'QMP' in m, 'greeting')[1]

    def negotiate(self) -> None:
        self.greeting()
        self.execute('qmp_capabilities', ident='cap')
        rsp = self.take(has_id('cap'), 'qmp_capabilities')[1]
        check(rsp.get('return') == {}, '%s: qmp_capabilities %r'
              % (self.name, rsp))

    def wait_events(self, n: int, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        with self.cv:
            while self.events < n and not self.eof:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self.cv.wait(min(left, 1.0))
            return self.events >= n

    def close(self) -> None:
        self.closing = True
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.thread.join(TIMEOUT)
        self.rsock.close()
        self.sock.close()


def has_id(ident: Any) -> Callable[[Msg], bool]:
    return lambda m: m.get('id') == ident and ('return' in m or 'error' in m)


class Probe(threading.Thread):
    """The well-behaved client: query-name in a loop, each answer
    awaited (bounded) and checked."""

    def __init__(self, path: str, name: str) -> None:
        super().__init__(daemon=True)
        self.conn = Conn(path, 'probe')
        self.conn.negotiate()
        self.expected = name
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.answers = 0
        self.reported = 0
        self.latency_max = 0.0
        self.error: Optional[str] = None

    def run(self) -> None:
        n = 0
        try:
            while not self.stop.is_set():
                n += 1
                t0 = time.monotonic()
                self.conn.execute('query-name', ident=n)
                _, rsp = self.conn.take(has_id(n), 'answer %d' % n)
                check(rsp.get('return') == {'name': self.expected},
                      'probe: query-name %r' % rsp)
                check(self.conn.bad is None, str(self.conn.bad))
                with self.lock:
                    self.answers += 1
                    self.latency_max = max(self.latency_max,
                                           time.monotonic() - t0)
                self.stop.wait(0.005)
        except (Failure, OSError) as e:
            self.error = str(e)

    def snapshot(self) -> Tuple[int, float]:
        """Answers and the longest wait since the last snapshot; at least
        one more answer must come (bounded wait): service continues."""
        deadline = time.monotonic() + TIMEOUT
        while True:
            with self.lock:
                a, lat = self.answers - self.reported, self.latency_max
            check(self.error is None, 'probe: %s' % self.error)
            if a > 0:
                break
            check(time.monotonic() < deadline, 'probe: no answer')
            time.sleep(0.01)
        with self.lock:
            self.reported += a
            self.latency_max = 0.0
        return a, lat


# --- phases -----------------------------------------------------------------------


class Session:
    def __init__(self, path: str, port: int, pid: int, p: Params,
                 name: str, limits: Tuple[int, int, int]) -> None:
        self.path = path
        self.port = port
        self.pid = pid
        self.p = p
        self.name = name
        self.max_request, self.max_backlog, self.max_clients = limits
        self.errors: List[str] = []
        self.notes: List[str] = []
        self.lock = threading.Lock()

    def fail(self, what: str) -> None:
        with self.lock:
            self.errors.append(what)

    def run_threads(self, targets: List[Callable[[], None]],
                    timeout: float) -> None:
        """Run targets in threads; failures are collected."""
        def wrap(fn: Callable[[], None]) -> Callable[[], None]:
            def run() -> None:
                try:
                    fn()
                except (Failure, OSError, ValueError) as e:
                    name = getattr(getattr(fn, 'func', fn), '__name__', '?')
                    self.fail('%s: %s' % (name, e))
            return run
        threads = [threading.Thread(target=wrap(t), daemon=True)
                   for t in targets]
        for t in threads:
            t.start()
        deadline = time.monotonic() + timeout
        for t in threads:
            t.join(max(0.0, deadline - time.monotonic()))
            if t.is_alive():
                self.fail('a client thread did not finish in %.0f s'
                          % timeout)
                break

    # a: random bytes
    def garbage(self, seed: int, nbytes: int) -> bytes:
        rng = random.Random(seed)
        if seed % 2:
            return rng.randbytes(nbytes)
        pieces = [b'{', b'}', b'[', b']', b'"', b"'", b'\\', b':', b',',
                  b'0', b'-1e5', b'true', b'nul', b'\x00', b'\x01', b'\xff',
                  b'\xc3', b'\xc3\xa9', b'\xed\xa0\x80', b'\\u', b'"execute"',
                  b' ', b'\n', b'\t', b'\x7f', b'\xfe']
        out = bytearray()
        while len(out) < nbytes:
            out += rng.choice(pieces)
        return bytes(out)

    def garbage_client(self, i: int) -> None:
        c = Conn(self.path, 'garbage%d' % i)
        try:
            negotiated = i % 2 == 0
            if negotiated:
                c.negotiate()
            else:
                c.greeting()
            data = self.garbage(i, self.p.garbage_bytes)
            rng = random.Random(i)
            pos = 0
            while pos < len(data):
                n = rng.randint(1, 65536)
                c.send(data[pos:pos + n])
                pos += n
            # 0x01 resets the parser; the newline ends lexical recovery.
            mark = 'after-garbage-%d' % i
            c.send(b'\x01\n')
            c.execute('query-name', ident=mark)
            _, rsp = c.take(has_id(mark), mark)
            if negotiated:
                check(rsp.get('return') == {'name': self.name},
                      '%s: %r' % (mark, rsp))
            else:
                check(rsp.get('error', {}).get('class') == 'CommandNotFound',
                      '%s: %r' % (mark, rsp))
            check(c.bad is None, str(c.bad))
        finally:
            c.close()

    def phase_a(self) -> List[Callable[[], None]]:
        return [functools.partial(self.garbage_client, i)
                for i in range(self.p.garbage_clients)]

    # b: 100 MB lines
    def big_line(self, kind: str, i: int) -> None:
        c = Conn(self.path, 'big-%s%d' % (kind, i))
        try:
            c.negotiate()
            size = self.p.big_bytes
            chunk = 1 << 20
            if kind == 'string':
                head = b'{"execute": "query-name", "id": "'
                body = [(b'x' * chunk, size // chunk)]
                tail = b'"}'
                desc = 'JSON token size limit exceeded'
            elif kind == 'number':
                head = b''
                body = [(b'7' * chunk, size // chunk)]
                tail = b' '
                desc = 'JSON token size limit exceeded'
            else:
                size = self.p.line_bytes(kind)
                half = size // 2 // chunk
                head = b''
                body = [(b'[' * chunk, half), (b']' * chunk, half)]
                tail = b''
                desc = 'JSON nesting depth limit exceeded'
            t0 = time.monotonic()
            c.send(head)
            for piece, count in body:
                for _ in range(count):
                    c.send(piece)
            c.send(tail)
            mark = 'after-%s%d' % (kind, i)
            c.execute('query-name', ident=mark)
            before, rsp = c.take(has_id(mark), mark, timeout=4 * TIMEOUT)
            secs = time.monotonic() - t0
            check(rsp.get('return') == {'name': self.name},
                  '%s: %r' % (mark, rsp))
            with c.cv:
                errs = c.errors_without_id
            # The one limit error has no id: the request's id was never
            # parsed (or there was none).
            check(errs == 1 and not before,
                  '%s: expected one %r, got %d errors and %r'
                  % (c.name, desc, errs, before))
            self.note('b: %s line, %d MB: %.1f MB/s' % (
                kind, size // 1000000, size / 1e6 / secs))
        finally:
            c.close()

    def note(self, text: str) -> None:
        with self.lock:
            self.notes.append(text)

    def phase_b(self) -> List[Callable[[], None]]:
        return [functools.partial(self.big_line, k, i)
                for k, n in self.p.big_lines for i in range(n)]

    # c: connects and disconnects
    def churn(self, worker: int, count: int) -> None:
        for n in range(count):
            kind = (n + worker) % 6
            tcp = self.port if kind == 5 else 0
            try:
                s = connect(self.path, tcp)
            except OSError as e:
                raise Failure('connect %d: %s' % (n, e))
            try:
                if kind == 0:
                    pass  # gone before the greeting
                elif kind == 1:
                    s.sendall(b'{"execute": "query-na')  # mid-message
                elif kind == 2:
                    s.sendall(b'{"execute": "qmp_capabilities"}\n'
                              b'{"execute": "query-name"}\n'
                              b'{"execute": "stop"}')
                elif kind == 3:
                    # a full exchange
                    f = s.makefile('rb')
                    check(b'"QMP"' in f.readline(), 'churn: greeting')
                    s.sendall(b'{"execute": "qmp_capabilities", "id": 1}\n')
                    check(b'"id":1' in f.readline(), 'churn: negotiation')
                    f.close()
                elif kind == 4:
                    s.sendall(b'\x01' * 100 + b'{"execute":')
                    s.shutdown(socket.SHUT_WR)  # half close, unread
                else:
                    # TCP reset: SO_LINGER 0
                    s.sendall(b'{"execute": "qmp_capabilities"}')
                    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                 struct.pack('ii', 1, 0))
            finally:
                s.close()

    def phase_c_churn(self) -> List[Callable[[], None]]:
        per = self.p.connects // self.p.connect_threads
        return [functools.partial(self.churn, w, per)
                for w in range(self.p.connect_threads)]

    def over_limit(self, present: int) -> None:
        """More clients than max_clients at once: exactly the surplus
        is refused (closed without a greeting)."""
        surplus = 10
        socks = [connect(self.path)
                 for _ in range(self.max_clients - present + surplus)]
        greeted = refused = 0
        try:
            for s in socks:
                try:
                    data = s.recv(4096)
                except ConnectionResetError:
                    data = b''
                if b'"QMP"' in data:
                    greeted += 1
                elif not data:
                    refused += 1
            check(greeted == self.max_clients - present and
                  refused == surplus,
                  'over max_clients: %d greeted, %d refused; expected '
                  '%d, %d' % (greeted, refused, self.max_clients - present,
                              surplus))
            self.note('c: %d clients at once: %d served, %d refused'
                      % (len(socks) + present, greeted + present, refused))
        finally:
            for s in socks:
                s.close()

    # d: clients that never read, events flooding
    def flood(self, nonreaders: int, events: int, tag: str) -> None:
        quiet: List[socket.socket] = []
        try:
            for i in range(nonreaders):
                s = connect(self.path)
                f = s.makefile('rb')
                check(b'"QMP"' in f.readline(), 'nonreader greeting')
                s.sendall(b'{"execute": "qmp_capabilities"}\n')
                check(f.readline().startswith(b'{"return"'), 'negotiation')
                f.close()
                if i % 2:
                    # Requests too, until the server stops reading them.
                    s.setblocking(False)
                    req = b'{"execute": "query-name", "id": "q"}\n' * 1000
                    for _ in range(1000):
                        try:
                            s.send(req)
                        except BlockingIOError:
                            break
                    s.setblocking(True)
                quiet.append(s)
            ctl = Conn(self.path, 'flood-ctl-' + tag)
            try:
                ctl.negotiate()
                ctl.execute('human-monitor-command',
                            {'command-line': 'emit-thread %d %d' % (
                                events, self.p.event_pause_us)},
                            ident='emit')
                _, rsp = ctl.take(has_id('emit'), 'emit-thread')
                check(rsp.get('return') == '', 'emit-thread: %r' % rsp)
                # A reading client gets every event.
                check(ctl.wait_events(events, 10 * TIMEOUT),
                      'reading client: %d of %d events' % (ctl.events,
                                                           events))
                check(ctl.bad is None, str(ctl.bad))
            finally:
                ctl.close()
            for i, s in enumerate(quiet):
                self.check_nonreader(s, events, i)
        finally:
            for s in quiet:
                s.close()

    def check_nonreader(self, s: socket.socket, events: int, i: int) -> None:
        """It must have been disconnected, with a gap-free prefix of the
        events in its socket buffer."""
        s.settimeout(TIMEOUT)
        data = bytearray()
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            try:
                chunk = s.recv(1 << 20)
            except ConnectionResetError:
                chunk = b''
            if not chunk:
                break
            data += chunk
            check(len(data) < 64 * MIB, 'nonreader %d: endless output' % i)
        else:
            raise Failure('nonreader %d: still connected' % i)
        offsets = []
        for line in bytes(data).split(b'\r\n'):
            if line.startswith(b'{"event":"RTC_CHANGE"'):
                offsets.append(json.loads(line)['data']['offset'])
        check(offsets == list(range(len(offsets))),
              'nonreader %d: events with gaps' % i)
        check(len(offsets) < events, 'nonreader %d: got all %d events'
              % (i, events))

    # after each phase
    def settle(self, base_fds: int) -> None:
        """The server's descriptors back to the baseline (bounded
        wait), and a new client served."""
        deadline = time.monotonic() + TIMEOUT
        while fd_count(self.pid) != base_fds:
            check(time.monotonic() < deadline,
                  'descriptors: %d, baseline %d' % (fd_count(self.pid),
                                                    base_fds))
            time.sleep(0.02)
        c = Conn(self.path, 'fresh')
        try:
            c.negotiate()
            c.execute('query-name', ident='fresh')
            _, rsp = c.take(has_id('fresh'), 'fresh client')
            check(rsp.get('return') == {'name': self.name},
                  'fresh: %r' % rsp)
        finally:
            c.close()


def start_server(args: argparse.Namespace, path: str
                 ) -> Tuple['subprocess.Popen[bytes]', int]:
    cmd = [args.server, '--unix', path, '--tcp', '0', '--name', args.name]
    req, backlog, clients = args.limits
    cmd += ['--max-request', str(req), '--max-backlog', str(backlog),
            '--max-clients', str(clients)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE)
    assert proc.stdout is not None
    line = proc.stdout.readline().split()
    if len(line) != 2 or line[0] != b'ready':
        proc.kill()
        proc.wait()
        raise Failure('server did not start: %r' % line)
    return proc, int(line[1])


def kib(n: int) -> str:
    return '%.1f' % (n / 1024)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument('--server', required=True)
    ap.add_argument('--full', action='store_true')
    ap.add_argument('--name', default='abuse-vm')
    ap.add_argument('--limits', default='%d,%d,64' % (MIB, 16 * MIB),
                    type=lambda s: tuple(int(x) for x in s.split(',')),
                    help='max-request,max-backlog,max-clients')
    ap.add_argument('--no-memory-bound', action='store_true',
                    help='report memory, do not assert the bound (a '
                    'sanitizer build: ASan keeps freed memory in quarantine)')
    ap.add_argument('--watchdog', type=float, default=0,
                    help='abort after this many seconds (0: 120, full 1800)')
    args = ap.parse_args()
    p = Params(args.full)
    limit_s = args.watchdog or (1800 if args.full else 120)
    # A last resort against a hung session (below): every wait is
    # bounded, but their sum is large.

    tmp = tempfile.mkdtemp(prefix='qmp-abuse-')
    path = os.path.join(tmp, 'qmp.sock')
    proc, port = start_server(args, path)

    def watchdog() -> None:
        print('FAIL: watchdog: the session took over %d s' % limit_s)
        proc.kill()
        os._exit(3)
    timer = threading.Timer(limit_s, watchdog)
    timer.daemon = True
    timer.start()
    status = 1
    try:
        status = session(args, p, path, port, proc)
    except (Failure, OSError) as e:
        print('FAIL: %s' % e)
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                rc = proc.wait(TIMEOUT)
            except subprocess.TimeoutExpired:
                proc.kill()
                rc = proc.wait()
            if rc != 0:
                print('FAIL: server exit status %d on SIGTERM' % rc)
                status = 1
        else:
            print('FAIL: the server died, status %d' % proc.returncode)
            status = 1
        try:
            os.unlink(path)
        except OSError:
            pass
        os.rmdir(tmp)
    return status


def session(args: argparse.Namespace, p: Params, path: str, port: int,
            proc: 'subprocess.Popen[bytes]') -> int:
    pid = proc.pid
    ses = Session(path, port, pid, p, args.name, args.limits)
    mon = Monitor(pid)
    mon.start()
    mon.start_phase('idle')
    # Enough events to take every non-reader past its backlog.
    p.events = max(p.events, 2 * ses.max_backlog // 100)
    probe = Probe(path, args.name)
    probe.start()
    time.sleep(0.2)
    base_fds = fd_count(pid)
    ses.settle(base_fds)
    base_rss = proc_status(pid)[0]
    probe.snapshot()

    def churn_and_limit() -> None:
        t0 = time.monotonic()
        ses.run_threads(ses.phase_c_churn(), 10 * TIMEOUT)
        ses.note('c: %d connects in %.2f s'
                 % (p.connects, time.monotonic() - t0))
        ses.settle(base_fds)
        ses.over_limit(1)

    def all_at_once() -> None:
        targets = (ses.phase_a()[:4] + ses.phase_b()[:1] +
                   ses.phase_c_churn() +
                   [lambda: ses.flood(p.nonreaders // 2, p.events, 'e')])
        ses.run_threads(targets, 20 * TIMEOUT)

    phases: List[Tuple[str, str, Callable[[], None], int]] = [
        ('a', 'random bytes, %d clients x %d KiB' % (
            p.garbage_clients, p.garbage_bytes // 1024),
         lambda: ses.run_threads(ses.phase_a(), 10 * TIMEOUT),
         p.garbage_clients),
        ('b', 'huge lines: %s' % ', '.join(
            '%s%s %.0f MB' % ('%d x ' % n if n > 1 else '', k,
                              p.line_bytes(k) / 1e6)
            for k, n in p.big_lines),
         lambda: ses.run_threads(ses.phase_b(), 20 * TIMEOUT),
         0),
        ('c', '%d connects/disconnects, then %d clients at once' % (
            p.connects, ses.max_clients + 10),
         churn_and_limit, 0),
        ('d', '%d non-reading clients, %d events' % (
            p.nonreaders, p.events),
         lambda: ses.flood(p.nonreaders, p.events, 'd'), p.nonreaders),
        ('e', 'all at once', all_at_once, p.nonreaders // 2),
    ]
    rows: List[Tuple[str, str, Sample, int]] = []
    try:
        return run_phases(args, ses, mon, probe, phases, base_rss,
                          base_fds, rows)
    finally:
        # The figures so far, even when a phase failed.
        print_table(args, ses, mon, base_rss, base_fds, rows)


def run_phases(args: argparse.Namespace, ses: 'Session', mon: Monitor,
               probe: Probe,
               phases: List[Tuple[str, str, Callable[[], None], int]],
               base_rss: int, base_fds: int,
               rows: List[Tuple[str, str, Sample, int]]) -> int:
    p = ses.p
    status = 0
    for key, title, fn, lagging in phases:
        s = mon.start_phase(key)
        t0 = time.monotonic()
        fn()
        s.seconds = time.monotonic() - t0
        ses.settle(base_fds)
        mon.sample()
        s.answers, s.latency_max = probe.snapshot()
        # Bound: the documented per-client limits.  A lagging client
        # holds up to max_backlog of output (in a buffer of less than
        # twice that); every client up to ~4x max_request of input (the
        # message, its normalised copy, keys, a read chunk); plus the
        # probe, the controller and 64 MiB for the allocator.
        clients = lagging + len(p.big_lines) + 4 + p.connect_threads
        bound_kib = base_rss + ((lagging + 2) * 2 * ses.max_backlog +
                                clients * 4 * ses.max_request +
                                64 * MIB) // 1024
        peak = max(s.hwm, s.rss_max)
        rows.append((key, title, s, bound_kib))
        with ses.lock:
            errs = list(ses.errors)
            ses.errors.clear()
        for e in errs:
            print('FAIL: phase %s: %s' % (key, e))
            status = 1
        if peak > bound_kib and not args.no_memory_bound:
            print('FAIL: phase %s: peak memory %s MiB over the bound, %s MiB'
                  % (key, kib(peak), kib(bound_kib)))
            status = 1

    # Still serving, and the probe still connected.
    probe.stop.set()
    probe.join(TIMEOUT)
    check(not probe.is_alive(), 'probe did not stop')
    check(probe.error is None, 'probe: %s' % probe.error)
    ses.settle(base_fds)
    probe.conn.close()
    mon.done.set()
    mon.join(TIMEOUT)
    return status


def print_table(args: argparse.Namespace, ses: 'Session', mon: Monitor,
                base_rss: int, base_fds: int,
                rows: List[Tuple[str, str, Sample, int]]) -> None:
    print('QMP server abuse session (%s): limits %d B request, %d B '
          'backlog, %d clients; baseline RSS %s MiB, %d fds%s' % (
              'full' if args.full else 'short', ses.max_request,
              ses.max_backlog, ses.max_clients, kib(base_rss), base_fds,
              '' if mon.hwm_reset else ' (VmHWM not resettable: '
              'cumulative)'))
    print()
    print('| phase | what | time s | peak RSS MiB | VmHWM MiB | bound MiB '
          '| max fds | probe answers | probe max latency ms |')
    print('| --- | --- | --- | --- | --- | --- | --- | --- | --- |')
    for key, title, s, bound_kib in rows:
        over = max(s.hwm, s.rss_max) > bound_kib
        print('| %s | %s | %.1f | %s | %s | %s%s | %d | %d | %.0f |' % (
            key, title, s.seconds, kib(s.rss_max), kib(s.hwm),
            kib(bound_kib), ' EXCEEDED' if over else '', s.fds_max,
            s.answers, s.latency_max * 1000))
    print()
    for n in ses.notes:
        print('  ' + n)


if __name__ == '__main__':
    sys.exit(main())
