/**
 * Reading DICOM images: a series of files (or one multi-frame file) into one 3D {@link Image}
 * with ITK/GDCM's geometry conventions, listing the series in a set of files, and dumping a header.
 *
 * Uncompressed transfer syntaxes (implicit/explicit VR little endian, explicit VR big endian,
 * deflated explicit VR little endian, and files without a file meta header) are parsed with
 * dicom-parser and decoded here, and so is RLE Lossless (PS3.5 Annex G, dicom-rle.ts); every other
 * transfer syntax (JPEG, JPEG-LS, JPEG 2000, …) is decoded by itk-wasm's GDCM build
 * (`@itk-wasm/dicom`), with the same geometry and the same Hounsfield-unit convention. A data set
 * whose VR encoding contradicts its transfer syntax is read as pydicom reads it (the first
 * element decides). In a browser, call {@link configureItkWasm} first so that itk-wasm
 * loads its pipelines from the site, not from a CDN.
 */
import { allocateData, makeImage, type ComponentType, type Image, type Metadata, type TypedArray } from '../image'
import { DicomError } from './dicom-errors'
import { allocateVolume, DICOM_MAX_BYTES } from './dicom-allocate'
import { ITK_WASM_MAX_DECODED_BYTES } from './dicom-codestream'
import { decodeWithItkWasm } from './dicom-itk-wasm'
import type { ParsedDicom } from './dicom-parse'
import { rewrapForDecoder } from './dicom-rewrap'
import { TS_RLE } from './dicom-rle'
import { checkNativePixelFormat, decodeStoredFrame, storedFrameView } from './dicom-pixels'
import { cross, dot, nums, readFrames, str, type FileInfo, type FrameInfo } from './dicom-slices'
import { describeTransferSyntax, sopClassName } from './dicom-tags'
import {
  byName, chooseSeries, dropDuplicatePositions, itkWasmReason, keepMajority, sliceDifference, surveyLoaded,
  type DicomSkipCode, type DicomSkippedFile, type FolderSurvey, type ItkWasmReason, type LoadedFile, type SeriesGroup,
} from './dicom-folder'

export { DICOM_MAX_SEQUENCE_DEPTH, DicomError, type DicomErrorCode } from './dicom-errors'
export type { DicomSkipCode, DicomSkippedFile } from './dicom-folder'
export { transferSyntaxName } from './dicom-tags'
export { readDicomHeader, type DicomTag } from './dicom-header'
export { DICOM_MAX_BYTES } from './dicom-allocate'
export { ITK_WASM_MAX_DECODED_BYTES } from './dicom-codestream'
export { configureItkWasm, getItkWasmConfig, type ItkWasmConfig } from './itk-wasm-config'

/** One input file: its bytes, or a File/Blob (a File's name is used in messages). */
export type DicomInput = ArrayBuffer | Uint8Array | Blob

export interface ReadDicomSeriesOptions {
  /**
   * Series to read. Default: the image series with the most usable slices, ties broken by the
   * smaller SeriesInstanceUID, so the choice never depends on the order of the files (it is
   * `listDicomSeries(files)[0]`; the image's metadata 'SeriesSelection' says how it was chosen).
   */
  seriesInstanceUID?: string
  /**
   * A file of the series whose Rows/Columns, PixelSpacing, ImageOrientationPatient or pixel format
   * differs from the majority of its slices: 'exclude' leaves it out and reports it (skipped list,
   * code INCONSISTENT_SERIES); 'error' throws INCONSISTENT_SERIES. Without a single majority (1 file
   * against 1) it always throws. Default: 'exclude'.
   */
  inconsistentSlices?: 'exclude' | 'error'
  /**
   * Largest decoded volume in bytes, checked from the headers before anything is allocated or
   * decoded (TOO_LARGE). Default: {@link DICOM_MAX_BYTES} (2 GiB − 1, also the ceiling) for the
   * built-in decoder, {@link ITK_WASM_MAX_DECODED_BYTES} (512 MiB) for series decoded by itk-wasm's
   * GDCM, whose peak memory is about twice the decoded size.
   */
  maxBytes?: number
  /** Called with the fraction done (0…1) while files are parsed and slices decoded. */
  onProgress?: (fraction: number, message?: string) => void
  /** Cancels the read between files/slices. */
  signal?: AbortSignal
  /**
   * Compressed series in a browser only (itk-wasm): decode in a new Web Worker (true) or in the
   * calling thread (false). Default: false inside a Web Worker, true on the main thread.
   */
  webWorker?: boolean
}

/** One series found among the files, for a series picker. */
export interface DicomSeriesSummary {
  seriesInstanceUID: string
  modality: string
  seriesDescription: string
  /** Number of files of the series (readable ones, images or not). */
  count: number
  /** Usable image slices (frames of the files with pixel data that can be decoded, duplicates not counted). */
  slices: number
  rows: number
  columns: number
  /** False for non-image objects (RT Plan, SR, …): `readDicomSeries` cannot read them. */
  hasPixelData: boolean
  /** SOP class of the first file, e.g. 'CT Image Storage'. */
  sopClassName: string
}

type Loaded = LoadedFile

function inputName(f: DicomInput, i: number): string {
  const n = (f as { name?: unknown }).name
  return typeof n === 'string' && n ? n : `file #${i + 1}`
}

