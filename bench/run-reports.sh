#!/usr/bin/env bash
# The municipal reports at a history of N stored events against 10,000 (see bench/README.md).
# Usage: bench/run-reports.sh [events=1000000] [samples=50]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/platform.sh
start_bench_broker
dotnet build bench/ReportBench -c Release -nologo -v q -clp:ErrorsOnly
dotnet bench/ReportBench/bin/Release/net10.0/Kim.ReportBench.dll src/ReportingService/bin/Release/net10.0/Kim.ReportingService.dll \
  .data-bench-reports "${1:-1000000}" "${2:-50}"
