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
import { allocateVolume } from './dicom-allocate'
import { decodeWithItkWasm } from './dicom-itk-wasm'
import { NATIVE_TRANSFER_SYNTAXES, parseDicomBytes, type ParsedDicom } from './dicom-parse'
import { rewrapForDecoder } from './dicom-rewrap'
import { TS_RLE } from './dicom-rle'
import { checkNativePixelFormat, decodeStoredFrame, storedFrameView } from './dicom-pixels'
import { cross, dot, nums, readFileInfo, readFrames, str, type FileInfo, type FrameInfo } from './dicom-slices'
import { describeTransferSyntax, sopClassName } from './dicom-tags'

export { DicomError, type DicomErrorCode } from './dicom-errors'
export { transferSyntaxName } from './dicom-tags'
export { readDicomHeader, type DicomTag } from './dicom-header'
export { configureItkWasm, getItkWasmConfig, type ItkWasmConfig } from './itk-wasm-config'

/** One input file: its bytes, or a File/Blob (a File's name is used in messages). */
export type DicomInput = ArrayBuffer | Uint8Array | Blob

export interface ReadDicomSeriesOptions {
  /** Series to read. Default: the series of the first file (in input order) that has pixel data. */
  seriesInstanceUID?: string
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
  /** Number of files of the series. */
  count: number
  rows: number
  columns: number
  /** False for non-image objects (RT Plan, SR, …): `readDicomSeries` cannot read them. */
  hasPixelData: boolean
  /** SOP class of the first file, e.g. 'CT Image Storage'. */
  sopClassName: string
}

interface Loaded {
  name: string
  bytes: Uint8Array
}

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
    let bytes: Uint8Array
    if (f instanceof Uint8Array) bytes = f
    else if (f instanceof ArrayBuffer) bytes = new Uint8Array(f)
    else if (f && typeof (f as Blob).arrayBuffer === 'function') bytes = new Uint8Array(await (f as Blob).arrayBuffer())
    else throw new TypeError(`DICOM input ${i + 1} is neither an ArrayBuffer, a Uint8Array nor a Blob/File`)
    out.push({ name: inputName(f, i), bytes })
  }
  return out
}

/**
 * Parses every input; non-DICOM files are skipped (their names returned) as ITK's series reader
 * ignores them, unless no file at all is DICOM (then the first error is thrown). Any other
 * error (truncated file) is thrown.
 */
function parseAll(loaded: Loaded[], options: ReadDicomSeriesOptions, progressScale: number): { infos: FileInfo[]; skipped: string[] } {
  const infos: FileInfo[] = []
  const skipped: string[] = []
  let firstError: DicomError | null = null
  for (let i = 0; i < loaded.length; i++) {
    options.signal?.throwIfAborted()
    let parsed: ParsedDicom
    try {
      parsed = parseDicomBytes(loaded[i].bytes, loaded[i].name)
    } catch (e) {
      if (e instanceof DicomError && e.code === 'NOT_DICOM') {
        firstError ??= e
        skipped.push(loaded[i].name)
        continue
      }
      throw e
    }
    infos.push(readFileInfo(parsed, i))
    options.onProgress?.(((i + 1) / loaded.length) * progressScale, `parsed ${i + 1}/${loaded.length}`)
  }
  if (infos.length === 0) throw firstError!
  return { infos, skipped }
}

function noPixelDataError(file: FileInfo): DicomError {
  const sop = sopClassName(file.sopClassUID)
  const what = sop ? `its SOP Class is ${sop} (${file.sopClassUID})` : file.sopClassUID ? `its SOP Class is ${file.sopClassUID}` : 'it has no SOP Class UID'
  return new DicomError('NO_PIXEL_DATA', `${file.parsed.name} has no Pixel Data (7FE0,0010): ${what}, which is not an image`)
}

/**
 * Lists the series among the files (grouped by SeriesInstanceUID (0020,000E), in order of first
 * appearance), so a UI can let the user choose one for {@link readDicomSeries}. Non-DICOM files are
 * skipped; an empty list or a list without any DICOM file throws {@link DicomError}.
 */
export async function listDicomSeries(files: DicomInput[], options: Pick<ReadDicomSeriesOptions, 'onProgress' | 'signal'> = {}): Promise<DicomSeriesSummary[]> {
  const loaded = await loadInputs(files, options.signal)
  const { infos } = parseAll(loaded, options, 1)
  const bySeries = new Map<string, FileInfo[]>()
  for (const f of infos) {
    const list = bySeries.get(f.seriesInstanceUID)
    if (list) list.push(f)
    else bySeries.set(f.seriesInstanceUID, [f])
  }
  return [...bySeries.entries()].map(([uid, list]) => {
    const first = list.find((f) => f.pixel) ?? list[0]
    return {
      seriesInstanceUID: uid,
      modality: first.modality,
      seriesDescription: first.seriesDescription,
      count: list.length,
      rows: first.rows,
      columns: first.columns,
      hasPixelData: list.some((f) => f.pixel !== undefined),
      sopClassName: sopClassName(first.sopClassUID) ?? first.sopClassUID,
    }
  })
}

