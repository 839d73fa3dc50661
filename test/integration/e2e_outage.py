#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""End-to-end outage: every broker goes away while the bridge runs.

embedded-kafka takes all its brokers down on SIGUSR1 and brings them back
on SIGUSR2. First, a bridge with a tiny producer queue rides out an outage
in the middle of a batch: it applies backpressure, keeps running, resumes,
and after the outage every event is in its channel topic. Second, a bridge
that is asked to stop during an outage cannot drain: it must give up after
shutdown_timeout_ms with exit status 1, and a later run must still bridge
every event (nothing acknowledged was lost, nothing unacknowledged was
committed).
"""

import json
import os
import re
import signal
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import kafkatest as kt  # noqa: E402
from kafkatest import Message  # noqa: E402

WF = kt.SOURCE_WORKFLOW_TOPIC
PARTITIONS = 4
EVENTS = 6000
STATUSES = ["RUNNING", "COMPLETED", "FAILED"]
GROUP_ARGS = ["-X", "session.timeout.ms=6000",
              "-X", "heartbeat.interval.ms=1000"]


def events(prefix):
    out = []
    for i in range(EVENTS):
        wid = f"{prefix}-{i % 300}"
        event = kt.workflow_event(wid, STATUSES[i % 3],
                                  startTime=1772356502117 + i,
                                  input={"pad": "x" * 200})
        out.append(Message(json.dumps(event).encode(), wid.encode()))
    return out


def channel_counts(cluster, prefix):
    """Count the distinct source records per channel for one batch."""
    counts = {}
    for channel in ("workflow.started", "workflow.completed",
                    "workflow.failed"):
        seen = set()
        for rec in cluster.kcat.consume(channel):
            if json.loads(rec.value)["workflowId"].startswith(prefix):
                seen.add(kt.source_id_of(rec))
        counts[channel] = len(seen)
    return counts


EXPECTED = {"workflow.started": EVENTS // 3,
            "workflow.completed": EVENTS // 3,
            "workflow.failed": EVENTS // 3}


def outage_during_run(checks, session, cluster, bridge_exe):
    kt.log("== outage in the middle of a batch")
    cluster.kcat.produce(WF, events("ride"))
    bridge = kt.Bridge(session, bridge_exe,
                       ["-b", cluster.bootstrap, "-G", "outage-ride", "-e",
                        "-t", WF, "-X", "queue.buffering.max.messages=200"]
                       + GROUP_ARGS, "bridge-ride")
    kt.wait_until(lambda: "assigned" in bridge.log_text(), 30,
                  "the partition assignment")
    cluster.proc.send_signal(signal.SIGUSR1)
    time.sleep(6)
    checks.check(bridge.proc.poll() is None,
                 "the bridge keeps running in an outage")
    cluster.proc.send_signal(signal.SIGUSR2)
    rc = bridge.wait(120)
    checks.equal(rc, 0, "exit status after the outage")
    log = bridge.log_text()
    checks.check("brokers are down" in log or "Connection refused" in log,
                 "the bridge logged the outage")
    checks.equal(channel_counts(cluster, "ride"), EXPECTED,
                 "every event in its channel after the outage")


def stop_during_outage(checks, session, cluster, bridge_exe):
    kt.log("== stop requested while no broker answers")
    config = session.path("short-drain.conf")
    with open(config, "w") as f:
        f.write("shutdown_timeout_ms = 2000;\n"
                'log = { level = "info"; stats_interval_ms = 100; };\n')
    cluster.kcat.produce(WF, events("stop"))
    args = ["-b", cluster.bootstrap, "-G", "outage-stop", "-c", config,
            "-t", WF, "-X", "queue.buffering.max.messages=200"] + GROUP_ARGS
    # With linger.ms=3000 the producer waits up to 3 s before it sends a
    # batch, so records are still in flight when the brokers go down.
    bridge = kt.Bridge(session, bridge_exe,
                       args + ["-X", "linger.ms=3000"], "bridge-stop")
    kt.wait_until(lambda: re.search(r"STATS running .* in_flight=[1-9]",
                                     bridge.log_text()), 30,
                  "records in flight")
    cluster.proc.send_signal(signal.SIGUSR1)
    time.sleep(2)
    started = time.monotonic()
    bridge.signal(signal.SIGTERM)
    rc = bridge.wait(60)
    waited = time.monotonic() - started
    checks.equal(rc, 1, "exit status when the drain times out")
    checks.check(waited < 30, "gave up after shutdown_timeout_ms",
                 f"took {waited:.1f} s")
    checks.check("shutdown_timeout_ms" in bridge.log_text(),
                 "the log names shutdown_timeout_ms")
    cluster.proc.send_signal(signal.SIGUSR2)
    time.sleep(1)
    rc, rerun = kt.run_bridge(session, bridge_exe, args + ["-e"], 120,
                              "bridge-after")
    checks.equal(rc, 0, "exit status of the run after the outage")
    checks.equal(channel_counts(cluster, "stop"), EXPECTED,
                 "every event in its channel after the restart")


def stop_with_lingering_records(checks, session, cluster, bridge_exe):
    kt.log("== stop while the producer still holds every record")
    config = session.path("linger.conf")
    with open(config, "w") as f:
        f.write('kafka = { producer_properties = '
                '( ("linger.ms", "60000") ); };\n'
                "shutdown_timeout_ms = 2000;\n")
    cluster.kcat.produce(WF, events("linger")[:300])
    bridge = kt.Bridge(session, bridge_exe,
                       ["-b", cluster.bootstrap, "-G", "outage-linger",
                        "-c", config, "-t", WF] + GROUP_ARGS,
                       "bridge-linger")
    kt.wait_until(lambda: "assigned" in bridge.log_text(), 30,
                  "the partition assignment")
    time.sleep(2)
    started = time.monotonic()
    bridge.signal(signal.SIGTERM)
    rc = bridge.wait(60)
    waited = time.monotonic() - started
    checks.equal(rc, 1, "exit status when lingering records time out")
    checks.check(waited < 15, "exits soon after shutdown_timeout_ms",
                 f"took {waited:.1f} s")


def main():
    bridge_exe, embedded_exe = kt.require_tools()
    checks = kt.Checks("e2e_outage")

    def body():
        with kt.Session("outage") as session:
            topics = {WF: PARTITIONS, "workflow.started": PARTITIONS,
                      "workflow.completed": PARTITIONS,
                      "workflow.failed": PARTITIONS,
                      kt.DLQ_TOPIC: 1}
            cluster = kt.Cluster(session, embedded_exe, topics)
            outage_during_run(checks, session, cluster, bridge_exe)
            stop_during_outage(checks, session, cluster, bridge_exe)
            stop_with_lingering_records(checks, session, cluster,
                                        bridge_exe)

    kt.main_guard(checks, body)


if __name__ == "__main__":
    main()
