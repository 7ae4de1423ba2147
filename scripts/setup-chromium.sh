#!/usr/bin/env bash
# Installs what the page tests need from Debian's packages: the chromium browser
# (/usr/bin/chromium) and a CJK font, so the screenshots show the Chinese text instead of boxes.
# Idempotent: installs only what is missing. Playwright's own browser download
# (`npx playwright install`) needs the internet; Debian's packages need only the apt mirror.
set -euo pipefail

CHROMIUM=/usr/bin/chromium
CJK_FONT=/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc
missing=()
[ -x "$CHROMIUM" ] || missing+=(chromium)
[ -f "$CJK_FONT" ] || missing+=(fonts-wqy-zenhei)
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup-chromium: $CHROMIUM and a CJK font are installed ($("$CHROMIUM" --version 2>/dev/null || echo 'version unknown'))"
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  SUDO=(sudo -n)
else
  echo "setup-chromium: missing ${missing[*]} and this user cannot install packages (not root, no password-less sudo)." >&2
  echo "setup-chromium: install as root with: apt-get update && apt-get install -y ${missing[*]}" >&2
  exit 1
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "setup-chromium: no apt-get here; install Chromium yourself and set ZSC_BENCH_CHROMIUM=/path/to/chromium" >&2
  exit 1
fi

echo "setup-chromium: installing ${missing[*]} from Debian's packages"
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
if [ ! -x "$CHROMIUM" ]; then
  echo "setup-chromium: apt-get finished but $CHROMIUM is still missing" >&2
  exit 1
fi
echo "setup-chromium: ready ($("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM"))"
