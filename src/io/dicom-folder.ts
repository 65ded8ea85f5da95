/**
 * A folder of DICOM files as a viewer receives it: every file is parsed on its own, and a file that
 * cannot be one slice of an image series is set aside with a reason instead of failing the folder
 * (as ITK's GDCMSeriesFileNames and DCMTK's series tools skip what they cannot read). The series
 * are grouped by SeriesInstanceUID (0020,000E) and ordered so that the choice of the default
 * series never depends on the order of the files: the image series with the most slices first,
 * ties broken by the smaller SeriesInstanceUID (string order).
 *
 * Skip reasons (`code`): the parse errors of {@link parseDicomBytes} (NOT_DICOM, TRUNCATED,
 * NESTING_TOO_DEEP, …); NOT_AN_IMAGE (an RT Plan, SR, Presentation State… : no Pixel Data and a
 * non-image SOP class); NO_PIXEL_DATA (an image object whose Pixel Data is missing);
 * UNSUPPORTED_TRANSFER_SYNTAX / UNSUPPORTED_PIXEL_FORMAT; TRUNCATED pixel data;
 * DUPLICATE_SLICE (a second copy of a SOP instance, or of a slice at the same position with the
 * same pixels); INCONSISTENT_SERIES (a slice whose size, pixel spacing, orientation or pixel format
 * differs from the series majority).
 */
import { checkCodestreams } from './dicom-codestream'
import { DicomError, type DicomErrorCode } from './dicom-errors'
import { NATIVE_TRANSFER_SYNTAXES, parseDicomBytes } from './dicom-parse'
import { checkNativePixelFormat } from './dicom-pixels'
import { TS_RLE } from './dicom-rle'
import { checkFrameCount, dot, readFileInfo, str, type FileInfo, type FrameInfo } from './dicom-slices'
import { describeTransferSyntax, sopClassName } from './dicom-tags'

/** Why a file was set aside: a {@link DicomErrorCode}, or DUPLICATE_SLICE. */
export type DicomSkipCode = DicomErrorCode | 'DUPLICATE_SLICE'

/** A file that was not used, with why. */
export interface DicomSkippedFile {
  /** Position of the file in the caller's list. */
  index: number
  /** The File's name, or 'file #i'. */
  name: string
  code: DicomSkipCode
  /** Plain-words reason, naming the file. */
  message: string
}

export interface LoadedFile {
  name: string
  bytes: Uint8Array
  /** Set when the input's bytes could not be obtained (READ_FAILED). */
  error?: DicomError
}

/** One series of a folder. */
export interface SeriesGroup {
  uid: string
  /** Every file of the series that could be parsed, in input order. */
  files: FileInfo[]
  /** The files usable as slices (pixel data, decodable, not a duplicate), in input order. */
  images: FileInfo[]
  /** Frames of `images` (a single-frame file counts 1). */
  slices: number
}

export interface FolderSurvey {
  /** Image series by slices (most first, ties by SeriesInstanceUID), then series without images. */
  groups: SeriesGroup[]
  /** Files set aside, in input order. */
  skipped: DicomSkippedFile[]
  /** The error of each skipped file (by input index), to throw when nothing can be read. */
  errors: Map<number, DicomError>
}

/**
 * Compressed transfer syntaxes handed to itk-wasm's GDCM (PS3.5 §A.4: JPEG, JPEG-LS, JPEG 2000):
 * the ones GDCM's pixel decoders handle in @itk-wasm/dicom 7.6 (its UID table also lists MPEG
 * video and JPIP, which carry no decodable frames, and has no HTJ2K). Others are skipped as
 * UNSUPPORTED_TRANSFER_SYNTAX before any decoding.
 */
export const ITK_WASM_TRANSFER_SYNTAXES = new Set([
  '1.2.840.10008.1.2.4.50', '1.2.840.10008.1.2.4.51', '1.2.840.10008.1.2.4.57', '1.2.840.10008.1.2.4.70',
  // Retired JPEG processes 3/5, 6/8, 10/12 (still in GDCM's table).
  '1.2.840.10008.1.2.4.52', '1.2.840.10008.1.2.4.53', '1.2.840.10008.1.2.4.55',
  '1.2.840.10008.1.2.4.80', '1.2.840.10008.1.2.4.81',
  '1.2.840.10008.1.2.4.90', '1.2.840.10008.1.2.4.91', '1.2.840.10008.1.2.4.92', '1.2.840.10008.1.2.4.93',
])

