/**
 * k-space preprocessing for one coil: sampling masks, zero-filling, apodisation windows, the
 * point-spread function of a mask, and partial-Fourier reconstruction (homodyne and POCS).
 *
 * Conventions: k-space is centred, as `fft2(image, { shift: true })` gives it (index N/2 is the
 * zero frequency along each axis); x (readout) is the first index, y (phase encoding) the second,
 * and masks remove whole phase-encoding lines (rows y) unless they are 2D (variable density).
 * For sizes that are multiples of 4 this k-space equals bart's centred unitary FFT (`bart fft -u`)
 * times √(Nx·Ny) and a checkerboard (−1)^(x+y), so the image-domain results below equal bart's
 * (tests/reference/mri-kspace).
 */
import { mulberry32 } from '../random'
import { makeImage, type Image } from '../image'
import { complexImage, complexParts, fft2, ifft2 } from './kspace'
import { MriPrepError, check2d, checkRange } from './prep-errors'

export type SamplingMaskKind = 'full' | 'partial-fourier' | 'uniform' | 'variable-density' | 'low-resolution'

export interface SamplingMaskOptions {
  /** Which pattern. Default 'full'. */
  kind?: SamplingMaskKind
  /** partial-fourier: fraction of phase-encoding lines acquired, in [0.5, 1]. Lines y < fraction · Ny are kept (bart homodyne's convention). Default 5/8. */
  fraction?: number
  /** uniform, variable-density: acceleration R (uniform: every R-th line; variable density: 1/R of all samples), 1 to 16. Default 2. */
  acceleration?: number
  /** uniform: fully sampled lines at the centre (autocalibration signal, ACS), 0 to Ny. variable-density: diameter in samples of the fully sampled centre disc. Default 16 (uniform), 12 (variable density). */
  acs?: number
  /** variable-density: the sampling density falls as (1 − r)^power with the radius r (0 at the centre, 1 at the edge). 0 to 10. Default 3. */
  power?: number
  /** variable-density: seed of the random draw. Default 1. */
  seed?: number
  /** low-resolution: fraction of the lines and of the columns kept around the centre (a smaller acquisition matrix), 0.05 to 1. Default 0.5. */
  keep?: number
}

/**
 * A sampling mask on a centred nx × ny k-space grid (uint8, 1 = acquired).
 * - 'partial-fourier': phase-encoding lines y < fraction · ny (just over half of k-space; the
 *   rest is estimated from conjugate symmetry by homodyne or POCS).
 * - 'uniform': every R-th line counted from the centre line ny/2, plus `acs` centre lines, as in
 *   parallel imaging (SENSE, GRAPPA) acquisitions.
 * - 'variable-density': each sample is kept with probability min(1, c · (1 − r)^power), r the
 *   elliptical radius normalised to 1 at the edge of the grid, c found by bisection so that
 *   about 1/R of the samples are kept, and a fully sampled centre disc (the kind of pattern of
 *   compressed sensing MRI: Lustig, Donoho, Santos & Pauly, IEEE Signal Processing Magazine,
 *   March 2008, 72–82). Seeded (mulberry32), so the same seed gives the same mask.
 * - 'low-resolution': the central round(keep · nx) × round(keep · ny) samples only: a smaller
 *   acquisition matrix, zero-filled to the full grid (the classic source of Gibbs ringing).
 */
