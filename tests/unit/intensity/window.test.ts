import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { makeImage } from '../../../src/image'
import { applyWindow, windowFromDicom, WINDOW_PRESETS, type VoiLutFunction } from '../../../src/intensity/window'

interface Case {
  fn: VoiLutFunction
  center: number
  width: number
  outMin: number
  outMax: number
  input: number[]
  expected: number[]
  expectedUint8?: number[]
}
const ref = JSON.parse(readFileSync(join(__dirname, '../../reference/intensity/window-reference.json'), 'utf8')) as {
  cases: Case[]
  errors: { fn: VoiLutFunction; center: number; width: number; pydicomRaises: boolean }[]
}

const label = (c: Case) => `${c.fn} c=${c.center} w=${c.width} y=${c.outMin}..${c.outMax}`

describe('applyWindow vs pydicom 2.3 apply_windowing', () => {
  it('has reference cases covering all three functions', () => {
    expect(ref.cases.length).toBeGreaterThan(50)
    expect(new Set(ref.cases.map((c) => c.fn))).toEqual(new Set(['LINEAR', 'LINEAR_EXACT', 'SIGMOID']))
  })

  for (const inputType of ['int16', 'int32', 'float32', 'float64'] as const) {
    it(`float32 output equals pydicom to 1e-4 (${inputType} input: ${inputType === 'int16' || inputType === 'int32' ? 'lookup table' : 'direct'} path)`, () => {
      for (const c of ref.cases) {
        const img = makeImage([c.input.length], { data: makeArray(inputType, c.input) })
        const out = applyWindow(img, { center: c.center, width: c.width }, { fn: c.fn, outMin: c.outMin, outMax: c.outMax, outputComponentType: 'float32' })
        expect(out.imageType.componentType).toBe('float32')
        const y = out.data as Float32Array
        const tol = 1e-4 * Math.max(1, Math.abs(c.outMax - c.outMin) / 255)
        for (let i = 0; i < c.input.length; i++) {
          if (Math.abs(y[i] - c.expected[i]) > tol) throw new Error(`${label(c)} x=${c.input[i]}: got ${y[i]}, pydicom ${c.expected[i]}`)
        }
      }
    })

    it(`uint8 output is round-half-up of pydicom's value (${inputType} input)`, () => {
      let checked = 0
      for (const c of ref.cases) {
        if (!c.expectedUint8) continue
        const img = makeImage([c.input.length], { data: makeArray(inputType, c.input) })
        const out = applyWindow(img, { center: c.center, width: c.width }, { fn: c.fn, outMin: c.outMin, outMax: c.outMax })
        expect(out.imageType.componentType).toBe('uint8')
        expect(Array.from(out.data as Uint8Array), label(c)).toEqual(c.expectedUint8)
        checked++
      }
      expect(checked).toBeGreaterThan(40)
    })
  }

  it('rejects the widths the standard (and pydicom) rejects', () => {
    const img = makeImage([3], { data: new Int16Array([0, 1, 2]) })
    for (const e of ref.errors) {
      expect(e.pydicomRaises).toBe(true)
      expect(() => applyWindow(img, { center: e.center, width: e.width }, { fn: e.fn })).toThrow(/width/)
    }
    expect(() => applyWindow(img, { center: 0, width: 1 }, { fn: 'LINEAR' })).not.toThrow()
  })
})

