/**
 * The simulated radiograph, the lung field and the region normalisation against
 * tests/reference/physics/make-radiograph-reference.py (numpy + nibabel orientation,
 * skimage Otsu, scipy label / binary_closing / binary_fill_holes).
 */
import { readFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { makeImage, type Image } from '../../../src/image'
import { projectRadiograph, RadiographError, WATER_MU_60KEV_PER_MM } from '../../../src/physics/index'
import { segmentLungFields, skimageOtsuThreshold } from '../../../src/segment/index'
import { normalizeInRegion, regionStatistics } from '../../../src/intensity/index'

const dir = new URL('../../reference/physics/', import.meta.url)
const reference = JSON.parse(readFileSync(new URL('radiograph-reference.json', dir), 'utf8'))

function gz(name: string): Uint8Array {
  const b = gunzipSync(readFileSync(new URL(name, dir)))
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength).slice()
}

const phantom = reference.phantom
const drr: Image = makeImage(phantom.size, { data: new Float32Array(gz('drr-phantom.f32.gz').buffer), spacing: phantom.spacing })
const lungReference = gz('lung-field-phantom.u8.gz')

describe('projectRadiograph', () => {
  it('uses μ_water at 60 keV from NIST SRD 126 (0.2059 cm²/g)', () => {
    expect(WATER_MU_60KEV_PER_MM).toBe(reference.muWater)
  })

  for (const c of reference.projection) {
    it(`matches numpy's sum along the A–P axis found by nibabel: ${c.name}`, () => {
      const ct = makeImage(c.size, { data: Int16Array.from(c.hu), spacing: c.spacing, origin: c.origin, direction: c.direction })
      const out = projectRadiograph(ct)
      expect(out.size).toEqual(c.expectedSize)
      expect(out.imageType.dimension).toBe(2)
      let worst = 0
      const data = out.data as Float32Array
      for (let i = 0; i < data.length; i++) worst = Math.max(worst, Math.abs(data[i] - c.expected[i]) / Math.max(1, Math.abs(c.expected[i])))
      expect(worst).toBeLessThan(1e-6)
    })
  }

  it('gives I0·exp(−integral) for output "intensity"', () => {
    const c = reference.projection[2]
    const ct = makeImage(c.size, { data: Int16Array.from(c.hu), spacing: c.spacing, direction: c.direction })
    const out = projectRadiograph(ct, { output: 'intensity', i0: 1000 }).data as Float32Array
    for (let i = 0; i < out.length; i++) expect(out[i]).toBeCloseTo(1000 * Math.exp(-c.expected[i]), 2)
  })

  it('scales linearly with μ_water and ignores HU below −1000', () => {
    const ct = makeImage([2, 3, 1], { data: Int16Array.from([-3024, 0, -1000, 1000, -500, 0]), spacing: [1, 2, 1] })
    const out = projectRadiograph(ct, { muWater: 0.01 }).data as Float32Array
    // Columns: R→L = x increasing (LPS); one row. Ray x=0: −3024→0, −1000→0, −500→0.5·0.01·2; ray x=1: 0, 1000, 0 → (1+2+1)·0.01·2.
    expect(out[0]).toBeCloseTo(0.01, 7)
    expect(out[1]).toBeCloseTo(0.08, 7)
  })

  it('refuses 2D input, oblique volumes and bad options with codes', () => {
    const code = (f: () => unknown) => {
      try {
        f()
      } catch (e) {
        expect(e).toBeInstanceOf(RadiographError)
        return (e as RadiographError).code
      }
      return 'no error'
    }
    expect(code(() => projectRadiograph(makeImage([4, 4])))).toBe('NOT_A_VOLUME')
    const c = Math.cos(0.3)
    const s = Math.sin(0.3)
    expect(code(() => projectRadiograph(makeImage([4, 4, 4], { direction: [c, -s, 0, s, c, 0, 0, 0, 1] })))).toBe('NO_AP_AXIS')
    expect(code(() => projectRadiograph(makeImage([4, 4, 4]), { muWater: 0 }))).toBe('BAD_OPTION')
    expect(code(() => projectRadiograph(makeImage([4, 4, 4]), { output: 'film' as never }))).toBe('BAD_OPTION')
  })
})

describe('the phantom radiograph (committed float32 input)', () => {
  it('has the reference range and sum', () => {
    const s = regionStatistics(drr, makeImage(drr.size, { data: new Uint8Array(drr.size[0] * drr.size[1]).fill(1) }))
    expect(s.min).toBeCloseTo(phantom.drrMin, 6)
    expect(s.max).toBeCloseTo(phantom.drrMax, 6)
    expect(s.mean * s.count).toBeCloseTo(phantom.drrSum, 2)
  })
})

describe('segmentLungFields', () => {
  it("uses skimage's Otsu threshold exactly", () => {
    expect(skimageOtsuThreshold(drr.data as Float32Array)).toBe(phantom.otsuThreshold)
  })

  const result = segmentLungFields(drr)
  it('keeps the two lungs with scipy.ndimage.label sizes', () => {
    expect(result.componentSizes).toEqual(phantom.componentSizes)
    expect(result.threshold).toBe(phantom.otsuThreshold)
  })

  it('gives the scipy mask pixel for pixel (closing disk 3, fill holes)', () => {
    const mask = result.mask.data as Uint8Array
    let differ = 0
    for (let i = 0; i < mask.length; i++) if (mask[i] !== lungReference[i]) differ++
    expect(differ).toBe(0)
    expect(result.pixels).toBe(phantom.lungPixels)
  })

  it('drops dark regions that touch the border and explains an empty result', () => {
    const img = makeImage([5, 5], { data: Float32Array.from({ length: 25 }, (_, i) => (i % 5 === 0 ? 0 : 10)) })
    expect(() => segmentLungFields(img, { threshold: 5 })).toThrow(/no dark region inside the body/)
    expect(() => segmentLungFields(img, { components: 0 })).toThrow(/components must be a positive integer/)
  })
})

describe('normalizeInRegion (lung field)', () => {
  const mask = makeImage(drr.size, { data: lungReference })
  it('region statistics match numpy (mean, std ddof 0, min, max)', () => {
    const s = regionStatistics(drr, mask)
    expect(s.count).toBe(phantom.lungPixels)
    expect(s.mean).toBeCloseTo(phantom.lungMean, 10)
    expect(s.std).toBeCloseTo(phantom.lungStd, 10)
    expect(s.min).toBe(phantom.lungMin)
    expect(s.max).toBe(phantom.lungMax)
  })
  for (const method of ['zscore', 'minmax'] as const) {
    it(`${method} matches numpy at 1e-4`, () => {
      const out = normalizeInRegion(drr, mask, method).data as Float32Array
      const expected = method === 'zscore' ? phantom.zscoreAtProbe : phantom.minmaxAtProbe
      phantom.probe.forEach((p: number, k: number) => expect(Math.abs(out[p] - expected[k])).toBeLessThan(1e-4))
      let sum = 0
      for (const v of out) sum += v
      expect(Math.abs(sum - (method === 'zscore' ? phantom.zscoreSum : phantom.minmaxSum)) / out.length).toBeLessThan(1e-5)
    })
  }
  it('refuses an unknown method and an empty mask', () => {
    expect(() => normalizeInRegion(drr, mask, 'median' as never)).toThrow(/unknown method/)
    expect(() => regionStatistics(drr, makeImage(drr.size, { data: new Uint8Array(drr.size[0] * drr.size[1]) }))).toThrow(/empty/)
  })
})
