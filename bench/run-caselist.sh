#!/usr/bin/env bash
# Measures the CaseService's case list and case file through the gateway at a fixed request rate with 10,000 cases in
# the tenant, and what auditing every read costs: the platform runs twice on the same data, first with one audit
# transaction per read (Audit:GroupCommit=false, the baseline), then with the audit writer's group commit.
# Usage: bench/run-caselist.sh [cases=10000] [seconds per phase=30] [requests/s=200]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/platform.sh
data="$PWD/.data-bench"
results=$(mktemp)
bench=bench/CaseListBench/bin/Release/net10.0/Kim.CaseListBench.dll

# The baseline run: every read's audit entries in a transaction of their own.
bench_on_exit() { rm -f "$results"; }
start_bench_platform bench/CaseListBench "$data" --Platform:Environment:Audit__GroupCommit=false
dotnet "$bench" http://127.0.0.1:8080/ "$data" "${1:-10000}" "${2:-30}" "${3:-200}" per-read "$results"
stop_bench_platform

# The measured run, with group commit (the default).
start_bench_platform bench/CaseListBench "$data"
dotnet "$bench" http://127.0.0.1:8080/ "$data" "${1:-10000}" "${2:-30}" "${3:-200}" batched "$results"
rm -f "$results"
