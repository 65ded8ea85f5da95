#!/usr/bin/python3
"""Independent reference for src/physics/attenuation.ts (Debian python3-xraylib 4.0.0 + numpy).

Run from the repository root:  /usr/bin/python3 tests/reference/physics/make-attenuation-reference.py

1. Data: mu/rho of every NIST material at 10..150 keV (1 keV steps) and at NIST's own energies
   from 10 keV to 1 MeV, computed by xraylib from the NIST Table 2 composition by mass (read from
   src/physics/nist-xcom-data.ts) with the mixture rule sum_i w_i * CS_Total(Z_i, E).
   xraylib's cross sections are its own compilation (not NIST's table), so this checks the
   transcribed table and its interpolation against independent data; a few per cent apart is
   expected. For water and air xraylib's own NIST compound entries (CS_Total_CP) are added too.
2. Code: the same model written again in numpy, from the formulas in the module doc comment:
   log-log interpolation of the NIST rows (np.interp on ln E, edges handled by splitting the
   table at repeated energies), Kramers' spectrum with Al filter, polychromatic Beer-Lambert with
   an energy-integrating detector, the detector-weighted HU behind 20 cm of water.
   Evaluated twice: on the NIST rows (must equal the TypeScript to ~1e-12) and on xraylib's
   mu/rho (shows how much the choice of data moves transmission and HU).
"""
import json, os, re
import numpy as np
import xraylib as xrl

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, '..', '..', '..'))
SRC = open(os.path.join(ROOT, 'src', 'physics', 'nist-xcom-data.ts'), encoding='utf8').read()

# Parse the NIST blocks of the TypeScript data file.
tables = {}
for m in re.finditer(r"\n  (\w+): \{\n    nistName: '([^']+)', density: ([0-9.]+),\n    composition: \{([^}]*)\},\n    rows: `([^`]*)`", SRC):
    key, name, rho, comp, rows = m.groups()
    comp = {int(z): float(w) for z, w in re.findall(r'(\d+): ([0-9.]+)', comp)}
    arr = np.array([[float(v) for v in r.split()] for r in rows.strip().split('\n')])
    tables[key] = dict(name=name, density=float(rho), composition=comp, e=arr[:, 0] * 1000, mu=arr[:, 1])
assert len(tables) == 9, sorted(tables)


def nist_mu_rho(key, e):
    """Log-log interpolation, segment by segment between edges (an energy listed twice)."""
    t = tables[key]
    E, M = t['e'], t['mu']
    e = np.atleast_1d(np.asarray(e, float))
    out = np.empty_like(e)
    # Segments: split where an energy repeats; a value at the edge energy belongs to the upper segment.
    cuts = [0] + [i for i in range(1, len(E)) if E[i] == E[i - 1]] + [len(E)]
    for j, x in enumerate(e):
        for a, b in zip(cuts[:-1], cuts[1:]):
            lo, hi = E[a], E[b - 1]
            last = b == len(E)
            if lo <= x and (x < hi or (last and x <= hi)):
                out[j] = np.exp(np.interp(np.log(x), np.log(E[a:b]), np.log(M[a:b])))
                break
        else:
            raise ValueError(f'{x} keV outside {key}')
    return out


def xrl_mu_rho(key, e):
    comp = tables[key]['composition']
    s = sum(comp.values())
    return np.array([sum(w / s * xrl.CS_Total(z, float(x)) for z, w in comp.items()) for x in np.atleast_1d(e)])


# Materials of the library: partial densities of NIST tables.
MATERIALS = {
    'water': {'water': 1.0}, 'air': {'air': 0.001205}, 'adipose': {'adipose': 0.95},
    'softTissue': {'softTissue': 1.06}, 'muscle': {'muscle': 1.05}, 'lung': {'lung': 1.05},
    'inflatedLung': {'lung': 0.26}, 'corticalBone': {'corticalBone': 1.92},
    'iodineContrast': {'water': 1.0, 'iodine': 0.01}, 'aluminium': {'aluminium': 2.699},
}
for k, parts in MATERIALS.items():
    for t, rho in parts.items():
        if k == t or (k, t) in [('aluminium', 'aluminium')]:
            assert abs(tables[t]['density'] - rho) < 1e-12, (k, t)


def mu(material, e, data):
    f = nist_mu_rho if data == 'nist' else xrl_mu_rho
    return sum(rho * f(t, e) for t, rho in MATERIALS[material].items())


def kramers(kvp, filter_mm_al=2.5, bin_kev=1.0, min_kev=10.0, data='nist'):
    n = int(np.floor((kvp - min_kev) / bin_kev + 1e-9))
    e = min_kev + (np.arange(n) + 0.5) * bin_kev
    N = (kvp - e) / e * np.exp(-mu('aluminium', e, data) * filter_mm_al / 10)
    return e, N / N.sum()


