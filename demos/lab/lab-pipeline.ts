/**
 * The Lab's pipeline model: presets (bundled from pipelines/*.json — never fetched), the
 * editor's steps with their validation errors per step, the memory plan against the loaded
 * image, and share links that carry the pipeline's parameters in the URL hash (never data).
 */
import ctLung from '../../pipelines/ct-lung.json'
import brainMri from '../../pipelines/brain-mri.json'
import chestXray from '../../pipelines/chest-xray.json'
import type { Image } from '../../src/image'
import { getOperation, imageBytes, imageInfo } from '../../src/pipeline/registry'
import { PIPELINE_FORMAT, PIPELINE_VERSION, formatBytes, planPipeline, validatePipeline, type Pipeline, type PipelinePlan, type PipelineStep } from '../../src/pipeline/run'
import { withDefaults } from '../../src/pipeline/schema'

export const PRESETS: Record<string, unknown> = { 'ct-lung': ctLung, 'brain-mri': brainMri, 'chest-xray': chestXray }

/** One step in the editor: its operation and the options the reader set (absent = default). */
export interface EditStep {
  id: number
  op: string
  options: Record<string, unknown>
  optional?: boolean
  comment?: string
}

let nextId = 1
export function newStep(op: string, options: Record<string, unknown> = {}, extra: Partial<EditStep> = {}): EditStep {
  const spec = getOperation(op)
  // Required options get a starting value so the step is valid once added.
  const o: Record<string, unknown> = { ...options }
  for (const [k, s] of Object.entries(spec?.options ?? {})) {
    if (!s.required || k in o) continue
    if (s.type === 'number[]') o[k] = k === 'size' ? [256, 256] : [1, 1, 1]
    else if (s.type === 'enum') o[k] = s.values[0]
    else if (s.type === 'mask') o[k] = 'lungs'
    else if (s.type === 'number') o[k] = s.min ?? 0
  }
  return { id: nextId++, op, options: o, ...extra }
}

/** Editor steps from a pipeline JSON (validated: throws PipelineError on a bad file). */
export function stepsFromPipeline(json: unknown): { name: string; description?: string; steps: EditStep[] } {
  const p = validatePipeline(json)
  return { name: p.name, description: p.description, steps: p.steps.map((s) => newStep(s.op, { ...(s.options ?? {}) }, { optional: s.optional, comment: s.comment })) }
}

/** The pipeline JSON of the editor's steps. */
export function toPipeline(name: string, steps: EditStep[], description?: string): Pipeline {
  // A plain deep copy: the editor's steps are Vue proxies, which postMessage cannot clone.
  return JSON.parse(JSON.stringify({
    format: PIPELINE_FORMAT, version: PIPELINE_VERSION, name: name.trim() || 'my-pipeline', ...(description ? { description } : {}),
    steps: steps.map((s): PipelineStep => ({ op: s.op, options: { ...s.options }, ...(s.optional ? { optional: true } : {}), ...(s.comment ? { comment: s.comment } : {}) })),
  })) as Pipeline
}

/**
 * Errors per step, in plain words: each step is checked with the valid steps before it (so one
 * bad step does not hide the others' problems), then — when an image is loaded — the whole
 * pipeline is planned against it (dimensions, per-axis lengths, memory).
 */
export function checkSteps(name: string, steps: EditStep[], image: Image | null, maxStepBytes: number): { errors: (string | null)[]; general: string | null; plan: PipelinePlan | null } {
  const errors: (string | null)[] = steps.map(() => null)
  const good: EditStep[] = []
  steps.forEach((s, i) => {
    try {
      validatePipeline(toPipeline(name, [...good, s]))
      good.push(s)
    } catch (e) {
      errors[i] = plain((e as Error).message)
    }
  })
  if (errors.some((e) => e) || !image) return { errors, general: null, plan: null }
  try {
    return { errors, general: null, plan: planPipeline(image, toPipeline(name, steps), { maxStepBytes }) }
  } catch (e) {
    const err = e as Error & { step?: number }
    if (err.step !== undefined && err.step < errors.length) errors[err.step] = plain(err.message)
    return { errors, general: err.step === undefined ? err.message : null, plan: null }
  }
}

/** Drops the "step n (op): " prefix (the editor shows the message beside the step). */
function plain(message: string): string {
  return message.replace(/^step \d+( \([^)]*\))?: /, '')
}

/** Memory of a run that keeps every step's output (for the before/after view): input + outputs + a copy of the input for the worker. */
export function runBytes(image: Image, plan: PipelinePlan): number {
  const input = imageBytes(imageInfo(image))
  return 2 * input + plan.steps.reduce((a, s) => a + s.bytes, 0)
}

export function describeBytes(n: number): string {
  return formatBytes(n)
}

/** Options with defaults, for a form's placeholder. */
export function effectiveOptions(step: EditStep): Record<string, unknown> {
  const spec = getOperation(step.op)
  return spec ? withDefaults(step.options, spec.options) : step.options
}

function toBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text)
  let bin = ''
  for (const b of bytes) bin += String.fromCharCode(b)
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

function fromBase64Url(s: string): string {
  const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/'))
  return new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)))
}

/** The share link of a pipeline: this page with `#pipeline=<base64url JSON>` (parameters only). */
export function shareUrl(pipeline: Pipeline, href: string): string {
  const u = new URL(href)
  u.hash = `pipeline=${toBase64Url(JSON.stringify(pipeline))}`
  return u.href
}

/** The pipeline in a URL hash, or null when there is none; throws when it is there but broken. */
export function pipelineFromHash(hash: string): unknown | null {
  const m = /(?:^#|&)pipeline=([A-Za-z0-9_-]+)/.exec(hash)
  if (!m) return null
  try {
    return JSON.parse(fromBase64Url(m[1]))
  } catch {
    throw new Error('The pipeline in this link is damaged (it is not valid base64 JSON); the default pipeline is shown instead.')
  }
}
