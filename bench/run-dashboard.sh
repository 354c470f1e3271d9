#!/usr/bin/env bash
# Measures the web front end's server render time of the coordinators' monitoring dashboard over a year of events of
# three tenants: starts the platform (Release, own data folder, the gateway's per-user limits lifted), writes the year
# into the ReportingService's event store once, signs in as the office's coordinator, and prints median and p95 against
# the ReportingService's dashboard JSON as baseline.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/platform.sh
data="$PWD/.data-bench-dashboard"
start_bench_platform bench/DashboardBench "$data"
dotnet bench/DashboardBench/bin/Release/net10.0/Kim.DashboardBench.dll http://127.0.0.1:8080/ "$data" "${1:-500}" "${2:-100}"
