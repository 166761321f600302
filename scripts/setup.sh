#!/usr/bin/env bash
# Installs what is missing (Debian 12 packages) and builds the service into build/.
# Usage: scripts/setup.sh   (BUILD_DIR and BUILD_TYPE may be set in the environment)
#        scripts/setup.sh --packages-only   (only the packages; scripts/sanitize.sh, fuzz.sh)
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(build-essential cmake pkg-config libpoco-dev libboost-dev libboost-filesystem-dev
  libavformat-dev libavcodec-dev libavdevice-dev libavfilter-dev libswscale-dev libv4l-dev
  ffmpeg libgtest-dev libgmock-dev chromium libmosquitto-dev mosquitto
  debhelper help2man lintian curl systemd # scripts/package.sh and tests/package/
  clang libclang-rt-14-dev # scripts/fuzz.sh (libFuzzer)
  ccache) # scripts/direct-ffmpeg.sh reuses this build's objects
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

[ "${1:-}" = --packages-only ] && exit 0

BUILD_DIR=${BUILD_DIR:-build}
# Through ccache (paths relative to the tree), so that a second build of the
# tree with other options (scripts/direct-ffmpeg.sh) compiles only what differs.
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD}
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-Release}" \
  -DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache >/dev/null
cmake --build "$BUILD_DIR" -j"$(nproc)"
