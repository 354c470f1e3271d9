#!/usr/bin/env bash
# Measures the web front end's server render time of the coordinators' monitoring dashboard over a year of events of
# three tenants: starts the platform (Release, own data folder, the gateway's per-user limits lifted), writes the year
# into the ReportingService's event store once, signs in as the office's coordinator, and prints median and p95 against
# the ReportingService's dashboard JSON as baseline.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/prerequisites.sh
ensure_prerequisites
data="$PWD/.data-bench-dashboard"
dotnet build src/AppHost -c Release -nologo -v q -clp:ErrorsOnly
dotnet build bench/DashboardBench -c Release -nologo -v q -clp:ErrorsOnly
log=$(mktemp)
dotnet run --project src/AppHost -c Release --no-build -- --Platform:DataDirectory="$data" \
  --Platform:Environment:Gateway__PermitsPerUser=1000000 --Platform:Environment:Gateway__PermitsPerTenant=1000000 \
  --Platform:Environment:Gateway__PermitsPerAnonymousClient=1000000 >"$log" 2>&1 &
platform=$!
trap 'kill -TERM $platform 2>/dev/null; wait $platform 2>/dev/null; rm -f "$log"' EXIT
for _ in $(seq 1 240); do grep -q "Platform ready" "$log" && break; sleep 1; done
grep -q "Platform ready" "$log" || { tail -50 "$log"; exit 1; }
dotnet bench/DashboardBench/bin/Release/net10.0/Kim.DashboardBench.dll http://127.0.0.1:8080/ "$data" "${1:-500}" "${2:-100}"
