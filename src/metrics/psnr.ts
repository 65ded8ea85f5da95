import { valueRange, type Image } from '../image'
import { assertSameSize, scalarData } from './common'

export interface PsnrOptions {
  /**
   * Peak value range R in PSNR = 10·log10(R² / MSE). Default: max − min of `reference`.
   * (skimage instead defaults to the dtype's range for integer images, e.g. 255 for uint8,
   * and refuses float images without data_range; pass dataRange to reproduce it.)
   */
  dataRange?: number
}

/**
 * Peak signal-to-noise ratio in dB, skimage.metrics.peak_signal_noise_ratio(reference, test,
 * data_range): 10·log10(R² / MSE), MSE the mean squared difference (computed in float64).
 * +Infinity for identical images.
 */
export function psnr(reference: Image, test: Image, options: PsnrOptions = {}): number {
  const op = 'psnr'
  const a = scalarData(reference, op)
  const b = scalarData(test, op)
  assertSameSize(reference, test, op, 'test image')
  let range = options.dataRange
  if (range === undefined) {
    const { min, max } = valueRange(a)
    range = max - min
    if (!(range > 0)) throw new Error(`${op}: the reference image is constant (or NaN); give dataRange`)
  } else if (!(range > 0) || !Number.isFinite(range)) {
    throw new Error(`${op}: dataRange must be a finite number > 0, got ${range}`)
  }
  let ss = 0
  for (let i = 0; i < a.length; i++) {
    const d = a[i] - b[i]
    ss += d * d
  }
  return 10 * Math.log10((range * range) / (ss / a.length))
}
