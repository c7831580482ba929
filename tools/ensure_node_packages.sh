#!/usr/bin/env bash
# Make sure the npm packages the tests need are in .cache/node (gitignored), pinned:
#   axe-core                 accessibility rules injected into the real-browser tests;
#   configurable-http-proxy  the proxy of the JupyterHub loopback test.
#
# - every package present at its pinned version: exit 0 at once (no network);
# - otherwise `npm install --prefix .cache/node` (npm's ordinary registry client) installs the
#   missing ones; npm missing or the install failing: a message, exit 0 (the tests that need the
#   package skip), except under CI=true, where it exits 1 (the tests would fail anyway).
# Add a package by appending "name@version" to PACKAGES.
set -euo pipefail

PACKAGES=(
    "axe-core@4.14.1"
    "configurable-http-proxy@5.3.0"
)
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PREFIX="$ROOT/.cache/node"

installed_version() {  # name -> version in .cache/node, or nothing
    local manifest="$PREFIX/node_modules/$1/package.json"
    [ -f "$manifest" ] || return 0
    sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$manifest" | head -n 1
}

MISSING=()
for spec in "${PACKAGES[@]}"; do
    name="${spec%@*}"
    version="${spec##*@}"
    [ "$(installed_version "$name")" = "$version" ] || MISSING+=("$spec")
done
[ "${#MISSING[@]}" -eq 0 ] && exit 0

fail() {
    echo "ensure_node_packages: $1" >&2
    if [ "${CI:-}" = "true" ]; then exit 1; fi
    exit 0
}

command -v npm >/dev/null 2>&1 || fail "npm not found; install Node.js 18+ to get ${MISSING[*]}"
mkdir -p "$PREFIX"
echo "ensure_node_packages: installing ${MISSING[*]} into .cache/node ..."
npm install --prefix "$PREFIX" --no-audit --no-fund --loglevel=error "${MISSING[@]}" >/dev/null \
    || fail "npm install ${MISSING[*]} failed"
echo "ensure_node_packages: installed ${MISSING[*]}"
