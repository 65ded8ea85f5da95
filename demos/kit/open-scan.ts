/**
 * One way every figure opens the reader's own files (FigureFrame's `files` event) and the site's
 * samples, read in the worker:
 * - files are recognised by content, not by name: DICOM by the 'DICM' magic at byte 128 or a
 *   plausible implicit-VR start (group 0002 or 0008 first), NIfTI-1/2 by sizeof_hdr 348/540,
 *   gzip by its 1f 8b header (read as NIfTI); OS junk (.DS_Store, ._*, Thumbs.db, desktop.ini)
 *   is dropped silently;
 * - a corrupt or unrecognised file is skipped and listed (`skipped`), never fatal while another
 *   file can be read;
 * - a folder with several image series asks the reader which one (`choose`), showing
 *   description, modality, size and slice count;
 * - CT is recognised from Modality (0008,0060) = CT with a Rescale Intercept (so the values are
 *   Hounsfield units), and the file's own Window Center/Width (0028,1050/1051) is the window.
 */
import type { Image } from '../../src/image'
import { windowFromDicom } from '../../src/intensity/index'
import type { DicomSurveySeries } from '../../src/io/index'
import { siteWorker } from '../shared/site-worker'
import { loadSample, loadSampleSeries } from './sample-cache'
import { sniff } from './scan-kind'

export interface SkippedFile { name: string; reason: string }

export interface OpenedScan {
  image: Image
  /** What is loaded, for the sample selector and the source line ("CT_small.dcm", "my-folder"). */
  label: string
  /** True when the values are Hounsfield units (CT with a rescale). */
  ct: boolean
  /** The file's own window, if it has one. */
  window: { center: number; width: number } | null
  /** One DICOM file of the series read (for a header table), null for NIfTI. */
  headerFile: Blob | ArrayBuffer | null
  skipped: SkippedFile[]
}

export interface OpenScanOptions {
  signal?: AbortSignal
  onProgress?: (fraction: number, message: string) => void
  /** Asked when the files hold more than one image series; resolves to the chosen UID or null (cancel). */
  choose?: (series: DicomSurveySeries[]) => Promise<string | null>
}

const JUNK = /^(\.ds_store|thumbs\.db|desktop\.ini|\.directory)$/i

function isJunk(name: string): boolean {
  return JUNK.test(name) || name.startsWith('._')
}

function displayName(file: File): string {
  return (file as File & { webkitRelativePath?: string }).webkitRelativePath || file.name
}

/** Folder name for a folder pick, the file name for one file, else "n files". */
function labelOf(files: File[]): string {
  const rel = (files[0] as File & { webkitRelativePath?: string })?.webkitRelativePath
  if (rel && rel.includes('/')) return rel.split('/')[0]
  return files.length === 1 ? files[0].name : `${files.length} files`
}

/** CT in Hounsfield units: Modality CT with a rescale (the Modality LUT was applied). */
export function isHounsfield(image: Image): boolean {
  return image.metadata.get('Modality') === 'CT' && image.metadata.get('RescaleIntercept') !== undefined
}

function describe(image: Image, label: string, headerFile: Blob | ArrayBuffer | null, skipped: SkippedFile[]): OpenedScan {
  const w = windowFromDicom(image.metadata)
  return { image, label, ct: isHounsfield(image), window: w && w.width >= 1 ? { center: w.center, width: w.width } : null, headerFile, skipped }
}

