/**
 * Drawing for the sinogram figure (3.1): images in a fixed grey window, the object of the
 * thorax slice as relative attenuation, and the FBP filters' frequency responses as traces.
 */
import { pixelData, extractSlice, indexToPhysicalPoint, makeImage, type Image } from '../../src/image'
import { resample } from '../../src/spatial/index'
import { FBP_FILTERS, fbpFilterResponse, fbpPaddedSize, reconstructionCircle, type FbpFilter } from '../../src/recon/index'
import { greyWord, paintCanvas, toByte } from './canvas'

/** Paints a 2D image with [lo, hi] mapped onto black..white (one canvas pixel per pixel). */
export function drawScaled(canvas: HTMLCanvasElement, image: Image, lo: number, hi: number): void {
  const [w, h] = image.size
  const v = pixelData(image)
  const scale = 255 / (hi - lo || 1)
  paintCanvas(canvas, w, h, (img) => {
    const words = new Uint32Array(img.data.buffer)
    for (let i = 0; i < w * h; i++) words[i] = greyWord(toByte(v[i], lo, scale))
  })
}

/** Minimum and maximum of an image's values. */
export function range(image: Image): [number, number] {
  const v = pixelData(image)
  let lo = Infinity
  let hi = -Infinity
  for (let i = 0; i < v.length; i++) {
    if (v[i] < lo) lo = v[i]
    if (v[i] > hi) hi = v[i]
  }
  return [lo, hi]
}

/**
 * Slice z of the thorax phantom (HU) as attenuation relative to water, max(HU + 1000, 0) / 1000,
 * zero outside the scan circle (what a CT scanner reconstructs), float64. `label` is the slice's
 * 1-based number in the whole phantom (for the name; the middle-slice file holds slice 37 as z 0).
 */
export function thoraxObject(volume: Image, z: number, label = z + 1): Image {
  const s = extractSlice(volume, z)
  const hu = pixelData(s)
  const n = s.size[0]
  const circle = reconstructionCircle(n)
  const data = new Float64Array(n * n)
  for (let i = 0; i < data.length; i++) data[i] = circle[i] * Math.max(hu[i] + 1000, 0) / 1000
  return makeImage([n, n], { data, name: `thorax phantom slice ${label} (simulated), μ/μ_water`, spacing: s.spacing.slice(0, 2) })
}

export const FILTER_LABELS: Record<string, string> = {
  ramp: 'ramp (Ram–Lak)', 'shepp-logan': 'Shepp–Logan', cosine: 'cosine', hamming: 'Hamming', hann: 'Hann', none: 'none (plain back-projection)',
}

/** Plotly traces of every filter's response for `bins` detector bins, f from 0 to ½ cycle per bin; `chosen` drawn thick, with the cut-off. */
export function filterTraces(bins: number, chosen: FbpFilter, cutoff = 1): unknown[] {
  const P = fbpPaddedSize(Math.ceil(Math.SQRT2 * bins))
  const f = Array.from({ length: P / 2 + 1 }, (_, k) => k / P)
  return FBP_FILTERS.filter((x) => x !== null).map((name) => {
    const h = fbpFilterResponse(P, name, name === chosen ? cutoff : 1)
    return {
      x: f, y: f.map((_, k) => h[k]), type: 'scatter', mode: 'lines', name: FILTER_LABELS[name as string],
      line: { width: name === chosen ? 3.5 : 1.2 }, opacity: name === chosen || chosen === null ? 1 : 0.55,
    }
  })
}

/**
 * The reader's scan as a 256 × 256 object: its middle slice (2D images as they are), the largest
 * centred square field of view resampled by the library's `resample` (linear), as attenuation
 * relative to water when the values are HU (max(HU + 1000, 0) / 1000), else scaled to 0–1 by
 * its minimum and maximum; zero outside the scan circle.
 */
export function readerObject(image: Image, ct: boolean, size = 256): Image {
  const slice = image.imageType.dimension === 3 ? extractSlice(image, Math.floor(image.size[2] / 2)) : image
  const [nx, ny] = slice.size
  const [sx, sy] = slice.spacing
  const side = Math.min(nx * sx, ny * sy)
  const step = side / size
  const centre = indexToPhysicalPoint(slice, [(nx - 1) / 2, (ny - 1) / 2])
  const d = slice.direction
  const back = (step * (size - 1)) / 2
  const origin = [centre[0] - back * ((d[0] as number) + (d[1] as number)), centre[1] - back * ((d[2] as number) + (d[3] as number))]
  const square = resample(slice, { size: [size, size], spacing: [step, step], origin, direction: Array.from(d as ArrayLike<number>), interpolator: 'linear', outputComponentType: 'float64' })
  const v = pixelData(square)
  let lo = Infinity
  let hi = -Infinity
  for (let i = 0; i < v.length; i++) {
    lo = Math.min(lo, v[i])
    hi = Math.max(hi, v[i])
  }
  const circle = reconstructionCircle(size)
  const data = new Float64Array(size * size)
  for (let i = 0; i < data.length; i++) data[i] = circle[i] * (ct ? Math.max(v[i] + 1000, 0) / 1000 : (v[i] - lo) / (hi - lo || 1))
  return makeImage([size, size], { data, name: `your scan, ${ct ? 'μ/μ_water' : 'scaled 0–1'}`, spacing: [step, step] })
}
