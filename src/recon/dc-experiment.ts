/**
 * The data-consistency experiment of the 3.3 lab, one call in the worker: a real image is
 * taken as the truth, its centred k-space is undersampled with {@link cartesianUndersamplingMask},
 * and a stand-in "network" D is applied N times, once alone (x ← D(x)) and once alternating
 * with data consistency (x ← DC(D(x)), {@link kspaceDataConsistency}), both from the
 * zero-filled image. No network is trained: D is a Gaussian filter (scipy's gaussian_filter,
 * {@link gaussianFilterInPlace}) of the real and imaginary parts, optionally followed by
 * pasting a fixed structure that is not in the truth (a deliberate hallucination): a smooth
 * blob (its k-space mostly in the fully sampled centre) or a striped patch whose stripes sit at
 * an unsampled phase-encode line (its k-space mostly unmeasured, so data consistency keeps it).
 */
import { makeImage, pixelData, type Image } from '../image'
import { gaussianFilterInPlace } from '../spatial/gaussian-filter'
import { ifft2, fft2 } from '../mri/kspace'
import { rmse, ssim } from '../metrics/index'
import { cartesianUndersamplingMask, DataConsistencyError, kspaceDataConsistency } from './data-consistency'
import type { ProgressOptions } from './common'

export interface DcExperimentOptions extends ProgressOptions {
  /** Acceleration R of the random line mask, 1–16. Default 4. */
  acceleration?: number
  /** Fully sampled centre fraction. Default 0.08. */
  centerFraction?: number
  /** σ of the Gaussian "denoiser" in pixels, 0.3–5. Default 1. */
  sigma?: number
  /** Pasted structure: 'none' (default), 'blob' (low frequency) or 'stripes' (at an unsampled line). */
  hallucination?: 'none' | 'blob' | 'stripes'
  /** Alternations of denoiser and DC, 1–50. Default 10. */
  iterations?: number
  /** DC weight λ (Infinity = hard). Default Infinity. */
  lambda?: number
  /** Mask seed. Default 1. */
  seed?: number
}

export interface DcExperimentResult {
  truth: Image
  zeroFilled: Image
  denoised: Image
  withDc: Image
  /** The mask (centred k-space layout, rows = phase encodes). */
  mask: Image
  /** RMSE and SSIM (data range 1) of |x| per iteration, without and with DC; index 0 = zero-filled. */
  rmseDenoised: number[]
  rmseDc: number[]
  ssimDenoised: number[]
  ssimDc: number[]
  /** Fraction of the pasted structure's k-space energy on unsampled lines (NaN without one). */
  hallucinationUnsampledEnergy: number
  /** Fraction of phase-encode lines sampled. */
  sampledFraction: number
}

const magnitude = (z: Image) => {
  const d = z.data as Float64Array
  return makeImage([z.size[0], z.size[1]], { data: Float64Array.from({ length: d.length / 2 }, (_, i) => Math.hypot(d[2 * i], d[2 * i + 1])) })
}

