"""Reference for simulateBiasField: TorchIO's BiasField.generate_bias_field (torchio 0.20,
src/torchio/transforms/augmentation/intensity/random_bias_field.py) re-typed with numpy only
(torchio is not installed here): same arange/meshgrid/normalisation/transpose/term order.
Writes simulate_bias_field.json (small). Run: /usr/bin/python3 tests/reference/bias/simulate_bias_field.py
"""
import json
import os

import numpy as np


def generate_bias_field(shape, order, coefficients):
    shape = np.array(shape)
    half_shape = shape / 2
    ranges = [np.arange(-n, n) + 0.5 for n in half_shape]
    bias_field = np.zeros(shape)
    meshes = np.asarray(np.meshgrid(*ranges))
    for mesh in meshes:
        mesh_max = mesh.max()
        if mesh_max > 0:
            mesh /= mesh_max
    x_mesh, y_mesh, z_mesh = meshes
    i = 0
    for x_order in range(order + 1):
        for y_order in range(order + 1 - x_order):
            for z_order in range(order + 1 - (x_order + y_order)):
                new_map = coefficients[i] * x_mesh**x_order * y_mesh**y_order * z_mesh**z_order
                bias_field += np.transpose(new_map, (1, 0, 2))
                i += 1
    return np.exp(bias_field).astype(np.float32)


rng = np.random.default_rng(7)
cases = []
for shape, order in [((5, 6, 7), 3), ((8, 3, 4), 2), ((6, 5, 1), 3), ((4, 4, 4), 0), ((9, 7, 5), 4)]:
    n = (order + 1) * (order + 2) * (order + 3) // 6
    coefficients = rng.uniform(-0.5, 0.5, n)
    image = rng.uniform(0, 100, shape).astype(np.float32)
    field = generate_bias_field(shape, order, coefficients)
    out = (image * field).astype(np.float32)
    # Our images are x fastest: numpy array [x, y, z] flattened in Fortran order.
    cases.append({
        'size': list(shape), 'order': order, 'coefficients': coefficients.tolist(),
        'image': image.flatten(order='F').tolist(),
        'field': field.flatten(order='F').astype(float).tolist(),
        'output': out.flatten(order='F').astype(float).tolist(),
    })
with open(os.path.join(os.path.dirname(__file__), 'simulate_bias_field.json'), 'w') as f:
    json.dump(cases, f)
print('wrote', len(cases), 'cases')
