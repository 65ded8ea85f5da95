/**
 * Parsing one DICOM file (PS3.10 Part-10 file, or a bare data set without the file meta header)
 * with dicom-parser, with clear errors for non-DICOM and truncated input.
 */
import * as dicomParserNs from 'dicom-parser'
import type { DataSet, Element } from 'dicom-parser'
import { inflateSync } from 'fflate'
import { DICOM_MAX_SEQUENCE_DEPTH, DicomError } from './dicom-errors'
import { formatTag, lookupTag } from './dicom-tags'

// dicom-parser is a UMD bundle: depending on the loader its API is the namespace or its default export.
const dicomParser = ((dicomParserNs as unknown as { default?: typeof dicomParserNs }).default ?? dicomParserNs) as typeof dicomParserNs

export const TS_IMPLICIT_LE = '1.2.840.10008.1.2'
export const TS_EXPLICIT_LE = '1.2.840.10008.1.2.1'
export const TS_DEFLATED_LE = '1.2.840.10008.1.2.1.99'
export const TS_EXPLICIT_BE = '1.2.840.10008.1.2.2'

/** Transfer syntaxes whose pixel data is stored uncompressed (read natively, without itk-wasm). */
export const NATIVE_TRANSFER_SYNTAXES = new Set([TS_IMPLICIT_LE, TS_EXPLICIT_LE, TS_DEFLATED_LE, TS_EXPLICIT_BE])

export interface ParsedDicom {
  /** File name (or 'file #i') used in messages. */
  name: string
  dataSet: DataSet
  /** Bytes the element offsets refer to (the inflated stream for deflated files). */
  byteArray: Uint8Array
  /** The file as given. */
  sourceBytes: Uint8Array
  transferSyntaxUID: string
  /** False for a bare data set without the 128-byte preamble, DICM and group 0002. */
  hasMeta: boolean
  littleEndian: boolean
  explicitVR: boolean
  /** The data set's VR encoding contradicts the meta group's transfer syntax (read as found, as pydicom does). */
  vrMismatch: boolean
}

const VALID_VRS = new Set([
  'AE', 'AS', 'AT', 'CS', 'DA', 'DS', 'DT', 'FL', 'FD', 'IS', 'LO', 'LT', 'OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'PN',
  'SH', 'SL', 'SQ', 'SS', 'ST', 'SV', 'TM', 'UC', 'UI', 'UL', 'UN', 'UR', 'US', 'UT', 'UV',
])
// VRs with a 2-byte reserved field and a 4-byte length in explicit VR (PS3.5 §7.1.2).
const LONG_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'UC', 'UN', 'UR', 'UT', 'SV', 'UV'])

/** VR of a tag for implicit-VR data sets (dictionary VR; ambiguous ones resolved as DCMTK/pydicom do). */
export function implicitVr(key: string): string | undefined {
  const tag = parseInt(key.slice(1), 16)
  const element = tag & 0xffff
  // Private Creator elements (gggg,0010-00FF) of odd groups are LO (PS3.5 §7.8.1).
  if ((tag >>> 16) & 1 && element >= 0x10 && element <= 0xff) return 'LO'
  const entry = lookupTag(tag)
  if (!entry) return undefined
  const vr = entry.vr
  if (vr.length === 2) return vr
  if (vr.startsWith('OB or OW') || vr.includes('OW')) return 'OW'
  if (vr.startsWith('US or SS')) return 'US'
  return vr.slice(0, 2)
}

