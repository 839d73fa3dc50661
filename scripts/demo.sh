#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Runs the bridge end to end on an embedded Kafka cluster. The script
# builds the bridge and produces a few hundred generated Conductor events
# to the two source topics. The bridge then runs until it has consumed
# them all (-e), and the script prints how many records each channel topic
# and the dead-letter topic received.
#
# Environment: COUNT (events, default 400), SEED (generator seed, default
# 1) and BAD_FRACTION (share of broken events, default 0.03).
set -euo pipefail

cd "$(dirname "$(readlink -f "$0")")/.."

COUNT=${COUNT:-400}
SEED=${SEED:-1}
BAD_FRACTION=${BAD_FRACTION:-0.03}
BUILD=build
WORK=$BUILD/demo
BRIDGE=$BUILD/src/conductor-kafka-bridge
EMBEDDED=$BUILD/src/embedded-kafka
CHANNELS=(workflow.started workflow.completed workflow.failed
          workflow.terminated workflow.timed_out workflow.paused
          task.scheduled task.in_progress task.completed task.failed
          task.timed_out task.canceled)
DLQ=conductor.events.dlq

step() {
        echo "==> $*"
}

step "checking dependencies"
scripts/install-deps.sh

step "building $BRIDGE and $EMBEDDED"
if [ ! -f "$BUILD/build.ninja" ]; then
        meson setup "$BUILD" >/dev/null
fi
ninja -C "$BUILD" src/conductor-kafka-bridge src/embedded-kafka >/dev/null

rm -rf "$WORK"
mkdir -p "$WORK"

step "starting embedded Kafka with workflow-status-events and" \
        "task-status-events, 4 partitions each"
"$EMBEDDED" -t workflow-status-events:4 -t task-status-events:4 \
        >"$WORK/broker.out" 2>"$WORK/broker.log" &
broker_pid=$!
stop_broker() {
        kill "$broker_pid" 2>/dev/null || true
        wait "$broker_pid" 2>/dev/null || true
}
trap stop_broker EXIT

# Exits when the broker is gone before the end of the demo. Its exit
# status tells why: 0 after SIGINT or SIGTERM from another process, else
# a crash.
check_broker() {
        if ! kill -0 "$broker_pid" 2>/dev/null; then
                broker_status=0
                wait "$broker_pid" || broker_status=$?
                echo "demo.sh: embedded-kafka (pid $broker_pid) stopped" \
                        "during the demo with exit status $broker_status;" \
                        "see $WORK/broker.log" >&2
                exit 1
        fi
}

bootstrap=
for _ in $(seq 100); do
        bootstrap=$(head -n 1 "$WORK/broker.out")
        [ -n "$bootstrap" ] && break
        if ! kill -0 "$broker_pid" 2>/dev/null; then
                echo "demo.sh: embedded-kafka exited:" >&2
                cat "$WORK/broker.log" >&2
                exit 1
        fi
        sleep 0.1
done
if [ -z "$bootstrap" ]; then
        echo "demo.sh: embedded-kafka printed no bootstrap servers in 10 s" >&2
        exit 1
fi
echo "    bootstrap servers: $bootstrap"

step "generating $COUNT Conductor events (seed $SEED," \
        "bad fraction $BAD_FRACTION)"
generate() {
        /usr/bin/python3 scripts/gen_events.py --count "$COUNT" \
                --seed "$SEED" --bad-fraction "$BAD_FRACTION" --keys \
                --only "$1"
}
generate workflow >"$WORK/workflow-events.tsv"
generate task >"$WORK/task-events.tsv"
workflow_count=$(wc -l <"$WORK/workflow-events.tsv")
task_count=$(wc -l <"$WORK/task-events.tsv")
echo "    $workflow_count workflow events, $task_count task events"

# murmur2_random is the Java client's partitioner, so each workflow's
# events land on the partition Conductor's own producer would pick.
produce() {
        kcat -P -b "$bootstrap" -t "$1" -K $'\t' -X partitioner=murmur2_random \
                -l "$2"
}
step "producing them with kcat (key = workflow id)"
produce workflow-status-events "$WORK/workflow-events.tsv"
produce task-status-events "$WORK/task-events.tsv"

step "running the bridge with -e (log: $WORK/bridge.log)"
start_ns=$(date +%s%N)
bridge_status=0
"$BRIDGE" -b "$bootstrap" -e 2>"$WORK/bridge.log" || bridge_status=$?
end_ns=$(date +%s%N)
check_broker
if [ "$bridge_status" -ne 0 ]; then
        echo "demo.sh: the bridge exited with status $bridge_status:" >&2
        tail -n 20 "$WORK/bridge.log" >&2
        exit 1
fi

count_records() {
        kcat -C -b "$bootstrap" -t "$1" -o beginning -e -q -f 'x\n' | wc -l
}

step "records per topic"
printf '%-24s %8s\n' topic records
total=0
for topic in "${CHANNELS[@]}" "$DLQ"; do
        if ! n=$(count_records "$topic"); then
                check_broker
                echo "demo.sh: kcat could not read topic $topic" >&2
                exit 1
        fi
        total=$((total + n))
        printf '%-24s %8d\n' "$topic" "$n"
done
printf '%-24s %8d\n' total "$total"

consumed=$((workflow_count + task_count))
awk -v ns=$((end_ns - start_ns)) -v n="$consumed" 'BEGIN {
        s = ns / 1e9
        printf "bridge run: %d events in %.2f s, %.0f events/s\n", n, s, n / s
}'
echo "(including the mock cluster's first consumer group join, about 3 s)"
if [ "$total" -ne "$consumed" ]; then
        echo "demo.sh: $consumed events consumed but $total records" \
                "produced" >&2
        exit 1
fi

step "dead letters by reason"
kcat -C -b "$bootstrap" -t "$DLQ" -o beginning -e -q -J |
        /usr/bin/python3 -c '
import collections, json, sys
reasons = collections.Counter()
for line in sys.stdin:
    headers = json.loads(line).get("headers") or []
    # kcat -J writes headers as a flat [name, value, name, value, ...] list.
    pairs = dict(zip(headers[0::2], headers[1::2]))
    reasons[pairs.get("dlq-reason", "(no dlq-reason header)")] += 1
for reason, n in reasons.most_common(10):
    print("%8d  %s" % (n, reason))
'
