# SPDX-License-Identifier: Apache-2.0
"""Shared helpers for the end-to-end tests.

The tests run the built bridge against the embedded-kafka helper and use
kcat as the independent Kafka client: kcat produces the source records and
reads back what the bridge produced. Only the Python standard library is
used. Every wait has a timeout, and every process a test starts is stopped
in a finally block by Session.
"""

import calendar
import json
import os
import re
import secrets
import select
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field

SOURCE_WORKFLOW_TOPIC = "workflow-status-events"
SOURCE_TASK_TOPIC = "task-status-events"
DLQ_TOPIC = "conductor.events.dlq"

WORKFLOW_CHANNELS = {
    "RUNNING": "workflow.started",
    "COMPLETED": "workflow.completed",
    "FAILED": "workflow.failed",
    "TERMINATED": "workflow.terminated",
    "TIMED_OUT": "workflow.timed_out",
    "PAUSED": "workflow.paused",
}
TASK_CHANNELS = {
    "SCHEDULED": "task.scheduled",
    "IN_PROGRESS": "task.in_progress",
    "COMPLETED": "task.completed",
    "FAILED": "task.failed",
    "FAILED_WITH_TERMINAL_ERROR": "task.failed",
    "TIMED_OUT": "task.timed_out",
    "CANCELED": "task.canceled",
}
CHANNELS = sorted(set(WORKFLOW_CHANNELS.values()) |
                  set(TASK_CHANNELS.values()))

# Headers the bridge sets on channel records, replacing source headers of
# the same name.
CHANNEL_HEADERS = ("content-type", "ce_specversion", "ce_id", "ce_source",
                   "ce_type", "ce_time")
# Headers the bridge sets on dead letters.
DLQ_HEADERS = ("dlq-reason", "dlq-pointer", "dlq-source-topic",
               "dlq-source-partition", "dlq-source-offset", "dlq-time",
               "dlq-value-bytes")

# The first consumer-group join of the mock cluster waits about 3 s. The
# timeouts leave room for that many times over, also on a loaded machine.
DEFAULT_TIMEOUT_S = 60
SKIP_EXIT_STATUS = 77  # meson's "skipped" status
# librdkafka's mock cluster keeps a member that was killed until its
# session times out (45 s by default). With librdkafka 2.0.2 a member that
# joined soon after another one left also waited about that long. Every
# group member the tests start uses this shorter session.
SESSION_TIMEOUT = "session.timeout.ms=6000"
# Bridge options for every group member: the short session, and heartbeats
# every second so that a member notices a rebalance quickly.
GROUP_ARGS = ["-X", SESSION_TIMEOUT, "-X", "heartbeat.interval.ms=1000"]
# A short fetch wait lets kcat -e see the end of a partition at once
# instead of after the default 500 ms wait of an empty fetch.
FAST_FETCH = "fetch.wait.max.ms=5"

RFC3339_UTC = re.compile(
    r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")


class TestError(Exception):
    """A step of a test could not run (a helper failed or timed out)."""


def log(text):
    """Print a progress line at once, so a hanging test shows its step."""
    print(text, flush=True)


def required_env(name):
    """Return an environment variable meson sets, or skip the test."""
    value = os.environ.get(name)
    if not value:
        log(f"SKIP: {name} is not set (run the test through meson test)")
        sys.exit(SKIP_EXIT_STATUS)
    return value


def require_tools():
    """Return the paths of the bridge and embedded-kafka, or skip."""
    if shutil.which("kcat") is None:
        log("SKIP: kcat is not installed (Debian package kcat)")
        sys.exit(SKIP_EXIT_STATUS)
    return required_env("CKB_BRIDGE"), required_env("CKB_EMBEDDED_KAFKA")


def data_path(*parts):
    """Return a path under this suite's test data folder."""
    return os.path.join(required_env("CKB_TEST_DATA"), "e2e", *parts)


def format_ms(epoch_ms):
    """Format epoch milliseconds as RFC 3339 UTC with milliseconds."""
    seconds, ms = divmod(epoch_ms, 1000)
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds)) + \
        f".{ms:03d}Z"


