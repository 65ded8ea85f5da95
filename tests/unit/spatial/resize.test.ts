import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { indexToPhysicalPoint, makeImage } from '../../../src/image'
import { castPixelType } from '../../../src/intensity/cast'
import { padOrCrop, resizeGrid, resizeImage } from '../../../src/spatial/resize'

const ref = JSON.parse(readFileSync(new URL('../../reference/spatial/resize-reference.json', import.meta.url), 'utf8')) as {
  input: { size: number[]; data: number[] }
  cases: { size: number[]; data: number[] }[]
}

// An oblique direction (rotation about z by 30°) so origin shifts must follow the axes.
const c = Math.cos(Math.PI / 6)
const s = Math.sin(Math.PI / 6)
const direction = [c, -s, 0, s, c, 0, 0, 0, 1]

describe('resizeImage', () => {
  const input = makeImage(ref.input.size, { data: Float64Array.from(ref.input.data), spacing: [0.8, 1.1, 2.5], origin: [10, -20, 30], direction })

  it.each(ref.cases.map((k) => [k.size.join('×'), k] as const))('matches scipy.ndimage.zoom(order=1, grid_mode=True, mode="nearest") at %s', (_n, k) => {
    const out = resizeImage(input, k.size, { outputComponentType: 'float64' })
    expect(out.size).toEqual(k.size)
    const d = out.data as Float64Array
    let worst = 0
    for (let i = 0; i < d.length; i++) worst = Math.max(worst, Math.abs(d[i] - k.data[i]))
    expect(worst).toBeLessThan(1e-5)
  })

  it('keeps the field of view: outer voxel edges and the centre stay in place', () => {
    const out = resizeImage(input, [12, 4, 5])
    const edge = (im: typeof input, idx: number[]) => indexToPhysicalPoint(im, idx)
    const a = edge(input, [-0.5, -0.5, -0.5])
    const b = edge(out, [-0.5, -0.5, -0.5])
    const a2 = edge(input, input.size.map((n) => n - 0.5))
    const b2 = edge(out, out.size.map((n) => n - 0.5))
    for (let i = 0; i < 3; i++) {
      expect(b[i]).toBeCloseTo(a[i], 9)
      expect(b2[i]).toBeCloseTo(a2[i], 9)
    }
    expect(Array.from(out.direction as ArrayLike<number>)).toEqual(direction)
  })

  it("'contain' keeps the aspect ratio with square pixels inside the size (a 2-entry size on one slice)", () => {
    const g = resizeGrid([300, 200, 1], [0.5, 0.5, 1], [512, 512], 'contain')
    expect(g.size).toEqual([512, 341, 1])
    expect(g.spacing[0]).toBeCloseTo(g.spacing[1], 12)
    expect(g.spacing[2]).toBe(1)
    expect(() => resizeGrid([4, 4], [1, 1], [2, 0])).toThrow(/positive integers/)
  })
})

describe('padOrCrop', () => {
  it('pads floor(d/2) before and crops floor(d/2) at the start, keeping every kept voxel where it was', () => {
    const im = makeImage([4, 3, 2], { data: Int16Array.from({ length: 24 }, (_, i) => i + 1), spacing: [1, 2, 3], origin: [5, 6, 7], direction })
    const out = padOrCrop(im, [7, 2, 2], { value: -1 })
    expect(out.size).toEqual([7, 2, 2])
    expect(out.imageType.componentType).toBe('int16')
    // x: 4 → 7 pads 1 before, 2 after; y: 3 → 2 crops 0 at the start, 1 at the end.
    expect(Array.from((out.data as Int16Array).slice(0, 7))).toEqual([-1, 1, 2, 3, 4, -1, -1])
    const p = indexToPhysicalPoint(out, [1, 0, 0])
    const q = indexToPhysicalPoint(im, [0, 0, 0])
    for (let i = 0; i < 3; i++) expect(p[i]).toBeCloseTo(q[i], 9)
    const crop = padOrCrop(im, [2, 3, 2])
    expect(Array.from((crop.data as Int16Array).slice(0, 2))).toEqual([2, 3])
  })
})

describe('castPixelType', () => {
  it('clamps to the range, rounds halves away from zero (or truncates), NaN → 0', () => {
    const im = makeImage([6], { data: Float32Array.from([-2.5, 2.5, 300, -40000, Number.NaN, 1.7]) })
    expect(Array.from(castPixelType(im, 'int16').data as Int16Array)).toEqual([-3, 3, 300, -32768, 0, 2])
    expect(Array.from(castPixelType(im, 'uint8', { rounding: 'truncate' }).data as Uint8Array)).toEqual([0, 2, 255, 0, 0, 1])
    expect(castPixelType(im, 'float64').imageType.componentType).toBe('float64')
  })
})
