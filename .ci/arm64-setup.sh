#!/usr/bin/env bash
# Prepares running linux-arm64 .NET test executables under qemu user mode on an x86-64 Debian host
# (recipe: ../shared/arm64/NOTES.md). Idempotent and quiet: installs only what is missing, builds the sysroot once.
#
#   .ci/arm64-setup.sh [SYSROOT]      (default: out/ci/sysroot-arm64 in the repo; prints nothing on success)
#
# Afterwards:  qemu-aarch64-static -L SYSROOT path/to/linux-arm64/apphost ...
#
# What and why:
# - qemu-user-static: qemu-aarch64-static runs arm64 user-mode binaries (default CPU "max" has AdvSimd + Dp;
#   QEMU_CPU=cortex-a72 has AdvSimd without Dp).
# - libc6/libstdc++6/libgcc-s1 -arm64-cross: the arm64 glibc, libstdc++ and libgcc the .NET runtime links against.
# - clang, gcc-aarch64-linux-gnu, libc6-dev-arm64-cross: NativeAOT's linux-arm64 cross-publish of native/ links with
#   `clang --target=aarch64-linux-gnu`, which uses the Debian cross binutils and libc; the C examples build with
#   aarch64-linux-gnu-gcc.
# - libssl3:arm64 and zlib1g:arm64, downloaded (not installed) into the private sysroot: the xunit.v3 runner hashes
#   test IDs with SHA256, which .NET does through OpenSSL; with only the -cross libs it aborts with
#   "No usable version of libssl was found". ICU is not fetched: the projects set InvariantGlobalization.
set -euo pipefail
cd "$(dirname "$0")/.."
SYSROOT="${1:-$PWD/out/ci/sysroot-arm64}"
LOG="$(mktemp)"
trap 'rm -f "$LOG"' EXIT

# Runs a command with its output captured; shows the output only if it fails.
quiet() {
    if ! "$@" >>"$LOG" 2>&1; then
        echo "arm64-setup: failed: $*" >&2
        cat "$LOG" >&2
        exit 1
    fi
}

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive

updated=0
apt_update() {
    if [ "$updated" = 0 ]; then quiet $SUDO apt-get -o DPkg::Lock::Timeout=900 update -qq; updated=1; fi
}

# 1. Host packages (installed only if missing).
missing=()
for p in qemu-user-static libc6-arm64-cross libstdc++6-arm64-cross libgcc-s1-arm64-cross \
         clang gcc-aarch64-linux-gnu libc6-dev-arm64-cross; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
    apt_update
    quiet $SUDO apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends "${missing[@]}"
fi

# 2. The private sysroot (built once; the marker file is written last, so an interrupted build is redone).
if [ ! -f "$SYSROOT/.complete" ]; then
    if ! dpkg --print-foreign-architectures | grep -qx arm64; then
        quiet $SUDO dpkg --add-architecture arm64
        updated=0
    fi
    apt_update
    # Debian 12 names first; Debian 13 renamed libssl3 to libssl3t64.
    ssl=libssl3
    apt-cache show libssl3:arm64 >/dev/null 2>&1 || ssl=libssl3t64
    rm -rf "$SYSROOT" "$SYSROOT.debs"
    mkdir -p "$SYSROOT.debs"
    (cd "$SYSROOT.debs" && quiet apt-get download -qq "$ssl:arm64" zlib1g:arm64)
    mkdir -p "$SYSROOT"
    cp -a /usr/aarch64-linux-gnu/lib "$SYSROOT/lib"
    for d in "$SYSROOT.debs"/*.deb; do quiet dpkg -x "$d" "$SYSROOT"; done
    rm -rf "$SYSROOT.debs"
    touch "$SYSROOT/.complete"
fi

command -v qemu-aarch64-static >/dev/null || { echo "arm64-setup: qemu-aarch64-static not on PATH" >&2; exit 1; }