export interface ItkWasmReason {
  code: 'UNSUPPORTED_TRANSFER_SYNTAX' | 'UNSUPPORTED_PIXEL_FORMAT'
  /** e.g. 'transfer syntax JPEG 2000 Image Compression (1.2.840.10008.1.2.4.91)'. */
  what: string
}

/**
 * Why a file must go to itk-wasm (GDCM), or null when the native decoder handles it: compressed
 * transfer syntaxes, and native ones whose pixels need more than copying — BitsAllocated 1 (bit
 * packed), YBR colour (GDCM converts to RGB, 4:2:2 is subsampled), PALETTE COLOR (GDCM applies the LUT).
 */
export function itkWasmReason(f: FileInfo): ItkWasmReason | null {
  const ts = f.parsed.transferSyntaxUID
  if (!NATIVE_TRANSFER_SYNTAXES.has(ts) && ts !== TS_RLE) return { code: 'UNSUPPORTED_TRANSFER_SYNTAX', what: `transfer syntax ${describeTransferSyntax(ts)}` }
  const pi = f.photometricInterpretation
  if (f.bitsAllocated === 1 || pi.startsWith('YBR') || pi === 'PALETTE COLOR') {
    return { code: 'UNSUPPORTED_PIXEL_FORMAT', what: `pixel format ${pi}, BitsAllocated ${f.bitsAllocated}` }
  }
  return null
}

// SOP classes that hold an image (PS3.4 Annex B storage classes named "… Image Storage", and the
// image-like RT Dose, Segmentation and Parametric Map objects).
const IMAGE_SOP_CLASS = /Image Storage|RT Dose Storage|Segmentation Storage|Parametric Map Storage/i

/**
 * The error for a file without Pixel Data: NO_PIXEL_DATA when it is an image object (image SOP
 * class, or Rows/Columns set) whose pixels are missing, NOT_AN_IMAGE for objects that never hold
 * pixels (RT Plan, SR, Presentation State, …).
 */
export function noPixelDataError(file: FileInfo): DicomError {
  const name = file.parsed.name
  const sop = sopClassName(file.sopClassUID)
  const sopText = sop ? `${sop} (${file.sopClassUID})` : file.sopClassUID
  const isImage = sop ? IMAGE_SOP_CLASS.test(sop) : file.rows > 0 && file.columns > 0
  if (isImage) {
    const what = sop ? `a ${sop} object` : `a ${file.columns}×${file.rows} image (Columns×Rows)`
    return new DicomError('NO_PIXEL_DATA', `${name} is ${what} but has no Pixel Data (7FE0,0010): its pixels are missing (removed, or the file was cut short before them)`)
  }
  const why = sopText ? `its SOP Class is ${sopText}, an object that holds no Pixel Data (7FE0,0010)` : 'it has no Pixel Data (7FE0,0010), no Rows/Columns and no SOP Class UID'
  return new DicomError('NOT_AN_IMAGE', `${name} is not an image: ${why}`)
}

// ImagePositionPatient, ImageOrientationPatient, PixelSpacing, RescaleIntercept, RescaleSlope, NumberOfFrames.
const GEOMETRY_TAGS = ['x00200032', 'x00200037', 'x00280030', 'x00281052', 'x00281053', 'x00280008']

