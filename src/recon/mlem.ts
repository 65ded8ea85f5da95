/**
 * MLEM and OSEM for emission tomography with the Radon projector of {@link radon}.
 *
 * The system model: the sinogram p holds Poisson counts with mean A·f, where A is exactly
 * `radon(·, { angles, circle: true })` on a square n × n image (skimage's rotate-by-`warp`,
 * bilinear, column-sum projector; n = the sinogram's bins) and Aᵀ is its exact transpose
 * ({@link radonTranspose}: every bilinear weight of the forward pass, scattered back).
 *
 * MLEM (Shepp & Vardi, IEEE TMI 1(2):113–122, 1982; Lange & Carson, J Comput Assist Tomogr
 * 8(2):306–316, 1984):  f ← f / (Aᵀ1) · Aᵀ(p / A f).
 * OSEM (Hudson & Larkin, IEEE TMI 13(4):601–609, 1994): the same update per ordered subset of
 * views (view v in subset v mod S), one pass over all subsets being one iteration.
 * Ratios p / (A f) are taken as 0 where A f = 0; pixels with zero sensitivity stay as they are.
 * MLEM keeps f ≥ 0 and never decreases the Poisson log-likelihood ({@link poissonLogLikelihood}).
 */
import type { Image } from '../image'
import { ReconError } from './errors'
import { checkAngles, checkNumber, defaultAngles, image2d, size2d, storedAngles, toFloat64, type ProgressOptions } from './common'

/** Precomputed per-view geometry of the square Radon projector (skimage's warp matrix). */
interface ViewGeometry { cos: number; sin: number; m02: number; m12: number }

function views(angles: Float64Array, n: number): ViewGeometry[] {
  const center = Math.floor(n / 2)
  return Array.from(angles, (deg) => {
    const a = deg * (Math.PI / 180)
    const cos = Math.cos(a)
    const sin = Math.sin(a)
    return { cos, sin, m02: -center * (cos + sin - 1), m12: -center * (cos - sin - 1) }
  })
}

/** Rows r of output column c whose bilinear sample has a neighbour inside the n × n image. */
function rowRange(a: number, b: number, n: number, lo: number, hi: number): [number, number] {
  if (Math.abs(b) < 1e-12) return a > -1 && a < n ? [lo, hi] : [1, 0]
  let t0 = (-1 - a) / b
  let t1 = (n - a) / b
  if (t0 > t1) [t0, t1] = [t1, t0]
  return [Math.max(lo, Math.floor(t0)), Math.min(hi, Math.ceil(t1))]
}

/**
 * Forward (transpose = false: sino[v·n + c] = Σ_r bilinear(image at R_v(r, c))) or transposed
 * (transpose = true: image += sino value × each bilinear weight) Radon projector on an n × n
 * image for the views `vs` (indices into geo).
 */
function project(image: Float64Array, sino: Float64Array, n: number, geo: ViewGeometry[], vs: number[], transpose: boolean): void {
  for (const v of vs) {
    const { cos, sin, m02, m12 } = geo[v]
    for (let c = 0; c < n; c++) {
      const ac = cos * c + m02
      const ar = -sin * c + m12
      let [lo, hi] = rowRange(ac, sin, n, 0, n - 1)
      ;[lo, hi] = rowRange(ar, cos, n, lo, hi)
      const s = transpose ? sino[v * n + c] : 0
      if (transpose && s === 0) continue
      let sum = 0
      for (let r = lo; r <= hi; r++) {
        const cs = ac + sin * r
        const rs = ar + cos * r
        const r0 = Math.floor(rs)
        const c0 = Math.floor(cs)
        const dr = rs - r0
        const dc = cs - c0
        const w00 = (1 - dr) * (1 - dc)
        const w01 = (1 - dr) * dc
        const w10 = dr * (1 - dc)
        const w11 = dr * dc
        const inR0 = r0 >= 0 && r0 < n
        const inR1 = r0 + 1 >= 0 && r0 + 1 < n
        const inC0 = c0 >= 0 && c0 < n
        const inC1 = c0 + 1 >= 0 && c0 + 1 < n
        const k = r0 * n + c0
        if (transpose) {
          if (inR0 && inC0) image[k] += s * w00
          if (inR0 && inC1) image[k + 1] += s * w01
          if (inR1 && inC0) image[k + n] += s * w10
          if (inR1 && inC1) image[k + n + 1] += s * w11
        } else {
          if (inR0 && inC0) sum += w00 * image[k]
          if (inR0 && inC1) sum += w01 * image[k + 1]
          if (inR1 && inC0) sum += w10 * image[k + n]
          if (inR1 && inC1) sum += w11 * image[k + n + 1]
        }
      }
      if (!transpose) sino[v * n + c] = sum
    }
  }
}

export interface RadonTransposeOptions {
  /** Angles of the views in degrees. Default: those `radon` stored, else evenly spaced in [0, 180). */
  angles?: ArrayLike<number>
}

/**
 * The exact transpose Aᵀ of `radon(·, { circle: true })` on a square bins × bins image: the
 * unfiltered, unscaled back-projection that spreads each bin over the pixels with the very
 * bilinear weights the forward pass read them with (⟨A x, y⟩ = ⟨x, Aᵀ y⟩ to rounding).
 */
export function radonTranspose(sinogram: Image, options: RadonTransposeOptions = {}): Image {
  const op = 'radonTranspose'
  const [n, nv] = size2d(sinogram, 'sinogram', op)
  const angles = checkAngles(options.angles ?? storedAngles(sinogram) ?? defaultAngles(nv), op, nv)
  const out = new Float64Array(n * n)
  project(out, toFloat64(sinogram), n, views(angles, n), Array.from({ length: nv }, (_, i) => i), true)
  return image2d(n, n, out, `${sinogram.name} (Aᵀ)`)
}

