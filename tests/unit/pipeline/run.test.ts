import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { makeImage } from '../../../src/image'
import { runCtPipeline } from '../../../src/pipeline/ct-pipeline'
import { PipelineError } from '../../../src/pipeline/errors'
import { pipelineHash, planPipeline, runPipeline, validatePipeline, type StepReport } from '../../../src/pipeline/run'
import { syntheticChest } from './chest-fixture'

const P = (steps: unknown[], extra: Record<string, unknown> = {}) => ({ format: 'med-imaging-primer/pipeline', version: 1, name: 't', steps, ...extra })
const preset = (name: string) => JSON.parse(readFileSync(new URL(`../../../pipelines/${name}.json`, import.meta.url), 'utf8')) as unknown

function pipelineError(f: () => unknown): PipelineError {
  try {
    f()
  } catch (e) {
    expect(e).toBeInstanceOf(PipelineError)
    return e as PipelineError
  }
  throw new Error('expected a PipelineError')
}

describe('validatePipeline', () => {
  it('accepts the presets and the issue\'s example', () => {
    for (const name of ['ct-lung', 'brain-mri', 'chest-xray']) expect(validatePipeline(preset(name)).name).toBe(name)
    const example = P([
      { op: 'resampleToSpacing', options: { spacing: [1, 1, 1], interpolator: 'linear' } },
      { op: 'clipIntensity', options: { min: -1200, max: 600 } },
      { op: 'normalizeMinMax', options: {} },
    ])
    expect(validatePipeline(JSON.stringify(example)).steps).toHaveLength(3)
  })

  it.each([
    ['not JSON', '{"format":', 'BAD_FORMAT', /not valid JSON/, undefined],
    ['an array', [], 'BAD_FORMAT', /JSON object/, undefined],
    ['wrong format', P([], { format: 'other' }), 'BAD_FORMAT', /"format" must be "med-imaging-primer\/pipeline", got "other"/, undefined],
    ['version 2', P([], { version: 2 }), 'BAD_VERSION', /"version" 2 is not supported/, undefined],
    ['an unknown top-level key', P([], { stepz: [] }), 'BAD_FORMAT', /Unknown top-level key "stepz"/, undefined],
    ['no name', P([], { name: '' }), 'BAD_FORMAT', /"name"/, undefined],
    ['a step that is not an object', P([3]), 'BAD_FORMAT', /step 1 must be an object/, 0],
    ['an unknown op', P([{ op: 'clipIntensity', options: {} }, { op: 'normaliseMinMax' }]), 'UNKNOWN_OP', /step 2: unknown operation "normaliseMinMax"/, 1],
    ['an unknown option', P([{ op: 'clipIntensity', options: { minimum: 0 } }]), 'UNKNOWN_OPTION', /step 1 \(clipIntensity\): unknown option "minimum" \(did you mean "min"\?\)/, 0],
    ['an unknown step key', P([{ op: 'clipIntensity', min: 0 }]), 'UNKNOWN_OPTION', /step 1 \(clipIntensity\): unknown key "min"/, 0],
    ['a string for a number', P([{ op: 'clipIntensity', options: { min: '0' } }]), 'BAD_OPTION_TYPE', /option "min" must be a number, got "0"/, 0],
    ['a fraction for an integer', P([{ op: 'clahe', options: { tileGridSize: [8, 8.5] } }]), 'BAD_OPTION_TYPE', /option "tileGridSize"\[1\] must be an integer, got 8.5/, 0],
    ['a wrong array length', P([{ op: 'clahe', options: { tileGridSize: [8] } }]), 'BAD_OPTION_TYPE', /"tileGridSize" must have 2 entries, got 1/, 0],
    ['a negative spacing', P([{ op: 'resampleToSpacing', options: { spacing: [1, -1, 1] } }]), 'OUT_OF_RANGE', /step 1 \(resampleToSpacing\): option "spacing"\[1\] must be ≥ 0.01 and ≤ 100 mm, got -1/, 0],
    ['a value not in the enum', P([{ op: 'resampleToSpacing', options: { spacing: [1, 1, 1], interpolator: 'cubic' } }]), 'OUT_OF_RANGE', /option "interpolator" must be one of "nearest", "linear", "bspline", got "cubic"/, 0],
    ['a missing required option', P([{ op: 'resampleToSpacing', options: {} }]), 'MISSING_OPTION', /step 1 \(resampleToSpacing\): option "spacing" is required/, 0],
    ['min > max', P([{ op: 'clipIntensity', options: { min: 600, max: -1200 } }]), 'OUT_OF_RANGE', /min \(600\) is greater than max \(-1200\)/, 0],
    ['a mask no step makes', P([{ op: 'zScore', options: { mask: 'brain' } }]), 'UNKNOWN_MASK', /step 1 \(zScore\): option "mask" names mask "brain", which no earlier step makes/, 0],
    ['a mask made later', P([{ op: 'zScore', options: { mask: 'otsu' } }, { op: 'otsuMask' }]), 'UNKNOWN_MASK', /names mask "otsu"/, 0],
  ])('refuses %s with a specific error', (_what, json, code, message, step) => {
    const e = pipelineError(() => validatePipeline(json))
    expect(e.code).toBe(code)
    expect(e.message).toMatch(message)
    expect(e.step).toBe(step)
  })

  it('accepts a mask made by an earlier step, under its default or given name', () => {
    expect(() => validatePipeline(P([{ op: 'otsuMask' }, { op: 'zScore', options: { mask: 'otsu' } }]))).not.toThrow()
    expect(() => validatePipeline(P([{ op: 'otsuMask', options: { maskName: 'head' } }, { op: 'n4BiasFieldCorrection', options: { mask: 'head' } }]))).not.toThrow()
  })
})

