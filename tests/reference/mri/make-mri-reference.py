#!/usr/bin/python3
"""Independent references for src/mri/signal.ts and src/mri/tissue-classes.ts.

Run from the repository root:  /usr/bin/python3 tests/reference/mri/make-mri-reference.py
Needs Debian's numpy, nibabel, scikit-image and bart (apt-get install -y bart; BART 0.8.00).

1. Closed forms re-typed in numpy (spin echo, spoiled GRE, inversion recovery, Ernst angle,
   nulling TI) on a grid of TR/TE/TI/flip for the tissue sets of the library.
2. A discrete Bloch simulation in numpy: ideal instantaneous pulses as rotations, relaxation
   M -> E M + (1 - E1) M0 z between them, transverse magnetisation spoiled before each block,
   blocks repeated until Mz converges (1e-14). GRE and IR (FID readout at TE) must equal the
   closed forms; SE (180 deg at TE/2) equals the exact form with the inverted regrowth
   1 - 2e^{-(TR-TE/2)/T1} + e^{-TR/T1}; the textbook form's error (TE << TR) is recorded.
3. bart signal (analytical BART simulations): -T (TSE echo train, T2 decay), -F (FLASH
   Look-Locker recovery to the steady state) and -F -I (inversion-recovery FLASH).
4. skimage.filters.threshold_multiotsu (3 classes) on the voxels > 0 of public/data/ch2bet.nii.gz,
   classes by numpy.digitize, and the counts.
"""
import json, math, os, subprocess, tempfile
import numpy as np
import nibabel as nib
from skimage.filters import threshold_multiotsu

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, '..', '..', '..'))
SETS = {  # same numbers as src/mri/signal.ts TISSUE_SETS (ms); checked by the unit test
    'brainweb': {'csf': (1.0, 2569, 329, 58), 'gm': (0.86, 833, 83, 69), 'wm': (0.77, 500, 70, 61)},
    '3T': {'csf': (1.0, 4454, 2373, None), 'gm': (0.86, 1820, 99, None), 'wm': (0.77, 1084, 69, None)},
}


def se(pd, t1, t2, tr, te):
    return pd * (1 - np.exp(-tr / t1)) * np.exp(-te / t2)


def gre(pd, t1, t2s, tr, te, flip):
    a = np.deg2rad(flip); e1 = np.exp(-tr / t1)
    return pd * np.sin(a) * (1 - e1) / (1 - np.cos(a) * e1) * np.exp(-te / t2s)


def ir(pd, t1, t2, tr, te, ti):
    return pd * abs(1 - 2 * np.exp(-ti / t1) + np.exp(-tr / t1)) * np.exp(-te / t2)


def relax(M, t, t1, t2, m0):
    e1, e2 = np.exp(-t / t1), np.exp(-t / t2)
    return np.array([M[0] * e2, M[1] * e2, M[2] * e1 + m0 * (1 - e1)])


out = {'sets': SETS, 'closedForm': [], 'bloch': [], 'bart': {}, 'classes': {}}
grid_se = [(tr, te) for tr in (300, 500, 1000, 2000, 4000, 8000) for te in (10, 20, 80, 120)]
grid_gre = [(tr, te, f) for tr in (5, 10, 30, 100) for te in (2, 5) for f in (5, 10, 20, 40, 90)]
grid_ir = [(tr, te, ti) for tr in (2000, 6000, 9000, 15000) for te in (10, 100) for ti in (100, 300, 800, 1500, 2500)]
for sid, tissues in SETS.items():
    for name, (pd, t1, t2, t2s) in tissues.items():
        t2s = t2s or t2
        for tr, te in grid_se:
            out['closedForm'].append({'set': sid, 'tissue': name, 'seq': 'spin-echo', 'tr': tr, 'te': te, 'signal': float(se(pd, t1, t2, tr, te))})
        for tr, te, f in grid_gre:
            out['closedForm'].append({'set': sid, 'tissue': name, 'seq': 'gradient-echo', 'tr': tr, 'te': te, 'flipDeg': f, 'signal': float(gre(pd, t1, t2s, tr, te, f))})
        for tr, te, ti in grid_ir:
            if ti < tr:
                out['closedForm'].append({'set': sid, 'tissue': name, 'seq': 'inversion-recovery', 'tr': tr, 'te': te, 'ti': ti, 'signal': float(ir(pd, t1, t2, tr, te, ti))})
        out['closedForm'].append({'set': sid, 'tissue': name, 'ernstDeg10': float(np.rad2deg(np.arccos(np.exp(-10 / t1)))),
                                  'nullTiInf': t1 * math.log(2), 'nullTi9000': t1 * math.log(2 / (1 + math.exp(-9000 / t1)))})

