/**
 * The parallel-beam Radon transform and filtered back-projection, defined exactly as
 * scikit-image 0.19's `skimage.transform.radon` / `iradon` (which follow Kak & Slaney,
 * "Principles of Computerized Tomographic Imaging", IEEE Press 1988, ch. 3), so that results
 * agree with skimage to rounding.
 *
 * Conventions. An image is a 2D Image (x = column, y = row, as in skimage's array[row, col]).
 * A sinogram is a 2D Image whose x axis is the detector bin and y axis the view (projection
 * angle), so its data, read row by row, is the transpose of skimage's `(detector, angle)` array.
 * Angles are in degrees; the rotation axis sits at pixel (size // 2, size // 2) and at detector
 * bin size // 2, like skimage's.
 */
import type { Image } from '../image'
import { fftInPlace, fftTwiddles } from '../bias/fft'
import { ReconError } from './errors'
import {
  checkAngles, defaultAngles, image2d, size2d, storedAngles, toFloat64, SINOGRAM_ANGLES_KEY, type ProgressOptions,
} from './common'

export interface RadonOptions extends ProgressOptions {
  /** Projection angles in degrees. Default: 0, 1, …, 179 (skimage's `np.arange(180)`). */
  angles?: ArrayLike<number>
  /**
   * true (default, skimage's default): the image is taken to be zero outside its inscribed
   * circle; it is cropped to a centred square of side min(nx, ny) and the sinogram has that
   * many detector bins. false: the image is zero-padded to a square of side ceil(√2·max(nx, ny))
   * so that every pixel is seen at every angle; the sinogram has that many bins.
   */
  circle?: boolean
}

/**
 * Radon transform (line integrals along parallel rays, unit pixel spacing) equal to
 * `skimage.transform.radon(image, theta=angles, circle=circle)`: for each angle θ the (cropped
 * or padded) square image is rotated about its centre pixel by skimage's `warp` (bilinear,
 * order 1, zero outside) and its columns are summed. Returns the sinogram (x = detector bin,
 * y = view); the angles are kept in its metadata (`recon.angles`) for `iradon`.
 */
export function radon(image: Image, options: RadonOptions = {}): Image {
  const op = 'radon'
  const [nx, ny] = size2d(image, 'image', op)
  const angles = checkAngles(options.angles ?? Array.from({ length: 180 }, (_, i) => i), op)
  const circle = options.circle ?? true
  if (typeof circle !== 'boolean') throw new ReconError('BAD_OPTION', `${op}: circle must be true or false`)
  const src = toFloat64(image)
  // The square image skimage rotates, embedded with a 2-pixel zero border so the bilinear
  // reads need no bounds checks.
  let n: number
  let offR: number // row in the square of the image's row 0
  let offC: number
  if (circle) {
    n = Math.min(nx, ny)
    offR = -Math.ceil((ny - n) / 2)
    offC = -Math.ceil((nx - n) / 2)
  } else {
    const diagonal = Math.SQRT2 * Math.max(nx, ny)
    const padR = Math.ceil(diagonal - ny)
    const padC = Math.ceil(diagonal - nx)
    n = ny + padR
    offR = Math.floor((ny + padR) / 2) - Math.floor(ny / 2)
    offC = Math.floor((nx + padC) / 2) - Math.floor(nx / 2)
  }
  const B = 2
  const w = n + 2 * B
  const padded = new Float64Array(w * w)
  for (let r = 0; r < n; r++) {
    const ir = r - offR
    if (ir < 0 || ir >= ny) continue
    for (let c = 0; c < n; c++) {
      const ic = c - offC
      if (ic >= 0 && ic < nx) padded[(r + B) * w + c + B] = src[ir * nx + ic]
    }
  }
  const nViews = angles.length
  const sino = new Float64Array(n * nViews)
  const center = Math.floor(n / 2)
  for (let v = 0; v < nViews; v++) {
    if ((v & 7) === 0) options.signal?.throwIfAborted()
    const a = angles[v] * (Math.PI / 180)
    const cos = Math.cos(a)
    const sin = Math.sin(a)
    // skimage's inverse map R: source col = cos·c + sin·r + m02, source row = −sin·c + cos·r + m12.
    const m02 = -center * (cos + sin - 1)
    const m12 = -center * (cos - sin - 1)
    const out = v * n
    for (let c = 0; c < n; c++) {
      // Source position (+ the border B, so it is > 0 and truncation is floor) at r = 0.
      const ac = cos * c + m02 + B // source col; + sin per row
      const ar = -sin * c + m12 + B // source row; + cos per row
      // Rows whose sample can touch the image: −1 < source < n on both axes (else exactly 0).
      let lo = 0
      let hi = n - 1
      ;[lo, hi] = clipRange(ac - B, sin, lo, hi, n)
      ;[lo, hi] = clipRange(ar - B, cos, lo, hi, n)
      let sum = 0
      for (let r = lo; r <= hi; r++) {
        const cs = ac + sin * r
        const rs = ar + cos * r
        const r0 = rs | 0
        const c0 = cs | 0
        const dr = rs - r0
        const dc = cs - c0
        const k = r0 * w + c0
        const top = (1 - dc) * padded[k] + dc * padded[k + 1]
        const bottom = (1 - dc) * padded[k + w] + dc * padded[k + w + 1]
        sum += (1 - dr) * top + dr * bottom
      }
      sino[out + c] = sum
    }
    options.onProgress?.((v + 1) / nViews, 'projecting')
  }
  const sinogram = image2d(n, nViews, sino, `${image.name} (sinogram)`, [image.spacing[0] ?? 1, 1], [-center * (image.spacing[0] ?? 1), angles[0]])
  sinogram.metadata.set(SINOGRAM_ANGLES_KEY, Array.from(angles))
  return sinogram
}

