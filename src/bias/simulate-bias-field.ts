import { mulberry32 } from '../random'
import type { Image } from '../image'
import { assertScalar, imageLike, pixelData } from '../image'

export interface SimulateBiasFieldOptions {
  /** Maximum total degree of the polynomial (i + j + k ≤ order). Default 3 (TorchIO's default). */
  order?: number
  /**
   * The polynomial's coefficients in TorchIO's term order (x power outermost, then y, then z:
   * for order 1, [c000, c001, c010, c100]); (order + 1)(order + 2)(order + 3) / 6 of them.
   * Default: drawn uniformly in [−amplitude, amplitude] from a seeded generator.
   */
  coefficients?: ArrayLike<number>
  /** Half-range of the random coefficients (TorchIO's `coefficients`). Default 0.3. */
  amplitude?: number
  /** Seed of the coefficient generator (mulberry32); the same seed gives the same field. Default 0. */
  seed?: number
}

export interface SimulateBiasFieldResult {
  /** input × field, float32, input geometry. */
  image: Image
  /** The multiplicative field exp(polynomial), float32, input geometry. */
  field: Image
  /** The coefficients used, in term order (see `SimulateBiasFieldOptions.coefficients`). */
  coefficients: number[]
}

/** Number of monomials x^i y^j z^k with i + j + k ≤ order. */
export function biasFieldTermCount(order: number): number {
  return ((order + 1) * (order + 2) * (order + 3)) / 6
}

/**
 * TorchIO's normalised coordinate of each index along an axis of n voxels:
 * `np.arange(-n/2, n/2) + 0.5` divided by its maximum, i.e. (2i / (n − 1)) − 1 ∈ [−1, 1]
 * (voxel centres, symmetric for odd and even n); 0 for a single voxel (max 0, not divided).
 */
function axisCoordinates(n: number): Float64Array {
  const c = new Float64Array(n)
  if (n > 1) for (let i = 0; i < n; i++) c[i] = (2 * i) / (n - 1) - 1
  return c
}

/**
 * Simulates a smooth multiplicative MRI bias field as TorchIO's `RandomBiasField` / `BiasField`
 * do (Pérez-García et al. 2021, "TorchIO", CMPB 208:106236; polynomial model of Van Leemput et
 * al. 1999, IEEE TMI 18(10):885–896):
 *
 *   field(x, y, z) = exp( Σ_{i+j+k ≤ order} c_ijk · x^i · y^j · z^k ),
 *
 * with x, y, z the voxel-centre coordinates normalised to [−1, 1] along index axes 0, 1, 2
 * (TorchIO's `generate_bias_field`, whose x is the first array axis; a 2D image has z = 0),
 * terms ordered with the x power outermost and the z power innermost as TorchIO samples them,
 * and coefficients uniform in [−amplitude, amplitude] (TorchIO `coefficients=amplitude`) drawn
 * from a seeded mulberry32 generator unless given. Returns image × field and the field, both
 * float32 (the polynomial is summed in float64, as numpy does). Geometry (spacing, direction)
 * does not enter, as in TorchIO.
 *
 * Defaults: order 3 (20 coefficients), amplitude 0.3, seed 0.
 */
export function simulateBiasField(image: Image, options: SimulateBiasFieldOptions = {}): SimulateBiasFieldResult {
  const op = 'simulateBiasField'
  assertScalar(image, op)
  const dim = image.imageType.dimension
  if (dim !== 2 && dim !== 3) throw new Error(`${op} needs a 2D or 3D image, got ${dim}D`)
  if (image.size.length !== dim) throw new Error(`${op}: image size ${image.size.join('×')} does not match its dimension ${dim}`)
  const data = pixelData(image)
  const order = options.order ?? 3
  if (!Number.isInteger(order) || order < 0) throw new Error(`${op}: order must be an integer ≥ 0, got ${order}`)
  if (order > 10) throw new Error(`${op}: order above 10 is not supported (a bias field is smooth), got ${order}`)
  const terms = biasFieldTermCount(order)
  let coefficients: number[]
  if (options.coefficients !== undefined) {
    if (options.coefficients.length !== terms) {
      throw new Error(`${op}: order ${order} needs ${terms} coefficients, got ${options.coefficients.length}`)
    }
    coefficients = Array.from(options.coefficients)
    if (coefficients.some((c) => !Number.isFinite(c))) throw new Error(`${op}: coefficients must be finite numbers`)
  } else {
    const amplitude = options.amplitude ?? 0.3
    if (!(amplitude >= 0) || !Number.isFinite(amplitude)) throw new Error(`${op}: amplitude must be a finite number ≥ 0, got ${amplitude}`)
    const seed = options.seed ?? 0
    if (!Number.isFinite(seed)) throw new Error(`${op}: seed must be a finite number, got ${seed}`)
    const random = mulberry32(Math.trunc(seed))
    coefficients = new Array<number>(terms)
    for (let t = 0; t < terms; t++) coefficients[t] = -amplitude + 2 * amplitude * random()
  }

  const nx = image.size[0]
  const ny = image.size[1]
  const nz = dim === 3 ? image.size[2] : 1
  const xs = axisCoordinates(nx)
  const ys = axisCoordinates(ny)
  const zs = axisCoordinates(nz)

  // Separable evaluation: for each (y, z) the field's exponent is a polynomial in x of degree
  // `order`, whose coefficients a_i = Σ_{j,k} c_ijk y^j z^k are computed once per row.
  const index = new Int32Array((order + 1) * (order + 1) * (order + 1)).fill(-1)
  for (let i = 0, t = 0; i <= order; i++) {
    for (let j = 0; j <= order - i; j++) {
      for (let k = 0; k <= order - i - j; k++) index[(i * (order + 1) + j) * (order + 1) + k] = t++
    }
  }
  const rowPoly = new Float64Array(order + 1)
  const yPow = new Float64Array(order + 1)
  const zPow = new Float64Array(order + 1)
  const field = new Float32Array(nx * ny * nz)
  const out = new Float32Array(nx * ny * nz)
  for (let z = 0; z < nz; z++) {
    zPow[0] = 1
    for (let k = 1; k <= order; k++) zPow[k] = zPow[k - 1] * zs[z]
    for (let y = 0; y < ny; y++) {
      yPow[0] = 1
      for (let j = 1; j <= order; j++) yPow[j] = yPow[j - 1] * ys[y]
      for (let i = 0; i <= order; i++) {
        let s = 0
        for (let j = 0; j <= order - i; j++) {
          for (let k = 0; k <= order - i - j; k++) s += coefficients[index[(i * (order + 1) + j) * (order + 1) + k]] * yPow[j] * zPow[k]
        }
        rowPoly[i] = s
      }
      const base = (z * ny + y) * nx
      for (let x = 0; x < nx; x++) {
        // Horner in x.
        const xv = xs[x]
        let p = rowPoly[order]
        for (let i = order - 1; i >= 0; i--) p = p * xv + rowPoly[i]
        const f = Math.fround(Math.exp(p))
        field[base + x] = f
        out[base + x] = data[base + x] * f
      }
    }
  }
  return { image: imageLike(image, out), field: imageLike(image, field), coefficients }
}
