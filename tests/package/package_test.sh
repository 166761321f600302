#!/usr/bin/env bash
# The Debian package end to end, on this machine (scripts/test.sh runs it after
# ctest; it needs root, or sudo): scripts/package.sh builds it, lintian finds no
# errors, apt installs it, the unit passes systemd-analyze verify, the
# installed binary runs as the service user with the installed configuration
# on a free loopback port (no systemd as PID 1 here, so directly, via setpriv)
# and answers /health and a call with a token from the installed
# camera-service-admin, examples/hello-plugin builds against the installed SDK
# and loads into the installed binary, remove keeps configuration and state,
# purge leaves nothing behind. Whatever happens, it stops what it started and
# purges what it installed: CI and developers share machines.
# Usage: tests/package/package_test.sh   (BUILD_DIR as for scripts/setup.sh)
set -euo pipefail
cd "$(dirname "$0")/../.."

fail() { echo "package test: FAIL: $*" >&2; exit 1; }
step() { echo "package test: $*"; }

if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || fail "needs root (it installs and purges the package with apt) and there is no sudo"
  exec sudo --preserve-env=BUILD_DIR,DEB_OUT "$0" "$@"
fi

# One run at a time per machine: two would install and purge the same package.
# flock -o holds the lock itself, so nothing this script starts inherits it.
if [ -z "${CAMSVC_PACKAGE_TEST_LOCKED:-}" ]; then
  export CAMSVC_PACKAGE_TEST_LOCKED=1
  exec flock -o -w 900 /run/lock/camera-service-package-test.lock "$0" "$@"
fi

status=$(dpkg-query -W -f='${db:Status-Status}' camera-service 2>/dev/null || true)
for leftover in /etc/camera-service /var/lib/camera-service /var/log/camera-service; do
  [ ! -e "$leftover" ] || fail "$leftover exists: this test installs and purges camera-service, which would take it over; move it away (or apt-get purge camera-service) first"
done
[ -z "$status" ] || [ "$status" = not-installed ] ||
  fail "camera-service is installed here ($status): this test would purge it; apt-get purge camera-service first"
! getent passwd camera-service >/dev/null || fail "the user camera-service exists: this test creates and deletes it; deluser --system camera-service first"

multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
admin_config=/etc/camera-service/camera-service.properties
unit=/lib/systemd/system/camera-service.service
work=$(mktemp -d /tmp/camsvc-package-XXXXXX)
server_pid=""
installed=0
cleanup() {
  local rc=$?
  if [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; then wait "$server_pid" 2>/dev/null || true; fi
  if [ "$installed" = 1 ]; then
    echo "package test: purging what it installed" >&2
    DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq -o DPkg::Lock::Timeout=300 \
      camera-service-dev camera-service >/dev/null 2>&1 || dpkg --purge camera-service-dev camera-service >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Runs in a subshell ($(...) or &) and becomes the command, so $! is its pid.
as_service() { exec setpriv --reuid=camera-service --regid=camera-service --init-groups -- "$@"; }
free_port() { # a TCP port no socket uses, below the ephemeral range (as tests/support's freePort: bound right after)
  local port
  for _ in $(seq 100); do
    port=$((20000 + RANDOM % 12000))
    grep -q "$(printf ':%04X ' "$port")" /proc/net/tcp /proc/net/tcp6 2>/dev/null || { echo "$port"; return; }
  done
  fail "found no free TCP port"
}
wait_for_log() { # PATTERN: prints its first match in the server's log, as soon as it is there
  timeout 30 grep -m1 -o -e "$1" < <(tail -n +1 -F --pid="$server_pid" "$work/server.log" 2>/dev/null) ||
    { cat "$work/server.log" >&2; fail "the installed service did not log '$1' within 30 s"; }
}

step "building the package"
scripts/package.sh | tee "$work/package.log"
deb=$(tail -n 1 "$work/package.log")
dev="$(dirname "$deb")/$(basename "$deb" | sed 's/^camera-service_/camera-service-dev_/')"
[[ "$(basename "$deb")" =~ ^camera-service_[0-9][^_]*_[a-z0-9]+\.deb$ ]] || fail "package.sh's last line is not camera-service_<version>_<arch>.deb: $deb"
[ -f "$deb" ] && [ -f "$dev" ] || fail "missing $deb or $dev"

step "lintian"
lintian --fail-on error --display-info "$deb" "$dev" || fail "lintian reports errors (docs/packaging.md lists the accepted tags)"

step "installing with apt"
installed=1
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=300 "$deb" "$dev" >/dev/null

for path in /usr/bin/camera-service /usr/bin/camera-service-admin "$admin_config" "$unit" \
    /usr/lib/"$multiarch"/camera-service/plugins/{auth,metrics,storage,cameras,snapshots,recording,mediamtx}.so \
    /usr/share/man/man8/camera-service.8.gz /usr/share/man/man8/camera-service-admin.8.gz \
    /usr/include/camsvc/sdk/Plugin.h /usr/lib/cmake/CameraServiceSDK/CameraServiceSDKConfig.cmake; do
  [ -e "$path" ] || fail "the package did not install $path"
done
dpkg-query -W -f='${Conffiles}\n' camera-service | grep -q " $admin_config " || fail "$admin_config is not a conffile"
[ "$(stat -c '%U:%G %a' "$admin_config")" = "root:camera-service 640" ] ||
  fail "$admin_config is $(stat -c '%U:%G %a' "$admin_config"), not root:camera-service 640"
getent passwd camera-service | grep -q ':/usr/sbin/nologin$' || fail "camera-service is not a system user without a login shell"
id -nG camera-service | grep -qw video || fail "camera-service is not in the group video (/dev/video*)"
[ "$(stat -c %U /var/lib/camera-service)" = camera-service ] || fail "/var/lib/camera-service is not owned by camera-service"
(( (8#$(stat -c %a /var/lib/camera-service) & 8#027) == 0 )) || fail "/var/lib/camera-service is mode $(stat -c %a /var/lib/camera-service), looser than 0750"
[ -L /etc/systemd/system/multi-user.target.wants/camera-service.service ] || fail "postinst did not enable the unit"

step "systemd-analyze verify and security"
systemd-analyze verify "$unit" || fail "systemd-analyze verify rejects $unit"
exposure=$(systemd-analyze security --offline=yes "$unit" | sed -n 's/.*Overall exposure level for .*: \([0-9.]*\).*/\1/p')
echo "package test: systemd-analyze security exposure $exposure"
awk -v e="$exposure" 'BEGIN { exit !(e != "" && e <= 2.0) }' ||
  fail "unit exposure $exposure is above 2.0 (docs/packaging.md reports 1.5): a hardening setting was lost"

step "running the installed binary as camera-service"
port=$(free_port)
as_service /usr/bin/camera-service --config="$admin_config" \
  --define server.host=127.0.0.1 --define server.port="$port" >"$work/server.log" 2>&1 &
server_pid=$!
wait_for_log "listening on 127\.0\.0\.1:$port" >/dev/null
health=$(curl -sS --max-time 10 "http://127.0.0.1:$port/health")
[[ "$health" == *'"status":"ok"'* ]] || fail "/health answered $health"
for plugin in $(sed -n 's/^plugins.enabled *= *//p' "$admin_config" | tr ',' ' '); do
  grep -q "plugin $plugin .* started" "$work/server.log" || { cat "$work/server.log" >&2; fail "plugin $plugin did not start from the installed plugin directory"; }
done
[ "$(stat -c '%U %a' /var/lib/camera-service/jwt_secret)" = "camera-service 600" ] || fail "the generated JWT secret is not the service's, mode 0600"

token=$(as_service /usr/bin/camera-service-admin --config="$admin_config" token --role viewer --user package-test --ttl 300)
reply=$(curl -sS --max-time 10 -H "Authorization: Bearer $token" -d '{"jsonrpc":"2.0","method":"ping","id":1}' "http://127.0.0.1:$port/rpc")
[ "$reply" = '{"jsonrpc":"2.0","id":1,"result":"pong"}' ] || fail "ping with the admin tool's token answered $reply"
reply=$(curl -sS --max-time 10 -d '{"jsonrpc":"2.0","method":"ping","id":1}' "http://127.0.0.1:$port/rpc")
[[ "$reply" == *'"code":-32001'* ]] || fail "ping without a token answered $reply"

kill -TERM "$server_pid"
server_rc=0
wait "$server_pid" || server_rc=$?
server_pid=""
[ "$server_rc" = 0 ] || { cat "$work/server.log" >&2; fail "the installed service exited $server_rc on SIGTERM, not 0"; }

step "building examples/hello-plugin against the installed SDK"
cmake -S examples/hello-plugin -B "$work/hello" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$work/hello" >/dev/null
cmake --install "$work/hello" --prefix "$work/prefix" >/dev/null
plugins="$work/prefix/lib/$multiarch/camera-service/plugins"
[ -f "$plugins/hello.so" ] || fail "camsvc_add_plugin did not install hello.so into lib/$multiarch/camera-service/plugins"
build_dir=${BUILD_DIR:-build}
cp "$build_dir/lib/$multiarch/camera-service/plugins/test_auth.so" "$plugins/"
CAMSVC_BINARY=/usr/bin/camera-service CAMSVC_PLUGIN_DIR="$plugins" "$build_dir/bin/example_hello_test" >"$work/hello.log" 2>&1 ||
  { cat "$work/hello.log" >&2; fail "the installed binary does not load and serve hello.so"; }

step "remove keeps configuration, state and user"
DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq -o DPkg::Lock::Timeout=300 camera-service-dev camera-service >/dev/null
[ ! -e /usr/bin/camera-service ] || fail "remove left /usr/bin/camera-service"
[ -f "$admin_config" ] && [ -f /var/lib/camera-service/jwt_secret ] && getent passwd camera-service >/dev/null ||
  fail "remove deleted configuration, state or user (only purge may)"

step "purge leaves nothing"
DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq -o DPkg::Lock::Timeout=300 camera-service-dev camera-service >/dev/null
installed=0
left=()
while read -r entry; do
  path=${entry#.}
  [ -n "$path" ] && [ "${path: -1}" != / ] && [ -e "$path" ] && left+=("$path")
done < <(for package in "$deb" "$dev"; do dpkg-deb --fsys-tarfile "$package" | tar -t; done)
for path in /etc/camera-service /var/lib/camera-service /var/log/camera-service \
    /etc/systemd/system/multi-user.target.wants/camera-service.service \
    /var/lib/systemd/deb-systemd-helper-enabled/camera-service.service \
    /var/lib/systemd/deb-systemd-helper-enabled/multi-user.target.wants/camera-service.service; do
  [ ! -e "$path" ] || left+=("$path")
done
[ ${#left[@]} -eq 0 ] || fail "purge left ${left[*]}"
! getent passwd camera-service >/dev/null || fail "purge left the user camera-service"
! getent group camera-service >/dev/null || fail "purge left the group camera-service"
! dpkg-statoverride --list | grep -q camera-service || fail "purge left a dpkg-statoverride"
[ "$(dpkg-query -W -f='${db:Status-Status}' camera-service 2>/dev/null || echo not-installed)" = not-installed ] ||
  fail "dpkg still knows camera-service after purge"
step "ok"
