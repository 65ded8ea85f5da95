/**
 * How the Pipeline Lab opens the reader's files: like kit/open-scan.ts (DICOM and NIfTI told
 * apart by content, OS junk dropped, one bad file never fails the folder), but in two stages so
 * the reader sees every series found — modality, description, slices, size, spacing, and the
 * memory it will take — and a series that will not fit is refused with its estimate before
 * any pixel is decoded. Nothing here reads or shows patient data (names, IDs, dates, UIDs).
 */
import { Gunzip } from 'fflate'
import type { Image } from '../../src/image'
import { formatBytes } from '../../src/pipeline/run'
import { siteWorker } from '../shared/site-worker'
import { sniff } from '../kit/scan-kind'
import type { SkippedFile } from '../kit/open-scan'

export interface LabSeries {
  /** Key for the chooser (the Series Instance UID is used only to read the series, never shown). */
  key: string
  modality: string
  description: string
  slices: number
  /** Columns × rows (× slices): the grid the series will have. */
  size: number[]
  /** mm, from the first file's Pixel Spacing and Slice Thickness / Spacing Between Slices (null when absent). */
  spacing: number[] | null
  sopClassName: string
  /** Estimated bytes once decoded (float32 per voxel: the largest type the readers return for CT and MR). */
  bytes: number
  /** False for non-image objects (SR, RT Plan): listed, not loadable. */
  image: boolean
  files: File[]
  uid?: string
  nifti?: boolean
}

export interface LabScan {
  series: LabSeries[]
  skipped: SkippedFile[]
  files: number
  /** Folder name or "n files" (may carry a name the reader gave: shown on the page only, never in the provenance). */
  label: string
}

const JUNK = /^(\.ds_store|thumbs\.db|desktop\.ini|\.directory)$/i
const nameOf = (f: File) => (f as File & { webkitRelativePath?: string }).webkitRelativePath || f.name

/** The header of a (possibly gzipped) NIfTI-1 file: grid and bytes per voxel; null when unreadable. */
async function niftiGrid(file: File): Promise<{ size: number[]; spacing: number[]; bytesPerVoxel: number } | null> {
  let head = new Uint8Array(await file.slice(0, 352).arrayBuffer())
  if (head[0] === 0x1f && head[1] === 0x8b) {
    const chunks: Uint8Array[] = []
    let got = 0
    const g = new Gunzip((c) => { chunks.push(c); got += c.length })
    const raw = new Uint8Array(await file.slice(0, 65536).arrayBuffer())
    try { g.push(raw, raw.length === file.size) } catch { return null }
    if (got < 348) return null
    head = new Uint8Array(got)
    let at = 0
    for (const c of chunks) { head.set(c, at); at += c.length }
  }
  if (head.length < 348) return null
  const v = new DataView(head.buffer, head.byteOffset, head.byteLength)
  const le = v.getInt32(0, true) === 348
  if (!le && v.getInt32(0, false) !== 348) return null // NIfTI-2: no estimate before reading
  const ndim = v.getInt16(40, le)
  if (ndim < 1 || ndim > 7) return null
  const size = Array.from({ length: ndim }, (_, d) => v.getInt16(42 + 2 * d, le))
  const spacing = Array.from({ length: ndim }, (_, d) => +v.getFloat32(80 + 4 * d, le).toFixed(4))
  const bitpix = v.getInt16(72, le)
  const scaled = v.getFloat32(112, le) !== 0 && v.getFloat32(112, le) !== 1
  return { size, spacing, bytesPerVoxel: Math.max(bitpix / 8, scaled ? 4 : 1) }
}

function tagValue(tags: { keyword: string; value: string }[], keyword: string): number[] | null {
  const t = tags.find((x) => x.keyword === keyword)
  if (!t || !t.value) return null
  const nums = t.value.split('\\').map(Number)
  return nums.every(Number.isFinite) ? nums : null
}

