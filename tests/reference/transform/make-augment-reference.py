#!/usr/bin/python3
"""Independent reference for src/transform/ (Debian numpy + scipy.ndimage).

Run from the repository root:  /usr/bin/python3 tests/reference/transform/make-augment-reference.py

For every case the image geometry (size, spacing, origin, direction) and the transform
parameters are written with the inputs; here each output voxel's physical point is mapped
explicitly (q = O + D·diag(s)·i, p = A^-1 (q + M·d(i) - c - t) + c, index = (D·diag(s))^-1 (p - O)),
then scipy.ndimage.map_coordinates(order=1 for the image, order=0 for the labels, mode='constant')
samples the numpy array. Affine-only cases are also run through scipy.ndimage.affine_transform.
The elastic field is regenerated here from the seed (mulberry32, as src/random.ts) and smoothed
by scipy.ndimage.gaussian_filter (mode 'reflect', truncate 4).
"""
import json, math, os
import numpy as np
from scipy import ndimage as ndi

HERE = os.path.dirname(os.path.abspath(__file__))


def mulberry32(seed):
    a = seed & 0xFFFFFFFF

    def imul(x, y):
        return (x * y) & 0xFFFFFFFF

    def rnd():
        nonlocal a
        a = (a + 0x6D2B79F5) & 0xFFFFFFFF
        t = a
        t = imul(t ^ (t >> 15), t | 1)
        t ^= (t + imul(t ^ (t >> 7), t | 61)) & 0xFFFFFFFF
        return ((t ^ (t >> 14)) & 0xFFFFFFFF) / 4294967296

    return rnd


def rotation(dim, rot):
    r = math.radians
    if dim == 2:
        c, s = math.cos(r(rot)), math.sin(r(rot))
        return np.array([[c, -s], [s, c]])
    ax, ay, az = (r(v) for v in rot)
    rx = np.array([[1, 0, 0], [0, math.cos(ax), -math.sin(ax)], [0, math.sin(ax), math.cos(ax)]])
    ry = np.array([[math.cos(ay), 0, math.sin(ay)], [0, 1, 0], [-math.sin(ay), 0, math.cos(ay)]])
    rz = np.array([[math.cos(az), -math.sin(az), 0], [math.sin(az), math.cos(az), 0], [0, 0, 1]])
    return rz @ ry @ rx


def linear_part(dim, p):
    scale = p.get('scale', 1)
    s = np.diag(scale if isinstance(scale, list) else [scale] * dim)
    h = np.eye(dim)
    if dim == 2:
        h[0, 1] = p.get('shear', 0)
    else:
        xy, xz, yz = p.get('shear', [0, 0, 0])
        h[0, 1], h[0, 2], h[1, 2] = xy, xz, yz
    return rotation(dim, p.get('rotation', 0 if dim == 2 else [0, 0, 0])) @ h @ s


def elastic_field(size, spacing, alpha, sigma, seed):
    rnd = mulberry32(seed)
    n = int(np.prod(size))
    comps = []
    for a in range(len(size)):
        u = np.array([2 * rnd() - 1 for _ in range(n)]).reshape(size[::-1])  # numpy order (z,) y, x
        u = ndi.gaussian_filter(u, sigma=[sigma / s for s in spacing[::-1]], mode='reflect', truncate=4.0)
        comps.append(u * (alpha / spacing[a]))
    return comps  # component a = displacement along index axis a, numpy-ordered arrays


def source_indices(g, p, field):
    dim = len(g['size'])
    size, spacing = g['size'], np.array(g['spacing'], float)
    origin = np.array(g['origin'], float)
    m = np.array(g['direction'], float).reshape(dim, dim) @ np.diag(spacing)
    a_inv = np.linalg.inv(linear_part(dim, p))
    centre = origin + m @ ((np.array(size) - 1) / 2)
    t = np.array(p.get('translation', [0] * dim), float)
    grids = np.meshgrid(*[np.arange(n, dtype=float) for n in size], indexing='ij')  # index axes x, y(, z)
    idx = np.stack([gr.ravel(order='F') for gr in grids])  # raster order, x fastest
    if field is not None:
        idx = idx + np.stack([f.ravel() for f in field])
    q = origin[:, None] + m @ idx
    ps = a_inv @ (q - centre[:, None] - t[:, None]) + centre[:, None]
    return np.linalg.solve(m, ps - origin[:, None])  # continuous index, axis x first


def sample(arr_numpy_order, ci, order, cval):
    coords = ci[::-1]  # numpy axes are reversed (z, y, x)
    return ndi.map_coordinates(arr_numpy_order, coords, order=order, mode='constant', cval=cval)


def edge_margin(ci, size):
    """Smallest distance of a coordinate to the inside/outside boundary (0 or n-1) and to a .5 tie."""
    d = np.inf
    for a, n in enumerate(size):
        c = ci[a]
        d = min(d, np.min(np.abs(c)), np.min(np.abs(c - (n - 1))))
    frac = np.abs((ci - np.floor(ci)) - 0.5)
    return float(d), float(frac.min())