async function loadInputs(files: DicomInput[], signal?: AbortSignal): Promise<Loaded[]> {
  if (!Array.isArray(files) || files.length === 0) {
    throw new DicomError('EMPTY_INPUT', 'No DICOM files were given (the input list is empty)')
  }
  const out: Loaded[] = []
  for (let i = 0; i < files.length; i++) {
    signal?.throwIfAborted()
    const f = files[i]
    const name = inputName(f, i)
    // An input that is not bytes, or a File the browser cannot read (removed, no permission), is
    // one bad file of the folder: reported as READ_FAILED, not thrown.
    let bytes: Uint8Array = new Uint8Array(0)
    let error: DicomError | undefined
    if (f instanceof Uint8Array) bytes = f
    else if (f instanceof ArrayBuffer) bytes = new Uint8Array(f)
    else if (f && typeof (f as Blob).arrayBuffer === 'function') {
      try {
        bytes = new Uint8Array(await (f as Blob).arrayBuffer())
      } catch (e) {
        error = new DicomError('READ_FAILED', `${name} could not be read (${(e as Error)?.name ?? 'error'}: ${(e as Error)?.message ?? String(e)}); it may have been moved or deleted`)
      }
    } else error = new DicomError('READ_FAILED', `DICOM input ${i + 1} is neither an ArrayBuffer, a Uint8Array nor a Blob/File (it is ${f === null ? 'null' : typeof f})`)
    out.push({ name, bytes, error })
  }
  return out
}

/** How {@link readDicomSeries} read a folder: the series chosen and why, the files left out, the slice gaps. */
export interface DicomReadReport {
  /** How the series was chosen, e.g. 'the series with the most slices (72) of 2 image series'. */
  seriesSelection: string
  /** Files not used, in input order: unreadable, not images, other pixel format, duplicates, inconsistent slices. */
  skipped: DicomSkippedFile[]
  /** The other image and non-image series among the files, one line each (UID, modality, description, files). */
  otherSeries: string[]
  /** Gaps in the slice positions: after sorted slice `afterSlice`, `gapMm` where the others are `spacingMm` apart. */
  sliceGaps: { afterSlice: number; gapMm: number; spacingMm: number }[]
}

/**
 * The {@link DicomReadReport} of an image returned by {@link readDicomSeries} (read back from its
 * metadata keys 'SeriesSelection', 'SkippedFiles', 'SkippedFileIndices', 'SkippedFileCodes',
 * 'SkippedFileMessages', 'OtherSeries' and 'SliceGaps', which survive a worker's structured clone).
 */
export function dicomReadReport(image: Image): DicomReadReport {
  const m = image.metadata
  const list = <T>(k: string): T[] => (Array.isArray(m.get(k)) ? (m.get(k) as T[]) : [])
  const names = list<string>('SkippedFiles')
  const indices = list<number>('SkippedFileIndices')
  const codes = list<string>('SkippedFileCodes')
  const messages = list<string>('SkippedFileMessages')
  return {
    seriesSelection: String(m.get('SeriesSelection') ?? ''),
    skipped: names.map((name, i) => ({ index: indices[i], name, code: codes[i] as DicomSkipCode, message: messages[i] })),
    otherSeries: list<string>('OtherSeries'),
    sliceGaps: list<number[]>('SliceGaps').map(([afterSlice, gapMm, spacingMm]) => ({ afterSlice, gapMm, spacingMm })),
  }
}

function survey(loaded: LoadedFile[], options: Pick<ReadDicomSeriesOptions, 'onProgress' | 'signal'>, scale: number): FolderSurvey {
  return surveyLoaded(loaded, (done, total) => options.onProgress?.((done / total) * scale, `parsed ${done}/${total}`), options.signal)
}

function summaryOf(g: SeriesGroup): DicomSeriesSummary {
  const sorted = [...g.files].sort(byName)
  const first = sorted.find((f) => f.pixel) ?? sorted[0]
  return {
    seriesInstanceUID: g.uid,
    modality: first.modality,
    seriesDescription: first.seriesDescription,
    count: g.files.length,
    slices: g.slices,
    rows: first.rows,
    columns: first.columns,
    hasPixelData: g.files.some((f) => f.pixel !== undefined),
    sopClassName: sopClassName(first.sopClassUID) ?? first.sopClassUID,
  }
}

/**
 * Lists the series among the files, grouped by SeriesInstanceUID (0020,000E), so a UI can let the
 * user choose one for {@link readDicomSeries}: image series first, by number of usable slices (most
 * first; ties by SeriesInstanceUID), so `list[0]` is the series `readDicomSeries` reads by default
 * whatever the order of the files; then series without images. A file that cannot be read (not
 * DICOM, truncated, …) never fails the list: it is left out and reported in `list.skipped` (the
 * same entries as {@link surveyDicomFiles}' `skipped`). Throws {@link DicomError} EMPTY_INPUT for
 * an empty list only.
 */
export async function listDicomSeries(files: DicomInput[], options: Pick<ReadDicomSeriesOptions, 'onProgress' | 'signal'> = {}): Promise<DicomSeriesSummary[] & { skipped: DicomSkippedFile[] }> {
  const s = survey(await loadInputs(files, options.signal), options, 1)
  return Object.assign(s.groups.map(summaryOf), { skipped: s.skipped })
}