def parse_rfc3339_ms(text):
    """Parse a UTC RFC 3339 time with a fraction into epoch milliseconds."""
    m = re.match(r"^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?Z$",
                 text)
    if not m:
        raise ValueError(f"not an RFC 3339 UTC time: {text!r}")
    seconds = calendar.timegm(time.strptime(m.group(1),
                                            "%Y-%m-%dT%H:%M:%S"))
    fraction = (m.group(2) or "0")[:3].ljust(3, "0")
    return seconds * 1000 + int(fraction)


def murmur2(data):
    """Return the 32-bit murmur2 hash of bytes as the Java client computes
    it (seed 0x9747b28c), the hash of librdkafka's murmur2 partitioners."""
    m = 0x5BD1E995
    length = len(data)
    h = (0x9747B28C ^ length) & 0xFFFFFFFF
    whole = length - length % 4
    for i in range(0, whole, 4):
        k = int.from_bytes(data[i:i + 4], "little")
        k = (k * m) & 0xFFFFFFFF
        k ^= k >> 24
        k = (k * m) & 0xFFFFFFFF
        h = (h * m) & 0xFFFFFFFF
        h ^= k
    tail = length % 4
    if tail == 3:
        h ^= data[whole + 2] << 16
    if tail >= 2:
        h ^= data[whole + 1] << 8
    if tail >= 1:
        h ^= data[whole]
        h = (h * m) & 0xFFFFFFFF
    h ^= h >> 13
    h = (h * m) & 0xFFFFFFFF
    h ^= h >> 15
    return h


def murmur2_partition(key, partition_count):
    """Return the partition the Java client's default partitioner (and
    librdkafka's murmur2 and murmur2_random) picks for a non-null key."""
    return (murmur2(key) & 0x7FFFFFFF) % partition_count


def to_signed32(value):
    """Interpret an unsigned 32-bit value as Java's signed int."""
    return value - (1 << 32) if value & 0x80000000 else value


# Values of org.apache.kafka.common.utils.Utils.murmur2 quoted in Kafka's
# own unit test (UtilsTest.testMurmur2).
MURMUR2_REFERENCE = {
    b"21": -973932308,
    b"foobar": -790332482,
    b"a-little-bit-long-string": -985981536,
    b"a-little-bit-longer-string": -1486304829,
    b"lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8": -58897971,
    b"abc": 479470107,
}


# --- checks -------------------------------------------------------------


class Checks:
    """Counts and prints checks. Checks inside group() print one summary
    line for the group unless one fails; a failure always prints."""

    def __init__(self, name):
        self.name = name
        self.passed = 0
        self.failed = []
        self._group = None
        self._group_count = 0
        self._group_failed = 0

    def check(self, ok, what, detail=""):
        """Record one condition; return it so callers can skip dependent
        checks."""
        if ok:
            self.passed += 1
            if self._group is None:
                log(f"ok   {what}")
        else:
            where = f"{self._group}: " if self._group else ""
            text = f"{where}{what}" + (f": {detail}" if detail else "")
            self.failed.append(text)
            log(f"FAIL {text}")
        if self._group is not None:
            self._group_count += 1
            self._group_failed += 0 if ok else 1
        return bool(ok)

    def equal(self, actual, expected, what):
        """Check actual == expected and show both on failure."""
        return self.check(actual == expected, what,
                          f"expected {expected!r}, got {actual!r}")

    def group(self, title):
        return _CheckGroup(self, title)

    def summary(self):
        """Print the totals and return the exit status (0: all passed)."""
        total = self.passed + len(self.failed)
        log(f"\n{self.name}: {total} checks, {self.passed} passed, "
            f"{len(self.failed)} failed")
        for text in self.failed[:50]:
            log(f"  FAILED {text}")
        if len(self.failed) > 50:
            log(f"  ... and {len(self.failed) - 50} more")
        return 0 if not self.failed and total > 0 else 1


