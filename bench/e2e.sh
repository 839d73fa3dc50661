#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Measures end-to-end events per second of the bridge next to its ceiling,
# bench/passthrough (the same librdkafka client settings, no parsing), on
# one embedded Kafka cluster in one run. Both tools read the same source
# records. Each measurement runs REPEAT times, alternating which tool goes
# first, and the medians are reported.
#
# Every run pays costs that have nothing to do with moving records.
# Process start and the consumer group join (about 3 s on the mock
# cluster) come first. The wait for the end of every partition, the final
# commit and leaving the group come last. The mock cluster responds to a
# fetch that finds no data only after fetch.wait.max.ms (500 ms by
# default). Both tools therefore report busy_ms, the time from the first
# record consumed to the last delivery report, and the ratio is taken on
# the busy rate COUNT / busy_ms. The wall-clock rate, from start to exit,
# is printed next to it.
#
# After each run the script checks that every source record reached a
# sink topic. The passthrough sink must contain every record, and the
# bridge's channel topics and dead-letter topic exactly what
# `conductor-kafka-bridge --validate` decides for the same values. It also
# checks that the mock cluster's retention deleted no record.
#
# Environment:
#   COUNT               events of a run (default 100000)
#   SEED                generator seed (default 1)
#   SHAPE               conductor (the publisher envelope and task
#                       summaries, the default) or native (AsyncAPI shape)
#   BAD_FRACTION        share of broken events (default 0.01)
#   REPEAT              runs per tool (default 3)
#   SOURCE_PARTITIONS   partitions per source topic (default 32)
#   CHANNEL_PARTITIONS  partitions per channel topic (default 16)
#   SINK_PARTITIONS     partitions of the passthrough sink (default: as
#                       many as the bridge's channel and dead-letter
#                       topics have together, because producing costs
#                       more the more partitions the records spread over)
#   DECISION_THREADS    the bridge's decision_threads setting (default:
#                       the bridge's default)
#   BUILD               build directory (default build-bench, configured
#                       with --buildtype=release when missing)
set -euo pipefail

cd "$(dirname "$(readlink -f "$0")")/.."

COUNT=${COUNT:-100000}
SEED=${SEED:-1}
SHAPE=${SHAPE:-conductor}
BAD_FRACTION=${BAD_FRACTION:-0.01}
REPEAT=${REPEAT:-3}
SOURCE_PARTITIONS=${SOURCE_PARTITIONS:-32}
CHANNEL_PARTITIONS=${CHANNEL_PARTITIONS:-16}
DECISION_THREADS=${DECISION_THREADS:-}
DLQ_PARTITIONS=8
SINK_PARTITIONS=${SINK_PARTITIONS:-$((12 * CHANNEL_PARTITIONS + DLQ_PARTITIONS))}
# Seconds after which one tool run counts as hung.
RUN_TIMEOUT=600
BUILD=${BUILD:-build-bench}
WORK=$BUILD/bench-e2e
BRIDGE=$BUILD/src/conductor-kafka-bridge
EMBEDDED=$BUILD/src/embedded-kafka
PASSTHROUGH=$BUILD/bench/passthrough
CHANNELS=(workflow.started workflow.completed workflow.failed
          workflow.terminated workflow.timed_out workflow.paused
          task.scheduled task.in_progress task.completed task.failed
          task.timed_out task.canceled)
SOURCES=(workflow-status-events task-status-events)

step() {
        echo "==> $*"
}

fail() {
        echo "e2e.sh: $*" >&2
        exit 1
}

# --- build -----------------------------------------------------------------

step "building $BUILD (release)"
if [ ! -f "$BUILD/build.ninja" ]; then
        meson setup "$BUILD" --buildtype=release >/dev/null
