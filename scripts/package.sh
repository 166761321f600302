#!/usr/bin/env bash
# Builds the Debian packages camera-service and camera-service-dev from this
# tree (a clean clone is enough): scripts/setup.sh installs what is missing and
# builds BUILD_DIR as usual, then debian/rules packs that build (nothing is
# compiled twice). The last line printed is the path of
# camera-service_<version>_<arch>.deb; camera-service-dev_... is beside it.
# Usage: scripts/package.sh   (BUILD_DIR as for setup.sh; DEB_OUT, default BUILD_DIR/deb)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

build_dir=$(realpath "${BUILD_DIR:-build}")
out=$(realpath -m "${DEB_OUT:-$build_dir/deb}")
version=$(dpkg-parsechangelog -SVersion)
project_version=$(sed -n 's/^project(camera-service VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)
if [ "$version" != "$project_version" ]; then
  echo "debian/changelog is at $version but CMakeLists.txt at $project_version: add a changelog entry (dch -v $project_version)" >&2
  exit 1
fi
arch=$(dpkg-architecture -qDEB_HOST_ARCH)

dpkg-checkbuilddeps
# Rules-Requires-Root: no: dpkg-deb makes every file root's without fakeroot.
export DEB_RULES_REQUIRES_ROOT=no
rm -f "$out"/camera-service{,-dev}_"${version}"_"${arch}".deb
debian/rules clean
debian/rules binary BUILD_DIR="$build_dir" DEB_OUT="$out"
debian/rules clean
deb="$out/camera-service_${version}_${arch}.deb"
test -f "$deb"
echo "$deb"
