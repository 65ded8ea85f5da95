/**
 * Preparing radiographs for display and for learning (chapter 2.3): the deviation index of the
 * exposure, MONOCHROME1 inversion, percentile windowing, and downsampling without aliasing.
 */
import { imageLike, pixelData, type Image } from '../image'
import { quantileType7 } from '../intensity/smooth-histogram'
import { normalizeMinMax } from '../intensity/normalize-min-max'
import { gaussianFilterInPlace } from '../spatial/gaussian-filter'
import { resizeGrid, resizeImage } from '../spatial/resize'
import { requireOption, XrayError } from './errors'

/**
 * Deviation index DI = 10 · log10(EI / EI_T) of IEC 62494-1 (also AAPM TG-116): how far the
 * exposure index EI of an image lies from the target EI_T of the examination, in tenths of a
 * decade. DI = 0 on target, +1 ≈ 26 % more, +3 ≈ twice, −3 ≈ half the target exposure.
 */
export function deviationIndex(exposureIndex: number, targetExposureIndex: number): number {
  requireOption(Number.isFinite(exposureIndex) && exposureIndex > 0, `deviationIndex: the exposure index must be a positive number, got ${exposureIndex}`)
  requireOption(Number.isFinite(targetExposureIndex) && targetExposureIndex > 0, `deviationIndex: the target exposure index must be a positive number, got ${targetExposureIndex}`)
  return 10 * Math.log10(exposureIndex / targetExposureIndex)
}

export interface InvertMonochrome1Options {
  /**
   * Bits Stored (0028,0101) of unsigned data: v' = 2^bitsStored − 1 − v, the inversion over the
   * full stored range. Default: not used; the image's own range is mirrored (v' = min + max − v).
   */
  bitsStored?: number
}

/**
 * MONOCHROME1 → MONOCHROME2 (DICOM PS3.3 C.7.6.3.1.2: in MONOCHROME1 the minimum value is meant
 * to display white). v' = min + max − v over the image's range, or 2^bitsStored − 1 − v; float32
 * output, metadata 'PhotometricInterpretation' set to 'MONOCHROME2'. Any window stored with the
 * image must be mirrored the same way (centre c → min + max − c) to stay valid.
 */
export function invertMonochrome1(image: Image, options: InvertMonochrome1Options = {}): Image {
  const op = 'invertMonochrome1'
  if (!image?.data || image.imageType.components !== 1) throw new XrayError('BAD_IMAGE', `${op}: needs a scalar image with pixel data`)
  const bits = options.bitsStored
  requireOption(bits === undefined || (Number.isInteger(bits) && bits >= 1 && bits <= 32), `${op}: bitsStored must be an integer in [1, 32], got ${bits}`)
  const data = pixelData(image)
  let sum: number
  if (bits !== undefined) sum = 2 ** bits - 1
  else {
    let lo = Infinity
    let hi = -Infinity
    for (let i = 0; i < data.length; i++) {
      if (data[i] < lo) lo = data[i]
      if (data[i] > hi) hi = data[i]
    }
    sum = lo + hi
  }
  const out = new Float32Array(data.length)
  for (let i = 0; i < data.length; i++) out[i] = sum - data[i]
  const result = imageLike(image, out)
  result.metadata.set('PhotometricInterpretation', 'MONOCHROME2')
  return result
}

export interface PercentileWindowOptions {
  /** Lower percentile (0–100), mapped to outMin. Default 1. */
  low?: number
  /** Upper percentile (0–100), mapped to outMax. Default 99. */
  high?: number
  /** Default 0. */
  outMin?: number
  /** Default 1. */
  outMax?: number
}

/**
 * Percentile windowing: the values at the `low` and `high` percentiles (numpy.percentile's
 * default linear interpolation, over all pixels) are mapped to outMin and outMax, values
 * outside are clipped (normalizeMinMax), float32. Robust to the collimator edges, markers and
 * raw-beam areas that make a min–max scaling useless. Metadata 'percentileWindow:low'/'high'
 * give the two input values.
 */
