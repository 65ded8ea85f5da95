import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { makeImage } from '../../../src/image'
import { readNifti } from '../../../src/io/index'
import { strideSubsample } from '../../../src/spatial/subsample'

describe('strideSubsample', () => {
  it('equals numpy a[::2, ::2, ::2] of Colin27 (the stride-2 copy written by nibabel)', async () => {
    const full = await readNifti(readFileSync(join(__dirname, '../../../public/data/ch2bet.nii.gz')).buffer as ArrayBuffer)
    const ref = new Uint8Array(gunzipSync(readFileSync(join(__dirname, '../../reference/intensity/ch2bet-stride2.u8.gz'))))
    const out = strideSubsample(full, 2)
    expect(out.size).toEqual([91, 109, 91])
    expect(out.spacing).toEqual(full.spacing.map((s) => 2 * s))
    expect(out.origin).toEqual(full.origin)
    expect(out.imageType.componentType).toBe('uint8')
    expect(Buffer.from(out.data as Uint8Array).equals(Buffer.from(ref))).toBe(true)
  })
  it('handles odd sizes and 2D, and rejects bad strides', () => {
    const img = makeImage([5, 3], { data: Int16Array.from({ length: 15 }, (_, i) => i) })
    const out = strideSubsample(img, 2)
    expect(out.size).toEqual([3, 2])
    expect(Array.from(out.data as Int16Array)).toEqual([0, 2, 4, 10, 12, 14])
    expect(() => strideSubsample(img, 0)).toThrow(/positive integer/)
    expect(() => strideSubsample(img, 1.5)).toThrow(/positive integer/)
  })
})