export interface MlemOptions extends ProgressOptions {
  /** Angles of the views in degrees. Default: those `radon` stored, else evenly spaced in [0, 180). */
  angles?: ArrayLike<number>
  /** Iterations (full passes over the views). Default 10. */
  iterations?: number
  /** Ordered subsets: 1 (default) is MLEM, more is OSEM (view v in subset v mod subsets). */
  subsets?: number
  /**
   * Starting estimate, bins × bins, ≥ 0 (e.g. the result of an earlier call, to continue).
   * Default: 1 inside the reconstruction circle (distance from pixel bins // 2 ≤ bins // 2), 0 outside.
   */
  image?: Image
}

/**
 * MLEM / OSEM reconstruction of a sinogram of counts (≥ 0) with the Radon projector (see the
 * module comment). Returns a bins × bins image of non-negative activity per pixel.
 */
export function mlem(sinogram: Image, options: MlemOptions = {}): Image {
  const op = 'mlem'
  const [n, nv] = size2d(sinogram, 'sinogram', op)
  const angles = checkAngles(options.angles ?? storedAngles(sinogram) ?? defaultAngles(nv), op, nv)
  const iterations = checkNumber(options.iterations ?? 10, 'iterations', op, 0, 10000, true)
  const subsets = checkNumber(options.subsets ?? 1, 'subsets', op, 1, nv, true)
  const p = toFloat64(sinogram)
  for (let i = 0; i < p.length; i++) {
    if (!(p[i] >= 0) || !Number.isFinite(p[i])) throw new ReconError('BAD_DATA', `${op}: the sinogram must hold counts ≥ 0; bin ${i % n} of view ${Math.floor(i / n)} is ${p[i]}`)
  }
  let f: Float64Array
  if (options.image) {
    const [ix, iy] = size2d(options.image, 'starting image', op)
    if (ix !== n || iy !== n) throw new ReconError('BAD_IMAGE', `${op}: the starting image is ${ix}×${iy}, it must be ${n}×${n} (the sinogram's bins)`)
    f = toFloat64(options.image)
    for (let i = 0; i < f.length; i++) if (!(f[i] >= 0)) throw new ReconError('BAD_DATA', `${op}: the starting image must be ≥ 0 everywhere`)
  } else {
    f = reconstructionCircle(n)
  }
  const geo = views(angles, n)
  const subsetViews = Array.from({ length: subsets }, (_, s) => Array.from({ length: Math.ceil((nv - s) / subsets) }, (_, k) => s + k * subsets))
  // Sensitivity Aᵀ1 of each subset.
  const ones = new Float64Array(n * nv).fill(1)
  const sens = subsetViews.map((vs) => {
    const s = new Float64Array(n * n)
    project(s, ones, n, geo, vs, true)
    return s
  })
  const q = new Float64Array(n * nv)
  const back = new Float64Array(n * n)
  const total = iterations * subsets
  for (let it = 0, done = 0; it < iterations; it++) {
    for (let s = 0; s < subsets; s++, done++) {
      options.signal?.throwIfAborted()
      const vs = subsetViews[s]
      project(f, q, n, geo, vs, false)
      for (const v of vs) {
        for (let c = 0; c < n; c++) {
          const k = v * n + c
          q[k] = q[k] > 0 ? p[k] / q[k] : 0
        }
      }
      back.fill(0)
      project(back, q, n, geo, vs, true)
      const sv = sens[s]
      for (let i = 0; i < f.length; i++) if (sv[i] > 0) f[i] *= back[i] / sv[i]
      options.onProgress?.((done + 1) / total, subsets > 1 ? `OSEM iteration ${it + 1}, subset ${s + 1}` : `MLEM iteration ${it + 1}`)
    }
  }
  return image2d(n, n, f, `${sinogram.name} (${subsets > 1 ? `OSEM ${subsets} subsets` : 'MLEM'}, ${iterations} it.)`)
}

/** 1 inside the circle |(row, col) − n // 2|² ≤ (n // 2)², 0 outside (skimage's convention). */
export function reconstructionCircle(n: number): Float64Array {
  const f = new Float64Array(n * n)
  const c = Math.floor(n / 2)
  for (let r = 0; r < n; r++) for (let k = 0; k < n; k++) if ((r - c) ** 2 + (k - c) ** 2 <= c * c) f[r * n + k] = 1
  return f
}

/**
 * Poisson log-likelihood of counts p given an estimate f, up to the constant −Σ log p!:
 * L(f) = Σ p·log(A f) − A f (terms with A f = 0 count 0 when p = 0 and −∞ otherwise), with the
 * projector of {@link mlem}.
 */
export function poissonLogLikelihood(sinogram: Image, estimate: Image, options: RadonTransposeOptions = {}): number {
  const op = 'poissonLogLikelihood'
  const [n, nv] = size2d(sinogram, 'sinogram', op)
  const angles = checkAngles(options.angles ?? storedAngles(sinogram) ?? defaultAngles(nv), op, nv)
  const [ix, iy] = size2d(estimate, 'estimate', op)
  if (ix !== n || iy !== n) throw new ReconError('BAD_IMAGE', `${op}: the estimate is ${ix}×${iy}, it must be ${n}×${n}`)
  const p = toFloat64(sinogram)
  const q = new Float64Array(n * nv)
  project(toFloat64(estimate), q, n, views(angles, n), Array.from({ length: nv }, (_, i) => i), false)
  let L = 0
  for (let i = 0; i < p.length; i++) {
    if (q[i] > 0) L += p[i] * Math.log(q[i]) - q[i]
    else if (p[i] > 0) return -Infinity
  }
  return L
}
