/**
 * Data consistency: the step of an unrolled ("learned iterative") reconstruction that pulls a
 * network's (or any denoiser's) output back towards the measured data.
 *
 * MRI, single coil, Cartesian sampling. With the centred k-space F x = fftshift(fft2(x)) (the
 * library's `fft2(·, { shift: true })`, numpy's conventions), a binary sampling mask m and the
 * measured k-space y (meaningful where m = 1), the data-consistency layer of Schlemper et al.
 * ("A deep cascade of convolutional neural networks for dynamic MR image reconstruction",
 * IEEE TMI 37(2):491–503, 2018, eq. 9) is, sample by sample,
 *
 *   k_out = (1 − m) · F x + m · (F x + λ y) / (1 + λ),     x_out = F⁻¹ k_out,
 *
 * the minimiser over k of ‖k − F x‖² + λ ‖m ⊙ (k − y)‖² (a proximal step in k-space). λ = ∞ is
 * hard replacement (k_out = y on the sampled positions, F x elsewhere); λ = 0 leaves x unchanged.
 * MoDL (Aggarwal, Mani & Jacob, IEEE TMI 38(2):394–405, 2019) solves the same single-coil
 * problem with its regularisation weight on the denoiser term, λ_MoDL = 1 / λ here. On the
 * sampled positions the residual shrinks by exactly 1 / (1 + λ): the step never increases
 * ‖m ⊙ (F x − y)‖.
 *
 * CT. A gradient step on ½ ‖A x − y‖²: x ← x − η Aᵀ(A x − y), with A = `radon(·, { circle: true })`
 * (skimage's projector) and Aᵀ its exact transpose `radonTranspose`. `iradon(·, { filter: null })`
 * is not used as Aᵀ: it is an interpolating back-projection scaled by π / (2 · views) and masked
 * to the circle, close to but not exactly the transpose, so the descent guarantee would be lost.
 * The default step η = 1 / (max(A 1) · max(Aᵀ 1)) is at most 1 / ‖A‖² (Schur's bound
 * ‖A‖² ≤ ‖A‖₁ ‖A‖∞ for a non-negative matrix), so every step lowers or keeps ‖A x − y‖.
 */
import { makeImage, pixelData, type Image } from '../image'
import { LibraryError } from '../errors'
import { fft2, ifft2 } from '../mri/kspace'
import { mulberry32 } from '../random'
import { radon } from './radon'
import { radonTranspose } from './mlem'
import { checkAngles, defaultAngles, image2d, size2d, storedAngles, toFloat64 } from './common'

/** Error codes of {@link DataConsistencyError}. */
export type DataConsistencyErrorCode =
  /** An image, k-space or mask is missing, not 2D, of the wrong kind or of mismatched size. */
  | 'BAD_IMAGE'
  /** The mask has values other than 0 and 1. */
  | 'BAD_MASK'
  /** An option is out of range. */
  | 'BAD_OPTION'

/** A problem with the input of a data-consistency operation, with a machine-readable `code`. */
export class DataConsistencyError extends LibraryError<DataConsistencyErrorCode> {
  constructor(code: DataConsistencyErrorCode, message: string) {
    super('DataConsistencyError', code, message)
  }
}

export interface KspaceDataConsistencyOptions {
  /**
   * Weight of the measured data, ≥ 0: Infinity (default) replaces the sampled k-space values by
   * the measured ones (hard data consistency); a finite λ averages them, (F x + λ y) / (1 + λ).
   */
  lambda?: number
  /** k-space and mask are centred (fftshift layout, as `fft2(·, { shift: true })`). Default true. */
  shift?: boolean
}

export interface KspaceDataConsistencyResult {
  /** x_out = F⁻¹ k_out, a complex image (pixelType 'Complex', 2 interleaved components). */
  image: Image
  /** k_out, complex, in the layout of the input k-space. */
  kspace: Image
}

