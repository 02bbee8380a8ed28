#!/bin/sh
# vfio-migrate --qmp: a QMP client sees the same events, in the same
# order, as the JSON lines on stdout, and every harness command works
# over the socket.
#
# The client connects, negotiates, runs query-vfio-harness-devices (the
# migration starts after that first command), reads the events of the
# migration, then runs each harness command once (their events too go
# to both), disconnects, and vfio-migrate exits; the events it received
# (event + data, timestamps aside) must equal stdout's.
#
# VFIO_MIGRATE and PYTHON come from the test environment (vfio.am).
VFIO_MIGRATE=${VFIO_MIGRATE:-examples/vfio-migrate/vfio-migrate}
PYTHON=${PYTHON:-python3}

command -v "$PYTHON" >/dev/null 2>&1 || {
    echo "SKIP: no $PYTHON"
    exit 77
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vfio-migrate-qmp.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

"$PYTHON" - "$VFIO_MIGRATE" "$tmp" <<'PY'
import json, os, signal, socket, subprocess, sys, time

prog, tmp = sys.argv[1], sys.argv[2]
TIMEOUT = 10.0
sock_path = os.path.join(tmp, "qmp.sock")
out_path = os.path.join(tmp, "out")
err_path = os.path.join(tmp, "err")


class Client:
    def __init__(self, sock):
        self.sock = sock
        self.sock.settimeout(TIMEOUT)
        self.buf = b""
        self.dec = json.JSONDecoder()
        self.events = []

    def recv(self):
        while True:
            text = self.buf.decode().lstrip()
            if text:
                try:
                    msg, end = self.dec.raw_decode(text)
                except ValueError:
                    pass
                else:
                    self.buf = text[end:].encode()
                    return msg
            data = self.sock.recv(65536)
            if not data:
                return None
            self.buf += data

    def execute(self, cmd, args=None):
        req = {"execute": cmd, "id": cmd}
        if args is not None:
            req["arguments"] = args
        self.sock.sendall(json.dumps(req).encode())
        while True:
            msg = self.recv()
            assert msg is not None, "connection closed waiting for " + cmd
            if "event" in msg:
                self.events.append(msg)
                continue
            assert msg.get("id") == cmd, msg
            return msg

    def ok(self, cmd, args=None):
        msg = self.execute(cmd, args)
        assert "return" in msg, msg
        return msg["return"]


def wait_socket(proc):
    """Until vfio-migrate listens (the file exists before listen())."""
    deadline = time.monotonic() + TIMEOUT
    while True:
        assert proc.poll() is None, "vfio-migrate exited early"
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            s.connect(sock_path)
            return s
        except (FileNotFoundError, ConnectionRefusedError):
            s.close()
        assert time.monotonic() < deadline, "no socket"
        time.sleep(0.01)


def strip(events):
    out = []
    for e in events:
        assert set(e) == {"event", "data", "timestamp"}, e
        out.append((e["event"], e["data"]))
    return out


proc = subprocess.Popen(
    [prog, "--qmp", sock_path, "--size", "1M", "--dirty-rate", "64K",
     "--max-rounds", "3", "--json"],
    stdout=open(out_path, "wb"), stderr=open(err_path, "wb"))
try:
    c = Client(wait_socket(proc))
    greeting = c.recv()
    assert "QMP" in greeting, greeting
    # Before negotiation, the harness commands are refused.
    r = c.execute("query-vfio-harness-devices")
    assert r["error"]["class"] == "CommandNotFound", r
    assert c.ok("qmp_capabilities") == {}
    devs = c.ok("query-vfio-harness-devices")
    assert [d["id"] for d in devs] == ["vfio-src0", "vfio-dst0"], devs
    assert all(d["state"] == "running" for d in devs), devs

    # The migration runs: its events, until the source stops (the end).
    while True:
        msg = c.recv()
        assert msg is not None, "closed during the migration"
        assert "event" in msg, msg
        c.events.append(msg)
        if msg["event"] == "VFIO_MIGRATION" and \
                msg["data"] == {"device-id": "vfio-src0",
                                "qom-path": "/machine/peripheral/vfio-src0",
                                "device-state": "stop"}:
            break
    n_migration = len(c.events)
    assert n_migration >= 10, c.events

    devs = c.ok("query-vfio-harness-devices")
    assert [(d["id"], d["state"]) for d in devs] == \
        [("vfio-src0", "stop"), ("vfio-dst0", "running")], devs
    # Each command once, with events where they make some.
    before = len(c.events)
    assert c.ok("vfio-harness-set-state",
                {"id": "vfio-src0", "state": "running"}) == {}
    r = c.execute("vfio-harness-set-state",
                  {"id": "nope", "state": "stop"})
    assert r["error"]["class"] == "DeviceNotFound", r
    assert c.ok("vfio-harness-set-events",
                {"id": "vfio-dst0", "enable": False}) == {}
    assert c.ok("vfio-harness-reset", {"id": "vfio-dst0"}) == {}
    assert c.ok("vfio-harness-set-events",
                {"id": "vfio-dst0", "enable": True}) == {}
    res = c.ok("vfio-harness-migrate",
               {"source": "vfio-dst0", "destination": "vfio-src0",
                "max-rounds": 2})
    assert res["verified"] is True, res
    assert res["bytes"] >= 1 << 20, res
    assert c.ok("vfio-harness-reset", {"id": "vfio-dst0"}) == {}
    assert len(c.events) > before, "no events from the commands"
    devs = c.ok("query-vfio-harness-devices")
    assert [(d["id"], d["state"]) for d in devs] == \
        [("vfio-src0", "running"), ("vfio-dst0", "running")], devs

    c.sock.close()
    rc = proc.wait(timeout=TIMEOUT)
    assert rc == 0, "exit %d: %s" % (rc, open(err_path).read())
finally:
    if proc.poll() is None:
        proc.kill()
        proc.wait()

lines = open(out_path).read().splitlines()
objs = [json.loads(line) for line in lines]
assert "summary" in objs[-1], objs[-1]
summary, stdout_events = objs[-1]["summary"], objs[:-1]
assert summary["verdict"] == "verified", summary
assert strip(c.events) == strip(stdout_events), \
    "QMP events differ from stdout:\n%s\n%s" % (
        json.dumps(strip(c.events)), json.dumps(strip(stdout_events)))
assert [e["timestamp"] for e in c.events] == \
    [e["timestamp"] for e in stdout_events], "timestamps differ"
assert not os.path.exists(sock_path), "socket file left behind"
print("ok: %d events (%d of the migration), same on QMP and stdout"
      % (len(c.events), n_migration))

# No client ready: SIGTERM ends the wait (exit 1, socket removed).
proc = subprocess.Popen([prog, "--qmp", sock_path, "--size", "1M"],
                        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
try:
    wait_socket(proc).close()   # not negotiated: no migration
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=TIMEOUT)
    assert proc.returncode == 1, (proc.returncode, err)
    assert out == b"", out
    assert not os.path.exists(sock_path), "socket file left behind"
finally:
    if proc.poll() is None:
        proc.kill()
        proc.wait()

# --qmp-linger: the client stays, vfio-migrate leaves after 0.2 s.
proc = subprocess.Popen(
    [prog, "--qmp", sock_path, "--size", "1M", "--qmp-linger", "0.2", "-q"],
    stdout=subprocess.PIPE, stderr=subprocess.PIPE)
try:
    c = Client(wait_socket(proc))
    c.recv()
    c.ok("qmp_capabilities")
    c.ok("query-vfio-harness-devices")
    out, err = proc.communicate(timeout=TIMEOUT)
    assert proc.returncode == 0, (proc.returncode, err)
    while True:
        msg = c.recv()
        if msg is None:
            break
        c.events.append(msg)
    stdout_events = [json.loads(l) for l in out.decode().splitlines()]
    assert strip(c.events) == strip(stdout_events), "linger: events differ"
finally:
    if proc.poll() is None:
        proc.kill()
        proc.wait()

# A path it cannot listen on: usage error.
r = subprocess.run([prog, "--qmp", os.path.join(tmp, "no/such/dir/s")],
                   stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                   timeout=TIMEOUT)
assert r.returncode == 2, r
print("ok: signal, linger, bad path")
PY
