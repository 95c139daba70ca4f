#!/usr/bin/env bash
# Builds libquantkernels (NativeAOT) and the C examples/tests. Needs the .NET 10 SDK, gcc, and for arm64 `clang`,
# gcc-aarch64-linux-gnu and the arm64 cross libc (.ci/arm64-setup.sh installs them).
#
#   native/build.sh x64      out/native/linux-x64:   libquantkernels.so (loader) + libquantkernels-v2.so + -v3.so
#   native/build.sh arm64    out/native/linux-arm64: libquantkernels.so (one build; AdvSimd/Dp chosen at run time)
#   native/build.sh          both
#
# Each directory also gets classify, detect and hostile (built by native/examples/Makefile, rpath $ORIGIN).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
PROJECT=native/QuantKernels.Native
STAGE="$ROOT/out/native/publish"

# publish RID NAME [msbuild args...]: NativeAOT-publishes the library and returns its path in $LIB.
publish() {
    local rid="$1" name="$2"; shift 2
    rm -rf "$STAGE/$name"
    dotnet publish "$PROJECT" -c Release -r "$rid" -o "$STAGE/$name" -nologo -v q "$@" \
        -p:NativeIntermediateOutputPath="$ROOT/$PROJECT/obj/native-$name/" >/dev/null
    LIB="$STAGE/$name/quantkernels.so"
    [ -f "$LIB" ] || { echo "build.sh: publish $name produced no $LIB" >&2; exit 1; }
}

build_x64() {
    local out="$ROOT/out/native/linux-x64"
    mkdir -p "$out"
    # x86-64-v3 = AVX2+FMA+BMI: the AVX2 kernels are compiled in. x86-64-v2 (SSE4.2) runs on the other CPUs; it is
    # set explicitly because NativeAOT's default x64 target made the Vector128 kernels 3x slower (README, "ISA").
    publish linux-x64 x64-v3 -p:IlcInstructionSet=x86-64-v3
    cp "$LIB" "$out/libquantkernels-v3.so"
    publish linux-x64 x64-v2 -p:IlcInstructionSet=x86-64-v2
    cp "$LIB" "$out/libquantkernels-v2.so"
    gcc -O2 -Wall -Wextra -Werror -shared -fPIC -fvisibility=hidden -Inative/include \
        -o "$out/libquantkernels.so" native/loader/loader.c -ldl
    make -s -C native/examples LIBDIR="$out" CC=gcc
}

build_arm64() {
    local out="$ROOT/out/native/linux-arm64"
    mkdir -p "$out"
    publish linux-arm64 arm64
    cp "$LIB" "$out/libquantkernels.so"
    make -s -C native/examples LIBDIR="$out" CC=aarch64-linux-gnu-gcc
}

case "${1:-all}" in
    x64) build_x64 ;;
    arm64) build_arm64 ;;
    all) build_x64; build_arm64 ;;
    *) echo "usage: native/build.sh [x64|arm64|all]" >&2; exit 2 ;;
esac
