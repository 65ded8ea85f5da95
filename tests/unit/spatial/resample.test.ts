import { describe, expect, it } from 'vitest'
import { makeImage, type Image } from '../../../src/image'
import { resample, resampleToSpacing, bsplineCoefficients } from '../../../src/spatial'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { invertMatrix } from '../../../src/image'
import { grid3, makeIndexMap } from '../../../src/spatial/index-map'
import { indexToPhysicalMatrix, itkMatrixInverse } from '../../../src/spatial/itk-matrix'
import { FIXTURES, loadFixtures, loadInput, readRaw, type CaseJson } from './fixtures'

const fx = loadFixtures()

function run(c: CaseJson, outputComponentType = c.outputComponentType): Image {
  return resample(loadInput(fx, c.input), {
    ...c.output,
    interpolator: c.interpolator,
    defaultValue: c.defaultValue,
    outputComponentType,
  })
}

describe('resample vs ITK 5.2 ResampleImageFilter (fixtures from tests/reference/spatial)', () => {
  it('covers every interpolator, 2D and 3D, int16 and float32, oblique and axis-aligned grids', () => {
    const kinds = new Set(fx.cases.map((c) => `${c.interpolator}/${fx.inputs[c.input].size.length}D/${c.outputComponentType}`))
    for (const k of ['nearest/3D/int16', 'linear/3D/int16', 'linear/3D/float32', 'bspline/3D/float32', 'bspline/3D/int16',
      'nearest/2D/int16', 'linear/2D/int16', 'linear/2D/float32', 'bspline/2D/float32', 'bspline/2D/int16']) {
      expect(kinds.has(k), k).toBe(true)
    }
  })

  for (const c of fx.cases) {
    it(`${c.name}: ${c.interpolator} → ${c.outputComponentType} ${c.output.size.join('×')} equals ITK`, () => {
      const out = run(c)
      const ref = readRaw(c.file, c.outputComponentType)
      expect(out.size).toEqual(c.output.size)
      expect(out.imageType.componentType).toBe(c.outputComponentType)
      const got = out.data as Float32Array
      let mismatches = 0
      let maxRel = 0
      let outside = 0
      for (let i = 0; i < ref.length; i++) {
        const r = ref[i] as number
        if (got[i] !== r) mismatches++
        maxRel = Math.max(maxRel, Math.abs(got[i] - r) / Math.max(1, Math.abs(r)))
        if (r === c.defaultValue) outside++
      }
      if (c.outputComponentType === 'float32') expect(maxRel).toBeLessThanOrEqual(1e-4)
      // Same floating-point steps as ITK: nearest, integer casts and float32 values all agree exactly.
      expect(mismatches).toBe(0)
      // Every case places part of its grid outside the input or on its half-voxel border.
      if (!c.name.startsWith('sameoblique') && !c.name.startsWith('random')) expect(outside).toBeGreaterThan(0)
    })
  }

  it('oblique upsampling on the input’s own grid (sameoblique_up2_*) lands on exact .5 ties, and still matches', () => {
    const c = fx.cases.find((x) => x.name === 'sameoblique_up2_nearest')!
    const img = loadInput(fx, c.input)
    const map = makeIndexMap(grid3(img.size, img.spacing, img.origin, img.direction as ArrayLike<number>),
      grid3(c.output.size, c.output.spacing, c.output.origin, c.output.direction))
    expect(map.separable).toBe(false)
    const [nx, ny] = c.output.size
    const ci = new Float64Array(3)
    let ties = 0
    for (let p = 0; p < nx * ny * c.output.size[2]; p++) {
      map.indexAt(p % nx, Math.floor(p / nx) % ny, Math.floor(p / (nx * ny)), ci)
      if ([0, 1].some((a) => Math.abs(ci[a] - Math.floor(ci[a]) - 0.5) < 1e-9)) ties++
    }
    // Three voxels in four sit within 1e-9 of a tie; ITK's rounding noise decides them, and the
    // equality test above shows we reproduce that noise.
    expect(ties).toBeGreaterThan(0.7 * nx * ny * c.output.size[2])
  })
})

