#!/usr/bin/env bash
# The open-loop baseline of issue 16: `samverkan load` against a fresh `samverkan dev` per run (its
# own data folder, the default ports, the per-user rate limit off), each run 60 s (DURATION=10m:
# ten minutes), with the dev process's peak memory and CPU time after it. Run it on a quiet
# machine: the figures are worth nothing beside other work. EXTRA_ENV adds settings to dev, e.g.
#   EXTRA_ENV="SAMVERKAN_WORKER_POLLERS=8" scripts/load-baseline.sh concerns:15
# The API's bound on requests waiting on Temporal is on, as deployed; after each run the count of
# requests it shed is printed. EXTRA_ENV="SAMVERKAN_API_MAX_INFLIGHT_WRITES=off" shows the system
# without it.
# Arguments are SCENARIO:RATE pairs (default: concerns at 10, 15 and 30 a second, commands at 20 and 50).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(mktemp -d)/samverkan
CGO_ENABLED=0 go build -o "$bin" ./cmd/samverkan

run() { # scenario rate
  local scenario=$1 rate=$2 dir pid
  dir=$(mktemp -d)
  # shellcheck disable=SC2086 # EXTRA_ENV is a list of NAME=VALUE words
  env SAMVERKAN_DATA_DIR="$dir" SAMVERKAN_RATE_PER_USER=off SAMVERKAN_LOG_LEVEL=warn ${EXTRA_ENV:-} "$bin" dev >"$dir/dev.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 120); do curl -sf http://127.0.0.1:8080/readyz >/dev/null && break; sleep 0.5; done
  echo "=== $scenario at $rate/s for ${DURATION:-60s} ${EXTRA_ENV:-} (load average before: $(cut -d' ' -f1-3 /proc/loadavg))"
  SAMVERKAN_DATA_DIR="$dir" "$bin" load --scenario "$scenario" --rate "$rate" --duration "${DURATION:-60s}" --cases 50 2>/dev/null
  curl -s http://127.0.0.1:8080/metrics | grep '^samverkan_http_requests_shed_total' || true
  echo "dev: peak $(awk '/VmHWM/ {print $2/1024 " MB"}' /proc/$pid/status), CPU $(awk '{print ($14+$15)/100 " s"}' /proc/$pid/stat); load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
  kill "$pid"; wait "$pid" 2>/dev/null || true
  rm -rf "$dir"
  sleep 5
}

pairs=("$@")
[ ${#pairs[@]} -gt 0 ] || pairs=(concerns:10 concerns:15 concerns:30 command:20 command:50)
for p in "${pairs[@]}"; do run "${p%%:*}" "${p##*:}"; done