/**
 * Rows r in [lo, hi] where a + b·r lies in [−1.5, n + 0.5] (a sample outside (−1, n) reads only
 * the zero border and adds exactly 0, so the range may be generous but must not be short).
 */
function clipRange(a: number, b: number, lo: number, hi: number, n: number): [number, number] {
  const min = -1.5
  const max = n + 0.5
  if (Math.abs(b) < 1e-12) return a >= min && a <= max ? [lo, hi] : [1, 0]
  let t0 = (min - a) / b
  let t1 = (max - a) / b
  if (t0 > t1) [t0, t1] = [t1, t0]
  return [Math.max(lo, Math.ceil(t0)), Math.min(hi, Math.floor(t1))]
}

/** The FBP filters of skimage's `iradon` (`filter_name`); null is no filter (plain back-projection). */
export type FbpFilter = 'ramp' | 'shepp-logan' | 'cosine' | 'hamming' | 'hann' | null
export const FBP_FILTERS: readonly FbpFilter[] = ['ramp', 'shepp-logan', 'cosine', 'hamming', 'hann', null]

/**
 * The frequency response of an FBP filter on an FFT of length `size` (a power of two ≥ 4), in FFT order
 * (index k is frequency k/size cycles per bin for k < size/2, (k − size)/size above), equal to
 * skimage's `_get_fourier_filter(size, filter)`: the ramp is the FFT of the band-limited ramp's
 * sampled kernel h(0) = 1/4, h(odd m) = −1/(πm)², h(even m ≠ 0) = 0 (Kak & Slaney ch. 3,
 * eq. 61), which avoids the DC offset of a sampled |ω|; the others multiply it by a window:
 * Shepp–Logan sin(πf)/(πf), cosine cos(πf), Hamming 0.54 + 0.46·cos(2πf), Hann
 * 0.5 + 0.5·cos(2πf) (f in cycles per bin, |f| ≤ 1/2; the last two as numpy's
 * hamming/hanning(size) after fftshift, which sit half a sample off centre).
 * `cutoff` (an extension, not skimage's; default 1 = none): frequencies with |f| above
 * cutoff × ½ cycle per bin are set to 0 (a sharp low-pass on top of the window).
 */
