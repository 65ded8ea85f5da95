"""Minimal .cfl/.hdr reader and writer for bart (complex64, column-major, dim 0 fastest)."""
import numpy as np


def write_cfl(name, arr_xfast, dims):
    """arr_xfast: complex array whose C-order ravel has dim 0 fastest; dims: bart dims list."""
    with open(name + '.hdr', 'w') as fh:
        fh.write('# Dimensions\n' + ' '.join(str(d) for d in dims) + '\n')
    np.asarray(arr_xfast, dtype=np.complex64).ravel().tofile(name + '.cfl')


def read_cfl(name):
    with open(name + '.hdr') as fh:
        fh.readline()
        dims = [int(d) for d in fh.readline().split()]
    return np.fromfile(name + '.cfl', dtype=np.complex64), dims
