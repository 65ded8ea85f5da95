// Whole preprocessing recipes composed from the library's operations.
export {
  runCtPipeline, ctPipelineProgressPlan, CT_PIPELINE_STEPS,
  type CtPipelineOptions, type CtPipelineRunOptions, type CtPipelineResult, type CtPipelineStepName, type CtPipelineStepReport,
} from './ct-pipeline'
export { bodyMask, type BodyMaskOptions } from './body-mask'
export { clipHistograms, type ClipHistogramsOptions, type ClipHistogramsResult } from './clip-histograms'
