/** Content sniffing of the reader's files (demos/kit/scan-kind.ts) on real DICOM and NIfTI files. */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { gzipSync } from 'fflate'
import { sniff } from '../../../demos/kit/scan-kind'

const head = (path: string) => new Uint8Array(readFileSync(path)).subarray(0, 352)
const REF = join(__dirname, '../../reference/io/dicom/files')
const DATA = join(__dirname, '../../../public/data')

describe('sniff', () => {
  it('finds DICOM with a preamble, and without one (implicit VR, no meta header)', () => {
    expect(sniff(head(join(DATA, 'CT_small.dcm')))).toBe('dicom')
    expect(sniff(head(join(REF, 'CT_small_no_meta.dcm')))).toBe('dicom')
    expect(sniff(head(join(REF, 'MR_small_implicit.dcm')))).toBe('dicom')
    expect(sniff(head(join(REF, 'ExplVR_BigEndNoMeta.dcm')))).toBe('dicom')
  })
  it('finds gzipped and raw NIfTI-1', () => {
    expect(sniff(head(join(DATA, 'ch2bet.nii.gz')))).toBe('nifti')
    const raw = new Uint8Array(352)
    new DataView(raw.buffer).setInt32(0, 348, true)
    expect(sniff(raw)).toBe('nifti')
    expect(sniff(gzipSync(raw))).toBe('nifti')
  })
  it('rejects text, images and short files', () => {
    expect(sniff(new TextEncoder().encode('{"files": ["slice-000.dcm"]}'))).toBe('unknown')
    expect(sniff(head(join(DATA, 'ct-thorax-phantom-preview.png')))).toBe('unknown')
    expect(sniff(new Uint8Array([0x08]))).toBe('unknown')
  })
})
