import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as lib from '../../../src/index'
import { makeImage, type Image } from '../../../src/image'
import { OPERATIONS, OPERATION_NAMES, imageInfo } from '../../../src/pipeline/registry'
import { checkOptionValue, withDefaults } from '../../../src/pipeline/schema'
import { PipelineError } from '../../../src/pipeline/errors'
import { LIBRARY_VERSION } from '../../../src/pipeline/version'
import { syntheticChest } from './chest-fixture'

const small = syntheticChest(0.5) // 48 × 40 × 20, 2.5 × 2.5 × 5 mm

/** Options that make each operation run on the small chest (defaults elsewhere), and masks it needs. */
const SAMPLE: Record<string, { options?: Record<string, unknown>; masks?: string[]; image?: () => Image }> = {
  applyWindow: { options: { center: -600, width: 1500 } },
  resampleToSpacing: { options: { spacing: [2, 2, 4], outputComponentType: 'float32' } },
  resample: { options: { size: [20, 20, 10], spacing: [3, 3, 6] } },
  resizeImage: { options: { size: [32, 30, 12] } },
  padOrCrop: { options: { size: [50, 36, 21] } },
  flipAxis: { options: { axis: 'LR' } },
  castPixelType: { options: { componentType: 'uint8' } },
  normalizeInRegion: { options: { mask: 'm' }, masks: ['m'] },
  zScore: { options: { mask: 'm' }, masks: ['m'] },
  n4BiasFieldCorrection: { options: { numberOfIterations: [2, 2], shrinkFactor: 2 }, image: () => brainLike() },
  whiteStripe: { options: { breaks: 'equal', bins: 200 }, image: () => brainLike() },
  segmentLungFields: { image: () => radiographLike() },
  reorientImage: { options: { orientation: 'RAS' } },
}

function brainLike(): Image {
  // Three tissue classes with noise: a histogram with a clear upper (white-matter-like) peak.
  const size = [24, 24, 12]
  const data = new Float32Array(24 * 24 * 12)
  let s = 1
  const rnd = () => ((s = (s * 16807) % 2147483647) / 2147483647)
  for (let i = 0; i < data.length; i++) data[i] = [0, 60, 100][i % 3] + 8 * (rnd() + rnd() + rnd() - 1.5)
  return makeImage(size, { data, spacing: [1, 1, 1] })
}

function radiographLike(): Image {
  // A bright body with two dark lung fields, on a dark border: 64 × 64, one slice.
  const n = 64
  const data = new Float32Array(n * n)
  for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) {
    let v = x > 4 && x < 59 && y > 4 && y < 59 ? 200 : 10
    if (((x - 20) / 9) ** 2 + ((y - 32) / 18) ** 2 < 1 || ((x - 44) / 9) ** 2 + ((y - 32) / 18) ** 2 < 1) v = 40
    data[y * n + x] = v
  }
  return makeImage([n, n, 1], { data, spacing: [0.5, 0.5, 1] })
}

describe('operation registry', () => {
  it('names exported library functions, with a description, signature and options', () => {
    expect(OPERATION_NAMES.length).toBeGreaterThanOrEqual(23)
    for (const name of OPERATION_NAMES) {
      const spec = OPERATIONS[name]
      expect(spec.name).toBe(name)
      expect(typeof (lib as Record<string, unknown>)[name], name).toBe('function')
      expect(spec.description.length, name).toBeGreaterThan(10)
      expect(spec.signature.startsWith(`${name}(`), name).toBe(true)
      for (const p of spec.positional ?? []) expect(spec.options[p], `${name}.${p}`).toBeDefined()
      for (const m of spec.maskInputs ?? []) expect(spec.options[m].type, `${name}.${m}`).toBe('mask')
      if (spec.produces === 'mask') expect(spec.options.maskName?.default, name).toBeTruthy()
      if (spec.spatial) expect(spec.moveMask, name).toBeTypeOf('function')
    }
    // The operations the issue lists.
    for (const n of ['hounsfieldFromStored', 'resampleToSpacing', 'resample', 'clipIntensity', 'normalizeMinMax', 'zScore', 'whiteStripe',
      'n4BiasFieldCorrection', 'clahe', 'equalizeHistogram', 'applyWindow', 'otsuMask', 'segmentLungs', 'bodyMask', 'detectMetal',
      'reorientImage', 'flipAxis', 'castPixelType', 'threshold']) expect(OPERATION_NAMES).toContain(n)
  })

  it('every default satisfies its own schema', () => {
    for (const name of OPERATION_NAMES) {
      for (const [k, s] of Object.entries(OPERATIONS[name].options)) {
        if (s.default !== undefined) expect(() => checkOptionValue(s.default, s, k, 0, name, 3), `${name}.${k}`).not.toThrow()
        expect(s.description.length, `${name}.${k}`).toBeGreaterThan(3)
      }
    }
  })

  it("each operation's size estimate equals what it produces (grid and pixel type)", async () => {
    const mask = lib.threshold(small, { lower: -900 })
    for (const name of OPERATION_NAMES) {
      const spec = OPERATIONS[name]
      const sample = SAMPLE[name] ?? {}
      const image = sample.image?.() ?? small
      const o = withDefaults(sample.options ?? {}, spec.options)
      const masks = new Map((sample.masks ?? []).map((m) => [m, name === 'whiteStripe' ? lib.threshold(image, { lower: 50 }) : mask]))
      const est = spec.estimate(imageInfo(image), o)
      const out = (await spec.run(image, o, { masks })).image
      expect(out.size, name).toEqual(est.size)
      expect(out.imageType.componentType, name).toBe(est.componentType)
      out.spacing.forEach((s, a) => expect(s, `${name} spacing ${a}`).toBeCloseTo(est.spacing[a], 9))
      if (spec.produces === 'mask') expect(out.imageType.componentType).toBe('uint8')
    }
  }, 120_000)

  it('the library version of provenance records is package.json\'s', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string; name: string }
    expect(LIBRARY_VERSION).toBe(pkg.version)
    expect(pkg.name).toBe('med-imaging-primer')
  })

  it('schema checks name the step and the option', () => {
    const s = OPERATIONS.clipIntensity.options.min
    expect(() => checkOptionValue('-1200', s, 'min', 2, 'clipIntensity')).toThrow(/step 3 \(clipIntensity\): option "min" must be a number, got "-1200"/)
    try {
      checkOptionValue([1, 0, 1], OPERATIONS.resampleToSpacing.options.spacing, 'spacing', 0, 'resampleToSpacing', 3)
    } catch (e) {
      expect(e).toBeInstanceOf(PipelineError)
      expect((e as PipelineError).code).toBe('OUT_OF_RANGE')
      expect((e as PipelineError).step).toBe(0)
      expect((e as Error).message).toMatch(/option "spacing"\[1\] must be ≥ 0.01 and ≤ 100 mm, got 0/)
      return
    }
    throw new Error('expected a PipelineError')
  })
})