fi
buildtype=$(meson introspect --buildoptions "$BUILD" |
        /usr/bin/python3 -c 'import json, sys
print(next(o["value"] for o in json.load(sys.stdin)
           if o["name"] == "buildtype"))')
echo "    build type: $buildtype"
if [ "$buildtype" != release ]; then
        echo "    warning: $BUILD is not a release build; numbers are not" \
                "comparable with docs/BENCHMARKS.md" >&2
fi
ninja -C "$BUILD" src/conductor-kafka-bridge src/embedded-kafka \
        bench/passthrough >/dev/null

rm -rf "$WORK"
mkdir -p "$WORK"

# --- events ----------------------------------------------------------------

step "generating $COUNT events (shape $SHAPE, seed $SEED," \
        "bad fraction $BAD_FRACTION)"
# generate NAME COUNT: NAME-workflow.tsv and NAME-task.tsv for kcat, the
# values alone in NAME.jsonl and the bridge's offline decision for each
# value in NAME.expected, which gives the expected record count of each
# channel topic and of the dead-letter topic.
generate() {
        local kind
        for kind in workflow task; do
                /usr/bin/python3 scripts/gen_events.py --count "$2" \
                        --seed "$SEED" --shape "$SHAPE" \
                        --bad-fraction "$BAD_FRACTION" --keys \
                        --only "$kind" >"$WORK/$1-$kind.tsv"
        done
        cut -f 2- "$WORK/$1-workflow.tsv" "$WORK/$1-task.tsv" \
                >"$WORK/$1.jsonl"
        "$BRIDGE" --validate "$WORK/$1.jsonl" >"$WORK/$1.expected" || true
}
generate full "$COUNT"
total=$(wc -l <"$WORK/full.jsonl")
bytes=$(wc -c <"$WORK/full.jsonl")
echo "    $(wc -l <"$WORK/full-workflow.tsv") workflow events," \
        "$(wc -l <"$WORK/full-task.tsv") task events," \
        "$((bytes / total)) bytes per value on average"

# expected_count LINE: how many lines of the --validate output are
# exactly LINE.
expected_count() {
        grep -c -x -F "$1" "$WORK/full.expected" || true
}
# expected_prefix WORD: how many lines of the output start with WORD.
expected_prefix() {
        grep -c "^$1 " "$WORK/full.expected" || true
}
expected_dlq=$(expected_prefix invalid)
expected_skip=$(expected_prefix skip)
echo "    --validate: $((total - expected_dlq - expected_skip)) ok, $expected_dlq invalid, $expected_skip skip"

# --- broker ----------------------------------------------------------------

# Every partition, source and sink, must stay below the mock cluster's
# retention (5 MB or 100,000 records), so each run writes to topics of
# its own and every topic is created up front with enough partitions.
topic_args=()
for t in "${SOURCES[@]}"; do
        topic_args+=(-t "$t:$SOURCE_PARTITIONS")
done
for r in $(seq "$REPEAT"); do
        topic_args+=(-t "passthrough.sink.$r:$SINK_PARTITIONS")
        topic_args+=(-t "run$r.conductor.events.dlq:$DLQ_PARTITIONS")
        for c in "${CHANNELS[@]}"; do
                topic_args+=(-t "run$r.$c:$CHANNEL_PARTITIONS")
        done
done

step "starting embedded Kafka with $((${#topic_args[@]} / 2)) topics"
broker_pid=
stop_broker() {
        [ -n "$broker_pid" ] && kill "$broker_pid" 2>/dev/null
        wait 2>/dev/null || true
}
trap stop_broker EXIT

# start_broker: starts embedded-kafka and sets broker_pid and bootstrap,
# or returns 1 when no bootstrap line came within 5 s. The subshell
# records the broker's exit status, so a broker that dies during the runs
# is reported with it.
start_broker() {
        rm -f "$WORK/broker.pid" "$WORK/broker.out" "$WORK/broker.status"
        (
                "$EMBEDDED" "${topic_args[@]}" >"$WORK/broker.out" \
                        2>"$WORK/broker.log" &
                echo $! >"$WORK/broker.pid"
                status=0
                wait $! || status=$?
                echo "$status" >"$WORK/broker.status"
        ) &
        while [ ! -s "$WORK/broker.pid" ]; do
                sleep 0.05
        done
        broker_pid=$(cat "$WORK/broker.pid")
        for _ in $(seq 50); do
                bootstrap=$(head -n 1 "$WORK/broker.out" 2>/dev/null || true)
                [ -n "$bootstrap" ] && return 0
                kill -0 "$broker_pid" 2>/dev/null ||
                        fail "embedded-kafka exited: $(cat "$WORK/broker.log")"
                sleep 0.1
        done
        stop_broker
        return 1
}

# NOTE: With librdkafka 2.0.2, embedded-kafka sometimes hangs for good
# while it creates its topics, because rd_kafka_mock_topic_create() never
# returns. That was seen in 4 of 6 starts with 46 topics, so a start that
# prints nothing in 5 s is retried.
bootstrap=
for attempt in 1 2 3 4 5 6 7 8; do
        start_broker && break
        echo "    embedded-kafka hung while creating topics (attempt" \
                "$attempt), restarting it"
done
[ -n "$bootstrap" ] || fail "embedded-kafka printed no bootstrap servers"

check_broker() {
        kill -0 "$broker_pid" 2>/dev/null && return 0
        sleep 0.2
        fail "embedded-kafka exited with status" \
                "$(cat "$WORK/broker.status" 2>/dev/null || echo unknown)" \
                "(log: $WORK/broker.log)"
}
echo "    bootstrap servers: $bootstrap"

# offsets TOPIC PARTITIONS WHICH: prints one offset per partition, WHICH -1
# for the high watermark (end) or -2 for the low watermark (beginning).
offsets() {
        local args=() p
        for p in $(seq 0 $(($2 - 1))); do
                args+=(-t "$1:$p:$3")
        done
        kcat -Q -b "$bootstrap" "${args[@]}" | awk '{ print $NF }'
}

# records TOPIC PARTITIONS: prints how many records were written to the
# topic. It
# fails when the mock cluster deleted any of them, which would make the
# counts lie.
records() {
        if offsets "$1" "$2" -2 | grep -q -v -x 0; then
                fail "$1: the mock cluster deleted records past its" \
                        "retention; use more partitions"
        fi
        offsets "$1" "$2" -1 | awk '{ n += $1 } END { print n + 0 }'
}

step "producing them with kcat (key = workflow id, murmur2_random)"
start_ns=$(date +%s%N)
for kind in workflow task; do
        kcat -P -b "$bootstrap" -t "$kind-status-events" -K $'\t' \
                -X partitioner=murmur2_random -l "$WORK/full-$kind.tsv"
done
end_ns=$(date +%s%N)
# source_records TOPIC...: prints how many records the source topics have.
source_records() {
        local t n sum=0
        for t in "$@"; do
                n=$(records "$t" "$SOURCE_PARTITIONS")
                sum=$((sum + n))
        done
        echo "$sum"
}
n=$(source_records "${SOURCES[@]}")
[ "$n" -eq "$total" ] ||
        fail "$total events written by kcat but $n in the source topics"
awk -v ns=$((end_ns - start_ns)) -v n="$total" 'BEGIN {
        printf "    kcat produced %d events in %.2f s\n", n, ns / 1e9
}'

