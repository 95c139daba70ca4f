#!/usr/bin/env bash
# Start-up (model load to first result, in-process) and per-invoke latency of mobilenet_v2_1.0_224_quant through
# libquantkernels (classify.c; the v3/AVX2 and v2 builds) and through the managed runtime (managed_classify.cs, the
# same steps; also with DOTNET_EnableAVX2=0, the managed twin of the v2 build), in alternating rounds so machine load hits all three alike; plus process wall time and peak RSS.
#
#   native/build.sh x64 && native/bench/measure.sh [ROUNDS=3] [ITERS=200]
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS="${1:-3}"; ITERS="${2:-200}"
MODEL=testdata/models/mobilenet_v2_1.0_224_quant.tflite
INPUT=testdata/models/expected/mobilenet_v2_1.0_224_quant/input_0.bin
BIN=out/native/linux-x64
dotnet build -c Release native/bench/managed_classify.cs -v q -nologo >/dev/null
MANAGED="$(dotnet build -c Release native/bench/managed_classify.cs -v n -nologo 2>/dev/null | sed -n 's/.*managed_classify.cs -> \(.*\)\.dll$/\1/p' | tail -1)"
ls -l "$BIN"/libquantkernels*.so | awk '{print $5, $9}'
uptime
for r in $(seq "$ROUNDS"); do
    echo "== round $r"
    line() { /usr/bin/time -f "wall %e s, peak RSS %M KB" "$@" 2>&1 >/dev/null | tr '\n' ' '; echo; }
    echo -n "native v3 (avx2):      "; line "$BIN/classify" "$MODEL" "$INPUT" --iters "$ITERS"
    echo -n "native v2 (vector128): "; QK_NATIVE_BUILD=v2 line "$BIN/classify" "$MODEL" "$INPUT" --iters "$ITERS"
    echo -n "managed (JIT):         "; line "$MANAGED" "$MODEL" "$INPUT" "$ITERS"
    echo -n "managed, no AVX2:      "; DOTNET_EnableAVX2=0 line "$MANAGED" "$MODEL" "$INPUT" "$ITERS"
done
uptime
