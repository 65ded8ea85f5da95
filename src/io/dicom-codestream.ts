/**
 * Checks of encapsulated (compressed) pixel data before it is handed to itk-wasm's GDCM, which
 * allocates by the declared image size: a corrupt 6 KB JPEG-LS file whose Rows×Columns say
 * 30000×30000 made GDCM allocate and fill a 1.8 GB image (5.2 GB resident, "read"); one whose
 * JPEG 2000 stream is 512×512 but Rows×Columns 16000×16000 grew to 660 MB before failing.
 *
 * Each frame's codestream header is read here (ITU-T T.81 §B.2.2 SOF for JPEG, T.87 §C.2.2 SOF55
 * for JPEG-LS, T.800 §A.5.1 SIZ for JPEG 2000) and must agree with Rows, Columns and
 * SamplesPerPixel. For Huffman-coded JPEG the size is also bounded by the compressed bytes: every
 * Huffman code is at least 1 bit (T.81 §C), so a lossless (SOF3) stream needs ≥ 1 bit per sample
 * and a sequential DCT (SOF0/1) stream ≥ 2 bits (DC code and end-of-block) per 8×8 block (progressive
 * SOF2: ≥ 1, its DC scan); arithmetic-coded JPEG is not bounded this way; a JPEG 2000 stream
 * needs ≥ 14 bytes (SOT + SOD markers, T.800 §A.4.2) per tile. JPEG-LS run mode and JPEG 2000 can
 * code a blank image in a few bytes, so for them only the memory limit bounds the size: the decoded
 * size must be ≤ {@link ITK_WASM_MAX_DECODED_BYTES} (checked by the series reader). GDCM's peak
 * resident memory, measured in Node on a crafted 6 KB JPEG-LS file declaring 16000×16000 (512 MiB
 * decoded) in both its DICOM header and its stream, was 1 104 MB ≈ 2 × the decoded size + 90 MB.
 */
import { DicomError } from './dicom-errors'
import type { FileInfo } from './dicom-slices'
import { describeTransferSyntax } from './dicom-tags'

/**
 * Default largest decoded volume (bytes) handed to itk-wasm (GDCM): 512 MiB (a 512×512×1024 int16
 * series), so that GDCM's peak (≈ 2 × decoded + 90 MB) stays near 1.1 GB, inside wasm32's heap and
 * a browser tab. Raise it with the `maxBytes` option of readDicomSeries.
 */
export const ITK_WASM_MAX_DECODED_BYTES = 2 ** 29

export interface CodestreamHeader {
  kind: 'JPEG' | 'JPEG-LS' | 'JPEG 2000'
  width: number
  /** 0 when a JPEG defines it later (DNL marker). */
  height: number
  components: number
  /** JPEG SOF marker (0xC0…0xCF, 0xF7), or 0 for JPEG 2000. */
  marker: number
  /** JPEG 2000 only: number of tiles. */
  tiles: number
}

const u16 = (b: Uint8Array, p: number) => (b[p] << 8) | b[p + 1]
const u32 = (b: Uint8Array, p: number) => ((b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]) >>> 0

function jpegHeader(b: Uint8Array, start: number, end: number): CodestreamHeader | null {
  let p = start + 2
  while (p + 4 <= end) {
    if (b[p] !== 0xff) return null
    while (p + 1 < end && b[p + 1] === 0xff) p++ // fill bytes
    const m = b[p + 1]
    if ((m >= 0xd0 && m <= 0xd7) || m === 0x01) {
      p += 2
      continue
    }
    if (p + 4 > end) return null
    const len = u16(b, p + 2)
    const sof = (m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc) || m === 0xf7
    if (sof) {
      if (p + 10 > end || len < 8) return null
      return { kind: m === 0xf7 ? 'JPEG-LS' : 'JPEG', height: u16(b, p + 5), width: u16(b, p + 7), components: b[p + 9], marker: m, tiles: 1 }
    }
    if (m === 0xda || m === 0xd9) return null // scan or end before any frame header
    p += 2 + len
  }
  return null
}

function j2kHeader(b: Uint8Array, p: number, end: number): CodestreamHeader | null {
  if (p + 42 > end || b[p + 2] !== 0xff || b[p + 3] !== 0x51) return null
  const x = u32(b, p + 8)
  const y = u32(b, p + 12)
  const x0 = u32(b, p + 16)
  const y0 = u32(b, p + 20)
  const tw = u32(b, p + 24)
  const th = u32(b, p + 28)
  const tx0 = u32(b, p + 32)
  const ty0 = u32(b, p + 36)
  const tiles = tw > 0 && th > 0 && x > tx0 && y > ty0 ? Math.ceil((x - tx0) / tw) * Math.ceil((y - ty0) / th) : Infinity
  return { kind: 'JPEG 2000', width: x > x0 ? x - x0 : 0, height: y > y0 ? y - y0 : 0, components: u16(b, p + 40), marker: 0, tiles }
}

