#!/usr/bin/env bash
# Starts the whole KIM platform on this machine with .NET Aspire (broker, services, one CaseService per tenant,
# gateway, the Aspire dashboard) until Ctrl+C. Extra arguments go to AppHost, e.g. ./run.sh --Platform:GatewayPort=9090
set -euo pipefail
cd "$(dirname "$0")"
source scripts/prerequisites.sh
ensure_prerequisites
exec dotnet run --project src/AppHost -- "$@"
