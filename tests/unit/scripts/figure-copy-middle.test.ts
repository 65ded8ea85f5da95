/**
 * The middle-slice file the figures show first (scripts/make-thorax-phantom.ts): the figure copy's
 * middle axial slice, voxel for voxel, on the same grid (spacing, direction, and the origin of
 * that slice), so that the volume can replace it without the picture moving.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { indexToPhysicalPoint } from '../../../src/image'
import { readNifti } from '../../../src/io/index'

const dir = join(__dirname, '../../../public/data/ct-thorax-phantom')
const read = (name: string) => { const b = readFileSync(join(dir, name)); return readNifti(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer) }

describe('thorax-1.4mm-middle.nii.gz', () => {
  it('is slice nz/2 of the figure copy on the same grid', async () => {
    const [volume, middle] = await Promise.all([read('thorax-1.4mm.nii.gz'), read('thorax-1.4mm-middle.nii.gz')])
    const [nx, ny, nz] = volume.size
    const k = nz >> 1
    expect(middle.size.slice(0, 2)).toEqual([nx, ny])
    expect(middle.size[2] ?? 1).toBe(1)
    expect(Array.from(middle.data as Int16Array)).toEqual(Array.from((volume.data as Int16Array).subarray(k * nx * ny, (k + 1) * nx * ny)))
    for (let a = 0; a < 2; a++) expect(middle.spacing[a]).toBeCloseTo(volume.spacing[a], 6)
    const dir9 = (d: ArrayLike<number | bigint>) => Array.from({ length: 9 }, (_, i) => +Number(d[i]).toFixed(9))
    expect(dir9(middle.direction)).toEqual(dir9(volume.direction))
    const at = indexToPhysicalPoint(volume, [0, 0, k])
    for (let a = 0; a < 3; a++) expect(middle.origin[a]).toBeCloseTo(at[a], 3)
    // Small enough to show at once: under 100 kB against the volume's 5.2 MB.
    expect(readFileSync(join(dir, 'thorax-1.4mm-middle.nii.gz')).length).toBeLessThan(100_000)
  })
})