/** One series found by {@link surveyDicomFiles}, with the input positions of its files. */
export interface DicomSurveySeries extends DicomSeriesSummary {
  files: number[]
}

/** The result of {@link surveyDicomFiles}: the series and the files that could not be read. */
export interface DicomSurvey {
  series: DicomSurveySeries[]
  /** Inputs that are not DICOM ('NOT_DICOM') or cannot be parsed ('TRUNCATED', …), with why. */
  unreadable: { index: number; name: string; code: string; message: string }[]
}

/**
 * Like {@link listDicomSeries}, but never fails on a bad file: every input is parsed on its own,
 * and a file that is not DICOM or is corrupt (truncated, unparsable) is returned in `unreadable`
 * with its error instead of failing the whole folder. A viewer can then read the chosen series
 * from the good files (`series[i].files`) and list the rest to the reader.
 */
export async function surveyDicomFiles(files: DicomInput[], options: Pick<ReadDicomSeriesOptions, 'onProgress' | 'signal'> = {}): Promise<DicomSurvey> {
  const loaded = await loadInputs(files, options.signal)
  const unreadable: DicomSurvey['unreadable'] = []
  const bySeries = new Map<string, { info: FileInfo; index: number }[]>()
  for (let i = 0; i < loaded.length; i++) {
    options.signal?.throwIfAborted()
    let info: FileInfo
    try {
      info = readFileInfo(parseDicomBytes(loaded[i].bytes, loaded[i].name), i)
    } catch (e) {
      unreadable.push({ index: i, name: loaded[i].name, code: e instanceof DicomError ? e.code : 'UNREADABLE', message: (e as Error).message || String(e) })
      continue
    }
    const list = bySeries.get(info.seriesInstanceUID)
    if (list) list.push({ info, index: i })
    else bySeries.set(info.seriesInstanceUID, [{ info, index: i }])
    options.onProgress?.((i + 1) / loaded.length, `parsed ${i + 1}/${loaded.length}`)
  }
  const series = [...bySeries.entries()].map(([uid, list]) => {
    const first = list.find((f) => f.info.pixel)?.info ?? list[0].info
    return {
      seriesInstanceUID: uid,
      modality: first.modality,
      seriesDescription: first.seriesDescription,
      count: list.length,
      rows: first.rows,
      columns: first.columns,
      hasPixelData: list.some((f) => f.info.pixel !== undefined),
      sopClassName: sopClassName(first.sopClassUID) ?? first.sopClassUID,
      files: list.map((f) => f.index),
    }
  })
  return { series, unreadable }
}

function selectSeries(infos: FileInfo[], uid: string | undefined): FileInfo[] {
  if (uid !== undefined) {
    const list = infos.filter((f) => f.seriesInstanceUID === uid)
    if (list.length === 0) {
      const found = [...new Set(infos.map((f) => f.seriesInstanceUID))]
      throw new DicomError('SERIES_NOT_FOUND', `No file belongs to series ${uid}; the files hold ${found.length} series: ${found.join(', ')}`)
    }
    const images = list.filter((f) => f.pixel)
    if (images.length === 0) throw noPixelDataError(list[0])
    return images
  }
  const firstImage = infos.find((f) => f.pixel)
  if (!firstImage) throw noPixelDataError(infos[0])
  return infos.filter((f) => f.pixel && f.seriesInstanceUID === firstImage.seriesInstanceUID)
}

const ORIENTATION_TOLERANCE = 1e-4

