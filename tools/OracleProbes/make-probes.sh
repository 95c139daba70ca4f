#!/usr/bin/env bash
# Builds the single-op probe cases into testdata/oracle-ops/, runs real TFLite (the WebAssembly oracle) on each,
# keeps its outputs (output_<i>.bin) and deletes the cases the oracle cannot run, logging why in the README.
# Usage: tools/OracleProbes/make-probes.sh [FILTER]   (FILTER: substring of case names; default all)
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
oracle="${ORACLE:-/work/oracle/tflite_wasm_run.js}"
out="$repo/testdata/oracle-ops"
filter="${1:-}"
mkdir -p "$out"
dotnet build "$repo/tools/OracleProbes" -c Release -v q -nologo >/dev/null
probes=(dotnet "$repo/tools/OracleProbes/bin/Release/net10.0/OracleProbes.dll")
if [[ -z "$filter" ]]; then find "$out" -mindepth 1 -maxdepth 1 -type d -exec rm -rf {} +; fi
"${probes[@]}" write "$out" $filter
failed="$out/.failed.txt"; touch "$failed"
# Forget earlier failures of the cases being rebuilt (all of them without a filter).
awk -v f="$filter" '{ n = $2; gsub(/[`:]/, "", n); if (f != "" && index(n, f) == 0) print }' "$failed" > "$failed.tmp" && mv "$failed.tmp" "$failed"
ok=0
for dir in "$out"/*/; do
  name="$(basename "$dir")"
  [[ -n "$filter" && "$name" != *"$filter"* ]] && continue
  rm -f "$dir"/output_*.bin
  if log="$(node "$oracle" "$dir/model.tflite" --iters 1 --in "$dir" --out "$dir" 2>&1 >/dev/null)" \
     && check="$("${probes[@]}" check "$dir" 2>&1)"; then
    ok=$((ok + 1))
  else
    why="$(printf '%s\n%s' "$log" "${check:-}" | grep -v -i 'xnnpack delegate\|^$\|INFO:' | head -3 | tr '\n' ' ' | cut -c1-300)"
    echo "- \`$name\`: $why" >> "$failed"
    echo "FAILED $name: $why" >&2
    rm -rf "$dir"
  fi
  check=""
  rm -f "$dir/summary.json"
done
sort -u -o "$failed" "$failed"
echo "oracle ran $ok cases; $(wc -l < "$failed") failed in all (listed in $failed)"

# The README lists what the oracle could not run (regenerated on every run).
{
  cat <<'HDR'
# Single-op probes: what real TFLite computes, op by op

Each folder holds `model.tflite` (one operator, written by `tools/OracleProbes` with the runtime's `TfliteWriter`),
seeded pseudo-random `input_<i>.bin` (quantized inputs span the full integer range and always contain both
extremes and the zero point) and `output_<i>.bin` written by the oracle (real TFLite compiled to WebAssembly with
its XNNPACK delegate; /work/oracle, see its README and CONVENTIONS.md). `tests/QuantKernels.Runtime.Tests/OracleOpTests.cs`
runs every folder through the runtime and compares: integer outputs byte for byte, float32 within 1e-5 of the
output's largest magnitude.

Regenerate everything (needs Node and the oracle; about 8 minutes): `tools/OracleProbes/make-probes.sh`;
one family only: `tools/OracleProbes/make-probes.sh conv2d_` (a substring of case names).
Case definitions: `tools/OracleProbes/Cases.cs`. What the oracle turned out to compute, op by op: FINDINGS.md.

## Cases the oracle could not run (deleted)

HDR
  if [[ -s "$failed" ]]; then cat "$failed"; else echo "(none)"; fi
  echo
  echo "## Cases ($(find "$out" -mindepth 1 -maxdepth 1 -type d | wc -l))"
  echo
  for d in "$out"/*/; do printf '`%s` ' "$(basename "$d")"; done
  echo
} > "$out/README.md"