export function fbpFilterResponse(size: number, filter: FbpFilter, cutoff = 1): Float64Array {
  if (!Number.isInteger(size) || size < 4 || (size & (size - 1)) !== 0) throw new ReconError('BAD_OPTION', `fbpFilterResponse: size must be a power of two ≥ 4, got ${size}`)
  if (!FBP_FILTERS.includes(filter)) throw new ReconError('BAD_OPTION', `fbpFilterResponse: unknown filter ${String(filter)}`)
  checkCutoff(cutoff, 'fbpFilterResponse')
  const out = new Float64Array(size)
  if (filter === null) {
    out.fill(1)
    applyCutoff(out, cutoff)
    return out
  }
  // Ramp: 2·Re(FFT(f)), f symmetric: f[0] = 1/4, f[m] = f[size − m] = −1/(π·m)² for odd m < size/2.
  const im = new Float64Array(size)
  out[0] = 0.25
  for (let m = 1; m < size; m += 2) out[m] = -1 / (Math.PI * Math.min(m, size - m)) ** 2
  fftInPlace(out, im)
  for (let k = 0; k < size; k++) out[k] *= 2
  const half = size / 2
  for (let k = 0; k < size; k++) {
    const shifted = (k + half) % size // fftshift: out[k] = window[(k + size/2) mod size]
    if (filter === 'shepp-logan') {
      if (k === 0) continue
      const omega = Math.PI * (k < half ? k / size : (k - size) / size)
      out[k] *= Math.sin(omega) / omega
    } else if (filter === 'cosine') {
      out[k] *= Math.sin((shifted * Math.PI) / size)
    } else if (filter === 'hamming') {
      out[k] *= 0.54 - 0.46 * Math.cos((2 * Math.PI * shifted) / (size - 1))
    } else if (filter === 'hann') {
      out[k] *= 0.5 - 0.5 * Math.cos((2 * Math.PI * shifted) / (size - 1))
    }
  }
  applyCutoff(out, cutoff)
  return out
}

function checkCutoff(cutoff: unknown, op: string): void {
  if (typeof cutoff !== 'number' || !(cutoff > 0 && cutoff <= 1)) throw new ReconError('BAD_OPTION', `${op}: cutoff must be a number in (0, 1] (a fraction of the Nyquist frequency), got ${String(cutoff)}`)
}

/** Zeroes the FFT-order response where |numpy.fft.fftfreq(size)| > cutoff / 2. */
function applyCutoff(h: Float64Array, cutoff: number): void {
  if (cutoff >= 1) return
  const size = h.length
  for (let k = 0; k < size; k++) {
    const f = k < size / 2 ? k / size : (k - size) / size
    if (Math.abs(f) > cutoff / 2) h[k] = 0
  }
}

const responseCache = new Map<string, Float64Array>()
/** The filter as iradon applies it: even part (H[k] + H[−k])/2, which the real part of skimage's result sees. */
function evenResponse(size: number, filter: FbpFilter, cutoff: number): Float64Array {
  const key = `${size}:${filter}:${cutoff}`
  let h = responseCache.get(key)
  if (!h) {
    const raw = fbpFilterResponse(size, filter, cutoff)
    h = new Float64Array(size)
    for (let k = 0; k < size; k++) h[k] = 0.5 * (raw[k] + raw[(size - k) % size])
    if (responseCache.size > 16) responseCache.clear()
    responseCache.set(key, h)
  }
  return h
}

export interface IradonOptions extends ProgressOptions {
  /** Angles of the views in degrees. Default: those `radon` stored, else count evenly spaced in [0, 180). */
  angles?: ArrayLike<number>
  /** FBP filter. Default 'ramp'; null: unfiltered back-projection. */
  filter?: FbpFilter
  /** Extension (not skimage's): the filter is 0 above cutoff × the Nyquist frequency. Default 1 (no cut-off), in (0, 1]. */
  cutoff?: number
  /** Interpolation of the filtered views at each pixel's detector position. Default 'linear'. */
  interpolation?: 'linear' | 'nearest'
  /** Side of the square output. Default: the bins (circle) or floor(bins/√2) (no circle), as skimage. */
  outputSize?: number
  /** true (default): pixels outside the inscribed circle are 0, and the views are zero-padded to ceil(√2·bins) first, as skimage. */
  circle?: boolean
}

/** Length of the zero-padded FFT iradon filters with: the power of two ≥ 2·bins, at least 64 (skimage). */
export function fbpPaddedSize(bins: number): number {
  let p = 1
  while (p < 2 * bins) p *= 2
  return Math.max(64, p)
}

/**
 * Filters the views of a sinogram (bins × views, x fastest) as skimage's iradon does: each view
 * zero-padded to `fbpPaddedSize(bins)`, FFT, times the filter, inverse FFT, real part, first
 * `bins` values. Two real views go through one complex FFT (the filter's even part is real and
 * even, so the real and imaginary parts stay apart).
 */
