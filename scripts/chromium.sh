#!/usr/bin/env bash
# scripts/chromium.sh — makes sure Debian's Chromium is installed for the browser tests (passkeys, hosted
# pages), which drive it with playwright-core. A test tool's own browser download cannot work here (the
# machine reaches only the npm registry and Debian's packages), so the system package is used.
# Prints the path of the browser. Installs it with apt-get when missing and running as root (as CI does).
set -euo pipefail

bin="${TESSERA_TEST_CHROMIUM:-/usr/bin/chromium}"
if [[ -x "$bin" ]]; then
  echo "$bin"
  exit 0
fi
if [[ "$(id -u)" -ne 0 ]]; then
  echo "Chromium is not installed at $bin and this user cannot install it: run 'apt-get install -y chromium' as root, or set TESSERA_TEST_CHROMIUM" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y -qq chromium >/dev/null 2>&1; then
  apt-get update -qq >/dev/null
  apt-get install -y -qq chromium >/dev/null
fi
echo "$bin"
