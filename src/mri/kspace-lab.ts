/**
 * The two k-space experiments of chapter 2.2, as library functions so the figures only draw:
 * - kspaceExperiment: a magnitude image + a SIMULATED smooth phase → centred k-space → a
 *   sampling mask and an apodisation window → zero-filled, homodyne or POCS reconstruction, with
 *   the mask's point-spread function, the error image and RMSEs against the (windowed) truth.
 * - coilExperiment: SIMULATED 8-coil data (synthesizeCoils) → RSS without and with noise
 *   pre-whitening and Roemer's combination, with SNR maps from pseudo multiple replicas
 *   (`replicas` independent noise draws: SNR = the noise-free combination / the standard
 *   deviation over the replicas; the whitening of the noise-free data uses the first pre-scan).
 */
import { makeImage, type Image } from '../image'
import { complexImage, complexMagnitude, complexParts, fft2, ifft2 } from './kspace'
import { apodize, applyMask, centralBand, homodyne, maskFraction, pocs, pointSpread, samplingMask, type ApodizeOptions, type SamplingMaskOptions } from './sampling'
import { coilCompress, mixCoils, noiseCovariance, prewhiten, rssCombine, sensitivityCombine, synthesizeCoils, type ComplexMatrix } from './coils'
import { MriPrepError, check2d, checkRange } from './prep-errors'

export type PartialFourierMethod = 'zero-filled' | 'homodyne' | 'pocs'

export interface KspaceExperimentOptions {
  mask?: SamplingMaskOptions
  /** Reconstruction; homodyne and POCS need a partial-Fourier mask. Default 'zero-filled'. */
  method?: PartialFourierMethod
  /** Apodisation window applied to the acquired k-space. Default none. */
  window?: ApodizeOptions
  /** Peak of the simulated smooth phase (radians). Default 1. */
  phase?: number
  /** POCS iterations. Default 10. */
  iterations?: number
}

export interface KspaceExperiment {
  truth: Image
  /** log10(1 + |k|) of the acquired (masked, windowed) k-space. */
  kspaceLog: Image
  mask: Image
  /** log10 of the PSF of mask × window (peak 0), floored at −4. */
  psfLog: Image
  zeroFilled: Image
  recon: Image
  /** |recon| − truth. */
  error: Image
  rmse: number
  rmseZeroFilled: number
  /** RMSE of the full, unmasked k-space with the same window over the whole grid (the window's own blur). */
  rmseWindowOnly: number
  fraction: number
}

const rmseOf = (a: Float32Array, b: ArrayLike<number>) => {
  let s = 0
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2
  return Math.sqrt(s / a.length)
}