describe('planPipeline', () => {
  it('refuses, before running, a step that will not fit, with the estimate', () => {
    // The thorax phantom's grid resampled to 0.25 mm: 1434 × 1434 × 720 float32.
    const info = { dimension: 3, size: [512, 512, 72], spacing: [0.7, 0.7, 2.5], componentType: 'int16' as const, components: 1 }
    const p = validatePipeline(P([{ op: 'detectMetal' }, { op: 'resampleToSpacing', options: { spacing: [0.25, 0.25, 0.25], outputComponentType: 'float32' } }]))
    const e = pipelineError(() => planPipeline(info, p))
    expect(e.code).toBe('TOO_LARGE')
    expect(e.step).toBe(1)
    // 1434 · 1434 · 720 voxels × (4 bytes + 1 byte for the carried metal mask) = 7.40 GB
    expect(e.message).toMatch(/step 2 \(resampleToSpacing\) would need about 7\.40 GB \(output 1434×1434×720 float32 and 1 mask\(s\)\), above the limit of 2\.15 GB/)
    const plan = planPipeline(info, p, { maxStepBytes: 8e9 })
    expect(plan.steps[1].output.size).toEqual([1434, 1434, 720])
    expect(plan.steps[1].masks).toEqual(['metal'])
  })

  it('plans the presets on typical inputs', () => {
    const brain = planPipeline({ dimension: 3, size: [181, 217, 181], spacing: [1, 1, 1], componentType: 'uint8', components: 1 }, validatePipeline(preset('brain-mri')))
    expect(brain.output).toMatchObject({ size: [181, 217, 181], componentType: 'float32' })
    // A 2000 × 2500 radiograph of 0.15 mm pixels: square pixels fitting 512 × 512 (410 × 512), then padded.
    const cxr = planPipeline({ dimension: 3, size: [2000, 2500, 1], spacing: [0.15, 0.15, 1], componentType: 'uint16', components: 1 }, validatePipeline(preset('chest-xray')))
    expect(cxr.steps.map((s) => s.output.size)).toEqual([[2000, 2500, 1], [410, 512, 1], [512, 512, 1]])
    expect(cxr.output.componentType).toBe('uint8')
    const lung = planPipeline({ dimension: 3, size: [512, 512, 72], spacing: [0.7, 0.7, 2.5], componentType: 'int16', components: 1 }, validatePipeline(preset('ct-lung')))
    expect(lung.output).toMatchObject({ size: [358, 358, 180], componentType: 'float32' })
    expect(lung.steps.at(-1)!.masks).toEqual(['metal', 'lungs', 'body'])
  })

  it('checks per-axis lengths and dimensions against the image', () => {
    const info2d = { dimension: 2, size: [64, 64], spacing: [1, 1], componentType: 'uint8' as const, components: 1 }
    expect(pipelineError(() => planPipeline(info2d, validatePipeline(P([{ op: 'resampleToSpacing', options: { spacing: [1, 1, 1] } }])))).message).toMatch(/"spacing" must have 2 entries \(one per image axis\), got 3/)
    expect(pipelineError(() => planPipeline(info2d, validatePipeline(P([{ op: 'bodyMask' }])))).code).toBe('BAD_IMAGE')
  })
})