export function samplingMask(size: [number, number], options: SamplingMaskOptions = {}): Image {
  const kind = options.kind ?? 'full'
  const [nx, ny] = size
  checkRange('size[0]', nx, 1, 8192, true)
  checkRange('size[1]', ny, 1, 8192, true)
  if (!['full', 'partial-fourier', 'uniform', 'variable-density', 'low-resolution'].includes(kind))
    throw new MriPrepError('BAD_OPTION', `kind must be 'full', 'partial-fourier', 'uniform', 'variable-density' or 'low-resolution' (got ${String(kind)}).`)
  const fraction = options.fraction ?? 5 / 8
  const R = options.acceleration ?? 2
  const acs = options.acs ?? Math.min(kind === 'variable-density' ? 12 : 16, ny)
  const power = options.power ?? 3
  const seed = options.seed ?? 1
  checkRange('fraction', fraction, 0.5, 1)
  checkRange('acceleration', R, 1, 16)
  checkRange('acs', acs, 0, Math.max(nx, ny))
  checkRange('power', power, 0, 10)
  checkRange('seed', seed, 0, 2 ** 32 - 1, true)
  const keep = options.keep ?? 0.5
  checkRange('keep', keep, 0.05, 1)
  if (kind === 'uniform' && !Number.isInteger(R)) throw new MriPrepError('BAD_OPTION', `acceleration must be an integer for a uniform mask (got ${R}).`)
  const m = new Uint8Array(nx * ny)
  const row = (y: number) => m.fill(1, y * nx, (y + 1) * nx)
  const cy = Math.floor(ny / 2)
  if (kind === 'full') m.fill(1)
  else if (kind === 'low-resolution') {
    const [x0, wx] = centralBand(nx, keep)
    const [y0, wy] = centralBand(ny, keep)
    for (let y = y0; y < y0 + wy; y++) m.fill(1, y * nx + x0, y * nx + x0 + wx)
  }
  else if (kind === 'partial-fourier') {
    for (let y = 0; y < ny && y < fraction * ny; y++) row(y)
  } else if (kind === 'uniform') {
    for (let y = 0; y < ny; y++) if ((((y - cy) % R) + R) % R === 0) row(y)
    const a0 = cy - Math.floor(acs / 2)
    for (let y = Math.max(0, a0); y < Math.min(ny, a0 + Math.round(acs)); y++) row(y)
  } else {
    const cx = Math.floor(nx / 2)
    const radius = new Float64Array(nx * ny)
    for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++)
      radius[y * nx + x] = Math.min(1, Math.hypot((x - cx) / (nx / 2), (y - cy) / (ny / 2)))
    const inDisc = (x: number, y: number) => Math.hypot(x - cx, y - cy) <= acs / 2
    const target = (nx * ny) / R
    const expected = (c: number) => {
      let s = 0
      for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) s += inDisc(x, y) ? 1 : Math.min(1, c * (1 - radius[y * nx + x]) ** power)
      return s
    }
    let lo = 0
    let hi = 1
    while (expected(hi) < target && hi < 1e9) hi *= 2
    for (let it = 0; it < 60; it++) {
      const mid = (lo + hi) / 2
      if (expected(mid) < target) lo = mid
      else hi = mid
    }
    const rand = mulberry32(seed)
    for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) {
      const p = inDisc(x, y) ? 1 : Math.min(1, hi * (1 - radius[y * nx + x]) ** power)
      if (rand() < p) m[y * nx + x] = 1
    }
  }
  return makeImage([nx, ny], { data: m, name: `mask-${kind}` })
}

/** The first index and the length of the central round(keep · n) samples of n (centre n/2). */
export function centralBand(n: number, keep: number): [number, number] {
  const w = Math.max(1, Math.min(n, Math.round(keep * n)))
  return [Math.floor(n / 2) - Math.floor(w / 2), w]
}

/** Fraction of k-space samples a mask keeps. */
export function maskFraction(mask: Image): number {
  const d = mask.data as ArrayLike<number>
  let s = 0
  for (let i = 0; i < d.length; i++) if (d[i]) s++
  return s / d.length
}

/** k-space with the samples outside `mask` set to zero (the "zero-filled" acquisition). */
export function applyMask(kspace: Image, mask: Image): Image {
  const [nx, ny] = check2d(kspace, 'kspace')
  const [mx, my] = check2d(mask, 'mask')
  if (mx !== nx || my !== ny) throw new MriPrepError('SIZE_MISMATCH', `mask is ${mx} × ${my} but kspace is ${nx} × ${ny}.`)
  const { re, im } = complexParts(kspace, 'applyMask')
  const d = mask.data as ArrayLike<number>
  for (let i = 0; i < re.length; i++) if (!d[i]) re[i] = im[i] = 0
  return complexImage(re, im, kspace, 'kspace-masked')
}