# --- runs ------------------------------------------------------------------

# timed LOG COMMAND...: runs the command with its output in LOG and
# prints its wall-clock time in seconds.
timed() {
        local log=$1 start end status=0
        shift
        check_broker
        start=$(date +%s%N)
        timeout "$RUN_TIMEOUT" "$@" >"$log" 2>&1 || status=$?
        end=$(date +%s%N)
        check_broker
        if [ "$status" -ne 0 ]; then
                tail -n 20 "$log" >&2
                fail "$1 exited with status $status (log: $log)"
        fi
        awk -v ns=$((end - start)) 'BEGIN { printf "%.3f\n", ns / 1e9 }'
}

# busy_ms LOG: prints the busy_ms value of the last line of LOG that has
# one, or fails.
busy_ms() {
        local v
        v=$(grep -o 'busy_ms=[0-9]*' "$1" | tail -n 1 | cut -d = -f 2)
        [ -n "$v" ] && [ "$v" -gt 0 ] || fail "$1: no busy_ms reported"
        echo "$v"
}

run_passthrough() {
        local r=$1 wall n busy
        wall=$(timed "$WORK/passthrough-$r.log" "$PASSTHROUGH" \
                "$bootstrap" "bench-passthrough-$r" "passthrough.sink.$r" \
                "${SOURCES[@]}")
        n=$(records "passthrough.sink.$r" "$SINK_PARTITIONS")
        [ "$n" -eq "$total" ] ||
                fail "passthrough run $r: $n records in the sink for" \
                        "$total events"
        busy=$(busy_ms "$WORK/passthrough-$r.log")
        echo "passthrough $r $wall $busy" >>"$WORK/times.txt"
        echo "    passthrough run $r: $wall s wall clock, busy $busy ms," \
                "$n records in the sink"
}

