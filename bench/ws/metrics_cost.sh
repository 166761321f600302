#!/usr/bin/env bash
# Ping throughput over 16 connections with per-call timing and the metrics
# plugin on, then off, alternating: the cost of the counters.
# Usage: bench/ws/metrics_cost.sh [build-dir] [rounds]
set -euo pipefail
build=${1:-build}; rounds=${2:-3}
port=${PORT:-18803}
run() {
  local timing=$1 plugins=$2
  local state; state=$(mktemp -d /tmp/camsvc-bench-XXXXXX)
  "$build/bin/camera-service" --define server.host=127.0.0.1 --define server.port=$port \
    --define state.directory="$state" \
    --define plugins.enabled="$plugins" --define logging.level=warning \
    --define server.metrics.timing=$timing > "$state/server.log" 2>&1 &
  local pid=$!
  for i in $(seq 100); do curl -sf "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break; sleep 0.05; done
  echo "timing=$timing plugins=$plugins $("$build/bin/ws_bench" --port=$port --mode=ping --connections=16 --seconds=${SECONDS_PER_RUN:-5})"
  kill $pid; wait $pid 2>/dev/null || true; rm -rf "$state"
}
for r in $(seq "$rounds"); do
  run true test_auth,metrics
  run false test_auth
done
