"""Builds the spatial (resampling) fixtures against ITK 5.2's ResampleImageFilter.

Run through make-reference.sh (which builds the C++ tool first):
  /usr/bin/python3 make_fixtures.py <path to itk-resample binary>

Inputs are small blocks of real data:
  * Colin27 T1 (mricron ch2.nii.gz, uint8, 1 mm): int16 = 8*v - 300 (CT-like range with
    negatives, so integer casts and clamping matter) and float32 = 0.731*v + 3.25.
    Geometry is what ITK's NIfTI reader gives (LPS: direction diag(-1,-1,1)).
  * pydicom's CT_small.dcm (128x128 int16, 0.661468 mm) as a 2D image.
Outputs are written by ITK; cases.json lists every case with its full geometry.
"""
import json
import math
import os
import subprocess
import sys

import nibabel as nib
import numpy as np
import pydicom

HERE = os.path.dirname(os.path.abspath(__file__))
FIX = os.path.join(HERE, 'fixtures')
TOOL = sys.argv[1]
os.makedirs(FIX, exist_ok=True)

NP = {'int16': np.int16, 'float32': np.float32, 'uint8': np.uint8}


def rot(rz_deg, rx_deg):
    """Rotation about z then x, as a row-major 3x3 direction matrix."""
    a, b = math.radians(rz_deg), math.radians(rx_deg)
    rz = np.array([[math.cos(a), -math.sin(a), 0], [math.sin(a), math.cos(a), 0], [0, 0, 1]])
    rx = np.array([[1, 0, 0], [0, math.cos(b), -math.sin(b)], [0, math.sin(b), math.cos(b)]])
    return rx @ rz


def rot2(deg):
    a = math.radians(deg)
    return np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]])


inputs = {}


def add_input(name, arr_xyz, spacing, origin, direction):
    """arr_xyz is indexed [x, y(, z)]; saved x fastest."""
    path = os.path.join(FIX, f'in_{name}.bin')
    arr_xyz.ravel(order='F').tofile(path)
    inputs[name] = dict(
        file=f'in_{name}.bin', componentType=str(arr_xyz.dtype), size=list(arr_xyz.shape),
        spacing=[float(s) for s in spacing], origin=[float(o) for o in origin],
        direction=[float(d) for d in np.asarray(direction, dtype=float).ravel()])


# --- real-data inputs --------------------------------------------------------
colin = np.asanyarray(nib.load('/usr/share/mricron/templates/ch2.nii.gz').dataobj)  # uint8, RAS, 1 mm


def colin_block(i0, j0, k0, nx, ny, nz):
    block = colin[i0:i0 + nx, j0:j0 + ny, k0:k0 + nz].astype(np.float64)
    # affine: diag(1,1,1), translation (-90,-125,-71) -> ITK LPS origin of the block corner
    origin = [90.0 - i0, 125.0 - j0, -71.0 + k0]
    return block, origin


LPS = np.diag([-1.0, -1.0, 1.0])
b, o = colin_block(70, 90, 70, 40, 48, 36)
add_input('colin16', (8 * b - 300).astype(np.int16), [1, 1, 1], o, LPS)
add_input('colinf', (0.731 * b + 3.25).astype(np.float32), [1, 1, 1], o, LPS)
b, o = colin_block(70, 90, 80, 40, 48, 16)
add_input('colin16aniso', (8 * b - 300).astype(np.int16), [0.7, 0.7, 2.5], o, LPS)
add_input('colin16obl', (8 * b - 300).astype(np.int16), [0.9, 0.9, 1.2], o, rot(25, -12))
b, o = colin_block(85, 100, 85, 12, 10, 8)
add_input('colinsmall', (0.731 * b + 3.25).astype(np.float32), [1, 1, 1], o, LPS)

ct = pydicom.dcmread('/usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm')
ct_px = ct.pixel_array.astype(np.int16)  # rows (y), cols (x)
sp = [float(ct.PixelSpacing[1]), float(ct.PixelSpacing[0])]
add_input('ct2d', ct_px.T.copy(), sp, [float(v) for v in ct.ImagePositionPatient[:2]], np.eye(2))