/** The image header of a compressed frame whose bytes are b[start, end), or null if none is found. */
export function readCodestreamHeader(b: Uint8Array, start: number, end: number): CodestreamHeader | null {
  if (start + 4 > end) return null
  if (b[start] === 0xff && b[start + 1] === 0xd8) return jpegHeader(b, start, end)
  if (b[start] === 0xff && b[start + 1] === 0x4f) return j2kHeader(b, start, end)
  // JP2 file format (signature box 'jP  '): the codestream follows the 'jp2c' box header.
  if (u32(b, start) === 12 && u32(b, start + 4) === 0x6a502020) {
    for (let p = start + 12; p + 8 <= Math.min(end, start + 65536); p++) {
      if (b[p] === 0x6a && b[p + 1] === 0x70 && b[p + 2] === 0x32 && b[p + 3] === 0x63 && b[p + 4] === 0xff && b[p + 5] === 0x4f) return j2kHeader(b, p + 4, end)
    }
  }
  return null
}

/** [start, end) byte ranges of each frame's compressed data (its fragments), as far as they can be told apart. */
function frameRanges(file: FileInfo): { start: number; end: number; bytes: number }[] {
  const px = file.pixel!
  const frags = (px.fragments ?? []) as { offset: number; position: number; length: number }[]
  if (frags.length === 0) return []
  const range = (list: typeof frags) => ({ start: list[0].position, end: list[0].position + list[0].length, bytes: list.reduce((n, f) => n + f.length, 0) })
  if (file.frames === 1) return [range(frags)]
  const bot = px.basicOffsetTable ?? []
  if (bot.length === file.frames) {
    const out = []
    for (let k = 0; k < file.frames; k++) {
      const list = frags.filter((f) => f.offset >= bot[k] && (k + 1 === file.frames || f.offset < bot[k + 1]))
      if (list.length === 0) return [range(frags)]
      out.push(range(list))
    }
    return out
  }
  if (frags.length === file.frames) return frags.map((f) => range([f]))
  return [range(frags)] // frames spread over fragments without an offset table: check the first
}

function corrupt(file: FileInfo, why: string): DicomError {
  return new DicomError(
    'CORRUPT_PIXEL_DATA',
    `${file.parsed.name}: ${why} (transfer syntax ${describeTransferSyntax(file.parsed.transferSyntaxUID)}); the header or the compressed pixel data is corrupt, so it is not handed to the decoder`,
  )
}

/**
 * Throws CORRUPT_PIXEL_DATA when a frame's codestream does not start with a JPEG, JPEG-LS or JPEG
 * 2000 header, when that header's size or components differ from Rows/Columns/SamplesPerPixel, or
 * when the compressed bytes are too few for the declared size (Huffman JPEG, JPEG 2000 tiles).
 */
export function checkCodestreams(file: FileInfo): void {
  const b = file.parsed.byteArray
  const ranges = frameRanges(file)
  if (ranges.length === 0) throw corrupt(file, 'its encapsulated Pixel Data holds no fragment')
  ranges.forEach((r, k) => {
    const frame = ranges.length > 1 ? `frame ${k + 1}` : 'its compressed frame'
    const h = readCodestreamHeader(b, r.start, Math.min(r.end, b.length))
    if (!h) throw corrupt(file, `${frame} does not start with a JPEG (FFD8) or JPEG 2000 (FF4F) codestream header`)
    if (h.width !== file.columns || (h.height !== 0 && h.height !== file.rows)) {
      throw corrupt(file, `the ${h.kind} stream of ${frame} holds a ${h.width}×${h.height} image but Columns×Rows (0028,0011/0010) say ${file.columns}×${file.rows}`)
    }
    if (h.components !== file.samplesPerPixel) {
      throw corrupt(file, `the ${h.kind} stream of ${frame} has ${h.components} component(s) but SamplesPerPixel (0028,0002) is ${file.samplesPerPixel}`)
    }
    const samples = file.rows * file.columns * file.samplesPerPixel
    let minBits = 0
    if (h.marker === 0xc3) minBits = samples // lossless Huffman: ≥ 1 bit per sample
    else if (h.marker === 0xc0 || h.marker === 0xc1) minBits = 2 * Math.ceil(file.columns / 8) * Math.ceil(file.rows / 8) // sequential DCT: ≥ 2 bits per luminance block
    else if (h.marker === 0xc2) minBits = Math.ceil(file.columns / 8) * Math.ceil(file.rows / 8) // progressive: the DC scan codes every block
    if (minBits > 0 && r.bytes * 8 < minBits) {
      throw corrupt(file, `${frame} is ${r.bytes} bytes, but a Huffman-coded JPEG of ${file.columns}×${file.rows}×${file.samplesPerPixel} needs at least ${Math.ceil(minBits / 8)} (${h.marker === 0xc3 ? 'one bit per sample' : h.marker === 0xc2 ? 'one bit per 8×8 block' : 'two bits per 8×8 block: its DC and end-of-block codes'})`)
    }
    if (h.kind === 'JPEG 2000' && !(h.tiles * 14 <= r.bytes)) {
      throw corrupt(file, `the JPEG 2000 stream of ${frame} declares ${h.tiles === Infinity ? 'an invalid tile grid' : `${h.tiles} tiles`} in ${r.bytes} bytes (each tile needs at least 14)`)
    }
  })
}
