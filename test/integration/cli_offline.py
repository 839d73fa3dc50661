#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""The offline modes: --validate line handling and exit statuses, --check,
and configuration errors, run against the built executable."""

import os
import signal
import subprocess
import sys
import tempfile
import time

BRIDGE = os.environ["CKB_BRIDGE"]
failures = []
checks = 0


def run(args, stdin=b""):
    p = subprocess.run([BRIDGE] + args, input=stdin, capture_output=True,
                       timeout=60)
    return p.returncode, p.stdout.decode("utf-8", "replace"), \
        p.stderr.decode("utf-8", "replace")


def check(name, got, expected):
    global checks
    checks += 1
    if got != expected:
        failures.append(name)
        print(f"FAIL {name}: got {got!r}, expected {expected!r}")


WF = b'{"workflowId":"w","status":"RUNNING"}'
TASK = b'{"taskId":"t","status":"IN_PROGRESS"}'


def test_one_line_per_input_line():
    data = WF + b"\r\n" + b"\n" + TASK + b"\n" + b"{bad\n" + WF
    rc, out, _ = run(["--validate", "-"], data)
    check("validate exit status with an invalid line", rc, 1)
    lines = out.split("\n")
    check("validate line count", lines[-1], "")
    check("validate output lines", lines[:-1], [
        "ok workflow.started",
        "invalid empty value",
        "ok task.in_progress",
        "invalid malformed JSON at byte 1: expected a member name in "
        "double quotes, found 'b'",
        "ok workflow.started",
    ])


def test_all_ok_exits_zero():
    rc, out, _ = run(["--validate", "-"], WF + b"\n" + TASK)
    check("validate all ok exit status", rc, 0)
    check("validate all ok output", out,
          "ok workflow.started\nok task.in_progress\n")


def test_empty_input_has_no_lines():
    rc, out, _ = run(["--validate", "-"], b"")
    check("validate empty input exit status", rc, 0)
    check("validate empty input output", out, "")


def test_skip_line_and_exit_status():
    with tempfile.NamedTemporaryFile("w", suffix=".conf") as conf:
        conf.write('routing = { task_status = { SKIPPED = "skip"; }; };\n')
        conf.flush()
        rc, out, _ = run(["-c", conf.name, "--validate", "-"],
                         b'{"taskId":"t","status":"SKIPPED"}\n')
    check("skip exit status", rc, 0)
    check("skip output", out,
          'skip task status "SKIPPED" is mapped to skip\n')


def test_limits_from_config_apply():
    with tempfile.NamedTemporaryFile("w", suffix=".conf") as conf:
        conf.write("limits = { max_value_bytes = 40; max_depth = 2; };\n")
        conf.flush()
        rc, out, _ = run(["-c", conf.name, "--validate", "-"],
                         WF + b"\n" + b'{"a":{"b":{}}}\n')
    check("limits exit status", rc, 1)
    check("limits output", out.split("\n")[:2], [
        "ok workflow.started",
        "invalid JSON nested deeper than limits.max_depth (2)",
    ])


def test_missing_input_file_exits_two():
    rc, out, err = run(["--validate", "/nonexistent/events.jsonl"])
    check("missing input exit status", rc, 2)
    check("missing input names the file",
          "/nonexistent/events.jsonl" in err, True)


def test_schema_mode_any_value():
    with tempfile.NamedTemporaryFile("w", suffix=".json") as schema:
        schema.write('{"type":["integer","null"]}')
        schema.flush()
        rc, out, _ = run(["--schema", schema.name, "--validate", "-"],
                         b"1\n1.0\nnull\n\"x\"\ntrue\n[]\n")
    check("schema mode exit status", rc, 1)
    check("schema mode output", out.split("\n")[:6], [
        "ok", "ok", "ok",
        'invalid : type: expected null or integer, got string "x"',
        "invalid : type: expected null or integer, got boolean true",
        "invalid : type: expected null or integer, got array []",
    ])


def test_bad_schema_file_exits_two():
    with tempfile.NamedTemporaryFile("w", suffix=".json") as schema:
        schema.write('{"type": 5}')
        schema.flush()
        rc, _, err = run(["--schema", schema.name, "--validate", "-"], WF)
    check("bad schema exit status", rc, 2)
    check("bad schema names the file", schema.name in err, True)


def test_check_summary():
    rc, out, _ = run(["--check"])
    check("check exit status", rc, 0)
    check("check lists 12 channels", "channels: 12" in out, True)
    check("check names the dead-letter topic",
          "dead-letter topic: conductor.events.dlq" in out, True)


def test_check_with_bad_document_exits_two():
    with tempfile.NamedTemporaryFile("w", suffix=".yaml") as doc:
        doc.write("asyncapi: 2.6.0\nchannels:\n  a:\n    subscribe:\n"
                  "      message:\n        $ref: '#/components/messages/X'\n")
        doc.flush()
        rc, _, err = run(["--asyncapi", doc.name, "--check"])
    check("bad document exit status", rc, 2)
    check("bad document names the file", doc.name in err, True)
    check("bad document names the reference",
          "#/components/messages/X" in err, True)


def test_bad_config_exits_two():
    with tempfile.NamedTemporaryFile("w", suffix=".conf") as conf:
        conf.write('source = { auto_offset_reset = "oldest"; };\n')
        conf.flush()
        rc, _, err = run(["-c", conf.name, "--check"])
    check("bad config exit status", rc, 2)
    check("bad config names the setting",
          "source.auto_offset_reset" in err, True)


def test_protected_property_exits_two():
    rc, _, err = run(["-X", "enable.auto.commit=true", "--check"])
    check("protected property exit status", rc, 2)
    check("protected property named", "enable.auto.commit" in err, True)


def test_sink_topic_equal_to_source_exits_two():
    rc, _, err = run(["-t", "conductor.events.dlq", "--check"])
    check("dlq as source exit status", rc, 2)
    check("dlq as source names the setting", "sink.dlq_topic" in err, True)
    rc, _, err = run(["-t", "task.failed", "--check"])
    check("channel topic as source exit status", rc, 2)
    check("channel topic as source names the channel",
          "channel task.failed" in err, True)


def test_dlq_topic_equal_to_channel_topic_exits_two():
    with tempfile.NamedTemporaryFile("w", suffix=".conf") as conf:
        conf.write('sink = { topic_prefix = "m."; '
                   'dlq_topic = "m.task.completed"; };\n')
        conf.flush()
        rc, _, err = run(["-c", conf.name, "--check"])
    check("dlq as channel topic exit status", rc, 2)
    check("dlq as channel topic names the setting",
          'sink.dlq_topic: "m.task.completed"' in err, True)
    check("dlq as channel topic names the channel",
          "channel task.completed" in err, True)


def test_check_prints_decision_threads():
    with tempfile.NamedTemporaryFile("w", suffix=".conf") as conf:
        conf.write("decision_threads = 4;\nshutdown_timeout_ms = 1500;\n")
        conf.flush()
        rc, out, _ = run(["-c", conf.name, "--check"])
    check("check with decision_threads exit status", rc, 0)
    check("check prints decision threads",
          "\ndecision threads: 4\n" in out, True)
    check("check prints shutdown timeout",
          "\nshutdown timeout: 1500 ms\n" in out, True)


def test_check_rejects_unknown_kafka_property():
    rc, _, err = run(["-X", "foo.bar=1", "--check"])
    check("unknown property exit status", rc, 2)
    check("unknown property named", "property foo.bar" in err, True)


def test_property_value_never_printed():
    rc, _, err = run(["-X", "security.protocol=hunter2", "--check"])
    check("bad property value exit status", rc, 2)
    check("bad property value not printed", "hunter2" in err, False)


def test_topic_prefixed_protected_property():
    rc, _, err = run(["-X", "topic.acks=0", "--check"])
    check("topic.acks exit status", rc, 2)
    check("topic.acks named", "topic.acks" in err, True)


def test_stop_while_waiting_for_broker():
    p = subprocess.Popen([BRIDGE, "-b", "127.0.0.1:1"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    time.sleep(2)
    started = time.monotonic()
    p.send_signal(signal.SIGTERM)
    try:
        rc = p.wait(timeout=20)
    except subprocess.TimeoutExpired:
        p.kill()
        rc = p.wait()
    p.stderr.close()
    check("stop before a broker answered exit status", rc, 0)
    check("stop before a broker answered within 5 s",
          time.monotonic() - started < 5, True)


def test_usage_error_exits_two():
    rc, _, _ = run(["--no-such-option"])
    check("unknown option exit status", rc, 2)


def main():
    for name, fn in sorted(globals().items()):
        if name.startswith("test_") and callable(fn):
            fn()
    print(f"{checks - len(failures)} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