# --- cases --------------------------------------------------------------------
cases = []


def geometry_from(inp, ci0, spacing, size, direction):
    """Output origin placed at continuous index ci0 of the input."""
    d = np.asarray(inp['direction']).reshape(len(inp['size']), -1)
    o = np.asarray(inp['origin']) + d @ (np.asarray(inp['spacing']) * np.asarray(ci0, dtype=float))
    return dict(size=list(size), spacing=[float(s) for s in spacing], origin=[float(v) for v in o],
                direction=[float(v) for v in np.asarray(direction, dtype=float).ravel()])


def centred(inp, spacing, size, direction, shift):
    """Output grid centred on the input's centre, moved by `shift` mm (so part of it falls outside)."""
    dim = len(inp['size'])
    d_in = np.asarray(inp['direction']).reshape(dim, dim)
    centre = np.asarray(inp['origin']) + d_in @ (np.asarray(inp['spacing']) * (np.asarray(inp['size']) - 1) / 2)
    d_out = np.asarray(direction, dtype=float).reshape(dim, dim)
    o = centre - d_out @ (np.asarray(spacing) * (np.asarray(size) - 1) / 2) + np.asarray(shift, dtype=float)
    return dict(size=list(size), spacing=[float(s) for s in spacing], origin=[float(v) for v in o],
                direction=[float(v) for v in d_out.ravel()])


def to_spacing(inp, spacing):
    size = [max(1, math.floor(n * s / t + 0.5)) for n, s, t in zip(inp["size"], inp["spacing"], spacing)]  # half up, like Math.round
    return dict(size=size, spacing=list(map(float, spacing)), origin=list(inp['origin']), direction=list(inp['direction']))


def add_case(name, inp_name, out, interp, out_type=None, default=0.0, note=''):
    inp = inputs[inp_name]
    out_type = out_type or inp['componentType']
    dim = len(inp['size'])
    params = os.path.join('/tmp', f'spatial_{name}.txt')
    out_file = f'out_{name}.bin'
    toks = [dim, inp['componentType'], out_type, interp, default, os.path.join(FIX, inp['file']), os.path.join(FIX, out_file)]
    toks += inp['size'] + inp['spacing'] + inp['origin'] + inp['direction']
    toks += out['size'] + out['spacing'] + out['origin'] + out['direction']
    with open(params, 'w') as f:
        f.write(' '.join(repr(t) if isinstance(t, float) else str(t) for t in toks) + '\n')
    res = subprocess.run([TOOL, params], capture_output=True, text=True, check=True)
    p2i = [float(line.split('=')[1]) for line in res.stdout.split() if line.startswith('p2i')]
    m = np.zeros((dim, dim))
    k = 0
    for j in range(dim):  # the tool prints column by column
        for i in range(dim):
            m[i, j] = p2i[k]
            k += 1
    cases.append(dict(name=name, input=inp_name, interpolator=interp, outputComponentType=out_type,
                      defaultValue=default, output=out, file=out_file, note=note,
                      itkPhysicalPointToIndex=[float(v) for v in m.ravel()]))


# anisotropic 0.7x0.7x2.5 -> 1 mm (resampleToSpacing semantics: origin and direction kept)
iso = to_spacing(inputs['colin16aniso'], [1, 1, 1])
add_case('aniso_nearest', 'colin16aniso', iso, 'nearest')
add_case('aniso_linear', 'colin16aniso', iso, 'linear')
add_case('aniso_linear_f32', 'colin16aniso', iso, 'linear', 'float32')
add_case('aniso_bspline_f32', 'colin16aniso', iso, 'bspline', 'float32')

# oblique output grid, downsampled to 1.3 mm, partly outside the input
obl = centred(inputs['colin16'], [1.3, 1.3, 1.3], [34, 40, 30], rot(20, 10), [6, -5, 4])
add_case('oblique_nearest', 'colin16', obl, 'nearest', default=-1000)
add_case('oblique_linear', 'colin16', obl, 'linear', default=-1000)
add_case('oblique_linear_f32', 'colin16', obl, 'linear', 'float32', default=-1000)
add_case('oblique_bspline_f32', 'colin16', obl, 'bspline', 'float32')
add_case('oblique_bspline', 'colin16', obl, 'bspline')

