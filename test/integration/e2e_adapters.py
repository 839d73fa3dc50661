#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""End-to-end Conductor wire formats: the adapters on the mock cluster.

Part one uses the default configuration. kcat produces Conductor's Kafka
publisher envelopes for every eventType, bare workflow summaries, task
summaries and task notifications for every task status, and events that
are already in the AsyncAPI shape to the two source topics. The bridge
runs once with -e. Each source record must reach the channel topic or the
dead-letter topic the product contract names. A channel record's value
must be the normalized event, which the test parses and compares member
by member and in order. Native values and dead letters must keep their
bytes. The key and ce_time must come from the normalized event, and
--validate must print the same decisions.

Part two produces more records for the same consumer group and runs the
bridge with e2e/adapters.conf. That configuration skips RESUMED and
RETRIED envelopes, routes COMPLETED_WITH_ERRORS tasks to task.completed
and reads every record of task-status-events as a task summary. Skipped
records must appear in no topic, the group must commit past them, and a
second -e run must produce nothing.
"""

import json
import os
import re
import sys
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import kafkatest as kt  # noqa: E402
from kafkatest import Message  # noqa: E402

WF = kt.SOURCE_WORKFLOW_TOPIC
TASK = kt.SOURCE_TASK_TOPIC
SOURCE_PARTITIONS = 3
CHANNEL_PARTITIONS = 3
DLQ_PARTITIONS = 2
SOURCE_LAYOUT = {WF: SOURCE_PARTITIONS, TASK: SOURCE_PARTITIONS}
BRIDGE_TIMEOUT_S = 90

EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)

# Conductor writes times as UTC with milliseconds.
T_SCHEDULED = "2026-03-01T09:15:00.000Z"
T_START = "2026-03-01T09:15:02.117Z"
T_UPDATE = "2026-03-01T09:15:09.004Z"
T_END = "2026-03-01T09:15:09.001Z"
# The instant of T_START, written with the +05:30 offset of India.
T_START_OFFSET = "2026-03-01T14:45:02.117+05:30"
# Six fraction digits. The bridge keeps the milliseconds and drops the rest,
# so this is the millisecond of T_END.
T_END_MICROS = "2026-03-01T09:15:09.001999Z"
# Conductor's value of a task time that is not set yet.
EPOCH_ZERO = "1970-01-01T00:00:00.000Z"

MAP_TEXT = "{orderId=42, lines=[a, b]}"  # Java's Map.toString()

# Marks a row whose member the adapter drops (a null value).
DROPPED = object()


def epoch_ms(text):
    """Return the epoch milliseconds of an RFC 3339 time, computed with
    datetime and truncated toward the past below the millisecond."""
    moment = datetime.fromisoformat(text)
    return (moment - EPOCH) // timedelta(milliseconds=1)


def js(obj):
    return kt.compact_json(obj)


def at(name, text):
    """Return the row of a time member: text in, epoch ms out."""
    return (name, text, name, epoch_ms(text))


def zero(name):
    """Return the row of a time member at the epoch, which becomes 0."""
    return (name, EPOCH_ZERO, name, 0)


def split_rows(rows):
    """Return (source members, expected normalized members) of rows.

    A row (name, value) keeps the member as it is, (name, value, DROPPED)
    expects it dropped, and (name, value, new name, new value) expects it
    renamed or converted in place.
    """
    source, expected = {}, {}
    for row in rows:
        source[row[0]] = row[1]
        if len(row) == 2:
            expected[row[0]] = row[1]
        elif row[2] is not DROPPED:
            expected[row[2]] = row[3]
    return source, expected


@dataclass
class Case:
    """One source record and what the bridge must make of it."""
    name: str
    topic: str
    value: bytes
    key: object = None
    channel: object = None  # expected channel, None: not routed
    # Expected members of the adapted value, in order. None means that
    # the value passes byte for byte.
    normalized: object = None
    reason: object = None  # exact dlq-reason, or the skip reason
    pointer: object = None  # expected dlq-pointer, None: absent
    skipped: bool = False
    # Whether the outcome depends on the adapter forced for the topic.
    forced: bool = False
    partition: int = 0  # set by assign_partitions()


def routed(name, topic, value, channel, key=None, normalized=None):
    return Case(name, topic, value, key, channel, normalized)


def dead(name, topic, value, reason, key=None, pointer=None):
    return Case(name, topic, value, key, reason=reason, pointer=pointer)


def no_channel(event_type):
    return f'eventType "{event_type}" has no channel'


def assign_partitions(cases):
    """Spread the cases of each source topic over its partitions in turn,
    in list order."""
    turn = {WF: 0, TASK: 0}
    for case in cases:
        case.partition = turn[case.topic] % SOURCE_PARTITIONS
        turn[case.topic] += 1
    return cases


# --- Conductor's Kafka publisher envelopes ------------------------------

RUNNING_TIMES = [at("startTime", T_START), at("updateTime", T_START)]
ENDED_TIMES = [at("startTime", T_START), at("updateTime", T_UPDATE),
               at("endTime", T_END)]
ORDER_INPUT = ("input", {"orderId": 42, "lines": ["a", "b"]})


def workflow_rows(workflow_id, rows):
    """Return the rows of a workflow summary: Conductor's names for the
    workflow name and version, the id, then rows."""
    return [("workflowType", "order_processing",
             "workflowName", "order_processing"),
            ("version", 3, "workflowVersion", 3),
            ("workflowId", workflow_id)] + rows


def envelope(event_type, payload_rows):
    """Return (value, expected normalized event) of a publisher envelope.
    The normalized event is the payload alone."""
    payload, expected = split_rows(payload_rows)
    value = {"workflowName": "order_processing", "eventType": event_type,
             "payload": payload}
    return js(value), expected


def envelope_case(name, event_type, payload_rows, channel, key=None):
    value, expected = envelope(event_type, payload_rows)
    return routed(name, WF, value, channel, key, expected)


def running_payload(workflow_id):
    return workflow_rows(workflow_id, RUNNING_TIMES + [
        ("status", "RUNNING"), ORDER_INPUT, ("output", {}),
        ("executionTime", 0), ("priority", 0)])


def routed_envelope_cases():
    """Return envelopes whose eventType has a channel and whose
    payload.status agrees with it."""
    failed_payload = workflow_rows("wf-e4", ENDED_TIMES + [
        ("status", "FAILED"), ORDER_INPUT, ("output", {}),
        ("reasonForIncompletion", "Task charge_card failed"),
        ("executionTime", 6884),
        ("failedReferenceTaskNames", "charge_card"),
        ("failedTaskNames", ["charge_card"]), ("priority", 0),
        ("createdBy", "ops"), ("taskToDomain", {"charge_card": "eu"}),
        ("parentWorkflowId", "")])
    completed_payload = workflow_rows("wf-e2", [
        ("correlationId", "order-2")] + ENDED_TIMES + [
        ("status", "COMPLETED"), ORDER_INPUT,
        ("output", {"receipt": "r-2"}), ("executionTime", 6884),
        ("priority", 0), ("parentWorkflowId", "")])
    paused_payload = workflow_rows("wf-e3", [
        ("correlationId", None, DROPPED)] + RUNNING_TIMES + [
        ("endTime", None, DROPPED), ("status", "PAUSED"), ORDER_INPUT,
        ("output", None, DROPPED), ("reasonForIncompletion", None, DROPPED),
        ("priority", 5)])
    timed_out_payload = workflow_rows("wf-e5", [
        at("startTime", T_START_OFFSET), at("updateTime", T_UPDATE),
        at("endTime", T_END), ("status", "TIMED_OUT"),
        ("reasonForIncompletion", "Workflow timed out"),
        ("executionTime", 6884)])
    terminated_payload = workflow_rows("wf-e6", [
        at("startTime", T_START), at("endTime", T_END_MICROS),
        ("status", "TERMINATED"),
        ("reasonForIncompletion", "Stopped by ops")])
    bare_payload = [("workflowType", "order_processing",
                     "workflowName", "order_processing"),
                    ("status", "RUNNING")]

    return [
        envelope_case("envelope STARTED, no endTime", "STARTED",
                      running_payload("wf-e1"), "workflow.started",
                      b"wf-e1"),
        envelope_case("envelope COMPLETED, null key", "COMPLETED",
                      completed_payload, "workflow.completed"),
        envelope_case("envelope PAUSED, null members", "PAUSED",
                      paused_payload, "workflow.paused", b"wf-e3"),
        envelope_case("envelope TERMINATED/FAILED", "TERMINATED",
                      failed_payload, "workflow.failed", b"wf-e4"),
        envelope_case("envelope TERMINATED/TIMED_OUT, +05:30 offset",
                      "TERMINATED", timed_out_payload,
                      "workflow.timed_out"),
        envelope_case("envelope TERMINATED/TERMINATED, 6 fraction digits",
                      "TERMINATED", terminated_payload,
                      "workflow.terminated", b"wf-e6"),
        envelope_case("envelope without ids or times", "STARTED",
                      bare_payload, "workflow.started"),
    ]


def rejected_envelope_cases():
    """Return envelopes whose eventType has no channel, that disagree with
    payload.status, or whose payload the adapter rejects."""
    cases = []
    for n, event_type in enumerate(("RESUMED", "RETRIED", "RERAN",
                                    "RESTARTED"), start=7):
        value, _ = envelope(event_type, running_payload(f"wf-e{n}"))
        cases.append(dead(f"envelope {event_type}", WF, value,
                          no_channel(event_type), f"wf-e{n}".encode()))

    value, _ = envelope("FINALIZED", workflow_rows("wf-e11", ENDED_TIMES + [
        ("status", "COMPLETED")]))
    cases.append(dead("envelope FINALIZED", WF, value,
                      no_channel("FINALIZED"), b"wf-e11"))

    value, _ = envelope("STARTED", workflow_rows("wf-e12", ENDED_TIMES + [
        ("status", "COMPLETED")]))
    cases.append(dead("envelope STARTED, status COMPLETED", WF, value,
                      'eventType "STARTED" disagrees with payload.status '
                      '"COMPLETED"', b"wf-e12"))

    payload_text = js({"workflowId": "wf-e13", "status": "RUNNING"})
    cases.append(dead("envelope payload a JSON string", WF,
                      js({"workflowName": "order_processing",
                          "eventType": "STARTED",
                          "payload": payload_text.decode()}),
                      "payload: expected an object, got a string"))
    cases.append(dead("envelope payload null", WF,
                      js({"workflowName": "order_processing",
                          "eventType": "STARTED", "payload": None}),
                      "payload: expected an object, got null", b"wf-e14"))

    value, _ = envelope("COMPLETED", workflow_rows("wf-e15", [
        at("startTime", T_START), ("updateTime", "1772356509004"),
        ("status", "COMPLETED")]))
    cases.append(dead("envelope updateTime as epoch text", WF, value,
                      'payload.updateTime: "1772356509004" is not an '
                      'RFC 3339 date-time'))
    return cases


# --- bare workflow summaries ---------------------------------------------


def summary_case(name, workflow_id, rows, channel, key=None):
    source, expected = split_rows(workflow_rows(workflow_id, rows))
    return routed(name, WF, js(source), channel, key, expected)


def summary_cases():
    """Return workflow summaries with input and output as Map.toString
    text and as JSON-encoded strings, one per workflow status."""
    json_input = js({"orderId": 42, "lines": ["a", "b"]}).decode()
    # ensure_ascii escapes the é, so the bridge must decode and re-encode.
    receipt = {"receipt": "r-2", "total": 12.5, "note": 'caf\u00e9 "24/7"'}
    return [
        summary_case("summary RUNNING, Map.toString input", "wf-s1", [
            ("correlationId", "order-s1")] + RUNNING_TIMES + [
            ("status", "RUNNING"),
            ("input", MAP_TEXT, "inputText", MAP_TEXT),
            # Java writes an empty map as {}, which is also JSON.
            ("output", "{}", "output", {}),
            ("executionTime", 0), ("priority", 0),
            ("parentWorkflowId", "")], "workflow.started"),
        summary_case("summary COMPLETED, JSON input and output", "wf-s2",
                     ENDED_TIMES + [
                         ("status", "COMPLETED"),
                         ("input", json_input, "input",
                          {"orderId": 42, "lines": ["a", "b"]}),
                         ("output", js(receipt).decode(), "output",
                          receipt),
                         ("executionTime", 6884)],
                     "workflow.completed", b"source-key-s2"),
        summary_case("summary FAILED, Map.toString output", "wf-s3",
                     ENDED_TIMES + [
                         ("status", "FAILED"),
                         ("input", json_input, "input",
                          {"orderId": 42, "lines": ["a", "b"]}),
                         ("output", "{error=card declined, code=402}",
                          "outputText", "{error=card declined, code=402}"),
                         ("reasonForIncompletion", "Task charge_card failed"),
                         ("failedReferenceTaskNames", "charge_card"),
                         ("failedTaskNames", ["charge_card"])],
                     "workflow.failed"),
        summary_case("summary TIMED_OUT, JSON array input", "wf-s4",
                     ENDED_TIMES + [
                         ("status", "TIMED_OUT"),
                         ("input", '["a","b"]', "inputText", '["a","b"]')],
                     "workflow.timed_out"),
        summary_case("summary TERMINATED, null endTime", "wf-s5", [
            at("startTime", T_START), ("endTime", None, DROPPED),
            ("status", "TERMINATED"),
            ("input", MAP_TEXT, "inputText", MAP_TEXT),
            ("output", "{}", "output", {})], "workflow.terminated"),
        summary_case("summary PAUSED, source key", "wf-s6", RUNNING_TIMES + [
            ("status", "PAUSED"), ("input", "{}", "input", {})],
            "workflow.paused", b"source-key-s6"),
    ]


# --- task summaries and task notifications -------------------------------


def task_times(status):
    """Return the time rows of a task in status. Times that are not set
    yet are at the epoch."""
    scheduled = at("scheduledTime", T_SCHEDULED)
    if status in ("SCHEDULED", "SKIPPED"):
        return [scheduled, zero("startTime"),
                at("updateTime", T_SCHEDULED), zero("endTime")]
    if status == "IN_PROGRESS":
        return [scheduled, at("startTime", T_START),
                at("updateTime", T_START), zero("endTime")]
    if status == "CANCELED":
        # Canceled before a worker picked it up.
        return [scheduled, zero("startTime"), at("updateTime", T_END),
                at("endTime", T_END)]
    return [scheduled, at("startTime", T_START),
            at("updateTime", T_UPDATE), at("endTime", T_END)]


def task_rows(n, status, times, detail_rows):
    """Return the rows of a task summary or notification, with the
    renamed workflowId first and taskId last."""
    workflow_id = f"wf-t{n}"
    rows = [("workflowId", workflow_id, "workflowInstanceId", workflow_id),
            ("workflowType", "order_processing"),
            ("correlationId", f"order-t{n}")]
    rows += times + [("status", status)]
    if status.startswith("FAILED") or status == "TIMED_OUT":
        rows.append(("reasonForIncompletion", "card declined"))
    rows += [("executionTime", 6884), ("queueWaitTime", 2117),
             ("taskDefName", "charge_card"), ("taskType", "SIMPLE")]
    return rows + detail_rows + [("taskId", f"t-{n}")]


def summary_detail_rows(n):
    """Return input and output rows of a task summary: Map.toString text
    for even n, JSON-encoded strings for odd n."""
    if n % 2 == 0:
        return [("input", MAP_TEXT, "inputText", MAP_TEXT),
                ("output", "{}", "output", {}), ("workflowPriority", 0)]
    output = {"chargeId": f"ch-{n}", "amount": 12.5}
    return [("input", '{"orderId":42}', "input", {"orderId": 42}),
            ("output", js(output).decode(), "output", output),
            ("workflowPriority", 0), ("domain", "eu")]


NOTIFICATION_ROWS = [("referenceTaskName", "charge_card_ref"),
                     ("retryCount", 1),
                     ("taskDescription", "Charge the card"),
                     ("workflowTaskType", "SIMPLE")]

TASK_STATUSES = list(kt.TASK_CHANNELS) + ["COMPLETED_WITH_ERRORS",
                                          "SKIPPED"]


def task_case(name, n, status, detail_rows, times=None, key=None,
              topic=TASK, channel=None):
    """Return the case of a task. Its channel is the default route of
    status unless channel is given."""
    rows = task_rows(n, status, times or task_times(status), detail_rows)
    source, expected = split_rows(rows)
    channel = channel or kt.TASK_CHANNELS.get(status)
    if channel is None:
        return dead(name, topic, js(source),
                    f'task status "{status}" has no channel', key)
    return routed(name, topic, js(source), channel, key, expected)


def task_cases():
    """Return a task summary (null key) and a task notification (source
    key) for every task status, and the edge cases of task times."""
    cases = []
    for i, status in enumerate(TASK_STATUSES):
        cases.append(task_case(f"task summary {status}", 10 + i, status,
                               summary_detail_rows(10 + i)))
        cases.append(task_case(f"task notification {status}", 30 + i,
                               status, NOTIFICATION_ROWS,
                               key=f"task-{30 + i}".encode()))
    cases.append(task_case(
        "task CANCELED, all times at the epoch", 50,
        "CANCELED", NOTIFICATION_ROWS,
        [zero("scheduledTime"), zero("startTime"), zero("updateTime"),
         zero("endTime")]))
    cases.append(task_case(
        "task summary COMPLETED, null members", 51, "COMPLETED",
        [("input", MAP_TEXT, "inputText", MAP_TEXT),
         ("output", None, DROPPED), ("workflowPriority", 0),
         ("domain", None, DROPPED)]))
    source, _ = split_rows(task_rows(52, "IN_PROGRESS", [
        at("scheduledTime", T_SCHEDULED),
        ("startTime", "2026-03-01 09:15:02.117"),
        zero("endTime")], summary_detail_rows(52)))
    cases.append(dead("task summary, startTime not a time", TASK,
                      js(source),
                      'startTime: "2026-03-01 09:15:02.117" is not an '
                      'RFC 3339 date-time', b"wf-t52"))
    return cases


# --- events already in the AsyncAPI shape --------------------------------


def native_cases():
    """Return events in the AsyncAPI shape. They pass byte for byte unless
    the schema rejects them."""
    t_start, t_end = epoch_ms(T_START), epoch_ms(T_END)
    spaced = (b'{ "workflowId" : "wf-n1", "workflowName" : '
              b'"order_processing", "workflowVersion" : 3, "status" : '
              b'"COMPLETED", "startTime" : %d, "endTime" : %d }'
              % (t_start, t_end))
    return [
        routed("native workflow COMPLETED, spaced JSON", WF, spaced,
               "workflow.completed", b"native-1"),
        routed("native task IN_PROGRESS, null key", TASK,
               js(kt.task_event("t-n2", "wf-n2", "IN_PROGRESS",
                                startTime=t_start, endTime=0)),
               "task.in_progress"),
        dead("native workflow, string startTime", WF,
             js(kt.workflow_event("wf-n3", "RUNNING", startTime=T_START)),
             '/startTime: type: expected integer, got string '
             f'"{T_START}"', pointer="/startTime"),
        routed("native task FAILED on the workflow topic", WF,
               js(kt.task_event("t-n4", "wf-n4", "FAILED",
                                endTime=t_end)), "task.failed"),
        routed("native task with an extra workflowId", TASK,
               js(kt.task_event("t-n5", "wf-n5", "COMPLETED",
                                workflowId="other", endTime=t_end)),
               "task.completed"),
    ]


# --- part two: e2e/adapters.conf -----------------------------------------


def configured_cases():
    """Return the records for the run with e2e/adapters.conf. Each
    partition of the workflow topic ends with a skipped record, so the
    group commits to the end only if the bridge commits past skipped
    records."""

    def skip(event_type, n):
        value, _ = envelope(event_type, running_payload(f"wf-c{n}"))
        return Case(f"envelope {event_type} skipped", WF, value,
                    f"wf-c{n}".encode(), skipped=True,
                    reason=f'eventType "{event_type}" is mapped to skip')

    reran_value, _ = envelope("RERAN", running_payload("wf-c1"))

    errors = "COMPLETED_WITH_ERRORS"
    # Detected as a task summary on any topic.
    on_wf = task_case(f"task summary {errors} on the workflow topic", 60,
                      errors, summary_detail_rows(60), topic=WF,
                      channel="task.completed")
    on_task = task_case(f"task summary {errors}", 61, errors,
                        summary_detail_rows(61), channel="task.completed")
    # Read as a task summary, this event needs no change.
    native = (b'{ "taskId" : "t-c62", "workflowInstanceId" : "wf-c62", '
              b'"status" : "COMPLETED_WITH_ERRORS", "endTime" : %d }'
              % epoch_ms(T_END))

    # Without workflowId the detector would take this for a native event
    # and the schema would reject its string times.
    relayed_rows = [("taskId", "t-c63"), ("taskType", "SIMPLE"),
                    at("scheduledTime", T_SCHEDULED),
                    at("startTime", T_START), ("status", "IN_PROGRESS"),
                    ("workerId", "worker-1")]
    relayed, relayed_expected = split_rows(relayed_rows)
    forced = routed("task without workflowId, read as a summary", TASK,
                    js(relayed), "task.in_progress", b"t-c63",
                    relayed_expected)
    forced.forced = True

    skipped_task, _ = split_rows(task_rows(64, "SKIPPED",
                                           task_times("SKIPPED"), []))

    return [
        dead("envelope RERAN still a dead letter", WF, reran_value,
             no_channel("RERAN"), b"wf-c1"),
        envelope_case("envelope STARTED with the configuration", "STARTED",
                      running_payload("wf-c2"), "workflow.started"),
        on_wf,
        skip("RESUMED", 3),
        skip("RETRIED", 4),
        skip("RESUMED", 5),
        on_task,
        routed(f"native {errors} task unchanged", TASK, native,
               "task.completed"),
        forced,
        dead("task SKIPPED still a dead letter", TASK, js(skipped_task),
             'task status "SKIPPED" has no channel'),
    ]


# --- producing and matching ------------------------------------------------


def produce_cases(cluster, cases):
    """Produce each topic's cases sorted by partition, so kcat needs one
    run per partition and the order within a partition is the list
    order."""
    for topic in (WF, TASK):
        mine = sorted((c for c in cases if c.topic == topic),
                      key=lambda c: c.partition)
        cluster.kcat.produce(topic, [Message(c.value, c.key, c.partition)
                                     for c in mine])


def match_sources(checks, cluster, cases, starts):
    """Read the source records from the offsets in starts on and pair
    each case with its record."""
    pending = {}
    for case in cases:
        pending.setdefault((case.topic, case.partition), []).append(case)
    pairs = []
    for topic in (WF, TASK):
        records = cluster.kcat.consume(topic)
        for p in range(SOURCE_PARTITIONS):
            fresh = [r for r in records if r.partition == p and
                     r.offset >= starts[(topic, p)]]
            expected = pending.get((topic, p), [])
            checks.equal(len(fresh), len(expected),
                         f"{topic}[{p}] contains every produced record")
            for case, rec in zip(expected, fresh):
                if rec.value != case.value or rec.key != case.key:
                    raise kt.TestError(f"{rec.source_id} is not the "
                                       f"record of case {case.name!r}")
                pairs.append((case, rec))
    return pairs


# --- checks -------------------------------------------------------------


class Members(list):
    """A parsed JSON object as its (name, value) pairs in document
    order, duplicates included."""


def parse_ordered(raw):
    return json.loads(raw, object_pairs_hook=Members)


def canonical(value):
    """Return a comparable form of a JSON value that keeps member order
    and distinguishes true from 1 and 1 from 1.0."""
    if isinstance(value, dict):
        value = Members(value.items())
    if isinstance(value, Members):
        return ("object", tuple((n, canonical(v)) for n, v in value))
    if isinstance(value, list):
        return ("array", tuple(canonical(v) for v in value))
    return (type(value).__name__, value)


def plain(value):
    """Return value with Members turned back into dicts, for printing."""
    if isinstance(value, Members):
        return {n: plain(v) for n, v in value}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def show(value):
    return json.dumps(plain(value), ensure_ascii=False)


def expected_key(source_key, event):
    """Return the source key, else the workflow id of the normalized
    event: workflowId of a workflow event, workflowInstanceId of a task
    event."""
    if source_key is not None:
        return source_key
    name = "workflowInstanceId" if "taskId" in event else "workflowId"
    value = event.get(name)
    return value.encode() if isinstance(value, str) else None


def expected_ce_time(event):
    """Return the first of endTime, startTime and scheduledTime that is
    an integer other than 0, as RFC 3339 UTC with milliseconds."""
    for name in ("endTime", "startTime", "scheduledTime"):
        value = event.get(name)
        if type(value) is int and value != 0:
            return kt.format_ms(value)
    return None


def single_header(checks, rec, name):
    """Check that header name occurs exactly once and return its text."""
    values = rec.header_values(name)
    checks.equal(len(values), 1, f"one {name} header")
    if len(values) != 1 or values[0] is None:
        return None
    return values[0].decode("utf-8", "replace")


def check_normalized(checks, expected, raw):
    """Compare the adapted value with the expected members, by name and
    order first, then each value."""
    try:
        members = parse_ordered(raw)
    except (ValueError, TypeError) as e:
        checks.check(False, "value is JSON", f"{e}: {raw!r}")
        return
    if not checks.check(isinstance(members, Members), "value is an object",
                        repr(raw)):
        return
    checks.equal([n for n, _ in members], list(expected),
                 "member names in order")
    for name, value in members:
        if name not in expected:
            continue
        checks.check(canonical(value) == canonical(expected[name]),
                     f"member {name}",
                     f"expected {show(expected[name])}, got {show(value)}")


def check_channel_record(checks, case, src, out):
    event = case.normalized
    if event is None:
        event = json.loads(src.value)
    key = expected_key(src.key, event)
    checks.equal(out.key, key, "key")
    if key is not None:
        checks.equal(out.partition,
                     kt.murmur2_partition(key, CHANNEL_PARTITIONS),
                     "murmur2 partition of the key")
    if case.normalized is None:
        checks.equal(out.value, src.value, "value bytes unchanged")
    else:
        check_normalized(checks, case.normalized, out.value)
    checks.equal(out.timestamp, src.timestamp, "source timestamp")
    expected = {
        "content-type": "application/json",
        "ce_id": src.source_id,
        "ce_source": f"/topics/{src.topic}",
        "ce_type": case.channel,
    }
    for name, value in expected.items():
        checks.equal(single_header(checks, out, name), value, name)
    ce_time = expected_ce_time(event)
    if ce_time is None:
        checks.equal(out.header_values("ce_time"), [], "no ce_time header")
    else:
        checks.equal(single_header(checks, out, "ce_time"), ce_time,
                     "ce_time")


def check_dead_letter(checks, case, src, out):
    checks.equal(out.key, src.key, "source key kept")
    checks.equal(out.value, src.value, "source value bytes kept")
    checks.equal(single_header(checks, out, "dlq-reason"), case.reason,
                 "dlq-reason")
    if case.pointer is None:
        checks.equal(out.header_values("dlq-pointer"), [], "no dlq-pointer")
    else:
        checks.equal(single_header(checks, out, "dlq-pointer"),
                     case.pointer, "dlq-pointer")
    checks.equal(single_header(checks, out, "dlq-source-topic"),
                 src.topic, "dlq-source-topic")
    checks.equal(single_header(checks, out, "dlq-source-partition"),
                 str(src.partition), "dlq-source-partition")
    checks.equal(single_header(checks, out, "dlq-source-offset"),
                 str(src.offset), "dlq-source-offset")


def check_records(checks, pairs, by_source):
    for case, src in pairs:
        found = by_source.get(src.source_id, [])
        if case.skipped:
            checks.equal([r.topic for r in found], [],
                         f"{case.name} ({src.source_id}) is in no topic")
            continue
        expected_topic = case.channel or kt.DLQ_TOPIC
        with checks.group(f"{case.name} ({src.source_id} -> "
                          f"{expected_topic})"):
            if not checks.equal([r.topic for r in found], [expected_topic],
                                "arrived exactly once in"):
                continue
            if case.channel:
                check_channel_record(checks, case, src, found[0])
            else:
                check_dead_letter(checks, case, src, found[0])


def check_sink_count(checks, pairs, sinks, earlier=0):
    """Check that every sink record comes from a case or from an earlier
    run, and each source record from at most one sink record."""
    ids = [kt.source_id_of(r) for records in sinks.values()
           for r in records]
    known = {src.source_id for _, src in pairs}
    routed_now = [i for i in ids if i in known]
    checks.equal(len(ids) - len(routed_now), earlier,
                 "every other sink record is from an earlier run")
    checks.equal(len(routed_now),
                 sum(1 for case, _ in pairs if not case.skipped),
                 "sink records equal unskipped source records in number")
    checks.equal(len(ids), len(set(ids)), "no source record arrived twice")


def validate_line(case):
    """Return the line --validate prints for the case."""
    if case.skipped:
        return f"skip {case.reason}"
    if case.channel:
        return f"ok {case.channel}"
    return f"invalid {case.reason}"


def run_validate(session, bridge_exe, args, cases):
    """Run --validate over the case values; return (exit status, lines)."""
    for case in cases:
        if b"\n" in case.value or b"\r" in case.value:
            raise kt.TestError(f"case {case.name!r} spans lines")
    path = session.path("validate.jsonl")
    with open(path, "wb") as f:
        f.write(b"".join(c.value + b"\n" for c in cases))
    rc, run = kt.run_bridge(session, bridge_exe, args + ["--validate", path],
                            60, "validate")
    lines = [line for line in run.log_text().split("\n")
             if line.startswith(("ok ", "invalid ", "skip "))]
    return rc, lines


def check_validate(checks, session, bridge_exe, config_args, cases, title):
    """Run --validate over the case values and check each line. Records
    whose adapter source.adapters forces for their topic are validated
    with -t TOPIC, which makes the lines count as records of TOPIC."""
    plain = [c for c in cases if not c.forced]
    rc, lines = run_validate(session, bridge_exe, config_args, plain)
    expected_rc = 1 if any(validate_line(c).startswith("invalid ")
                           for c in plain) else 0
    checks.equal(rc, expected_rc, f"{title}: exit status")
    if checks.equal(len(lines), len(plain),
                    f"{title}: one line per input line"):
        with checks.group(f"{title} prints the bridge's decisions"):
            for case, line in zip(plain, lines):
                checks.equal(line, validate_line(case), case.name)
    for topic in sorted({c.topic for c in cases if c.forced}):
        forced = [c for c in cases if c.forced and c.topic == topic]
        rc, lines = run_validate(session, bridge_exe,
                                 config_args + ["-t", topic], forced)
        if checks.equal(len(lines), len(forced),
                        f"{title} with -t {topic}: one line per input line"):
            for case, line in zip(forced, lines):
                checks.equal(line, validate_line(case),
                             f"{case.name} with -t {topic}")


def check_skip_log(checks, bridge, pairs):
    """Check that the bridge logged each skipped record. It logs them at
    info level, so only with -v."""
    text = bridge.log_text()
    for case, src in pairs:
        if not case.skipped:
            continue
        pattern = (rf"SKIP topic={re.escape(src.topic)} "
                   rf"partition={src.partition} offset={src.offset} .*"
                   rf"reason=\"{re.escape(case.reason)}\"")
        checks.check(re.search(pattern, text), f"{case.name}: SKIP log "
                     f"line for {src.source_id}")


def check_committed(checks, cluster, group):
    checks.equal(kt.committed_offsets(cluster.bootstrap, group,
                                      SOURCE_LAYOUT),
                 cluster.kcat.end_offsets(SOURCE_LAYOUT),
                 "committed offsets equal the end offsets")


def check_time_oracle(checks):
    """Check the datetime-based expected times against known values, so
    that a wrong expectation cannot hide a wrong bridge."""
    checks.equal(epoch_ms(T_START), 1772356502117,
                 f"oracle: {T_START} is 1772356502117 ms")
    checks.equal(epoch_ms(T_START_OFFSET), epoch_ms(T_START),
                 f"oracle: {T_START_OFFSET} is {T_START}")
    checks.equal(epoch_ms(T_END_MICROS), epoch_ms(T_END),
                 f"oracle: {T_END_MICROS} truncates to {T_END}")
    checks.equal(epoch_ms(EPOCH_ZERO), 0, f"oracle: {EPOCH_ZERO} is 0")
    checks.equal(kt.format_ms(epoch_ms(T_END)), T_END,
                 f"oracle: format_ms round-trips {T_END}")


# --- the two parts ---------------------------------------------------------


def run_part(checks, session, cluster, bridge_exe, args, cases, name):
    """Produce the cases after the current end of the source topics, run
    the bridge with -e and check every record. Returns (pairs, sinks,
    bridge)."""
    starts = cluster.kcat.end_offsets(SOURCE_LAYOUT)
    produce_cases(cluster, cases)
    pairs = match_sources(checks, cluster, cases, starts)
    kt.log(f"{name}: {len(pairs)} source records, running the bridge")
    rc, run = kt.run_bridge(session, bridge_exe, args, BRIDGE_TIMEOUT_S,
                            name)
    if not checks.equal(rc, 0, f"{name}: bridge -e exits 0"):
        kt.log(run.log_tail())
    sinks = cluster.kcat.consume_all(kt.sink_layout(CHANNEL_PARTITIONS,
                                                    DLQ_PARTITIONS))
    check_records(checks, pairs, kt.index_by_source(sinks))
    return pairs, sinks, run


def part_defaults(checks, session, cluster, bridge_exe, args):
    cases = assign_partitions(routed_envelope_cases() +
                              rejected_envelope_cases() + summary_cases() +
                              task_cases() + native_cases())
    pairs, sinks, run = run_part(checks, session, cluster, bridge_exe, args,
                                 cases, "bridge-defaults")
    check_sink_count(checks, pairs, sinks)
    check_validate(checks, session, bridge_exe, [], cases,
                   "--validate, default configuration")
    return sum(len(records) for records in sinks.values()), run


def part_configured(checks, session, cluster, bridge_exe, args, earlier):
    config_args = ["-c", kt.data_path("adapters.conf")]
    cases = assign_partitions(configured_cases())
    # With -v the bridge logs the skipped records.
    pairs, sinks, run = run_part(checks, session, cluster, bridge_exe,
                                 config_args + ["-v"] + args, cases,
                                 "bridge-configured")
    check_sink_count(checks, pairs, sinks, earlier)
    check_skip_log(checks, run, pairs)
    check_committed(checks, cluster, args[args.index("-G") + 1])

    layout = kt.sink_layout(CHANNEL_PARTITIONS, DLQ_PARTITIONS)
    ends = cluster.kcat.end_offsets(layout)
    rc, rerun = kt.run_bridge(session, bridge_exe, config_args + args,
                              BRIDGE_TIMEOUT_S, "bridge-rerun")
    checks.equal(rc, 0, "second -e run with the configuration exits 0")
    checks.equal(cluster.kcat.end_offsets(layout), ends,
                 "second -e run produces nothing")
    check_validate(checks, session, bridge_exe, config_args, cases,
                   "--validate, e2e/adapters.conf")
    return run, rerun


def main():
    bridge_exe, embedded_exe = kt.require_tools()
    checks = kt.Checks("e2e_adapters")
    check_time_oracle(checks)

    def body():
        sinks = kt.sink_layout(CHANNEL_PARTITIONS, DLQ_PARTITIONS)
        with kt.Session("adapters") as session:
            cluster = kt.Cluster(session, embedded_exe,
                                 {**SOURCE_LAYOUT, **sinks})
            kt.log(f"embedded-kafka at {cluster.bootstrap}")
            group = f"adapters-{os.getpid()}"
            args = ["-b", cluster.bootstrap, "-G", group, "-e"] + \
                kt.GROUP_ARGS
            earlier, first = part_defaults(checks, session, cluster,
                                           bridge_exe, args)
            second, rerun = part_configured(checks, session, cluster,
                                            bridge_exe, args, earlier)
            kt.log(f"bridge runs took {first.seconds:.1f} s, "
                   f"{second.seconds:.1f} s and {rerun.seconds:.1f} s")

    kt.main_guard(checks, body)


if __name__ == "__main__":
    main()
