#!/usr/bin/env bash
# What the gateway costs: the same CaseService GET with a person's access token, called directly, through nginx
# (HTTP/1.1 keep-alive upstream) and through the gateway; saturated throughput (wrk) and added latency at a fixed rate.
# Starts the platform (Release, own data folder, the gateway's per-user limits lifted) and an nginx of its own.
# Usage: bench/gateway.sh [rounds=3] [seconds per run=10] [rate=2000]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/platform.sh
command -v nginx >/dev/null && command -v wrk >/dev/null \
  || apt-get -o DPkg::Lock::Timeout=300 install -y -qq nginx wrk >/dev/null
data="$PWD/.data-bench-gateway"
start_bench_platform bench/GatewayBench "$data"

direct_port=8110 gateway_port=8080 nginx_port=8190
conf=$(mktemp -d)
cat >"$conf/nginx.conf" <<EOF
worker_processes auto;
pid $conf/nginx.pid;
error_log $conf/error.log warn;
events { worker_connections 4096; }
http {
  access_log $conf/access.log combined buffer=64k;
  client_body_temp_path $conf; proxy_temp_path $conf; fastcgi_temp_path $conf; uwsgi_temp_path $conf; scgi_temp_path $conf;
  upstream caseservice { server 127.0.0.1:$direct_port; keepalive 64; }
  server {
    listen 127.0.0.1:$nginx_port;
    location / {
      proxy_pass http://caseservice;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host;
    }
  }
}
EOF
nginx -c "$conf/nginx.conf" -p "$conf"
bench_on_exit() { nginx -c "$conf/nginx.conf" -p "$conf" -s quit 2>/dev/null || true; rm -rf "$conf"; }

# The platform's own start-up work (migrations, first projections, the front end's first pages) settles first.
sleep 15
listener() { ss -ltnpH "sport = :$1" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2; }
nginx_workers=$(pgrep -d, -P "$(cat "$conf/nginx.pid")")
dotnet bench/GatewayBench/bin/Release/net10.0/Kim.GatewayBench.dll "$data" \
  "http://127.0.0.1:$direct_port/" "http://127.0.0.1:$nginx_port/" "http://127.0.0.1:$gateway_port/" \
  "api/tenants/kommune/cases?take=1" "${1:-3}" "${2:-10}" "${3:-2000}" \
  "gateway=$(listener $gateway_port)" "nginx=$nginx_workers" "caseservice=$(listener $direct_port)"
