# Sourced by the benchmarks. start_bench_platform builds the platform and one benchmark in Release and starts the
# platform with its own data folder and the gateway's per-user limits lifted for the load (further arguments go to
# the AppHost); stop_bench_platform stops it; start_bench_broker starts only a private broker node. Whatever was
# started is stopped when the script exits (after the script's own bench_on_exit, if it defines one).
# Usage: start_bench_platform <benchmark project folder> <data folder> [AppHost arguments]; start_bench_broker
source scripts/prerequisites.sh

start_bench_platform() {
  local project=$1 data=$2
  shift 2
  ensure_prerequisites
  dotnet build src/AppHost -c Release -nologo -v q -clp:ErrorsOnly
  dotnet build "$project" -c Release -nologo -v q -clp:ErrorsOnly
  bench_log=$(mktemp)
  dotnet run --project src/AppHost -c Release --no-build -- --Platform:DataDirectory="$data" \
    --Platform:Environment:Gateway__PermitsPerUser=1000000 --Platform:Environment:Gateway__PermitsPerTenant=1000000 \
    --Platform:Environment:Gateway__PermitsPerAnonymousClient=1000000 "$@" >"$bench_log" 2>&1 &
  bench_platform=$!
  trap 'bench_cleanup' EXIT
  for _ in $(seq 1 240); do grep -q "Platform ready" "$bench_log" && break; sleep 1; done
  grep -q "Platform ready" "$bench_log" || { tail -50 "$bench_log"; exit 1; }
}

# Stops the platform and waits until its services have let go of their ports: the orchestrator (DCP) stops them
# after the AppHost has exited, and the next benchmark must not start beside a platform that is still stopping.
stop_bench_platform() {
  [ -n "${bench_platform:-}" ] || return 0
  local pid=$bench_platform
  bench_platform=
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  # The platform's ports (gateway, services, tenants) lie between 8080 and 8199.
  for _ in $(seq 1 60); do
    [ -z "$(ss -ltnH '( sport >= :8080 and sport <= :8199 )')" ] && break
    sleep 1
  done
  pkill -f 'dcp (start-apiserver|run-controllers|monitor-process)' 2>/dev/null || true
  rm -f "$bench_log"
}

# What runs when a benchmark script exits: its own cleanup (bench_on_exit, if it defines one), then the platform's.
bench_cleanup() {
  if declare -F bench_on_exit >/dev/null; then bench_on_exit; fi
  stop_bench_platform
}

# Starts a private RabbitMQ node (the CLI's broker command) for benchmarks that need only a broker; stops it when the
# script exits. Exports ConnectionStrings__messaging.
start_bench_broker() {
  ensure_prerequisites
  dotnet build src/Cli -c Release -nologo -v q -clp:ErrorsOnly
  broker_out=$(mktemp)
  dotnet src/Cli/bin/Release/net10.0/Kim.Cli.dll broker >"$broker_out" 2>&1 &
  broker_pid=$!
  trap 'kill -TERM $broker_pid 2>/dev/null || true; wait $broker_pid 2>/dev/null || true; rm -f "$broker_out"' EXIT
  for _ in $(seq 1 240); do
    grep -q '^ConnectionStrings__messaging=' "$broker_out" && break
    kill -0 "$broker_pid" 2>/dev/null || { cat "$broker_out"; echo "the broker did not start" >&2; exit 1; }
    sleep 0.25
  done
  grep -q '^ConnectionStrings__messaging=' "$broker_out" || { cat "$broker_out"; echo "the broker did not start in time" >&2; exit 1; }
  export "$(grep '^ConnectionStrings__messaging=' "$broker_out")"
}
