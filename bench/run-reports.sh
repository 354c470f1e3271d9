#!/usr/bin/env bash
# The municipal reports at a history of N stored events against 10,000 (see bench/README.md).
# Usage: bench/run-reports.sh [events=1000000] [samples=50]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/prerequisites.sh
ensure_prerequisites
dotnet build src/Cli -c Release -nologo -v q -clp:ErrorsOnly
dotnet build bench/ReportBench -c Release -nologo -v q -clp:ErrorsOnly
broker_out=$(mktemp)
dotnet src/Cli/bin/Release/net10.0/Kim.Cli.dll broker >"$broker_out" 2>&1 &
broker=$!
trap 'kill -TERM $broker 2>/dev/null; wait $broker 2>/dev/null; rm -f "$broker_out"' EXIT
for _ in $(seq 1 240); do grep -q '^ConnectionStrings__messaging=' "$broker_out" && break; sleep 0.25; done
export "$(grep '^ConnectionStrings__messaging=' "$broker_out")"
dotnet bench/ReportBench/bin/Release/net10.0/Kim.ReportBench.dll src/ReportingService/bin/Release/net10.0/Kim.ReportingService.dll \
  .data-bench-reports "${1:-1000000}" "${2:-50}"
