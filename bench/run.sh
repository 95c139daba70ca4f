#!/usr/bin/env bash
# Runs the QuantKernels benchmarks (BenchmarkDotNet) and prints the table of ratios against the peers.
#
#   bench/run.sh                          # everything: 6 kernel shapes x (ours, XNNPACK, ORT u8, ORT s8) + whole models
#   bench/run.sh '*KernelBenchmarks*'     # BenchmarkDotNet --filter globs (Namespace.Type.Method)
#   bench/run.sh '*ModelBenchmarks*'
#   bench/run.sh '*DepthwiseBenchmarks*'      # every depthwise shape: ours (best path, AVX2) vs XNNPACK
#   PIN=1 bench/run.sh                    # also pin each benchmark process to CPU 0 (--affinity 1)
#   BDN_ARGS='--iterationCount 30' bench/run.sh   # extra BenchmarkDotNet arguments
#
# Single thread everywhere: our InterpreterOptions.Threads = 1, ORT IntraOpNumThreads = 1, XNNPACK threadpool NULL.
# Each case runs in its own process with 6 warm-up and 15 measured iterations of >= 250 ms (Program.cs), which keeps a
# full run near 10 minutes here (plus BenchmarkDotNet's one-off build of its host project).
# Results: bench/BenchmarkDotNet.Artifacts/<timestamp>/ (git-ignored); the table goes to stdout and table.md there.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
out="$here/BenchmarkDotNet.Artifacts/$(date -u +%Y%m%d-%H%M%S)"
filters=("$@")
[ ${#filters[@]} -eq 0 ] && filters=('*')
extra=()
[ "${PIN:-0}" = 1 ] && extra+=(--affinity 1)
# shellcheck disable=SC2206
[ -n "${BDN_ARGS:-}" ] && extra+=(${BDN_ARGS})

if [ ! -e /usr/lib/x86_64-linux-gnu/libXNNPACK.so.0 ] && [ ! -e /usr/lib/aarch64-linux-gnu/libXNNPACK.so.0 ]; then
  echo "NOTE: libXNNPACK.so.0 not installed; XNNPACK benchmarks will be skipped (bench/peers/setup.sh installs it)" >&2
fi

cd "$root"
dotnet build bench/QuantKernels.Bench -c Release --nologo -v q
mkdir -p "$out"
{ echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"; echo "host: $(uname -srm), $(nproc) CPUs"; echo "load before: $(uptime)"; } > "$out/env.txt"
QK_REPO="$root" dotnet bench/QuantKernels.Bench/bin/Release/net10.0/QuantKernels.Bench.dll \
  --filter "${filters[@]}" --artifacts "$out" "${extra[@]}" | tee "$out/console.log"
echo "load after: $(uptime)" >> "$out/env.txt"
/usr/bin/python3 "$here/ratios.py" "$out/results" | tee "$out/table.md"
cat "$out/env.txt"