/**
 * Zero-filling: pads centred k-space with zeros to `size` (≥ the input), which interpolates the
 * image by the ratio of the sizes (sinc interpolation) without adding information. The centre
 * index N/2 goes to M/2, as `bart resize -c`.
 */
export function zeroFill(kspace: Image, size: [number, number]): Image {
  const [nx, ny] = check2d(kspace, 'kspace')
  const [mx, my] = size
  checkRange('size[0]', mx, nx, 8192, true)
  checkRange('size[1]', my, ny, 8192, true)
  const { re, im } = complexParts(kspace, 'zeroFill')
  const ox = Math.floor(mx / 2) - Math.floor(nx / 2)
  const oy = Math.floor(my / 2) - Math.floor(ny / 2)
  const r = new Float64Array(mx * my)
  const i2 = new Float64Array(mx * my)
  for (let y = 0; y < ny; y++) {
    r.set(re.subarray(y * nx, (y + 1) * nx), (y + oy) * mx + ox)
    i2.set(im.subarray(y * nx, (y + 1) * nx), (y + oy) * mx + ox)
  }
  const like = makeImage([mx, my], { spacing: [kspace.spacing[0], kspace.spacing[1]], origin: kspace.origin })
  return complexImage(r, i2, like, 'kspace-zero-filled')
}

export type ApodizationWindow = 'none' | 'hann' | 'tukey'

export interface ApodizeOptions {
  /** Window. Default 'hann'. */
  window?: ApodizationWindow
  /** Tukey: fraction of the window inside the cosine tapers, 0 (rectangle) to 1 (Hann). Default 0.5. */
  alpha?: number
  /** apodize: length [along x, along y] of the window, centred at N/2 and 0 outside (the acquired matrix of a low-resolution scan). Default the whole grid. */
  extent?: [number, number]
}

/**
 * The periodic window of length n peaking at index n/2 (the centre of centred k-space):
 * scipy.signal.windows.hann(n, sym=False) and tukey(n, alpha, sym=False). Hann:
 * w[k] = ½ (1 − cos(2πk/n)); Tukey: 1 in the middle, Hann-shaped tapers over alpha · n samples.
 */
export function window1d(n: number, options: ApodizeOptions = {}): Float64Array {
  const kind = options.window ?? 'hann'
  const alpha = options.alpha ?? 0.5
  checkRange('n', n, 1, 1 << 20, true)
  checkRange('alpha', alpha, 0, 1)
  if (!['none', 'hann', 'tukey'].includes(kind)) throw new MriPrepError('BAD_OPTION', `window must be 'none', 'hann' or 'tukey' (got ${String(kind)}).`)
  const w = new Float64Array(n).fill(1)
  if (kind === 'none' || n === 1) return w
  if (kind === 'hann') {
    for (let k = 0; k < n; k++) w[k] = 0.5 - 0.5 * Math.cos((2 * Math.PI * k) / n)
    return w
  }
  // scipy tukey(n + 1, alpha) truncated to n samples (sym=False).
  if (alpha <= 0) return w
  const m = n + 1
  const width = Math.floor((alpha * (m - 1)) / 2)
  for (let k = 0; k < n; k++) {
    if (k <= width) w[k] = 0.5 * (1 + Math.cos(Math.PI * (-1 + (2 * k) / alpha / (m - 1))))
    else if (k >= m - width - 1) w[k] = 0.5 * (1 + Math.cos(Math.PI * (-2 / alpha + 1 + (2 * k) / alpha / (m - 1))))
  }
  return w
}

/**
 * Apodisation: multiplies centred k-space by a separable window w(kx) · w(ky). Tapering the
 * edge of k-space trades Gibbs ringing (the sinc side lobes of the truncated acquisition) for
 * a wider point-spread function (blur).
 */
