#!/usr/bin/env bash
# The whole test suite on a fresh machine: installs what the build needs beyond a JDK and Maven
# (Debian's chromium, for the browser test of the hierarchy page), then runs `mvn -B verify` with
# any arguments given, e.g. ./run-tests.sh -pl e2e-tests -am -Dit.test=HierarchyPageIT
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$ROOT"

fail() {
    printf 'run-tests: %s\n' "$*" >&2
    exit 1
}

# Installs Debian packages as root, or through sudo without a password prompt.
apt_install() {
    local sudo=()
    if [[ $(id -u) != 0 ]]; then
        command -v sudo >/dev/null 2>&1 || fail "$* missing, and installing it needs root or sudo"
        sudo=(sudo -n)
    fi
    "${sudo[@]}" apt-get update -qq
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

if [[ ! -x /usr/bin/chromium ]]; then
    echo "run-tests: installing Debian's chromium for the browser test (HierarchyPageIT)"
    apt_install chromium
fi
/usr/bin/chromium --version

exec mvn -B verify "$@"
