/**
 * The modified Shepp–Logan head phantom: the ten ellipses of Shepp & Logan (IEEE Trans Nucl
 * Sci 21(3):21–43, 1974) with the higher-contrast intensities of the "modified" version used by
 * MATLAB's `phantom('Modified Shepp-Logan')` and scikit-image. Rasterised on
 * MATLAB's grid (x from −1 at the left column to +1 at the right, y from +1 at the top row to
 * −1 at the bottom, a pixel takes every ellipse that contains its centre), it reproduces
 * scikit-image's `shepp_logan_phantom()` (400 × 400, stored as 8-bit) exactly after rounding
 * down to 1/255 steps. A simulated object: its values are relative attenuation, no units.
 */
import { makeImage, type Image } from '../image'
import { ReconError } from './errors'

/** [intensity, semi-axis a, semi-axis b, centre x, centre y, rotation (degrees)] of each ellipse. */
export const MODIFIED_SHEPP_LOGAN: readonly (readonly [number, number, number, number, number, number])[] = [
  [1, 0.69, 0.92, 0, 0, 0],
  [-0.8, 0.6624, 0.874, 0, -0.0184, 0],
  [-0.2, 0.11, 0.31, 0.22, 0, -18],
  [-0.2, 0.16, 0.41, -0.22, 0, 18],
  [0.1, 0.21, 0.25, 0, 0.35, 0],
  [0.1, 0.046, 0.046, 0, 0.1, 0],
  [0.1, 0.046, 0.046, 0, -0.1, 0],
  [0.1, 0.046, 0.023, -0.08, -0.605, 0],
  [0.1, 0.023, 0.023, 0, -0.606, 0],
  [0.1, 0.023, 0.046, 0.06, -0.605, 0],
]

/** The modified Shepp–Logan phantom on a size × size grid (float64, values 0–1). */
export function sheppLoganPhantom(size = 256): Image {
  if (!Number.isInteger(size) || size < 2 || size > 8192) throw new ReconError('BAD_OPTION', `sheppLoganPhantom: size must be an integer in [2, 8192], got ${size}`)
  const data = new Float64Array(size * size)
  const axis = (i: number) => (i - (size - 1) / 2) / ((size - 1) / 2)
  for (const [A, a, b, x0, y0, deg] of MODIFIED_SHEPP_LOGAN) {
    const phi = (deg * Math.PI) / 180
    const c = Math.cos(phi)
    const s = Math.sin(phi)
    for (let r = 0; r < size; r++) {
      const y = -axis(r) - y0
      for (let k = 0; k < size; k++) {
        const x = axis(k) - x0
        const u = x * c + y * s
        const v = y * c - x * s
        if ((u * u) / (a * a) + (v * v) / (b * b) <= 1) data[r * size + k] += A
      }
    }
  }
  return makeImage([size, size], { data, name: 'modified Shepp–Logan phantom (simulated)' })
}
