#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Run the draft-07 groups of the official JSON Schema Test Suite.

For each group, the schema goes to a temporary file and the test data to
JSON Lines on stdin of `$CKB_BRIDGE --schema FILE --validate -`; each output
line must start with "ok" exactly when the test expects a valid instance.
Prints every failure, then "N passed, M failed"; exits 1 unless all pass.
"""
import glob
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SUITE = os.path.join(HERE, '..', 'JSON-Schema-Test-Suite', 'draft7')


def run_group(bridge, schema, tests, workdir):
    """Return the bridge's output lines and its exit status for one group."""
    path = os.path.join(workdir, 'schema.json')
    with open(path, 'w', encoding='utf-8') as f:
        json.dump(schema, f)
    data = ''.join(json.dumps(t['data']) + '\n' for t in tests)
    proc = subprocess.run([bridge, '--schema', path, '--validate', '-'],
                          input=data.encode('utf-8'), capture_output=True,
                          timeout=60, check=False)
    lines = proc.stdout.decode('utf-8', 'replace').splitlines()
    return lines, proc.returncode, proc.stderr.decode('utf-8', 'replace')


def check_group(name, group, lines, status, stderr):
    """Compare one group's output with the expected results."""
    passed, failures = 0, []
    tests = group['tests']
    if status not in (0, 1) or len(lines) != len(tests):
        reason = 'exit status %d, %d lines for %d tests: %s' % (
            status, len(lines), len(tests), stderr.strip())
        return 0, ['%s: %s: %s' % (name, group['description'], reason)]
    for test, line in zip(tests, lines):
        valid = line == 'ok'
        if valid == test['valid']:
            passed += 1
            continue
        failures.append('%s: %s: %s: expected %s, got %r' % (
            name, group['description'], test['description'],
            'valid' if test['valid'] else 'invalid', line))
    return passed, failures


def main():
    bridge = os.environ.get('CKB_BRIDGE')
    if not bridge:
        print('CKB_BRIDGE is not set: point it at conductor-kafka-bridge')
        return 2
    passed = failed = 0
    with tempfile.TemporaryDirectory() as workdir:
        for path in sorted(glob.glob(os.path.join(SUITE, '*.json'))):
            name = os.path.basename(path)
            with open(path, encoding='utf-8') as f:
                groups = json.load(f)
            for group in groups:
                lines, status, stderr = run_group(
                    bridge, group['schema'], group['tests'], workdir)
                ok, failures = check_group(name, group, lines, status,
                                           stderr)
                passed += ok
                failed += len(group['tests']) - ok
                for failure in failures:
                    print(failure)
    print('%d passed, %d failed' % (passed, failed))
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == '__main__':
    sys.exit(main())
