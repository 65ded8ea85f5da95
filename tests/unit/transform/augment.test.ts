/**
 * Augmentation transforms against tests/reference/transform/make-augment-reference.py
 * (scipy.ndimage.map_coordinates order 1 / order 0, mode 'constant', and affine_transform;
 * the elastic field regenerated in Python from the seed and smoothed by gaussian_filter).
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { makeImage } from '../../../src/image'
import { mulberry32 } from '../../../src/random'
import { affineAugment, augmentImageAndLabels, elasticDeform, elasticDisplacementField, flipAxis, augmentImage, TransformError } from '../../../src/transform/index'

const reference = JSON.parse(readFileSync(new URL('../../reference/transform/augment-reference.json', import.meta.url), 'utf8'))

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length)
  let worst = 0
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]))
  return worst
}

describe('mulberry32 as regenerated in Python', () => {
  it('gives the same first numbers for seed 7', () => {
    const r = mulberry32(7)
    expect(reference.mulberry32Seed7First5.map(() => r())).toEqual(reference.mulberry32Seed7First5)
  })
})

for (const c of reference.cases) {
  describe(c.name, () => {
    const g = c.geometry
    const image = makeImage(g.size, { data: Float32Array.from(c.image), spacing: g.spacing, origin: g.origin, direction: g.direction })
    const labels = makeImage(g.size, { data: Uint8Array.from(c.labels), spacing: g.spacing, origin: g.origin, direction: g.direction })
    const field = c.elastic ? elasticDisplacementField(image, c.elastic) : undefined
    const options = { ...c.params, field, defaultValue: c.defaultValue }
    it('is not within round-off of an edge or a nearest-neighbour tie (so the comparison is meaningful)', () => {
      expect(c.edgeMargin).toBeGreaterThan(1e-6)
      expect(c.tieMargin).toBeGreaterThan(1e-6)
    })
    if (c.elastic) {
      it('builds the displacement field of scipy.ndimage.gaussian_filter to 1e-9', () => {
        field!.components.forEach((comp, a) => expect(maxDiff(comp, c.expectedField[a])).toBeLessThan(1e-9))
      })
    } else {
      it('agrees with scipy.ndimage.affine_transform on the Python side', () => {
        expect(c.affineTransformMaxDiff).toBeLessThan(1e-9)
      })
    }
    it('image (linear) matches map_coordinates(order=1) to 1e-4', () => {
      const out = c.elastic && !Object.keys(c.params).length ? elasticDeform(image, field!, { defaultValue: c.defaultValue }) : augmentImage(image, options)
      expect(out.imageType.componentType).toBe('float32')
      expect(out.origin).toEqual(g.origin)
      expect(maxDiff(out.data as Float32Array, c.expectedLinear)).toBeLessThan(1e-4)
    })
    it('labels (nearest) match map_coordinates(order=0) exactly and stay labels', () => {
      const out = augmentImage(labels, { ...options, interpolator: 'nearest', defaultValue: 0 })
      expect(out.imageType.componentType).toBe('uint8')
      expect(maxDiff(out.data as Uint8Array, c.expectedNearest)).toBe(0)
      const allowed = new Set(c.labels)
      for (const v of out.data as Uint8Array) expect(allowed.has(v) || v === 0).toBe(true)
    })
  })
}

describe('affineAugment', () => {
  it('identity parameters return the image unchanged (border rows kept)', () => {
    const c = reference.cases[0]
    const g = c.geometry
    const image = makeImage(g.size, { data: Float32Array.from(c.image), spacing: g.spacing, origin: g.origin, direction: g.direction })
    expect(maxDiff(affineAugment(image).data as Float32Array, image.data as Float32Array)).toBeLessThan(1e-4)
  })
  it('a 90° rotation of a square isotropic grid is a transpose-and-flip of the voxels', () => {
    const image = makeImage([3, 3], { data: Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]) })
    // Output (i, j) takes the input at R⁻¹(q − c) + c: for +90°, input (j, 2 − i); the +x neighbour
    // of the centre (value 6) moves to the +y neighbour.
    expect(Array.from(affineAugment(image, { rotation: 90 }).data as Float32Array).map((v) => Math.round(v * 1e6) / 1e6)).toEqual([7, 4, 1, 8, 5, 2, 9, 6, 3])
  })
  it('refuses bad parameters with codes', () => {
    const image = makeImage([4, 4])
    const code = (f: () => unknown) => {
      try {
        f()
      } catch (e) {
        expect(e).toBeInstanceOf(TransformError)
        return (e as TransformError).code
      }
      return 'no error'
    }
    expect(code(() => affineAugment(image, { scale: 0 }))).toBe('BAD_OPTION')
    expect(code(() => affineAugment(image, { rotation: [1, 2, 3] }))).toBe('BAD_OPTION')
    expect(code(() => affineAugment(image, { translation: [1] }))).toBe('BAD_OPTION')
    expect(code(() => affineAugment(image, { shear: 1, scale: [1, 1], rotation: 0, interpolator: 'cubic' as never }))).toBe('BAD_OPTION')
    expect(code(() => affineAugment(makeImage([4]), {}))).toBe('BAD_IMAGE')
    expect(code(() => elasticDisplacementField(image, { alpha: -1, sigma: 1 }))).toBe('BAD_OPTION')
    expect(code(() => elasticDeform(image, { size: [3, 4], components: [new Float64Array(12), new Float64Array(12)] }))).toBe('BAD_OPTION')
  })
})

describe('flipAxis', () => {
  const f = reference.flip3d
  const image = makeImage(f.geometry.size, { data: Float64Array.from(f.image), spacing: f.geometry.spacing, direction: f.geometry.direction })
  for (const { axis, expected } of f.flips) {
    it(`is numpy.flip along voxel axis ${axis}, geometry kept`, () => {
      const out = flipAxis(image, axis)
      expect(maxDiff(out.data as Float64Array, expected)).toBe(0)
      expect(Array.from(out.direction as Float64Array)).toEqual(f.geometry.direction)
    })
  }
  it("'LR' finds the voxel axis along patient left–right from the direction matrix", () => {
    // direction [0 1 0; −1 0 0; 0 0 1]: LPS x (L–R) runs along voxel axis 1.
    expect(maxDiff(flipAxis(image, 'LR').data as Float64Array, f.flips[1].expected)).toBe(0)
    expect(maxDiff(flipAxis(image, 'AP').data as Float64Array, f.flips[0].expected)).toBe(0)
  })
  it('flipping twice is the identity; a bad axis is refused', () => {
    expect(maxDiff(flipAxis(flipAxis(image, 2), 2).data as Float64Array, f.image)).toBe(0)
    expect(() => flipAxis(image, 3)).toThrow(TransformError)
  })
})

describe('augmentImageAndLabels', () => {
  const c = reference.cases[3] // 2D elastic + rotation
  const g = c.geometry
  const image = makeImage(g.size, { data: Float32Array.from(c.image), spacing: g.spacing, origin: g.origin, direction: g.direction })
  const labels = makeImage(g.size, { data: Uint8Array.from(c.labels), spacing: g.spacing, origin: g.origin, direction: g.direction })
  it('moves image and labels with one field: the reference case again', () => {
    const out = augmentImageAndLabels(image, labels, { ...c.params, elastic: c.elastic })
    expect(maxDiff(out.image.data as Float32Array, c.expectedLinear)).toBeLessThan(1e-4)
    expect(maxDiff(out.labels.data as Uint8Array, c.expectedNearest)).toBe(0)
  })
  it('flips first, then transforms, both alike', () => {
    const out = augmentImageAndLabels(image, labels, { rotation: 12, flip: 'LR' })
    const image2 = affineAugment(flipAxis(image, 'LR'), { rotation: 12 })
    const labels2 = affineAugment(flipAxis(labels, 'LR'), { rotation: 12, interpolator: 'nearest' })
    expect(maxDiff(out.image.data as Float32Array, image2.data as Float32Array)).toBe(0)
    expect(maxDiff(out.labels.data as Uint8Array, labels2.data as Uint8Array)).toBe(0)
  })
  it('refuses labels of another size', () => {
    expect(() => augmentImageAndLabels(image, makeImage([3, 3]))).toThrow(TransformError)
  })
})
