#!/usr/bin/env bash
# Installs the native peer used by the benchmarks (bench only; no library project depends on it):
#   libxnnpack-dev / libxnnpack0  Debian 12 XNNPACK 0.0~git20220216.ae108ef (called through P/Invoke)
#   libpthreadpool-dev            its threadpool dependency (the benchmarks pass threadpool = NULL)
#   python3-onnx python3-numpy    only to regenerate bench/peers/ort-models (make_models.py)
# ONNX Runtime comes from NuGet (Microsoft.ML.OnnxRuntime 1.31.1), restored by `dotnet build`.
# Without libxnnpack the XNNPACK benchmarks are skipped with a message; everything else still runs.
set -euo pipefail
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq libxnnpack-dev libpthreadpool-dev python3-onnx python3-numpy
dpkg-query -W -f='${Package}\t${Version}\n' libxnnpack-dev libxnnpack0 libpthreadpool-dev python3-onnx python3-numpy
