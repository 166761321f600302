#!/usr/bin/env bash
# Sets everything up and runs the service in the foreground with the shipped
# configuration (built-in test-pattern camera). Extra arguments are passed on,
# e.g. scripts/run.sh --define server.port=9000
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
args=()
# Without root, keep the service's state (keys, catalog, media) under ./var.
[ -w /var/lib ] || args+=(--define "state.directory=$PWD/var/camera-service")
exec build/bin/camera-service --config=etc/camera-service.properties "${args[@]}" "$@"
