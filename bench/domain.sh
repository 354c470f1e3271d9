#!/usr/bin/env bash
# BenchmarkDotNet for the pure domain code: case rules, voting, cross tables, typology (see bench/README.md).
# Usage: bench/domain.sh [filter='*'] [further BenchmarkDotNet options], e.g. bench/domain.sh '*Voting*'
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build bench/DomainBench -c Release -nologo -v q -clp:ErrorsOnly
dotnet bench/DomainBench/bin/Release/net10.0/Kim.DomainBench.dll --filter "${1:-*}" --artifacts artifacts/bench-domain "${@:2}"
