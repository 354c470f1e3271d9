# Sourced by the benchmarks: builds the platform and one benchmark in Release and starts the platform with its own data
# folder and the gateway's per-user limits lifted for the load; stops it when the script exits.
# Usage: start_bench_platform <benchmark project folder> <data folder>
source scripts/prerequisites.sh

start_bench_platform() {
  local project=$1 data=$2
  ensure_prerequisites
  dotnet build src/AppHost -c Release -nologo -v q -clp:ErrorsOnly
  dotnet build "$project" -c Release -nologo -v q -clp:ErrorsOnly
  bench_log=$(mktemp)
  dotnet run --project src/AppHost -c Release --no-build -- --Platform:DataDirectory="$data" \
    --Platform:Environment:Gateway__PermitsPerUser=1000000 --Platform:Environment:Gateway__PermitsPerTenant=1000000 \
    --Platform:Environment:Gateway__PermitsPerAnonymousClient=1000000 >"$bench_log" 2>&1 &
  bench_platform=$!
  trap 'kill -TERM $bench_platform 2>/dev/null; wait $bench_platform 2>/dev/null; rm -f "$bench_log"' EXIT
  for _ in $(seq 1 240); do grep -q "Platform ready" "$bench_log" && break; sleep 1; done
  grep -q "Platform ready" "$bench_log" || { tail -50 "$bench_log"; exit 1; }
}
