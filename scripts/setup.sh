#!/usr/bin/env bash
# Installs what is missing (Debian 12 packages) and builds the service into build/.
# Usage: scripts/setup.sh   (BUILD_DIR and BUILD_TYPE may be set in the environment)
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(build-essential cmake pkg-config libpoco-dev libboost-dev libboost-filesystem-dev
  libavformat-dev libavcodec-dev libavdevice-dev libavfilter-dev libswscale-dev libv4l-dev
  ffmpeg libgtest-dev libgmock-dev chromium
  debhelper help2man lintian curl systemd) # scripts/package.sh and tests/package/
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

BUILD_DIR=${BUILD_DIR:-build}
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-Release}" >/dev/null
cmake --build "$BUILD_DIR" -j"$(nproc)"