/** Why an image file cannot be a slice (before any pixel is decoded), or null. */
function imageProblem(f: FileInfo): DicomError | null {
  if (!f.pixel) return noPixelDataError(f)
  try {
    checkFrameCount(f)
    const ts = f.parsed.transferSyntaxUID
    if (!NATIVE_TRANSFER_SYNTAXES.has(ts) && ts !== TS_RLE && !ITK_WASM_TRANSFER_SYNTAXES.has(ts)) {
      return new DicomError('UNSUPPORTED_TRANSFER_SYNTAX', `${f.parsed.name}: transfer syntax ${describeTransferSyntax(ts)} is not supported (neither the built-in decoder nor itk-wasm's GDCM reads it)`)
    }
    if (ITK_WASM_TRANSFER_SYNTAXES.has(ts) && f.pixel.encapsulatedPixelData) checkCodestreams(f)
    if (itkWasmReason(f) === null) checkNativePixelFormat(f)
    else if (NATIVE_TRANSFER_SYNTAXES.has(ts)) checkNativeBytesForGdcm(f)
  } catch (e) {
    if (e instanceof DicomError) return e
    throw e
  }
  return null
}

/**
 * Uncompressed pixel data that goes to GDCM (1-bit, YBR, PALETTE COLOR) must hold the bytes its
 * header declares: GDCM allocates Rows × Columns × … and reads past what the file holds (a 20 KB
 * YBR_FULL_422 file claiming 16000×16000 was "read" as a 16000×16000 image at 2.3 GB peak).
 * Sizes as PS3.5 §8.1.1 (bit-packed 1-bit frames) and PS3.3 C.7.6.3.1.2 (4:2:2: two samples per pixel).
 */
function checkNativeBytesForGdcm(f: FileInfo): void {
  const px = f.pixel!
  const pixels = f.rows * f.columns * f.frames
  const pi = f.photometricInterpretation
  const need =
    f.bitsAllocated === 1 ? Math.ceil((pixels * f.samplesPerPixel) / 8)
      : pixels * (pi === 'YBR_FULL_422' || pi === 'YBR_PARTIAL_422' ? 2 : f.samplesPerPixel) * Math.max(1, f.bitsAllocated >> 3)
  const have = Math.min(px.length, f.parsed.byteArray.length - px.dataOffset)
  if (have < need) {
    throw new DicomError(
      'TRUNCATED',
      `${f.parsed.name} is truncated: its Pixel Data (7FE0,0010) has ${have} bytes but ${f.columns}×${f.rows}${f.frames > 1 ? `×${f.frames} frames` : ''} ${pi} at ${f.bitsAllocated} bit(s) needs ${need} (${need - have} bytes missing)`,
    )
  }
}

/** Order of files that does not depend on the input order (name, then position as a last resort). */
export function byName(a: FileInfo, b: FileInfo): number {
  return a.parsed.name < b.parsed.name ? -1 : a.parsed.name > b.parsed.name ? 1 : a.index - b.index
}

/**
 * Parses every file, sets aside the ones that cannot be slices, drops second copies of a SOP
 * instance, and groups the rest by series (see the module comment for the order).
 */