class _CheckGroup:
    def __init__(self, checks, title):
        self.checks = checks
        self.title = title

    def __enter__(self):
        self.checks._group = self.title
        self.checks._group_count = 0
        self.checks._group_failed = 0
        return self.checks

    def __exit__(self, exc_type, exc, tb):
        c = self.checks
        if exc_type is None and c._group_failed == 0:
            log(f"ok   {self.title} ({c._group_count} checks)")
        c._group = None
        return False


def main_guard(checks, body):
    """Run body(), turn a TestError into a failed check, print the summary
    and exit with its status."""
    try:
        body()
    except TestError as e:
        checks.check(False, "test step", str(e))
    except subprocess.TimeoutExpired as e:
        checks.check(False, "test step", f"timed out: {e}")
    status = checks.summary()
    if status and not os.environ.get("CKB_KEEP_TEST_DIR"):
        log("Set CKB_KEEP_TEST_DIR=1 to keep the bridge logs of a run.")
    sys.exit(status)


# --- processes ------------------------------------------------------------


class Session:
    """A temporary folder and every process and thread started in it.
    Leaving the with block runs the cleanups (such as Feeder.finish), stops
    the processes (SIGTERM, then SIGKILL) and removes the folder unless
    CKB_KEEP_TEST_DIR is set."""

    def __init__(self, name):
        self.dir = tempfile.mkdtemp(prefix=f"ckb-{name}-")
        self.processes = []
        self.cleanups = []
        self._counter = 0

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        for cleanup in reversed(self.cleanups):
            cleanup()
        for proc in reversed(self.processes):
            stop_process(proc, signal.SIGTERM, 10)
        if os.environ.get("CKB_KEEP_TEST_DIR"):
            log(f"test files kept in {self.dir}")
        else:
            shutil.rmtree(self.dir, ignore_errors=True)
        return False

    def path(self, name):
        """Return a new unique path in the session folder."""
        self._counter += 1
        return os.path.join(self.dir, f"{self._counter:04d}-{name}")

    def track(self, proc):
        self.processes.append(proc)
        return proc


def stop_process(proc, sig, timeout_s):
    """Send sig and wait; kill the process if it outlives timeout_s.
    Returns the exit status."""
    if proc.poll() is None:
        try:
            proc.send_signal(sig)
            return proc.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            proc.kill()
    return proc.wait(timeout=timeout_s)


def read_first_line(proc, timeout_s):
    """Read the first stdout line of proc without blocking past the
    timeout."""
    fd = proc.stdout.fileno()
    data = b""
    deadline = time.monotonic() + timeout_s
    while b"\n" not in data:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TestError(f"no output line within {timeout_s} s")
        ready, _, _ = select.select([fd], [], [], left)
        if not ready:
            continue
        chunk = os.read(fd, 4096)
        if not chunk:
            raise TestError("the process closed stdout before a line")
        data += chunk
    return data.split(b"\n", 1)[0].decode()


class Cluster:
    """An embedded-kafka process serving a mock cluster with topics."""

    def __init__(self, session, exe, topics, brokers=1):
        self.session = session
        args = [exe, "-n", str(brokers)]
        for topic, partitions in topics.items():
            args += ["-t", f"{topic}:{partitions}"]
        self.log_path = session.path("embedded-kafka.log")
        with open(self.log_path, "wb") as err:
            self.proc = session.track(subprocess.Popen(
                args, stdout=subprocess.PIPE, stderr=err,
                stdin=subprocess.DEVNULL))
        try:
            self.bootstrap = read_first_line(self.proc, 30)
        except TestError as e:
            raise TestError(f"embedded-kafka did not start: {e}")
        if not re.match(r"^[0-9.:,\[\]a-f]+$", self.bootstrap):
            raise TestError(
                f"embedded-kafka printed {self.bootstrap!r}, expected "
                "bootstrap servers")
        self.kcat = Kcat(session, self.bootstrap)


