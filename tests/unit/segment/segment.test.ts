import { describe, expect, it } from 'vitest'
import { makeImage, pixelData } from '../../../src/image'
import {
  binaryMorphology, connectedComponents, detectMetal, keepLargestComponents, segmentLungs, threshold,
  type BinaryMorphologyOptions, type ConnectedComponentsOptions,
} from '../../../src/segment/index'
import { cases, diff, readArray, readImage, type ArrayDesc } from './fixtures'

interface Case {
  kind: 'threshold' | 'label' | 'keepLargest' | 'morphology' | 'metal' | 'lungs'
  input: ArrayDesc
  expected: ArrayDesc
  options: Record<string, unknown>
  count?: number
  sizes?: number[]
  n?: number
  spacing?: number[]
  reference?: string
}

const all = cases<Case>()
const sum = (a: ArrayLike<number>) => Array.from(a).reduce((x, y) => x + y, 0)
const title = (c: Case) => `${c.input.file.replace('.bin.gz', '')} ${c.input.size.join('×')} ${JSON.stringify(c.options)}${c.reference ? ' vs ' + c.reference : ''}`

describe('threshold vs ITK BinaryThresholdImageFilter semantics', () => {
  for (const c of all.filter((c) => c.kind === 'threshold')) {
    it(title(c), () => {
      const out = threshold(readImage(c.input), c.options)
      expect(out.imageType.componentType).toBe('uint8')
      expect(diff(pixelData(out), readArray(c.expected))).toEqual({ first: -1, count: 0 })
    })
  }
})

describe('connectedComponents vs scipy.ndimage.label', () => {
  for (const c of all.filter((c) => c.kind === 'label')) {
    it(title(c), () => {
      const r = connectedComponents(readImage(c.input), c.options as ConnectedComponentsOptions)
      expect(r.count).toBe(c.count)
      expect(r.sizes).toEqual(c.sizes)
      expect(r.labels.imageType.componentType).toBe('uint32')
      expect(diff(pixelData(r.labels), readArray(c.expected))).toEqual({ first: -1, count: 0 })
    })
  }
  for (const c of all.filter((c) => c.kind === 'keepLargest')) {
    it(`keepLargestComponents n=${c.n} ${title(c)}`, () => {
      const out = keepLargestComponents(readImage(c.input), c.n, c.options as ConnectedComponentsOptions)
      expect(diff(pixelData(out), readArray(c.expected))).toEqual({ first: -1, count: 0 })
    })
  }
})

describe('binaryMorphology vs scipy.ndimage / skimage.morphology with ball / disk', () => {
  for (const c of all.filter((c) => c.kind === 'morphology')) {
    it(title(c), () => {
      const out = binaryMorphology(readImage(c.input, c.spacing), c.options as unknown as BinaryMorphologyOptions)
      expect(out.imageType.componentType).toBe('uint8')
      expect(diff(pixelData(out), readArray(c.expected))).toEqual({ first: -1, count: 0 })
    })
  }
})

describe('detectMetal vs threshold + scipy.ndimage.label size filter', () => {
  for (const c of all.filter((c) => c.kind === 'metal')) {
    it(title(c), () => {
      const r = detectMetal(readImage(c.input), c.options)
      expect(r.sizes).toEqual(c.sizes)
      expect(r.components).toBe(c.sizes!.length)
      expect(r.voxelCount).toBe(c.sizes!.reduce((a, b) => a + b, 0))
      expect(diff(pixelData(r.mask), readArray(c.expected))).toEqual({ first: -1, count: 0 })
    })
  }
})

describe('segmentLungs vs the same recipe in scipy.ndimage', () => {
  for (const c of all.filter((c) => c.kind === 'lungs')) {
    it(title(c), () => {
      const fractions: number[] = []
      const out = segmentLungs(readImage(c.input), { ...c.options, onProgress: (f) => fractions.push(f) })
      const expected = readArray(c.expected)
      expect(diff(pixelData(out), expected)).toEqual({ first: -1, count: 0 })
      expect(sum(expected)).toBeGreaterThan(1000)
      expect(fractions.at(-1)).toBe(1)
      for (let i = 1; i < fractions.length; i++) expect(fractions[i]).toBeGreaterThanOrEqual(fractions[i - 1])
    })
  }
})

