#!/usr/bin/env bash
# The build with FFmpeg linked directly (-DCAMSVC_LAZY_FFMPEG=OFF, what a
# non-x86-64 build gets) into build-direct/: builds the service and every
# plugin that uses FFmpeg, then runs two quick media tests against it - the
# stubs' test (which then checks FFmpeg was linked, not stubbed) and the
# cameras through the running server (capture, encode, and a changed FFmpeg
# refused at plugin load). Only those targets, to keep CI short; through
# ccache, shared with scripts/setup.sh's build, only the sources that see
# FFmpeg compile again. Usage: scripts/direct-ffmpeg.sh (BUILD_DIR, JOBS).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --packages-only
dir=${BUILD_DIR:-build-direct}
jobs=${JOBS:-$(nproc)}
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD} # hits on scripts/setup.sh's objects (the core, the SDK, the tests' support)
launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
start=$(date +%s)
cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Release -DCAMSVC_LAZY_FFMPEG=OFF -DCAMSVC_BUILD_BENCH=OFF "${launcher[@]}" >/dev/null
grep -q "CAMSVC_LAZY_FFMPEG:BOOL=OFF" "$dir/CMakeCache.txt"
cmake --build "$dir" -j"$jobs" --target camera-service plugin_test_auth plugin_cameras plugin_console plugin_mediamtx \
  plugin_recording plugin_snapshots plugin_storage lazy_ffmpeg_test cameras_server_test
built=$(date +%s)
echo "direct-ffmpeg.sh: build $((built - start)) s"
CAMSVC_REQUIRE_ALL_TESTS=1 ctest --test-dir "$dir" --output-on-failure -R '^(lazy_ffmpeg_test|cameras_server_test)$'
echo "direct-ffmpeg.sh: tests $(( $(date +%s) - built )) s"
