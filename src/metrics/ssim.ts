import { imageLike, type Image } from '../image'
import { assertSameSize, dataRangeFor, scalarData } from './common'

export interface SsimOptions {
  /**
   * Dynamic range L of the pixel values (C1 = (K1·L)², C2 = (K2·L)²). Default as skimage for
   * integer images: the dtype's dmax − dmin (255 for uint8, 65535 for int16); for float images,
   * where current skimage requires data_range, max − min of `a`.
   */
  dataRange?: number
  /** Default: 0.01. */
  K1?: number
  /** Default: 0.03. */
  K2?: number
  /** Standard deviation (voxels) of the Gaussian window, truncated at 3.5σ. Default: 1.5. */
  sigma?: number
  /** Gaussian window (true, default) or a uniform winSize^n box (false). */
  gaussian?: boolean
  /** Side of the uniform window when gaussian is false; odd. Default: 7. */
  winSize?: number
  /**
   * Normalise (co)variances by N/(N − 1) with N = winSize^n (skimage's default), instead of
   * the population form of Wang et al. Default: false.
   */
  useSampleCovariance?: boolean
  /** Also return the full SSIM map. Default: false. */
  full?: boolean
}

export interface SsimResult {
  /** Mean SSIM over the map with a half-window border cropped off. */
  mssim: number
  /** SSIM at every voxel (float64, geometry of `a`), when `full` is set. */
  map?: Image
}

/** scipy.ndimage 'reflect' (half-sample symmetric) index, for any overshoot. */
function reflect(i: number, n: number): number {
  const p = 2 * n
  let j = i % p
  if (j < 0) j += p
  return j >= n ? p - 1 - j : j
}

/**
 * In-place separable correlation of a volume with a symmetric 1D kernel along every axis
 * ('reflect' borders). Rows along x are filtered one at a time; along y and z whole rows /
 * planes are combined at once so the inner loops run over contiguous memory.
 * `tmp` is scratch space of the volume's length.
 */
function separableFilter(data: Float64Array, tmp: Float64Array, size: number[], kernel: Float64Array): void {
  const r = (kernel.length - 1) >> 1
  const wc = kernel[r]
  const nx = size[0]
  const total = data.length
  // x: one row at a time through a reflected copy.
  const ext = new Float64Array(nx + 2 * r)
  for (let row = 0; row < total; row += nx) {
    for (let k = -r; k < nx + r; k++) ext[k + r] = data[row + reflect(k, nx)]
    for (let i = 0; i < nx; i++) {
      const c = i + r
      let s = wc * ext[c]
      for (let k = 1; k <= r; k++) s += kernel[r + k] * (ext[c - k] + ext[c + k])
      data[row + i] = s
    }
  }
  // y, z: block = the contiguous run of lower axes, combined row by row / plane by plane.
  let block = nx
  for (let axis = 1; axis < size.length; axis++) {
    const n = size[axis]
    const span = n * block
    for (let base = 0; base < total; base += span) {
      for (let i = 0; i < n; i++) {
        const dst = base + i * block
        const src = dst
        for (let j = 0; j < block; j++) tmp[dst + j] = wc * data[src + j]
        for (let k = 1; k <= r; k++) {
          const wk = kernel[r + k]
          const a = base + reflect(i - k, n) * block
          const b = base + reflect(i + k, n) * block
          for (let j = 0; j < block; j++) tmp[dst + j] += wk * (data[a + j] + data[b + j])
        }
      }
    }
    data.set(tmp)
    block = span
  }
}

/** scipy.ndimage._gaussian_kernel1d(sigma, 0, radius). */
function gaussianKernel(sigma: number, radius: number): Float64Array {
  const k = new Float64Array(2 * radius + 1)
  const s2 = sigma * sigma
  let sum = 0
  for (let x = -radius; x <= radius; x++) {
    k[x + radius] = Math.exp((-0.5 / s2) * x * x)
    sum += k[x + radius]
  }
  for (let i = 0; i < k.length; i++) k[i] /= sum
  return k
}

