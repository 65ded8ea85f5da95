// Whole preprocessing recipes composed from the library's operations.
export {
  runCtPipeline, ctPipelineProgressPlan, CT_PIPELINE_STEPS,
  type CtPipelineOptions, type CtPipelineRunOptions, type CtPipelineResult, type CtPipelineStepName, type CtPipelineStepReport,
} from './ct-pipeline'
export { bodyMask, type BodyMaskOptions } from './body-mask'
export { clipHistograms, type ClipHistogramsOptions, type ClipHistogramsResult } from './clip-histograms'
// Pipelines as data: the operation registry, the pipeline JSON format, validation and the run.
export { PipelineError, type PipelineErrorCode } from './errors'
export type { OptionSchema, OptionsSchema, NumberOption, NumberArrayOption, BooleanOption, EnumOption, StringOption, MaskOption } from './schema'
export {
  OPERATIONS, OPERATION_NAMES, getOperation, imageInfo, imageBytes,
  type OperationSpec, type OperationCategory, type ImageInfo, type StepContext, type StepOutput,
} from './registry'
export {
  PIPELINE_FORMAT, PIPELINE_VERSION, DEFAULT_MAX_STEP_BYTES, validatePipeline, planPipeline, runPipeline, pipelineHash, canonicalJson, formatBytes,
  type Pipeline, type PipelineStep, type PipelinePlan, type StepPlan, type StepReport, type RunPipelineOptions, type RunPipelineResult,
} from './run'
export { LIBRARY_NAME, LIBRARY_VERSION } from './version'
export { ctPipelineAsPipeline } from './ct-pipeline-json'
export { PROVENANCE_FORMAT, SAFE_METADATA_KEYS, summarizeInput, safeNotes, describeOutput, makeProvenance, type Provenance, type InputSummary, type OutputFile } from './provenance'
