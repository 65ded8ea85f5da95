import { describe, expect, it } from 'vitest'
import { runCtPipeline, type CtPipelineOptions } from '../../../src/pipeline/ct-pipeline'
import { ctPipelineAsPipeline } from '../../../src/pipeline/ct-pipeline-json'
import { runPipeline, validatePipeline } from '../../../src/pipeline/run'
import { operations } from '../../../src/worker/operations'
import { OPERATION_NAMES } from '../../../src/pipeline/registry'
import { syntheticChest } from './chest-fixture'

const ct = syntheticChest()
const bytes = (im: { data: unknown } | null | undefined) => (im ? Array.from(im.data as ArrayLike<number>) : null)

describe('ctPipelineAsPipeline: runCtPipeline as registry operations', () => {
  it.each<[string, CtPipelineOptions]>([
    ['steps off', { steps: { resample: false, metal: false, normalize: false } }],
    ['2 mm nearest, metal threshold above the bead, no lungs', { targetSpacing: [2, 2, 2], interpolator: 'nearest', metalThreshold: 6000, steps: { lungs: false } }],
    ['other clip and thresholds', { clip: [-1000, 400], lungThreshold: -600, metalMinVoxels: 10, targetSpacing: [1.5, 1.5, 3] }],
  ])('gives the same image and masks as runCtPipeline (%s)', async (_what, o) => {
    const p = validatePipeline(ctPipelineAsPipeline(o))
    const [a, b] = await Promise.all([runPipeline(ct, p), runCtPipeline(ct, o)])
    expect(a.image.size).toEqual(b.image.size)
    expect(a.image.imageType.componentType).toBe(b.image.imageType.componentType)
    expect(bytes(a.image)).toEqual(bytes(b.image))
    expect(bytes(a.masks.lungs)).toEqual(bytes(b.lungMask))
    expect(bytes(a.masks.metal)).toEqual(bytes(b.metalMask))
  }, 60_000)

  it('every registry operation is an operation of the worker, under the same name', () => {
    for (const name of OPERATION_NAMES) expect(typeof (operations as Record<string, unknown>)[name], name).toBe('function')
    expect(typeof operations.runPipeline).toBe('function')
  })
})

describe('runCtPipeline size check (the registry plan)', () => {
  it('refuses a resampling that will not fit at once, with the estimate', async () => {
    // 96 × 80 × 40 at 1.25 × 1.25 × 2.5 mm to 0.05 mm: 2400 × 2000 × 2000 float32 = 38.4 GB.
    await expect(runCtPipeline(ct, { targetSpacing: [0.05, 0.05, 0.05] })).rejects.toMatchObject({
      name: 'PipelineError', code: 'TOO_LARGE',
      message: expect.stringMatching(/^step 2 \(resampleToSpacing\) would need about 4\d\.\d\d GB \(output 2400×2000×2000 float32 and 1 mask\(s\)\), above the limit of 2\.15 GB/),
    })
    await expect(runCtPipeline(ct, { steps: { lungs: false, metal: false } }, { maxStepBytes: 1000 })).rejects.toMatchObject({ code: 'TOO_LARGE' })
  })
})

describe('runCtPipeline keeps its own option limits', () => {
  it('runs with a metal threshold below the registry form limit (1000 HU)', async () => {
    const r = await runCtPipeline(ct, { metalThreshold: 500, steps: { resample: false, lungs: false } })
    expect(r.metalComponents).toBe(1)
  })
})