/** Runs the experiment (see the module comment) on a 2D scalar image scaled to [0, 1] by its maximum. */
export function dataConsistencyExperiment(image: Image, options: DcExperimentOptions = {}): DcExperimentResult {
  const op = 'dataConsistencyExperiment'
  const sigma = options.sigma ?? 1
  const iterations = options.iterations ?? 10
  const hallucination = options.hallucination ?? 'none'
  if (typeof sigma !== 'number' || !(sigma >= 0.3 && sigma <= 5)) throw new DataConsistencyError('BAD_OPTION', `${op}: sigma must be in [0.3, 5] pixels, got ${String(sigma)}`)
  if (!Number.isInteger(iterations) || iterations < 1 || iterations > 50) throw new DataConsistencyError('BAD_OPTION', `${op}: iterations must be an integer in [1, 50], got ${String(iterations)}`)
  if (!['none', 'blob', 'stripes'].includes(hallucination)) throw new DataConsistencyError('BAD_OPTION', `${op}: hallucination must be 'none', 'blob' or 'stripes'`)
  const lambda = options.lambda ?? Infinity
  if (typeof lambda !== 'number' || Number.isNaN(lambda) || lambda < 0) throw new DataConsistencyError('BAD_OPTION', `${op}: lambda must be a number ≥ 0 (Infinity: hard replacement), got ${String(lambda)}`)
  if (!image?.data || image.imageType.components !== 1 || image.size.length < 2) throw new DataConsistencyError('BAD_IMAGE', `${op}: needs a 2D scalar image`)
  const [nx, ny] = image.size
  // The mask first: it validates acceleration, centerFraction and seed before the big allocations.
  const mask = cartesianUndersamplingMask(nx, ny, { acceleration: options.acceleration ?? 4, centerFraction: options.centerFraction, seed: options.seed ?? 1 })
  const src = pixelData(image)
  let max = 0
  for (let i = 0; i < nx * ny; i++) max = Math.max(max, Number(src[i]))
  const truth = makeImage([nx, ny], { data: Float64Array.from({ length: nx * ny }, (_, i) => (max > 0 ? Number(src[i]) / max : 0)), name: 'truth' })
  const m = mask.data as Uint8Array
  const k = fft2(truth, { shift: true })
  const kd = k.data as Float64Array
  for (let i = 0; i < m.length; i++) if (!m[i]) kd[2 * i] = kd[2 * i + 1] = 0
  const zeroFilled = ifft2(k, { shift: true })
  // The pasted structure: an envelope w (Gaussian, σ = 5 % of the width) at 60 % / 40 % of the
  // image, painted at a fixed grey (blob) or grey ± stripes along y at an unsampled line's frequency.
  let paste: ((re: Float64Array) => void) | null = null
  let unsampledEnergy = NaN
  if (hallucination !== 'none') {
    const cx = Math.round(0.6 * nx), cy = Math.round(0.4 * ny), s = 0.05 * nx
    const rows = Array.from({ length: ny }, (_, r) => m[r * nx])
    const c = Math.floor(ny / 2)
    let line = Math.round(ny / 6)
    while (line < c - 1 && (rows[c + line] || rows[c - line])) line++
    const w = new Float64Array(nx * ny)
    const t = new Float64Array(nx * ny)
    for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) {
      const i = y * nx + x
      w[i] = Math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * s * s))
      t[i] = hallucination === 'blob' ? 0.9 : 0.5 + 0.4 * Math.cos((2 * Math.PI * line * (y - cy)) / ny)
    }
    paste = (re) => { for (let i = 0; i < re.length; i++) re[i] = (1 - w[i]) * re[i] + w[i] * t[i] }
    const h = fft2(makeImage([nx, ny], { data: Float64Array.from(w, (v, i) => v * (t[i] - 0.5)) }), { shift: true }).data as Float64Array
    let all = 0, un = 0
    for (let i = 0; i < m.length; i++) { const e = h[2 * i] ** 2 + h[2 * i + 1] ** 2; all += e; if (!m[i]) un += e }
    unsampledEnergy = all > 0 ? un / all : NaN
  }
  const denoise = (z: Image): Image => {
    const d = z.data as Float64Array
    const re = Float64Array.from({ length: nx * ny }, (_, i) => d[2 * i])
    const im = Float64Array.from({ length: nx * ny }, (_, i) => d[2 * i + 1])
    gaussianFilterInPlace(re, [nx, ny], [sigma, sigma])
    gaussianFilterInPlace(im, [nx, ny], [sigma, sigma])
    if (paste) paste(re)
    const out = new Float64Array(2 * nx * ny)
    for (let i = 0; i < nx * ny; i++) { out[2 * i] = re[i]; out[2 * i + 1] = im[i] }
    const img = makeImage([nx, ny], { data: out, components: 2 })
    ;(img.imageType as { pixelType: string }).pixelType = 'Complex'
    return img
  }
  const score = (z: Image, r: number[], s: number[]) => {
    const a = magnitude(z)
    r.push(rmse(truth, a))
    s.push(ssim(truth, a, { dataRange: 1 }).mssim)
  }
  const rmseDenoised: number[] = [], rmseDc: number[] = [], ssimDenoised: number[] = [], ssimDc: number[] = []
  score(zeroFilled, rmseDenoised, ssimDenoised)
  score(zeroFilled, rmseDc, ssimDc)
  let a = zeroFilled
  let b = zeroFilled
  for (let it = 0; it < iterations; it++) {
    options.signal?.throwIfAborted()
    a = denoise(a)
    b = kspaceDataConsistency(denoise(b), k, mask, { lambda }).image
    score(a, rmseDenoised, ssimDenoised)
    score(b, rmseDc, ssimDc)
    options.onProgress?.((it + 1) / iterations, `iteration ${it + 1} of ${iterations}`)
  }
  let sampled = 0
  for (let r = 0; r < ny; r++) sampled += m[r * nx]
  return {
    truth, zeroFilled: magnitude(zeroFilled), denoised: magnitude(a), withDc: magnitude(b), mask,
    rmseDenoised, rmseDc, ssimDenoised, ssimDc, hallucinationUnsampledEnergy: unsampledEnergy, sampledFraction: sampled / ny,
  }
}
