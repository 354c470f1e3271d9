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

# The baseline run: as start_bench_platform, with every read's audit entries in a transaction of their own.
ensure_prerequisites
dotnet build src/AppHost -c Release -nologo -v q -clp:ErrorsOnly
dotnet build bench/CaseListBench -c Release -nologo -v q -clp:ErrorsOnly
baseline_log=$(mktemp)
dotnet run --project src/AppHost -c Release --no-build -- --Platform:DataDirectory="$data" \
  --Platform:Environment:Gateway__PermitsPerUser=1000000 --Platform:Environment:Gateway__PermitsPerTenant=1000000 \
  --Platform:Environment:Gateway__PermitsPerAnonymousClient=1000000 --Platform:Environment:Audit__GroupCommit=false >"$baseline_log" 2>&1 &
baseline_platform=$!
trap 'kill -TERM $baseline_platform 2>/dev/null; wait $baseline_platform 2>/dev/null; rm -f "$baseline_log" "$results"' EXIT
for _ in $(seq 1 240); do grep -q "Platform ready" "$baseline_log" && break; sleep 1; done
grep -q "Platform ready" "$baseline_log" || { tail -50 "$baseline_log"; exit 1; }
dotnet "$bench" http://127.0.0.1:8080/ "$data" "${1:-10000}" "${2:-30}" "${3:-200}" per-read "$results"
kill -TERM "$baseline_platform"
wait "$baseline_platform" 2>/dev/null || true
rm -f "$baseline_log"

# The measured run, with group commit (the default).
start_bench_platform bench/CaseListBench "$data"
dotnet "$bench" http://127.0.0.1:8080/ "$data" "${1:-10000}" "${2:-30}" "${3:-200}" batched "$results"
rm -f "$results"
