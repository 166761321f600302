#!/usr/bin/env bash
# Runs the transport benchmarks against a fresh server on loopback (test
# authenticator, every built plugin of the build tree available but only
# test_auth and test_tools enabled unless PLUGINS is set).
# Usage: bench/ws/run.sh [build-dir]
set -euo pipefail
build=${1:-build}
port=${PORT:-18802}
state=$(mktemp -d /tmp/camsvc-bench-XXXXXX)
"$build/bin/camera-service" --define server.host=127.0.0.1 --define server.port=$port \
  --define state.directory="$state" \
  --define plugins.enabled="${PLUGINS:-test_auth,test_tools}" --define logging.level=warning \
  --define server.websocket.idle_timeout=0 --define server.io_threads=${IO_THREADS:-2} > "$state/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$state"' EXIT
for i in $(seq 100); do curl -sf "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break; sleep 0.05; done
sleep 1
echo "idle_rss_kb=$(awk '/VmRSS/{print $2}' /proc/$pid/status) threads=$(awk '/Threads/{print $2}' /proc/$pid/status)"
"$build/bin/ws_bench" --port=$port --mode=ping --connections=1 --seconds=${SECONDS_PER_RUN:-10}
"$build/bin/ws_bench" --port=$port --mode=ping --connections=16 --seconds=${SECONDS_PER_RUN:-10}
"$build/bin/ws_bench" --port=$port --mode=idle --connections=${IDLE_CONNECTIONS:-10000} --server-pid=$pid --hold=3
"$build/bin/ws_bench" --port=$port --mode=notify --connections=${NOTIFY_CONNECTIONS:-1000} --rounds=${NOTIFY_ROUNDS:-200}