function checkConsistent(frames: FrameInfo[]): void {
  const a = frames[0]
  for (const b of frames) {
    const fa = a.file
    const fb = b.file
    const diff = (what: string, va: unknown, vb: unknown) =>
      new DicomError('INCONSISTENT_SERIES', `Slices of series ${fa.seriesInstanceUID || '(no SeriesInstanceUID)'} differ in ${what}: ${fa.parsed.name} has ${va}, ${fb.parsed.name} has ${vb}`)
    if (fa.rows !== fb.rows || fa.columns !== fb.columns) throw diff('size (Rows×Columns)', `${fa.rows}×${fa.columns}`, `${fb.rows}×${fb.columns}`)
    if (fa.samplesPerPixel !== fb.samplesPerPixel) throw diff('SamplesPerPixel', fa.samplesPerPixel, fb.samplesPerPixel)
    if (fa.bitsAllocated !== fb.bitsAllocated) throw diff('BitsAllocated', fa.bitsAllocated, fb.bitsAllocated)
    if (a.orientation && b.orientation) {
      for (let k = 0; k < 6; k++) {
        if (Math.abs(a.orientation[k] - b.orientation[k]) > ORIENTATION_TOLERANCE) {
          throw diff('orientation (ImageOrientationPatient)', a.orientation.join('\\'), b.orientation.join('\\'))
        }
      }
    } else if (!a.orientation !== !b.orientation) {
      throw diff('orientation (ImageOrientationPatient)', a.orientation ? a.orientation.join('\\') : 'none', b.orientation ? b.orientation.join('\\') : 'none')
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
    if (dz > 0 && maxDev > 1e-3 * dz + 1e-4) {
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
  return { sorted, origin, spacing, direction, notes, sortMethod, sliceSpacingSource }
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
      decodeStoredFrame(sorted[z].file, sorted[z].frame, scratch)
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
      const view = storedFrameView(s.file, s.frame)
      if (!view) decodeStoredFrame(s.file, s.frame, scratch)
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

interface ItkWasmReason {
  code: 'UNSUPPORTED_TRANSFER_SYNTAX' | 'UNSUPPORTED_PIXEL_FORMAT'
  /** e.g. 'transfer syntax JPEG 2000 Image Compression (1.2.840.10008.1.2.4.91)'. */
  what: string
}

/**
 * Why a file must go to itk-wasm (GDCM), or null when the native decoder handles it: compressed
 * transfer syntaxes, and native ones whose pixels need more than copying — BitsAllocated 1 (bit
 * packed), YBR colour (GDCM converts to RGB, 4:2:2 is subsampled), PALETTE COLOR (GDCM applies the LUT).
 */
function itkWasmReason(f: FileInfo): ItkWasmReason | null {
  const ts = f.parsed.transferSyntaxUID
  if (!NATIVE_TRANSFER_SYNTAXES.has(ts) && ts !== TS_RLE) return { code: 'UNSUPPORTED_TRANSFER_SYNTAX', what: `transfer syntax ${describeTransferSyntax(ts)}` }
  const pi = f.photometricInterpretation
  if (f.bitsAllocated === 1 || pi.startsWith('YBR') || pi === 'PALETTE COLOR') {
    return { code: 'UNSUPPORTED_PIXEL_FORMAT', what: `pixel format ${pi}, BitsAllocated ${f.bitsAllocated}` }
  }
  return null
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
    const detail = /^\d*$/.test(why) ? 'the decoder rejected the compressed pixel data (corrupt or non-conformant stream)' : why.split('\n').slice(-3).join(' ')
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

function buildMetadata(series: FileInfo[], geo: Geometry, decoder: string, skipped: string[]): Metadata {
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
  if (skipped.length > 0) notes.push(`Skipped ${skipped.length} non-DICOM file(s): ${skipped.join(', ')}`)
  if (notes.length > 0) m.set('ReaderNotes', notes)
  return m
}

/**
 * Reads one DICOM series into a 3D image, following ITK's `ImageSeriesReader` + `GDCMImageIO`
 * (and GDCM's IPP sorter) conventions:
 * - files are grouped by SeriesInstanceUID; the series of the first image file is read unless
 *   `options.seriesInstanceUID` names another (see {@link listDicomSeries});
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
 * Throws {@link DicomError}: EMPTY_INPUT, NOT_DICOM, TRUNCATED, NO_PIXEL_DATA, INCONSISTENT_SERIES,
 * SERIES_NOT_FOUND, UNSUPPORTED_TRANSFER_SYNTAX, UNSUPPORTED_PIXEL_FORMAT.
 */
export async function readDicomSeries(files: DicomInput[], options: ReadDicomSeriesOptions = {}): Promise<Image> {
  if (options.onProgress) {
    // Never report going backwards (the int16 → float32 rewrite restarts the slice loop).
    const report = options.onProgress
    let last = -1
    options = { ...options, onProgress: (f, m) => { if (f >= last) { last = f; report(f, m) } } }
  }
  const loaded = await loadInputs(files, options.signal)
  const { infos, skipped } = parseAll(loaded, options, 0.3)
  const series = selectSeries(infos, options.seriesInstanceUID)
  const frames = series.flatMap(readFrames)
  checkConsistent(frames)
  const geo = computeGeometry(frames)
  const reason = series.map(itkWasmReason).find((r) => r !== null) ?? null
  const native = reason === null
  options.signal?.throwIfAborted()
  let decodedData: { data: TypedArray; components: number }
  if (native) {
    decodedData = decodeNative(geo.sorted, options, 0.3)
  } else {
    options.onProgress?.(0.3, `decoding ${reason.what} with itk-wasm`)
    decodedData = await decodeCompressed(geo.sorted, options, reason)
    options.onProgress?.(1, 'decoded')
  }
  const f0 = geo.sorted[0].file
  const metadata = buildMetadata(series, geo, native ? (f0.parsed.transferSyntaxUID === TS_RLE ? 'native RLE (PS3.5 Annex G)' : 'native (dicom-parser)') : 'itk-wasm (GDCM)', skipped)
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