def transmission(layers, kvp, data):
    e, N = kramers(kvp, data=data)
    att = sum(mu(m, e, data) * t for m, t in layers)
    w = e * N
    T = float((w * np.exp(-att)).sum() / w.sum())
    out = N * np.exp(-att)
    return T, float((e * N).sum() / N.sum()), float((e * out).sum() / out.sum())


def hu(material, kvp, data, water_cm=20.0):
    e, N = kramers(kvp, data=data)
    w = e * N * np.exp(-mu('water', e, data) * water_cm)
    m = lambda x: float((w * mu(x, e, data)).sum() / w.sum())
    return 1000 * (m(material) - m('water')) / (m('water') - m('air'))


grid = np.arange(10.0, 151.0, 1.0)
out = {'energiesKeV': grid.tolist(), 'tables': {}, 'materials': {}, 'spectra': [], 'hu': []}
for key, t in tables.items():
    sel = (t['e'] >= 10) & (t['e'] <= 800)  # xraylib's splines end below 1 MeV
    tab_e = np.unique(t['e'][sel])
    x_grid = xrl_mu_rho(key, grid)
    x_tab = xrl_mu_rho(key, tab_e)
    entry = {
        'nistName': t['name'],
        'numpyNistMuRho': nist_mu_rho(key, grid).tolist(),
        'xraylibMuRho': x_grid.tolist(),
        'tabulatedEnergiesKeV': tab_e.tolist(),
        'xraylibMuRhoAtTabulated': x_tab.tolist(),
    }
    if key in ('water', 'air'):
        cp = {'water': 'Water, Liquid', 'air': 'Air, Dry (near sea level)'}[key]
        entry['xraylibNistCompound'] = cp
        entry['xraylibCompoundMuRho'] = [xrl.CS_Total_CP(cp, float(x)) for x in grid]
    rel = np.abs(x_grid / nist_mu_rho(key, grid) - 1)
    entry['maxRelDiff10to150'] = float(rel.max())
    entry['energyOfMaxRelDiff'] = float(grid[rel.argmax()])
    out['tables'][key] = entry
    print(f"{key:14s} xraylib vs NIST 10-150 keV: max |rel diff| {rel.max():.4f} at {grid[rel.argmax()]:.0f} keV; "
          f"at tabulated energies 10-800 keV: {np.abs(x_tab / nist_mu_rho(key, tab_e) - 1).max():.4f}")
for m in MATERIALS:
    out['materials'][m] = {'numpyNistMu': mu(m, grid, 'nist').tolist()}

STACKS = [
    ('20 cm water', [('water', 20.0)]),
    ('chest: 1 cm fat, 2 cm muscle, 1 cm bone, 20 cm inflated lung, 2 cm muscle', [('adipose', 1.0), ('muscle', 2.0), ('corticalBone', 1.0), ('inflatedLung', 20.0), ('muscle', 2.0)]),
    ('3 cm soft tissue + 1 cm iodine contrast', [('softTissue', 3.0), ('iodineContrast', 1.0)]),
]
for kvp in (80, 100, 120, 140):
    e, N = kramers(kvp)
    for name, layers in STACKS:
        Tn, ein, eout = transmission(layers, kvp, 'nist')
        Tx, _, _ = transmission(layers, kvp, 'xraylib')
        out['spectra'].append({'kVp': kvp, 'stack': name, 'layers': [{'material': m, 'thicknessCm': t} for m, t in layers],
                               'transmissionNist': Tn, 'meanEnergyIn': ein, 'meanEnergyOut': eout, 'transmissionXraylib': Tx})
    for m in ('adipose', 'softTissue', 'muscle', 'inflatedLung', 'corticalBone', 'iodineContrast'):
        out['hu'].append({'kVp': kvp, 'material': m, 'huNist': hu(m, kvp, 'nist'), 'huXraylib': hu(m, kvp, 'xraylib')})
    if kvp == 120:
        out['spectrum120'] = {'energiesKeV': e.tolist(), 'photons': N.tolist()}
for r in out['hu']:
    print(f"HU {r['kVp']:3d} kVp {r['material']:14s} NIST {r['huNist']:8.1f}  xraylib {r['huXraylib']:8.1f}  diff {r['huXraylib'] - r['huNist']:6.1f}")
for r in out['spectra']:
    print(f"T {r['kVp']:3d} kVp {r['stack'][:30]:30s} NIST {r['transmissionNist']:.5e} xraylib {r['transmissionXraylib']:.5e} rel {r['transmissionXraylib'] / r['transmissionNist'] - 1:+.4f}")
out['generator'] = 'tests/reference/physics/make-attenuation-reference.py, python3-xraylib ' + xrl.__version__ + ', numpy ' + np.__version__
with open(os.path.join(HERE, 'attenuation-reference.json'), 'w') as f:
    json.dump(out, f, separators=(',', ':'))
print('wrote attenuation-reference.json')