export function surveyLoaded(loaded: LoadedFile[], onFile?: (done: number, total: number) => void, signal?: AbortSignal): FolderSurvey {
  const skipped: DicomSkippedFile[] = []
  const errors = new Map<number, DicomError>()
  const skip = (index: number, code: DicomSkipCode, message: string, error?: DicomError) => {
    skipped.push({ index, name: loaded[index].name, code, message })
    if (error) errors.set(index, error)
  }
  const bySeries = new Map<string, { files: FileInfo[]; candidates: FileInfo[] }>()
  for (let i = 0; i < loaded.length; i++) {
    signal?.throwIfAborted()
    let info: FileInfo
    const readError = loaded[i].error
    if (readError) {
      skip(i, readError.code, readError.message, readError)
      continue
    }
    try {
      info = readFileInfo(parseDicomBytes(loaded[i].bytes, loaded[i].name), i)
    } catch (e) {
      const err = e instanceof DicomError ? e : new DicomError('NOT_DICOM', `${loaded[i].name} could not be read: ${(e as Error)?.message ?? String(e)}`)
      skip(i, err.code, err.message, err)
      continue
    }
    let g = bySeries.get(info.seriesInstanceUID)
    if (!g) bySeries.set(info.seriesInstanceUID, (g = { files: [], candidates: [] }))
    g.files.push(info)
    const problem = imageProblem(info)
    if (problem) skip(i, problem.code, problem.message, problem)
    else g.candidates.push(info)
    onFile?.(i + 1, loaded.length)
  }
  // A SOP instance given twice (the same file copied into the folder, same pixels and geometry):
  // keep the first by name. Two files that share a SOPInstanceUID but differ are both kept and
  // go through the series checks like any two slices.
  const bySop = new Map<string, FileInfo[]>()
  const duplicates = new Set<FileInfo>()
  const sameCopy = (a: FileInfo, b: FileInfo) =>
    GEOMETRY_TAGS.every((k) => str(a.parsed.dataSet, k) === str(b.parsed.dataSet, k)) && a.rows === b.rows && a.columns === b.columns && samePixelBytes(a, b)
  for (const g of bySeries.values()) {
    for (const f of [...g.candidates].sort(byName)) {
      if (!f.sopInstanceUID) continue
      const seen = bySop.get(f.sopInstanceUID)
      const kept = seen?.find((k) => sameCopy(k, f))
      if (!seen) bySop.set(f.sopInstanceUID, [f])
      else if (!kept) seen.push(f)
      else {
        duplicates.add(f)
        skip(f.index, 'DUPLICATE_SLICE', `${f.parsed.name} was left out: it has the same SOPInstanceUID (${f.sopInstanceUID}) as ${kept.parsed.name}, and the same pixels and geometry, so it is a second copy of that slice`)
      }
    }
  }
  skipped.sort((a, b) => a.index - b.index)
  const groups: SeriesGroup[] = [...bySeries.entries()].map(([uid, g]) => {
    const images = g.candidates.filter((f) => !duplicates.has(f))
    return { uid, files: g.files, images, slices: images.reduce((n, f) => n + f.frames, 0) }
  })
  groups.sort((a, b) => {
    const ia = a.images.length > 0 ? 0 : 1
    const ib = b.images.length > 0 ? 0 : 1
    return ia - ib || b.slices - a.slices || (a.uid < b.uid ? -1 : a.uid > b.uid ? 1 : 0)
  })
  return { groups, skipped, errors }
}

/** The error to throw when no file can be read as an image: the first file's, with a count of the rest. */
export function nothingReadableError(survey: FolderSurvey, total: number): DicomError {
  const first = survey.skipped[0]
  const err = survey.errors.get(first.index) ?? new DicomError(first.code as DicomErrorCode, first.message)
  if (total === 1) return err
  const counts = new Map<string, number>()
  for (const s of survey.skipped) counts.set(s.code, (counts.get(s.code) ?? 0) + 1)
  const summary = [...counts].map(([c, n]) => `${n} ${c}`).join(', ')
  return new DicomError(err.code, `None of the ${total} files is a readable DICOM image (${summary}); the first: ${err.message}`)
}

/** The chosen series and how it was chosen (for the image's metadata). */
export function chooseSeries(survey: FolderSurvey, total: number, uid: string | undefined): { group: SeriesGroup; selection: string } {
  if (uid !== undefined) {
    const group = survey.groups.find((g) => g.uid === uid)
    if (!group) {
      const found = survey.groups.map((g) => g.uid)
      const bad = survey.skipped.filter((s) => !survey.groups.some((g) => g.files.some((f) => f.index === s.index))).length
      throw new DicomError(
        'SERIES_NOT_FOUND',
        `No file belongs to series ${uid}; the files hold ${found.length} series: ${found.join(', ')}${bad ? ` (${bad} file(s) could not be read and were not counted)` : ''}`,
      )
    }
    if (group.images.length === 0) {
      // Every file of the series was set aside: say why, from the first of them.
      const first = group.files.map((f) => survey.errors.get(f.index)).find((e) => e)
      throw first ?? noPixelDataError(group.files[0])
    }
    return { group, selection: `series ${uid}, as requested` }
  }
  const images = survey.groups.filter((g) => g.images.length > 0)
  if (images.length === 0) {
    throw nothingReadableError(survey, total)
  }
  const group = images[0]
  if (images.length === 1) return { group, selection: 'the only image series among the files' }
  const tie = images[1].slices === group.slices
  return {
    group,
    selection: `the series with the most slices (${group.slices}) of ${images.length} image series${tie ? `; ${images.filter((g) => g.slices === group.slices).length} series have ${group.slices} slices, the one with the smallest SeriesInstanceUID was taken` : ''}`,
  }
}