export function filterSinogram(data: Float64Array, bins: number, views: number, filter: FbpFilter, cutoff = 1): Float64Array {
  const out = new Float64Array(bins * views)
  if (filter === null && cutoff >= 1) {
    out.set(data)
    return out
  }
  const P = fbpPaddedSize(bins)
  const H = evenResponse(P, filter, cutoff)
  const tw = fftTwiddles(P)
  const re = new Float64Array(P)
  const im = new Float64Array(P)
  for (let v = 0; v < views; v += 2) {
    re.fill(0)
    im.fill(0)
    re.set(data.subarray(v * bins, (v + 1) * bins))
    const pair = v + 1 < views
    if (pair) im.set(data.subarray((v + 1) * bins, (v + 2) * bins))
    fftInPlace(re, im, false, tw)
    for (let k = 0; k < P; k++) {
      re[k] *= H[k]
      im[k] *= H[k]
    }
    fftInPlace(re, im, true, tw)
    for (let i = 0; i < bins; i++) out[v * bins + i] = re[i] / P
    if (pair) for (let i = 0; i < bins; i++) out[(v + 1) * bins + i] = im[i] / P
  }
  return out
}

/**
 * Filtered back-projection equal to `skimage.transform.iradon(sinogram.T, theta=angles,
 * output_size, filter_name=filter, interpolation, circle)`: (circle) views zero-padded to
 * ceil(√2·bins) bins about the centre; each view filtered (see {@link fbpFilterResponse}); each
 * output pixel (row i, col j, relative to size // 2) takes the filtered view at detector
 * position t = j·cos θ − i·sin θ (linear: numpy.interp with 0 outside; nearest: scipy's
 * interp1d 'nearest', halves down), summed over views and scaled by π / (2·views).
 */
export function iradon(sinogram: Image, options: IradonOptions = {}): Image {
  const op = 'iradon'
  const [bins, views] = size2d(sinogram, 'sinogram', op)
  const angles = checkAngles(options.angles ?? storedAngles(sinogram) ?? defaultAngles(views), op, views)
  const filter = options.filter === undefined ? 'ramp' : options.filter
  if (!FBP_FILTERS.includes(filter)) throw new ReconError('BAD_OPTION', `${op}: filter must be one of ramp, shepp-logan, cosine, hamming, hann or null, got ${String(filter)}`)
  const interpolation = options.interpolation ?? 'linear'
  if (interpolation !== 'linear' && interpolation !== 'nearest') throw new ReconError('BAD_OPTION', `${op}: interpolation must be 'linear' or 'nearest', got ${String(interpolation)}`)
  const circle = options.circle ?? true
  if (typeof circle !== 'boolean') throw new ReconError('BAD_OPTION', `${op}: circle must be true or false`)
  const cutoff = options.cutoff ?? 1
  checkCutoff(cutoff, op)
  const outputSize = options.outputSize ?? (circle ? bins : Math.floor(Math.sqrt((bins * bins) / 2)))
  if (!Number.isInteger(outputSize) || outputSize < 1 || outputSize > 16384) throw new ReconError('BAD_OPTION', `${op}: outputSize must be an integer in [1, 16384], got ${String(outputSize)}`)

  const raw = toFloat64(sinogram)
  let n = bins
  let data = raw
  if (circle) {
    n = Math.ceil(Math.SQRT2 * bins)
    const before = Math.floor(n / 2) - Math.floor(bins / 2)
    data = new Float64Array(n * views)
    for (let v = 0; v < views; v++) data.set(raw.subarray(v * bins, (v + 1) * bins), v * n + before)
  }
  options.signal?.throwIfAborted()
  const filtered = filterSinogram(data, n, views, filter, cutoff)
  options.onProgress?.(0.1, 'filtering')
  const out = backprojectViews(filtered, n, views, angles, outputSize, interpolation, circle, options, 0.1)
  const scale = Math.PI / (2 * views)
  for (let i = 0; i < out.length; i++) out[i] *= scale
  const s = sinogram.spacing[0] ?? 1
  const r = Math.floor(outputSize / 2)
  return image2d(outputSize, outputSize, out, `${sinogram.name} (${filter ?? 'unfiltered'} FBP)`, [s, s], [-r * s, -r * s])
}