export function apodize(kspace: Image, options: ApodizeOptions = {}): Image {
  const [nx, ny] = check2d(kspace, 'kspace')
  const [ex, ey] = options.extent ?? [nx, ny]
  checkRange('extent[0]', ex, 1, nx, true)
  checkRange('extent[1]', ey, 1, ny, true)
  const placed = (n: number, e: number) => {
    const w = new Float64Array(n)
    w.set(window1d(e, options), Math.floor(n / 2) - Math.floor(e / 2))
    return w
  }
  const wx = placed(nx, ex)
  const wy = placed(ny, ey)
  const { re, im } = complexParts(kspace, 'apodize')
  for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) {
    const w = wx[x] * wy[y]
    re[y * nx + x] *= w
    im[y * nx + x] *= w
  }
  return complexImage(re, im, kspace, 'kspace-apodized')
}

/** numpy.fft.fftshift of a real nx × ny array (moves index 0 to the centre). */
function shiftReal(v: Float64Array, nx: number, ny: number): Float64Array {
  const out = new Float64Array(v.length)
  const sx = Math.floor(nx / 2)
  const sy = Math.floor(ny / 2)
  for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) out[((y + sy) % ny) * nx + ((x + sx) % nx)] = v[y * nx + x]
  return out
}

/**
 * Point-spread function of a sampling pattern (mask or mask × window): |ifft2(mask)|, shifted so
 * the peak is at the centre pixel (nx/2, ny/2) and scaled so the peak is 1. A zero-filled
 * image is the true image convolved with it: side lobes away from the centre are aliasing.
 */
export function pointSpread(mask: Image): Image {
  const [nx, ny] = check2d(mask, 'mask')
  const p = complexParts(ifft2(mask, { shift: true }), 'pointSpread')
  const mag = new Float64Array(nx * ny)
  let peak = 0
  for (let i = 0; i < mag.length; i++) {
    mag[i] = Math.hypot(p.re[i], p.im[i])
    if (mag[i] > peak) peak = mag[i]
  }
  if (peak > 0) for (let i = 0; i < mag.length; i++) mag[i] /= peak
  return makeImage([nx, ny], { data: shiftReal(mag, nx, ny), name: 'psf' })
}

export interface HomodyneOptions {
  /** Fraction of phase-encoding lines acquired (lines y < fraction · ny), 0.5 to 1. Default 5/8. */
  fraction?: number
  /** Offset of the ramp: 0 a full ramp from 2 to 0 over the symmetric band, 1 a flat line (bart -r). Default 0. */
  alpha?: number
}

/** bart homodyne's weight for line p of n (acquired lines p < fraction · n). */
export function homodyneWeight(n: number, fraction: number, alpha: number, p: number): number {
  if (fraction <= 0.5) return 1
  const start = n * (1 - fraction)
  const end = n * fraction
  if (p < start) return 2
  if (p < end) return ((2 * (alpha - 1)) / (end - start)) * (p - end) + alpha
  return 1
}

/**
 * Homodyne partial-Fourier reconstruction along y (Noll, Nishimura & Macovski, IEEE TMI 10(2),
 * 1991), as `bart homodyne 1 fraction` (src/homodyne.c): the acquired lines are weighted by a
 * ramp (2 below the symmetric band, falling to 0 across it, so every frequency pair counts
 * once), the phase is estimated from the central (fraction − ½) · ny lines alone
 * (truncated to an integer, as bart), and the result is Re(ifft(weights · k) · e^{−iφ}).
 * Returns a complex image with zero imaginary part.
 */