/** One series found by {@link surveyDicomFiles}, with the input positions of its files. */
export interface DicomSurveySeries extends DicomSeriesSummary {
  files: number[]
}

/** The result of {@link surveyDicomFiles}: the series and the files that could not be used. */
export interface DicomSurvey {
  /** In the order of {@link listDicomSeries}: `series[0]` is what readDicomSeries reads by default. */
  series: DicomSurveySeries[]
  /** Inputs that could not be parsed: not DICOM ('NOT_DICOM'), corrupt ('TRUNCATED', 'NESTING_TOO_DEEP', …), with why. */
  unreadable: { index: number; name: string; code: string; message: string }[]
  /**
   * Every input that is not a usable slice, in input order: the `unreadable` ones, non-image objects
   * (NOT_AN_IMAGE), images without pixels (NO_PIXEL_DATA), unsupported transfer syntaxes or pixel
   * formats, truncated pixel data, and second copies of a SOP instance (DUPLICATE_SLICE).
   */
  skipped: DicomSkippedFile[]
}

/**
 * Like {@link listDicomSeries}, with the input positions of each series' files and the files set
 * aside: every input is parsed on its own, and a file that is not DICOM or is corrupt is returned
 * in `unreadable` (and `skipped`) with its error instead of failing the whole folder. A viewer can
 * then read the chosen series from its files (`series[i].files`) and list `skipped` to the reader.
 */
export async function surveyDicomFiles(files: DicomInput[], options: Pick<ReadDicomSeriesOptions, 'onProgress' | 'signal'> = {}): Promise<DicomSurvey> {
  const s = survey(await loadInputs(files, options.signal), options, 1)
  const parsed = new Set(s.groups.flatMap((g) => g.files.map((f) => f.index)))
  return {
    series: s.groups.map((g) => ({ ...summaryOf(g), files: g.files.map((f) => f.index) })),
    unreadable: s.skipped.filter((k) => !parsed.has(k.index)).map(({ index, name, code, message }) => ({ index, name, code, message })),
    skipped: s.skipped,
  }
}

/** Throws INCONSISTENT_SERIES unless all frames (after the majority filter) can share one volume. */
function checkConsistent(frames: FrameInfo[]): void {
  for (const b of frames) {
    const d = sliceDifference(frames[0], b)
    if (d) {
      const uid = frames[0].file.seriesInstanceUID
      throw new DicomError('INCONSISTENT_SERIES', `Slices of series ${uid || '(no SeriesInstanceUID)'} differ in ${d.what}: ${frames[0].file.parsed.name} has ${d.a}, ${b.file.parsed.name} has ${d.b}`)
    }
  }
}

interface Geometry {
  sorted: FrameInfo[]
  origin: number[]
  spacing: number[]
  direction: Float64Array
  notes: string[]
  sortMethod: string
  sliceSpacingSource: string
  gaps: DicomReadReport['sliceGaps']
}

function normalize(v: number[]): number[] {
  const n = Math.hypot(v[0], v[1], v[2])
  return n > 0 ? v.map((x) => x / n) : v
}

/**
 * Sorts frames along the slice normal and computes ITK's geometry: spacing = [column spacing,
 * row spacing, mean slice distance], origin = first slice's ImagePositionPatient, direction
 * columns = [row cosines, column cosines, row × column].
 */
