import { describe, expect, it } from 'vitest'
import { allocateVolume, DICOM_MAX_BYTES } from '../../../src/io/dicom-allocate'
import { DicomError } from '../../../src/io/dicom-errors'

describe('allocateVolume', () => {
  it('refuses, before allocating, a volume over the limit, saying how large it is', () => {
    // 2048 × 2048 × 128 float32 = 2 GiB: one byte more than fits.
    const count = 2048 * 2048 * 128
    expect(count * 4).toBeGreaterThan(DICOM_MAX_BYTES)
    let error: unknown
    try {
      allocateVolume('float32', count, 2048, 2048, 128)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(DicomError)
    expect((error as DicomError).code).toBe('TOO_LARGE')
    expect((error as Error).message).toMatch(/2048×2048×128 float32 \(2048 MiB\)/)
  })

  it('allocates what fits, with the requested type', () => {
    const data = allocateVolume('int16', 512 * 512 * 2, 512, 512, 2)
    expect(data).toBeInstanceOf(Int16Array)
    expect(data.length).toBe(512 * 512 * 2)
  })
})
