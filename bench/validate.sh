#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Measures events per second of `conductor-kafka-bridge --validate FILE`
# next to the same job written with ajv 8 on Node.js (bench/ajv/) and
# with Debian's python3-jsonschema (bench/validate_jsonschema.py). The job
# is: read JSON Lines, parse, check for an object, adapt Conductor's wire
# formats, classify and route with the default routing table. Then
# validate against the channel's payload schema from
# conf/conductor-events.asyncapi.yaml and print one result line per input
# line.
#
# Each data set is COUNT generated events. Each program runs REPEAT times
# per data set, the order of the three rotating from one round to the
# next; the table shows the median and the best time. The script then
# checks that the three programs made the same decision for every line
# (ok with the same channel, invalid or skip) and prints any mismatch.
# npm install, the schema extraction and the event generation are not
# timed.
#
# Environment:
#   COUNT         events per data set (default 200000)
#   SEED          generator seed (default 1)
#   SHAPES        data sets, generator shapes (default "conductor native":
#                 Conductor's publisher envelope and task summaries, then
#                 events already in the AsyncAPI shape)
#   BAD_FRACTION  share of broken events (default 0.01)
#   REPEAT        runs per program and data set (default 3)
#   BUILD         build directory (default build-bench, configured with
#                 --buildtype=release when missing)
set -euo pipefail

cd "$(dirname "$(readlink -f "$0")")/.."

COUNT=${COUNT:-200000}
SEED=${SEED:-1}
SHAPES=${SHAPES:-conductor native}
BAD_FRACTION=${BAD_FRACTION:-0.01}
REPEAT=${REPEAT:-3}
BUILD=${BUILD:-build-bench}
WORK=$BUILD/bench-validate
BRIDGE=$BUILD/src/conductor-kafka-bridge
PYTHON=/usr/bin/python3
ASYNCAPI=conf/conductor-events.asyncapi.yaml
ROUTING=bench/default_routing.json
PROGRAMS=(bridge ajv jsonschema)

step() {
        echo "==> $*"
}

fail() {
        echo "validate.sh: $*" >&2
        exit 1
}

# --- dependencies ----------------------------------------------------------

step "checking dependencies"
if ! "$PYTHON" -c 'import jsonschema, yaml' 2>/dev/null; then
        [ "$(id -u)" -eq 0 ] ||
                fail "python3-jsonschema and python3-yaml are missing;" \
                        "run: apt-get install python3-jsonschema python3-yaml"
        apt-get update -q >/dev/null
        apt-get install -y -q python3-jsonschema python3-yaml >/dev/null
fi
command -v node >/dev/null ||
        fail "node is missing; install Node.js 20 (Debian package nodejs)"
node_version=$(node --version)
case "$node_version" in
v20.*) ;;
*) echo "    warning: node $node_version, the comparison is written for" \
        "Node.js 20" >&2 ;;
esac
(cd bench/ajv && npm install --no-audit --no-fund --loglevel=error \
        >/dev/null)
ajv_version=$(node -p 'require("./bench/ajv/node_modules/ajv/package.json")
        .version')
jsonschema_version=$("$PYTHON" -c 'import importlib.metadata as m
print(m.version("jsonschema"))')
echo "    node $node_version, ajv $ajv_version," \
        "python $("$PYTHON" -c 'import platform
print(platform.python_version())'), jsonschema $jsonschema_version"

step "building $BUILD (release)"
if [ ! -f "$BUILD/build.ninja" ]; then
        meson setup "$BUILD" --buildtype=release >/dev/null
fi
buildtype=$(meson introspect --buildoptions "$BUILD" |
        "$PYTHON" -c 'import json, sys
print(next(o["value"] for o in json.load(sys.stdin)
           if o["name"] == "buildtype"))')
echo "    build type: $buildtype"
if [ "$buildtype" != release ]; then
        echo "    warning: $BUILD is not a release build; numbers are not" \
                "comparable with docs/BENCHMARKS.md" >&2
fi
ninja -C "$BUILD" src/conductor-kafka-bridge >/dev/null

rm -rf "$WORK"
mkdir -p "$WORK"
"$PYTHON" bench/asyncapi_schemas.py "$ASYNCAPI" >"$WORK/schemas.json"

# --- runs ------------------------------------------------------------------

# run PROGRAM INPUT OUTPUT: runs the program once and prints its wall-clock
# seconds. An exit status of 1 only means that some line is invalid.
run() {
        local start end status=0
        start=$(date +%s%N)
        case "$1" in
        bridge)
                "$BRIDGE" --validate "$2" >"$3" || status=$?
                ;;
        ajv)
                node bench/ajv/validate.js "$WORK/schemas.json" "$ROUTING" \
                        "$2" >"$3" || status=$?
                ;;
        jsonschema)
                "$PYTHON" bench/validate_jsonschema.py "$WORK/schemas.json" \
                        "$ROUTING" "$2" >"$3" || status=$?
                ;;
        esac
        end=$(date +%s%N)
        [ "$status" -le 1 ] || fail "$1 exited with status $status on $2"
        awk -v ns=$((end - start)) 'BEGIN { printf "%.3f\n", ns / 1e9 }'
}