function computeGeometry(frames: FrameInfo[]): Geometry {
  const notes: string[] = []
  const gaps: Geometry['gaps'] = []
  const first = frames[0]
  let row = [1, 0, 0]
  let col = [0, 1, 0]
  if (first.orientation) {
    row = normalize(first.orientation.slice(0, 3))
    col = normalize(first.orientation.slice(3, 6))
  } else {
    notes.push('ImageOrientationPatient (0020,0037) missing: identity orientation assumed')
  }
  const normal = cross(row, col)
  const allPositions = frames.every((f) => f.position)
  let sorted: FrameInfo[]
  let sortMethod: string
  const byInstance = (a: FrameInfo, b: FrameInfo) =>
    (a.file.instanceNumber ?? Infinity) - (b.file.instanceNumber ?? Infinity) || a.file.index - b.file.index || a.frame - b.frame
  let proj: number[] = []
  if (frames.length === 1) {
    sorted = frames
    sortMethod = 'single slice'
  } else if (allPositions) {
    const keyed = frames.map((f) => ({ f, d: dot(f.position!, normal) }))
    keyed.sort((a, b) => a.d - b.d || byInstance(a.f, b.f))
    sorted = keyed.map((k) => k.f)
    proj = keyed.map((k) => k.d)
    sortMethod = 'ImagePositionPatient along the slice normal'
  } else {
    sorted = [...frames].sort(byInstance)
    sortMethod = 'InstanceNumber (ImagePositionPatient missing)'
    notes.push('ImagePositionPatient (0020,0032) missing on some slices: slices sorted by InstanceNumber and spaced by SpacingBetweenSlices/SliceThickness')
  }
  const ps = first.pixelSpacing
  if (!ps) notes.push('PixelSpacing (0028,0030) missing: 1 mm assumed')
  else if (first.pixelSpacingSource !== 'PixelSpacing') notes.push(`PixelSpacing missing: ${first.pixelSpacingSource} used`)
  const fallbackZ = first.spacingBetweenSlices ?? first.sliceThickness
  let dz: number
  let sliceSpacingSource: string
  if (proj.length > 1) {
    dz = (proj[proj.length - 1] - proj[0]) / (proj.length - 1)
    sliceSpacingSource = 'mean distance between sorted ImagePositionPatient'
    let maxDev = 0
    let duplicates = 0
    for (let i = 1; i < proj.length; i++) {
      const d = proj[i] - proj[i - 1]
      if (Math.abs(d) < 1e-6) duplicates++
      maxDev = Math.max(maxDev, Math.abs(d - dz))
    }
    if (duplicates > 0) notes.push(`${duplicates} slice(s) share a position with another slice`)
    // Gantry tilt (or any shear): slice positions that do not move along the normal.
    const p0 = sorted[0].position!
    const p1 = sorted[sorted.length - 1].position!
    const delta = [p1[0] - p0[0], p1[1] - p0[1], p1[2] - p0[2]]
    const along = dot(delta, normal)
    const across = Math.hypot(delta[0] - along * normal[0], delta[1] - along * normal[1], delta[2] - along * normal[2])
    if (across > 1e-3 * Math.abs(along) + 1e-4) {
      const deg = (Math.atan2(across, Math.abs(along)) * 180) / Math.PI
      notes.push(`Slice positions are not along the slice normal (tilt ${deg.toFixed(2)}°, e.g. CT gantry tilt): the volume is sheared; geometry assumes no tilt`)
    }
    // A missing slice: a step clearly larger (× 1.5) than the median step. ITK's series reader
    // also spaces by first-to-last distance / (n − 1) and only warns ("missing slices detected").
    const steps = proj.slice(1).map((p, i) => p - proj[i])
    const median = [...steps].sort((x, y) => x - y)[Math.floor(steps.length / 2)]
    if (median > 1e-6) {
      steps.forEach((d, i) => {
        if (d > 1.5 * median) gaps.push({ afterSlice: i, gapMm: d, spacingMm: median })
      })
    }
    const posErr = proj.reduce((m, p, i) => Math.max(m, Math.abs(p - proj[0] - i * dz)), 0)
    for (const g of gaps) {
      const a = sorted[g.afterSlice]
      const b = sorted[g.afterSlice + 1]
      const missing = Math.round(g.gapMm / g.spacingMm) - 1
      notes.push(
        `Slice gap: ${g.gapMm.toPrecision(4)} mm between sorted slices ${g.afterSlice} and ${g.afterSlice + 1} (${a.file.parsed.name}, ${b.file.parsed.name}) where the other slices are ${g.spacingMm.toPrecision(4)} mm apart` +
          `${missing >= 1 ? `: about ${missing} slice(s) missing` : ''}; the volume spaces all slices by the mean ${dz.toPrecision(6)} mm, so slices are placed up to ${posErr.toPrecision(4)} mm from their true position`,
      )
    }
    if (gaps.length === 0 && dz > 0 && maxDev > 1e-3 * dz + 1e-4) {
      notes.push(`Non-uniform slice spacing (largest deviation from the mean ${dz.toPrecision(6)} mm is ${maxDev.toPrecision(4)} mm): the volume assumes the mean`)
    }
    if (!(dz > 1e-6)) {
      dz = fallbackZ ?? 1
      sliceSpacingSource = fallbackZ !== undefined ? 'SpacingBetweenSlices/SliceThickness (all positions equal)' : 'none (1 mm assumed)'
    }
  } else if (sorted.length === 1) {
    // One slice: ITK/GDCM (GDCMImageIO, ITK 5.4) take SpacingBetweenSlices, else 1 mm. SliceThickness
    // is the thickness of the slab, not a distance between slices, so it is not used.
    dz = first.spacingBetweenSlices ?? 1
    sliceSpacingSource = first.spacingBetweenSlices !== undefined ? 'SpacingBetweenSlices' : 'none (1 mm, as ITK)'
    if (first.spacingBetweenSlices === undefined && first.sliceThickness !== undefined) {
      notes.push(`single slice without SpacingBetweenSlices: z spacing 1 mm as ITK; the slice is ${first.sliceThickness} mm thick (SliceThickness)`)
    }
  } else {
    dz = fallbackZ ?? 1
    sliceSpacingSource = first.spacingBetweenSlices !== undefined ? 'SpacingBetweenSlices' : first.sliceThickness !== undefined ? 'SliceThickness' : 'none (1 mm assumed)'
  }
  if (frames.length === 1 && !sorted[0].position) notes.push('ImagePositionPatient (0020,0032) missing: origin 0 assumed')
  const spacing = [ps ? ps[1] : 1, ps ? ps[0] : 1, dz]
  const origin = sorted[0].position ? [...sorted[0].position] : [0, 0, 0]
  // Row-major D[r*3+c] = r-th component of the axis of index c.
  const direction = new Float64Array([row[0], col[0], normal[0], row[1], col[1], normal[1], row[2], col[2], normal[2]])
  return { sorted, origin, spacing, direction, notes, sortMethod, sliceSpacingSource, gaps }
}