/** Sorts the reader's files into series (headers only) and the files skipped, with their reasons. */
export async function scanFiles(files: File[], options: { signal?: AbortSignal; onProgress?: (f: number, m: string) => void } = {}): Promise<LabScan> {
  const { signal, onProgress } = options
  const { runInWorker } = siteWorker()
  const skipped: SkippedFile[] = []
  const dicom: File[] = []
  const series: LabSeries[] = []
  const rel = (files[0] as File & { webkitRelativePath?: string })?.webkitRelativePath
  const label = rel && rel.includes('/') ? rel.split('/')[0] : files.length === 1 ? files[0].name : `${files.length} files`
  for (let i = 0; i < files.length; i++) {
    const f = files[i]
    if (i % 50 === 0) onProgress?.(0.3 * (i / files.length), `Looking at file ${i + 1} of ${files.length}…`)
    signal?.throwIfAborted()
    if (JUNK.test(f.name) || f.name.startsWith('._')) { skipped.push({ name: nameOf(f), reason: 'system file (ignored)' }); continue }
    const kind = f.size < 4 ? 'unknown' : sniff(new Uint8Array(await f.slice(0, 352).arrayBuffer()))
    if (kind === 'dicom') dicom.push(f)
    else if (kind === 'nifti') {
      const g = await niftiGrid(f)
      if (!g) { skipped.push({ name: nameOf(f), reason: 'looks like NIfTI but its header cannot be read (truncated, NIfTI-2 or corrupt)' }); continue }
      const voxels = g.size.reduce((a, b) => a * b, 1)
      series.push({ key: `nifti:${series.length}`, modality: 'NIfTI', description: nameOf(f), slices: g.size[2] ?? 1, size: g.size, spacing: g.spacing, sopClassName: 'NIfTI-1 image', bytes: voxels * g.bytesPerVoxel, image: true, files: [f], nifti: true })
    } else skipped.push({ name: nameOf(f), reason: f.size === 0 ? 'empty file' : 'neither DICOM nor NIfTI' })
  }
  if (dicom.length) {
    onProgress?.(0.3, `Reading the headers of ${dicom.length} DICOM file(s)…`)
    const survey = await runInWorker('surveyDicomFiles', [dicom], { signal, onProgress: (p) => onProgress?.(0.3 + 0.6 * p, `Reading DICOM headers (${dicom.length} files)…`) })
    for (const u of survey.unreadable) skipped.push({ name: nameOf(dicom[u.index]), reason: u.message })
    for (const s of survey.series) {
      const sf = s.files.map((i) => dicom[i])
      let spacing: number[] | null = null
      if (s.hasPixelData) {
        try {
          const tags = await runInWorker('readDicomHeader', [await sf[0].arrayBuffer()], { signal })
          const px = tagValue(tags, 'PixelSpacing')
          const dz = tagValue(tags, 'SpacingBetweenSlices') ?? tagValue(tags, 'SliceThickness')
          if (px) spacing = [px[1], px[0], dz?.[0] ?? 1] // Pixel Spacing is row\column spacing: x = column spacing
        } catch { /* spacing stays unknown; the reader still reads the series */ }
      } else {
        for (const f of sf) skipped.push({ name: nameOf(f), reason: `${s.sopClassName || s.modality}: not an image (no pixel data)` })
      }
      series.push({
        key: `dicom:${series.length}`, uid: s.seriesInstanceUID, modality: s.modality || '?', description: s.seriesDescription || '(no description)',
        slices: s.count, size: [s.columns, s.rows, s.count], spacing, sopClassName: s.sopClassName, bytes: s.columns * s.rows * s.count * 4, image: s.hasPixelData, files: sf,
      })
    }
  }
  onProgress?.(1, 'Scanned')
  return { series, skipped, files: files.length, label }
}

/** Refusal text when a series' estimate is above the limit; null when it fits. */
export function tooLarge(bytes: number, limit: number): string | null {
  return bytes > limit ? `This series needs about ${formatBytes(bytes)} once decoded, above the Lab's memory limit of ${formatBytes(limit)}: not loaded (raise the limit if your device has the memory).` : null
}

/** Decodes one series (or NIfTI) in the worker. */
export async function readSeries(s: LabSeries, options: { signal?: AbortSignal; onProgress?: (f: number, m: string) => void } = {}): Promise<Image> {
  const { runInWorker } = siteWorker()
  const { signal, onProgress } = options
  if (s.nifti) {
    return runInWorker('readNifti', [await s.files[0].arrayBuffer(), { name: 'input.nii' }], { signal, transfer: true, onProgress: (p) => onProgress?.(p, 'Reading NIfTI…') })
  }
  return runInWorker('readDicomSeries', [s.files, { seriesInstanceUID: s.uid }], { signal, onProgress: (p, m) => onProgress?.(p, m ?? 'Decoding DICOM…') })
}
