// One error type for the whole library: every area's coded error is a LibraryError.
import { describe, expect, it } from 'vitest'
import { DicomError, LibraryError, NiftiError, readDicomSeries, readNifti, reorientImage, ReorientError, makeImage } from '../../src/index'

describe('LibraryError', () => {
  it('DICOM, NIfTI and reorientation problems are LibraryErrors with their own name and code', async () => {
    const dicom = await readDicomSeries([new Uint8Array(10)]).catch((e) => e)
    const nifti = await readNifti(new Uint8Array(10)).catch((e) => e)
    let reorient: unknown
    try {
      reorientImage(makeImage([2, 2, 2]), 'XYZ')
    } catch (e) {
      reorient = e
    }
    for (const [e, cls, name, code] of [[dicom, DicomError, 'DicomError', 'NOT_DICOM'], [nifti, NiftiError, 'NiftiError', 'NOT_NIFTI'], [reorient, ReorientError, 'ReorientError', 'INVALID_CODE']] as const) {
      expect(e).toBeInstanceOf(LibraryError)
      expect(e).toBeInstanceOf(cls)
      expect((e as LibraryError).name).toBe(name)
      expect((e as LibraryError).code).toBe(code)
    }
  })
})