# float32 input upsampled by 2 on a grid that starts exactly at ci = -3 and reaches ci = n - 0.5:
# nearest hits exact .5 ties, and both half-voxel borders are sampled
up = geometry_from(inputs['colinf'], [-3, 10, 30], [0.5, 0.5, 0.5], [86, 20, 20], LPS)
add_case('up2_nearest', 'colinf', up, 'nearest', default=-5)
add_case('up2_linear', 'colinf', up, 'linear', default=-5)
add_case('up2_bspline', 'colinf', up, 'bspline', default=-5)

# output direction identity while the input is LPS: the index map flips x and y
flip = centred(inputs['colin16'], [1.1, 1.1, 1.1], [40, 40, 24], np.eye(3), [3, 0, -2])
add_case('flip_nearest', 'colin16', flip, 'nearest')
add_case('flip_linear', 'colin16', flip, 'linear')

# input and output share an oblique direction (resampleToSpacing of an oblique scan)
same = to_spacing(inputs['colin16obl'], [1.4, 1.4, 1.4])
add_case('sameoblique_nearest', 'colin16obl', same, 'nearest')
add_case('sameoblique_linear', 'colin16obl', same, 'linear')
add_case('sameoblique_bspline_f32', 'colin16obl', same, 'bspline', 'float32')

# oblique scan upsampled 2x in-plane on its own oblique grid: ci = i/2 hits exact .5 ties, which
# ITK resolves with the last bits of its SVD-based inverse
up_obl = dict(size=[40, 40, 12], spacing=[0.45, 0.45, 0.6], origin=list(inputs['colin16obl']['origin']),
              direction=list(inputs['colin16obl']['direction']))
add_case('sameoblique_up2_nearest', 'colin16obl', up_obl, 'nearest')
add_case('sameoblique_up2_linear', 'colin16obl', up_obl, 'linear')

# tiny input (12x10x8 < the prefilter horizon of 18): exact mirror initialisation branch
small = centred(inputs['colinsmall'], [0.6, 0.6, 0.6], [22, 18, 16], rot(-15, 8), [0.3, 0.2, -0.4])
add_case('small_bspline', 'colinsmall', small, 'bspline')
add_case('small_linear', 'colinsmall', small, 'linear')

# 2D CT slice: rotated output grid partly outside, and a 2x upsampling with exact ties
ct_rot = centred(inputs['ct2d'], [0.8, 0.8], [100, 100], rot2(30), [12, -8])
add_case('ct_rot_nearest', 'ct2d', ct_rot, 'nearest', default=-1024)
add_case('ct_rot_linear', 'ct2d', ct_rot, 'linear', default=-1024)
add_case('ct_rot_linear_f32', 'ct2d', ct_rot, 'linear', 'float32', default=-1024)
add_case('ct_rot_bspline_f32', 'ct2d', ct_rot, 'bspline', 'float32')
add_case('ct_rot_bspline', 'ct2d', ct_rot, 'bspline', default=-1024)
ct_up = geometry_from(inputs['ct2d'], [-2, 100], [0.661468 / 2, 0.661468 / 2], [90, 64], np.eye(2))
add_case('ct_up2_nearest', 'ct2d', ct_up, 'nearest')
add_case('ct_up2_linear', 'ct2d', ct_up, 'linear')
add_case('ct_up2_bspline', 'ct2d', ct_up, 'bspline')

