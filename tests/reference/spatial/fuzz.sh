#!/bin/sh
# Ad-hoc cross-check of resample() against ITK 5.2 on random geometries (2D/3D; identity,
# permuted/flipped and oblique directions; size-1 axes; uint8/int16/float32; all interpolators).
# Usage: tests/reference/spatial/fuzz.sh [seed] [count]   (needs make-reference.sh's tool build)
set -e
HERE=$(cd "$(dirname "$0")" && pwd)
rm -rf /tmp/spatial-fuzz
/usr/bin/python3 "$HERE/fuzz_cases.py" "${1:-1}" "${2:-200}" /tmp/itk-resample-build/itk-resample
cd "$HERE/../../.." && npx tsx tests/reference/spatial/fuzz_compare.ts