# compare SHAPE: counts the lines where ajv or jsonschema decided other
# than the bridge and prints the first few.
compare() {
        "$PYTHON" - "$WORK/$1.bridge.out" "$WORK/$1.ajv.out" \
                "$WORK/$1.jsonschema.out" "$WORK/$1.jsonl" <<'EOF'
import sys

def decisions(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        out = []
        for line in f:
            words = line.split()
            # "ok CHANNEL" keeps the channel. Invalid and skip keep only
            # the verdict, because each program words reasons its own way.
            out.append(" ".join(words[:2]) if words[:1] == ["ok"]
                       else words[0] if words else "")
        return out

bridge, ajv, jsonschema, source = sys.argv[1:5]
expected = decisions(bridge)
with open(source, "rb") as f:
    total = sum(1 for _ in f)
if len(expected) != total:
    print("    bridge printed %d lines for %d input lines"
          % (len(expected), total))
for name, path in (("ajv", ajv), ("jsonschema", jsonschema)):
    got = decisions(path)
    if len(got) != len(expected):
        print("    %s printed %d lines, the bridge %d"
              % (name, len(got), len(expected)))
    diffs = [i for i, (a, b) in enumerate(zip(expected, got)) if a != b]
    print("    %s: %d of %d decisions differ from the bridge"
          % (name, len(diffs), len(expected)))
    for i in diffs[:5]:
        print("      line %d: bridge %r, %s %r"
              % (i + 1, expected[i], name, got[i]))
EOF
}

: >"$WORK/times.txt"
for shape in $SHAPES; do
        step "data set $shape: generating $COUNT events (seed $SEED," \
                "bad fraction $BAD_FRACTION)"
        input="$WORK/$shape.jsonl"
        "$PYTHON" scripts/gen_events.py --count "$COUNT" --seed "$SEED" \
                --shape "$shape" --bad-fraction "$BAD_FRACTION" >"$input"
        echo "    $(wc -l <"$input") events," \
                "$(($(wc -c <"$input") / $(wc -l <"$input"))) bytes per" \
                "line on average"
        for r in $(seq "$REPEAT"); do
                # Rotate the order so no program always runs first.
                for i in 0 1 2; do
                        program=${PROGRAMS[$(((r - 1 + i) % 3))]}
                        t=$(run "$program" "$input" \
                                "$WORK/$shape.$program.out")
                        echo "$shape $program $r $t" >>"$WORK/times.txt"
                        echo "    run $r: $program $t s"
                done
        done
        compare "$shape"
        echo "    decisions of the bridge:" \
                "$(grep -c '^ok ' "$WORK/$shape.bridge.out" || true) ok," \
                "$(grep -c '^invalid' "$WORK/$shape.bridge.out" || true)" \
                "invalid, $(grep -c '^skip' "$WORK/$shape.bridge.out" ||
                        true) skip"
done

# --- results ---------------------------------------------------------------

step "results: $COUNT events per data set, $REPEAT runs each"
awk -v n="$COUNT" '
function median(a, k,    i, j, t) {
        for (i = 2; i <= k; i++)
                for (j = i; j > 1 && a[j - 1] > a[j]; j--) {
                        t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
                }
        return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
}
{
        if (!(($1, $2) in k)) {
                order[++rows] = $1 SUBSEP $2
        }
        k[$1, $2]++
        t[$1, $2, k[$1, $2]] = $4
}
END {
        printf "    %-10s %-11s %9s %9s %12s %12s %9s\n", "data set",
                "program", "median s", "best s", "median ev/s", "best ev/s",
                "vs bridge"
        for (r = 1; r <= rows; r++) {
                split(order[r], key, SUBSEP)
                m = k[key[1], key[2]]
                best = 0
                for (i = 1; i <= m; i++) {
                        a[i] = t[key[1], key[2], i]
                        if (best == 0 || a[i] < best)
                                best = a[i]
                }
                med[key[1], key[2]] = median(a, m)
                printf "    %-10s %-11s %9.3f %9.3f %12.0f %12.0f %8.1f %%\n",
                        key[1], key[2], med[key[1], key[2]], best,
                        n / med[key[1], key[2]], n / best,
                        100 * med[key[1], "bridge"] / med[key[1], key[2]]
        }
}' "$WORK/times.txt"
echo "    vs bridge: the program's median rate as a share of the bridge's"
echo "    outputs and times: $WORK"
