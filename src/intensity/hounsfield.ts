/**
 * Modality LUT for CT: stored values to Hounsfield units.
 */
import { assertScalar, imageLike, pixelData, valueRange, type Image } from '../image'

export interface HounsfieldOptions {
  /** Rescale Slope (0028,1053). Default 1. */
  slope?: number
  /** Rescale Intercept (0028,1052). Default 0. */
  intercept?: number
}

const INTEGER_TYPES = new Set(['int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32'])

/**
 * HU = stored × slope + intercept: the linear Modality LUT of DICOM PS3.3 C.11.1.1.2 (pydicom
 * `apply_modality_lut` with Rescale Slope/Intercept). Defaults: slope 1, intercept 0.
 *
 * Output type: int16 when the input is an integer type, slope and intercept are integers and every
 * resulting value fits in int16 (the usual CT case, exact and half the memory of float32);
 * otherwise float32.
 */
export function hounsfieldFromStored(image: Image, options: HounsfieldOptions = {}): Image {
  assertScalar(image, 'hounsfieldFromStored')
  const data = pixelData(image)
  const slope = options.slope ?? 1
  const intercept = options.intercept ?? 0
  if (!Number.isFinite(slope) || !Number.isFinite(intercept)) {
    throw new Error(`hounsfieldFromStored: slope and intercept must be finite numbers, got ${slope} and ${intercept}`)
  }
  const n = data.length
  let intOut = INTEGER_TYPES.has(image.imageType.componentType) && Number.isInteger(slope) && Number.isInteger(intercept)
  if (intOut) {
    const { min, max } = valueRange(data)
    if (n > 0) {
      const a = min * slope + intercept
      const b = max * slope + intercept
      intOut = Math.min(a, b) >= -32768 && Math.max(a, b) <= 32767
    }
  }
  const out = intOut ? new Int16Array(n) : new Float32Array(n)
  for (let i = 0; i < n; i++) out[i] = data[i] * slope + intercept
  return imageLike(image, out)
}
