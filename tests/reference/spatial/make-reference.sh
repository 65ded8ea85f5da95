#!/bin/sh
# Builds the ITK 5.2 reference resampler (libinsighttoolkit5-dev) in /tmp and regenerates
# tests/reference/spatial/fixtures. Needs the Debian packages: cmake, g++, libinsighttoolkit5-dev,
# python3-nibabel, python3-pydicom, mricron-data (ch2.nii.gz).
set -e
HERE=$(cd "$(dirname "$0")" && pwd)
BUILD=/tmp/itk-resample-build
mkdir -p "$BUILD"
cmake -S "$HERE/itk-resample" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release > /dev/null
cmake --build "$BUILD" > /dev/null
rm -rf "$HERE/fixtures"
/usr/bin/python3 "$HERE/make_fixtures.py" "$BUILD/itk-resample"