function plane(image: Image | undefined, what: string, op: string, components: number[]): [number, number] {
  if (!image || !image.imageType || !Array.isArray(image.size) || !image.data) throw new DataConsistencyError('BAD_IMAGE', `${op}: the ${what} is not an image with pixel data`)
  const dim = image.imageType.dimension
  if (dim !== 2 && !(dim === 3 && image.size[2] === 1)) throw new DataConsistencyError('BAD_IMAGE', `${op}: the ${what} must be 2D (it is ${image.size.join('×')})`)
  const c = image.imageType.components
  if (!components.includes(c)) throw new DataConsistencyError('BAD_IMAGE', `${op}: the ${what} must have ${components.join(' or ')} component(s) per pixel (it has ${c})`)
  const [nx, ny] = image.size
  if (image.data.length !== nx * ny * c) throw new DataConsistencyError('BAD_IMAGE', `${op}: the ${what} has ${image.data.length} values for ${nx}×${ny}×${c}`)
  return [nx, ny]
}

function sameSize(a: [number, number], b: [number, number], what: string, op: string): void {
  if (a[0] !== b[0] || a[1] !== b[1]) throw new DataConsistencyError('BAD_IMAGE', `${op}: the ${what} is ${b.join('×')}, the image ${a.join('×')}`)
}

function binaryMask(mask: Image, op: string): Uint8Array {
  const d = pixelData(mask)
  const m = new Uint8Array(d.length)
  for (let i = 0; i < d.length; i++) {
    const v = Number(d[i])
    if (v !== 0 && v !== 1) throw new DataConsistencyError('BAD_MASK', `${op}: the mask must hold 0 (not sampled) or 1 (sampled); pixel ${i} is ${v}`)
    m[i] = v
  }
  return m
}

function complexLike(data: Float64Array, like: Image, name: string): Image {
  const out = makeImage([like.size[0], like.size[1]], { data, components: 2, name, spacing: like.spacing.slice(0, 2), origin: like.origin.slice(0, 2) })
  ;(out.imageType as { pixelType: string }).pixelType = 'Complex'
  return out
}

/**
 * One k-space data-consistency step (see the module comment): the estimate (real or complex
 * image) is transformed, its sampled k-space values are replaced by (λ = ∞) or averaged with
 * (finite λ) the measured ones, and the result is transformed back.
 */
export function kspaceDataConsistency(estimate: Image, measured: Image, mask: Image, options: KspaceDataConsistencyOptions = {}): KspaceDataConsistencyResult {
  const op = 'kspaceDataConsistency'
  const lambda = options.lambda ?? Infinity
  if (typeof lambda !== 'number' || Number.isNaN(lambda) || lambda < 0) throw new DataConsistencyError('BAD_OPTION', `${op}: lambda must be a number ≥ 0 (Infinity: hard replacement), got ${String(lambda)}`)
  const shift = options.shift ?? true
  if (typeof shift !== 'boolean') throw new DataConsistencyError('BAD_OPTION', `${op}: shift must be true or false`)
  const size = plane(estimate, 'estimate', op, [1, 2])
  sameSize(size, plane(measured, 'measured k-space', op, [2]), 'measured k-space', op)
  sameSize(size, plane(mask, 'mask', op, [1]), 'mask', op)
  const m = binaryMask(mask, op)
  const k = fft2(estimate, { shift }).data as Float64Array
  const y = pixelData(measured)
  const hard = lambda === Infinity
  for (let i = 0; i < m.length; i++) {
    if (!m[i]) continue
    for (let c = 2 * i; c < 2 * i + 2; c++) k[c] = hard ? Number(y[c]) : (k[c] + lambda * Number(y[c])) / (1 + lambda)
  }
  const kspace = complexLike(k, measured, 'kspace (data-consistent)')
  const image = ifft2(kspace, { shift })
  image.name = `${estimate.name || 'estimate'} (k-space DC, λ = ${hard ? '∞' : lambda})`
  return { image, kspace }
}

