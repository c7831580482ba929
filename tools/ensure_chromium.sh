#!/usr/bin/env bash
# Kept for older references: installs Chromium and bubblewrap via ensure_system_packages.sh.
exec bash "$(dirname "$0")/ensure_system_packages.sh" "$@"
