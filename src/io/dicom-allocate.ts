/** Output allocation for the DICOM reader, with a clear error when a series cannot fit in memory. */
import { allocateData, type ComponentType, type TypedArray } from '../image'
import { DicomError } from './dicom-errors'

/** Largest output buffer the reader allocates, as for NIfTI: typed arrays are limited to 2 GiB here. */
export const DICOM_MAX_BYTES = 2 ** 31 - 1

/**
 * Allocates the output volume, or throws a `TOO_LARGE` DicomError that says how big it would be
 * (checked before allocating; an allocation the browser refuses is reported the same way).
 */
export function allocateVolume(type: ComponentType, count: number, rows: number, columns: number, slices: number): TypedArray {
  const bytesPer = type === 'uint8' || type === 'int8' ? 1 : type === 'int16' || type === 'uint16' ? 2 : type === 'float64' || type === 'int64' || type === 'uint64' ? 8 : 4
  const bytes = count * bytesPer
  const what = `${columns}×${rows}×${slices} ${type} (${(bytes / 2 ** 20).toFixed(0)} MiB)`
  if (bytes > DICOM_MAX_BYTES) {
    throw new DicomError('TOO_LARGE', `The series is too large to load in this browser tab: ${what}, more than the ${DICOM_MAX_BYTES}-byte limit. Open fewer slices or a smaller series.`)
  }
  try {
    return allocateData(type, count)
  } catch (e) {
    if (e instanceof RangeError) throw new DicomError('TOO_LARGE', `Not enough memory to load the series: ${what} could not be allocated (${e.message}).`)
    throw e
  }
}