# Discrete Bloch (3T set, T2* = T2 for GRE). The 180 is applied as M -> (Mx, -My, -Mz) (about x),
# which refocuses the dephasing a real spin echo undoes; here there is no dephasing, so only
# the longitudinal inversion matters for the magnitude.
def bloch2(kind, pd, t1, t2, tr, te, flip=90.0, ti=0.0):
    """Repeat TR blocks until Mz before the next block changes by < 1e-14 (the steady state).
    kinds: 'gre' (flip, FID at TE), 'ir' (180, TI, 90, FID at TE: no refocusing pulse, so the
    closed form is exact), 'se' (90, 180 about x at TE/2, echo at TE)."""
    Mz_prev = pd; sig = None
    for it in range(10_000_000):
        Mz = Mz_prev
        if kind == 'ir':
            Mz = -Mz
            Mz = Mz * np.exp(-ti / t1) + pd * (1 - np.exp(-ti / t1))
            a = 90.0; rest = tr - ti
        else:
            a = 90.0 if kind == 'se' else flip; rest = tr
        M = np.array([0.0, Mz * np.sin(np.deg2rad(a)), Mz * np.cos(np.deg2rad(a))])
        if kind == 'se':
            M = relax(M, te / 2, t1, t2, pd)
            M = np.array([M[0], -M[1], -M[2]])
            M = relax(M, te / 2, t1, t2, pd)
            sig = abs(M[1]); M = relax(M, rest - te, t1, t2, pd)
        else:
            Mte = relax(M, te, t1, t2, pd); sig = abs(Mte[1]); M = relax(M, rest, t1, t2, pd)
        Mz_next = M[2]  # transverse magnetisation spoiled before the next block
        if abs(Mz_next - Mz_prev) < 1e-14:
            break
        Mz_prev = Mz_next
    return float(sig)


def se_exact(pd, t1, t2, tr, te):
    """Spin echo with the 180 deg pulse's inversion of Mz at TE/2 (ideal pulses, spoiled)."""
    return pd * (1 - 2 * np.exp(-(tr - te / 2) / t1) + np.exp(-tr / t1)) * np.exp(-te / t2)


for name, (pd, t1, t2, _) in SETS['3T'].items():
    for tr, te, f in grid_gre:
        out['bloch'].append({'tissue': name, 'seq': 'gradient-echo', 'tr': tr, 'te': te, 'flipDeg': f, 'signal': bloch2('gre', pd, t1, t2, tr, te, f)})
    for tr, te, ti in grid_ir:
        if ti < tr:
            out['bloch'].append({'tissue': name, 'seq': 'inversion-recovery', 'tr': tr, 'te': te, 'ti': ti, 'signal': bloch2('ir', pd, t1, t2, tr, te, ti=ti)})
    for tr, te in grid_se:
        out['bloch'].append({'tissue': name, 'seq': 'spin-echo', 'tr': tr, 'te': te, 'signal': bloch2('se', pd, t1, t2, tr, te), 'exactFormula': float(se_exact(pd, t1, t2, tr, te))})


