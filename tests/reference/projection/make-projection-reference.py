#!/usr/bin/python3
"""Independent reference for src/projection (numpy only, written from the formulas, not the TypeScript).

Run from the repository root:  /usr/bin/python3 tests/reference/projection/make-projection-reference.py

1. Raw-data correction on fixed inputs (16 channels x 6 views, drawn here with numpy's generator
   and stored in the JSON so the TypeScript test uses the same numbers):
   p = -ln(max(S - D, minSignal) / (A - D) * R_air / R), with each of offset / gain / reference
   switched off in turn; channels with A - D < 0.2 * median(A - D) (and listed ones) filled per
   view by np.interp over the good channels (linear inside, nearest value beyond the ends).
2. Water beam-hardening linearisation: Kramers' spectrum at 120 kVp, 2.5 mm Al (photons taken
   from tests/reference/physics/attenuation-reference.json, itself numpy), mu(E) of water by
   log-log np.interp of the NIST rows parsed from src/physics/nist-xcom-data.ts, energy-integrating
   detector; p(t) for t = 0..40 cm (81 points); target = (sum w mu / sum w) * t; coefficients by
   np.linalg.lstsq on the columns p, p^2, p^3 (no constant). Also polychromatic p of a few lengths.
"""
import json, os, re
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, '..', '..', '..'))

# ---- 1. correction ----------------------------------------------------------------------
rng = np.random.default_rng(20261203)
C, V = 16, 6
gain = 1 + 0.05 * rng.standard_normal(C)
gain[5] = 0.0  # a dead channel
gain[0] = 0.0  # a dead channel at the edge
dark = 100 + 30 * rng.standard_normal(C)
flux = 2.0 * (1 + 0.03 * np.arange(V) / (V - 1))
I0 = 1e4
p_true = rng.uniform(0, 6, size=(V, C))
p_true[2, 3] = 12.0  # photon starvation: the reading falls below the dark level
S = gain * rng.poisson(I0 * flux[:, None] * np.exp(-p_true)) + dark + 5 * rng.standard_normal((V, C))
A = gain * I0 + dark + 0.5 * rng.standard_normal(C)
D = dark + 0.5 * rng.standard_normal(C)
R = 1e6 * flux * (1 + 1e-3 * rng.standard_normal(V))
R_air = 1e6
listed = [11]
MIN = 1.0


def correct(offset=True, gain_on=True, reference=True, detect=True):
    i0 = A - (D if offset else 0)
    g = A - D
    bad = set(listed)
    if detect:
        bad |= set(np.nonzero(~(g >= 0.2 * np.median(g)))[0].tolist())
    if not gain_on:
        i0 = np.full(C, i0.mean())
    i0 = np.maximum(i0, MIN)
    x = S - (D if offset else 0)
    clamped = int((~(x >= MIN)).sum() - sum((~(x[:, c] >= MIN)).sum() for c in bad))
    x = np.maximum(x, MIN)
    r = (R_air / R) if reference else np.ones(V)
    p = -np.log(x / i0 * r[:, None])
    good = np.array([c for c in range(C) if c not in bad])
    for v in range(V):
        p[v, sorted(bad)] = np.interp(sorted(bad), good, p[v, good])
    return p, clamped, sorted(bad)


cases = []
for name, kw in [('all', {}), ('no-offset', {'offset': False}), ('no-gain', {'gain_on': False}),
                 ('no-reference', {'reference': False}), ('no-detect', {'detect': False})]:
    p, clamped, bad = correct(**kw)
    cases.append({'name': name, 'options': {{'gain_on': 'gain', 'detect': 'detectDead'}.get(k, k): v for k, v in kw.items()},
                  'projection': p.ravel().tolist(), 'clamped': clamped, 'interpolated': bad})
correction = {'channels': C, 'views': V, 'counts': S.ravel().tolist(), 'dark': D.tolist(), 'air': A.tolist(),
              'reference': R.tolist(), 'referenceAir': R_air, 'badChannels': listed, 'minSignal': MIN, 'cases': cases}

# ---- 2. water linearisation ---------------------------------------------------------------
SRC = open(os.path.join(ROOT, 'src', 'physics', 'nist-xcom-data.ts'), encoding='utf8').read()
m = re.search(r"\n  water: \{\n    nistName: '[^']+', density: ([0-9.]+),\n    composition: \{[^}]*\},\n    rows: `([^`]*)`", SRC)
rho = float(m.group(1))
rows = np.array([[float(v) for v in r.split()] for r in m.group(2).strip().split('\n')])
E_tab, MU_tab = rows[:, 0] * 1000, rows[:, 1]
assert np.all(np.diff(E_tab) > 0), 'water has no absorption edges'
ref = json.load(open(os.path.join(ROOT, 'tests', 'reference', 'physics', 'attenuation-reference.json')))
e = np.array(ref['spectrum120']['energiesKeV'])
N = np.array(ref['spectrum120']['photons'])
mu_w = rho * np.exp(np.interp(np.log(e), np.log(E_tab), np.log(MU_tab)))
w = e * N
w = w / w.sum()
poly = lambda t: -np.log((w[None, :] * np.exp(-np.outer(t, mu_w))).sum(axis=1))
t = np.linspace(0, 40, 81)
p = poly(t)
target_mu = float((w * mu_w).sum())
target = target_mu * t
Amat = np.stack([p, p ** 2, p ** 3], axis=1)
coef, *_ = np.linalg.lstsq(Amat, target, rcond=None)
lengths = np.array([0.0, 0.5, 2.0, 10.0, 25.0, 40.0])
water = {'kVp': 120, 'filterMmAl': 2.5, 'degree': 3, 'maxCm': 40, 'samples': 81,
         'targetMuPerCm': target_mu, 'polychromatic': p.tolist(), 'coefficients': coef.tolist(),
         'maxResidual': float(np.abs(Amat @ coef - target).max()),
         'lengthsCm': lengths.tolist(), 'lengthProjections': poly(lengths).tolist()}
print('water: target mu', target_mu, '1/cm; coefficients', coef, '; max residual', water['maxResidual'])
print('p at 20 cm', float(poly(np.array([20.0]))[0]), 'vs mono', target_mu * 20)

out = {'generator': 'tests/reference/projection/make-projection-reference.py, numpy ' + np.__version__,
       'correction': correction, 'water': water}
with open(os.path.join(HERE, 'projection-reference.json'), 'w') as f:
    json.dump(out, f, separators=(',', ':'))
print('wrote projection-reference.json', os.path.getsize(os.path.join(HERE, 'projection-reference.json')), 'bytes')