class Bridge:
    """One conductor-kafka-bridge process; its stdout and stderr go to a
    log file."""

    def __init__(self, session, exe, args, name="bridge"):
        # CKB_E2E_BRIDGE_ARGS adds options to every run when debugging,
        # e.g. "-v -v -X debug=cgrp".
        extra = os.environ.get("CKB_E2E_BRIDGE_ARGS", "").split()
        self.name = name
        self.args = [exe] + list(args) + extra
        self.log_path = session.path(f"{name}.log")
        with open(self.log_path, "wb") as out:
            self.proc = session.track(subprocess.Popen(
                self.args, stdout=out, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL))
        self.started = time.monotonic()
        self.seconds = None

    def wait(self, timeout_s):
        """Wait for the exit status; kill the process and raise TestError
        after timeout_s."""
        try:
            rc = self.proc.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)
            raise TestError(
                f"bridge did not exit within {timeout_s} s "
                f"(log {self.log_path}):\n{self.log_tail()}")
        self.seconds = time.monotonic() - self.started
        return rc

    def seconds_running(self):
        return time.monotonic() - self.started

    def signal(self, sig):
        self.proc.send_signal(sig)

    def kill9(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)

    def log_text(self):
        with open(self.log_path, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def log_tail(self, lines=30):
        return "\n".join(self.log_text().splitlines()[-lines:])


def run_bridge(session, exe, args, timeout_s=DEFAULT_TIMEOUT_S,
               name="bridge"):
    """Run the bridge to its end. Returns (exit status, Bridge)."""
    bridge = Bridge(session, exe, args, name)
    return bridge.wait(timeout_s), bridge


def wait_until(predicate, timeout_s, what, interval_s=0.2):
    """Poll predicate until it returns a true value; raise TestError after
    timeout_s. Returns the value."""
    deadline = time.monotonic() + timeout_s
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise TestError(f"timed out after {timeout_s} s waiting for "
                            f"{what}")
        time.sleep(interval_s)


# --- records ------------------------------------------------------------


@dataclass
class Message:
    """A record to produce. value None produces a Kafka null value, key
    None a null key. Header values are text; None is a null header
    value."""
    value: object
    key: object = None
    partition: object = None
    headers: tuple = ()


@dataclass
class Record:
    """A consumed record with exact key and value bytes."""
    topic: str
    partition: int
    offset: int
    timestamp: int
    timestamp_type: str
    key: object
    value: object
    headers: list = field(default_factory=list)

    def header_values(self, name):
        return [v for n, v in self.headers if n == name]

    def header(self, name):
        """Return the only value of header name, None if absent, and raise
        TestError if it occurs more than once."""
        values = self.header_values(name)
        if len(values) > 1:
            raise TestError(f"{self.topic}[{self.partition}]@{self.offset}"
                            f" has {len(values)} {name} headers")
        return values[0] if values else None

    def header_text(self, name):
        value = self.header(name)
        return None if value is None else value.decode("utf-8", "replace")

    @property
    def source_id(self):
        return f"{self.topic}-{self.partition}-{self.offset}"


def _text_bytes(text):
    return text.encode("utf-8", "surrogateescape")


class Kcat:
    """kcat against one cluster."""

    def __init__(self, session, bootstrap):
        self.session = session
        self.bootstrap = bootstrap

    def _run(self, args, timeout_s, what):
        try:
            proc = subprocess.run(
                ["kcat", "-b", self.bootstrap] + args,
                stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                stdin=subprocess.DEVNULL, timeout=timeout_s)
        except subprocess.TimeoutExpired:
            raise TestError(f"kcat {what} did not finish within "
                            f"{timeout_s} s")
        if proc.returncode != 0:
            raise TestError(
                f"kcat {what} failed with status {proc.returncode}: "
                f"{proc.stderr.decode('utf-8', 'replace').strip()}")
        return proc.stdout

    def produce(self, topic, messages, timeout_s=DEFAULT_TIMEOUT_S):
        """Produce messages in order. Consecutive messages that share a
        partition, headers and null-ness of the value go through one kcat
        run (headers and -Z apply to a whole run), so the order within a
        partition is the list order."""
        run = []
        for msg in messages:
            if run and _run_key(run[-1]) != _run_key(msg):
                self._produce_run(topic, run, timeout_s)
                run = []
            run.append(msg)
        if run:
            self._produce_run(topic, run, timeout_s)

    def _produce_run(self, topic, run, timeout_s):
        first = run[0]
        null_values = first.value is None
        record_delim = "@@rec-" + secrets.token_hex(8) + "@@"
        key_delim = "@@key-" + secrets.token_hex(8) + "@@"
        body = bytearray()
        for msg in run:
            value = b"" if msg.value is None else msg.value
            for part in (value, msg.key or b""):
                if (record_delim.encode() in part or
                        key_delim.encode() in part):
                    raise TestError("a record contains kcat's delimiter")
            # kcat skips an empty record, and -Z turns an empty key into
            # a null key. So a null value always gets the key delimiter,
            # and a null key needs a non-empty value without -Z.
            if null_values and msg.key == b"":
                raise TestError("kcat cannot produce an empty key with a "
                                "null value")
            if not null_values and msg.key is None and not value:
                raise TestError("kcat cannot produce a null key with an "
                                "empty value")
            if null_values or msg.key is not None:
                body += (msg.key or b"") + key_delim.encode()
            body += value + record_delim.encode()
        path = self.session.path(f"produce-{topic}.bin")
        with open(path, "wb") as f:
            f.write(body)
        args = ["-P", "-t", topic, "-K", key_delim, "-D", record_delim,
                "-l", path]
        if first.partition is not None:
            args += ["-p", str(first.partition)]
        if null_values:
            args.append("-Z")
        for name, value in first.headers:
            args += ["-H", name if value is None else f"{name}={value}"]
        self._run(args, timeout_s, f"-P -t {topic}")

    def consume(self, topic, timeout_s=DEFAULT_TIMEOUT_S):
        """Read topic from the beginning to its current end. Key and value
        bytes come from a length-prefixed -f format, headers and the
        timestamp type from the -J envelope of a second read."""
        fmt = "%p %o %T %K %S\\n%k%s\\n"
        raw = self._run(["-C", "-t", topic, "-o", "beginning", "-e", "-q",
                         "-X", FAST_FETCH, "-f", fmt], timeout_s,
                        f"-C -t {topic}")
        records = {}
        for rec in _parse_length_format(topic, raw):
            records[(rec.partition, rec.offset)] = rec
        envelopes = self._run(["-C", "-t", topic, "-o", "beginning", "-e",
                               "-q", "-X", FAST_FETCH, "-J"], timeout_s,
                              f"-C -J -t {topic}")
        for line in envelopes.split(b"\n"):
            if not line.strip():
                continue
            env = json.loads(line.decode("utf-8", "surrogateescape"))
            rec = records.get((env["partition"], env["offset"]))
            if rec is None:
                # Produced between the two reads.
                continue
            _merge_envelope(rec, env)
        return sorted(records.values(), key=lambda r: (r.partition,
                                                       r.offset))

    def consume_all(self, topics, timeout_s=DEFAULT_TIMEOUT_S):
        """Return {topic: [Record]} for each topic."""
        return {t: self.consume(t, timeout_s) for t in topics}

    def end_offsets(self, partitions, timeout_s=DEFAULT_TIMEOUT_S):
        """Return {(topic, partition): high watermark} for the given
        {topic: partition count}."""
        args = ["-Q"]
        for topic, count in partitions.items():
            for p in range(count):
                args += ["-t", f"{topic}:{p}:-1"]
        out = self._run(args, timeout_s, "-Q").decode()
        ends = {}
        for line in out.splitlines():
            m = re.match(r"^(\S+) \[(\d+)\] offset (-?\d+)$", line.strip())
            if m:
                ends[(m.group(1), int(m.group(2)))] = int(m.group(3))
        if len(ends) != len(args) // 2:
            raise TestError(f"kcat -Q returned {len(ends)} offsets, "
                            f"expected {len(args) // 2}: {out!r}")
        return ends

    def total_records(self, partitions):
        """Return the sum of the high watermarks of {topic: count}."""
        return sum(self.end_offsets(partitions).values())


def _run_key(msg):
    return (msg.partition, tuple(msg.headers), msg.value is None)


def _parse_length_format(topic, raw):
    records = []
    pos = 0
    while pos < len(raw):
        nl = raw.index(b"\n", pos)
        p, o, ts, klen, vlen = (int(x) for x in raw[pos:nl].split(b" "))
        pos = nl + 1
        key = None if klen < 0 else raw[pos:pos + klen]
        pos += max(klen, 0)
        value = None if vlen < 0 else raw[pos:pos + vlen]
        pos += max(vlen, 0)
        if raw[pos:pos + 1] != b"\n":
            raise TestError(f"kcat output of {topic} is out of step at "
                            f"byte {pos}")
        pos += 1
        records.append(Record(topic, p, o, ts, "", key, value))
    return records


def _merge_envelope(rec, env):
    where = f"{rec.topic}[{rec.partition}]@{rec.offset}"
    key = env.get("key")
    value = env.get("payload")
    # The two reads must agree, which also checks that the -J text
    # round-trips binary bytes.
    if (None if key is None else _text_bytes(key)) != rec.key:
        raise TestError(f"{where}: kcat -J and -f disagree on the key")
    if (None if value is None else _text_bytes(value)) != rec.value:
        raise TestError(f"{where}: kcat -J and -f disagree on the value")
    if env.get("ts") != rec.timestamp:
        raise TestError(f"{where}: kcat -J and -f disagree on the "
                        "timestamp")
    rec.timestamp_type = env.get("tstype", "")
    flat = env.get("headers") or []
    rec.headers = [(flat[i], None if flat[i + 1] is None
                    else _text_bytes(flat[i + 1]))
                   for i in range(0, len(flat), 2)]


# --- committed offsets ----------------------------------------------------
#
# kcat cannot read a group's committed offsets without joining the group,
# which would rebalance it. Two Kafka requests that the mock cluster
# accepts, FindCoordinator v0 and OffsetFetch v1, read them from outside.

API_OFFSET_FETCH = 9
API_FIND_COORDINATOR = 10


def _kafka_string(text):
    data = text.encode()
    return struct.pack(">h", len(data)) + data


def _recv_exact(sock, size):
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            raise TestError("the broker closed the connection")
        data += chunk
    return data


def _kafka_request(host, port, api_key, version, body, timeout_s=10):
    """Send one request and return the response body after the
    correlation id."""
    message = (struct.pack(">hhi", api_key, version, 1) +
               _kafka_string("ckb-e2e") + body)
    with socket.create_connection((host, int(port)), timeout_s) as sock:
        sock.sendall(struct.pack(">i", len(message)) + message)
        size = struct.unpack(">i", _recv_exact(sock, 4))[0]
        return _recv_exact(sock, size)[4:]


class _Reader:
    def __init__(self, data):
        self.data = data
        self.pos = 0

    def take(self, fmt):
        value = struct.unpack_from(fmt, self.data, self.pos)[0]
        self.pos += struct.calcsize(fmt)
        return value

    def string(self):
        size = self.take(">h")
        if size < 0:
            return None
        text = self.data[self.pos:self.pos + size].decode()
        self.pos += size
        return text


def committed_offsets(bootstrap, group, layout):
    """Return {(topic, partition): committed offset, -1 when none} of group
    for {topic: partition count}."""
    host, port = bootstrap.split(",")[0].rsplit(":", 1)
    reply = _Reader(_kafka_request(host, port, API_FIND_COORDINATOR, 0,
                                   _kafka_string(group)))
    error = reply.take(">h")
    reply.take(">i")  # node id
    host, port = reply.string(), reply.take(">i")
    if error:
        raise TestError(f"FindCoordinator for {group} failed: error {error}")
    body = _kafka_string(group) + struct.pack(">i", len(layout))
    for topic, count in layout.items():
        body += _kafka_string(topic) + struct.pack(">i", count)
        body += b"".join(struct.pack(">i", p) for p in range(count))
    reply = _Reader(_kafka_request(host, port, API_OFFSET_FETCH, 1, body))
    offsets = {}
    for _ in range(reply.take(">i")):
        topic = reply.string()
        for _ in range(reply.take(">i")):
            partition = reply.take(">i")
            offset = reply.take(">q")
            reply.string()  # metadata
            error = reply.take(">h")
            if error:
                raise TestError(f"OffsetFetch {topic}[{partition}] failed: "
                                f"error {error}")
            offsets[(topic, partition)] = offset
    return offsets


# --- events ---------------------------------------------------------------


def compact_json(obj):
    return json.dumps(obj, separators=(",", ":")).encode()


def workflow_event(workflow_id, status, **extra):
    """An AsyncAPI WorkflowStatusEvent."""
    event = {"workflowId": workflow_id, "workflowName": "order_processing",
             "workflowVersion": 3, "status": status}
    event.update(extra)
    return event


def task_event(task_id, workflow_id, status, **extra):
    """An AsyncAPI TaskStatusEvent."""
    event = {"taskId": task_id, "taskType": "SIMPLE",
             "taskDefName": "charge_card",
             "referenceTaskName": "charge_card_ref",
             "workflowInstanceId": workflow_id,
             "workflowType": "order_processing", "status": status}
    event.update(extra)
    return event


def source_id_of(record):
    """Return "topic-partition-offset" of the source record a sink record
    came from: ce_id on channel records, dlq-source-* on dead letters."""
    if record.topic == DLQ_TOPIC:
        return "{}-{}-{}".format(record.header_text("dlq-source-topic"),
                                 record.header_text("dlq-source-partition"),
                                 record.header_text("dlq-source-offset"))
    return record.header_text("ce_id")


def index_by_source(sink_records):
    """Return {source id: [sink records]} over {topic: [Record]}."""
    index = {}
    for records in sink_records.values():
        for rec in records:
            index.setdefault(source_id_of(rec), []).append(rec)
    return index


def routed_offsets(by_source):
    """Return {(source topic, partition): sorted source offsets} of the
    source records that reached a sink topic, from index_by_source()."""
    routed = {}
    for source_id in by_source:
        topic, partition, offset = source_id.rsplit("-", 2)
        routed.setdefault((topic, int(partition)), []).append(int(offset))
    return {k: sorted(v) for k, v in routed.items()}


def sink_layout(channel_partitions=3, dlq_partitions=2):
    """Return {topic: partitions} of the 12 channel topics and the
    dead-letter topic with their default names."""
    layout = {c: channel_partitions for c in CHANNELS}
    layout[DLQ_TOPIC] = dlq_partitions
    return layout


def stream_batch(first, count):
    """Return {source topic: [Message]} with count events numbered from
    first: workflow and task events in turn over every channel, and every
    20th a SKIPPED task for the dead-letter topic. Each record's key is its
    workflow id, so kcat spreads them over the partitions."""
    workflow_statuses = list(WORKFLOW_CHANNELS)
    task_statuses = list(TASK_CHANNELS)
    batch = {SOURCE_WORKFLOW_TOPIC: [], SOURCE_TASK_TOPIC: []}
    for n in range(first, first + count):
        wid = f"wf-{n // 4}"
        if n % 20 == 19:
            topic = SOURCE_TASK_TOPIC
            event = task_event(f"t-{n}", wid, "SKIPPED")
        elif n % 2 == 0:
            topic = SOURCE_WORKFLOW_TOPIC
            status = workflow_statuses[(n // 2) % len(workflow_statuses)]
            event = workflow_event(wid, status, startTime=1772356502117 + n,
                                   priority=n)
        else:
            topic = SOURCE_TASK_TOPIC
            status = task_statuses[(n // 2) % len(task_statuses)]
            event = task_event(f"t-{n}", wid, status, retryCount=n)
        batch[topic].append(Message(compact_json(event), wid.encode()))
    return batch


def produce_batch(kcat, batch):
    for topic, messages in batch.items():
        kcat.produce(topic, messages)


@dataclass
class Tally:
    """Sink records matched to source records by ce_id or dlq-source-*."""
    sources: int
    sink_records: int
    missing: list  # source ids with no sink record
    unmatched: list  # sink records whose source id is unknown
    duplicates: int  # sink records beyond the first of each source
    differing: list  # source ids whose copies differ in topic, key or value


def tally(kcat, source_layout, sinks):
    """Read the source topics and the sink topics of sinks ({topic:
    partitions}) and match them."""
    sources = [r for t in source_layout for r in kcat.consume(t)]
    by_source = index_by_source(kcat.consume_all(sinks))
    ids = {r.source_id for r in sources}
    missing = sorted(ids - set(by_source))
    unmatched = sorted(set(by_source) - ids)
    copies = sum(len(v) for v in by_source.values())
    differing = [sid for sid, recs in by_source.items()
                 if len({(r.topic, r.key, r.value) for r in recs}) > 1]
    return Tally(len(sources), copies, missing, unmatched,
                 copies - len(by_source), sorted(differing))


def check_tally(checks, result, duplicates_allowed):
    """Check that every source record reached a sink topic and print the
    duplicates."""
    checks.equal(result.missing[:10], [],
                 f"all {result.sources} source records reached a sink topic")
    checks.equal(result.unmatched[:10], [],
                 "every sink record has a source record")
    checks.equal(result.differing[:10], [],
                 "repeated records are identical")
    log(f"duplicates: {result.duplicates} of {result.sink_records} sink "
        f"records")
    if not duplicates_allowed:
        checks.equal(result.duplicates, 0, "no source record arrived twice")


def assignments(log_text):
    """Return the partitions a bridge holds at the end of its log, from
    its "assigned" and "revoked" REBALANCE lines."""
    assigned = set()
    for line in log_text.splitlines():
        m = re.search(r"REBALANCE (assigned|revoked) \d+ partitions: (.*)$",
                      line)
        if not m or m.group(2) == "(none)":
            continue
        partitions = set(m.group(2).split(","))
        if m.group(1) == "assigned":
            assigned |= partitions
        else:
            assigned -= partitions
    return assigned


class Feeder(threading.Thread):
    """A thread that produces a stream_batch() every half second until
    stop() was called and tail_batches more have landed. It sets
    after_batch after each batch. At 400 events per 0.5 s, even a minute of
    batches stays far below the mock cluster's retention of 100,000
    records or 5 MB per partition."""

    BATCH_EVENTS = 400
    INTERVAL_S = 0.5

    def __init__(self, kcat, tail_batches=0):
        super().__init__(daemon=True)
        self.kcat = kcat
        kcat.session.cleanups.append(self.stop_and_join)
        self.tail_batches = tail_batches
        self.events = 0
        self.after_batch = threading.Event()
        self.stop_requested = threading.Event()
        self.error = None

    def run(self):
        tail = self.tail_batches
        try:
            while not self.stop_requested.is_set() or tail > 0:
                if self.stop_requested.is_set():
                    tail -= 1
                produce_batch(self.kcat, stream_batch(self.events,
                                                      self.BATCH_EVENTS))
                self.events += self.BATCH_EVENTS
                self.after_batch.set()
                time.sleep(self.INTERVAL_S)
        except Exception as e:  # reported by finish()
            self.error = e
        finally:
            self.after_batch.set()

    def wait_for_batch(self, timeout_s=10):
        """Block until the next batch has landed."""
        self.after_batch.clear()
        self.after_batch.wait(timeout_s)

    def stop(self):
        self.stop_requested.set()

    def stop_and_join(self, timeout_s=DEFAULT_TIMEOUT_S):
        self.stop()
        if self.is_alive():
            self.join(timeout_s)

    def finish(self, checks):
        """Stop, wait for the thread and check that it produced without
        error."""
        self.stop_and_join()
        checks.check(not self.is_alive() and self.error is None,
                     f"kcat produced {self.events} events", str(self.error))


def wait_working(cluster, sinks, bridge, records, seconds):
    """Wait until bridge holds partitions, then until the sink topics got
    records more records and seconds have passed since the assignment."""
    before = cluster.kcat.total_records(sinks)
    wait_until(lambda: assignments(bridge.log_text()), DEFAULT_TIMEOUT_S,
               "a partition assignment")
    assigned = time.monotonic()
    wait_until(lambda: cluster.kcat.total_records(sinks) >=
               before + records, DEFAULT_TIMEOUT_S,
               f"{records} more sink records")
    time.sleep(max(0.0, seconds - (time.monotonic() - assigned)))
