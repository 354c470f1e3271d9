# Sourced by the benchmarks. start_bench_platform builds the platform and one benchmark in Release and starts the
# platform with its own data folder and the gateway's per-user limits lifted for the load; start_bench_broker starts
# only a private broker node. Either stops what it started when the script exits.
# Usage: start_bench_platform <benchmark project folder> <data folder>; start_bench_broker
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

# Starts a private RabbitMQ node (the CLI's broker command) for benchmarks that need only a broker; stops it when the
# script exits. Exports ConnectionStrings__messaging.
start_bench_broker() {
  ensure_prerequisites
  dotnet build src/Cli -c Release -nologo -v q -clp:ErrorsOnly
  broker_out=$(mktemp)
  dotnet src/Cli/bin/Release/net10.0/Kim.Cli.dll broker >"$broker_out" 2>&1 &
  broker_pid=$!
  trap 'kill -TERM $broker_pid 2>/dev/null; wait $broker_pid 2>/dev/null; rm -f "$broker_out"' EXIT
  for _ in $(seq 1 240); do
    grep -q '^ConnectionStrings__messaging=' "$broker_out" && break
    kill -0 "$broker_pid" 2>/dev/null || { cat "$broker_out"; echo "the broker did not start" >&2; exit 1; }
    sleep 0.25
  done
  grep -q '^ConnectionStrings__messaging=' "$broker_out" || { cat "$broker_out"; echo "the broker did not start in time" >&2; exit 1; }
  export "$(grep '^ConnectionStrings__messaging=' "$broker_out")"
}