function u16(b: Uint8Array, p: number, le: boolean): number {
  return le ? b[p] | (b[p + 1] << 8) : (b[p] << 8) | b[p + 1]
}
function u32(b: Uint8Array, p: number, le: boolean): number {
  return le
    ? (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0
    : ((b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]) >>> 0
}

/**
 * Guesses the encoding of a data set without file meta information from its first element, as
 * pydicom's `dcmread(force=True)` and DCMTK do: explicit VR if bytes 4–5 are a valid VR; little
 * endian unless the group number only makes sense big endian.
 */
function guessBareEncoding(bytes: Uint8Array, name: string): string {
  if (bytes.length < 8) throw notDicom(name, `it has only ${bytes.length} bytes`)
  const vr = String.fromCharCode(bytes[4], bytes[5])
  const explicit = VALID_VRS.has(vr)
  const groupLe = u16(bytes, 0, true)
  const groupBe = u16(bytes, 0, false)
  const littleEndian = !explicit || groupLe <= groupBe
  const group = littleEndian ? groupLe : groupBe
  const element = u16(bytes, 2, littleEndian)
  const tag = ((group << 16) | element) >>> 0
  const length = explicit
    ? LONG_VRS.has(vr) ? u32(bytes, 8, littleEndian) : u16(bytes, 6, littleEndian)
    : u32(bytes, 4, true)
  const undefinedLength = length === 0xffffffff
  // A real first element has an even group from 0002 (meta) to 7FE0 and fits in the file.
  if ((group & 1) === 1 || group < 0x0002 || group > 0x7fe0 || (!undefinedLength && length > bytes.length)) {
    throw notDicom(
      name,
      `there is no "DICM" prefix at byte 128 and the bytes at offset 0 do not start a DICOM data set (they would be element ${formatTag(tag)} of ${length} bytes in a ${bytes.length}-byte file)`,
    )
  }
  return explicit ? (littleEndian ? TS_EXPLICIT_LE : TS_EXPLICIT_BE) : TS_IMPLICIT_LE
}

function tooDeep(name: string, at: number): DicomError {
  return new DicomError(
    'NESTING_TOO_DEEP',
    `${name} nests sequences more than ${DICOM_MAX_SEQUENCE_DEPTH} levels deep (at byte ${at}); real DICOM files nest a few levels, so the file is corrupt or crafted`,
  )
}

/**
 * Counts the sequence nesting of the data set in `b` from `start` without recursion and throws
 * NESTING_TOO_DEEP beyond {@link DICOM_MAX_SEQUENCE_DEPTH} levels, before dicom-parser (which
 * recurses once per level) runs out of call stack. The walk reads element headers only and jumps
 * over values (Pixel Data included), so it costs a few µs per file. On bytes it cannot follow, it
 * stops and leaves the verdict to the parser. Inside an undefined-length UN element the items are implicit VR (PS3.5 §6.2.2).
 */
export function checkSequenceDepth(b: Uint8Array, start: number, le: boolean, explicit: boolean, name: string): void {
  const max = DICOM_MAX_SEQUENCE_DEPTH
  // Open containers: sequences and items, with the byte where a defined-length one ends.
  const stack: { seq: boolean; end: number; explicit: boolean }[] = []
  let seqDepth = 0
  let p = start
  const pop = (untilSeq: boolean) => {
    while (stack.length) {
      const top = stack.pop()!
      if (top.seq) seqDepth--
      if (top.seq === untilSeq) return
    }
  }
  while (p + 8 <= b.length) {
    while (stack.length && p >= stack[stack.length - 1].end) pop(stack[stack.length - 1].seq)
    const exp = stack.length ? stack[stack.length - 1].explicit : explicit
    const group = u16(b, p, le)
    const element = u16(b, p + 2, le)
    if (group === 0xfffe) {
      const len = u32(b, p + 4, le)
      p += 8
      if (element === 0xe000) stack.push({ seq: false, end: len === 0xffffffff ? Infinity : p + len, explicit: exp })
      else if (element === 0xe00d) pop(false)
      else if (element === 0xe0dd) pop(true)
      else return
      continue
    }
    let vr: string | undefined
    let len: number
    if (exp) {
      vr = String.fromCharCode(b[p + 4], b[p + 5])
      if (!VALID_VRS.has(vr)) return
      if (LONG_VRS.has(vr)) {
        if (p + 12 > b.length) return
        len = u32(b, p + 8, le)
        p += 12
      } else {
        len = u16(b, p + 6, le)
        p += 8
      }
    } else {
      vr = implicitVr('x' + (((group << 16) | element) >>> 0).toString(16).padStart(8, '0'))
      len = u32(b, p + 4, le)
      p += 8
    }
    if (len === 0xffffffff) {
      if (group === 0x7fe0) {
        // Encapsulated pixel data: fragments (items of bytes) up to the sequence delimiter.
        while (p + 8 <= b.length && u16(b, p, le) === 0xfffe && u16(b, p + 2, le) === 0xe000) p += 8 + u32(b, p + 4, le)
        p += 8
        continue
      }
      stack.push({ seq: true, end: Infinity, explicit: vr === 'UN' ? false : exp })
    } else if (vr === 'SQ') {
      stack.push({ seq: true, end: p + len, explicit: exp })
    } else {
      p += len
      continue
    }
    if (++seqDepth > max) throw tooDeep(name, p)
  }
}

function notDicom(name: string, why: string): DicomError {
  return new DicomError('NOT_DICOM', `${name} is not a DICOM file: ${why}`)
}

type MetaGroup = DataSet & { position: number }

/** The file meta group (its elements and where the data set starts), or null when it cannot be read. */
function readMetaGroup(bytes: Uint8Array): MetaGroup | null {
  try {
    return dicomParser.readPart10Header(bytes) as MetaGroup
  } catch {
    return null
  }
}

/** Transfer Syntax UID of a file meta group, or '' when there is none. */
function metaTransferSyntax(meta: MetaGroup | null): string {
  return (meta?.string('x00020010') ?? '').replace(/\0/g, '').trim()
}

function hasDicmPrefix(bytes: Uint8Array): boolean {
  return bytes.length >= 132 && bytes[128] === 0x44 && bytes[129] === 0x49 && bytes[130] === 0x43 && bytes[131] === 0x4d
}

/**
 * Parses the data set behind the file meta group of `bytes` (whose meta group starts at 132) into
 * one DataSet with the meta elements, little endian, explicit or implicit VR. `body` replaces the
 * bytes after the meta group (the inflated stream of a deflated file), so element offsets of meta
 * and data set refer to one array.
 */
function parseBehindMeta(bytes: Uint8Array, meta: MetaGroup, explicit: boolean, name: string, body?: Uint8Array): DataSet {
  const pos = meta.position
  let full = bytes
  if (body) {
    full = new Uint8Array(pos + body.length)
    full.set(bytes.subarray(0, pos), 0)
    full.set(body, pos)
  }
  const DataSetCtor = (dicomParser as unknown as { DataSet: new (p: unknown, b: Uint8Array, e: Record<string, Element>) => DataSet }).DataSet
  const elements: Record<string, Element> = {}
  for (const k in meta.elements) elements[k] = meta.elements[k]
  const ds = new DataSetCtor(dicomParser.littleEndianByteArrayParser, full, elements)
  ds.warnings = []
  checkSequenceDepth(full, pos, true, explicit, name)
  const stream = new dicomParser.ByteStream(dicomParser.littleEndianByteArrayParser, full, pos)
  try {
    if (explicit) dicomParser.parseDicomDataSetExplicit(ds, stream, full.length)
    else dicomParser.parseDicomDataSetImplicit(ds, stream, full.length, { vrCallback: implicitVr } as unknown as Parameters<typeof dicomParser.parseDicomDataSetImplicit>[3])
  } catch (e) {
    if (e instanceof DicomError) throw e
    throw { exception: e, dataSet: ds }
  }
  return ds
}

/**
 * Deflated Explicit VR Little Endian (PS3.5 §A.5): the data set after the file meta group is a raw
 * deflate stream, inflated with fflate. (dicom-parser's own inflater hook re-parses the preamble
 * as elements, so it is not used.)
 */
function parseDeflated(bytes: Uint8Array, meta: MetaGroup, name: string): DataSet {
  return parseBehindMeta(bytes, meta, true, name, inflateSync(bytes.subarray(meta.position)))
}

/**
 * Whether the first data-set element behind the meta group of a little-endian file is written
 * with explicit VR (bytes 4–5 a valid VR), or null when it cannot tell. Some writers label an
 * implicit-VR data set with an explicit-VR (or compressed) transfer syntax or the reverse;
 * pydicom checks the first element and follows what it finds, and so do we.
 */
function bodyLooksExplicit(bytes: Uint8Array, meta: MetaGroup): boolean | null {
  const pos = meta.position
  if (pos + 8 > bytes.length) return null
  return VALID_VRS.has(String.fromCharCode(bytes[pos + 4], bytes[pos + 5]))
}

/** End of the last complete top-level element of a (partial) data set. */
function endOfElements(dataSet: DataSet): number {
  let end = 0
  for (const key in dataSet.elements) {
    const el = dataSet.elements[key]
    if (el.dataOffset === undefined || el.length === undefined) continue
    // Undefined-length items end with an 8-byte delimiter that dicom-parser does not count in `length`.
    const e = el.dataOffset + el.length + (el.hadUndefinedLength ? 8 : 0)
    if (e > end) end = e
  }
  return end
}

/**
 * After dicom-parser failed: if the element after the last complete one declares more bytes than
 * remain, the file is truncated; say which element and how many bytes are missing.
 */
function truncationError(name: string, partial: DataSet, bytes: Uint8Array, le: boolean, explicit: boolean): DicomError | null {
  // dicom-parser keeps the element whose value overran the buffer.
  for (const key in partial.elements) {
    const el = partial.elements[key]
    if (el.dataOffset !== undefined && el.length !== undefined && el.length !== 0xffffffff && el.dataOffset + el.length > bytes.length) {
      return overrunError(name, parseInt(key.slice(1), 16), el.length, bytes.length - el.dataOffset)
    }
  }
  const pos = endOfElements(partial)
  if (pos === 0 || pos + 8 > bytes.length) {
    if (pos > 0 && pos < bytes.length) {
      return new DicomError('TRUNCATED', `${name} is truncated: it ends ${bytes.length - pos} byte(s) into an element header at byte ${pos}`)
    }
    return null
  }
  const tag = ((u16(bytes, pos, le) << 16) | u16(bytes, pos + 2, le)) >>> 0
  let length: number
  let header: number
  if (explicit) {
    const vr = String.fromCharCode(bytes[pos + 4], bytes[pos + 5])
    if (LONG_VRS.has(vr)) {
      length = u32(bytes, pos + 8, le)
      header = 12
    } else {
      length = u16(bytes, pos + 6, le)
      header = 8
    }
  } else {
    length = u32(bytes, pos + 4, le)
    header = 8
  }
  if (length === 0xffffffff) return null
  const available = bytes.length - pos - header
  if (length <= available) return null
  return overrunError(name, tag, length, available)
}

/**
 * The first element (searching nested sequence items too) whose value would end past `end`.
 * Pixel Data is left to the pixel decoder, which says how many pixel bytes are missing.
 */
function elementPastEnd(ds: DataSet, end: number, depth = 0): { tag: number; length: number; available: number } | null {
  if (depth > 64) return null
  for (const key in ds.elements) {
    const el = ds.elements[key]
    if (key === 'x7fe00010') continue
    if (el.dataOffset !== undefined && el.length !== undefined && el.length !== 0xffffffff && el.dataOffset + el.length > end) {
      return { tag: parseInt(key.slice(1), 16), length: el.length, available: Math.max(0, end - el.dataOffset) }
    }
    for (const it of el.items ?? []) {
      const found = it.dataSet ? elementPastEnd(it.dataSet, end, depth + 1) : null
      if (found) return found
    }
  }
  return null
}

function overrunError(name: string, tag: number, length: number, available: number): DicomError {
  const keyword = lookupTag(tag)?.keyword
  const what = tag === 0x7fe00010 ? 'Pixel Data (7FE0,0010)' : `element ${formatTag(tag)}${keyword ? ' ' + keyword : ''}`
  return new DicomError(
    'TRUNCATED',
    `${name} is truncated: ${what} declares ${length} bytes but only ${Math.max(0, available)} remain (${length - Math.max(0, available)} bytes of ${tag === 0x7fe00010 ? 'pixel data' : 'its value'} are missing)`,
  )
}

/**
 * Parses a DICOM file: a Part-10 file (preamble + DICM + file meta group) in any transfer syntax, or a
 * bare data set without meta header (encoding guessed from its first element). Deflated files are
 * inflated with fflate. Throws {@link DicomError} 'NOT_DICOM' or 'TRUNCATED' with the cause.
 */
export function parseDicomBytes(bytes: Uint8Array, name: string): ParsedDicom {
  const hasMeta = hasDicmPrefix(bytes)
  let transferSyntaxUID = hasMeta ? '' : guessBareEncoding(bytes, name)
  const options = {
    vrCallback: implicitVr,
    ...(hasMeta ? {} : { TransferSyntaxUID: transferSyntaxUID }),
  }
  let dataSet: DataSet
  // Set when the data set's VR encoding contradicts the meta group's transfer syntax.
  let actualExplicit: boolean | null = null
  try {
    const meta = hasMeta ? readMetaGroup(bytes) : null
    const metaTs = metaTransferSyntax(meta)
    if (meta && metaTs === TS_DEFLATED_LE) dataSet = parseDeflated(bytes, meta, name)
    else {
      const looksExplicit = meta && metaTs !== '' && metaTs !== TS_EXPLICIT_BE ? bodyLooksExplicit(bytes, meta) : null
      if (meta && looksExplicit !== null && looksExplicit !== (metaTs !== TS_IMPLICIT_LE)) {
        actualExplicit = looksExplicit
        dataSet = parseBehindMeta(bytes, meta, looksExplicit, name)
      } else {
        if (meta) checkSequenceDepth(bytes, meta.position, metaTs !== TS_EXPLICIT_BE, metaTs !== TS_IMPLICIT_LE, name)
        else if (!hasMeta) checkSequenceDepth(bytes, 0, transferSyntaxUID !== TS_EXPLICIT_BE, transferSyntaxUID !== TS_IMPLICIT_LE, name)
        dataSet = dicomParser.parseDicom(bytes, options as unknown as Parameters<typeof dicomParser.parseDicom>[1])
      }
    }
  } catch (e) {
    if (e instanceof DicomError) throw e
    // Safety net: a nesting the walk could not follow still must not surface as a stack overflow.
    if (e instanceof RangeError && /call stack/i.test(e.message)) throw tooDeep(name, 0)
    const err = e as { exception?: unknown; dataSet?: DataSet } | string | Error
    const partial = typeof err === 'object' && err !== null && 'dataSet' in err ? err.dataSet : undefined
    const rawCause = typeof err === 'string' ? err : err instanceof Error ? err.message : String((err as { exception?: unknown }).exception)
    // dicom-parser's messages name its internals ("dicomParser.readFixedString: attempt to read
    // past end of buffer"): keep the reason, drop the function name.
    const cause = rawCause.replace(/^(\s*(Error|dicomParser(\.[A-Za-z]+)*|[a-z][A-Za-z]+(\.[A-Za-z]+)*):\s*)+/, '')
    if (partial) {
      const ts = hasMeta ? (partial.string('x00020010') ?? '').replace(/\0/g, '').trim() : transferSyntaxUID
      const le = ts !== TS_EXPLICIT_BE
      const explicit = actualExplicit ?? ts !== TS_IMPLICIT_LE
      const trunc = truncationError(name, partial, partial.byteArray as Uint8Array, le, explicit)
      if (trunc) throw trunc
    }
    // A Part-10 file cut inside its meta group: (0002,0000) tells where the group should end.
    if (hasMeta && bytes.length >= 144 && bytes[132] === 2 && bytes[133] === 0 && bytes[134] === 0 && bytes[135] === 0 && bytes[136] === 0x55 && bytes[137] === 0x4c) {
      const metaEnd = 144 + new DataView(bytes.buffer, bytes.byteOffset + 140, 4).getUint32(0, true)
      if (bytes.length < metaEnd) {
        throw new DicomError('TRUNCATED', `${name} is truncated: it ends ${metaEnd - bytes.length} byte(s) before the end of its file meta header (${bytes.length} of ${metaEnd} bytes)`)
      }
    }
    if (/meta header attribute 0002,0010/.test(cause)) {
      throw notDicom(name, 'its file meta header has no Transfer Syntax UID (0002,0010)')
    }
    if (/past (the )?end|end of (the )?buffer|buffer overread|out of range|outside the bounds|greater than or equal to 'byteArray' length|overrun/i.test(rawCause) && (hasMeta || (partial && Object.keys(partial.elements).length > 0))) {
      throw new DicomError('TRUNCATED', `${name} is truncated: it ends inside ${partial && Object.keys(partial.elements).length > 0 ? `its data set, after ${Object.keys(partial.elements).length} elements` : 'its file meta header'}, in the middle of an element`)
    }
    if (!partial || Object.keys(partial.elements).length === 0) throw notDicom(name, cause)
    throw new DicomError('TRUNCATED', `${name} could not be parsed past its first ${Object.keys(partial.elements).length} elements (${cause}); the file is probably truncated or corrupt`)
  }
  // dicom-parser accepts an element whose value runs past the end of the buffer (implicit VR) and
  // throws a bare string later, when the value is read: refuse the file now, with the element.
  const overrun = elementPastEnd(dataSet, (dataSet.byteArray as Uint8Array).length)
  if (overrun) throw overrunError(name, overrun.tag, overrun.length, overrun.available)
  if (hasMeta) transferSyntaxUID = (dataSet.string('x00020010') ?? '').replace(/\0/g, '').trim()
  if (Object.keys(dataSet.elements).length <= (hasMeta ? 1 : 1)) throw notDicom(name, 'no data elements could be read')
  return {
    name,
    dataSet,
    byteArray: dataSet.byteArray as Uint8Array,
    sourceBytes: bytes,
    transferSyntaxUID,
    hasMeta,
    littleEndian: transferSyntaxUID !== TS_EXPLICIT_BE,
    explicitVR: actualExplicit ?? transferSyntaxUID !== TS_IMPLICIT_LE,
    vrMismatch: actualExplicit !== null,
  }
}

/** The Pixel Data element (7FE0,0010), or Float/Double Float Pixel Data, if present. */
export function pixelDataElement(p: ParsedDicom): Element | undefined {
  const e = p.dataSet.elements
  return e.x7fe00010 ?? e.x7fe00008 ?? e.x7fe00009
}
