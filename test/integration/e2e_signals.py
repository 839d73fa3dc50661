#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""End-to-end stops: SIGTERM, SIGINT, missing topics, no broker, bad
configuration.

SIGTERM and SIGINT arrive while events flow. The bridge must stop
consuming, drain what is in flight, commit what was acknowledged and exit
0. So a second -e run on the same group routes the rest, and every event
lands exactly once across both runs. A source topic that does not exist
counts as empty, with a warning and exit 0 under -e. Without a reachable
broker the bridge exits 1 after 30 s. A bad configuration exits 2 with a
message that names the setting.
"""

import os
import signal
import socket
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import kafkatest as kt  # noqa: E402

SOURCE_PARTITIONS = 3
SOURCES = {kt.SOURCE_WORKFLOW_TOPIC: SOURCE_PARTITIONS,
           kt.SOURCE_TASK_TOPIC: SOURCE_PARTITIONS}
RECORDS_BEFORE_SIGNAL = 1200
RUN_BEFORE_SIGNAL_S = 1.5
STOP_TIMEOUT_S = 15  # the drain of a few hundred records takes far less
BROKER_WAIT_S = 30  # how long the bridge waits for a broker before exit 1
MISSING_TOPIC = "no-such-topic"


def signal_case(checks, session, bridge_exe, embedded_exe, sig):
    """Stop a running bridge with sig mid-stream, then drain the rest with
    a second -e run; every event must land exactly once."""
    name = signal.Signals(sig).name
    sinks = kt.sink_layout()
    cluster = kt.Cluster(session, embedded_exe, {**SOURCES, **sinks})
    group = f"signals-{name.lower()}-{os.getpid()}"
    args = ["-b", cluster.bootstrap, "-G", group] + kt.GROUP_ARGS
    feeder = kt.Feeder(cluster.kcat)
    bridge = kt.Bridge(session, bridge_exe, args, f"bridge-{name}")
    feeder.start()
    kt.wait_working(cluster, sinks, bridge, RECORDS_BEFORE_SIGNAL,
                    RUN_BEFORE_SIGNAL_S)
    feeder.wait_for_batch()
    produced = feeder.events
    bridge.signal(sig)
    signalled = time.monotonic()
    rc = bridge.wait(STOP_TIMEOUT_S)
    routed = cluster.kcat.total_records(sinks)
    kt.log(f"{name}: {produced} events produced, {routed} sink records, "
           f"exit after {time.monotonic() - signalled:.2f} s")
    if not checks.equal(rc, 0, f"{name}: bridge exits 0"):
        kt.log(bridge.log_tail())
    checks.check("stop requested" in bridge.log_text(),
                 f"{name}: bridge logs the stop request")
    check_committed_prefix(checks, cluster, group, sinks, name)
    feeder.finish(checks)

    rc, rest = kt.run_bridge(session, bridge_exe, args + ["-e"], 60,
                             f"bridge-{name}-rest")
    if not checks.equal(rc, 0, f"{name}: second run with -e exits 0"):
        kt.log(rest.log_tail())
    result = kt.tally(cluster.kcat, SOURCES, sinks)
    checks.equal(result.sources, feeder.events,
                 f"{name}: source topics hold every event")
    kt.check_tally(checks, result, duplicates_allowed=False)
    return cluster


def check_committed_prefix(checks, cluster, group, sinks, name):
    """After a clean stop, each source partition's committed offset must
    sit right after the records that reached the sinks: every record below
    it was routed and none at or above it."""
    committed = kt.committed_offsets(cluster.bootstrap, group, SOURCES)
    routed = kt.routed_offsets(kt.index_by_source(
        cluster.kcat.consume_all(sinks)))
    with checks.group(f"{name}: committed offsets follow the routed "
                      "records"):
        for (topic, partition), offset in sorted(committed.items()):
            got = routed.get((topic, partition), [])
            checks.equal(got, list(range(max(offset, 0))),
                         f"{topic}[{partition}] routed below committed "
                         f"offset {offset}")


def missing_topic_cases(checks, session, bridge_exe, cluster):
    """A source topic that does not exist counts as empty."""
    args = ["-b", cluster.bootstrap, "-t", MISSING_TOPIC,
            "-G", f"missing-{os.getpid()}", "-e"] + kt.GROUP_ARGS
    rc, run = kt.run_bridge(session, bridge_exe, args, 60, "bridge-missing")
    checks.equal(rc, 0, "only a missing source topic: -e exits 0")
    checks.check(f"source topic {MISSING_TOPIC} does not exist" in
                 run.log_text(), "missing source topic is logged",
                 run.log_tail())

    sinks = kt.sink_layout()
    before = cluster.kcat.total_records(sinks)
    workflow_events = len(cluster.kcat.consume(kt.SOURCE_WORKFLOW_TOPIC))
    args = ["-b", cluster.bootstrap, "-t", kt.SOURCE_WORKFLOW_TOPIC,
            "-t", MISSING_TOPIC, "-G", f"missing-and-real-{os.getpid()}",
            "-e"] + kt.GROUP_ARGS
    rc, run = kt.run_bridge(session, bridge_exe, args, 60,
                            "bridge-missing-and-real")
    checks.equal(rc, 0, "a missing and an existing source topic: -e "
                 "exits 0")
    checks.check(f"source topic {MISSING_TOPIC} does not exist" in
                 run.log_text(), "missing source topic is logged beside "
                 "an existing one", run.log_tail())
    checks.equal(cluster.kcat.total_records(sinks) - before,
                 workflow_events, "the existing topic is routed in full by "
                 "a fresh group")


def free_loopback_port():
    """Return a loopback TCP port with no listener (bound, then closed)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def no_broker_start(session, bridge_exe):
    """Start the 30 s no-broker case early, so it runs beside the others.
    no_broker_check() collects its result."""
    # NOTE: this covers a broker that is missing at start only. A broker
    # that goes away after the start keeps a -e run waiting without end
    # (seen for 32 minutes), and no test covers that case.
    port = free_loopback_port()
    kt.log(f"no broker: starting a bridge against 127.0.0.1:{port}")
    return kt.Bridge(session, bridge_exe,
                     ["-b", f"127.0.0.1:{port}", "-G",
                      f"no-broker-{os.getpid()}", "-e"], "bridge-no-broker")