/** ‖m ⊙ (F x − y)‖₂: how far the estimate's k-space is from the measured samples (same layout options). */
export function kspaceResidual(estimate: Image, measured: Image, mask: Image, options: Pick<KspaceDataConsistencyOptions, 'shift'> = {}): number {
  const op = 'kspaceResidual'
  const size = plane(estimate, 'estimate', op, [1, 2])
  sameSize(size, plane(measured, 'measured k-space', op, [2]), 'measured k-space', op)
  sameSize(size, plane(mask, 'mask', op, [1]), 'mask', op)
  const m = binaryMask(mask, op)
  const k = fft2(estimate, { shift: options.shift ?? true }).data as Float64Array
  const y = pixelData(measured)
  let s = 0
  for (let i = 0; i < m.length; i++) if (m[i]) s += (k[2 * i] - Number(y[2 * i])) ** 2 + (k[2 * i + 1] - Number(y[2 * i + 1])) ** 2
  return Math.sqrt(s)
}

export interface CartesianMaskOptions {
  /** Acceleration R: about 1 / R of the phase-encode lines (rows) are sampled, centre included. 1–16, default 4. */
  acceleration?: number
  /** Fraction of the rows around k = 0 always sampled (fully sampled centre), 0–1. Default 0.08 (fastMRI's for R = 4). */
  centerFraction?: number
  /** 'random' (default): the other lines drawn at random, as fastMRI's RandomMaskFunc; 'equispaced': every R-th line. */
  pattern?: 'random' | 'equispaced'
  /** Seed of the random pattern. Default 1. */
  seed?: number
}

/**
 * A centred (fftshift layout) 1D Cartesian undersampling mask of nx × ny: whole rows (phase
 * encodes along y, read-out along x fully sampled), round(centerFraction · ny) rows around
 * ny // 2 always, the rest so that about ny / R rows are sampled in all (fastMRI's recipe:
 * Zbontar et al., arXiv:1811.08839, 2018). Values 0 and 1, uint8.
 */
export function cartesianUndersamplingMask(nx: number, ny: number, options: CartesianMaskOptions = {}): Image {
  const op = 'cartesianUndersamplingMask'
  if (!Number.isInteger(nx) || !Number.isInteger(ny) || nx < 1 || ny < 1 || nx * ny > 1 << 26) throw new DataConsistencyError('BAD_OPTION', `${op}: the size must be two positive integers, got ${nx}×${ny}`)
  const R = options.acceleration ?? 4
  if (typeof R !== 'number' || !(R >= 1 && R <= 16)) throw new DataConsistencyError('BAD_OPTION', `${op}: acceleration must be in [1, 16], got ${String(R)}`)
  const cf = options.centerFraction ?? 0.08
  if (typeof cf !== 'number' || !(cf >= 0 && cf <= 1)) throw new DataConsistencyError('BAD_OPTION', `${op}: centerFraction must be in [0, 1], got ${String(cf)}`)
  const pattern = options.pattern ?? 'random'
  if (pattern !== 'random' && pattern !== 'equispaced') throw new DataConsistencyError('BAD_OPTION', `${op}: pattern must be 'random' or 'equispaced', got ${String(pattern)}`)
  const seed = options.seed ?? 1
  if (!Number.isInteger(seed)) throw new DataConsistencyError('BAD_OPTION', `${op}: seed must be an integer, got ${String(seed)}`)
  const rows = new Uint8Array(ny)
  const centre = Math.round(cf * ny)
  const c0 = Math.floor(ny / 2) - Math.floor(centre / 2)
  for (let r = c0; r < c0 + centre; r++) rows[r] = 1
  if (pattern === 'equispaced') {
    for (let r = Math.floor(ny / 2) % Math.round(R); r < ny; r += Math.round(R)) rows[r] = 1
  } else {
    // fastMRI: the remaining lines each with probability (ny / R − centre) / (ny − centre).
    const p = ny > centre ? Math.max(0, ny / R - centre) / (ny - centre) : 0
    const rand = mulberry32(seed)
    for (let r = 0; r < ny; r++) if (!rows[r] && rand() < p) rows[r] = 1
  }
  const data = new Uint8Array(nx * ny)
  for (let r = 0; r < ny; r++) if (rows[r]) data.fill(1, r * nx, (r + 1) * nx)
  return makeImage([nx, ny], { data, name: `mask R=${R} (${pattern})` })
}

