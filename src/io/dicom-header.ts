/**
 * A DICOM header as a list of elements (like `dcmdump` or pydicom's `Dataset` printout), for a
 * header viewer.
 */
import type { DataSet, Element } from 'dicom-parser'
import { parseDicomBytes, type ParsedDicom } from './dicom-parse'
import { formatTag, isPrivateTag, lookupTag, tagFromKey } from './dicom-tags'

/** One data element of a header. */
export interface DicomTag {
  /** '(GGGG,EEEE)', hex upper case. Sequence items are '(FFFE,E000)'. */
  tag: string
  /** Value representation: explicit VR from the file, else the dictionary's ('UN' when unknown). */
  vr: string
  /** Dictionary keyword, e.g. 'PatientName' ('' for private and unknown tags). */
  keyword: string
  /** Dictionary name, e.g. "Patient's Name"; 'Private tag' / 'Private Creator' for private ones. */
  name: string
  /**
   * The value as text: strings as stored (trailing padding removed, multiple values joined with
   * '\'), numbers in decimal joined with '\', 'Sequence of N item(s)', and bulk data (pixel data,
   * long OB/OW/UN) as its length, never dumped.
   */
  value: string
  /** Value length in bytes (for undefined-length sequences and encapsulated pixel data: the parsed length). */
  length: number
  /**
   * Byte offset in the file of the element's first byte (its tag), as pydicom's
   * `data_element_generator` gives `value_tell − header length`; `valueOffset` is where the value starts.
   */
  offset: number
  /** Byte offset of the value (after tag, VR and length: 8 or 12 bytes, PS3.5 §7.1). */
  valueOffset: number
  /** Sequence items (each an Item whose children are its elements). */
  children?: DicomTag[]
}

/** Explicit-VR elements whose VR is followed by 2 reserved bytes and a 4-byte length (PS3.5 Table 7.1-1). */
const LONG_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'UC', 'UN', 'UR', 'UT'])
const STRING_VRS = new Set(['AE', 'AS', 'CS', 'DA', 'DS', 'DT', 'IS', 'LO', 'LT', 'PN', 'SH', 'ST', 'TM', 'UC', 'UI', 'UR', 'UT'])
const MAX_VALUES = 32
const MAX_TEXT = 1024
const MAX_INLINE_BYTES = 16

interface Ctx {
  bytes: Uint8Array
  littleEndian: boolean
  explicitVR: boolean
  /** PixelRepresentation (0028,0103), which decides 'US or SS' in implicit VR (as pydicom does). */
  pixelRepresentation: number
  decoder: TextDecoder
}

function numbersOf(ctx: Ctx, el: Element, vr: string, le: boolean): string {
  const size = vr === 'FD' || vr === 'SV' || vr === 'UV' ? 8 : vr === 'US' || vr === 'SS' ? 2 : 4
  const count = Math.floor(el.length / size)
  const view = new DataView(ctx.bytes.buffer, ctx.bytes.byteOffset + el.dataOffset, count * size)
  const out: string[] = []
  for (let i = 0; i < Math.min(count, MAX_VALUES); i++) {
    const p = i * size
    switch (vr) {
      case 'US': out.push(String(view.getUint16(p, le))); break
      case 'SS': out.push(String(view.getInt16(p, le))); break
      case 'UL': out.push(String(view.getUint32(p, le))); break
      case 'SL': out.push(String(view.getInt32(p, le))); break
      // float32 shown with the 9 significant digits that identify it.
      case 'FL': out.push(String(Number(view.getFloat32(p, le).toPrecision(9)))); break
      case 'FD': out.push(String(view.getFloat64(p, le))); break
      case 'SV': out.push(String(view.getBigInt64(p, le))); break
      case 'UV': out.push(String(view.getBigUint64(p, le))); break
      case 'AT': out.push(formatTag(((view.getUint16(p, le) << 16) | view.getUint16(p + 2, le)) >>> 0)); break
    }
  }
  return out.join('\\') + (count > MAX_VALUES ? `\\… (${count} values)` : '')
}

function textOf(ctx: Ctx, el: Element, vr: string): string {
  const raw = ctx.bytes.subarray(el.dataOffset, el.dataOffset + Math.min(el.length, MAX_TEXT * 4))
  let s = ctx.decoder.decode(raw)
  // Padding: trailing spaces (and NUL for UI), PS3.5 §6.2; leading spaces are significant only in text VRs.
  s = s.replace(/[\0 ]+$/, '')
  if (vr !== 'LT' && vr !== 'ST' && vr !== 'UT') s = s.split('\\').map((v) => v.trim()).join('\\')
  if (s.length > MAX_TEXT) s = s.slice(0, MAX_TEXT) + '…'
  return s
}

