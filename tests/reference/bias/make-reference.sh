#!/bin/sh
# Builds the ITK 5.2 reference N4 tool in /tmp/itk-n4-build (needs libinsighttoolkit5-dev),
# then regenerates the fixtures with make_fixture.py.
set -e
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p /tmp/itk-n4-build
cd /tmp/itk-n4-build
cmake -DCMAKE_BUILD_TYPE=Release "$here/itk-n4" >/dev/null
make -j2
if [ "$1" != "--build-only" ]; then
  /usr/bin/python3 "$here/make_fixture.py"
fi
