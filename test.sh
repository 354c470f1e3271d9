#!/usr/bin/env bash
# Runs every test of the KIM platform on a fresh machine: installs what is missing, builds with warnings as
# errors, writes the Aspire manifest, starts one private RabbitMQ node for all test assemblies, runs the tests
# (the end-to-end and fault tests start the platform from AppHost's Aspire model), proves the SQL Server
# migration scripts generate, and ends with a line "N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")"
source scripts/prerequisites.sh

ensure_prerequisites
ensure_browser
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

started=$(date +%s)
mkdir -p artifacts/test-results
rm -rf artifacts/sql
rm -f artifacts/test-results/fault-figures.txt artifacts/test-results/figures.txt
dotnet tool restore >/dev/null
# Release: the platform's processes run optimised code, which the browser and fault tests need on two cores.
configuration=Release
export KIM_CONFIGURATION=$configuration
dotnet build Kim.sln -c "$configuration" -warnaserror -nologo -clp:ErrorsOnly
# The web front end's API clients must be what the services' OpenAPI documents generate.
client_failures=0
scripts/generate-clients.sh --check || client_failures=1

broker_out=$(mktemp)
dotnet "src/Cli/bin/$configuration/net10.0/Kim.Cli.dll" broker >"$broker_out" 2>&1 &
broker_pid=$!
stop_broker() {
  kill -TERM "$broker_pid" 2>/dev/null || true
  wait "$broker_pid" 2>/dev/null || true
  rm -f "$broker_out"
}
trap stop_broker EXIT
for _ in $(seq 1 240); do
  grep -q '^RabbitMq__ManagementUri=' "$broker_out" && break
  kill -0 "$broker_pid" 2>/dev/null || { cat "$broker_out"; echo "the test broker did not start" >&2; exit 1; }
  sleep 0.25
done
grep -q '^RabbitMq__ManagementUri=' "$broker_out" || { cat "$broker_out"; echo "the test broker did not start in time" >&2; exit 1; }
export "$(grep '^ConnectionStrings__messaging=' "$broker_out")"
export "$(grep '^RabbitMq__ManagementUri=' "$broker_out")"
echo "test broker: $ConnectionStrings__messaging"

log=artifacts/test-results/dotnet-test.log
set +e
# The Aspire manifest that deployment tools consume (ManifestTests checks what it names).
dotnet "src/AppHost/bin/$configuration/net10.0/Kim.AppHost.dll" --publisher manifest --output-path "$PWD/artifacts/aspire-manifest.json" >/dev/null
echo "Aspire manifest written: artifacts/aspire-manifest.json ($(grep -c '"type"' artifacts/aspire-manifest.json) resources)"

# One test assembly at a time: several of them start the whole platform as processes, which two cores cannot
# run side by side without starving each other.
dotnet test Kim.sln --no-build -c "$configuration" --nologo -m:1 --logger "console;verbosity=normal" \
  --results-directory artifacts/test-results 2>&1 | tee "$log"
test_status=${PIPESTATUS[0]}
set -e

# dotnet test prints per assembly "Total tests: N" followed by "Passed: N", "Failed: N", "Skipped: N" lines.
read -r passed failed skipped < <(grep -E '^ +(Passed|Failed|Skipped): +[0-9]+ *$' "$log" \
  | awk '$1=="Passed:"{p+=$2} $1=="Failed:"{f+=$2} $1=="Skipped:"{s+=$2} END {print p+0, f+0, s+0}')
failed=$((failed + client_failures))
passed=$((passed + 1 - client_failures))
if [ -f artifacts/test-results/fault-figures.txt ]; then
  echo "fault tests (every accepted write must reach ReportingService exactly once):"
  sed 's/^/  /' artifacts/test-results/fault-figures.txt
fi
if [ -f artifacts/test-results/figures.txt ]; then
  echo "figures:"
  sed 's/^/  /' artifacts/test-results/figures.txt
fi
# A failed test's line, e.g. "  Failed Kim.FaultTests.FaultToleranceTests.Some_test [12 s]" (not a service's log line).
failed_line='^  Failed Kim\.[A-Za-z0-9_.]+(\(.*\))? \['
if grep -qE "$failed_line" "$log"; then
  # The failed tests and their messages once more, next to the totals (the log above runs to thousands of lines).
  echo "failed tests:"
  pattern="$failed_line" awk '$0 ~ ENVIRON["pattern"] {show=1; lines=0} /^ +Stack Trace:/ {show=0} show && lines++ < 60 {print "  " $0}' "$log"
fi
echo "test suite took $(( $(date +%s) - started )) s"
if [ "$test_status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