function bytesOf(ctx: Ctx, el: Element): string {
  if (el.length > MAX_INLINE_BYTES) return `${el.length} bytes`
  const b = ctx.bytes.subarray(el.dataOffset, el.dataOffset + el.length)
  // Short values that are plain text (e.g. private creator data stored as UN) are shown as text.
  if (b.length > 0 && b.every((c) => (c >= 0x20 && c < 0x7f) || c === 0)) return textOf(ctx, el, 'LO')
  return Array.from(b, (c) => c.toString(16).padStart(2, '0')).join(' ')
}

function describe(ctx: Ctx, el: Element): DicomTag {
  const tagNum = tagFromKey(el.tag)
  const entry = lookupTag(tagNum)
  const priv = isPrivateTag(tagNum)
  const elementNo = tagNum & 0xffff
  let vr = el.vr ?? (entry && entry.vr.length === 2 ? entry.vr : entry?.vr.slice(0, 2)) ?? 'UN'
  if (el.items && !el.vr) vr = 'SQ'
  if (!ctx.explicitVR && tagNum >>> 16 !== 0x0002 && entry?.vr.startsWith('US or SS')) vr = ctx.pixelRepresentation === 1 ? 'SS' : 'US'
  const keyword = priv ? '' : entry?.keyword ?? ''
  const name = priv ? (elementNo >= 0x10 && elementNo <= 0xff ? 'Private Creator' : 'Private tag') : entry?.name ?? 'Unknown tag'
  const le = (tagNum >>> 16) === 0x0002 ? true : ctx.littleEndian
  let value: string
  let children: DicomTag[] | undefined
  if (el.items) {
    value = `Sequence of ${el.items.length} item(s)`
    children = el.items.map((it, i) => {
      const elems = it.dataSet ? elementsOf(ctx, it.dataSet) : []
      return {
        tag: '(FFFE,E000)',
        vr: '',
        keyword: 'Item',
        name: `Item ${i + 1}`,
        value: `${elems.length} element(s)`,
        length: it.length,
        offset: it.dataOffset - 8,
        valueOffset: it.dataOffset,
        children: elems,
      }
    })
  } else if (tagNum === 0x7fe00010 || tagNum === 0x7fe00008 || tagNum === 0x7fe00009) {
    value = el.encapsulatedPixelData
      ? `Encapsulated pixel data: ${el.fragments?.length ?? 0} fragment(s), ${el.length} bytes`
      : `Pixel data: ${el.length} bytes`
  } else if (el.length === 0) {
    value = ''
  } else if (STRING_VRS.has(vr)) {
    value = textOf(ctx, el, vr)
  } else if (['US', 'SS', 'UL', 'SL', 'FL', 'FD', 'SV', 'UV', 'AT'].includes(vr)) {
    value = numbersOf(ctx, el, vr, le)
  } else {
    value = bytesOf(ctx, el)
  }
  const explicit = ctx.explicitVR || tagNum >>> 16 === 0x0002
  const headerLength = explicit && el.vr ? (LONG_VRS.has(el.vr) ? 12 : 8) : 8
  const out: DicomTag = { tag: formatTag(tagNum), vr, keyword, name, value, length: el.length, offset: el.dataOffset - headerLength, valueOffset: el.dataOffset }
  if (children) out.children = children
  return out
}

function elementsOf(ctx: Ctx, ds: DataSet): DicomTag[] {
  // dicom-parser appends the file meta group after the data set: restore file order by offset.
  const els = Object.values(ds.elements).filter((e) => e.dataOffset !== undefined)
  els.sort((a, b) => a.dataOffset - b.dataOffset)
  return els.map((e) => describe(ctx, e))
}

function decoderFor(parsed: ParsedDicom): TextDecoder {
  const cs = (parsed.dataSet.string('x00080005') ?? '').toUpperCase()
  // ISO_IR 192 is UTF-8; the default repertoire and Latin-1 decode as windows-1252 (a superset).
  return new TextDecoder(cs.includes('ISO_IR 192') ? 'utf-8' : 'latin1')
}

/**
 * The elements of a DICOM file in file order, file meta group (0002,xxxx) included, with keyword
 * and name from the PS3.6 data dictionary (as pydicom's `Dataset` listing shows them). Sequences
 * are summarised ('Sequence of N item(s)', items as `children`); pixel data is shown as its length.
 * Throws {@link DicomError} 'NOT_DICOM' or 'TRUNCATED' like {@link readDicomSeries}.
 */
export function readDicomHeader(buffer: ArrayBuffer | Uint8Array): DicomTag[] {
  const bytes = buffer instanceof Uint8Array ? buffer : new Uint8Array(buffer)
  const parsed = parseDicomBytes(bytes, 'The buffer')
  const pr = parsed.dataSet.elements.x00280103 ? parsed.dataSet.uint16('x00280103') ?? 0 : 0
  const ctx: Ctx = { bytes: parsed.byteArray, littleEndian: parsed.littleEndian, explicitVR: parsed.explicitVR, pixelRepresentation: pr, decoder: decoderFor(parsed) }
  return elementsOf(ctx, parsed.dataSet)
}
