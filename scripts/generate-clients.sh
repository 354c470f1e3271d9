#!/usr/bin/env bash
# Writes the services' OpenAPI documents and generates the web front end's API clients from them (Kiota, pinned in
# .config/dotnet-tools.json). Run after changing an API; commit the documents and the generated code together.
# With --check it fails when the committed documents or clients differ from what the code produces (CI runs it).
set -euo pipefail
cd "$(dirname "$0")/.."

clients=src/WebApp/Clients
documents=$clients/OpenApi
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

# Building with KimOpenApiDocuments runs each service's start-up far enough to describe its endpoints. These settings
# only satisfy its option checks: nothing is connected or written.
export ConnectionStrings__messaging=amqp://document:document@127.0.0.1:1/
export ConnectionStrings__casedb="Data Source=$scratch/casedb.db"
export ConnectionStrings__networkdb="Data Source=$scratch/networkdb.db"
export ConnectionStrings__reportingdb="Data Source=$scratch/reportingdb.db"
export Tenant__Id=document
export Tenant__PseudonymKey=ZG9jdW1lbnQtb25seS1kb2N1bWVudC1vbmx5LWRvY3VtZW50
export Authentication__Authority=http://127.0.0.1/
export Logging__LogLevel__Default=None

mkdir -p "$documents"
dotnet tool restore >/dev/null
describe() { # project [document name] (the ReportingService describes its municipal API, and in state mode the ministry's)
  local project=$1 name=${2:-}
  rm -f "src/$project/obj/$project.OpenApiFiles.cache"
  dotnet build "src/$project" -c "${KIM_CONFIGURATION:-Debug}" -nologo -v quiet -p:KimOpenApiDocuments="$PWD/$documents" ${name:+-p:KimOpenApiName=$name} \
    >"$scratch/$project.log" 2>&1 || { cat "$scratch/$project.log"; exit 1; }
}
for project in CaseService NetworkService ReportingService; do
  describe "$project"
done
Reporting__Mode=State describe ReportingService stateservice

generate() { # name document namespace
  dotnet kiota generate --language CSharp --openapi "$documents/$2.json" --output "$clients/$1" \
    --class-name "${1}Client" --namespace-name "Kim.WebApp.Clients.$1" --exclude-backward-compatible \
    --clean-output --log-level Warning >/dev/null
}
generate CaseService caseservice
generate Network networkservice
generate Reporting reportingservice
generate State stateservice

if [[ "${1:-}" == "--check" ]]; then
  if ! git diff --quiet -- "$clients" || [[ -n "$(git ls-files --others --exclude-standard -- "$clients")" ]]; then
    echo "The API clients differ from the services' OpenAPI documents: run scripts/generate-clients.sh and commit." >&2
    git status --short -- "$clients" >&2
    exit 1
  fi
  echo "API clients match the services' OpenAPI documents."
fi