const ORIENTATION_TOLERANCE = 1e-4
const SPACING_TOLERANCE = 1e-4

/** The first way frame b differs from frame a in a way that cannot share one volume, or null. */
export function sliceDifference(a: FrameInfo, b: FrameInfo): { what: string; a: string; b: string } | null {
  const fa = a.file
  const fb = b.file
  if (fa.rows !== fb.rows || fa.columns !== fb.columns) return { what: 'size (Rows×Columns)', a: `${fa.rows}×${fa.columns}`, b: `${fb.rows}×${fb.columns}` }
  if (fa.samplesPerPixel !== fb.samplesPerPixel) return { what: 'SamplesPerPixel', a: String(fa.samplesPerPixel), b: String(fb.samplesPerPixel) }
  if (fa.bitsAllocated !== fb.bitsAllocated) return { what: 'BitsAllocated', a: String(fa.bitsAllocated), b: String(fb.bitsAllocated) }
  const ps = (f: FrameInfo) => (f.pixelSpacing ? f.pixelSpacing.join('\\') : 'none')
  if (!a.pixelSpacing !== !b.pixelSpacing) return { what: 'pixel spacing (PixelSpacing)', a: ps(a), b: ps(b) }
  if (a.pixelSpacing && b.pixelSpacing) {
    for (let k = 0; k < 2; k++) {
      if (Math.abs(a.pixelSpacing[k] - b.pixelSpacing[k]) > SPACING_TOLERANCE * Math.max(a.pixelSpacing[k], b.pixelSpacing[k])) return { what: 'pixel spacing (PixelSpacing)', a: ps(a), b: ps(b) }
    }
  }
  const io = (f: FrameInfo) => (f.orientation ? f.orientation.join('\\') : 'none')
  if (!a.orientation !== !b.orientation) return { what: 'orientation (ImageOrientationPatient)', a: io(a), b: io(b) }
  if (a.orientation && b.orientation) {
    for (let k = 0; k < 6; k++) if (Math.abs(a.orientation[k] - b.orientation[k]) > ORIENTATION_TOLERANCE) return { what: 'orientation (ImageOrientationPatient)', a: io(a), b: io(b) }
  }
  return null
}

function inconsistent(uid: string, a: FrameInfo, b: FrameInfo, d: { what: string; a: string; b: string }): DicomError {
  return new DicomError('INCONSISTENT_SERIES', `Slices of series ${uid || '(no SeriesInstanceUID)'} differ in ${d.what}: ${a.file.parsed.name} has ${d.a}, ${b.file.parsed.name} has ${d.b}`)
}

/**
 * Keeps the files that agree with the series majority in size, pixel spacing, orientation and
 * pixel format (counted in frames; files compared by their first frame), and returns the others
 * as skipped with INCONSISTENT_SERIES — a stray localizer or a slice of another reconstruction that
 * shares the SeriesInstanceUID. With no single largest group (e.g. 1 file against 1), or with
 * `exclude` false, it throws INCONSISTENT_SERIES instead of guessing.
 */
export function keepMajority(uid: string, perFile: FrameInfo[][], exclude: boolean): { kept: FrameInfo[][]; skipped: DicomSkippedFile[] } {
  const clusters: { rep: FrameInfo; files: FrameInfo[][]; frames: number }[] = []
  for (const frames of [...perFile].sort((x, y) => byName(x[0].file, y[0].file))) {
    const c = clusters.find((k) => sliceDifference(k.rep, frames[0]) === null)
    if (c) {
      c.files.push(frames)
      c.frames += frames.length
    } else clusters.push({ rep: frames[0], files: [frames], frames: frames.length })
  }
  if (clusters.length === 1) return { kept: perFile, skipped: [] }
  clusters.sort((x, y) => y.frames - x.frames)
  const [major, second] = clusters
  if (!exclude || major.frames === second.frames) throw inconsistent(uid, major.rep, second.rep, sliceDifference(major.rep, second.rep)!)
  const keptSet = new Set(major.files)
  const skipped: DicomSkippedFile[] = []
  for (const c of clusters.slice(1)) {
    const d = sliceDifference(major.rep, c.rep)!
    for (const frames of c.files) {
      const f = frames[0].file
      skipped.push({
        index: f.index,
        name: f.parsed.name,
        code: 'INCONSISTENT_SERIES',
        message: `${f.parsed.name} was left out of series ${uid || '(no SeriesInstanceUID)'}: its ${d.what} is ${d.b}, while ${major.frames} of the series' slices have ${d.a}`,
      })
    }
  }
  return { kept: perFile.filter((x) => keptSet.has(x)), skipped }
}