/**
 * Σ over views of view(t), t = j·cos θ − i·sin θ, at every pixel of a size × size grid centred
 * at size // 2 (skimage iradon's loop), with `views` already filtered. Unscaled.
 */
export function backprojectViews(
  filtered: Float64Array, n: number, views: number, angles: Float64Array, size: number,
  interpolation: 'linear' | 'nearest', circle: boolean, options: ProgressOptions = {}, progressStart = 0,
): Float64Array {
  const out = new Float64Array(size * size)
  const radius = Math.floor(size / 2)
  const half = Math.floor(n / 2)
  const last = n - 1
  // Column range per row: the whole row, or the chord of the circle |(i, j)|² ≤ radius².
  const jLo = new Int32Array(size)
  const jHi = new Int32Array(size)
  for (let i = 0; i < size; i++) {
    if (!circle) {
      jLo[i] = 0
      jHi[i] = size - 1
      continue
    }
    const x = i - radius
    const rem = radius * radius - x * x
    if (rem < 0) {
      jLo[i] = 1
      jHi[i] = 0
      continue
    }
    let w = Math.floor(Math.sqrt(rem))
    while ((w + 1) * (w + 1) <= rem) w++
    while (w * w > rem) w--
    jLo[i] = Math.max(0, radius - w)
    jHi[i] = Math.min(size - 1, radius + w)
  }
  // Views in blocks of four: each pixel is read and written once per block, not once per view.
  const BLOCK = 4
  const cols = [0, 1, 2, 3].map(() => new Float64Array(n + 1)) // one zero past the end for the right neighbour
  const cosv = new Float64Array(BLOCK)
  const sinv = new Float64Array(BLOCK)
  for (let v0 = 0; v0 < views; v0 += BLOCK) {
    options.signal?.throwIfAborted()
    const nb = Math.min(BLOCK, views - v0)
    for (let b = 0; b < BLOCK; b++) {
      if (b < nb) {
        cols[b].set(filtered.subarray((v0 + b) * n, (v0 + b + 1) * n))
        const a = angles[v0 + b] * (Math.PI / 180)
        cosv[b] = Math.cos(a)
        sinv[b] = Math.sin(a)
      } else {
        cols[b].fill(0)
        cosv[b] = 0
        sinv[b] = 0
      }
    }
    const [c0, c1, c2, c3] = cols
    const [k0, k1, k2, k3] = cosv
    for (let i = 0; i < size; i++) {
      const lo = jLo[i]
      const hi = jHi[i]
      if (lo > hi) continue
      const x = i - radius
      // u_b(j) = (j − radius)·cos_b − x·sin_b + half: the detector position in the view's bins.
      const b0 = -x * sinv[0] + half
      const b1 = -x * sinv[1] + half
      const b2 = -x * sinv[2] + half
      const b3 = -x * sinv[3] + half
      const row = i * size
      if (interpolation === 'linear') {
        for (let j = lo; j <= hi; j++) {
          const y = j - radius
          out[row + j] += linear(c0, y * k0 + b0, last) + linear(c1, y * k1 + b1, last) + linear(c2, y * k2 + b2, last) + linear(c3, y * k3 + b3, last)
        }
      } else {
        for (let j = lo; j <= hi; j++) {
          const y = j - radius
          out[row + j] += nearest(c0, y * k0 + b0, last) + nearest(c1, y * k1 + b1, last) + nearest(c2, y * k2 + b2, last) + nearest(c3, y * k3 + b3, last)
        }
      }
    }
    options.onProgress?.(progressStart + ((1 - progressStart) * (v0 + nb)) / views, 'back-projecting')
  }
  return out
}

/** A view at detector position u (in bins) as numpy.interp: linear, 0 outside [0, last]. */
function linear(col: Float64Array, u: number, last: number): number {
  if (!(u >= 0 && u <= last)) return 0
  const k = u | 0
  return col[k] + (col[k + 1] - col[k]) * (u - k)
}

/** A view at detector position u as scipy's interp1d(kind='nearest'): halves round down, 0 outside [0, last]. */
function nearest(col: Float64Array, u: number, last: number): number {
  if (!(u >= 0 && u <= last)) return 0
  return col[Math.ceil(u - 0.5)]
}