describe('geometry, edge cases and errors', () => {
  const geo = makeImage([5, 4, 3], {
    spacing: [0.5, 0.7, 2], origin: [1, 2, 3], direction: [0, 1, 0, 1, 0, 0, 0, 0, 1],
    data: Int16Array.from({ length: 60 }, (_, i) => (i % 7) - 3),
  })
  it('keeps the input geometry', () => {
    for (const out of [threshold(geo, { upper: 0 }), binaryMorphology(geo, { operation: 'dilate' }), connectedComponents(geo).labels]) {
      expect(out.size).toEqual([5, 4, 3])
      expect(out.spacing).toEqual([0.5, 0.7, 2])
      expect(out.origin).toEqual([1, 2, 3])
      expect(Array.from(out.direction as Float64Array)).toEqual([0, 1, 0, 1, 0, 0, 0, 0, 1])
    }
  })
  it('handles empty and full masks', () => {
    const empty = makeImage([6, 5, 4], { componentType: 'uint8' })
    expect(connectedComponents(empty).count).toBe(0)
    expect(sum(pixelData(binaryMorphology(empty, { operation: 'dilate', radius: 3 })))).toBe(0)
    const full = makeImage([6, 5, 4], { data: new Uint8Array(120).fill(1) })
    const cc = connectedComponents(full, { connectivity: 26 })
    expect([cc.count, cc.sizes[0]]).toEqual([1, 120])
    // border_value 0: a 6×5×4 block eroded by a radius-1 ball keeps its 4×3×2 interior.
    expect(sum(pixelData(binaryMorphology(full, { operation: 'erode' })))).toBe(24)
    expect(sum(pixelData(binaryMorphology(full, { operation: 'erode', borderValue: 1 })))).toBe(120)
  })
  it('radius 0 is the identity', () => {
    const m = makeImage([7, 6], { data: Uint8Array.from({ length: 42 }, (_, i) => (i * 7919) % 3 === 0 ? 1 : 0) })
    for (const operation of ['erode', 'dilate', 'open', 'close'] as const) {
      expect(Array.from(pixelData(binaryMorphology(m, { operation, radius: 0 })))).toEqual(Array.from(pixelData(m)))
    }
  })
  it('throws clear errors', () => {
    const m2 = makeImage([4, 4], { componentType: 'uint8' })
    expect(() => connectedComponents(m2, { connectivity: 6 })).toThrow(/connectivity 6 is not valid for a 2D image/)
    expect(() => connectedComponents(geo, { connectivity: 8 })).toThrow(/not valid for a 3D image/)
    expect(() => connectedComponents(makeImage([3, 3, 3, 3]))).toThrow(/2D or 3D/)
    expect(() => binaryMorphology(geo, { operation: 'dilate', radiusMm: 1, slicewise: true })).not.toThrow()
    expect(() => threshold(geo, { lower: 5, upper: 1 })).toThrow(/greater than upper/)
    expect(() => threshold(geo, { insideValue: 300 })).toThrow(/0..255/)
    expect(() => binaryMorphology(geo, { operation: 'thin' as 'erode' })).toThrow(/unknown operation/)
    expect(() => binaryMorphology(geo, { operation: 'erode', radius: -1 })).toThrow(/radius/)
    expect(() => keepLargestComponents(geo, 1.5)).toThrow(/non-negative integer/)
    expect(() => segmentLungs(makeImage([8, 8, 2], { data: new Float32Array(128).fill(40) }))).toThrow(/no air inside the body/)
    expect(() => threshold(makeImage([3, 3], { components: 3 }))).toThrow(/scalar/)
  })
  it('reports monotonic progress up to 1', () => {
    const c = all.find((c) => c.kind === 'morphology' && c.input.size.length === 3)!
    const fractions: number[] = []
    binaryMorphology(readImage(c.input), { operation: 'close', radius: 2, onProgress: (f) => fractions.push(f) })
    expect(fractions.length).toBeGreaterThan(4)
    expect(fractions.at(-1)).toBeCloseTo(1, 12)
    for (let i = 1; i < fractions.length; i++) expect(fractions[i]).toBeGreaterThanOrEqual(fractions[i - 1])
  })
  it('stops when aborted', () => {
    const ac = new AbortController()
    ac.abort()
    expect(() => binaryMorphology(geo, { operation: 'close', signal: ac.signal })).toThrow()
    expect(() => segmentLungs(geo, { signal: ac.signal })).toThrow()
  })
})
