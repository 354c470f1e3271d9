#!/usr/bin/env bash
# Broker throughput on a private RabbitMQ node: raw RabbitMQ.Client against MassTransit as the platform configures it
# (publish-and-consume, publisher confirms, durable queues, persistent messages, 100 in flight), and the outbox
# dispatcher's drain rate from a SQLite outbox table against MassTransit. Prints TARGET lines.
# Usage: bench/bus.sh [messages per round=20000] [in flight=100] [outbox rows per round=5000] [rounds=3]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/prerequisites.sh
ensure_prerequisites
dotnet build src/Cli -c Release -nologo -v q -clp:ErrorsOnly
dotnet build bench/BusBench -c Release -nologo -v q -clp:ErrorsOnly

broker_out=$(mktemp)
dotnet src/Cli/bin/Release/net10.0/Kim.Cli.dll broker >"$broker_out" 2>&1 &
broker_pid=$!
trap 'kill -TERM $broker_pid 2>/dev/null; wait $broker_pid 2>/dev/null; rm -f "$broker_out"' EXIT
for _ in $(seq 1 240); do
  grep -q '^ConnectionStrings__messaging=' "$broker_out" && break
  kill -0 "$broker_pid" 2>/dev/null || { cat "$broker_out"; echo "the broker did not start" >&2; exit 1; }
  sleep 0.25
done
amqp=$(grep '^ConnectionStrings__messaging=' "$broker_out" | cut -d= -f2-)
[ -n "$amqp" ] || { cat "$broker_out"; echo "the broker did not start in time" >&2; exit 1; }
dotnet bench/BusBench/bin/Release/net10.0/Kim.BusBench.dll "$amqp" "${1:-20000}" "${2:-100}" "${3:-5000}" "${4:-3}"
