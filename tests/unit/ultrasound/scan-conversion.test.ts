import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { makeImage, pixelData } from '../../../src/image'
import { UltrasoundProcessingError, logCompress, scanConvert, sectorBounds, timeGainCompensation } from '../../../src/ultrasound'

const ref = JSON.parse(readFileSync(join(__dirname, '../../reference/pet-us/reference.json'), 'utf8'))
const code = (f: () => unknown) => { try { f() } catch (e) { return e instanceof UltrasoundProcessingError ? e.code : 'other' } return 'no error' }

describe('timeGainCompensation and logCompress', () => {
  const b = ref.bmode
  const env = makeImage([b.width, b.height], { data: Float64Array.from(b.envelope as number[]), spacing: b.spacing })
  it('TGC equals the numpy formula within 1e-12 relative; log compression equals it exactly', () => {
    const tgc = timeGainCompensation(env, { slopeDbPerCm: b.slopeDbPerCm, startDepthMm: b.startDepthMm })
    const t = pixelData(tgc)
    for (let i = 0; i < t.length; i++) expect(Math.abs(t[i] - b.tgc[i])).toBeLessThanOrEqual(1e-12 * Math.max(1, b.tgc[i]))
    const bm = pixelData(logCompress(tgc, { dynamicRangeDb: b.dynamicRangeDb }))
    expect(Array.from(bm)).toEqual(b.bmode)
  })
  it('a gain curve of 6 dB doubles; zero slope changes nothing', () => {
    const doubled = pixelData(timeGainCompensation(env, { curveDb: new Array(b.height).fill(20 * Math.log10(2)) }))
    const same = pixelData(timeGainCompensation(env))
    for (let i = 0; i < doubled.length; i++) {
      expect(doubled[i]).toBeCloseTo(2 * b.envelope[i], 12)
      expect(same[i]).toBe(b.envelope[i])
    }
  })
  it('validates options', () => {
    expect(code(() => timeGainCompensation(env, { slopeDbPerCm: -1 }))).toBe('BAD_OPTION')
    expect(code(() => timeGainCompensation(env, { curveDb: [1, 2] }))).toBe('BAD_OPTION')
    expect(code(() => logCompress(env, { dynamicRangeDb: 5 }))).toBe('BAD_OPTION')
    expect(code(() => logCompress(makeImage([2, 2, 2])))).toBe('BAD_IMAGE')
  })
})

describe('scanConvert', () => {
  const s = ref.scan
  const polar = makeImage([s.lines, s.samples], { data: Float64Array.from(s.polar as number[]) })
  it('equals scipy.ndimage.map_coordinates(order=1, mode="constant") within 1e-10', () => {
    const img = scanConvert(polar, { angles: s.angles, depths: s.depths, outputSize: s.outputSize })
    expect(img.size).toEqual(s.outputSize)
    const a = pixelData(img)
    let worst = 0
    let inside = 0
    for (let i = 0; i < a.length; i++) {
      worst = Math.max(worst, Math.abs(a[i] - s.image[i]))
      if (a[i] !== 0) inside++
    }
    expect(worst).toBeLessThan(1e-10)
    expect(inside).toBe(s.inside)
    expect(sectorBounds(s.angles, s.depths).map((v, i) => v - s.bounds[i]).every((d) => Math.abs(d) < 1e-12)).toBe(true)
  })
  it('a constant polar image gives a constant sector, and the apex region outside r0 is filled', () => {
    const ones = makeImage([8, 8], { data: new Float64Array(64).fill(3) })
    const img = scanConvert(ones, { angles: [-30, 30], depths: [10, 50], outputSize: [41, 41], fill: -1 })
    const a = pixelData(img)
    expect(a[20]).toBe(-1) // top centre: z = r0·cos 30° < r0, inside the near-field arc
    expect(a[40 * 41 + 20]).toBeCloseTo(3, 12) // bottom centre: r = 50
    expect(a[40 * 41]).toBe(-1) // bottom corner: outside the sector
  })
  it('nearest takes the sample at the rounded indices: a constant image stays constant, an index image gives integers', () => {
    const idx = makeImage([8, 8], { data: Float64Array.from({ length: 64 }, (_, i) => i) })
    const a = pixelData(scanConvert(idx, { angles: [-30, 30], depths: [10, 50], outputSize: [41, 41], interpolation: 'nearest', fill: -1 }))
    expect(Array.from(a).every((v) => Number.isInteger(v) && v >= -1 && v < 64)).toBe(true)
    expect(a[40 * 41 + 20]).toBe(7 * 8 + 4) // r = 50 (last sample), θ = 0 → line 3.5, rounded to 4
  })
  it('validates options before allocating', () => {
    expect(code(() => scanConvert(polar, { angles: [-90, 30], depths: [0, 10], outputSize: [10, 10] }))).toBe('BAD_OPTION')
    expect(code(() => scanConvert(polar, { angles: [-30, 30], depths: [10, 5], outputSize: [10, 10] }))).toBe('BAD_OPTION')
    expect(code(() => scanConvert(polar, { angles: [-30, 30], depths: [0, 10], outputSize: [1e6, 10] }))).toBe('BAD_OPTION')
    expect(code(() => scanConvert(polar, { angles: [-30, 30], depths: [0, 10], outputSize: [10, 10], interpolation: 'cubic' as never }))).toBe('BAD_OPTION')
    expect(code(() => scanConvert(makeImage([1, 5]), { angles: [-30, 30], depths: [0, 10], outputSize: [10, 10] }))).toBe('BAD_IMAGE')
  })
})
