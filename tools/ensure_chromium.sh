#!/usr/bin/env bash
# Make sure Debian's Chromium (/usr/bin/chromium) is present for the real-browser tests.
#
# - present: exit 0 at once (idempotent, no network);
# - missing and running as root: wait for any running apt/dpkg, then
#   `apt-get update` + `apt-get install -y chromium` (quiet, non-interactive);
# - missing and not root: explain that the Debian package `chromium` is needed and exit 0
#   (the browser tests then skip, or fail under CI=true).
# Never runs `playwright install`: the tests drive this system browser through Playwright.
set -euo pipefail

CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    echo "ensure_chromium: $CHROMIUM not found; the browser tests need the Debian package" \
         "'chromium' (as root: apt-get install chromium). They will skip (fail under CI=true)."
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure_chromium: $CHROMIUM not found and apt-get is unavailable; install the" \
         "Debian package 'chromium' (or an equivalent Chromium at $CHROMIUM)." >&2
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
if [ -x "$CHROMIUM" ]; then
    exit 0
fi

echo "ensure_chromium: installing the Debian package 'chromium' ..."
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq chromium >/dev/null
if [ ! -x "$CHROMIUM" ]; then
    echo "ensure_chromium: apt-get finished but $CHROMIUM is still missing" >&2
    exit 1
fi
echo "ensure_chromium: $("$CHROMIUM" --version 2>/dev/null || echo chromium) installed"