describe('runPipeline', () => {
  const ct = syntheticChest()

  it('the ct-lung preset gives exactly runCtPipeline\'s image and masks (the 5.1 figure\'s recipe)', async () => {
    const reports: [StepReport, string][] = []
    const fractions: number[] = []
    const r = await runPipeline(ct, preset('ct-lung'), { onStep: (s, phase) => reports.push([s, phase]), onProgress: (f) => fractions.push(f) })
    const ref = await runCtPipeline(ct)
    expect(r.ok).toBe(true)
    expect(r.image.size).toEqual(ref.image.size)
    expect(r.image.spacing).toEqual(ref.image.spacing)
    expect(r.image.imageType.componentType).toBe('float32')
    expect(Array.from(r.image.data as Float32Array)).toEqual(Array.from(ref.image.data as Float32Array))
    expect(Array.from(r.masks.lungs.data as Uint8Array)).toEqual(Array.from(ref.lungMask!.data as Uint8Array))
    expect(Array.from(r.masks.metal.data as Uint8Array)).toEqual(Array.from(ref.metalMask!.data as Uint8Array))
    expect(r.masks.body.size).toEqual(r.image.size)
    expect(Object.keys(r.masks).sort()).toEqual(['body', 'lungs', 'metal'])
    expect(r.steps.map((s) => s.status)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'ok'])
    expect(r.steps.every((s) => s.ms >= 0 && s.estimatedBytes > 0)).toBe(true)
    expect(reports.map(([s, p]) => `${s.index}${p}`)).toEqual(['0start', '0end', '1start', '1end', '2start', '2end', '3start', '3end', '4start', '4end', '5start', '5end'])
    for (let i = 1; i < fractions.length; i++) expect(fractions[i]).toBeGreaterThanOrEqual(fractions[i - 1])
    expect(fractions.at(-1)).toBe(1)
    expect(r.steps[2].note).toMatch(/lungs \(HU < -500\): \d+ voxels, \d+\.\d mL/)
  }, 60_000)

  it('a step that cannot apply stops the run naming the step; optional or continueOnError goes on', async () => {
    // A "scan without lungs": uniform soft tissue.
    const flat = makeImage([32, 32, 8], { data: new Int16Array(32 * 32 * 8).fill(40), spacing: [1, 1, 1] })
    const p = P([{ op: 'segmentLungs' }, { op: 'clipIntensity', options: { min: -1200, max: 600 } }, { op: 'zScore', options: { mask: 'lungs' } }, { op: 'normalizeMinMax', options: { min: -1200, max: 600 } }])
    let e: unknown
    await runPipeline(flat, p).catch((x) => (e = x))
    expect(e).toBeInstanceOf(PipelineError)
    expect((e as PipelineError).code).toBe('STEP_FAILED')
    expect((e as PipelineError).step).toBe(0)
    expect((e as Error).message).toMatch(/^step 1 \(segmentLungs\) failed: segmentLungs: no air inside the body below -500 HU/)

    const r = await runPipeline(flat, p, { continueOnError: true })
    expect(r.ok).toBe(false)
    expect(r.steps.map((s) => s.status)).toEqual(['failed', 'ok', 'failed', 'ok'])
    expect(r.steps[2].error).toBe('mask "lungs" is missing: step 1 (segmentLungs), which makes it, failed')
    expect(r.steps[2].errorCode).toBe('UNKNOWN_MASK')
    expect(r.image.imageType.componentType).toBe('float32')
    expect(r.masks).toEqual({})

    const optional = P([{ op: 'segmentLungs', optional: true }, { op: 'clipIntensity', options: { min: 0, max: 10 } }])
    const o = await runPipeline(flat, optional)
    expect(o.steps.map((s) => s.status)).toEqual(['failed', 'ok'])
    expect(Math.max(...(o.image.data as Int16Array))).toBe(10)
  })

  it('masks follow spatial steps onto the new grid', async () => {
    const small = syntheticChest(0.5)
    const r = await runPipeline(small, P([{ op: 'threshold', options: { lower: -900, maskName: 'inside' } }, { op: 'resampleToSpacing', options: { spacing: [1.25, 1.25, 2.5] } }, { op: 'flipAxis', options: { axis: 0 } }, { op: 'padOrCrop', options: { size: [100, 90, 40] } }]))
    const m = r.masks.inside
    expect(m.size).toEqual(r.image.size)
    expect(m.origin).toEqual(r.image.origin)
    expect(m.spacing).toEqual(r.image.spacing)
    // The mask is still the threshold of the (nearest-resampled, flipped, padded) image where both are defined.
    const img = r.image.data as Int16Array
    const md = m.data as Uint8Array
    let agree = 0
    let total = 0
    for (let i = 0; i < img.length; i++) if (img[i] !== 0) { total++; agree += (img[i] >= -900 ? 1 : 0) === md[i] ? 1 : 0 }
    expect(agree / total).toBeGreaterThan(0.97)
  })

  it('cancels through the signal', async () => {
    const ac = new AbortController()
    ac.abort(new DOMException('stop', 'AbortError'))
    await expect(runPipeline(ct, preset('ct-lung'), { signal: ac.signal })).rejects.toThrow(/stop/)
  })

  it('refuses a too large step before running anything', async () => {
    const started: number[] = []
    let e: unknown
    await runPipeline(ct, P([{ op: 'clipIntensity' }, { op: 'resampleToSpacing', options: { spacing: [0.1, 0.1, 0.1] } }]), { maxStepBytes: 1e8, onStep: (s) => started.push(s.index) }).catch((x) => (e = x))
    expect((e as PipelineError).code).toBe('TOO_LARGE')
    expect(started).toEqual([])
  })
})

describe('pipelineHash', () => {
  it('is the same for the same effective steps (key order, explicit defaults, name) and differs otherwise', async () => {
    const a = await pipelineHash(P([{ op: 'clipIntensity', options: { min: -1200, max: 600 } }, { op: 'normalizeMinMax' }]))
    const b = await pipelineHash(P([{ options: { max: 600, min: -1200 }, op: 'clipIntensity', comment: 'x' }, { op: 'normalizeMinMax', options: { outMin: 0, outMax: 1 } }], { name: 'other' }))
    const c = await pipelineHash(P([{ op: 'clipIntensity', options: { min: -1200, max: 601 } }, { op: 'normalizeMinMax' }]))
    expect(a).toMatch(/^[0-9a-f]{64}$/)
    expect(b).toBe(a)
    expect(c).not.toBe(a)
  })
})

