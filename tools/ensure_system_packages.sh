#!/usr/bin/env bash
# Make sure the Debian packages the tests need are present:
#   chromium   (/usr/bin/chromium) for the real-browser tests;
#   bubblewrap (/usr/bin/bwrap)    for the grading sandbox.
#
# - all present: exit 0 at once (idempotent, no network);
# - something missing and running as root: wait for any running apt/dpkg, then
#   `apt-get update` + `apt-get install -y <missing>` (quiet, non-interactive);
# - something missing and not root: explain which Debian package is needed and exit 0
#   (the tests needing it then skip, or fail under CI=true).
# Never runs `playwright install`: the tests drive the system browser through Playwright.
set -euo pipefail

declare -A BINARY=([chromium]=/usr/bin/chromium [bubblewrap]=/usr/bin/bwrap)

missing() {
    local pkg out=()
    for pkg in chromium bubblewrap; do
        [ -x "${BINARY[$pkg]}" ] || out+=("$pkg")
    done
    echo "${out[@]:-}"
}

MISSING=$(missing)
if [ -z "$MISSING" ]; then
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    echo "ensure_system_packages: missing Debian package(s): $MISSING" \
         "(as root: apt-get install $MISSING). Browser tests and grading-sandbox tests" \
         "will skip (fail under CI=true)."
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure_system_packages: missing $MISSING and apt-get is unavailable; install the" \
         "Debian package(s) $MISSING or equivalents." >&2
    exit 0
fi

# Another apt/dpkg run (e.g. a background install) holds the lock: wait for it, up to 5 minutes.
for _ in $(seq 1 300); do
    if ! pgrep -x apt-get >/dev/null 2>&1 && ! pgrep -x apt >/dev/null 2>&1 \
        && ! pgrep -x dpkg >/dev/null 2>&1; then
        break
    fi
    sleep 1
done
MISSING=$(missing)
if [ -z "$MISSING" ]; then
    exit 0
fi

echo "ensure_system_packages: installing the Debian package(s) $MISSING ..."
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086 # word splitting of the package list is intended
apt-get install -y -qq $MISSING >/dev/null
STILL=$(missing)
if [ -n "$STILL" ]; then
    echo "ensure_system_packages: apt-get finished but $STILL is still missing" >&2
    exit 1
fi
echo "ensure_system_packages: installed $MISSING"