export function kspaceExperiment(image: Image, options: KspaceExperimentOptions = {}): KspaceExperiment {
  const [nx, ny] = check2d(image, 'image')
  const method = options.method ?? 'zero-filled'
  const phase = options.phase ?? 1
  if (!['zero-filled', 'homodyne', 'pocs'].includes(method)) throw new MriPrepError('BAD_OPTION', `method must be 'zero-filled', 'homodyne' or 'pocs' (got ${String(method)}).`)
  if (method !== 'zero-filled' && options.mask?.kind !== 'partial-fourier') throw new MriPrepError('BAD_OPTION', `method '${method}' needs a partial-fourier mask.`)
  checkRange('phase', phase, -10, 10)
  const mask = samplingMask([nx, ny], options.mask)
  const { re: mag } = complexParts(image, 'kspaceExperiment')
  const re = new Float64Array(nx * ny)
  const im = new Float64Array(nx * ny)
  for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) {
    const u = (x - nx / 2) / (nx / 2)
    const v = (y - ny / 2) / (ny / 2)
    const p = phase * (0.7 * u - 0.5 * v + 0.3 * Math.cos(Math.PI * u * v))
    re[y * nx + x] = mag[y * nx + x] * Math.cos(p)
    im[y * nx + x] = mag[y * nx + x] * Math.sin(p)
  }
  const truth = makeImage([nx, ny], { spacing: image.spacing, origin: image.origin, data: Float32Array.from(mag, Math.abs), name: 'truth' })
  const low = options.mask?.kind === 'low-resolution'
  const band = (n: number) => centralBand(n, options.mask?.keep ?? 0.5)[1]
  // A low-resolution acquisition is windowed over the matrix it acquired, not the full grid.
  const win: ApodizeOptions = { ...(options.window ?? { window: 'none' }), ...(low ? { extent: [band(nx), band(ny)] as [number, number] } : {}) }
  const full = fft2(complexImage(re, im, image, 'object'), { shift: true })
  const k = apodize(applyMask(full, mask), win)
  const zf = complexMagnitude(ifft2(k, { shift: true }))
  const fraction = options.mask?.fraction ?? 5 / 8
  const rec = method === 'homodyne' ? complexMagnitude(homodyne(k, { fraction })) : method === 'pocs' ? complexMagnitude(pocs(k, { fraction, iterations: options.iterations ?? 10 })) : zf
  const t = truth.data as Float32Array
  const r = rec.data as Float32Array
  const err = Float32Array.from(r, (v, i) => v - t[i])
  const kp = complexParts(k, 'kspaceExperiment')
  const kspaceLog = makeImage([nx, ny], { data: Float32Array.from(kp.re, (v, i) => Math.log10(1 + Math.hypot(v, kp.im[i]))), name: 'kspace-log' })
  const weighted = apodize(mask, win)
  const psf = pointSpread(weighted).data as Float64Array
  const psfLog = makeImage([nx, ny], { data: Float32Array.from(psf, (v) => Math.max(-4, Math.log10(v || 1e-12))), name: 'psf-log' })
  const windowOnly = complexMagnitude(ifft2(apodize(full, { ...win, extent: undefined }), { shift: true })).data as Float32Array
  return {
    truth, kspaceLog, mask, psfLog, zeroFilled: zf, recon: rec,
    error: makeImage([nx, ny], { data: err, name: 'error' }),
    rmse: rmseOf(r, t), rmseZeroFilled: rmseOf(zf.data as Float32Array, t), rmseWindowOnly: rmseOf(windowOnly, t),
    fraction: maskFraction(mask),
  }
}

export interface CoilExperimentOptions {
  coils?: number
  noise?: number
  correlation?: number
  /** Virtual coils kept by SVD compression of the whitened data, 1 to the number of coils. Default 3. */
  virtualCoils?: number
  /** Noise replicas for the SNR maps, 2 to 64. Default 16. */
  replicas?: number
  seed?: number
}

export interface CoilExperiment {
  /** Magnitudes of the first replica's coil images. */
  coilMagnitudes: Image[]
  rss: Image
  rssWhitened: Image
  roemer: Image
  snrRss: Image
  snrWhitened: Image
  snrRoemer: Image
  /** Mean SNR over the object (truth > 30 % of its maximum); compressed: RSS of the virtual coils. */
  meanSnr: { rss: number; whitened: number; roemer: number; compressed: number }
  /** SVD compression of the whitened data: virtual coils kept and the fraction of the energy they hold. */
  compression: { virtualCoils: number; energy: number }
  /** Largest |off-diagonal| noise correlation coefficient before and after whitening (from the pre-scan). */
  correlation: { before: number; after: number }
  /** Noise standard deviation of each coil, from the pre-scan. */
  coilNoise: number[]
}

function maxCorrelation(psi: { n: number; re: Float64Array; im: Float64Array }): number {
  let m = 0
  for (let i = 0; i < psi.n; i++) for (let j = 0; j < psi.n; j++) if (i !== j)
    m = Math.max(m, Math.hypot(psi.re[i * psi.n + j], psi.im[i * psi.n + j]) / Math.sqrt(psi.re[i * psi.n + i] * psi.re[j * psi.n + j]))
  return m
}