# 30 small random cases (real Colin27 blocks): identity / permuted+flipped / oblique directions,
# size-1 axes, uint8/int16/float32, x2, x1/2, x1/3 spacings on the same grid or unrelated grids
rr = np.random.default_rng(7)
for t in range(30):
    dim = 2 if t % 3 == 0 else 3
    size = [int(v) for v in rr.integers(3, 11, size=dim)]
    if t % 7 == 3:
        size[int(rr.integers(dim))] = 1
    i0, j0, k0 = (int(v) for v in rr.integers(40, 120, size=3))
    block = colin[i0:i0 + size[0], j0:j0 + size[1], k0:k0 + (size[2] if dim == 3 else 1)].astype(np.float64)
    if dim == 2:
        block = block[:, :, 0]
    typ = ['uint8', 'int16', 'float32'][t % 3 if t % 2 else (t // 2) % 3]
    arr = block.astype(np.uint8) if typ == 'uint8' else (8 * block - 300).astype(np.int16) if typ == 'int16' else (0.731 * block + 3.25).astype(np.float32)

    def random_direction():
        kind = int(rr.integers(3))
        if kind == 0:
            return np.eye(dim)
        if kind == 1:
            return np.eye(dim)[rr.permutation(dim)] * rr.choice([-1.0, 1.0], size=dim)
        q, _ = np.linalg.qr(rr.normal(size=(dim, dim)))
        return q
    d_in = random_direction()
    sp_in = [float(v) for v in np.round(rr.uniform(0.4, 2.5, size=dim), 2)]
    o_in = [float(v) for v in np.round(rr.uniform(-30, 30, size=dim), 2)]
    add_input(f'rnd{t}', arr, sp_in, o_in, d_in)
    if t % 2 == 0:  # same grid family: exact ratios, many ties
        factor = float(rr.choice([0.5, 2.0, 1 / 3]))
        out = dict(size=[int(v) for v in rr.integers(2, 11, size=dim)], spacing=[s * factor for s in sp_in],
                   origin=o_in, direction=[float(v) for v in d_in.ravel()])
    else:
        d_out = random_direction()
        out = centred(inputs[f'rnd{t}'], [float(v) for v in np.round(rr.uniform(0.4, 2.5, size=dim), 2)],
                      [int(v) for v in rr.integers(2, 11, size=dim)], d_out, rr.uniform(-2, 2, size=dim))
    interp = ['nearest', 'linear', 'bspline'][(t // 3 + t) % 3]  # decorrelated from the type (t % 3)
    out_type = 'float32' if (typ == 'float32' or t % 5 == 1) else typ
    add_case(f'random_{t}', f'rnd{t}', out, interp, out_type, default=float([0, 7, 2.5][t % 3]))

# ITK's PhysicalPointToIndex (vnl_svd inverse) for random oblique geometries, 2D and 3D
rng = np.random.default_rng(20261123)
matrices = []
for trial in range(60):
    dim = 2 if trial % 3 == 0 else 3
    q, _ = np.linalg.qr(rng.normal(size=(dim, dim)))
    if trial % 5 == 0:
        q = np.eye(dim)[rng.permutation(dim)] * rng.choice([-1.0, 1.0], size=dim)  # permuted/flipped axes
    spacing = [float(v) for v in np.round(rng.uniform(0.3, 3.0, size=dim), rng.integers(1, 6))]
    direction = [float(v) for v in q.ravel()]
    res = subprocess.run([TOOL, '--inverse', str(dim)] + [repr(v) for v in spacing + direction],
                         capture_output=True, text=True, check=True)
    cols = [float(v) for v in res.stdout.split()]
    inv = [cols[j * dim + i] for i in range(dim) for j in range(dim)]  # printed column by column
    matrices.append(dict(spacing=spacing, direction=direction, itkPhysicalPointToIndex=inv))
with open(os.path.join(FIX, 'inverses.json'), 'w') as f:
    json.dump(matrices, f)

with open(os.path.join(FIX, 'cases.json'), 'w') as f:
    json.dump(dict(generator='ITK 5.2 itk::ResampleImageFilter + IdentityTransform (tests/reference/spatial/itk-resample)',
                   inputs=inputs, cases=cases), f, indent=1)
total = sum(os.path.getsize(os.path.join(FIX, x)) for x in os.listdir(FIX))
print(f'{len(cases)} cases, {total / 1e6:.2f} MB in {FIX}')