export function percentileWindow(image: Image, options: PercentileWindowOptions = {}): Image {
  const op = 'percentileWindow'
  if (!image?.data || image.imageType.components !== 1) throw new XrayError('BAD_IMAGE', `${op}: needs a scalar image with pixel data`)
  const low = options.low ?? 1
  const high = options.high ?? 99
  const outMin = options.outMin ?? 0
  const outMax = options.outMax ?? 1
  requireOption(Number.isFinite(low) && Number.isFinite(high) && low >= 0 && high <= 100 && low < high, `${op}: low and high must be percentiles with 0 ≤ low < high ≤ 100, got ${low} and ${high}`)
  requireOption(Number.isFinite(outMin) && Number.isFinite(outMax), `${op}: outMin and outMax must be finite, got ${outMin} and ${outMax}`)
  const sorted = Float64Array.from(pixelData(image)).sort()
  if (sorted.length === 0) throw new XrayError('BAD_IMAGE', `${op}: the image is empty`)
  const lo = quantileType7(sorted, low / 100)
  const hi = quantileType7(sorted, high / 100)
  if (!(hi > lo)) throw new XrayError('CONSTANT_IMAGE', `${op}: the ${low} and ${high} percentiles are both ${lo}; widen the percentiles or check the image`)
  const out = normalizeMinMax(image, { min: lo, max: hi, outMin, outMax })
  out.metadata.set('percentileWindow:low', lo)
  out.metadata.set('percentileWindow:high', hi)
  return out
}

export interface ResizeAntialiasedOptions {
  /**
   * Standard deviation of the Gaussian prefilter per axis, in input pixels. Default
   * max(0, (f − 1) / 2) per axis with f = input size / output size, scikit-image's default.
   * 0 turns the prefilter off (naive resampling, which aliases).
   */
  sigma?: number | number[]
}

/**
 * Downsampling that does not alias, as scikit-image's `transform.resize(image, shape,
 * order=1, anti_aliasing=True)` does it: a Gaussian prefilter (scipy.ndimage.gaussian_filter,
 * mode 'mirror', truncate 4) with σ = max(0, (f − 1) / 2) per axis, then linear interpolation on
 * the pixel-edge-aligned grid (resizeImage, the grid of `scipy.ndimage.zoom(grid_mode=True)`).
 * Without the prefilter, detail finer than two output pixels (the lines of an anti-scatter grid,
 * a test pattern) folds back into false coarse patterns: moiré. Float32 output.
 */
export function resizeAntialiased(image: Image, size: number[], options: ResizeAntialiasedOptions = {}): Image {
  const op = 'resizeAntialiased'
  if (!image?.data || image.imageType.components !== 1) throw new XrayError('BAD_IMAGE', `${op}: needs a scalar image with pixel data`)
  let grid: number[]
  try {
    grid = resizeGrid(image.size, image.spacing, size).size
  } catch (e) {
    throw new XrayError('BAD_OPTION', `${op}: ${(e as Error).message}`)
  }
  const factors = image.size.map((n, a) => n / grid[a])
  const given = options.sigma
  const sigmas = given === undefined ? factors.map((f) => Math.max(0, (f - 1) / 2)) : typeof given === 'number' ? factors.map(() => given) : given
  requireOption(sigmas.length === image.size.length && sigmas.every((s) => Number.isFinite(s) && s >= 0 && s <= 100), `${op}: sigma must be a number (or one per axis) in [0, 100] pixels, got ${String(given)}`)
  const values = Float64Array.from(pixelData(image))
  if (sigmas.some((s) => s > 1e-15)) gaussianFilterInPlace(values, image.size, sigmas, 'mirror')
  return resizeImage(imageLike(image, values), size, { interpolator: 'linear', outputComponentType: 'float32' })
}
