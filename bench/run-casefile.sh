#!/usr/bin/env bash
# Measures the web front end's server render time of the case file with 10,000 cases in the tenant: starts the
# platform (Release, own data folder, the gateway's per-user limits lifted for the load), seeds the cases through the
# API, signs in as a person, and prints median and p95 against the CaseService's own answer as baseline.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/platform.sh
data="$PWD/.data-bench"
start_bench_platform bench/CaseFileBench "$data"
dotnet bench/CaseFileBench/bin/Release/net10.0/Kim.CaseFileBench.dll http://127.0.0.1:8080/ "$data" "${1:-10000}" "${2:-300}"
