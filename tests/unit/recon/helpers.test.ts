/** selectViews and blockMean (used by the sinogram figure), checked against iradon and by hand. */
import { describe, expect, it } from 'vitest'
import { makeImage, pixelData } from '../../../src/image'
import { blockMean, iradon, radon, ReconError, selectViews, sheppLoganPhantom, SINOGRAM_ANGLES_KEY } from '../../../src/recon/index'
import { maxAbsDiff } from './reference'

describe('selectViews', () => {
  const sino = radon(sheppLoganPhantom(64), { angles: [0, 30, 60, 90, 120, 150] })
  it('keeps the chosen views and their angles, so iradon of the subset is iradon with those angles', () => {
    const sub = selectViews(sino, [1, 3, 5])
    expect(sub.size).toEqual([64, 3])
    expect(sub.metadata.get(SINOGRAM_ANGLES_KEY)).toEqual([30, 90, 150])
    const d = pixelData(sino)
    expect(Array.from(pixelData(sub).subarray(64, 128))).toEqual(Array.from(d.subarray(3 * 64, 4 * 64)))
    const direct = radon(sheppLoganPhantom(64), { angles: [30, 90, 150] })
    expect(maxAbsDiff(pixelData(iradon(sub)), pixelData(iradon(direct)))).toBeLessThan(1e-12)
  })
  it('rejects views outside the sinogram', () => {
    expect(() => selectViews(sino, [6])).toThrow(ReconError)
    expect(() => selectViews(sino, [])).toThrow(ReconError)
  })
})

describe('blockMean', () => {
  it('averages 2 × 2 blocks', () => {
    const img = makeImage([4, 2], { data: Float64Array.from([1, 3, 5, 7, 1, 3, 5, 7]) })
    const out = blockMean(img, 2)
    expect(out.size).toEqual([2, 1])
    expect(Array.from(pixelData(out))).toEqual([2, 6])
    expect(out.spacing).toEqual([2, 2])
  })
  it('rejects a factor that does not divide the size', () => expect(() => blockMean(sheppLoganPhantom(10), 3)).toThrow(ReconError))
})