export function homodyne(kspace: Image, options: HomodyneOptions = {}): Image {
  const [nx, ny] = check2d(kspace, 'kspace')
  const fraction = options.fraction ?? 5 / 8
  const alpha = options.alpha ?? 0
  checkRange('fraction', fraction, 0.5, 1)
  checkRange('alpha', alpha, 0, 1)
  const { re, im } = complexParts(kspace, 'homodyne')
  const c = Math.trunc((fraction - 0.5) * ny)
  const o = Math.floor(ny / 2) - Math.floor(c / 2)
  const lr = new Float64Array(nx * ny)
  const li = new Float64Array(nx * ny)
  lr.set(re.subarray(o * nx, (o + c) * nx), o * nx)
  li.set(im.subarray(o * nx, (o + c) * nx), o * nx)
  for (let y = 0; y < ny; y++) {
    const w = homodyneWeight(ny, fraction, alpha, y)
    for (let x = 0; x < nx; x++) {
      re[y * nx + x] *= w
      im[y * nx + x] *= w
    }
  }
  const img = complexParts(ifft2(complexImage(re, im, kspace, 'k'), { shift: true }), 'homodyne')
  const low = complexParts(ifft2(complexImage(lr, li, kspace, 'k'), { shift: true }), 'homodyne')
  const out = new Float64Array(nx * ny)
  for (let i = 0; i < out.length; i++) {
    const m = Math.hypot(low.re[i], low.im[i])
    // Re(z · conj(e^{iφ})) with e^{iφ} = low/|low| (1 where the low-resolution image is 0).
    out[i] = m > 0 ? (img.re[i] * low.re[i] + img.im[i] * low.im[i]) / m : img.re[i]
  }
  return complexImage(out, new Float64Array(nx * ny), kspace, 'homodyne')
}

export interface PocsOptions {
  /** Fraction of phase-encoding lines acquired (lines y < fraction · ny), 0.5 to 1. Default 5/8. */
  fraction?: number
  /** Iterations, 0 to 500. Default 10. */
  iterations?: number
}

/**
 * POCS partial-Fourier reconstruction along y (Haacke, Lindskog & Lin, J Magn Reson 92(1),
 * 1991): the phase φ comes from the symmetric band of lines (ny − end ≤ y < end, end =
 * ⌈fraction · ny⌉) under a Hann window; then repeat: image = |ifft(k)| · e^{iφ}, k = fft(image)
 * with the acquired lines put back. Returns the complex image of the last k-space.
 */
export function pocs(kspace: Image, options: PocsOptions = {}): Image {
  const [nx, ny] = check2d(kspace, 'kspace')
  const fraction = options.fraction ?? 5 / 8
  const iterations = options.iterations ?? 10
  checkRange('fraction', fraction, 0.5, 1)
  checkRange('iterations', iterations, 0, 500, true)
  const k0 = complexParts(kspace, 'pocs')
  const end = Math.min(ny, Math.ceil(fraction * ny))
  const start = ny - end
  const band = end - start
  const lr = new Float64Array(nx * ny)
  const li = new Float64Array(nx * ny)
  for (let y = start; y < end; y++) {
    const w = 0.5 - 0.5 * Math.cos((2 * Math.PI * (y - start + 0.5)) / band)
    for (let x = 0; x < nx; x++) {
      lr[y * nx + x] = w * k0.re[y * nx + x]
      li[y * nx + x] = w * k0.im[y * nx + x]
    }
  }
  const low = complexParts(ifft2(complexImage(lr, li, kspace, 'k'), { shift: true }), 'pocs')
  const pr = new Float64Array(nx * ny)
  const pi = new Float64Array(nx * ny)
  for (let i = 0; i < pr.length; i++) {
    const m = Math.hypot(low.re[i], low.im[i])
    pr[i] = m > 0 ? low.re[i] / m : 1
    pi[i] = m > 0 ? low.im[i] / m : 0
  }
  let k = kspace
  for (let it = 0; it < iterations; it++) {
    const x = complexParts(ifft2(k, { shift: true }), 'pocs')
    for (let i = 0; i < pr.length; i++) {
      const m = Math.hypot(x.re[i], x.im[i])
      x.re[i] = m * pr[i]
      x.im[i] = m * pi[i]
    }
    const kn = complexParts(fft2(complexImage(x.re, x.im, kspace, 'x'), { shift: true }), 'pocs')
    kn.re.set(k0.re.subarray(0, end * nx))
    kn.im.set(k0.im.subarray(0, end * nx))
    k = complexImage(kn.re, kn.im, kspace, 'k')
  }
  const out = ifft2(k, { shift: true })
  out.name = 'pocs'
  return out
}
