import { describe, expect, it } from 'vitest'
import { itkOtsuMask, itkOtsuThreshold } from '../../../src/bias/otsu-mask'
import { shrinkImage, shrinkPlan } from '../../../src/bias/shrink'
import { indexToPhysicalPoint, makeImage } from '../../../src/image'
import { loadF32, loadU8, meta } from './fixture'

describe('itkOtsuThreshold (ITK OtsuThresholdImageFilter, 200 bins)', () => {
  const image = loadF32('image.f32.gz')

  it('matches the threshold ITK 5.2 printed and reproduces its mask voxel for voxel', () => {
    const t = itkOtsuThreshold(image, 200)
    expect(t).toBeCloseTo(Number(meta.itkOtsu.otsu_threshold), 3)
    const mask = itkOtsuMask(image, 200)
    const ref = loadU8('otsu_mask.u8.gz')
    let diff = 0
    for (let i = 0; i < mask.length; i++) if (mask[i] !== ref[i]) diff++
    expect(diff).toBe(0)
  })

  it('is within one bin of skimage.filters.threshold_otsu(nbins=200)', () => {
    let min = Infinity
    let max = -Infinity
    for (const v of image) {
      min = Math.min(min, v)
      max = Math.max(max, v)
    }
    const bin = (max - min) / 200
    expect(Math.abs(itkOtsuThreshold(image, 200) - meta.skimageOtsu200)).toBeLessThanOrEqual(bin)
  })

  it('separates two well-separated classes and rejects constant images', () => {
    const v = new Float32Array(1000)
    for (let i = 0; i < 1000; i++) v[i] = i < 600 ? 10 + (i % 7) : 200 + (i % 11)
    const t = itkOtsuThreshold(v)
    expect(t).toBeGreaterThan(16)
    expect(t).toBeLessThan(200)
    expect(() => itkOtsuThreshold(new Float32Array(10).fill(3))).toThrow(/constant/)
    expect(() => itkOtsuThreshold(v, 1)).toThrow(/at least 2/)
  })
})

describe('shrinkImage (ITK ShrinkImageFilter)', () => {
  it('uses floor(n / f) voxels centred on the input grid', () => {
    // (n − 1)/2 − f (m − 1)/2, rounded half up
    expect(shrinkPlan([181, 217, 181], 4)).toEqual({ size: [45, 54, 45], offset: [2, 2, 2] })
    expect(shrinkPlan([60, 72], 2)).toEqual({ size: [30, 36], offset: [1, 1] })
    expect(shrinkPlan([7, 3], 4)).toEqual({ size: [1, 1], offset: [3, 1] })
    expect(shrinkPlan([10], 1)).toEqual({ size: [10], offset: [0] })
  })

  it('samples input voxels i·f + offset and keeps the physical centre', () => {
    const [nx, ny, nz] = [9, 7, 6]
    const data = Float32Array.from({ length: nx * ny * nz }, (_, i) => i)
    const direction = [0, 1, 0, -1, 0, 0, 0, 0, 1]
    const image = makeImage([nx, ny, nz], { data, spacing: [0.5, 2, 3], origin: [10, -4, 7], direction })
    const s = shrinkImage(image, 2)
    expect(s.size).toEqual([4, 3, 3])
    expect(s.spacing).toEqual([1, 4, 6])
    const plan = shrinkPlan([nx, ny, nz], 2)
    const out = s.data as Float32Array
    for (let z = 0; z < 3; z++) for (let y = 0; y < 3; y++) for (let x = 0; x < 4; x++) {
      const src = plan.offset[0] + 2 * x + nx * (plan.offset[1] + 2 * y + ny * (plan.offset[2] + 2 * z))
      expect(out[x + 4 * (y + 3 * z)]).toBe(src)
    }
    const cIn = indexToPhysicalPoint(image, [(nx - 1) / 2, (ny - 1) / 2, (nz - 1) / 2])
    const cOut = indexToPhysicalPoint(s, [(4 - 1) / 2, (3 - 1) / 2, (3 - 1) / 2])
    for (let r = 0; r < 3; r++) expect(cOut[r]).toBeCloseTo(cIn[r], 12)
    expect(() => shrinkImage(image, 0)).toThrow(/positive integer/)
  })
})
