#!/usr/bin/env bash
# Sets everything up and runs the whole test suite (ctest), including the
# out-of-tree example plugin. This is what CI runs.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
# In CI no test may skip: a missing input or privilege is a failure (tests/support/RequireAll.h).
export CAMSVC_REQUIRE_ALL_TESTS=1
ctest --test-dir "${BUILD_DIR:-build}" --output-on-failure -j"$(nproc)"
# The Debian package: builds it, installs it with apt, runs it, purges it (root or sudo).
tests/package/package_test.sh
