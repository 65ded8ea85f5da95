/**
 * Re-encoding the image-relevant part of a DICOM file as a small, well-formed Part-10 file, for
 * the itk-wasm (GDCM) decoder when the original is mis-labelled: e.g. an implicit-VR data set
 * whose meta group names JPEG Baseline (explicit VR). pydicom reads such files (it checks the
 * first element); GDCM and DCMTK refuse them. The pixel data (encapsulated fragments) and the
 * values of the Image Pixel module are copied byte for byte; only the element headers change.
 */
import type { Element } from 'dicom-parser'
import { implicitVr, pixelDataElement, type ParsedDicom } from './dicom-parse'

/** Elements GDCM needs to decode and rescale the pixels, in tag order (group 0002 is written apart). */
const KEPT_TAGS = [
  0x00080016, 0x00080018, 0x00080060, 0x0020000d, 0x0020000e, 0x00200013, 0x00200032, 0x00200037,
  0x00280002, 0x00280004, 0x00280006, 0x00280008, 0x00280010, 0x00280011, 0x00280030,
  0x00280100, 0x00280101, 0x00280102, 0x00280103, 0x00281052, 0x00281053,
]
// Explicit-VR VRs with a 4-byte length (PS3.5 §7.1.2).
const LONG = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'UC', 'UN', 'UR', 'UT', 'SV', 'UV'])

interface ByteWriter {
  push(bytes: Uint8Array): void
  /** An explicit-VR little-endian element header. */
  header(tag: number, vr: string, length: number): void
  /** A header and its value, padded to even length (UI and OB with NUL, text with a space). */
  element(tag: number, vr: string, value: Uint8Array): void
  bytes(): Uint8Array
}

function byteWriter(): ByteWriter {
  const chunks: Uint8Array[] = []
  const push = (bytes: Uint8Array) => void chunks.push(bytes)
  const header = (tag: number, vr: string, length: number) => {
    const long = LONG.has(vr)
    const b = new Uint8Array(long ? 12 : 8)
    const v = new DataView(b.buffer)
    v.setUint16(0, tag >>> 16, true)
    v.setUint16(2, tag & 0xffff, true)
    b[4] = vr.charCodeAt(0)
    b[5] = vr.charCodeAt(1)
    if (long) v.setUint32(8, length, true)
    else v.setUint16(6, length, true)
    push(b)
  }
  const element = (tag: number, vr: string, value: Uint8Array) => {
    const padded = value.length % 2 ? concatBytes([value, Uint8Array.of(vr === 'UI' || vr === 'OB' ? 0 : 0x20)]) : value
    header(tag, vr, padded.length)
    push(padded)
  }
  return { push, header, element, bytes: () => concatBytes(chunks) }
}

/** The parts, one after another, in one new array. */
export function concatBytes(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let o = 0
  for (const p of parts) {
    out.set(p, o)
    o += p.length
  }
  return out
}

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0))

/**
 * A Part-10 file, explicit VR little endian in its header and the original transfer syntax for
 * the pixels, holding the Image Pixel module, the UIDs and the rescale of `parsed`, and its pixel
 * data copied verbatim. Only for little-endian files (implicit and explicit VR LE share the byte
 * layout of values and of encapsulated fragments).
 */
export function rewrapForDecoder(parsed: ParsedDicom): Uint8Array {
  const src = parsed.byteArray
  const els = parsed.dataSet.elements
  const raw = (el: Element) => src.subarray(el.dataOffset, el.dataOffset + el.length)
  const body = byteWriter()
  for (const tag of KEPT_TAGS) {
    const el = els['x' + tag.toString(16).padStart(8, '0')]
    if (!el || el.length === undefined || el.length === 0xffffffff) continue
    body.element(tag, implicitVr('x' + tag.toString(16).padStart(8, '0')) ?? 'UN', raw(el))
  }
  const pixels = pixelDataElement(parsed)
  if (pixels) {
    const tag = parseInt(pixels.tag.slice(1), 16)
    if (pixels.hadUndefinedLength) {
      // Encapsulated: items and the sequence delimiter follow the header; dicom-parser's length
      // excludes the 8-byte delimiter.
      body.header(tag, 'OB', 0xffffffff)
      body.push(src.subarray(pixels.dataOffset, pixels.dataOffset + pixels.length + 8))
    } else {
      body.element(tag, (parsed.dataSet.uint16('x00280100') ?? 16) > 8 ? 'OW' : 'OB', raw(pixels))
    }
  }
  const meta = byteWriter()
  meta.element(0x00020001, 'OB', Uint8Array.of(0, 1))
  for (const [tag, key] of [[0x00020002, 'x00020002'], [0x00020003, 'x00020003']] as const) {
    const el = els[key] ?? els[key === 'x00020002' ? 'x00080016' : 'x00080018']
    if (el) meta.element(tag, 'UI', raw(el))
  }
  meta.element(0x00020010, 'UI', ascii(parsed.transferSyntaxUID))
  const metaBytes = meta.bytes()
  const group = byteWriter()
  group.push(new Uint8Array(128))
  group.push(ascii('DICM'))
  const len = new Uint8Array(4)
  new DataView(len.buffer).setUint32(0, metaBytes.length, true)
  group.element(0x00020000, 'UL', len)
  group.push(metaBytes)
  group.push(body.bytes())
  return group.bytes()
}
