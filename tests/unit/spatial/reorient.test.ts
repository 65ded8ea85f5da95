import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { makeImage, type Image } from '../../../src/image'
import { reorientImage, orientationCode, ReorientError } from '../../../src/spatial'

interface Expected { code: string; size: number[]; data: number[]; affine: number[][]; axcodes: string }
interface Case { name: string; size: number[]; components: number; data: number[]; affine: number[][]; axcodes: string; expected: Expected[] }
const ref = JSON.parse(readFileSync(join(__dirname, '../../reference/spatial/reorient-reference.json'), 'utf8')) as { cases: Case[] }

/** Image from a nibabel RAS affine (LPS world: negate the first two rows). */
function fromAffine(c: Case): Image {
  const spacing = [0, 1, 2].map((j) => Math.hypot(c.affine[0][j], c.affine[1][j], c.affine[2][j]))
  const direction: number[] = []
  for (let r = 0; r < 3; r++) for (let j = 0; j < 3; j++) direction.push((r < 2 ? -1 : 1) * c.affine[r][j] / spacing[j])
  const origin = [-c.affine[0][3], -c.affine[1][3], c.affine[2][3]]
  return makeImage(c.size, { spacing, origin, direction, components: c.components, data: Int16Array.from(c.data) })
}

/** RAS affine of an image. */
function affineOf(im: Image): number[][] {
  const a: number[][] = []
  for (let r = 0; r < 3; r++) {
    const s = r < 2 ? -1 : 1
    a.push([0, 1, 2].map((j) => s * Number(im.direction[r * 3 + j]) * im.spacing[j]).concat(s * im.origin[r]))
  }
  a.push([0, 0, 0, 1])
  return a
}

describe('reorientImage vs nibabel 5.0 (tests/reference/spatial/reorient-reference.json)', () => {
  for (const c of ref.cases) {
    it(`${c.name}: orientationCode is ${c.axcodes}`, () => {
      expect(orientationCode(fromAffine(c))).toBe(c.axcodes)
    })
    for (const e of c.expected) {
      it(`${c.name} → ${e.code}: data identical, affine within 1e-9`, () => {
        const out = reorientImage(fromAffine(c), e.code)
        expect(out.size).toEqual(e.size)
        expect(Array.from(out.data as Int16Array)).toEqual(e.data)
        expect(out.data).toBeInstanceOf(Int16Array)
        const a = affineOf(out)
        for (let r = 0; r < 4; r++) for (let k = 0; k < 4; k++) expect(Math.abs(a[r][k] - e.affine[r][k])).toBeLessThan(1e-9)
        expect(orientationCode(out)).toBe(e.axcodes)
      })
    }
  }
})

describe('reorientImage round trip, types and errors', () => {
  it('round-trips back to the original voxels and geometry', () => {
    for (const c of ref.cases) {
      const im = fromAffine(c)
      const back = reorientImage(reorientImage(im, 'PIR'), c.axcodes)
      if (c.name === 'greedy-order') continue
      expect(Array.from(back.data as Int16Array)).toEqual(c.data)
      const a = affineOf(back)
      for (let r = 0; r < 3; r++) for (let k = 0; k < 4; k++) expect(a[r][k]).toBeCloseTo(c.affine[r][k], 9)
    }
  })
  it('keeps the typed-array class (Float64Array, Uint8ClampedArray, BigInt64Array)', () => {
    for (const data of [new Float64Array(24).map((_, i) => i), new Uint8ClampedArray(24).map((_, i) => i), BigInt64Array.from({ length: 24 }, (_, i) => BigInt(i))]) {
      const out = reorientImage(makeImage([4, 3, 2], { data }), 'RAS')
      expect(out.data!.constructor).toBe(data.constructor)
    }
  })
  it('identity (LPS) image is LPS; LPS target is a no-op', () => {
    const im = makeImage([4, 3, 2], { data: new Float32Array(24).map((_, i) => i) })
    expect(orientationCode(im)).toBe('LPS')
    expect(Array.from(reorientImage(im, 'LPS').data as Float32Array)).toEqual(Array.from(im.data as Float32Array))
  })
  it('throws ReorientError with codes', () => {
    const im = makeImage([4, 3, 2])
    const code = (f: () => unknown): string | undefined => { try { f(); return undefined } catch (e) { expect(e).toBeInstanceOf(ReorientError); return (e as ReorientError).code } }
    expect(code(() => reorientImage(im, 'RRS'))).toBe('INVALID_CODE')
    expect(code(() => reorientImage(im, 'XYZ'))).toBe('INVALID_CODE')
    expect(code(() => reorientImage(im, 'RA'))).toBe('INVALID_CODE')
    expect(code(() => reorientImage(im, 'ras'))).toBe('INVALID_CODE')
    expect(code(() => reorientImage(makeImage([4, 3]), 'RAS'))).toBe('UNSUPPORTED_DIMENSION')
    expect(code(() => reorientImage(makeImage([4, 3, 2], { direction: [1, 0, 0, 1, 0, 0, 0, 0, 1] }), 'RAS'))).toBe('SINGULAR_DIRECTION')
    expect(code(() => reorientImage({ ...im, data: null }, 'RAS'))).toBe('NO_PIXEL_DATA')
  })
})