function fitsInt16(min: number, max: number): boolean {
  return min >= -32768 && max <= 32767
}

/**
 * out[off + i] = src[i] · slope + intercept for i < n; returns the [min, max] of the written values
 * (before any int16 wrap-around, so the caller can tell whether int16 was exact).
 */
function rescaleInto(src: ArrayLike<number>, out: Int16Array | Float32Array, off: number, n: number, slope: number, intercept: number): [number, number] {
  let lo = Infinity
  let hi = -Infinity
  for (let i = 0; i < n; i++) {
    const v = src[i] * slope + intercept
    if (v < lo) lo = v
    if (v > hi) hi = v
    out[off + i] = v
  }
  return [lo, hi]
}

/** A slice that failed to decode (e.g. a corrupt RLE fragment), so a folder read can leave it out and go on. */
class SliceDecodeError extends Error {
  constructor(readonly file: FileInfo, readonly error: DicomError) {
    super(error.message)
  }
}

function attributed<T>(file: FileInfo, decode: () => T): T {
  try {
    return decode()
  } catch (e) {
    if (e instanceof DicomError) throw new SliceDecodeError(file, e)
    throw e
  }
}

/** Decodes uncompressed frames into the output volume (int16 when exact, else float32). */
function decodeNative(sorted: FrameInfo[], options: ReadDicomSeriesOptions, progress0: number): { data: TypedArray; components: number } {
  const file0 = sorted[0].file
  const components = file0.samplesPerPixel
  const perFrame = file0.rows * file0.columns * components
  for (const f of new Set(sorted.map((s) => s.file))) checkNativePixelFormat(f)
  const scratch = new Float64Array(perFrame)
  const nz = sorted.length
  if (components === 3) {
    // Colour: stored values, no Modality LUT (PS3.3 C.11.1 applies to grayscale only), in the
    // integer type of the stored samples.
    const signed = file0.pixelRepresentation === 1
    const type: ComponentType = file0.bitsAllocated === 8 ? (signed ? 'int8' : 'uint8') : file0.bitsAllocated === 16 ? (signed ? 'int16' : 'uint16') : signed ? 'int32' : 'uint32'
    const data = allocateVolume(type, perFrame * nz, file0.rows, file0.columns, nz)
    for (let z = 0; z < nz; z++) {
      options.signal?.throwIfAborted()
      attributed(sorted[z].file, () => decodeStoredFrame(sorted[z].file, sorted[z].frame, scratch))
      ;(data as Uint8Array).set(scratch, z * perFrame)
      options.onProgress?.(progress0 + ((1 - progress0) * (z + 1)) / nz, `decoded slice ${z + 1}/${nz}`)
    }
    return { data, components }
  }
  // int16 when every slice has slope 1 and an integer intercept and the values fit (decided while
  // writing; in the rare case they do not fit, the volume is written again as float32).
  const integerRescale = sorted.every((s) => s.slope === 1 && Number.isInteger(s.intercept))
  const write = (type: 'int16' | 'float32'): { data: Int16Array | Float32Array; fits: boolean } => {
    const data = allocateVolume(type, perFrame * nz, file0.rows, file0.columns, nz) as Int16Array | Float32Array
    let fits = true
    for (let z = 0; z < nz; z++) {
      options.signal?.throwIfAborted()
      const s = sorted[z]
      const view = attributed(s.file, () => {
        const v = storedFrameView(s.file, s.frame)
        if (!v) decodeStoredFrame(s.file, s.frame, scratch)
        return v
      })
      const range = rescaleInto(view ?? scratch, data, z * perFrame, perFrame, s.slope, s.intercept)
      if (type === 'int16' && !fitsInt16(range[0], range[1])) {
        fits = false
        break
      }
      options.onProgress?.(progress0 + ((1 - progress0) * (z + 1)) / nz, `decoded slice ${z + 1}/${nz}`)
    }
    return { data, fits }
  }
  let out = integerRescale ? write('int16') : null
  if (!out || !out.fits) out = write('float32')
  const data = out.data
  return { data, components: 1 }
}

/**
 * Compressed frames: decoded by itk-wasm (GDCM applies the Modality LUT) from the files in our slice
 * order (so ordering and geometry are ours, identical to the native path), then converted to our
 * output type with the same int16/float32 rule as the native path.
 */
