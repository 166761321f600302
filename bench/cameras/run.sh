#!/usr/bin/env bash
# CPU and RSS of the service with N always-on test-pattern pipelines
# (capture + H.264 encode, no sink). Usage: bench/cameras/run.sh [build-dir] [N...]
set -euo pipefail
build=${1:-build}; shift || true
counts=("${@:-0 1 4}")
[ $# -eq 0 ] && counts=(0 1 4)
size=${SIZE:-1280x720}; rate=${RATE:-30}; seconds=${SECONDS_PER_RUN:-10}
port=${PORT:-18804}
hz=$(getconf CLK_TCK)
for n in "${counts[@]}"; do
  state=$(mktemp -d /tmp/camsvc-bench-XXXXXX)
  args=(--define server.host=127.0.0.1 --define server.port=$port --define state.directory="$state"
    --define plugins.enabled=test_auth,cameras
    --define logging.level=warning --define cameras.v4l2.enabled=false)
  for i in $(seq 1 "$n"); do
    args+=(--define "cameras.sources.c$i.url=testsrc://?size=$size&rate=$rate" --define "cameras.sources.c$i.always=true")
  done
  "$build/bin/camera-service" "${args[@]}" > "$state/server.log" 2>&1 &
  pid=$!
  sleep 3 # warm up: encoders started, buffers allocated
  t0=$(awk '{print $14+$15}' /proc/$pid/stat)
  sleep "$seconds"
  t1=$(awk '{print $14+$15}' /proc/$pid/stat)
  rss=$(awk '/VmRSS/{print $2}' /proc/$pid/status)
  threads=$(awk '/Threads/{print $2}' /proc/$pid/status)
  cpu=$(awk -v a="$t0" -v b="$t1" -v hz="$hz" -v s="$seconds" 'BEGIN{printf "%.1f", 100*(b-a)/hz/s}')
  echo "pipelines=$n size=$size rate=$rate cpu_percent_of_one_core=$cpu rss_kb=$rss threads=$threads"
  kill $pid; wait $pid 2>/dev/null || true; rm -rf "$state"
done
