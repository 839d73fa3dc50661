#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Installs the Debian packages that the build, the tests, the demo and CI
# need. Does nothing when every package is installed already, so repeated
# runs take well under a second. Uses sudo when not run as root.
set -euo pipefail

PACKAGES=(
        # build
        meson ninja-build pkg-config gcc
        # libraries (see "Dependencies" in README.md)
        librdkafka-dev libyajl-dev libconfig-dev libyaml-dev libpcre2-dev
        libgmp-dev
        # tests: Check for unit tests, kcat and python3 for the
        # integration tests and the demo, valgrind for memory checks
        check kcat python3 valgrind
        # the docker-compose.yml check in scripts/test.sh
        docker-compose
)

missing=()
for package in "${PACKAGES[@]}"; do
        status=$(dpkg-query -W -f='${db:Status-Status}' "$package" \
                2>/dev/null || true)
        if [ "$status" != "installed" ]; then
                missing+=("$package")
        fi
done

if [ ${#missing[@]} -eq 0 ]; then
        exit 0
fi

sudo=()
if [ "$(id -u)" -ne 0 ]; then
        if ! command -v sudo >/dev/null; then
                echo "install-deps.sh: not root and sudo is not installed;" \
                        "install these packages as root: ${missing[*]}" >&2
                exit 1
        fi
        sudo=(sudo)
fi

echo "install-deps.sh: installing ${missing[*]}" >&2
# env passes the setting through sudo, which resets the environment.
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -q --no-install-recommends "${missing[@]}"