export function coilExperiment(image: Image, options: CoilExperimentOptions = {}): CoilExperiment {
  const [nx, ny] = check2d(image, 'image')
  const replicas = options.replicas ?? 16
  const seed = options.seed ?? 1
  checkRange('replicas', replicas, 2, 64, true)
  checkRange('virtualCoils', options.virtualCoils ?? 3, 1, options.coils ?? 8, true)
  const n = nx * ny
  // The noise-free combinations are the signal; the replicas give the noise standard deviation.
  // One noise covariance (the first replica's pre-scan) whitens every replica, as on a scanner.
  const clean = synthesizeCoils(image, { coils: options.coils, noise: 0, seed })
  const sums = [0, 1, 2, 3].map(() => ({ s: new Float64Array(n), q: new Float64Array(n) }))
  let signal: Image[] = []
  let first: { coils: Image[]; rss: Image; white: Image; roemer: Image } | null = null
  let psi: ComplexMatrix | null = null
  let before = 0
  let after = 0
  let coilNoise: number[] = []
  const nv = options.virtualCoils ?? 3
  let compression: { matrix: ComplexMatrix; energy: number } | null = null
  const combine = (coils: Image[], sens: Image[], cov: ComplexMatrix) => {
    const white = prewhiten(coils, cov)
    // The compression matrix comes from the first (noise-free) whitened data and is then fixed.
    compression ??= (({ matrix, energy }) => ({ matrix, energy }))(coilCompress(white, { virtualCoils: nv }))
    return [rssCombine(coils), rssCombine(white), complexMagnitude(sensitivityCombine(coils, sens, { covariance: cov })), rssCombine(mixCoils(white, compression.matrix).slice(0, nv))]
  }
  for (let r = 0; r < replicas; r++) {
    const sim = synthesizeCoils(image, { coils: options.coils, noise: options.noise, correlation: options.correlation, seed: seed + 7919 * r, noiseSamples: 2048 })
    if (!psi) {
      psi = noiseCovariance(sim.noise)
      signal = combine(clean.coils, clean.sensitivities, psi)
      before = maxCorrelation(psi)
      after = maxCorrelation(noiseCovariance(prewhiten(sim.noise, psi)))
      const p = psi
      coilNoise = Array.from({ length: p.n }, (_, i) => Math.sqrt(p.re[i * p.n + i]))
    }
    const out = combine(sim.coils, sim.sensitivities, psi)
    out.forEach((img, k) => {
      const d = img.data as ArrayLike<number>
      for (let i = 0; i < n; i++) {
        sums[k].s[i] += d[i]
        sums[k].q[i] += d[i] * d[i]
      }
    })
    if (r === 0) first = { coils: sim.coils, rss: out[0], white: out[1], roemer: out[2] }
  }
  const mag = complexParts(image, 'coilExperiment').re
  let peak = 0
  for (let i = 0; i < n; i++) peak = Math.max(peak, mag[i])
  const snr = sums.map(({ s, q }, k) => {
    const sig = signal[k].data as ArrayLike<number>
    return Float32Array.from(s, (v, i) => {
      const mean = v / replicas
      const sd = Math.sqrt(Math.max(0, (q[i] - replicas * mean * mean) / (replicas - 1)))
      return sd > 0 ? sig[i] / sd : 0
    })
  })
  const meanIn = (a: Float32Array) => {
    let s = 0
    let c = 0
    for (let i = 0; i < n; i++) if (mag[i] > 0.3 * peak) { s += a[i]; c++ }
    return c ? s / c : 0
  }
  const f = first as NonNullable<typeof first>
  const im = (d: Float32Array, name: string) => makeImage([nx, ny], { data: d, name })
  return {
    coilMagnitudes: f.coils.map((c) => complexMagnitude(c)),
    rss: f.rss, rssWhitened: f.white, roemer: f.roemer,
    snrRss: im(snr[0], 'snr-rss'), snrWhitened: im(snr[1], 'snr-whitened'), snrRoemer: im(snr[2], 'snr-roemer'),
    meanSnr: { rss: meanIn(snr[0]), whitened: meanIn(snr[1]), roemer: meanIn(snr[2]), compressed: meanIn(snr[3]) },
    compression: { virtualCoils: nv, energy: (compression as { energy: number } | null)?.energy ?? 1 },
    correlation: { before, after }, coilNoise,
  }
}
