import type { Image } from '../image'
import { assertSameSize, dataRangeFor, scalarData } from './common'

export interface PsnrOptions {
  /**
   * Peak value range R in PSNR = 10·log10(R² / MSE). Default as skimage: the reference's
   * dtype range (255 for uint8; dmax − dmin when it has negative values), 1 (or 2 with
   * negative values) for float data within [−1, 1]; for other float data (e.g. Hounsfield
   * units), where skimage raises, max − min of `reference`.
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
  const range = dataRangeFor(reference, a, options.dataRange, op)
  let ss = 0
  for (let i = 0; i < a.length; i++) {
    const d = a[i] - b[i]
    ss += d * d
  }
  return 10 * Math.log10((range * range) / (ss / a.length))
}
