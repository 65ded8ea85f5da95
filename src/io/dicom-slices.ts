/**
 * Per-file header facts the series reader needs (PS3.3 C.7.6.2 Image Plane, C.7.6.3 Image Pixel,
 * C.11.1 Modality LUT, C.7.6.16 Multi-frame Functional Groups), read from a parsed data set.
 */
import type { DataSet, Element } from 'dicom-parser'
import type { ParsedDicom } from './dicom-parse'
import { pixelDataElement } from './dicom-parse'
import { DicomError } from './dicom-errors'

export interface FileInfo {
  /** Position of the file in the caller's list. */
  index: number
  parsed: ParsedDicom
  seriesInstanceUID: string
  modality: string
  seriesDescription: string
  sopClassUID: string
  /** SOPInstanceUID (0008,0018), '' when absent. */
  sopInstanceUID: string
  instanceNumber: number | undefined
  rows: number
  columns: number
  frames: number
  samplesPerPixel: number
  planarConfiguration: number
  bitsAllocated: number
  bitsStored: number
  highBit: number
  /** 0 unsigned, 1 two's complement. */
  pixelRepresentation: number
  photometricInterpretation: string
  pixel: Element | undefined
}

/** Geometry and rescale of one frame (a single-frame file has one). */
export interface FrameInfo {
  file: FileInfo
  frame: number
  position: number[] | undefined
  orientation: number[] | undefined
  /** [row spacing, column spacing] as in PixelSpacing (0028,0030). */
  pixelSpacing: number[] | undefined
  pixelSpacingSource: string
  sliceThickness: number | undefined
  spacingBetweenSlices: number | undefined
  slope: number
  intercept: number
}

export function str(ds: DataSet | undefined, key: string): string | undefined {
  if (!ds || !ds.elements[key]) return undefined
  const s = ds.string(key)
  return s === undefined ? undefined : s.replace(/\0/g, '').trim()
}

/** Numbers of a DS/IS (backslash-separated) element; undefined when absent or not numeric. */
export function nums(ds: DataSet | undefined, key: string): number[] | undefined {
  const s = str(ds, key)
  if (!s) return undefined
  const v = s.split('\\').map((x) => Number(x.trim()))
  return v.every(Number.isFinite) ? v : undefined
}

function num(ds: DataSet | undefined, key: string): number | undefined {
  return nums(ds, key)?.[0]
}

function us(ds: DataSet, key: string): number | undefined {
  return ds.elements[key] && ds.elements[key].length >= 2 ? ds.uint16(key) : undefined
}

export function readFileInfo(parsed: ParsedDicom, index: number): FileInfo {
  const ds = parsed.dataSet
  const bitsAllocated = us(ds, 'x00280100') ?? 0
  const bitsStored = us(ds, 'x00280101') ?? bitsAllocated
  return {
    index,
    parsed,
    seriesInstanceUID: str(ds, 'x0020000e') ?? '',
    modality: str(ds, 'x00080060') ?? '',
    seriesDescription: str(ds, 'x0008103e') ?? '',
    sopClassUID: str(ds, 'x00080016') ?? str(ds, 'x00020002') ?? '',
    sopInstanceUID: str(ds, 'x00080018') ?? '',
    instanceNumber: num(ds, 'x00200013'),
    rows: us(ds, 'x00280010') ?? 0,
    columns: us(ds, 'x00280011') ?? 0,
    frames: Math.max(1, Math.round(num(ds, 'x00280008') ?? 1)),
    samplesPerPixel: us(ds, 'x00280002') ?? 1,
    planarConfiguration: us(ds, 'x00280006') ?? 0,
    bitsAllocated,
    bitsStored,
    highBit: us(ds, 'x00280102') ?? bitsStored - 1,
    pixelRepresentation: us(ds, 'x00280103') ?? 0,
    photometricInterpretation: str(ds, 'x00280004') ?? '',
    pixel: pixelDataElement(parsed),
  }
}

/** Item `i` of a sequence element, as a data set. */
function item(ds: DataSet | undefined, key: string, i = 0): DataSet | undefined {
  return ds?.elements[key]?.items?.[i]?.dataSet
}

/**
 * A functional-group attribute of frame `frame` (PS3.3 C.7.6.16): the Per-frame Functional Groups
 * Sequence item wins over the Shared one.
 */
function groupDataSet(ds: DataSet, frame: number, macroKey: string, attrKey: string): DataSet | undefined {
  const perFrame = item(item(ds, 'x52009230', frame), macroKey)
  if (perFrame?.elements[attrKey]) return perFrame
  const shared = item(item(ds, 'x52009229'), macroKey)
  if (shared?.elements[attrKey]) return shared
  return undefined
}