describe('ITK matrix inverse (vnl_svd / LINPACK dsvdc port)', () => {
  const mats = JSON.parse(readFileSync(join(FIXTURES, 'inverses.json'), 'utf8')) as
    { spacing: number[]; direction: number[]; itkPhysicalPointToIndex: number[] }[]

  it('reproduces ITK’s PhysicalPointToIndex bit for bit on 60 random oblique/permuted 2D and 3D geometries', () => {
    let exact = 0
    let gaussJordanExact = 0
    for (const m of mats) {
      const dim = m.spacing.length
      const M = indexToPhysicalMatrix(m.direction, m.spacing, dim)
      const ours = itkMatrixInverse(M, dim)
      const gj = invertMatrix(M, dim)
      if (ours.every((v, q) => v === m.itkPhysicalPointToIndex[q])) exact++
      if (gj.every((v, q) => v === m.itkPhysicalPointToIndex[q])) gaussJordanExact++
    }
    expect(mats.length).toBe(60)
    expect(exact).toBe(60)
    // A plain Gauss–Jordan inverse is right to ~1e-16 but not bit-identical: the port matters.
    expect(gaussJordanExact).toBeLessThan(30)
  })

  it('throws on a singular matrix', () => {
    expect(() => itkMatrixInverse([1, 2, 2, 4], 2)).toThrow(/singular/)
  })
})

describe('resampleToSpacing', () => {
  it('0.7×0.7×2.5 → 1 mm: size round(n·s/s′), origin and direction kept, values equal ITK', () => {
    const img = loadInput(fx, 'colin16aniso')
    for (const name of ['aniso_nearest', 'aniso_linear', 'aniso_linear_f32', 'aniso_bspline_f32']) {
      const c = fx.cases.find((x) => x.name === name)!
      const out = resampleToSpacing(img, [1, 1, 1], { interpolator: c.interpolator, outputComponentType: c.outputComponentType })
      expect(out.size).toEqual([28, 34, 40])
      expect(out.origin).toEqual(img.origin)
      expect(Array.from(out.direction as Float64Array)).toEqual(Array.from(img.direction as Float64Array))
      expect(Array.from(out.data as Float32Array)).toEqual(Array.from(readRaw(c.file, c.outputComponentType) as Float32Array))
    }
  })

  it('keeps at least one voxel per axis and rejects bad spacing', () => {
    const img = makeImage([4, 3], { spacing: [1, 1] })
    expect(resampleToSpacing(img, [100, 0.5]).size).toEqual([1, 6])
    expect(() => resampleToSpacing(img, [1, 1, 1])).toThrow(/spacing has 3 entries, the image is 2D/)
    expect(() => resampleToSpacing(img, [1, 0])).toThrow(/spacing must be positive/)
  })
})

