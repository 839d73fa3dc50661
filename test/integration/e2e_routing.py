#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""End-to-end routing: a mixed batch through one bridge run with -e.

kcat produces valid events for all 12 channels, schema violations,
unroutable statuses, malformed and binary values, limit breakers and
Conductor wire formats to the two source topics. The bridge runs once with
-e. The test then reads every channel topic and the dead-letter topic and
checks that each source record arrived exactly once where expected, with
its key, value, timestamp and headers. Afterwards the group's committed
offsets must equal the end offsets, and a second -e run on the same group
must produce nothing.
"""

import json
import os
import random
import sys
import time
from dataclasses import dataclass

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import kafkatest as kt  # noqa: E402
from kafkatest import Message  # noqa: E402

WF = kt.SOURCE_WORKFLOW_TOPIC
TASK = kt.SOURCE_TASK_TOPIC
SOURCE_PARTITIONS = 3
CHANNEL_PARTITIONS = 3
DLQ_PARTITIONS = 2
MAX_VALUE_BYTES = 2048  # limits.max_value_bytes in e2e/limits.conf
DEFAULT_MAX_DEPTH = 128

T_SCHEDULED = 1772356500000
T_START = 1772356502117
T_END = 1772356509001

ORDER_WORKFLOWS = 12
ORDER_TASKS = 8

# Sentinel: the expected output key is the source key.
SOURCE_KEY = object()


@dataclass
class Case:
    """One source record and what the bridge must make of it."""
    name: str
    topic: str
    message: Message
    channel: object = None  # expected channel, None: dead letter
    reason: object = None  # exact dlq-reason, None: as --validate prints
    pointer: object = None  # expected dlq-pointer, None: absent
    key: object = SOURCE_KEY  # expected key of the channel record
    ce_time: object = None  # expected ce_time, None: absent
    rewritten: object = None  # adapter cases: members of the new value


def js(obj):
    return kt.compact_json(obj)


def nested(depth):
    """A JSON value of exactly depth nested arrays."""
    return b"[" * depth + b"]" * depth


def padded_event(total_bytes, workflow_id):
    """A valid workflow.started event of exactly total_bytes bytes."""
    head = js(kt.workflow_event(workflow_id, "RUNNING",
                                input={"pad": ""}))
    pad = total_bytes - len(head)
    return head.replace(b'"pad":""', b'"pad":"' + b"p" * pad + b'"')


def channel_cases():
    """Valid AsyncAPI-shaped events for all 12 channels, with source keys,
    null keys, an empty key and each source of ce_time."""
    p = iter(range(1000))

    def part():
        return next(p) % SOURCE_PARTITIONS

    hdrs = (("trace-id", "abc-123"), ("content-type", "text/plain"),
            ("ce_type", "forged"), ("ce_time", "forged"),
            ("x-null", None), ("trace-id", "second"))
    pretty = (b'{\n  "workflowId" : "wf-5",\n  "workflowName":'
              b' "caf\\u00e9",\n  "workflowVersion": 1.0,\n'
              b'  "status": "TIMED_OUT", "endTime": 1772356509001\n}')
    return [
        Case("workflow RUNNING, source key", WF, Message(
            js(kt.workflow_event("wf-1", "RUNNING", startTime=T_START)),
            b"source-key-1", part()), "workflow.started",
            ce_time=kt.format_ms(T_START)),
        Case("workflow COMPLETED, null key", WF, Message(
            js(kt.workflow_event("wf-2", "COMPLETED", startTime=T_START,
                                 endTime=T_END)), None, part()),
            "workflow.completed", key=b"wf-2",
            ce_time=kt.format_ms(T_END)),
        Case("workflow FAILED, empty key", WF, Message(
            js(kt.workflow_event("wf-3", "FAILED", endTime=T_END,
                                 reasonForIncompletion="charge failed")),
            b"", part()), "workflow.failed", key=b"",
            ce_time=kt.format_ms(T_END)),
        Case("workflow TERMINATED, no id, no time, headers", WF, Message(
            js({"status": "TERMINATED", "workflowName": "w"}), None,
            part(), hdrs), "workflow.terminated", key=None),
        Case("workflow TIMED_OUT, pretty-printed", WF, Message(
            pretty, b"k5", part()), "workflow.timed_out",
            ce_time=kt.format_ms(T_END)),
        # The bridge counts a time of 0 as absent, because Conductor
        # writes the epoch for times that are not set yet.
        Case("workflow PAUSED, endTime 0", WF, Message(
            js(kt.workflow_event("wf-6", "PAUSED", startTime=T_START,
                                 endTime=0)), None, part()),
            "workflow.paused", key=b"wf-6",
            ce_time=kt.format_ms(T_START)),
        Case("workflow id with U+0000", WF, Message(
            b'{"workflowId":"a\\u0000b","status":"RUNNING"}', None,
            part()), "workflow.started", key=b"a\x00b"),
        Case("value of exactly max_value_bytes", WF, Message(
            padded_event(MAX_VALUE_BYTES, "wf-8"), None, part()),
            "workflow.started", key=b"wf-8"),
        Case("nesting of exactly max_depth", WF, Message(
            b'{"workflowId":"wf-9","status":"RUNNING","input":{"a":' +
            nested(DEFAULT_MAX_DEPTH - 2) + b"}}", None, part()),
            "workflow.started", key=b"wf-9"),
        Case("task SCHEDULED, source key", TASK, Message(
            js(kt.task_event("t-10", "wf-10", "SCHEDULED",
                             scheduledTime=T_SCHEDULED)),
            b"source-key-10", part()), "task.scheduled",
            ce_time=kt.format_ms(T_SCHEDULED)),
        Case("task IN_PROGRESS, null key", TASK, Message(
            js(kt.task_event("t-11", "wf-11", "IN_PROGRESS",
                             scheduledTime=T_SCHEDULED,
                             startTime=T_START, workerId="w1")),
            None, part()), "task.in_progress", key=b"wf-11",
            ce_time=kt.format_ms(T_START)),
        Case("task COMPLETED, all times", TASK, Message(
            js(kt.task_event("t-12", "wf-12", "COMPLETED",
                             scheduledTime=T_SCHEDULED, startTime=T_START,
                             endTime=T_END)), None, part()),
            "task.completed", key=b"wf-12", ce_time=kt.format_ms(T_END)),
        Case("task FAILED", TASK, Message(
            js(kt.task_event("t-13", "wf-13", "FAILED", retryCount=2)),
            None, part(), hdrs), "task.failed", key=b"wf-13"),
        Case("task FAILED_WITH_TERMINAL_ERROR", TASK, Message(
            js(kt.task_event("t-14", "wf-14",
                             "FAILED_WITH_TERMINAL_ERROR")),
            b"source-key-14", part()), "task.failed"),
        Case("task TIMED_OUT", TASK, Message(
            js(kt.task_event("t-15", "wf-15", "TIMED_OUT",
                             endTime=T_END)), None, part()),
            "task.timed_out", key=b"wf-15", ce_time=kt.format_ms(T_END)),
        Case("task CANCELED, no workflowInstanceId", TASK, Message(
            js({"taskId": "t-16", "status": "CANCELED"}), None, part()),
            "task.canceled", key=None),
        Case("task with an extra workflowId member", TASK, Message(
            js(kt.task_event("t-17", "wf-17", "COMPLETED",
                             workflowId="other")), None, part()),
            "task.completed", key=b"wf-17"),
    ]


def adapter_cases():
    """Conductor wire formats the adapters rewrite into the AsyncAPI
    shape."""
    envelope = {"workflowName": "order_processing",
                "eventType": "TERMINATED",
                "payload": {"workflowType": "order_processing",
                            "version": 3, "workflowId": "wf-env-1",
                            "startTime": "2026-03-01T09:15:02.117Z",
                            "endTime": "2026-03-01T09:15:09.001Z",
                            "status": "FAILED", "input": {"orderId": 42},
                            "output": {}, "priority": 0,
                            "reasonForIncompletion": "charge failed"}}
    summary = {"taskId": "t-sum-1", "taskType": "SIMPLE",
               "taskDefName": "charge_card", "workflowId": "wf-sum-1",
               "workflowType": "order_processing", "status": "COMPLETED",
               "scheduledTime": "2026-03-01T09:15:00.000Z",
               "startTime": "2026-03-01T09:15:02.117Z",
               "endTime": "2026-03-01T09:15:09.001Z"}
    return [
        Case("publisher envelope TERMINATED/FAILED", WF, Message(
            js(envelope), b"wf-env-1", 0), "workflow.failed",
            ce_time=kt.format_ms(T_END),
            rewritten={"workflowId": "wf-env-1",
                       "workflowName": "order_processing",
                       "workflowVersion": 3, "status": "FAILED",
                       "startTime": T_START, "endTime": T_END}),
        Case("task summary", TASK, Message(js(summary), None, 1),
             "task.completed", key=b"wf-sum-1",
             ce_time=kt.format_ms(T_END),
             rewritten={"taskId": "t-sum-1",
                        "workflowInstanceId": "wf-sum-1",
                        "status": "COMPLETED", "endTime": T_END,
                        "scheduledTime": T_SCHEDULED}),
    ]


def dead_letter_cases():
    """Records the bridge must dead-letter, with the reason where the
    exact text is fixed by event.c or the product contract."""
    rng = random.Random(20260301)
    garbage = bytes(b for b in rng.randbytes(400) if b not in b"\r\n")
    valid = js(kt.workflow_event("wf-dlq", "RUNNING"))
    forged = (("dlq-reason", "forged"), ("dlq-source-offset", "99"),
              ("trace-id", "t-1"))
    p = iter(range(1000))

    def part():
        return next(p) % SOURCE_PARTITIONS

    envelope = {"workflowName": "order_processing", "eventType": "RESUMED",
                "payload": {"workflowType": "order_processing",
                            "workflowId": "wf-env-2", "status": "RUNNING"}}
    disagree = {"workflowName": "order_processing", "eventType": "STARTED",
                "payload": {"workflowType": "order_processing",
                            "workflowId": "wf-env-3",
                            "status": "COMPLETED"}}
    return [
        Case("schema: workflowVersion string", WF, Message(
            js(kt.workflow_event("wf-20", "RUNNING", workflowVersion="2")),
            b"k20", part()),
            reason='/workflowVersion: type: expected integer, got '
                   'string "2"',
            pointer="/workflowVersion"),
        Case("schema: retryCount string", TASK, Message(
            js(kt.task_event("t-21", "wf-21", "FAILED", retryCount="1")),
            None, part()), pointer="/retryCount"),
        Case("schema: input string", WF, Message(
            js(kt.workflow_event("wf-22", "COMPLETED", input="{a=1}")),
            None, part(), forged), pointer="/input"),
        Case("schema: startTime string", TASK, Message(
            js(kt.task_event("t-23", "wf-23", "IN_PROGRESS",
                             startTime="2026-03-01T09:15:02.117Z")),
            b"k23", part()), pointer="/startTime"),
        Case("task SKIPPED", TASK, Message(
            js(kt.task_event("t-24", "wf-24", "SKIPPED")), None, part()),
            reason='task status "SKIPPED" has no channel'),
        Case("task COMPLETED_WITH_ERRORS", TASK, Message(
            js(kt.task_event("t-25", "wf-25", "COMPLETED_WITH_ERRORS")),
            b"k25", part()),
            reason='task status "COMPLETED_WITH_ERRORS" has no channel'),
        Case("workflow status missing", WF, Message(
            js({"workflowId": "wf-26", "workflowName": "w"}), None,
            part()), reason="workflow event has no status"),
        Case("task status null", TASK, Message(
            js(kt.task_event("t-27", "wf-27", None)), None, part()),
            reason="task event has no status"),
        Case("workflow status SKIPPED", WF, Message(
            js(kt.workflow_event("wf-28", "SKIPPED")), None, part()),
            reason='workflow status "SKIPPED" has no channel'),
        Case("workflow status a number", WF, Message(
            js(kt.workflow_event("wf-29", 5)), None, part()),
            reason="status must be a string, got integer"),
        Case("not JSON", WF, Message(b"status=RUNNING id=7", b"k30",
                                     part())),
        Case("binary garbage", TASK, Message(garbage, None, part(),
                                             forged)),
        Case("byte order mark", WF, Message(b"\xef\xbb\xbf" + valid, None,
                                            part())),
        Case("trailing data", WF, Message(valid + b" x", None, part())),
        Case("two objects", TASK, Message(b"{}{}", None, part())),
        Case("duplicate member", WF, Message(
            b'{"workflowId":"wf-35","status":"RUNNING",'
            b'"status":"FAILED"}', None, part())),
        Case("invalid UTF-8 in a string", WF, Message(
            b'{"workflowId":"\xff\xfe","status":"RUNNING"}', None,
            part())),
        Case("array", WF, Message(b"[1,2]", None, part()),
             reason="value is a JSON array, expected an object"),
        Case("integer", TASK, Message(b"42", None, part()),
             reason="value is a JSON number, expected an object"),
        Case("string", WF, Message(b'"RUNNING"', None, part()),
             reason="value is a JSON string, expected an object"),
        Case("JSON null text", TASK, Message(b"null", None, part()),
             reason="value is a JSON null, expected an object"),
        Case("empty value", WF, Message(b"", b"k-empty", part()),
             reason="empty value"),
        Case("white space only", TASK, Message(b" \n\t ", None, part()),
             reason="empty value"),
        Case("null value with key", WF, Message(None, b"k-null", part()),
             reason="value is null"),
        Case("null value, null key", TASK, Message(None, None, part(),
                                                   forged),
             reason="value is null"),
        Case("one byte over max_value_bytes", WF, Message(
            padded_event(MAX_VALUE_BYTES + 1, "wf-46"), None, part()),
            reason=f"value is {MAX_VALUE_BYTES + 1} bytes, over "
                   f"limits.max_value_bytes ({MAX_VALUE_BYTES})"),
        Case("one level over max_depth", WF, Message(
            b'{"workflowId":"wf-47","status":"RUNNING","input":{"a":' +
            nested(DEFAULT_MAX_DEPTH - 1) + b"}}", None, part()),
            reason="JSON nested deeper than limits.max_depth "
                   f"({DEFAULT_MAX_DEPTH})"),
        Case("1000 nested arrays", TASK, Message(nested(1000), None,
                                                 part()),
             reason="JSON nested deeper than limits.max_depth "
                    f"({DEFAULT_MAX_DEPTH})"),
        Case("envelope RESUMED", WF, Message(js(envelope), b"wf-env-2",
                                             part()),
             reason='eventType "RESUMED" has no channel'),
        Case("envelope STARTED with status COMPLETED", WF, Message(
            js(disagree), b"wf-env-3", part()),
            reason='eventType "STARTED" disagrees with payload.status '
                   '"COMPLETED"'),
    ]


def order_cases():
    """Return 8 interleaved task.completed events for each of 12 workflows.
    Each workflow stays on one source partition. Half of the workflows
    carry the workflow id as the source key and half a null key, so both
    key paths go through the partitioner."""
    cases = []
    for seq in range(ORDER_TASKS):
        for w in range(ORDER_WORKFLOWS):
            wid = f"order-wf-{w:02d}"
            key = wid.encode() if w % 2 == 0 else None
            event = kt.task_event(f"{wid}-t{seq}", wid, "COMPLETED",
                                  retryCount=seq, endTime=T_END + seq)
            cases.append(Case(
                f"order {wid} #{seq}", TASK,
                Message(js(event), key, w % SOURCE_PARTITIONS),
                "task.completed", key=wid.encode(),
                ce_time=kt.format_ms(T_END + seq)))
    return cases


def produce_cases(cluster, cases):
    for topic in (WF, TASK):
        cluster.kcat.produce(topic, [c.message for c in cases
                                     if c.topic == topic])


def match_sources(checks, cluster, cases):
    """Read the source topics back and pair each case with its record.
    Within a partition, offsets follow the order of production."""
    pending = {}
    for case in cases:
        pending.setdefault((case.topic, case.message.partition),
                           []).append(case)
    pairs = []
    for topic in (WF, TASK):
        records = cluster.kcat.consume(topic)
        for p in range(SOURCE_PARTITIONS):
            in_part = [r for r in records if r.partition == p]
            expected = pending.get((topic, p), [])
            checks.equal(len(in_part), len(expected),
                         f"{topic}[{p}] contains every produced record")
            for case, rec in zip(expected, in_part):
                if rec.value != case.message.value or \
                        rec.key != case.message.key:
                    raise kt.TestError(f"{rec.source_id} is not the "
                                       f"record of case {case.name!r}")
                pairs.append((case, rec))
    return pairs


def single_header(checks, rec, name):
    """Check that header name occurs exactly once and return its text."""
    values = rec.header_values(name)
    checks.equal(len(values), 1, f"one {name} header")
    if len(values) != 1 or values[0] is None:
        return None
    return values[0].decode("utf-8", "replace")


def other_headers(headers, excluded):
    return [(n, v) for n, v in headers if n not in excluded]


def check_channel_record(checks, case, src, out):
    expected_key = src.key if case.key is SOURCE_KEY else case.key
    checks.equal(out.key, expected_key, "key")
    if expected_key is not None:
        checks.equal(out.partition,
                     kt.murmur2_partition(expected_key, CHANNEL_PARTITIONS),
                     "murmur2 partition of the key")
    if case.rewritten is None:
        checks.equal(out.value, src.value, "value bytes unchanged")
    else:
        check_rewritten(checks, case, out)

    checks.equal(out.timestamp, src.timestamp, "source timestamp")
    checks.equal(out.timestamp_type, "create", "timestamp type")

    checks.equal(other_headers(out.headers, kt.CHANNEL_HEADERS),
                 other_headers(src.headers, kt.CHANNEL_HEADERS),
                 "source headers kept in order")
    expected = {
        "content-type": "application/json",
        "ce_specversion": "1.0",
        "ce_id": src.source_id,
        "ce_source": f"/topics/{src.topic}",
        "ce_type": case.channel,
    }
    for name, value in expected.items():
        checks.equal(single_header(checks, out, name), value, name)
    if case.ce_time is None:
        checks.equal(out.header_values("ce_time"), [], "no ce_time header")
    else:
        checks.equal(single_header(checks, out, "ce_time"), case.ce_time,
                     "ce_time")


def check_rewritten(checks, case, out):
    try:
        value = json.loads(out.value)
    except (ValueError, TypeError):
        checks.check(False, "adapter output is JSON", repr(out.value))
        return
    for name, expected in case.rewritten.items():
        checks.equal(value.get(name), expected, f"adapted member {name}")
    for name in ("workflowType", "version", "eventType", "payload"):
        if "taskId" in value and name == "workflowType":
            continue  # TaskStatusEvent has a workflowType of its own
        checks.check(name not in value, f"no Conductor member {name}")


def check_dead_letter(checks, case, src, out, window):
    checks.equal(out.key, src.key, "source key kept")
    checks.equal(out.value, src.value, "source value kept")
    checks.equal(out.timestamp, src.timestamp, "source timestamp")
    checks.equal(other_headers(out.headers, kt.DLQ_HEADERS),
                 other_headers(src.headers, kt.DLQ_HEADERS),
                 "source headers kept in order")

    reason = single_header(checks, out, "dlq-reason")
    if case.reason is not None:
        checks.equal(reason, case.reason, "dlq-reason")
    else:
        checks.check(bool(reason), "dlq-reason is not empty")

    if case.pointer is None:
        checks.equal(out.header_values("dlq-pointer"), [], "no dlq-pointer")
    else:
        checks.equal(single_header(checks, out, "dlq-pointer"),
                     case.pointer, "dlq-pointer")
        checks.check(reason is not None and
                     reason.startswith(case.pointer + ": "),
                     "dlq-reason starts with the pointer",
                     repr(reason))

    checks.equal(single_header(checks, out, "dlq-source-topic"),
                 src.topic, "dlq-source-topic")
    checks.equal(single_header(checks, out, "dlq-source-partition"),
                 str(src.partition), "dlq-source-partition")
    checks.equal(single_header(checks, out, "dlq-source-offset"),
                 str(src.offset), "dlq-source-offset")
    checks.equal(out.header_values("dlq-value-bytes"), [],
                 "no dlq-value-bytes")

    when = single_header(checks, out, "dlq-time")
    if checks.check(when is not None and kt.RFC3339_UTC.match(when),
                    "dlq-time is RFC 3339 UTC", repr(when)):
        ms = kt.parse_rfc3339_ms(when)
        checks.check(window[0] <= ms <= window[1],
                     "dlq-time within the run",
                     f"{when} outside {kt.format_ms(window[0])}.."
                     f"{kt.format_ms(window[1])}")


def check_records(checks, pairs, by_source, window):
    for case, src in pairs:
        found = by_source.get(src.source_id, [])
        expected_topic = case.channel or kt.DLQ_TOPIC
        with checks.group(f"{case.name} ({src.source_id} -> "
                          f"{expected_topic})"):
            if not checks.equal([r.topic for r in found], [expected_topic],
                                "arrived exactly once in"):
                continue
            if case.channel:
                check_channel_record(checks, case, src, found[0])
            else:
                check_dead_letter(checks, case, src, found[0], window)


def check_all_matched(checks, pairs, sinks):
    sources = {src.source_id for _, src in pairs}
    total = sum(len(records) for records in sinks.values())
    unmatched = [kt.source_id_of(r) for records in sinks.values()
                 for r in records if kt.source_id_of(r) not in sources]
    checks.equal(unmatched, [], "every sink record has a source record")
    checks.equal(total, len(pairs),
                 "sink records equal source records in number")


def check_order(checks, sinks):
    records = sinks["task.completed"]
    by_key = {}
    for rec in records:
        if rec.key and rec.key.startswith(b"order-wf-"):
            by_key.setdefault(rec.key, []).append(rec)
    checks.equal(len(by_key), ORDER_WORKFLOWS,
                 "task.completed contains every ordered workflow")
    with checks.group("events of one workflow keep their order in "
                      "task.completed"):
        for key, recs in sorted(by_key.items()):
            parts = {r.partition for r in recs}
            checks.equal(parts, {kt.murmur2_partition(key,
                                                      CHANNEL_PARTITIONS)},
                         f"{key.decode()}: one murmur2 partition")
            seqs = [json.loads(r.value)["retryCount"]
                    for r in sorted(recs, key=lambda r: r.offset)]
            checks.equal(seqs, list(range(ORDER_TASKS)),
                         f"{key.decode()}: sequence in offset order")


def check_validate(checks, bridge_exe, session, config, cases):
    """--validate must print what the bridge did: "ok <channel>" for a
    routed record and "invalid <dlq-reason>" for a dead letter."""
    lines = [c for c in cases if c.message.value is not None and
             b"\n" not in c.message.value and
             b"\r" not in c.message.value]
    path = session.path("validate.jsonl")
    with open(path, "wb") as f:
        f.write(b"".join(c.message.value + b"\n" for c in lines))
    rc, run = kt.run_bridge(session, bridge_exe,
                            ["-c", config, "--validate", path], 60,
                            "validate")
    checks.equal(rc, 1, "--validate exits 1 when a line is invalid")
    out = [line for line in run.log_text().split("\n")
           if line.startswith(("ok", "invalid", "skip"))]
    checks.equal(len(out), len(lines), "--validate prints one line per "
                 "input line")
    return dict(zip((c.name for c in lines), out))


def check_validate_agrees(checks, validated, pairs, by_source):
    with checks.group("--validate agrees with the bridge on every "
                      "single-line value"):
        for case, src in pairs:
            line = validated.get(case.name)
            found = by_source.get(src.source_id, [])
            if line is None or len(found) != 1:
                continue
            out = found[0]
            if case.channel:
                checks.equal(line, f"ok {case.channel}", case.name)
            else:
                checks.equal(line, "invalid " +
                             (out.header_text("dlq-reason") or ""),
                             case.name)


def check_committed(checks, cluster, group):
    """The -e run must leave the group's committed offsets at the end of
    every source partition."""
    layout = {WF: SOURCE_PARTITIONS, TASK: SOURCE_PARTITIONS}
    checks.equal(kt.committed_offsets(cluster.bootstrap, group, layout),
                 cluster.kcat.end_offsets(layout),
                 "committed offsets equal the end offsets")
    fresh = kt.committed_offsets(cluster.bootstrap, f"{group}-fresh",
                                 layout)
    checks.equal(set(fresh.values()), {-1},
                 "a fresh group has no committed offsets (so the probe "
                 "reads the group it is given)")


def check_rerun(checks, session, bridge_exe, cluster, args, sinks_layout):
    """A second -e run on the same group must produce nothing."""
    ends = cluster.kcat.end_offsets(sinks_layout)
    rc, rerun = kt.run_bridge(session, bridge_exe, args, 90, "bridge-rerun")
    checks.equal(rc, 0, "second -e run on the same group exits 0")
    checks.equal(cluster.kcat.end_offsets(sinks_layout), ends,
                 "second -e run produces nothing")
    return rerun


def main():
    bridge_exe, embedded_exe = kt.require_tools()
    checks = kt.Checks("e2e_routing")
    config = kt.data_path("limits.conf")

    reference = {k: kt.to_signed32(kt.murmur2(k))
                 for k in kt.MURMUR2_REFERENCE}
    checks.equal(reference, kt.MURMUR2_REFERENCE,
                 "murmur2 helper matches Kafka's reference hashes")

    def body():
        cases = (channel_cases() + adapter_cases() + dead_letter_cases() +
                 order_cases())
        sinks_layout = kt.sink_layout(CHANNEL_PARTITIONS, DLQ_PARTITIONS)
        topics = {WF: SOURCE_PARTITIONS, TASK: SOURCE_PARTITIONS,
                  **sinks_layout}
        with kt.Session("routing") as session:
            cluster = kt.Cluster(session, embedded_exe, topics)
            kt.log(f"embedded-kafka at {cluster.bootstrap}, producing "
                   f"{len(cases)} records")
            produce_cases(cluster, cases)
            pairs = match_sources(checks, cluster, cases)

            group = f"routing-{os.getpid()}"
            args = ["-c", config, "-b", cluster.bootstrap, "-G", group,
                    "-e"] + kt.GROUP_ARGS
            start_ms = int(time.time() * 1000)
            rc, run = kt.run_bridge(session, bridge_exe, args, 90)
            end_ms = int(time.time() * 1000)
            if not checks.equal(rc, 0, "bridge -e exits 0"):
                kt.log(run.log_tail())

            sinks = cluster.kcat.consume_all(sinks_layout)
            by_source = kt.index_by_source(sinks)
            check_records(checks, pairs, by_source,
                          (start_ms - 1000, end_ms + 1000))
            check_all_matched(checks, pairs, sinks)
            check_order(checks, sinks)
            validated = check_validate(checks, bridge_exe, session, config,
                                       cases)
            check_validate_agrees(checks, validated, pairs, by_source)

            check_committed(checks, cluster, group)
            rerun = check_rerun(checks, session, bridge_exe, cluster, args,
                                sinks_layout)
            kt.log(f"routed {len(pairs)} source records, bridge runs "
                   f"took {run.seconds:.1f} s and {rerun.seconds:.1f} s")

    kt.main_guard(checks, body)


if __name__ == "__main__":
    main()
