#!/usr/bin/env bash
# Installs the service and SDK into a temporary prefix, builds
# examples/hello-plugin out of tree against it with find_package, and runs
# HelloPluginTest against the installed binary with the new plugin.
set -euo pipefail
build_dir=$1; source_dir=$2; test_binary=$3; test_auth=$4; plugin_subdir=$5
prefix=$(mktemp -d /tmp/camsvc-install-XXXXXX)
trap 'rm -rf "$prefix"' EXIT
cmake --install "$build_dir" --prefix "$prefix" >/dev/null
cmake -S "$source_dir/examples/hello-plugin" -B "$prefix/hello-build" -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$prefix/hello-build" >/dev/null
cmake --install "$prefix/hello-build" --prefix "$prefix" >/dev/null
plugins="$prefix/$plugin_subdir"
test -f "$plugins/hello.so"
cp "$test_auth" "$plugins/"
CAMSVC_BINARY="$prefix/bin/camera-service" CAMSVC_PLUGIN_DIR="$plugins" "$test_binary"
