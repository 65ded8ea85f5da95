/**
 * The `mip` CLI's cases: each direct child of the input folder is one case (a folder of DICOM
 * files, a .nii / .nii.gz file, or a single .dcm file), read with the library's own readers;
 * sharding of the sorted case list; provenance summaries without patient data.
 */
import { readdir, readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { listDicomSeries, readDicomSeries } from '../io/dicom'
import { readNifti } from '../io/nifti'
import type { Image } from '../image'
import { summarizeInput, type InputSummary } from '../pipeline/provenance'

export interface CaseEntry {
  /** Output name: the folder name, or the file name without .nii.gz / .nii / .dcm. */
  name: string
  /** Absolute path of the folder or file. */
  path: string
  kind: 'dicom-folder' | 'dicom-file' | 'nifti'
}

export interface DiscoveredCases {
  cases: CaseEntry[]
  /** Children that are not cases (hidden files, other extensions), with the reason. */
  ignored: { name: string; reason: string }[]
}

const NIFTI = /\.nii(\.gz)?$/i

/** The cases of a folder, sorted by name (code-unit order, the same on every machine). */
export async function discoverCases(dir: string): Promise<DiscoveredCases> {
  const entries = await readdir(dir, { withFileTypes: true })
  const cases: CaseEntry[] = []
  const ignored: { name: string; reason: string }[] = []
  for (const e of entries) {
    const path = join(dir, e.name)
    if (e.name.startsWith('.')) {
      ignored.push({ name: e.name, reason: 'hidden' })
      continue
    }
    let isDir = e.isDirectory()
    let isFile = e.isFile()
    if (e.isSymbolicLink()) {
      const s = await stat(path).catch(() => null)
      isDir = !!s?.isDirectory()
      isFile = !!s?.isFile()
    }
    if (isDir) cases.push({ name: e.name, path, kind: 'dicom-folder' })
    else if (isFile && NIFTI.test(e.name)) cases.push({ name: e.name.replace(NIFTI, ''), path, kind: 'nifti' })
    else if (isFile && /\.dcm$/i.test(e.name)) cases.push({ name: e.name.replace(/\.dcm$/i, ''), path, kind: 'dicom-file' })
    else ignored.push({ name: e.name, reason: 'not a folder, .nii, .nii.gz or .dcm' })
  }
  cases.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  return { cases, ignored }
}

/** Names used by two cases (e.g. a.nii and a.nii.gz), which would write the same outputs. */
export function duplicateNames(cases: CaseEntry[]): string[] {
  const seen = new Set<string>()
  const dup = new Set<string>()
  for (const c of cases) (seen.has(c.name) ? dup : seen).add(c.name)
  return [...dup]
}

/** The cases of shard `index` of `count`: those whose index in the sorted list ≡ index (mod count). */
export function shardCases<T>(cases: T[], index: number, count: number): T[] {
  return cases.filter((_, i) => i % count === index)
}

async function filesUnder(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = []
  const entries = await readdir(dir, { withFileTypes: true })
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  for (const e of entries) {
    // OS junk (.DS_Store, ._* AppleDouble files, Thumbs.db) is never DICOM.
    if (e.name.startsWith('.') || e.name === 'Thumbs.db' || e.name === 'DICOMDIR') continue
    const rel = prefix ? `${prefix}/${e.name}` : e.name
    // Symbolic links are followed (datasets are often assembled from links).
    const s = e.isSymbolicLink() ? await stat(join(dir, e.name)).catch(() => null) : e
    if (s?.isDirectory()) out.push(...(await filesUnder(join(dir, e.name), rel)))
    else if (s?.isFile()) out.push(rel)
  }
  return out
}

export interface LoadedCase {
  image: Image
  summary: InputSummary
}

/** Reads one case with the library's readers (readDicomSeries, readNifti). */
export async function readCase(c: CaseEntry, onProgress?: (fraction: number, message?: string) => void): Promise<LoadedCase> {
  const notes: string[] = []
  let image: Image
  let files = 1
  let series: number | undefined
  if (c.kind === 'nifti') {
    const bytes = await readFile(c.path)
    image = await readNifti(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), { name: c.name, onProgress })
  } else {
    const rels = c.kind === 'dicom-folder' ? await filesUnder(c.path) : ['']
    if (rels.length === 0) throw new Error(`the folder ${c.name} has no files`)
    files = rels.length
    // A Uint8Array with a `name`: the reader names files in its messages.
    const inputs = await Promise.all(rels.map(async (rel) => {
      const b = await readFile(rel ? join(c.path, rel) : c.path)
      return Object.assign(new Uint8Array(b.buffer, b.byteOffset, b.byteLength), { name: rel || c.name })
    }))
    const list = await listDicomSeries(inputs)
    series = list.length
    const images = list.filter((s) => s.hasPixelData)
    if (images.length === 0) throw new Error(`no image series among ${files} file(s): ${list.map((s) => `${s.modality || '?'} ${s.sopClassName || 'object'}`).join(', ')}`)
    if (list.length > 1) notes.push(`${list.length} series found (${images.length} with images); read the first image series (${images[0].modality}, ${images[0].count} file(s))`)
    image = await readDicomSeries(inputs, { seriesInstanceUID: images[0].seriesInstanceUID, onProgress })
    image.name = c.name
  }
  return { image, summary: summarizeInput(image, { kind: c.kind, files, series, notes }) }
}
