#!/usr/bin/env bash
# Regenerates the TFLite flatbuffer readers in this folder from the TFLite schema.
# Needs flatc 2.0.8 (Debian: apt-get install flatbuffers-compiler). A normal build never runs this:
# the generated files are checked in.
# schema_flatc2.fbs is TFLite's schema.fbs with two `(deprecated)` attributes removed that flatc 2.0.8
# rejects (REDUCE_WINDOW, ReduceWindowOptions); it is copied here from ../shared/tflite.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
flatc --csharp -o "$tmp" "$here/schema_flatc2.fbs"
rm -rf "$here/Generated"
mkdir -p "$here/Generated"
cp "$tmp"/tflite/*.cs "$here/Generated/"
# flatc 2.0.8 emits the pre-rename namespace and its own version guard; Google.FlatBuffers 25.2.10 needs these.
sed -i 's/global::FlatBuffers/global::Google.FlatBuffers/; s/FLATBUFFERS_2_0_8/FLATBUFFERS_25_2_10/' "$here"/Generated/*.cs
echo "generated $(ls "$here/Generated" | wc -l) files into $here/Generated"