def run_bart(args):
    with tempfile.TemporaryDirectory() as d:
        base = os.path.join(d, 'sig')
        subprocess.run(['bart', 'signal', *args, base], check=True, capture_output=True)
        return np.fromfile(base + '.cfl', dtype=np.complex64).real.astype(float)

ver = subprocess.run(['bart', 'version'], capture_output=True, text=True).stdout.strip()
# TSE: echo n (n = 0..9) of an echo train with spacing TE; T2 = 69 ms (WM, 3T), TE = 10 ms.
out['bart']['tse'] = {'t2': 69, 'esp': 10, 'signal': run_bart(['-T', '-e', '0.01', '-2', '0.069:0.069:1', '-1', '1.084:1.084:1', '-n', '10']).tolist()}
# FLASH from M0 = 1 toward its steady state: TR = 10 ms, flip 10, T1 = 1084 ms; 1000 repetitions.
fl = run_bart(['-F', '-r', '0.01', '-e', '0.002', '-f', '10', '-1', '1.084:1.084:1', '-2', '0.069:0.069:1', '-n', '1000'])
out['bart']['flash'] = {'tr': 10, 'flipDeg': 10, 't1': 1084, 'steadyState': float(fl[-1]), 'first': float(fl[0])}
# IR-FLASH with a 0.5 degree readout (almost no saturation): Mz(t) after inversion, TR 5 ms.
irf = run_bart(['-F', '-I', '-r', '0.005', '-f', '0.5', '-1', '1.084:1.084:1', '-2', '0.069:0.069:1', '-n', '600'])
out['bart']['irflash'] = {'tr': 5, 'flipDeg': 0.5, 't1': 1084, 'signal': irf.tolist()}
out['bart']['version'] = ver

img = nib.load(os.path.join(ROOT, 'public', 'data', 'ch2bet.nii.gz'))
a = np.asanyarray(img.dataobj)
vals = a[a > 0]
th = threshold_multiotsu(vals, classes=3)
cls = np.zeros(a.shape, np.uint8)
cls[a > 0] = 1 + np.digitize(vals, bins=th)
out['classes'] = {'thresholds': [float(t) for t in th], 'counts': [int((cls == k).sum()) for k in range(4)], 'dtype': str(a.dtype)}
print('multi-Otsu thresholds', th, 'counts', out['classes']['counts'])

# Summary of Bloch vs closed form.
def cf(name, row):
    pd, t1, t2, _ = SETS['3T'][name]
    if row['seq'] == 'gradient-echo': return gre(pd, t1, t2, row['tr'], row['te'], row['flipDeg'])
    if row['seq'] == 'inversion-recovery': return ir(pd, t1, t2, row['tr'], row['te'], row['ti'])
    return se_exact(pd, t1, t2, row['tr'], row['te'])
for seq in ('gradient-echo', 'inversion-recovery', 'spin-echo'):
    rows = [r for r in out['bloch'] if r['seq'] == seq]
    d = max(abs(r['signal'] - cf(r['tissue'], r)) for r in rows)
    print(f'Bloch vs closed form ({"exact SE form" if seq == "spin-echo" else "library form"}), {seq}: max |diff| {d:.3e} (PD <= 1) over {len(rows)} cases')
rows = [r for r in out['bloch'] if r['seq'] == 'spin-echo']
worst = max(rows, key=lambda r: abs(se(*SETS['3T'][r['tissue']][:3], r['tr'], r['te']) / r['signal'] - 1))
print('SE textbook formula vs Bloch: worst relative difference', abs(se(*SETS['3T'][worst['tissue']][:3], worst['tr'], worst['te']) / worst['signal'] - 1), worst)
print('bart', ver, 'FLASH steady state', out['bart']['flash']['steadyState'])
with open(os.path.join(HERE, 'mri-reference.json'), 'w') as f:
    json.dump(out, f, separators=(',', ':'))
print('wrote mri-reference.json')