/** Reads the reader's files: a NIfTI, or one DICOM series (chosen by the reader when there are several). */
export async function openScanFiles(files: File[], options: OpenScanOptions = {}): Promise<OpenedScan | null> {
  const { signal, onProgress } = options
  const { runInWorker } = siteWorker()
  const skipped: SkippedFile[] = []
  const dicom: File[] = []
  const nifti: File[] = []
  onProgress?.(0.02, `Looking at ${files.length} file(s)…`)
  for (const f of files) {
    if (isJunk(f.name)) continue
    const kind = sniff(new Uint8Array(await f.slice(0, 352).arrayBuffer()))
    if (kind === 'dicom') dicom.push(f)
    else if (kind === 'nifti') nifti.push(f)
    else skipped.push({ name: displayName(f), reason: 'neither DICOM nor NIfTI' })
  }
  signal?.throwIfAborted()
  if (nifti.length) {
    for (const f of nifti.slice(1)) skipped.push({ name: displayName(f), reason: 'one NIfTI file is shown at a time' })
    for (const f of dicom) skipped.push({ name: displayName(f), reason: 'a NIfTI file was opened with it' })
    const f = nifti[0]
    onProgress?.(0.1, `Reading ${f.name}…`)
    const image = await runInWorker('readNifti', [await f.arrayBuffer(), { name: f.name }], { signal, transfer: true, onProgress: (p) => onProgress?.(0.1 + 0.9 * p, `Reading ${f.name}…`) })
    return describe(image, f.name, null, skipped)
  }
  if (!dicom.length) throw new Error(skipped.length ? `No DICOM or NIfTI file among ${skipped.map((s) => s.name).join(', ')}.` : 'No file to open (only system files such as .DS_Store).')
  onProgress?.(0.05, `Reading the headers of ${dicom.length} DICOM file(s)…`)
  const survey = await runInWorker('surveyDicomFiles', [dicom], { signal, onProgress: (p) => onProgress?.(0.05 + 0.2 * p, 'Reading DICOM headers…') })
  // Every file set aside, with why: unreadable, non-image objects, duplicates, odd slices…
  for (const u of survey.skipped) skipped.push({ name: displayName(dicom[u.index]), reason: u.message })
  const images = survey.series.filter((s) => s.slices > 0)
  if (!images.length) {
    if (!survey.series.length) throw new Error(survey.unreadable.map((u) => u.message).join('; '))
    // Only non-image objects (RT Plan, SR…): the reader explains what they are.
    const s = survey.series[0]
    await runInWorker('readDicomSeries', [s.files.map((i) => dicom[i])], { signal })
  }
  let series = images[0]
  if (images.length > 1) {
    const uid = await (options.choose?.(images) ?? Promise.resolve(images[0].seriesInstanceUID))
    if (uid === null) return null
    series = images.find((s) => s.seriesInstanceUID === uid) ?? images[0]
  }
  const chosen = series.files.map((i) => dicom[i])
  onProgress?.(0.3, `Decoding ${chosen.length} DICOM file(s)…`)
  const image = await runInWorker('readDicomSeries', [chosen, { seriesInstanceUID: series.seriesInstanceUID }], {
    signal,
    onProgress: (p, m) => onProgress?.(0.3 + 0.7 * p, m ?? 'Decoding DICOM…'),
  })
  const label = images.length > 1 ? `${labelOf(files)}: ${series.seriesDescription || series.modality}` : labelOf(files)
  return describe(image, label, chosen[0], skipped)
}

/** A sample of the site: one NIfTI or DICOM file, or a DICOM series listed by a manifest. */
export interface ScanSample {
  id: string
  label: string
  note: string
  /** One file (NIfTI or DICOM, told apart by content). */
  file?: string
  /** A manifest `{ files: [...] }` of a DICOM series. */
  manifest?: string
  /** Known CT in HU even when the file format cannot say so (NIfTI). */
  ct?: boolean
  /** A single DICOM file of the sample for the header table (fetched only when opened). */
  headerFile?: string
  /** A small NIfTI of the volume's middle axial slice (same grid), shown while the volume downloads. */
  preview?: string
}

export interface OpenSampleOptions extends OpenScanOptions {
  /** Called with the sample's middle-slice preview (when it has one) before the volume is read. */
  onPreview?: (scan: OpenedScan) => void
}

