// The HU-clipping and metal figures' numbers on the figure copy of the thorax phantom, against
// numpy / scipy.ndimage.label / skimage (tests/reference/segment/make-thorax-figure-reference.py).
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readNifti } from '../../../src/io/index'
import { clipMasks, clipStatistics } from '../../../src/intensity/index'
import { histogram } from '../../../src/metrics/index'
import { metalComponents } from '../../../src/segment/index'
import type { Image } from '../../../src/image'

const ref = JSON.parse(readFileSync(join(__dirname, '../../reference/segment/thorax-figure-reference.json'), 'utf8')) as any
let phantom: Image
const load = async () => (phantom ??= await readNifti(readFileSync(join(__dirname, '../../../public/data/ct-thorax-phantom/thorax-1.4mm.nii.gz')).buffer as ArrayBuffer))

describe('HU clipping on the thorax phantom vs numpy', () => {
  for (const c of ref.clip) {
    it(`[${c.lower}, ${c.upper}]: voxels below and above`, async () => {
      const s = clipStatistics(await load(), { lower: c.lower, upper: c.upper })
      expect([s.belowCount, s.aboveCount, s.total]).toEqual([c.below, c.above, c.total])
      const m = clipMasks(await load(), { lower: c.lower, upper: c.upper })
      const sum = (a: Uint8Array) => a.reduce((t, v) => t + v, 0)
      expect([sum(m.below.data as Uint8Array), sum(m.above.data as Uint8Array)]).toEqual([c.below, c.above])
      expect(m.below.size).toEqual(s.total === c.total ? (await load()).size : [])
    })
  }
  it('the figure histogram equals np.histogram(310 bins over [-1200, 5000])', async () => {
    const h = histogram(await load(), { bins: ref.histogram.bins, min: ref.histogram.min, max: ref.histogram.max })
    expect(Array.from(h.counts)).toEqual(ref.histogram.counts)
  })
})

describe('metal components on the thorax phantom vs scipy.ndimage.label', () => {
  for (const m of ref.metal) {
    it(`threshold ${m.threshold} HU: same components, sizes, centroids and bounds`, async () => {
      const r = metalComponents(await load(), { threshold: m.threshold })
      expect(r.candidateVoxels).toBe(m.metalVoxels)
      expect(r.components.map((c) => c.voxels)).toEqual(m.components.map((c: any) => c.voxels))
      r.components.forEach((c, k) => {
        const e = m.components[k]
        expect(c.volumeMm3).toBeCloseTo(e.mm3, 6)
        for (let a = 0; a < 3; a++) expect(Math.abs(c.centroid[a] - e.centroidLps[a])).toBeLessThan(1e-4)
        expect(c.boundsMin).toEqual(e.boundsMin)
        expect(c.boundsMax).toEqual(e.boundsMax)
      })
      let labelled = 0
      for (const l of r.labels.data as Uint32Array) if (l) labelled++
      expect(labelled).toBe(m.metalVoxels)
    })
  }
  it('drops components below minVoxels and rejects bad options', async () => {
    const img = await load()
    const small = Math.min(...ref.metal[0].components.map((c: any) => c.voxels))
    expect(metalComponents(img, { threshold: 2000, minVoxels: small + 1 }).components.length).toBe(ref.metal[0].components.length - 1)
    expect(() => metalComponents(img, { threshold: NaN })).toThrow(/finite/)
    expect(() => metalComponents(img, { minVoxels: -1 })).toThrow(/minVoxels/)
  })
})
