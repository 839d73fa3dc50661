#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""The job of `conductor-kafka-bridge --validate FILE` with jsonschema.

Written for bench/validate.sh with Debian's python3-jsonschema. It reads
JSON Lines, parses each line, checks for an object and adapts Conductor's
wire formats by the rules of src/adapt.c. It classifies task or workflow
by taskId, routes with the routing table and validates against the
channel's payload schema (draft-07). It prints one line per input line:
"ok CHANNEL", "invalid REASON" or "skip REASON".

Usage: validate_jsonschema.py SCHEMAS_JSON ROUTING_JSON FILE
  SCHEMAS_JSON  output of bench/asyncapi_schemas.py
  ROUTING_JSON  bench/default_routing.json

Differences from the bridge, none of which the generated events hit:
json.loads accepts duplicate member names (the last one wins), its nesting
is limited by Python's recursion limit instead of limits.max_depth, and
reasons are worded by jsonschema.
"""

import json
import re
import sys

import jsonschema

# The bridge's default limits.max_value_bytes.
MAX_VALUE_BYTES = 1048576

RENAMES = {
    "workflow": {"workflowType": "workflowName",
                 "version": "workflowVersion"},
    "task": {"workflowId": "workflowInstanceId"},
}

RFC3339 = re.compile(r"(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})"
                     r"(?:\.(\d+))?(?:[Zz]|([+-])(\d{2}):(\d{2}))\Z",
                     re.ASCII)


class Rejected(Exception):
    """A record the bridge would not produce: invalid or skip."""

    def __init__(self, message, verdict="invalid"):
        super().__init__(message)
        self.verdict = verdict


def reject_constant(name):
    """Reject NaN and Infinity, which are not JSON."""
    raise ValueError("invalid literal %s" % name)


def days_in_month(year, month):
    if month == 2:
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        return 29 if leap else 28
    return 30 if month in (4, 6, 9, 11) else 31


def days_from_civil(year, month, day):
    """Return the days from 1970-01-01 to a proleptic Gregorian date."""
    y = year - 1 if month <= 2 else year
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (month - 3 if month > 2 else month + 9) + 2) // 5 + day - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def parse_time(text):
    """Return the epoch milliseconds of an RFC 3339 date-time, or None.

    Digits of the fraction past the third are dropped, as the bridge does.
    NOTE: a leap second (:60) is rejected here; the bridge accepts it at
    23:59 UTC on the last day of a month.
    """
    m = RFC3339.match(text)
    if m is None:
        return None
    year, month, day, hour, minute, second = (int(g) for g in m.groups()[:6])
    if (not 1 <= month <= 12 or not 1 <= day <= days_in_month(year, month)
            or hour > 23 or minute > 59 or second > 59):
        return None
    offset = 0
    if m.group(8) is not None:
        oh, om = int(m.group(9)), int(m.group(10))
        if oh > 23 or om > 59:
            return None
        offset = (oh * 60 + om) * (-1 if m.group(8) == "-" else 1)
    fraction = m.group(7) or ""
    milli = int((fraction[:3]).ljust(3, "0"))
    minutes = (days_from_civil(year, month, day) * 1440 + hour * 60
               + minute - offset)
    return minutes * 60000 + second * 1000 + milli


def quote(text):
    return json.dumps(text[:64] + "..." if len(text) > 64 else text)


def adapt_member(obj, kind, prefix, key, value):
    """Return (name, value) of one output member, or None to drop it."""
    if value is None:
        return None
    name = key
    renamed = RENAMES[kind].get(key)
    if renamed is not None and obj.get(renamed) is None:
        name = renamed
    if not isinstance(value, str):
        return name, value
    if key.endswith("Time"):
        ms = parse_time(value)
        if ms is None:
            raise Rejected("%s%s: %s is not an RFC 3339 date-time"
                           % (prefix, key, quote(value)))
        return name, ms
    if key not in ("input", "output"):
        return name, value
    try:
        parsed = json.loads(value, parse_constant=reject_constant)
    except (ValueError, RecursionError):
        parsed = None
    if isinstance(parsed, dict):
        return name, parsed
    # Java's Map.toString text, or other text that is not a JSON object.
    text_name = "inputText" if key == "input" else "outputText"
    if obj.get(text_name) is not None:
        raise Rejected("%s%s: text that is not a JSON object cannot move "
                       "to %s, which exists already"
                       % (prefix, key, text_name))
    return text_name, value


def normalize(obj, kind, prefix):
    out = {}
    for key, value in obj.items():
        member = adapt_member(obj, kind, prefix, key, value)
        if member is not None:
            out[member[0]] = member[1]
    return out


def detect(obj):
    if "eventType" in obj and "payload" in obj:
        return "envelope"
    if "taskId" in obj:
        if "workflowId" in obj and "workflowInstanceId" not in obj:
            return "task_summary"
        return "native"
    if "workflowType" in obj and "workflowName" not in obj:
        return "workflow_summary"
    return "native"


def type_name(value):
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def with_article(value):
    name = type_name(value)
    if name == "null":
        return name
    return ("an " if name[0] in "aeiou" else "a ") + name


def adapt_event(obj):
    """Return (event, event_type); event_type is None for non-envelopes."""
    shape = detect(obj)
    if shape == "envelope":
        event_type = obj["eventType"]
        payload = obj["payload"]
        if not isinstance(event_type, str):
            raise Rejected("eventType: expected a string, got "
                           + with_article(event_type))
        if not isinstance(payload, dict):
            raise Rejected("payload: expected an object, got "
                           + with_article(payload))
        return normalize(payload, "workflow", "payload."), event_type
    if shape == "workflow_summary":
        return normalize(obj, "workflow", ""), None
    if shape == "task_summary":
        return normalize(obj, "task", ""), None
    return obj, None


def route_status(routing, event, is_task, member_name):
    kind = "task" if is_task else "workflow"
    status = event.get("status")
    if status is None:
        raise Rejected("%s event has no %s" % (kind, member_name))
    if not isinstance(status, str):
        raise Rejected("%s must be a string, got %s"
                       % (member_name, type_name(status)))
    table = routing["task_status" if is_task else "workflow_status"]
    target = table.get(status)
    if target in (None, "dlq", "status"):
        raise Rejected("%s status %s has no channel"
                       % (kind, json.dumps(status)))
    if target == "skip":
        raise Rejected("%s status %s is mapped to skip"
                       % (kind, json.dumps(status)), "skip")
    return target


def route_envelope(routing, event_type, event):
    """Route an envelope: eventType decides, and payload.status must agree
    with it or, for an eventType mapped to "status", picks the channel."""
    quoted = json.dumps(event_type)
    target = routing["event_type"].get(event_type)
    if target in (None, "dlq"):
        raise Rejected("eventType %s has no channel" % quoted)
    if target == "skip":
        raise Rejected("eventType %s is mapped to skip" % quoted, "skip")
    if target == "status":
        return route_status(routing, event, False, "payload.status")
    if event.get("status") is None:
        return target
    try:
        by_status = route_status(routing, event, False, "payload.status")
    except Rejected:
        by_status = None
    if by_status == target:
        return target
    raise Rejected("eventType %s disagrees with payload.status %s"
                   % (quoted, json.dumps(event["status"])))


def pointer(path):
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1")
                   for p in path)


def compile_channels(schemas_path):
    with open(schemas_path, encoding="utf-8") as f:
        extracted = json.load(f)
    checker = jsonschema.FormatChecker()
    by_message = {}
    for name, schema in extracted["schemas"].items():
        jsonschema.Draft7Validator.check_schema(schema)
        by_message[name] = jsonschema.Draft7Validator(
            schema, format_checker=checker)
    return {channel: by_message[message]
            for channel, message in extracted["channels"].items()}


def decide(channels, routing, data):
    """Return the result line for one input line (bytes, no end of line)."""
    if not data:
        return "invalid empty value"
    if len(data) > MAX_VALUE_BYTES:
        return ("invalid value is %d bytes, over limits.max_value_bytes "
                "(%d)" % (len(data), MAX_VALUE_BYTES))
    try:
        root = json.loads(data.decode("utf-8"),
                          parse_constant=reject_constant)
    except (ValueError, RecursionError) as err:
        return "invalid malformed JSON: %s" % err
    if not isinstance(root, dict):
        return ("invalid value is a JSON %s, expected an object"
                % type_name(root))
    try:
        event, event_type = adapt_event(root)
        if event_type is not None:
            channel = route_envelope(routing, event_type, event)
        else:
            channel = route_status(routing, event, "taskId" in event,
                                   "status")
    except Rejected as err:
        return "%s %s" % (err.verdict, err)
    validator = channels.get(channel)
    if validator is None:
        return 'invalid channel "%s" is unknown' % channel
    error = next(validator.iter_errors(event), None)
    if error is not None:
        return "invalid %s: %s: %s" % (pointer(error.absolute_path),
                                       error.validator, error.message)
    return "ok " + channel


def lines(data):
    """Split into lines: a "\\r" before "\\n" is dropped, and an
    unterminated last line counts."""
    parts = data.split(b"\n")
    if parts[-1] == b"":
        parts.pop()
    for part in parts:
        yield part[:-1] if part.endswith(b"\r") else part


def main(argv):
    if len(argv) != 4:
        sys.stderr.write("usage: validate_jsonschema.py SCHEMAS_JSON "
                         "ROUTING_JSON FILE\n")
        return 2
    channels = compile_channels(argv[1])
    with open(argv[2], encoding="utf-8") as f:
        routing = json.load(f)
    if argv[3] == "-":
        data = sys.stdin.buffer.read()
    else:
        with open(argv[3], "rb") as f:
            data = f.read()
    out = []
    invalid = 0
    for line in lines(data):
        result = decide(channels, routing, line)
        if result.startswith("invalid"):
            invalid += 1
        out.append(result)
    sys.stdout.write("\n".join(out) + ("\n" if out else ""))
    return 1 if invalid else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
