#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Builds everything in build-test with AddressSanitizer and
# UndefinedBehaviorSanitizer, runs every meson test (Check unit tests and
# the integration tests on embedded Kafka), runs the unit tests again
# under valgrind in a build without sanitizers (build-valgrind), checks
# docker-compose.yml, and
# ends with one line "N passed, M failed" (", K skipped" when K > 0).
# Exits 1 when the build, a test or the compose check failed.
#
# No "set -e": a failed test must not stop the script before the summary.
set -uo pipefail

cd "$(dirname "$(readlink -f "$0")")/.."

BUILD=build-test
VALGRIND_BUILD=build-valgrind
PYTHON=/usr/bin/python3

scripts/install-deps.sh || exit 1

# Any sanitizer report fails the test that triggered it.
export ASAN_OPTIONS=halt_on_error=1:abort_on_error=1:detect_leaks=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1

summary() {
        echo "$1 passed, $2 failed${3:+, $3 skipped}"
}

if [ -f "$BUILD/build.ninja" ]; then
        configure=(meson configure "$BUILD" -Db_sanitize=address,undefined)
else
        configure=(meson setup "$BUILD" -Db_sanitize=address,undefined)
fi
if ! "${configure[@]}" >/dev/null || ! ninja -C "$BUILD"; then
        echo "test.sh: the build in $BUILD failed; nothing was tested" >&2
        summary 0 1
        exit 1
fi

# A stale log would count tests of an earlier run.
rm -f "$BUILD/meson-logs/testlog.json"
meson test -C "$BUILD" --print-errorlogs
meson_status=$?

# Valgrind and the sanitizers cannot share a build, so memcheck gets its
# own; a failed build there counts as one failed test.
rm -f "$VALGRIND_BUILD/meson-logs/testlog-valgrind.json"
valgrind_build_failed=0
if { [ -f "$VALGRIND_BUILD/build.ninja" ] ||
     meson setup "$VALGRIND_BUILD" >/dev/null; } &&
   ninja -C "$VALGRIND_BUILD"; then
        meson test -C "$VALGRIND_BUILD" --setup valgrind --suite unit \
                --print-errorlogs || meson_status=1
else
        echo "test.sh: the build in $VALGRIND_BUILD failed" >&2
        valgrind_build_failed=1
fi

compose_failed=0
echo "docker-compose config check:"
if docker-compose -f docker/docker-compose.yml config -q; then
        echo "  docker/docker-compose.yml OK"
else
        echo "  docker/docker-compose.yml FAIL"
        compose_failed=1
fi

# testlog.json has one JSON object per line, one per test run.
logs=("$BUILD/meson-logs/testlog.json")
if [ "$valgrind_build_failed" -eq 0 ]; then
        logs+=("$VALGRIND_BUILD/meson-logs/testlog-valgrind.json")
fi
read -r passed failed skipped < <("$PYTHON" - "${logs[@]}" <<'EOF'
import json
import sys

passed = failed = skipped = 0
for path in sys.argv[1:]:
    try:
        with open(path, encoding="utf-8") as log:
            for line in log:
                if not line.strip():
                    continue
                result = json.loads(line).get("result")
                if result in ("OK", "EXPECTEDFAIL"):
                    passed += 1
                elif result == "SKIP":
                    skipped += 1
                else:
                    failed += 1
    except FileNotFoundError:
        failed += 1
print(passed, failed, skipped)
EOF
)
if [ -z "${passed:-}" ]; then
        passed=0 failed=1 skipped=0
fi

failed=$((failed + compose_failed + valgrind_build_failed))
if [ "$compose_failed" -eq 0 ]; then
        passed=$((passed + 1))
fi
# meson test can fail without a failed result in the log, for example
# when it cannot start; count that as one failure.
if [ "$meson_status" -ne 0 ] &&
   [ "$failed" -eq $((compose_failed + valgrind_build_failed)) ]; then
        failed=$((failed + 1))
fi

if [ "$skipped" -gt 0 ]; then
        summary "$passed" "$failed" "$skipped"
else
        summary "$passed" "$failed"
fi
[ "$failed" -eq 0 ]
