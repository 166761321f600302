#!/usr/bin/env bash
# Sets everything up and runs the service in the foreground with the shipped
# configuration (built-in test-pattern camera). Extra arguments are passed on,
# e.g. scripts/run.sh --define server.port=9000
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec build/bin/camera-service --config=etc/camera-service.properties "$@"
