#!/usr/bin/env bash
# Installs the browser the page tests drive: Debian's chromium package (/usr/bin/chromium).
# Idempotent: does nothing when it is already there. Playwright's own browser download
# (`npx playwright install`) needs the internet; Debian's package needs only the apt mirror.
set -euo pipefail

CHROMIUM=/usr/bin/chromium
if [ -x "$CHROMIUM" ]; then
  echo "setup-chromium: $CHROMIUM is installed ($("$CHROMIUM" --version 2>/dev/null || echo 'version unknown'))"
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  SUDO=(sudo -n)
else
  echo "setup-chromium: $CHROMIUM is missing and this user cannot install packages (not root, no password-less sudo)." >&2
  echo "setup-chromium: install it as root with: apt-get update && apt-get install -y chromium" >&2
  exit 1
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "setup-chromium: no apt-get here; install Chromium yourself and set ZSC_BENCH_CHROMIUM=/path/to/chromium" >&2
  exit 1
fi

echo "setup-chromium: installing Debian's chromium package"
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends chromium >/dev/null
if [ ! -x "$CHROMIUM" ]; then
  echo "setup-chromium: apt-get finished but $CHROMIUM is still missing" >&2
  exit 1
fi
echo "setup-chromium: installed $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"