describe('resample semantics', () => {
  const line = makeImage([4, 1], { data: Int16Array.from([10, 20, -5, 40]) })

  it('half-voxel border rule: [-0.5, n-0.5) is inside', () => {
    const at = (x: number, interpolator: 'nearest' | 'linear') =>
      resample(line, { size: [1, 1], origin: [x, 0], interpolator, defaultValue: -99 }).data![0]
    expect(at(-0.5, 'nearest')).toBe(10)
    expect(at(-0.5000001, 'nearest')).toBe(-99)
    expect(at(3.4999999, 'linear')).toBe(40)
    expect(at(3.5, 'linear')).toBe(-99)
    // RoundHalfIntegerUp: 1.5 → 2, 0.5 → 1
    expect(at(1.5, 'nearest')).toBe(-5)
    expect(at(0.5, 'nearest')).toBe(20)
  })

  it('integer outputs are clamped to the type range and truncated toward zero (ITK cast)', () => {
    const out = (x: number, t?: 'uint8' | 'float32') =>
      resample(line, { size: [1, 1], origin: [x, 0], interpolator: 'linear', outputComponentType: t }).data![0]
    expect(out(0.5)).toBe(15)
    expect(out(1.5)).toBe(7) // 7.5 → 7
    expect(out(1.9)).toBe(-2) // -2.5 → -2 (toward zero)
    expect(out(1.5, 'float32')).toBe(7.5)
    expect(out(1.9, 'uint8')).toBe(0) // clamped
    const big = makeImage([2, 1], { data: Int16Array.from([1000, 2000]) })
    expect(resample(big, { outputComponentType: 'uint8' }).data![1]).toBe(255)
  })

  it('linear keeps ±Infinity where ITK skips an axis (distance 0) instead of producing NaN', () => {
    const img = makeImage([3, 2], { data: Float32Array.from([1, Infinity, 3, 4, 5, 6]) })
    const at = (x: number, y: number) =>
      resample(img, { size: [1, 1], origin: [x, y], interpolator: 'linear', outputComponentType: 'float64' }).data![0]
    expect(at(1, 0)).toBe(Infinity) // on the voxel: ITK returns it without lerping (a naive (b − a)·0 gives NaN)
    expect(at(1.0, 0.5)).toBeNaN() // y lerp Inf + (5 − Inf)·0.5, as ITK computes it
    expect(at(0.5, 0)).toBe(Infinity) // x lerp 1 + (Inf − 1)·0.5
    // float32 output: ITK's CastComponentWithBoundsChecking clamps to ±FLT_MAX
    expect(resample(img, { size: [1, 1], origin: [1, 0] }).data![0]).toBe(3.4028234663852886e38)
  })

  it('identity geometry reproduces the input (nearest, linear exactly; B-spline is interpolating up to ITK’s 1e-10 prefilter tolerance)', () => {
    const img = loadInput(fx, 'colinf')
    expect(Array.from(resample(img, { interpolator: 'nearest' }).data as Float32Array)).toEqual(Array.from(img.data as Float32Array))
    expect(Array.from(resample(img, { interpolator: 'linear' }).data as Float32Array)).toEqual(Array.from(img.data as Float32Array))
    const b = resample(img, { interpolator: 'bspline', outputComponentType: 'float64' }).data as Float64Array
    const src = img.data as Float32Array
    let maxErr = 0
    let maxAbs = 0
    for (let i = 0; i < b.length; i++) {
      maxErr = Math.max(maxErr, Math.abs(b[i] - src[i]))
      maxAbs = Math.max(maxAbs, Math.abs(src[i]))
    }
    // The causal initialisation stops after ceil(log 1e-10 / log|z|) = 18 terms, hence ~1e-10 relative.
    expect(maxErr / maxAbs).toBeLessThan(1e-9)
    expect(maxErr).toBeGreaterThan(0)
  })

  it('B-spline coefficients are ITK’s (c0 = 6 gain, mirror initialisation): a constant stays constant', () => {
    const c = bsplineCoefficients(makeImage([20, 5], { data: new Float32Array(100).fill(3) }))
    // Length 20 > horizon 18: truncated initial sum (relative error ~|z|^18 ≈ 5e-11); length 5: exact mirror sum.
    for (const v of c) expect(Math.abs(v - 3) / 3).toBeLessThan(1e-9)
    const short = bsplineCoefficients(makeImage([5, 4], { data: new Float32Array(20).fill(3) }))
    for (const v of short) expect(v).toBeCloseTo(3, 12)
  })

  it('reports progress, honours abort, copies metadata', () => {
    const img = loadInput(fx, 'colin16')
    img.metadata.set('Modality', 'MR')
    const seen: number[] = []
    const out = resample(img, { spacing: [2, 2, 2], size: [20, 24, 18], onProgress: (f) => seen.push(f) })
    expect(seen.length).toBeGreaterThan(10)
    expect(seen[seen.length - 1]).toBe(1)
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThanOrEqual(seen[i - 1])
    expect(out.metadata.get('Modality')).toBe('MR')
    const ac = new AbortController()
    ac.abort()
    expect(() => resample(img, { signal: ac.signal })).toThrow()
  })

  it('rejects bad input with specific messages', () => {
    const img = makeImage([4, 4])
    expect(() => resample(makeImage([4]), {})).toThrow(/2D or 3D image, got 1D/)
    expect(() => resample(makeImage([4, 4], { components: 3 }), {})).toThrow(/scalar image/)
    expect(() => resample(img, { size: [4, 4, 4] })).toThrow(/output size has 3 entries/)
    expect(() => resample(makeImage([4, 4], { spacing: [0, 1] }), {})).toThrow(/input spacing must be positive/)
    expect(() => resample(img, { size: [4, 0] })).toThrow(/positive integers/)
    expect(() => resample(img, { spacing: [1, -1] })).toThrow(/spacing must be positive/)
    expect(() => resample(img, { direction: [1, 0] })).toThrow(/direction has 2 entries/)
    expect(() => resample(makeImage([4, 4], { direction: [1, 1, 1, 1] }), {})).toThrow(/singular/)
    expect(() => resample(img, { interpolator: 'cubic' as 'linear' })).toThrow(/unknown interpolator/)
    expect(() => resample(img, { outputComponentType: 'int64' })).toThrow(/does not support int64/)
    expect(() => resample({ ...img, data: null }, {})).toThrow(/no pixel data/)
  })
})
