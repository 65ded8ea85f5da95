#!/bin/sh
# ITK 5.2 OrientImageFilter outputs for the reorientImage tests (tests/unit/spatial/reorient-itk.test.ts).
# Needs Debian's cmake, g++, libinsighttoolkit5-dev, python3-nibabel. Writes itk-orient-fixtures/.
set -e
HERE=$(cd "$(dirname "$0")" && pwd)
BUILD=/tmp/itk-orient-build
OUT="$HERE/itk-orient-fixtures"
cmake -S "$HERE/itk-orient" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release > /dev/null
cmake --build "$BUILD" > /dev/null
rm -rf "$OUT" && mkdir -p "$OUT"
# Input: 5×6×7 float32, value = i + 10 j + 100 k, stored with permuted and flipped axes (voxel axes
# toward A, I, L in RAS terms) at anisotropic spacing and an off-centre origin.
/usr/bin/python3 - "$OUT/input.nii" <<'PY'
import sys, numpy as np, nibabel as nib
i, j, k = np.meshgrid(np.arange(5), np.arange(6), np.arange(7), indexing='ij')
data = (i + 10 * j + 100 * k).astype(np.float32)
aff = np.array([[0, 0, -2.5, 30.0], [1.2, 0, 0, -14.0], [0, -0.8, 0, 22.5], [0, 0, 0, 1]])
img = nib.Nifti1Image(data, aff)
img.set_qform(aff, code=1)
img.set_sform(aff, code=1)
nib.save(img, sys.argv[1])
PY
for code in RAI LPI RAS LPS AIR ASL ILP PIR SAL IRP; do
  "$BUILD/itk-orient" "$OUT/input.nii" "$OUT/itk-$code.nii" "$code"
done
ls "$OUT"
