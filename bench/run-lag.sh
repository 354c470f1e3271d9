#!/usr/bin/env bash
# Event to report visible at a sustained rate of case writes through the gateway (see bench/README.md).
# Usage: bench/run-lag.sh [rate=500] [seconds=30] [baseline rate=50]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/platform.sh
data="$PWD/.data-bench-lag"
start_bench_platform bench/LagBench "$data"
dotnet bench/LagBench/bin/Release/net10.0/Kim.LagBench.dll http://127.0.0.1:8080/ "$data" "${1:-500}" "${2:-30}" "${3:-50}"
