import type { CtPipelineOptions, CtPipelineStepName } from './ct-pipeline'
import { PIPELINE_FORMAT, PIPELINE_VERSION, type Pipeline, type PipelineStep } from './run'

/**
 * The recipe of {@link runCtPipeline} with these options as a pipeline of registry operations
 * (the `ct-lung` preset without its body mask, for the default options): metal on the acquired
 * grid, then resampling (the metal mask follows by nearest neighbour), lungs on the resampled
 * HU, clip, normalise; steps switched off are left out. `runPipeline(ct, ctPipelineAsPipeline(o))`
 * gives the same image and masks as `runCtPipeline(ct, o)`, bit for bit (unit-tested), so a
 * figure or the Lab can show the recipe as an editable pipeline.
 */
export function ctPipelineAsPipeline(options: CtPipelineOptions = {}): Pipeline {
  const on = (s: CtPipelineStepName) => options.steps?.[s] ?? true
  const [lo, hi] = options.clip ?? [-1200, 600]
  const steps: PipelineStep[] = []
  if (on('metal')) steps.push({ op: 'detectMetal', options: { threshold: options.metalThreshold ?? 3000, minVoxels: options.metalMinVoxels ?? 100 } })
  if (on('resample')) {
    steps.push({
      op: 'resampleToSpacing',
      options: {
        spacing: [...(options.targetSpacing ?? [1, 1, 1])], interpolator: options.interpolator ?? 'linear',
        defaultValue: options.defaultValue ?? -1024, outputComponentType: options.outputComponentType ?? 'float32',
      },
    })
  }
  if (on('lungs')) steps.push({ op: 'segmentLungs', options: { threshold: options.lungThreshold ?? -500 } })
  if (on('clip')) steps.push({ op: 'clipIntensity', options: { min: lo, max: hi } })
  if (on('normalize')) steps.push({ op: 'normalizeMinMax', options: { min: lo, max: hi, outMin: 0, outMax: 1 } })
  return { format: PIPELINE_FORMAT, version: PIPELINE_VERSION, name: 'ct-lung (runCtPipeline)', steps }
}