export interface CtDataConsistencyOptions {
  /** Angles of the sinogram's views in degrees. Default: those `radon` stored, else evenly spaced in [0, 180). */
  angles?: ArrayLike<number>
  /** Step η > 0. Default 1 / (max(A 1) · max(Aᵀ 1)) ≤ 1 / ‖A‖² (see the module comment). */
  stepSize?: number
  /** Gradient steps, 1–1000. Default 1. */
  iterations?: number
}

/** The default CT step 1 / (max(A 1) · max(Aᵀ 1)) for an n × n image and these angles. */
export function ctDefaultStepSize(n: number, angles: ArrayLike<number>): number {
  const a = checkAngles(angles, 'ctDefaultStepSize')
  if (!Number.isInteger(n) || n < 1) throw new DataConsistencyError('BAD_OPTION', `ctDefaultStepSize: n must be a positive integer, got ${n}`)
  const rowSums = pixelData(radon(image2d(n, n, new Float64Array(n * n).fill(1), 'ones'), { angles: a }))
  const colSums = pixelData(radonTranspose(image2d(n, a.length, new Float64Array(n * a.length).fill(1), 'ones'), { angles: a }))
  let r = 0
  let c = 0
  for (const v of rowSums) r = Math.max(r, v)
  for (const v of colSums) c = Math.max(c, v)
  return r > 0 && c > 0 ? 1 / (r * c) : 1
}

/**
 * CT data-consistency gradient steps x ← x − η Aᵀ(A x − y) on an n × n image with the sinogram
 * y (n bins × views), A = radon (circle), Aᵀ = radonTranspose. Returns the float64 image.
 */
export function ctDataConsistency(image: Image, sinogram: Image, options: CtDataConsistencyOptions = {}): Image {
  const op = 'ctDataConsistency'
  const [n, nv] = size2d(sinogram, 'sinogram', op)
  const [ix, iy] = size2d(image, 'image', op)
  if (ix !== n || iy !== n) throw new DataConsistencyError('BAD_IMAGE', `${op}: the image is ${ix}×${iy}; it must be ${n}×${n} (the sinogram's bins)`)
  const angles = checkAngles(options.angles ?? storedAngles(sinogram) ?? defaultAngles(nv), op, nv)
  const iterations = options.iterations ?? 1
  if (!Number.isInteger(iterations) || iterations < 1 || iterations > 1000) throw new DataConsistencyError('BAD_OPTION', `${op}: iterations must be an integer in [1, 1000], got ${String(iterations)}`)
  const given = options.stepSize
  if (given !== undefined && (typeof given !== 'number' || !Number.isFinite(given) || given <= 0)) throw new DataConsistencyError('BAD_OPTION', `${op}: stepSize must be a finite number > 0, got ${String(given)}`)
  const eta = given ?? ctDefaultStepSize(n, angles)
  const y = toFloat64(sinogram)
  let x = toFloat64(image)
  for (let it = 0; it < iterations; it++) {
    const r = pixelData(radon(image2d(n, n, x, 'x'), { angles })) as Float64Array
    for (let i = 0; i < r.length; i++) r[i] -= y[i]
    const g = pixelData(radonTranspose(image2d(n, nv, r, 'residual'), { angles }))
    x = Float64Array.from(x, (v, i) => v - eta * g[i])
  }
  return image2d(n, n, x, `${image.name || 'image'} (CT DC, ${iterations} step${iterations > 1 ? 's' : ''})`, image.spacing.slice(0, 2), image.origin.slice(0, 2))
}
