/**
 * Minimal DICOM Part 10 writer (explicit VR little endian only) for the synthetic sample data.
 *
 * Not a general DICOM toolkit: it writes a flat list of elements (no sequences), sorted by tag,
 * with the value padding rules of PS3.5 §6.2 (UI padded with NUL, other strings with a space,
 * OB with NUL) and the explicit-VR header layout of PS3.5 §7.1.2 (OB/OW/OF/SQ/UT/UN/UC/UR/OD/OL/OV
 * use 2 reserved bytes + a 32-bit length). The file meta group (0002) is always explicit VR little
 * endian (PS3.10 §7.1) and starts with its group length (0002,0000).
 */

export type Vr =
  | 'AE' | 'AS' | 'CS' | 'DA' | 'DS' | 'DT' | 'IS' | 'LO' | 'LT' | 'PN' | 'SH' | 'ST' | 'TM' | 'UI'
  | 'UL' | 'US' | 'SS' | 'SL' | 'FL' | 'FD' | 'OB' | 'OW' | 'UT'

/** One data element: `tag` is (group << 16) | element, e.g. 0x00280010 for Rows. */
export interface DicomElement {
  tag: number
  vr: Vr
  /** Strings for text VRs (multiple values joined with `\`), numbers for binary VRs, bytes for OB/OW. */
  value: string | number | number[] | Uint8Array
}

/** VRs whose explicit-VR header has 2 reserved bytes and a 32-bit length (PS3.5 Table 7.1-1). */
const LONG_VRS = new Set<Vr>(['OB', 'OW', 'UT'])
const TEXT_VRS = new Set<Vr>(['AE', 'AS', 'CS', 'DA', 'DS', 'DT', 'IS', 'LO', 'LT', 'PN', 'SH', 'ST', 'TM', 'UI', 'UT'])

/** Max value length per VR (PS3.5 Table 6.2-1), checked so that a bad value fails loudly here. */
const MAX_LEN: Partial<Record<Vr, number>> = {
  AE: 16, AS: 4, CS: 16, DA: 8, DS: 16, IS: 12, LO: 64, PN: 64, SH: 16, TM: 14, UI: 64,
}

/** The transfer syntax this writer produces. */
export const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1'

function asciiBytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length)
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c > 0x7e) throw new Error(`dicom-writer: non-ASCII character in ${JSON.stringify(s)}`)
    out[i] = c
  }
  return out
}

/** Encode a value to its (even-length, padded) byte representation. */
function encodeValue(el: DicomElement): Uint8Array {
  const { vr, value } = el
  if (TEXT_VRS.has(vr)) {
    if (typeof value !== 'string') throw new Error(`dicom-writer: ${tagName(el.tag)} (${vr}) needs a string value`)
    const max = MAX_LEN[vr]
    if (max !== undefined) {
      for (const part of value.split('\\')) {
        if (part.length > max) throw new Error(`dicom-writer: ${tagName(el.tag)} value "${part}" longer than ${max} (${vr})`)
      }
    }
    const raw = asciiBytes(value)
    if (raw.length % 2 === 0) return raw
    const padded = new Uint8Array(raw.length + 1)
    padded.set(raw)
    padded[raw.length] = vr === 'UI' ? 0x00 : 0x20
    return padded
  }
  if (vr === 'OB' || vr === 'OW') {
    if (!(value instanceof Uint8Array)) throw new Error(`dicom-writer: ${tagName(el.tag)} (${vr}) needs a Uint8Array`)
    if (value.length % 2 === 0) return value
    const padded = new Uint8Array(value.length + 1)
    padded.set(value)
    return padded
  }
  const nums = typeof value === 'number' ? [value] : Array.isArray(value) ? value : null
  if (nums === null) throw new Error(`dicom-writer: ${tagName(el.tag)} (${vr}) needs numeric value(s)`)
  const size = vr === 'US' || vr === 'SS' ? 2 : vr === 'FD' ? 8 : 4
  const buf = new Uint8Array(nums.length * size)
  const dv = new DataView(buf.buffer)
  nums.forEach((n, i) => {
    const o = i * size
    switch (vr) {
      case 'US': dv.setUint16(o, n, true); break
      case 'SS': dv.setInt16(o, n, true); break
      case 'UL': dv.setUint32(o, n, true); break
      case 'SL': dv.setInt32(o, n, true); break
      case 'FL': dv.setFloat32(o, n, true); break
      case 'FD': dv.setFloat64(o, n, true); break
      default: throw new Error(`dicom-writer: unsupported VR ${vr}`)
    }
  })
  return buf
}