function samePixels(fa: FrameInfo, fb: FrameInfo): boolean {
  return fa.slope === fb.slope && fa.intercept === fb.intercept && samePixelBytes(fa.file, fb.file)
}

/** The two files' Pixel Data bytes (all fragments, for encapsulated data) are identical. */
function samePixelBytes(a: FileInfo, b: FileInfo): boolean {
  const pa = a.pixel!
  const pb = b.pixel!
  const ra = pa.encapsulatedPixelData ? pa.fragments ?? [] : [{ position: pa.dataOffset, length: pa.length }]
  const rb = pb.encapsulatedPixelData ? pb.fragments ?? [] : [{ position: pb.dataOffset, length: pb.length }]
  if (ra.length !== rb.length) return false
  const ba = a.parsed.byteArray
  const bb = b.parsed.byteArray
  for (let k = 0; k < ra.length; k++) {
    const x = ra[k] as { position: number; length: number; offset?: number }
    const y = rb[k] as { position: number; length: number; offset?: number }
    if (x.length !== y.length) return false
    for (let i = 0; i < x.length; i++) if (ba[x.position + i] !== bb[y.position + i]) return false
  }
  return true
}

/**
 * Single-frame slices at the same position along the slice normal (within 1 µm): a copy with the
 * same pixels (and rescale) is dropped as DUPLICATE_SLICE, keeping the first by file name; slices at
 * one position with different pixels (several echoes, phases or acquisitions under one
 * SeriesInstanceUID) cannot form one volume and throw INCONSISTENT_SERIES.
 */
export function dropDuplicatePositions(uid: string, perFile: FrameInfo[][], normal: number[]): { kept: FrameInfo[][]; skipped: DicomSkippedFile[] } {
  const at = new Map<number, FrameInfo[]>()
  for (const frames of perFile) {
    if (frames.length !== 1 || !frames[0].position) continue
    const key = Math.round(dot(frames[0].position, normal) * 1000)
    const list = at.get(key)
    if (list) list.push(frames[0])
    else at.set(key, [frames[0]])
  }
  const drop = new Set<FileInfo>()
  const skipped: DicomSkippedFile[] = []
  for (const [key, list] of at) {
    if (list.length < 2) continue
    const sorted = [...list].sort((x, y) => byName(x.file, y.file))
    const kept: FrameInfo[] = [sorted[0]]
    for (const fr of sorted.slice(1)) {
      const f = fr.file
      const twin = kept.find((k) => samePixels(k, fr))?.file
      if (!twin) {
        throw new DicomError(
          'INCONSISTENT_SERIES',
          `${kept[0].file.parsed.name} and ${f.parsed.name} of series ${uid || '(no SeriesInstanceUID)'} are at the same position (${(key / 1000).toFixed(3)} mm along the slice normal) but hold different pixels: the series mixes several acquisitions (echoes, phases or repeated scans), which do not make one volume`,
        )
      }
      drop.add(f)
      skipped.push({ index: f.index, name: f.parsed.name, code: 'DUPLICATE_SLICE', message: `${f.parsed.name} was left out: it is at the same position as ${twin.parsed.name} (${(key / 1000).toFixed(3)} mm along the slice normal) with the same pixels, so it is a second copy of that slice` })
    }
  }
  return { kept: perFile.filter((frames) => !drop.has(frames[0].file)), skipped }
}
