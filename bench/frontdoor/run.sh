#!/usr/bin/env bash
# The front door under hostile load, and downloads against nginx, on loopback
# (load generator on the same machine). Not part of the test suite.
#   bench/frontdoor/run.sh [build-dir]
# Prints: honest-client latency with 300 half-open requests + 50 stalled
# downloads held; RSS growth for 300 anonymous connections parking a
# pre-auth message; threads and RSS with WSS_CONNECTIONS (10,000) wss://
# clients; 1 GB download speed of the service vs Debian's nginx (sendfile).
set -euo pipefail
build=$(realpath "${1:-build}")
ulimit -n "$(ulimit -Hn)" # every connection is a descriptor on both sides
work=$(mktemp -d /tmp/camsvc-frontdoor-XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
token="test:viewer:bench:$(( $(date +%s) + 7200 ))"

start_server() { # port state extra-defines...
  local port=$1 state=$2; shift 2
  mkdir -p "$state"
  "$build/bin/camera-service" --define server.host=127.0.0.1 --define server.port="$port" \
    --define state.directory="$state" \
    --define plugins.enabled=test_auth,storage --define logging.level=warning "$@" > "$state/server.log" 2>&1 &
  pids+=($!)
  server_pid=$!
}
wait_http() { for _ in $(seq 200); do curl -skfI "$1" >/dev/null 2>&1 && return 0; sleep 0.05; done; echo "server did not start" >&2; exit 1; }

# ---- hostile clients and pre-auth memory (plain)
port=$(free_port)
state="$work/plain"
mkdir -p "$state/recordings"
head -c $((64 * 1024 * 1024)) /dev/urandom > "$state/recordings/camera0_2026-01-01_00-00-00.mp4"
start_server "$port" "$state"
wait_http "http://127.0.0.1:$port/health"
echo "idle: rss_kb=$(awk '/VmRSS/{print $2}' /proc/$server_pid/status) threads=$(awk '/Threads/{print $2}' /proc/$server_pid/status)"
"$build/bin/frontdoor_bench" --mode=hostile --port="$port" --server-pid="$server_pid" --token="$token" \
  --download=/files/recordings/camera0_2026-01-01_00-00-00.mp4
"$build/bin/frontdoor_bench" --mode=preauth --port="$port" --server-pid="$server_pid" --park=65000
echo "after: threads=$(awk '/Threads/{print $2}' /proc/$server_pid/status)"

# ---- 10,000 wss:// connections
tls="$work/tls"
mkdir -p "$tls"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$tls/key.pem" -out "$tls/cert.pem" \
  -days 1 -subj /CN=localhost 2>/dev/null
tport=$(free_port)
start_server "$tport" "$tls/state" --define server.tls.certificate="$tls/cert.pem" --define server.tls.private_key="$tls/key.pem" \
  --define server.websocket.idle_timeout=0
wait_http "https://127.0.0.1:$tport/health"
"$build/bin/frontdoor_bench" --mode=wss --port="$tport" --server-pid="$server_pid" --token="$token" --connections="${WSS_CONNECTIONS:-10000}"

# ---- 1 GB download: the service vs nginx, same file, same run
if ! command -v nginx >/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx >/dev/null
fi
big="$state/recordings/camera0_2026-01-02_00-00-00.mp4"
head -c $((1024 * 1024 * 1024)) /dev/urandom > "$big"
nport=$(free_port)
mkdir -p "$work/nginx/logs"
cat > "$work/nginx/nginx.conf" <<CONF
user root;
worker_processes 1;
error_log $work/nginx/logs/error.log;
pid $work/nginx/nginx.pid;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  server { listen 127.0.0.1:$nport; root $state; }
}
CONF
nginx -c "$work/nginx/nginx.conf" -p "$work/nginx" -g 'daemon off;' &
pids+=($!)
wait_http "http://127.0.0.1:$nport/recordings/$(basename "$big")" || { cat "$work/nginx/logs/error.log"; exit 1; }
cat "$big" > /dev/null # both read it from the page cache
speed() { curl -s -o /dev/null -w '%{speed_download}' "$@"; }
ours=0; theirs=0
for round in 1 2 3; do
  o=$(speed -H "Authorization: Bearer $token" "http://127.0.0.1:$port/files/recordings/$(basename "$big")")
  n=$(speed "http://127.0.0.1:$nport/recordings/$(basename "$big")")
  echo "download round $round: camera-service $(( ${o%.*} / 1048576 )) MB/s, nginx $(( ${n%.*} / 1048576 )) MB/s"
  (( ${o%.*} > ours )) && ours=${o%.*}
  (( ${n%.*} > theirs )) && theirs=${n%.*}
done
python3 -c "print('download 1 GB best of 3: camera-service %.0f MB/s, nginx %.0f MB/s, ratio %.2f' % ($ours/1048576, $theirs/1048576, $ours/$theirs))"