def make_case(name, g, p, image, labels, elastic=None, cval=0.0):
    dim = len(g['size'])
    field = elastic_field(g['size'], g['spacing'], **elastic) if elastic else None
    ci = source_indices(g, p, field)
    img_np = np.asarray(image, float).reshape(g['size'][::-1])
    lab_np = np.asarray(labels, np.uint8).reshape(g['size'][::-1])
    lin = sample(img_np, ci, 1, cval)
    near = sample(lab_np, ci, 0, 0)
    case = {'name': name, 'geometry': g, 'params': p, 'defaultValue': cval, 'image': list(map(float, image)), 'labels': list(map(int, labels)),
            'expectedLinear': lin.tolist(), 'expectedNearest': near.astype(int).tolist()}
    case['edgeMargin'], case['tieMargin'] = edge_margin(ci, g['size'])
    if elastic:
        case['elastic'] = elastic
        case['expectedField'] = [f.ravel().tolist() for f in field]
    else:
        # The same through scipy.ndimage.affine_transform (numpy axis order): index' = L i + b.
        n = int(np.prod(g['size']))
        ci0 = source_indices(g, p, None)
        idx = np.stack([gr.ravel(order='F') for gr in np.meshgrid(*[np.arange(k, dtype=float) for k in g['size']], indexing='ij')])
        L, *_ = np.linalg.lstsq(np.vstack([idx, np.ones(n)]).T, ci0.T, rcond=None)
        mat, off = L[:dim].T, L[dim]
        rev = mat[::-1, ::-1]
        at = ndi.affine_transform(img_np, rev, offset=off[::-1], order=1, mode='constant', cval=cval)
        case['affineTransformMaxDiff'] = float(np.max(np.abs(at.ravel() - lin)))
    return case


def main():
    rng = np.random.default_rng(9)
    cases = []
    # 2D, anisotropic and oblique grid (rotated 20 degrees and flipped in y).
    size2 = [23, 17]
    th = math.radians(20)
    g2 = {'size': size2, 'spacing': [0.9, 1.3], 'origin': [-12.5, 30.25],
          'direction': [math.cos(th), math.sin(th), math.sin(th), -math.cos(th)]}
    yy, xx = np.mgrid[0:size2[1], 0:size2[0]]
    img2 = (100 * np.exp(-((xx - 11) ** 2 + (yy - 8) ** 2) / 40) + rng.normal(0, 5, xx.shape)).ravel()
    lab2 = ((((xx - 11) ** 2 / 30 + (yy - 8) ** 2 / 12) < 1).astype(int) + ((xx > 15) & (yy < 6)).astype(int) * 2).ravel()
    cases.append(make_case('2D rotation 17°', g2, {'rotation': 17.3}, img2, lab2))
    cases.append(make_case('2D rotation, scale, shear, translation', g2, {'rotation': -31.7, 'scale': [1.13, 0.87], 'shear': 0.21, 'translation': [2.37, -1.61]}, img2, lab2, cval=-5.0))
    cases.append(make_case('2D elastic α 6 mm σ 2 mm', g2, {}, img2, lab2, elastic={'alpha': 6.0, 'sigma': 2.0, 'seed': 7}))
    cases.append(make_case('2D elastic + rotation', g2, {'rotation': 11.1, 'scale': 1.07}, img2, lab2, elastic={'alpha': 15.0, 'sigma': 3.5, 'seed': 12345}))
    # 3D.
    size3 = [9, 8, 7]
    g3 = {'size': size3, 'spacing': [1.1, 0.7, 2.0], 'origin': [3.0, -4.5, 10.0], 'direction': [0, 1, 0, -1, 0, 0, 0, 0, 1]}
    img3 = rng.normal(0, 50, int(np.prod(size3)))
    lab3 = rng.integers(0, 4, int(np.prod(size3)))
    cases.append(make_case('3D rotation, scale, shear, translation', g3, {'rotation': [8.3, -12.9, 23.1], 'scale': [1.05, 0.92, 1.11], 'shear': [0.1, -0.05, 0.07], 'translation': [0.53, -0.77, 1.31]}, img3, lab3))
    cases.append(make_case('3D elastic α 3 mm σ 1.5 mm', g3, {}, img3, lab3, elastic={'alpha': 3.0, 'sigma': 1.5, 'seed': 99}))
    # Flip: numpy.flip of the voxel array.
    flips = []
    for axis in range(3):
        flips.append({'axis': axis, 'expected': np.flip(img3.reshape(size3[::-1]), axis=2 - axis).ravel().tolist()})
    out = {'cases': cases, 'flip3d': {'geometry': g3, 'image': img3.tolist(), 'flips': flips},
           'mulberry32Seed7First5': [r for r in (lambda f: [f() for _ in range(5)])(mulberry32(7))]}
    with open(os.path.join(HERE, 'augment-reference.json'), 'w') as f:
        json.dump(out, f)
    for c in cases:
        print(c['name'], 'edge margin %.2e tie margin %.2e' % (c['edgeMargin'], c['tieMargin']), 'affine_transform diff', c.get('affineTransformMaxDiff'))


if __name__ == '__main__':
    main()