def no_broker_check(checks, bridge):
    rc = bridge.wait(BROKER_WAIT_S + 30)
    checks.equal(rc, 1, "no reachable broker: exit 1")
    checks.check(BROKER_WAIT_S - 1 <= bridge.seconds <= BROKER_WAIT_S + 15,
                 f"no reachable broker: exit after about {BROKER_WAIT_S} s",
                 f"{bridge.seconds:.1f} s")
    checks.check("no broker answered" in bridge.log_text(),
                 "no reachable broker: the reason is logged",
                 bridge.log_tail())


def bad_config_cases(checks, session, bridge_exe):
    """Each bad configuration exits 2 and its message names the setting."""
    cases = [
        (["-c", kt.data_path("bad-type.conf")],
         "bad-type.conf:4: limits.max_value_bytes"),
        (["-c", kt.data_path("protected-property.conf")],
         "enable.auto.commit cannot be overridden"),
        (["-c", kt.data_path("unknown-setting.conf")],
         "unknown-setting.conf:4: source.group: unknown setting"),
        (["-X", "acks=1"], "acks cannot be overridden"),
        (["-X", "enable.idempotence=false"],
         "enable.idempotence cannot be overridden"),
        (["-c", kt.data_path("no-such-file.conf")], "no-such-file.conf"),
    ]
    for args, expected in cases:
        what = " ".join(os.path.basename(a) for a in args)
        rc, run = kt.run_bridge(session, bridge_exe,
                                args + ["-b", "127.0.0.1:9", "-e"], 30,
                                "bridge-bad-config")
        checks.equal(rc, 2, f"bad configuration {what}: exit 2")
        checks.check(expected in run.log_text(),
                     f"bad configuration {what}: message names "
                     f"{expected!r}", run.log_text().strip())


def main():
    bridge_exe, embedded_exe = kt.require_tools()
    checks = kt.Checks("e2e_signals")

    def body():
        started = time.monotonic()
        with kt.Session("signals") as session:
            no_broker = no_broker_start(session, bridge_exe)
            bad_config_cases(checks, session, bridge_exe)
            signal_case(checks, session, bridge_exe, embedded_exe,
                        signal.SIGTERM)
            cluster = signal_case(checks, session, bridge_exe,
                                  embedded_exe, signal.SIGINT)
            missing_topic_cases(checks, session, bridge_exe, cluster)
            no_broker_check(checks, no_broker)
            kt.log(f"whole test {time.monotonic() - started:.1f} s")

    kt.main_guard(checks, body)


if __name__ == "__main__":
    main()