/** Fetches (once per visit, through the sample cache) and reads a sample in the worker. */
export async function openSample(sample: ScanSample, options: OpenSampleOptions = {}): Promise<OpenedScan> {
  const { signal, onProgress, onPreview } = options
  const { runInWorker } = siteWorker()
  if (sample.preview && onPreview) {
    // First the one slice (tens of kB), then the volume (it does not share the line with the
    // slice; its download starts while the slice is read, and is shared with the call below).
    const bytes = await loadSample(sample.preview, { signal })
    // The volume yields the line to the downloads of the figures the reader scrolls to next.
    if (sample.file) loadSample(sample.file, { signal, background: true }).catch(() => {})
    const image = await runInWorker('readNifti', [bytes, { name: sample.preview }], { signal, transfer: true })
    onPreview({ ...describe(image, sample.label, null, []), ct: sample.ct ?? false })
  }
  const mb = (n: number) => (n / 1e6).toFixed(1)
  const bytesProgress = (r: number, t: number | undefined) => onProgress?.(t ? 0.6 * (r / t) : 0, `Downloading ${mb(r)}${t ? ` of ${mb(t)}` : ''} MB…`)
  if (sample.manifest) {
    const buffers = await loadSampleSeries(sample.manifest, { signal, onProgress: bytesProgress })
    const header = buffers[Math.floor(buffers.length / 2)].slice(0)
    onProgress?.(0.6, 'Decoding DICOM…')
    const image = await runInWorker('readDicomSeries', [buffers], { signal, transfer: true, onProgress: (p) => onProgress?.(0.6 + 0.4 * p, 'Decoding DICOM…') })
    return { ...describe(image, sample.label, header, []), ct: sample.ct ?? isHounsfield(image) }
  }
  const bytes = await loadSample(sample.file!, { signal, onProgress: bytesProgress, background: !!(sample.preview && onPreview) })
  const kind = sniff(new Uint8Array(bytes, 0, Math.min(352, bytes.byteLength)))
  onProgress?.(0.6, 'Decoding…')
  if (kind === 'nifti') {
    const image = await runInWorker('readNifti', [bytes, { name: sample.file }], { signal, transfer: true })
    return { ...describe(image, sample.label, null, []), ct: sample.ct ?? false }
  }
  const header = bytes.slice(0)
  const image = await runInWorker('readDicomSeries', [[bytes]], { signal, transfer: true })
  return { ...describe(image, sample.label, header, []), ct: sample.ct ?? isHounsfield(image) }
}

/** The CT samples the volume figures offer (public/data; sources and licences in its README). */
export const CT_SCAN_SAMPLES: ScanSample[] = [
  {
    id: 'thorax-phantom',
    label: 'Thorax phantom (synthetic), NIfTI, 256², 5.2 MB',
    note: 'A generated phantom, not a patient (real multi-slice CT that may be redistributed is not available to this project): tissues carry textbook Hounsfield values. This figure copy averages 2×2 pixels of the 512² DICOM series (1.4 mm pixels) and is one 5.2 MB file.',
    file: '/data/ct-thorax-phantom/thorax-1.4mm.nii.gz',
    preview: '/data/ct-thorax-phantom/thorax-1.4mm-middle.nii.gz',
    ct: true,
    headerFile: '/data/ct-thorax-phantom/slice-036.dcm',
  },
  {
    id: 'thorax-phantom-dicom',
    label: 'Thorax phantom (synthetic), DICOM series, 512², 37 MB',
    note: 'A generated phantom, not a patient: the full 72-file DICOM series (0.7 mm pixels, 2.5 mm slices), read file by file as a viewer reads a scanner’s series.',
    manifest: '/data/ct-thorax-phantom/index.json',
  },
  {
    id: 'ct-small',
    label: 'Real CT slice, 128×128 (pydicom CT_small)',
    note: 'A real CT slice from pydicom’s test files (MIT licence).',
    file: '/data/CT_small.dcm',
  },
  {
    id: 'head-ct-j2k',
    label: 'Real head CT slice, 512×512, JPEG 2000',
    note: 'A real head CT slice compressed with lossy JPEG 2000, decoded in your browser by ITK (itk-wasm) — from pydicom’s test files; the image itself comes from the CQ500 head-CT dataset (Qure.ai; Chilamkurthy et al. 2018): treat it as CC BY-NC-SA 4.0 (non-commercial, share-alike).',
    file: '/data/693_J2KI.dcm',
  },
]

/** The sample a figure's `sample` prop names (id), or the first. */
export function findSample(id: string | undefined): ScanSample {
  return CT_SCAN_SAMPLES.find((s) => s.id === id) ?? CT_SCAN_SAMPLES[0]
}