# check_bridge_sinks R: compares the record count of every sink topic of
# run R with the --validate decisions.
check_bridge_sinks() {
        local r=$1 c n expected sum=0
        for c in "${CHANNELS[@]}"; do
                n=$(records "run$r.$c" "$CHANNEL_PARTITIONS")
                expected=$(expected_count "ok $c")
                [ "$n" -eq "$expected" ] ||
                        fail "bridge run $r: $n records in $c," \
                                "--validate expects $expected"
                sum=$((sum + n))
        done
        n=$(records "run$r.conductor.events.dlq" "$DLQ_PARTITIONS")
        [ "$n" -eq "$expected_dlq" ] ||
                fail "bridge run $r: $n dead letters," \
                        "--validate expects $expected_dlq"
        [ $((sum + n + expected_skip)) -eq "$total" ] ||
                fail "bridge run $r: $((sum + n)) records and" \
                        "$expected_skip skipped for $total events"
        echo "$sum records in channel topics, $n dead letters"
}

run_bridge() {
        local r=$1 wall counts busy conf="$WORK/run$r.conf"
        printf 'sink = {\n  topic_prefix = "run%d.";\n' "$r" >"$conf"
        printf '  dlq_topic = "run%d.conductor.events.dlq";\n};\n' \
                "$r" >>"$conf"
        if [ -n "$DECISION_THREADS" ]; then
                printf 'decision_threads = %d;\n' "$DECISION_THREADS" \
                        >>"$conf"
        fi
        wall=$(timed "$WORK/bridge-$r.log" "$BRIDGE" -c "$conf" \
                -b "$bootstrap" -G "bench-bridge-$r" -e)
        counts=$(check_bridge_sinks "$r")
        busy=$(busy_ms "$WORK/bridge-$r.log")
        echo "bridge $r $wall $busy" >>"$WORK/times.txt"
        echo "    bridge run $r: $wall s wall clock, busy $busy ms, $counts"
}

: >"$WORK/times.txt"
for r in $(seq "$REPEAT"); do
        step "run $r of $REPEAT"
        if [ $((r % 2)) -eq 1 ]; then
                run_passthrough "$r"
                run_bridge "$r"
        else
                run_bridge "$r"
                run_passthrough "$r"
        fi
done

# --- results ---------------------------------------------------------------

step "results: $total events, medians of $REPEAT runs"
awk -v n="$total" '
function median(a, k,    i, j, t) {
        for (i = 2; i <= k; i++)
                for (j = i; j > 1 && a[j - 1] > a[j]; j--) {
                        t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
                }
        return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
}
{
        k[$1]++
        wall[$1, k[$1]] = $3
        busy[$1, k[$1]] = $4 / 1000
        printf "    %-12s run %d: wall %7.3f s  busy %6.3f s" \
                "  wall %7.0f ev/s  busy %7.0f ev/s\n", $1, $2, $3, $4 / 1000,
                n / $3, n / ($4 / 1000)
}
END {
        printf "\n    %-12s %8s %8s %11s %11s\n", "tool", "wall s",
                "busy s", "wall ev/s", "busy ev/s"
        split("passthrough bridge", tools, " ")
        for (t = 1; t <= 2; t++) {
                tool = tools[t]
                for (i = 1; i <= k[tool]; i++) {
                        a[i] = wall[tool, i]; b[i] = busy[tool, i]
                }
                mw[tool] = median(a, k[tool])
                mb[tool] = median(b, k[tool])
                printf "    %-12s %8.3f %8.3f %11.0f %11.0f\n", tool,
                        mw[tool], mb[tool], n / mw[tool], n / mb[tool]
        }
        printf "\n    bridge / passthrough: busy %.1f %%, wall clock %.1f %%\n",
                100 * mb["passthrough"] / mb["bridge"],
                100 * mw["passthrough"] / mw["bridge"]
}' "$WORK/times.txt"
echo "    busy = COUNT / busy_ms (first record consumed to last delivery"
echo "    report); wall = COUNT / wall-clock time from start to exit;"
echo "    each median is taken over its own column; at small COUNT both"
echo "    busy times are mostly waiting, so use 300000 or more for a steady"
echo "    state (docs/BENCHMARKS.md)"
echo "    logs and times: $WORK"
