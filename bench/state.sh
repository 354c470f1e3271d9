#!/usr/bin/env bash
# The ministry's cross tables, types and report through the gateway at 400 municipalities x 5 periods against the
# 2022 evaluation's size, 54 municipalities x 1 period, measured first in the same run (see bench/README.md).
# Usage: bench/state.sh [rounds=60]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/platform.sh
data="$PWD/.data-bench-state"
start_bench_platform bench/StateBench "$data"
dotnet bench/StateBench/bin/Release/net10.0/Kim.StateBench.dll http://127.0.0.1:8080/ "$data" "${1:-60}"
