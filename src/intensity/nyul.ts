/**
 * Nyúl–Udupa histogram standardisation (piecewise-linear landmark matching).
 *
 * References:
 * - L. G. Nyúl, J. K. Udupa, "On standardizing the MR image intensity scale", Magn. Reson. Med.
 *   42(6):1072–1081, 1999 (the two-step method: learn a standard scale, then map each image).
 * - L. G. Nyúl, J. K. Udupa, X. Zhang, "New variants of a method of MRI scale standardization",
 *   IEEE Trans. Med. Imaging 19(2):143–150, 2000 (landmarks: the percentiles pc1, pc2 bounding
 *   the intensity range of interest plus intermediate percentiles such as the deciles).
 *
 * Training: for each training image, the landmark percentiles of its foreground (pc1, then the
 * deciles 10 … 90, then pc2) are mapped linearly so that pc1 → s1 and pc2 → s2; the standard
 * scale is the mean of the mapped landmarks over the training set. Transform: the landmarks of
 * the image to standardise are matched to the standard scale by a piecewise-linear map, extended
 * linearly beyond the first and last landmark (every voxel is mapped, also those outside the
 * foreground).
 *
 * Default numbers (pc1 = 1, pc2 = 99, deciles, s1 = 1, s2 = 100, foreground = voxels > 0 of a
 * skull-stripped image, percentiles with numpy's default linear interpolation) are those of the
 * `intensity-normalization` package (J. C. Reinhold, NyulNormalize), read to match its
 * conventions. The papers' own numeric choices (their pc1, pc2 and scale) were not checked against
 * the full text here; cite them for the method, not for these numbers. Output is float32.
 */
import { LibraryError } from '../errors'
import { assertScalar, imageLike, pixelData, type Image } from '../image'

/** Error codes of {@link NyulError}. */
export type NyulErrorCode =
  /** Percentiles out of [0, 100], not increasing, or fewer than two; s1 ≥ s2; non-finite numbers. */
  | 'INVALID_PARAMETERS'
  /** No training image, or masks that do not pair up with the images. */
  | 'INVALID_TRAINING_SET'
  /** A mask of another size than its image. */
  | 'MASK_SIZE_MISMATCH'
  /** The foreground holds no voxel. */
  | 'EMPTY_FOREGROUND'
  /** Two landmarks of an image coincide (a flat stretch of the histogram): the map is undefined. */
  | 'TIED_LANDMARKS'

/** A histogram-standardisation input problem, with a machine-readable `code`. */
export class NyulError extends LibraryError<NyulErrorCode> {
  constructor(code: NyulErrorCode, message: string) {
    super('NyulError', code, message)
  }
}

export interface NyulParameters {
  /** pc1, the lower end of the intensity range of interest (percent). Default 1. */
  minPercentile?: number
  /** pc2, the upper end (percent). Default 99. */
  maxPercentile?: number
  /** Landmarks between pc1 and pc2 (percent, increasing). Default the deciles 10, 20, …, 90. */
  landmarkPercentiles?: number[]
  /** s1, where pc1 lands on the standard scale. Default 1. */
  standardMin?: number
  /** s2, where pc2 lands. Default 100. */
  standardMax?: number
}

/** A trained standard scale: percentiles and their standard-scale values (same length). */
export interface NyulModel {
  percentiles: number[]
  standardScale: number[]
}

export interface NyulForegroundOptions {
  /** Voxels with mask > 0 are the foreground. Default: voxels > 0 (a skull-stripped image). */
  maskImage?: Image
}

function fail(code: NyulErrorCode, message: string): never {
  throw new NyulError(code, message)
}

/** All landmark percentiles, pc1 first and pc2 last, validated. */
export function nyulPercentiles(params: NyulParameters = {}): number[] {
  const pc1 = params.minPercentile ?? 1
  const pc2 = params.maxPercentile ?? 99
  const inner = params.landmarkPercentiles ?? [10, 20, 30, 40, 50, 60, 70, 80, 90]
  const all = [pc1, ...inner, pc2]
  if (!all.every((p) => Number.isFinite(p) && p >= 0 && p <= 100)) {
    fail('INVALID_PARAMETERS', `nyul: percentiles must be finite numbers in [0, 100], got ${all.join(', ')}`)
  }
  for (let i = 1; i < all.length; i++) {
    if (!(all[i] > all[i - 1])) fail('INVALID_PARAMETERS', `nyul: percentiles must increase (pc1 < landmarks < pc2), got ${all.join(', ')}`)
  }
  return all
}

function standardRange(params: NyulParameters): [number, number] {
  const s1 = params.standardMin ?? 1
  const s2 = params.standardMax ?? 100
  if (!Number.isFinite(s1) || !Number.isFinite(s2) || !(s2 > s1)) {
    fail('INVALID_PARAMETERS', `nyul: the standard scale needs finite s1 < s2, got s1 = ${s1}, s2 = ${s2}`)
  }
  return [s1, s2]
}