/**
 * Structural similarity (Wang, Bovik, Sheikh & Simoncelli 2004, IEEE TIP 13(4):600–612) of
 * two same-size 2D or 3D images, as skimage.metrics.structural_similarity(a, b,
 * data_range, gaussian_weights=True, sigma=1.5, use_sample_covariance=False): local means,
 * variances and covariance from an n-D Gaussian window (σ = 1.5, truncated at 3.5σ, i.e.
 * 11 voxels wide; 'reflect' borders), SSIM = ((2μaμb + C1)(2σab + C2)) / ((μa² + μb² + C1)(σa² + σb² + C2)),
 * averaged over the map without a border of half a window, exactly where skimage crops.
 * Computed in float64. Defaults: K1 0.01, K2 0.03, σ 1.5, dataRange = the dtype range of `a`
 * for integer images (as skimage), max − min of `a` for float ones.
 */
export function ssim(a: Image, b: Image, options: SsimOptions = {}): SsimResult {
  const op = 'ssim'
  const x = scalarData(a, op)
  const y = scalarData(b, op)
  assertSameSize(a, b, op, 'second image')
  const dim = a.imageType.dimension
  if (dim !== 2 && dim !== 3) throw new Error(`${op} needs 2D or 3D images, got ${dim}D`)
  const K1 = options.K1 ?? 0.01
  const K2 = options.K2 ?? 0.03
  const sigma = options.sigma ?? 1.5
  const gaussian = options.gaussian ?? true
  if (!(K1 >= 0) || !(K2 >= 0)) throw new Error(`${op}: K1 and K2 must be ≥ 0, got ${K1}, ${K2}`)
  if (!(sigma > 0)) throw new Error(`${op}: sigma must be > 0, got ${sigma}`)
  let kernel: Float64Array
  let win: number
  if (gaussian) {
    const radius = Math.trunc(3.5 * sigma + 0.5)
    kernel = gaussianKernel(sigma, radius)
    win = 2 * radius + 1
  } else {
    win = options.winSize ?? 7
    if (!Number.isInteger(win) || win < 1 || win % 2 !== 1) throw new Error(`${op}: winSize must be an odd positive integer, got ${win}`)
    kernel = new Float64Array(win).fill(1 / win)
  }
  if (a.size.some((n) => n < win)) {
    throw new Error(`${op}: the ${win}-voxel window exceeds the image extent ${a.size.join('×')}; use a smaller sigma or winSize`)
  }
  const range = dataRangeFor(a, x, options.dataRange, op)
  const n = x.length
  const covNorm = options.useSampleCovariance ? win ** dim / (win ** dim - 1) : 1
  const ux = Float64Array.from(x)
  const uy = Float64Array.from(y)
  const uxx = new Float64Array(n)
  const uyy = new Float64Array(n)
  const uxy = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    const xi = x[i]
    const yi = y[i]
    uxx[i] = xi * xi
    uyy[i] = yi * yi
    uxy[i] = xi * yi
  }
  const tmp = new Float64Array(n)
  for (const arr of [ux, uy, uxx, uyy, uxy]) separableFilter(arr, tmp, a.size, kernel)
  const C1 = (K1 * range) ** 2
  const C2 = (K2 * range) ** 2
  const S = uxx // reuse: the map overwrites uxx voxel by voxel
  for (let i = 0; i < n; i++) {
    const mx = ux[i]
    const my = uy[i]
    const vx = covNorm * (uxx[i] - mx * mx)
    const vy = covNorm * (uyy[i] - my * my)
    const vxy = covNorm * (uxy[i] - mx * my)
    S[i] = ((2 * mx * my + C1) * (2 * vxy + C2)) / ((mx * mx + my * my + C1) * (vx + vy + C2))
  }
  // Mean over the map with a border of (win − 1) / 2 removed on every side (skimage's crop).
  const pad = (win - 1) >> 1
  const [nx, ny] = a.size
  const nz = dim === 3 ? a.size[2] : 1
  const z0 = dim === 3 ? pad : 0
  const z1 = dim === 3 ? nz - pad : 1
  let sum = 0
  let count = 0
  for (let z = z0; z < z1; z++) {
    for (let yy = pad; yy < ny - pad; yy++) {
      const base = (yy + ny * z) * nx
      for (let xx = pad; xx < nx - pad; xx++) sum += S[base + xx]
      count += nx - 2 * pad
    }
  }
  const mssim = sum / count
  return options.full ? { mssim, map: imageLike(a, S) } : { mssim }
}
