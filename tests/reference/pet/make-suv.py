#!/usr/bin/python3
"""An independent implementation of SUV (body weight) with decay correction, written from the EANM
guideline's definition (Boellaard et al. 2010), for src/pet/suv.ts: a grid of cases with the SUV
each gives (plain Python). Output: suv-cases.json.
Run: /usr/bin/python3 tests/reference/pet/make-suv.py
"""
import json, math, os
import itertools

HERE = os.path.dirname(os.path.abspath(__file__))
F18 = 109.77 * 60
cases = []
for conc, dose, resid, weight, minutes, mode in itertools.product(
        (0.0, 5e3, 12.5e3, 40e3), (185e6, 370e6), (0.0, 7e6), (55.0, 82.5, 130.0), (0.0, 45.0, 60.0, 90.0, 240.0), ('START', 'ADMIN', 'NONE')):
    dt = minutes * 60
    decayed = (dose - resid) * (1.0 if mode == 'ADMIN' else math.exp(-math.log(2) * dt / F18))
    suv = conc / (decayed / (weight * 1000.0))
    cases.append({'activityConcentration': conc, 'injectedActivity': dose, 'residualActivity': resid, 'bodyWeightKg': weight,
                  'halfLifeSeconds': F18, 'elapsedSeconds': dt, 'decayCorrection': mode, 'suv': suv})
with open(os.path.join(HERE, 'suv-cases.json'), 'w') as f:
    json.dump(cases, f)
print(len(cases), 'cases')