function tagName(tag: number): string {
  const h = (n: number) => n.toString(16).toUpperCase().padStart(4, '0')
  return `(${h(tag >>> 16)},${h(tag & 0xffff)})`
}

/** Encode elements (sorted by tag) in explicit VR little endian. */
export function encodeElements(elements: DicomElement[]): Uint8Array {
  const sorted = [...elements].sort((a, b) => a.tag - b.tag)
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.tag === sorted[i - 1]!.tag) throw new Error(`dicom-writer: duplicate tag ${tagName(sorted[i]!.tag)}`)
  }
  const parts: Uint8Array[] = []
  let total = 0
  for (const el of sorted) {
    const v = encodeValue(el)
    const long = LONG_VRS.has(el.vr)
    const head = new Uint8Array(long ? 12 : 8)
    const dv = new DataView(head.buffer)
    dv.setUint16(0, el.tag >>> 16, true)
    dv.setUint16(2, el.tag & 0xffff, true)
    head[4] = el.vr.charCodeAt(0)
    head[5] = el.vr.charCodeAt(1)
    if (long) {
      dv.setUint32(8, v.length, true)
    } else {
      if (v.length > 0xffff) throw new Error(`dicom-writer: ${tagName(el.tag)} too long for a 16-bit length`)
      dv.setUint16(6, v.length, true)
    }
    parts.push(head, v)
    total += head.length + v.length
  }
  const out = new Uint8Array(total)
  let o = 0
  for (const p of parts) { out.set(p, o); o += p.length }
  return out
}

export interface FileMeta {
  mediaStorageSopClassUid: string
  mediaStorageSopInstanceUid: string
  implementationClassUid: string
  implementationVersionName?: string
}

/**
 * A complete Part 10 file: 128-byte zero preamble, "DICM", the file meta group (with its group
 * length), then the data set in explicit VR little endian.
 */
export function writeDicomFile(meta: FileMeta, dataset: DicomElement[]): Uint8Array {
  if (dataset.some((e) => e.tag >>> 16 === 0x0002)) throw new Error('dicom-writer: group 0002 belongs to the file meta, not the data set')
  const metaElements: DicomElement[] = [
    { tag: 0x00020001, vr: 'OB', value: new Uint8Array([0x00, 0x01]) },
    { tag: 0x00020002, vr: 'UI', value: meta.mediaStorageSopClassUid },
    { tag: 0x00020003, vr: 'UI', value: meta.mediaStorageSopInstanceUid },
    { tag: 0x00020010, vr: 'UI', value: EXPLICIT_VR_LITTLE_ENDIAN },
    { tag: 0x00020012, vr: 'UI', value: meta.implementationClassUid },
  ]
  if (meta.implementationVersionName) metaElements.push({ tag: 0x00020013, vr: 'SH', value: meta.implementationVersionName })
  const metaBody = encodeElements(metaElements)
  const groupLength = encodeElements([{ tag: 0x00020000, vr: 'UL', value: metaBody.length }])
  const body = encodeElements(dataset)
  const out = new Uint8Array(128 + 4 + groupLength.length + metaBody.length + body.length)
  out.set(asciiBytes('DICM'), 128)
  let o = 132
  out.set(groupLength, o); o += groupLength.length
  out.set(metaBody, o); o += metaBody.length
  out.set(body, o)
  return out
}

/**
 * Format a number as a DICOM Decimal String (PS3.5: at most 16 characters, no exponent needed
 * for our ranges). Uses the shortest round-trip representation when it fits, else fewer digits.
 */
export function formatDS(x: number): string {
  if (!Number.isFinite(x)) throw new Error(`dicom-writer: DS value must be finite, got ${x}`)
  const s = String(Object.is(x, -0) ? 0 : x)
  if (s.length <= 16 && !s.includes('e')) return s
  for (let digits = 10; digits >= 0; digits--) {
    const t = x.toFixed(digits).replace(/\.?0+$/, '')
    if (t.length <= 16) return t
  }
  throw new Error(`dicom-writer: cannot format ${x} as DS`)
}
