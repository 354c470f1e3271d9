#!/usr/bin/env bash
# Every performance target of the platform, measured one after the other (never side by side: 2 cores), each printed
# as a ratio against a baseline measured in the same run, plus the absolute figures; a table of all targets at the end.
# Usage: bench/run.sh [events for the report benchmark=1000000]   (20000000 for the issue's full scale; see README)
set -uo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp)
trap 'rm -f "$out"' EXIT
run() {
  echo "== $*"
  "$@" 2>&1 | tee -a "$out"
  echo
}
run bench/bus.sh
run bench/gateway.sh
run bench/run-caselist.sh
run bench/run-lag.sh
run bench/run-reports.sh "${1:-1000000}"
run bench/state.sh
run bench/domain.sh
echo "== targets (measured against the baseline of the same run)"
grep '^TARGET ' "$out" | sed 's/^TARGET //'
echo "== figures without a target (pure domain code under BenchmarkDotNet)"
grep '^FIGURE ' "$out" | sed 's/^FIGURE //'
echo "$(grep -c '^TARGET .*| met$' "$out") met, $(grep -c '^TARGET .*| not met$' "$out") not met"