function frameNums(ds: DataSet, frame: number, macroKey: string, attrKey: string): number[] | undefined {
  const g = groupDataSet(ds, frame, macroKey, attrKey)
  return g ? nums(g, attrKey) : nums(ds, attrKey)
}

export function cross(a: number[], b: number[]): number[] {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]]
}

export function dot(a: number[], b: number[]): number {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]
}

/**
 * Refuses image dimensions the pixel data cannot hold, before anything per frame is built: a
 * 39-byte-per-frame file claiming NumberOfFrames = 10⁷ would otherwise build ten million frame
 * records. Native data must hold frames × frame bytes; encapsulated data needs at least one
 * fragment per frame (PS3.5 A.4) or a Basic Offset Table entry per frame.
 */
export function checkFrameCount(file: FileInfo): void {
  const name = file.parsed.name
  const px = file.pixel
  if (!px) return
  if (!(file.rows > 0 && file.columns > 0)) {
    throw new DicomError('UNSUPPORTED_PIXEL_FORMAT', `${name}: Rows (0028,0010) = ${file.rows} and Columns (0028,0011) = ${file.columns}; an image needs at least one of each`)
  }
  if (px.encapsulatedPixelData) {
    const fragments = px.fragments?.length ?? 0
    const offsets = px.basicOffsetTable?.length ?? 0
    if (file.frames > Math.max(fragments, offsets)) {
      throw new DicomError('TRUNCATED', `${name}: NumberOfFrames (0028,0008) is ${file.frames} but its encapsulated Pixel Data holds only ${fragments} fragment(s); the file is truncated or its header is wrong`)
    }
    return
  }
  const frameBytes = file.rows * file.columns * file.samplesPerPixel * Math.max(1, file.bitsAllocated >> 3)
  const have = Math.min(px.length, file.parsed.byteArray.length - px.dataOffset)
  if (file.frames > 1 && file.frames * frameBytes > have) {
    throw new DicomError('TRUNCATED', `${name}: NumberOfFrames (0028,0008) is ${file.frames}, which needs ${file.frames * frameBytes} bytes of Pixel Data, but the file holds ${have} (room for ${Math.floor(have / frameBytes)} frame(s))`)
  }
}

/** Frames of a file with their geometry and Modality LUT rescale. */
export function readFrames(file: FileInfo): FrameInfo[] {
  checkFrameCount(file)
  const ds = file.parsed.dataSet
  const out: FrameInfo[] = []
  const gridOffsets = nums(ds, 'x3004000c') // RT Dose Grid Frame Offset Vector, PS3.3 C.8.8.3.2
  for (let f = 0; f < file.frames; f++) {
    let position = frameNums(ds, f, 'x00209113', 'x00200032')
    const orientation = frameNums(ds, f, 'x00209116', 'x00200037')
    let pixelSpacing = frameNums(ds, f, 'x00289110', 'x00280030')
    let pixelSpacingSource = 'PixelSpacing'
    if (!pixelSpacing) {
      pixelSpacing = nums(ds, 'x00181164') // Imager Pixel Spacing (projection radiography)
      pixelSpacingSource = pixelSpacing ? 'ImagerPixelSpacing' : 'none (1 mm assumed)'
    }
    const sliceThickness = frameNums(ds, f, 'x00289110', 'x00180050')?.[0]
    const spacingBetweenSlices = frameNums(ds, f, 'x00289110', 'x00180088')?.[0]
    const slope = frameNums(ds, f, 'x00289145', 'x00281053')?.[0] ?? 1
    const intercept = frameNums(ds, f, 'x00289145', 'x00281052')?.[0] ?? 0
    // Multi-frame without per-frame positions: frames are stacked along the normal, from the
    // Grid Frame Offset Vector (RT Dose) or else at the slice spacing.
    if (file.frames > 1 && position && orientation && orientation.length === 6 && !groupDataSet(ds, f, 'x00209113', 'x00200032')) {
      const normal = cross(orientation.slice(0, 3), orientation.slice(3, 6))
      let offset: number | undefined
      if (gridOffsets && gridOffsets.length === file.frames) offset = gridOffsets[f] - gridOffsets[0]
      else if (spacingBetweenSlices ?? sliceThickness) offset = f * (spacingBetweenSlices ?? sliceThickness)!
      if (offset !== undefined) position = position.map((p, i) => p + offset! * normal[i])
      else if (f > 0) position = undefined
    }
    out.push({
      file,
      frame: f,
      position: position && position.length === 3 ? position : undefined,
      orientation: orientation && orientation.length === 6 ? orientation : undefined,
      pixelSpacing: pixelSpacing && pixelSpacing.length === 2 ? pixelSpacing : undefined,
      pixelSpacingSource,
      sliceThickness,
      spacingBetweenSlices,
      slope,
      intercept,
    })
  }
  return out
}
