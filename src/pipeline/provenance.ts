/**
 * Provenance records of a pipeline run, the same in the browser (the Lab) and in the `mip` CLI:
 * what the input was (geometry and acquisition type — no patient data), which pipeline ran (with
 * its hash), which library version, how long each step took, and what was written.
 */
import type { Image } from '../image'
import type { Pipeline, StepReport } from './run'
import { LIBRARY_NAME, LIBRARY_VERSION } from './version'

export const PROVENANCE_FORMAT = 'med-imaging-primer/provenance'

/** What a provenance record says about the input. */
export interface InputSummary {
  /** 'dicom-folder', 'dicom-file', 'nifti', 'dicom-files' (a browser selection), … */
  kind: string
  files: number
  /** Series found (the first image series is read). */
  series?: number
  size: number[]
  spacing: number[]
  origin: number[]
  direction: number[]
  componentType: string
  /** Metadata that carries no identity: modality, SOP class, transfer syntax, decoder, rescale, slice sorting. */
  acquisition: Record<string, unknown>
  notes: string[]
}

/**
 * Metadata keys copied into the summary. Everything else — names, IDs, dates, UIDs, descriptions,
 * institution, device serial numbers, file names — is left out (PS3.15 Annex E lists Series and
 * Study Description among the attributes to remove, so they are not kept either).
 */
export const SAFE_METADATA_KEYS: readonly string[] = Object.freeze([
  'Modality', 'SOPClassName', 'TransferSyntaxName', 'Decoder', 'PhotometricInterpretation', 'BitsStored',
  'RescaleSlope', 'RescaleIntercept', 'RescaleType', 'SliceSortMethod', 'SliceSpacingSource', 'NumberOfFiles',
])

/** Reader notes without file names (a file or folder name may carry a patient's name). */
export function safeNotes(notes: unknown): string[] {
  const list = Array.isArray(notes) ? notes.map(String) : typeof notes === 'string' ? [notes] : []
  return list.map((n) => n.replace(/(file\(s\)):.*$/, '$1'))
}

/** The summary of an input image read by readDicomSeries / readNifti (only {@link SAFE_METADATA_KEYS} of its metadata). */
export function summarizeInput(image: Image, how: { kind: string; files: number; series?: number; notes?: string[] }): InputSummary {
  const acquisition: Record<string, unknown> = {}
  for (const k of SAFE_METADATA_KEYS) if (image.metadata?.has(k)) acquisition[k] = image.metadata.get(k)
  return {
    kind: how.kind, files: how.files, ...(how.series !== undefined ? { series: how.series } : {}),
    size: [...image.size], spacing: [...image.spacing], origin: [...image.origin],
    direction: Array.from(image.direction as ArrayLike<number>, Number),
    componentType: image.imageType.componentType, acquisition,
    notes: safeNotes([...(how.notes ?? []), ...safeNotes(image.metadata?.get('ReaderNotes'))]),
  }
}

/** One written output. */
export interface OutputFile {
  file: string
  role: 'image' | 'mask'
  mask?: string
  bytes: number
  size: number[]
  spacing: number[]
  origin: number[]
  direction: number[]
  componentType: string
}

export function describeOutput(image: Image, file: string, role: 'image' | 'mask', bytes: number, mask?: string): OutputFile {
  return {
    file, role, ...(mask ? { mask } : {}), bytes, size: [...image.size], spacing: [...image.spacing], origin: [...image.origin],
    direction: Array.from(image.direction as ArrayLike<number>, Number), componentType: image.imageType.componentType,
  }
}

export interface Provenance {
  format: typeof PROVENANCE_FORMAT
  version: 1
  case: string
  status: 'ok'
  input: InputSummary
  pipeline: Pipeline
  pipelineHash: string
  library: { name: string; version: string }
  /** Where it ran: e.g. { node: 'v20.20.2', platform: 'linux-x64' } or { userAgent: … }. */
  runtime: Record<string, string>
  startedAt: string
  finishedAt: string
  readMs: number
  writeMs: number
  steps: StepReport[]
  outputs: OutputFile[]
}

/** A provenance record (library name and version filled in). */
export function makeProvenance(p: Omit<Provenance, 'format' | 'version' | 'status' | 'library'>): Provenance {
  return { format: PROVENANCE_FORMAT, version: 1, case: p.case, status: 'ok', input: p.input, pipeline: p.pipeline, pipelineHash: p.pipelineHash,
    library: { name: LIBRARY_NAME, version: LIBRARY_VERSION }, runtime: p.runtime, startedAt: p.startedAt, finishedAt: p.finishedAt,
    readMs: p.readMs, writeMs: p.writeMs, steps: p.steps, outputs: p.outputs }
}
