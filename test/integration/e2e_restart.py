#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""End-to-end crash recovery: kill -9 the bridge twice while events flow.

A background thread produces batches of events to the source topics while
the bridge runs. Twice the bridge is killed with SIGKILL right after a
batch lands and restarted on the same group. A last run with -e drains the
rest. At-least-once delivery means that no event may be missing from the
sink topics. Duplicates are allowed, counted and printed.
"""

import os
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import kafkatest as kt  # noqa: E402

SOURCE_PARTITIONS = 4
# Batches produced after the second kill, so the last run has work left.
TAIL_BATCHES = 3
# Sink records each killed member must produce before its kill.
KILL_AFTER_RECORDS = 1500
# Seconds a member runs after its assignment before the kill, so that its
# periodic commits (every second) have moved the group's offsets.
RUN_AFTER_ASSIGNMENT_S = 2.5


def kill_mid_stream(checks, cluster, sinks, feeder, bridge):
    """SIGKILL the bridge right after a batch lands, while it works on
    that batch, once it has run for a few commit intervals."""
    kt.wait_working(cluster, sinks, bridge, KILL_AFTER_RECORDS,
                    RUN_AFTER_ASSIGNMENT_S)
    feeder.wait_for_batch()
    produced = feeder.events
    bridge.kill9()
    routed = cluster.kcat.total_records(sinks)
    kt.log(f"SIGKILL {bridge.seconds_running():.1f} s after start: "
           f"{produced} events produced, {routed} sink records")
    checks.check(bridge.proc.returncode == -9,
                 "bridge died of SIGKILL", str(bridge.proc.returncode))


def main():
    bridge_exe, embedded_exe = kt.require_tools()
    checks = kt.Checks("e2e_restart")
    sources = {kt.SOURCE_WORKFLOW_TOPIC: SOURCE_PARTITIONS,
               kt.SOURCE_TASK_TOPIC: SOURCE_PARTITIONS}
    sinks = kt.sink_layout()

    def body():
        started = time.monotonic()
        with kt.Session("restart") as session:
            cluster = kt.Cluster(session, embedded_exe, {**sources, **sinks})
            group = f"restart-{os.getpid()}"
            args = ["-b", cluster.bootstrap, "-G", group] + kt.GROUP_ARGS
            feeder = kt.Feeder(cluster.kcat, TAIL_BATCHES)
            first = kt.Bridge(session, bridge_exe, args, "bridge-1")
            feeder.start()
            kill_mid_stream(checks, cluster, sinks, feeder, first)
            second = kt.Bridge(session, bridge_exe, args, "bridge-2")
            kill_mid_stream(checks, cluster, sinks, feeder, second)
            feeder.finish(checks)
            rc, last = kt.run_bridge(session, bridge_exe, args + ["-e"], 90,
                                     "bridge-3")
            if not checks.equal(rc, 0, "restarted bridge drains with -e "
                                "and exits 0"):
                kt.log(last.log_tail())
            result = kt.tally(cluster.kcat, sources, sinks)
            checks.equal(result.sources, feeder.events,
                         "source topics hold every event")
            kt.check_tally(checks, result, duplicates_allowed=True)
            # Without a commit before each kill, the next member would
            # repeat everything since the start.
            checks.check(result.duplicates < result.sources,
                         "restarts resume from committed offsets",
                         f"{result.duplicates} duplicates of "
                         f"{result.sources} events")
            kt.log(f"{result.sources} events, 2 kills, "
                   f"{result.duplicates} duplicates, last run "
                   f"{last.seconds:.1f} s, whole test "
                   f"{time.monotonic() - started:.1f} s")

    kt.main_guard(checks, body)


if __name__ == "__main__":
    main()
