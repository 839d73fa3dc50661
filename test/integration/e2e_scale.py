#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""End-to-end scale-out: two bridge processes in one consumer group.

The first bridge starts alone and routes a first share of the events.
Then the second joins, the group rebalances, and both share the source
partitions while kcat keeps producing. Together they must route every
event. Duplicates may only come from the rebalance, and the test counts
them. Events produced while both members hold partitions must arrive
exactly once.
"""

import json
import os
import signal
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import kafkatest as kt  # noqa: E402

SOURCE_PARTITIONS = 4
SOURCES = {kt.SOURCE_WORKFLOW_TOPIC: SOURCE_PARTITIONS,
           kt.SOURCE_TASK_TOPIC: SOURCE_PARTITIONS}
ALL_PARTITIONS = {f"{t}[{p}]" for t in SOURCES
                  for p in range(SOURCE_PARTITIONS)}
SHARED_BATCHES = 6  # batches produced while both members hold partitions
STOP_TIMEOUT_S = 30
# Seconds the first member runs alone after its assignment, so that its
# periodic commits (every second) cover what it routed before the join.
RUN_ALONE_S = 2.5


def shared(first, second):
    """Return both members' partitions when they split all of them."""
    mine = kt.assignments(first.log_text())
    theirs = kt.assignments(second.log_text())
    if mine and theirs and not mine & theirs and \
            mine | theirs == ALL_PARTITIONS:
        return mine, theirs
    return None


def stats_line(bridge):
    """Return the counters of the bridge's "stopped" STATS line."""
    for line in reversed(bridge.log_text().splitlines()):
        if " STATS stopped " in line:
            fields = dict(f.split("=", 1) for f in line.split()
                          if "=" in f)
            return {k: int(v) for k, v in fields.items() if v.isdigit()}
    return {}


def wait_settled(cluster, sinks, total):
    """Wait until the sinks hold at least total records and no more
    arrive for a second."""
    last = [-1]

    def settled():
        count = cluster.kcat.total_records(sinks)
        done = count >= total and count == last[0]
        last[0] = count
        return done

    kt.wait_until(settled, 60, f"{total} sink records", interval_s=1.0)


def main():
    bridge_exe, embedded_exe = kt.require_tools()
    checks = kt.Checks("e2e_scale")

    def body():
        started = time.monotonic()
        sinks = kt.sink_layout()
        with kt.Session("scale") as session:
            cluster = kt.Cluster(session, embedded_exe, {**SOURCES, **sinks})
            group = f"scale-{os.getpid()}"
            args = ["-b", cluster.bootstrap, "-G", group] + kt.GROUP_ARGS
            feeder = kt.Feeder(cluster.kcat)
            first = kt.Bridge(session, bridge_exe, args, "bridge-a")
            feeder.start()
            kt.wait_working(cluster, sinks, first, 800, RUN_ALONE_S)
            second = kt.Bridge(session, bridge_exe, args, "bridge-b")
            split = kt.wait_until(lambda: shared(first, second), 60,
                                  "both members holding partitions")
            checks.check(True, f"members split the partitions: "
                         f"{len(split[0])} and {len(split[1])}")
            # A batch in flight at the split may have started before it.
            feeder.wait_for_batch()
            steady_from = feeder.events
            for _ in range(SHARED_BATCHES):
                feeder.wait_for_batch()
            steady_to = feeder.events
            checks.check(shared(first, second) == split,
                         "no rebalance while the shared batches flowed")
            feeder.finish(checks)
            total = feeder.events
            wait_settled(cluster, sinks, total)
            # Both members are idle now. Stopping one moves its partitions
            # to the other after a commit, so nothing is routed again.
            for bridge in (second, first):
                bridge.signal(signal.SIGTERM)
                rc = bridge.wait(STOP_TIMEOUT_S)
                checks.equal(rc, 0, f"{bridge.name}"
                             " exits 0 on SIGTERM")
            for bridge in (first, second):
                name = bridge.name
                counters = stats_line(bridge)
                checks.check(counters.get("consumed", 0) > 0,
                             f"{name} routed events",
                             str(counters))
                kt.log(f"{name}: {counters.get('consumed')} consumed, "
                       f"{counters.get('produced')} produced, "
                       f"{counters.get('dead_lettered')} dead-lettered")
            result = kt.tally(cluster.kcat, SOURCES, sinks)
            checks.equal(result.sources, total,
                         "source topics hold every event")
            kt.check_tally(checks, result, duplicates_allowed=True)
            check_steady(checks, cluster, sinks, steady_from, steady_to)
            kt.log(f"{total} events, {result.duplicates} duplicates around "
                   f"the rebalance, whole test "
                   f"{time.monotonic() - started:.1f} s")

    kt.main_guard(checks, body)


def check_steady(checks, cluster, sinks, first, last):
    """Check that each event numbered first..last-1, produced while both
    members held their partitions, is in the sinks exactly once. The event
    number is in taskId t-N or, for workflow events, in priority N."""
    counts = {}
    for records in cluster.kcat.consume_all(sinks).values():
        for rec in records:
            n = event_number(rec.value)
            if n is not None and first <= n < last:
                counts[n] = counts.get(n, 0) + 1
    repeated = sorted(n for n, c in counts.items() if c != 1)
    checks.equal(len(counts), last - first,
                 f"all {last - first} events of the shared batches routed")
    checks.equal(repeated[:10], [], "events of the shared batches routed "
                 "exactly once")


def event_number(value):
    try:
        event = json.loads(value)
    except (ValueError, TypeError):
        return None
    if "taskId" in event:
        return int(event["taskId"].split("-")[1])
    return event.get("priority")


if __name__ == "__main__":
    main()
