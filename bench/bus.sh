#!/usr/bin/env bash
# Broker throughput on a private RabbitMQ node: raw RabbitMQ.Client against MassTransit as the platform configures it
# (publish-and-consume, publisher confirms, durable queues, persistent messages, 100 in flight), and the outbox
# dispatcher's drain rate from a SQLite outbox table against MassTransit. Prints TARGET lines.
# Usage: bench/bus.sh [messages per round=20000] [in flight=100] [outbox rows per round=5000] [rounds=3]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/platform.sh
start_bench_broker
dotnet build bench/BusBench -c Release -nologo -v q -clp:ErrorsOnly
dotnet bench/BusBench/bin/Release/net10.0/Kim.BusBench.dll "$ConnectionStrings__messaging" "${1:-20000}" "${2:-100}" "${3:-5000}" "${4:-3}"