describe('applyWindow behaviour', () => {
  it('defaults to LINEAR 0..255 uint8 and keeps the geometry', () => {
    const img = makeImage([2, 2], { data: new Int16Array([-1000, 0, 40, 1000]), spacing: [0.7, 0.8], origin: [1, 2] })
    const out = applyWindow(img, WINDOW_PRESETS.brain)
    expect(out.imageType.componentType).toBe('uint8')
    expect(Array.from(out.data as Uint8Array)).toEqual([0, 0, 129, 255])
    expect(out.spacing).toEqual([0.7, 0.8])
    expect(out.origin).toEqual([1, 2])
    expect(out.size).toEqual([2, 2])
  })

  it('works on uint8, uint16, int8 lookup tables and on NaN floats', () => {
    const w = { center: 100, width: 51 }
    const vals = [0, 50, 75, 100, 125, 126, 127]
    const expected = Array.from(applyWindow(makeImage([7], { data: Float64Array.from(vals) }), w).data as Uint8Array)
    for (const data of [Uint8Array.from(vals), Uint16Array.from(vals), Int8Array.from(vals)]) {
      expect(Array.from(applyWindow(makeImage([7], { data }), w).data as Uint8Array)).toEqual(expected)
    }
    // int32 with a small value range takes the lookup-table path; it must agree with the direct one.
    const big = Int32Array.from({ length: 5000 }, (_, i) => (i * 37) % 301 - 150)
    for (const fn of ['LINEAR', 'LINEAR_EXACT', 'SIGMOID'] as const) {
      const opts = { fn, outMin: 3, outMax: 250 }
      const lut = applyWindow(makeImage([5000], { data: big }), { center: 10, width: 101 }, opts)
      const direct = applyWindow(makeImage([5000], { data: Float64Array.from(big) }), { center: 10, width: 101 }, opts)
      expect(Array.from(lut.data as Uint8Array)).toEqual(Array.from(direct.data as Uint8Array))
    }
    const nan = applyWindow(makeImage([2], { data: new Float32Array([NaN, 1000]) }), w, { outMin: 10, outMax: 200 })
    expect(Array.from(nan.data as Uint8Array)).toEqual([10, 200])
  })

  it('validates its options', () => {
    const img = makeImage([2], { data: new Int16Array([0, 1]) })
    expect(() => applyWindow(img, { center: 0, width: 10 }, { outMin: -1 })).toThrow(/0\.\.255/)
    expect(() => applyWindow(img, { center: 0, width: 10 }, { outMax: 256 })).toThrow(/0\.\.255/)
    expect(() => applyWindow(img, { center: NaN, width: 10 })).toThrow(/finite/)
    expect(() => applyWindow(img, { center: 0, width: 10 }, { fn: 'GAMMA' as VoiLutFunction })).toThrow(/unknown VOI LUT function/)
    const rgb = makeImage([2], { components: 3, componentType: 'uint8' })
    expect(() => applyWindow(rgb, { center: 0, width: 10 })).toThrow(/scalar/)
  })

  it('exposes read-only CT presets', () => {
    expect(WINDOW_PRESETS.lung).toEqual({ center: -600, width: 1500, label: 'Lung' })
    expect(WINDOW_PRESETS.mediastinum).toMatchObject({ center: 50, width: 350 })
    expect(WINDOW_PRESETS.bone).toMatchObject({ center: 300, width: 2000 })
    expect(WINDOW_PRESETS.brain).toMatchObject({ center: 40, width: 80 })
    expect(WINDOW_PRESETS.abdomen).toMatchObject({ center: 50, width: 400 })
    expect(Object.isFrozen(WINDOW_PRESETS) && Object.isFrozen(WINDOW_PRESETS.lung)).toBe(true)
  })

  it('reads the first window from DICOM metadata', () => {
    expect(windowFromDicom(new Map([['0028|1050', '40\\400'], ['0028|1051', '80\\2000']]))).toEqual({ center: 40, width: 80, fn: 'LINEAR' })
    expect(windowFromDicom(new Map<string, string | number>([['WindowCenter', 50], ['WindowWidth', 350], ['VOILUTFunction', 'SIGMOID ']]))).toEqual({ center: 50, width: 350, fn: 'SIGMOID' })
    expect(windowFromDicom(new Map([['0028|1050', '40']]))).toBeUndefined()
  })
})

function makeArray(type: 'int16' | 'int32' | 'float32' | 'float64', values: number[]) {
  if (type === 'int16') return Int16Array.from(values)
  if (type === 'int32') return Int32Array.from(values)
  if (type === 'float32') return Float32Array.from(values)
  return Float64Array.from(values)
}
