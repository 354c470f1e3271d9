#!/usr/bin/env bash
# Measures the web front end's server render time of the case file with 10,000 cases in the tenant: starts the
# platform (Release, own data folder, the gateway's per-user limits lifted for the load), seeds the cases through the
# API, signs in as a person, and prints median and p95 against the CaseService's own answer as baseline.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/prerequisites.sh
ensure_prerequisites
data="$PWD/.data-bench"
dotnet build src/AppHost -c Release -nologo -v q -clp:ErrorsOnly
dotnet build bench/CaseFileBench -c Release -nologo -v q -clp:ErrorsOnly
log=$(mktemp)
dotnet run --project src/AppHost -c Release --no-build -- --Platform:DataDirectory="$data" \
  --Platform:Environment:Gateway__PermitsPerUser=1000000 --Platform:Environment:Gateway__PermitsPerTenant=1000000 \
  --Platform:Environment:Gateway__PermitsPerAnonymousClient=1000000 >"$log" 2>&1 &
platform=$!
trap 'kill -TERM $platform 2>/dev/null; wait $platform 2>/dev/null; rm -f "$log"' EXIT
for _ in $(seq 1 240); do grep -q "Platform ready" "$log" && break; sleep 1; done
grep -q "Platform ready" "$log" || { tail -50 "$log"; exit 1; }
dotnet bench/CaseFileBench/bin/Release/net10.0/Kim.CaseFileBench.dll http://127.0.0.1:8080/ "$data" "${1:-10000}" "${2:-300}"