async function decodeCompressed(sorted: FrameInfo[], options: ReadDicomSeriesOptions, reason: ItkWasmReason): Promise<{ data: TypedArray; components: number }> {
  const files = [...new Set(sorted.map((s) => s.file))] // in slice order
  const names = new Map<FileInfo, string>()
  files.forEach((f, i) => names.set(f, `slice-${String(i).padStart(5, '0')}.dcm`))
  const file0 = sorted[0].file
  let decoded
  try {
    // A data set whose VR encoding contradicts its transfer syntax is re-wrapped: GDCM refuses it.
    const bytesFor = (p: ParsedDicom) => (p.vrMismatch ? rewrapForDecoder(p) : p.sourceBytes)
    decoded = await decodeWithItkWasm(files.map((f) => ({ name: names.get(f)!, bytes: bytesFor(f.parsed) })), { webWorker: options.webWorker })
  } catch (e) {
    if (e instanceof Error && (e.name === 'ItkWasmConfigError' || e.name === 'AbortError')) throw e
    const why = (e instanceof Error ? e.message : String(e)).trim()
    // A C++ exception reaches JavaScript as a bare pointer value: say what it means instead.
    // So does an Emscripten abort ("Aborted(). Build with -sASSERTIONS …") or a wasm trap.
    const internal = /^\d*$/.test(why) || /Aborted\(|ASSERTIONS|RuntimeError|out of bounds|unreachable|Maximum call stack/i.test(why)
    const detail = internal ? 'the decoder rejected the compressed pixel data (corrupt or non-conformant stream)' : why.split('\n').slice(-3).join(' ')
    throw new DicomError(reason.code, `${file0.parsed.name}: ${reason.what} could not be decoded by itk-wasm (GDCM): ${detail}`)
  }
  const img = decoded.image
  const components = img.imageType.components
  const perFrame = file0.rows * file0.columns * components
  if (img.size[0] !== file0.columns || img.size[1] !== file0.rows || !img.data) {
    throw new DicomError(reason.code, `${file0.parsed.name}: itk-wasm decoded ${reason.what} to a ${img.size.join('×')} image, expected ${file0.columns}×${file0.rows}`)
  }
  // Files were passed in our slice order, so each file's frames start after the previous files'.
  const startOf = new Map<string, number>()
  let z0 = 0
  for (const f of files) {
    startOf.set(names.get(f)!, z0)
    z0 += f.frames
  }
  if (decoded.sortedNames.length === files.length && decoded.sortedNames.some((n, i) => n !== names.get(files[i]))) {
    throw new DicomError(reason.code, `${file0.parsed.name}: itk-wasm reordered the slices of a series given as sorted`)
  }
  let src = img.data as unknown as ArrayLike<number>
  if (file0.bitsAllocated === 1) {
    // GDCM unpacks 1-bit pixels to 0/255; the stored values (PS3.5 §8.1.1, pydicom) are 0/1.
    const bits = new Uint8Array(src.length)
    for (let i = 0; i < src.length; i++) bits[i] = src[i] !== 0 ? 1 : 0
    src = bits
  }
  const nz = sorted.length
  if (src.length < perFrame * nz) {
    throw new DicomError(reason.code, `${file0.parsed.name}: itk-wasm returned ${src.length / perFrame} slices for ${nz} frames`)
  }
  let min = Infinity
  let max = -Infinity
  let integral = true
  for (let i = 0; i < src.length; i++) {
    const v = src[i]
    if (v < min) min = v
    if (v > max) max = v
    if (integral && v !== Math.trunc(v)) integral = false
  }
  const type: ComponentType =
    components === 3 ? (img.imageType.componentType === 'uint8' ? 'uint8' : 'float32') : integral && fitsInt16(min, max) && sorted.every((s) => s.slope === 1 && Number.isInteger(s.intercept)) ? 'int16' : 'float32'
  const data = allocateVolume(type, perFrame * nz, img.size[1], img.size[0], nz) as Int16Array | Float32Array | Uint8Array
  for (let z = 0; z < nz; z++) {
    const s = sorted[z]
    const from = (startOf.get(names.get(s.file)!)! + s.frame) * perFrame
    const block = (src as unknown as { subarray(a: number, b: number): ArrayLike<number> }).subarray(from, from + perFrame)
    data.set(block, z * perFrame)
  }
  return { data, components }
}

function buildMetadata(series: FileInfo[], geo: Geometry, decoder: string, report: Omit<DicomReadReport, 'sliceGaps'>): Metadata {
  const f0 = geo.sorted[0].file
  const ds = f0.parsed.dataSet
  const m: Metadata = new Map()
  const put = (k: string, v: string | undefined) => {
    if (v) m.set(k, v)
  }
  put('Modality', f0.modality)
  put('SeriesInstanceUID', f0.seriesInstanceUID)
  put('SeriesDescription', f0.seriesDescription)
  put('StudyInstanceUID', str(ds, 'x0020000d'))
  put('FrameOfReferenceUID', str(ds, 'x00200052'))
  put('SOPClassUID', f0.sopClassUID)
  put('SOPClassName', sopClassName(f0.sopClassUID))
  put('Manufacturer', str(ds, 'x00080070'))
  m.set('TransferSyntaxUID', f0.parsed.transferSyntaxUID)
  m.set('TransferSyntaxName', describeTransferSyntax(f0.parsed.transferSyntaxUID).replace(/ \([0-9.]+\)$/, ''))
  m.set('PhotometricInterpretation', f0.photometricInterpretation)
  m.set('BitsAllocated', f0.bitsAllocated)
  m.set('BitsStored', f0.bitsStored)
  m.set('PixelRepresentation', f0.pixelRepresentation)
  const slopes = geo.sorted.map((s) => s.slope)
  const intercepts = geo.sorted.map((s) => s.intercept)
  m.set('RescaleSlope', slopes.every((v) => v === slopes[0]) ? slopes[0] : slopes)
  m.set('RescaleIntercept', intercepts.every((v) => v === intercepts[0]) ? intercepts[0] : intercepts)
  put('RescaleType', str(ds, 'x00281054'))
  const wc = nums(ds, 'x00281050')
  const ww = nums(ds, 'x00281051')
  if (wc) m.set('WindowCenter', wc[0])
  if (ww) m.set('WindowWidth', ww[0])
  m.set('SliceSortMethod', geo.sortMethod)
  m.set('SliceSpacingSource', geo.sliceSpacingSource)
  m.set('Decoder', decoder)
  m.set('NumberOfFiles', series.length)
  m.set('SourceFiles', [...new Set(geo.sorted.map((s) => s.file.parsed.name))])
  const notes = [...geo.notes]
  if (f0.photometricInterpretation === 'MONOCHROME1') {
    notes.push('PhotometricInterpretation is MONOCHROME1: low values are meant to display bright; the data are not inverted')
  }
  const doseScaling = nums(ds, 'x3004000e')?.[0]
  if (doseScaling !== undefined) {
    m.set('DoseGridScaling', doseScaling)
    notes.push(`DoseGridScaling (3004,000E) = ${doseScaling} is not applied (it is not a Modality LUT): multiply to get ${str(ds, 'x30040002') ?? 'dose'} units`)
  }
  const pi = f0.photometricInterpretation
  if (decoder.startsWith('itk-wasm') && (pi.startsWith('YBR') || pi === 'PALETTE COLOR')) notes.push(`${pi} was converted to RGB by GDCM`)
  if (geo.sorted.length === 1) notes.push('Single slice: returned as a 3D image with size z = 1, as ITK\'s series reader does')
  const { skipped } = report
  m.set('SeriesSelection', report.seriesSelection)
  if (skipped.length > 0) {
    m.set('SkippedFiles', skipped.map((k) => k.name))
    m.set('SkippedFileIndices', skipped.map((k) => k.index))
    m.set('SkippedFileCodes', skipped.map((k) => k.code))
    m.set('SkippedFileMessages', skipped.map((k) => k.message))
    const shown = skipped.slice(0, 20).map((k) => `${k.name} (${k.code})`).join(', ')
    notes.push(`Skipped ${skipped.length} file(s): ${shown}${skipped.length > 20 ? ', …' : ''}`)
  }
  if (report.otherSeries.length > 0) {
    m.set('OtherSeries', report.otherSeries)
    notes.push(`Read ${report.seriesSelection}; ${report.otherSeries.length} other series not read: ${report.otherSeries.slice(0, 5).join('; ')}${report.otherSeries.length > 5 ? '; …' : ''}`)
  }
  if (geo.gaps.length > 0) m.set('SliceGaps', geo.gaps.map((g) => [g.afterSlice, g.gapMm, g.spacingMm]))
  if (notes.length > 0) m.set('ReaderNotes', notes)
  return m
}

/**
 * Reads one DICOM series into a 3D image, following ITK's `ImageSeriesReader` + `GDCMImageIO`
 * (and GDCM's IPP sorter) conventions:
 * - a folder may hold bad files: each file is parsed on its own, and one that cannot be a slice
 *   (not DICOM, truncated, nested too deep, not an image, no pixel data, unsupported transfer
 *   syntax or pixel format) is left out, never failing the folder while a series can be read;
 * - files are grouped by SeriesInstanceUID; the image series with the most slices is read (ties:
 *   the smaller SeriesInstanceUID), so the choice never depends on the file order, unless
 *   `options.seriesInstanceUID` names another (see {@link listDicomSeries});
 * - within the series, a file whose Rows/Columns, PixelSpacing, ImageOrientationPatient or pixel
 *   format differs from the majority is left out (`inconsistentSlices`, default 'exclude'); a second
 *   copy of a slice (same SOPInstanceUID, or same position with the same pixels) is left out (two
 *   slices at one position with different pixels throw INCONSISTENT_SERIES);
 * - what was left out, how the series was chosen and any gap in the slice positions (a missing
 *   slice) are in the metadata, read back as a structured {@link DicomReadReport} with
 *   {@link dicomReadReport}(image);
 * - slices (or the frames of a multi-frame file, NumberOfFrames as z) are sorted by the projection
 *   of ImagePositionPatient on the normal row × column of ImageOrientationPatient (by
 *   InstanceNumber when positions are missing; metadata 'SliceSortMethod' says which);
 * - origin = ImagePositionPatient of the first sorted slice; spacing = [PixelSpacing[1] (between
 *   columns), PixelSpacing[0] (between rows), mean distance between sorted slices, or
 *   SpacingBetweenSlices, else SliceThickness, else 1 for a single slice]; direction columns =
 *   [row cosines, column cosines, normal] (row-major as in src/image.ts);
 * - the Modality LUT is applied (value × RescaleSlope + RescaleIntercept: Hounsfield units for CT);
 *   the pixel type is int16 when every slice has slope 1 and an integer intercept and the rescaled
 *   values fit in int16 (typical CT), float32 otherwise (uint8/uint16 for RGB, never rescaled);
 * - stored values are masked to BitsStored and sign-extended (as GDCM/DCMTK do);
 * - MONOCHROME1 data are not inverted ('PhotometricInterpretation' and 'ReaderNotes' in metadata);
 * - a single slice gives a 3D image of size z = 1, as ITK's series reader does.
 *
 * Throws {@link DicomError}: EMPTY_INPUT; when no file can be read, the first file's code (NOT_DICOM,
 * TRUNCATED, NESTING_TOO_DEEP, NOT_AN_IMAGE, NO_PIXEL_DATA, …) with a count of all; INCONSISTENT_SERIES,
 * SERIES_NOT_FOUND, UNSUPPORTED_TRANSFER_SYNTAX, UNSUPPORTED_PIXEL_FORMAT, CORRUPT_PIXEL_DATA, TOO_LARGE.
 */
export async function readDicomSeries(files: DicomInput[], options: ReadDicomSeriesOptions = {}): Promise<Image> {
  if (options.onProgress) {
    // Never report going backwards (the int16 → float32 rewrite restarts the slice loop).
    const report = options.onProgress
    let last = -1
    options = { ...options, onProgress: (f, m) => { if (f >= last) { last = f; report(f, m) } } }
  }
  const loaded = await loadInputs(files, options.signal)
  const folder = survey(loaded, options, 0.3)
  const { group, selection } = chooseSeries(folder, loaded.length, options.seriesInstanceUID)
  const skipped = [...folder.skipped]
  const uid = group.uid
  // Files that disagree with the majority of the series, then second copies of a slice, are left out.
  const majority = keepMajority(uid, group.images.map(readFrames), (options.inconsistentSlices ?? 'exclude') === 'exclude')
  skipped.push(...majority.skipped)
  const first = majority.kept[0][0]
  const normal = first.orientation ? cross(first.orientation.slice(0, 3), first.orientation.slice(3, 6)) : [0, 0, 1]
  const unique = dropDuplicatePositions(uid, majority.kept, normal)
  skipped.push(...unique.skipped)
  skipped.sort((a, b) => a.index - b.index)
  let kept = unique.kept
  let series: FileInfo[] = []
  let geo!: Geometry
  const plan = () => {
    const frames = kept.flat()
    series = kept.map((f) => f[0].file)
    checkConsistent(frames)
    geo = computeGeometry(frames)
  }
  plan()
  const reason = series.map(itkWasmReason).find((r) => r !== null) ?? null
  const native = reason === null
  // The decoded size from the headers, against the limit, before any decoder allocates (GDCM
  // allocates by Rows×Columns×frames whatever the compressed stream holds).
  const limit = Math.min(options.maxBytes ?? (native ? DICOM_MAX_BYTES : ITK_WASM_MAX_DECODED_BYTES), DICOM_MAX_BYTES)
  const f0h = geo.sorted[0].file
  const decodedBytes = f0h.rows * f0h.columns * f0h.samplesPerPixel * Math.max(1, f0h.bitsAllocated >> 3) * geo.sorted.length
  if (decodedBytes > limit) {
    throw new DicomError(
      'TOO_LARGE',
      `The series is too large to load: ${f0h.columns}×${f0h.rows}×${geo.sorted.length} at ${f0h.bitsAllocated} bits is ${(decodedBytes / 2 ** 20).toFixed(0)} MiB decoded, more than the ${(limit / 2 ** 20).toFixed(0)} MiB limit${native ? '' : ' for data decoded by itk-wasm (GDCM)'}. Open fewer slices or a smaller series.`,
    )
  }
  options.signal?.throwIfAborted()
  let decodedData: { data: TypedArray; components: number }
  if (native) {
    // A slice whose pixel data only fails when decoded (a corrupt RLE segment) is left out and
    // reported, and the rest decoded again, as long as another slice remains.
    for (;;) {
      try {
        decodedData = decodeNative(geo.sorted, options, 0.3)
        break
      } catch (e) {
        if (!(e instanceof SliceDecodeError)) throw e
        if (kept.length < 2) throw e.error
        const bad = e.file
        skipped.push({ index: bad.index, name: bad.parsed.name, code: e.error.code, message: e.error.message })
        skipped.sort((a, b) => a.index - b.index)
        kept = kept.filter((f) => f[0].file !== bad)
        plan()
      }
    }
  } else {
    options.onProgress?.(0.3, `decoding ${reason.what} with itk-wasm`)
    decodedData = await decodeCompressed(geo.sorted, options, reason)
    options.onProgress?.(1, 'decoded')
  }
  const f0 = geo.sorted[0].file
  const otherSeries = folder.groups.filter((g) => g !== group).map((g) => {
    const s = summaryOf(g)
    return `${s.seriesInstanceUID || '(no SeriesInstanceUID)'}: ${s.modality || '?'}${s.seriesDescription ? ` "${s.seriesDescription}"` : ''}, ${s.count} file(s)${s.hasPixelData ? `, ${s.slices} slice(s)` : `, ${s.sopClassName || 'no image'}`}`
  })
  const metadata = buildMetadata(series, geo, native ? (f0.parsed.transferSyntaxUID === TS_RLE ? 'native RLE (PS3.5 Annex G)' : 'native (dicom-parser)') : 'itk-wasm (GDCM)', { seriesSelection: selection, skipped, otherSeries })
  return makeImage([f0.columns, f0.rows, geo.sorted.length], {
    data: decodedData.data,
    components: decodedData.components,
    spacing: geo.spacing,
    origin: geo.origin,
    direction: geo.direction,
    name: f0.seriesDescription || f0.modality || 'DICOM series',
    metadata,
  })
}
