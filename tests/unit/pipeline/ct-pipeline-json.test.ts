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
