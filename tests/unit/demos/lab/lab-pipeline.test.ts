// The Pipeline Lab's model: presets load into editor steps and back unchanged, each step's
// validation error is found on that step (one bad step does not hide another), the plan
// refuses a step above the limit on that step, and share links carry only the pipeline.
import { describe, expect, it } from 'vitest'
import { makeImage } from '../../../../src/image'
import { PRESETS, checkSteps, newStep, pipelineFromHash, shareUrl, stepsFromPipeline, toPipeline } from '../../../../demos/lab/lab-pipeline'
import ctLung from '../../../../pipelines/ct-lung.json'

const ct = () => makeImage([64, 64, 10], { data: new Int16Array(64 * 64 * 10).fill(-1000), spacing: [0.7, 0.7, 2.5] })

describe('Lab pipeline model', () => {
  it('round-trips every preset through the editor steps', () => {
    for (const [name, json] of Object.entries(PRESETS)) {
      const p = stepsFromPipeline(json)
      expect(p.name).toBe(name)
      const back = toPipeline(p.name, p.steps, (json as { description?: string }).description)
      expect(back).toEqual(json)
    }
  })

  it('reports each bad step on that step, in words without the "step n" prefix', () => {
    const steps = [newStep('clipIntensity', { min: 10, max: 0 }), newStep('resampleToSpacing', { spacing: [1, 1, 1], interpolator: 'cubic' }), newStep('normalizeMinMax')]
    const { errors } = checkSteps('t', steps, null, 1e9)
    expect(errors[0]).toBe('min (10) is greater than max (0)')
    expect(errors[1]).toMatch(/^option "interpolator" must be one of "nearest", "linear", "bspline", got "cubic"/)
    expect(errors[2]).toBeNull()
  })

  it('names a mask no earlier step makes', () => {
    const { errors } = checkSteps('t', [newStep('zScore', { mask: 'body' })], null, 1e9)
    expect(errors[0]).toMatch(/names mask "body", which no earlier step makes/)
  })

  it('plans against the loaded image and refuses a step above the limit on that step', () => {
    const steps = stepsFromPipeline(ctLung).steps
    const ok = checkSteps('ct-lung', steps, ct(), 1e9)
    // round(64 × 0.7) = 45, round(10 × 2.5) = 25
    expect(ok.plan?.output.size).toEqual([45, 45, 25])
    const tight = checkSteps('ct-lung', steps, ct(), 100_000)
    expect(tight.plan).toBeNull()
    expect(tight.errors[1]).toMatch(/would need about 2\d\d\.\d kB .*above the limit of 100\.0 kB/)
  })

  it('gives required options a starting value so a new step is valid', () => {
    for (const op of ['castPixelType', 'resizeImage', 'padOrCrop', 'flipAxis']) {
      expect(checkSteps('t', [newStep(op)], null, 1e9).errors[0]).toBeNull()
    }
  })

  it('shares the pipeline in the hash and reads it back; a damaged link says so', () => {
    const p = toPipeline('x', stepsFromPipeline(ctLung).steps)
    const url = shareUrl(p, 'http://127.0.0.1:4173/lab?x=1#old')
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:4173\/lab\?x=1#pipeline=[A-Za-z0-9_-]+$/)
    expect(pipelineFromHash(new URL(url).hash)).toEqual(p)
    expect(pipelineFromHash('#other')).toBeNull()
    expect(() => pipelineFromHash('#pipeline=AAAA')).toThrow(/damaged/)
  })
})