/** The foreground values, sorted ascending (float64). */
function sortedForeground(image: Image, options: NyulForegroundOptions, op: string): Float64Array {
  assertScalar(image, op)
  const data = pixelData(image)
  let mask: ArrayLike<number> | null = null
  if (options.maskImage) {
    const m = options.maskImage
    if (m.size.length !== image.size.length || m.size.some((s, i) => s !== image.size[i])) {
      fail('MASK_SIZE_MISMATCH', `${op}: mask size ${m.size.join('×')} does not match image size ${image.size.join('×')}`)
    }
    assertScalar(m, `${op} mask`)
    mask = pixelData(m)
  }
  let n = 0
  for (let i = 0; i < data.length; i++) if (mask ? mask[i] > 0 : data[i] > 0) n++
  if (n === 0) fail('EMPTY_FOREGROUND', `${op}: the foreground is empty (${mask ? 'no mask voxel > 0' : 'no voxel > 0'})`)
  const values = new Float64Array(n)
  let k = 0
  for (let i = 0; i < data.length; i++) if (mask ? mask[i] > 0 : data[i] > 0) values[k++] = data[i]
  return values.sort()
}

/** numpy.percentile's default ('linear'): position (n − 1)·q/100 between order statistics. */
function percentileOfSorted(sorted: Float64Array, q: number): number {
  const pos = ((sorted.length - 1) * q) / 100
  const lo = Math.floor(pos)
  const hi = Math.min(lo + 1, sorted.length - 1)
  const t = pos - lo
  return sorted[lo] + t * (sorted[hi] - sorted[lo])
}

/** The image's landmarks: its foreground percentiles at `nyulPercentiles(params)`. */
export function nyulLandmarks(image: Image, params: NyulParameters = {}, options: NyulForegroundOptions = {}): number[] {
  const percentiles = nyulPercentiles(params)
  const sorted = sortedForeground(image, options, 'nyulLandmarks')
  return percentiles.map((q) => percentileOfSorted(sorted, q))
}

export interface NyulTrainOptions extends NyulParameters {
  /** One foreground mask per training image (same order). Default: voxels > 0 of each. */
  maskImages?: Image[]
}

/**
 * Learns the standard scale from training images: each image's landmarks mapped linearly by
 * pc1 → s1, pc2 → s2, then averaged over the images.
 */
export function nyulTrain(images: Image[], options: NyulTrainOptions = {}): NyulModel {
  if (!Array.isArray(images) || images.length === 0) fail('INVALID_TRAINING_SET', 'nyulTrain: give at least one training image')
  if (options.maskImages && options.maskImages.length !== images.length) {
    fail('INVALID_TRAINING_SET', `nyulTrain: ${images.length} image(s) but ${options.maskImages.length} mask(s)`)
  }
  const percentiles = nyulPercentiles(options)
  const [s1, s2] = standardRange(options)
  const sum = new Float64Array(percentiles.length)
  images.forEach((image, i) => {
    const m = nyulLandmarks(image, options, { maskImage: options.maskImages?.[i] })
    const p1 = m[0]
    const p2 = m[m.length - 1]
    if (!(p2 > p1)) fail('TIED_LANDMARKS', `nyulTrain: training image ${i} has pc1 and pc2 at the same intensity (${p1}); its foreground is (nearly) constant`)
    for (let k = 0; k < m.length; k++) sum[k] += s1 + ((m[k] - p1) / (p2 - p1)) * (s2 - s1)
  })
  return { percentiles, standardScale: Array.from(sum, (v) => v / images.length) }
}

/** Checks a model's shape and that it is increasing. */
function checkModel(model: NyulModel): void {
  const { percentiles, standardScale } = model ?? ({} as NyulModel)
  if (!Array.isArray(percentiles) || !Array.isArray(standardScale) || percentiles.length !== standardScale.length || percentiles.length < 2) {
    fail('INVALID_PARAMETERS', 'nyulTransform: the model needs equally long percentiles and standardScale arrays (at least two)')
  }
  nyulPercentiles({ minPercentile: percentiles[0], maxPercentile: percentiles.at(-1), landmarkPercentiles: percentiles.slice(1, -1) })
  for (let i = 0; i < standardScale.length; i++) {
    if (!Number.isFinite(standardScale[i]) || (i > 0 && !(standardScale[i] > standardScale[i - 1]))) {
      fail('INVALID_PARAMETERS', `nyulTransform: the standard scale must be finite and increasing, got ${standardScale.join(', ')}`)
    }
  }
}

/**
 * Maps every voxel through the piecewise-linear function that takes the image's own landmarks
 * onto the model's standard scale, extrapolating the first and last segments (scipy's
 * `interp1d(landmarks, standard, fill_value='extrapolate')`). Float32 output.
 */
export function nyulTransform(image: Image, model: NyulModel, options: NyulForegroundOptions = {}): Image {
  checkModel(model)
  const { percentiles, standardScale: s } = model
  const x = nyulLandmarks(image, { minPercentile: percentiles[0], maxPercentile: percentiles.at(-1), landmarkPercentiles: percentiles.slice(1, -1) }, options)
  for (let k = 1; k < x.length; k++) {
    if (!(x[k] > x[k - 1])) {
      fail('TIED_LANDMARKS', `nyulTransform: landmarks at percentiles ${percentiles[k - 1]} and ${percentiles[k]} are both ${x[k]}; a piecewise-linear map needs distinct landmarks (too few grey levels in the foreground?)`)
    }
  }
  const last = x.length - 1
  const slopes = new Float64Array(last)
  for (let k = 0; k < last; k++) slopes[k] = (s[k + 1] - s[k]) / (x[k + 1] - x[k])
  const data = pixelData(image)
  const out = new Float32Array(data.length)
  for (let i = 0; i < data.length; i++) {
    const v = data[i]
    // Segment: the last k with x[k] <= v (0 below x[0], last − 1 above x[last]).
    let k = 0
    while (k < last - 1 && v >= x[k + 1]) k++
    out[i] = s[k] + (v - x[k]) * slopes[k]
  }
  return imageLike(image, out)
}
