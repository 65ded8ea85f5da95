/**
 * De-identification of DICOM files by the Basic Application Level Confidentiality Profile of
 * DICOM PS3.15 Annex E (Table E.1-1, "Basic Prof." column; the table itself is generated into
 * dicom-deid-table.ts from a machine-readable extract of PS3.15 2024b, see that file).
 *
 * Actions (PS3.15 Table E.1-1a):
 * - D: replace with a non-zero-length dummy value consistent with the VR ({@link DUMMY_VALUES});
 *   on a sequence, the items are kept and every text value inside is replaced by a dummy, every
 *   UID by its replacement (the table applied recursively on top).
 * - Z: replace with a zero-length value (a sequence becomes an empty sequence).
 * - X: remove (a sequence with all its items).
 * - K: keep (a sequence's items are still processed by the table).
 * - C: clean. Cleaning needs knowledge of what a value means; the basic profile's column has no
 *   C entries (C appears only in the option columns), and were one given it is treated as D here.
 * - U: replace a UID by `2.25.<decimal of 128 random bits>` (PS3.5 §B.2), the same replacement
 *   for the same input UID throughout one export: one `uidMap` per export, fresh random values
 *   per export (so two exports of the same scan are not linkable by their UIDs).
 * Compound codes depend on the attribute's Type in the object's IOD (PS3.15 Table E.1-1a:
 * "X unless Z is required to maintain IOD conformance", …). This module does not look the Type
 * up per IOD; it takes the choice that keeps the object valid for any Type, which the profile
 * permits because Z allows "a non-zero length value that may be a dummy value": X/Z → Z,
 * X/D → D, Z/D → D, X/Z/D → D (Z for a sequence, an empty sequence), X/Z/U* → the sequence is
 * kept and its items processed by the table, which replaces the referenced instance UIDs (U).
 *
 * Also: every private attribute (odd group) is removed, curves (50xx,xxxx), Overlay Data
 * (60xx,3000) and Overlay Comments (60xx,4000) are removed as the table lists them, group-length
 * elements (gggg,0000, retired) are dropped, the file meta group is rewritten (Media Storage SOP
 * Instance UID replaced like the SOP Instance UID), and Patient Identity Removed (0012,0062) =
 * YES, De-identification Method (0012,0063) and De-identification Method Code Sequence
 * (0012,0064) = (113100, DCM, "Basic Application Confidentiality Profile") are added. The
 * transfer syntax and the pixel data (native or encapsulated) are copied byte for byte.
 *
 * What it cannot guarantee: text burned into the pixels (common in US, SC, XA, RF and
 * secondary captures) is untouched; a warning is given when Burned In Annotation (0028,0301) is
 * YES, or absent for a modality at risk. Free text the table keeps, and facial features in the
 * pixels of head scans, are outside the basic profile as well.
 */
import type { DataSet, Element } from 'dicom-parser'
import { deflateSync } from 'fflate'
import { DicomError } from './dicom-errors'
import { readDicomHeader, type DicomTag } from './dicom-header'
import { implicitVr, parseDicomBytes, TS_DEFLATED_LE, type ParsedDicom } from './dicom-parse'
import { concatBytes } from './dicom-rewrap'
import { formatTag, lookupTag } from './dicom-tags'
import { DEID_TABLE } from './dicom-deid-table'

/** What was done to an element: a PS3.15 action, or 'added' for the de-identification attributes. */
export type DeidAction = 'D' | 'Z' | 'X' | 'K' | 'C' | 'U' | 'added'

/** One changed element of a de-identified file. */
export interface DeidChange {
  /** Where: tags from the top level, with item indices for nested elements, e.g. `(0008,1140)[0]/(0008,1155)`. */
  path: string
  tag: string
  keyword: string
  name: string
  /** What was done. */
  action: DeidAction
  /** Why: the table's code (e.g. 'X/Z'), 'private', 'dummy sequence' (inside a D sequence) or 'profile' (added). */
  code: string
  /** Value before and after, as readDicomHeader shows them ('' for none; after is '' when removed). */
  before: string
  after: string
}

export interface DeidentifyOptions {
  /**
   * Dummy values for attributes the profile replaces (action D, or a compound resolved to D),
   * by keyword, e.g. `{ PatientName: 'CASE^001', PatientID: 'CASE001' }` to pseudonymise.
   * Each must be printable ASCII without a backslash and fit the attribute's VR.
   */
  replacements?: Record<string, string>
}

export interface DeidentifyResult {
  /** The de-identified Part-10 file (same transfer syntax as the input). */
  bytes: Uint8Array
  changes: DeidChange[]
  /** Things the profile cannot guarantee for this file (burned-in annotation). */
  warnings: string[]
  /** Original → replacement UIDs (shared when passed in). */
  uidMap: Map<string, string>
}

/** Dummy values per VR for action D (non-zero length, valid for the VR). */
export const DUMMY_VALUES: Record<string, string> = {
  AE: 'ANONYMIZED', AS: '000Y', CS: 'ANONYMIZED', DA: '19000101', DS: '0', DT: '19000101000000', IS: '0',
  LO: 'ANONYMIZED', LT: 'ANONYMIZED', PN: 'ANONYMIZED', SH: 'ANONYMIZED', ST: 'ANONYMIZED', TM: '000000',
  UC: 'ANONYMIZED', UR: 'urn:x-anonymized', UT: 'ANONYMIZED',
}
/** Maximum value lengths (PS3.5 Table 6.2-1) for validating replacements. */
const MAX_LENGTH: Record<string, number> = { AE: 16, AS: 4, CS: 16, DA: 8, DS: 16, DT: 26, IS: 12, LO: 64, PN: 64, SH: 16, TM: 14, UI: 64, LT: 10240, ST: 1024, UC: 1e6, UT: 1e6, UR: 1e6 }
const NUMBER_SIZE: Record<string, number> = { US: 2, SS: 2, UL: 4, SL: 4, FL: 4, AT: 4, FD: 8, SV: 8, UV: 8 }
const LONG_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'UC', 'UN', 'UR', 'UT', 'SV', 'UV'])
/** Modalities whose images often carry burned-in text (PS3.3 C.7.3.1.1.1 defined terms). */
const BURNED_IN_RISK = new Set(['US', 'IVUS', 'SC', 'XA', 'RF', 'ES', 'XC', 'GM', 'SM', 'OP', 'OPT', 'DOC', 'OT', 'CR', 'DX', 'MG', 'IO', 'PX', 'DG'])
/** Implementation Class UID of the files written here (a 2.25 UUID-derived UID, PS3.5 §B.2). */
export const DEID_IMPLEMENTATION_CLASS_UID = '2.25.186172541950478389426548453394829165273'
const METHOD = 'PS3.15 E Basic Profile (med-imaging-primer)'

type Resolved = 'D' | 'Z' | 'X' | 'K' | 'U' | 'C'
interface Rule { code: string; name: string }
let rules: { exact: Map<number, Rule>; masked: { mask: number; value: number; rule: Rule }[]; keywords: Map<string, number> } | null = null

function loadRules(): NonNullable<typeof rules> {
  if (rules) return rules
  const exact = new Map<number, Rule>()
  const masked: { mask: number; value: number; rule: Rule }[] = []
  const keywords = new Map<string, number>()
  for (const line of DEID_TABLE.split('\n')) {
    if (!line) continue
    const [tag, code, name] = line.split('|')
    if (tag.includes('X')) {
      masked.push({ mask: parseInt(tag.replace(/[0-9A-F]/g, 'F').replace(/X/g, '0'), 16), value: parseInt(tag.replace(/X/g, '0'), 16), rule: { code, name } })
    } else {
      const t = parseInt(tag, 16)
      exact.set(t, { code, name })
      const kw = lookupTag(t)?.keyword
      if (kw) keywords.set(kw, t)
    }
  }
  rules = { exact, masked, keywords }
  return rules
}

/** The table's code for a tag ('private' for odd groups), or null when the table does not list it (kept). */
export function deidentificationCode(tag: number): string | null {
  if ((tag >>> 16) & 1) return 'private'
  const r = loadRules()
  const hit = r.exact.get(tag)
  if (hit) return hit.code
  for (const m of r.masked) if (((tag & m.mask) >>> 0) === m.value) return m.rule.code
  return null
}

/** A compound code resolved as the module comment says (for the element's VR). */
function resolve(code: string, vr: string): Resolved {
  const sq = vr === 'SQ'
  switch (code) {
    case 'private': return 'X'
    case 'X/Z': return 'Z'
    case 'X/D': case 'Z/D': return 'D'
    case 'X/Z/D': return sq ? 'Z' : 'D'
    case 'X/Z/U*': return sq ? 'K' : 'U'
    default: return code as Resolved
  }
}

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0))

/** A fresh `2.25.<decimal>` UID from 128 random bits (PS3.5 §B.2). */
function randomUid(): string {
  const b = new Uint8Array(16)
  globalThis.crypto.getRandomValues(b)
  let n = 0n
  for (const x of b) n = (n << 8n) | BigInt(x)
  return `2.25.${n}`
}

function validate(options: DeidentifyOptions | undefined): Map<number, string> {
  const out = new Map<number, string>()
  const reps = options?.replacements
  if (reps === undefined) return out
  if (typeof reps !== 'object' || reps === null) throw new DicomError('INVALID_OPTION', 'options.replacements must be an object of keyword → dummy value')
  const { keywords } = loadRules()
  for (const [kw, value] of Object.entries(reps)) {
    const tag = keywords.get(kw)
    const entry = tag === undefined ? undefined : lookupTag(tag)
    const code = tag === undefined ? null : deidentificationCode(tag)
    const vr = entry?.vr.slice(0, 2) ?? ''
    if (tag === undefined || !entry || code === null || resolve(code, vr) !== 'D' || !(vr in DUMMY_VALUES)) {
      throw new DicomError('INVALID_OPTION', `options.replacements.${kw}: only text attributes the profile replaces with a dummy value (action D) can be given a value, e.g. PatientName, PatientID`)
    }
    if (typeof value !== 'string' || !/^[\x20-\x5b\x5d-\x7e]+$/.test(value) || value.length > (MAX_LENGTH[vr] ?? 64)) {
      throw new DicomError('INVALID_OPTION', `options.replacements.${kw} must be 1 to ${MAX_LENGTH[vr] ?? 64} printable ASCII characters without a backslash (VR ${vr}), got ${JSON.stringify(value)}`)
    }
    out.set(tag, value)
  }
  return out
}

/** Element writer in the transfer syntax of the input (meta group: always explicit VR little endian). */
class Writer {
  private chunks: Uint8Array[] = []
  constructor(readonly explicit: boolean, readonly le: boolean) {}
  push(b: Uint8Array): void { this.chunks.push(b) }
  header(tag: number, vr: string, length: number): void {
    const long = this.explicit && LONG_VRS.has(vr)
    const b = new Uint8Array(this.explicit && !long ? 8 : this.explicit ? 12 : 8)
    const v = new DataView(b.buffer)
    v.setUint16(0, tag >>> 16, this.le)
    v.setUint16(2, tag & 0xffff, this.le)
    if (this.explicit) {
      b[4] = vr.charCodeAt(0)
      b[5] = vr.charCodeAt(1)
      if (long) v.setUint32(8, length, this.le)
      else v.setUint16(6, length, this.le)
    } else v.setUint32(4, length, this.le)
    this.push(b)
  }
  /** An item or delimiter tag (no VR in any syntax). */
  marker(element: number, length: number): void {
    const b = new Uint8Array(8)
    const v = new DataView(b.buffer)
    v.setUint16(0, 0xfffe, this.le)
    v.setUint16(2, element, this.le)
    v.setUint32(4, length, this.le)
    this.push(b)
  }
  element(tag: number, vr: string, value: Uint8Array): void {
    const padded = value.length % 2 ? concatBytes([value, Uint8Array.of(vr === 'UI' || vr[0] === 'O' || vr === 'UN' ? 0 : 0x20)]) : value
    this.header(tag, vr, padded.length)
    this.push(padded)
  }
  bytes(): Uint8Array { return concatBytes(this.chunks) }
}

interface Ctx {
  src: Uint8Array
  w: Writer
  uidMap: Map<string, string>
  replacements: Map<number, string>
  changes: { path: string; tag: number; action: DeidAction; code: string }[]
}

function uidFor(ctx: Ctx, uid: string): string {
  let out = ctx.uidMap.get(uid)
  if (!out) { out = randomUid(); ctx.uidMap.set(uid, out) }
  return out
}

const keyOf = (tag: number) => 'x' + tag.toString(16).padStart(8, '0')
const vrOf = (el: Element, tag: number) => (el.items && (!el.vr || el.vr === 'UN') ? 'SQ' : el.vr ?? implicitVr(keyOf(tag)) ?? 'UN')
const raw = (ctx: Ctx, el: Element) => ctx.src.subarray(el.dataOffset, el.dataOffset + el.length)
const text = (ctx: Ctx, el: Element) => new TextDecoder('latin1').decode(raw(ctx, el)).replace(/[\0 ]+$/, '')

/** The dummy value bytes for a D on a non-sequence element of VR `vr`. */
function dummyBytes(ctx: Ctx, tag: number, vr: string, el: Element): Uint8Array {
  const rep = ctx.replacements.get(tag)
  if (rep !== undefined) return ascii(rep)
  if (vr === 'UI') return ascii(text(ctx, el).split('\\').map((u) => uidFor(ctx, u.trim())).join('\\'))
  if (vr in DUMMY_VALUES) return ascii(DUMMY_VALUES[vr])
  return new Uint8Array(NUMBER_SIZE[vr] ?? 8)
}

/** Writes the elements of one data set (top level or an item), sorted by tag. */
function writeDataSet(ctx: Ctx, ds: DataSet, prefix: string, dummy: boolean, top: boolean): void {
  const keys = Object.keys(ds.elements).sort()
  let added = !top
  for (const key of keys) {
    const el = ds.elements[key]
    const tag = parseInt(key.slice(1), 16)
    const group = tag >>> 16
    if (top && group === 0x0002) continue // rewritten apart
    // The profile's own attributes go in tag order; ones already present are replaced.
    if (!added && tag >= 0x00120062) { ctx.w.push(profileElements(ctx.w)); added = true }
    if (top && tag >= 0x00120062 && tag <= 0x00120064) continue
    if ((tag & 0xffff) === 0) continue // group length (retired; would be wrong after the changes)
    if (group === 0xfffe) continue // an item delimiter dicom-parser keeps as an element (implicit VR): written by us
    const vr = vrOf(el, tag)
    const path = prefix + formatTag(tag)
    const code = deidentificationCode(tag)
    let action: Resolved = code === null ? 'K' : resolve(code, vr)
    let why = code ?? ''
    // Inside a sequence replaced by a dummy: every text value becomes a dummy, every UID a replacement.
    if (dummy && action === 'K' && vr !== 'SQ' && vr !== 'CS' && (vr in DUMMY_VALUES || vr === 'UI') && el.length > 0) {
      action = vr === 'UI' ? 'U' : 'D'
      why = 'dummy sequence'
    }
    if (action === 'C') action = 'D'
    if (action !== 'K') ctx.changes.push({ path, tag, action: code === 'C' ? 'C' : action, code: why })
    if (action === 'X') continue
    if (vr === 'SQ') {
      if (action === 'Z') { ctx.w.header(tag, 'SQ', 0); continue }
      ctx.w.header(tag, 'SQ', 0xffffffff)
      ;(el.items ?? []).forEach((item, i) => {
        ctx.w.marker(0xe000, 0xffffffff)
        if (item.dataSet) writeDataSet(ctx, item.dataSet, `${path}[${i}]/`, dummy || action === 'D', false)
        ctx.w.marker(0xe00d, 0)
      })
      ctx.w.marker(0xe0dd, 0)
      continue
    }
    if (action === 'Z') { ctx.w.header(tag, vr, 0); continue }
    if (action === 'D') { ctx.w.element(tag, vr, dummyBytes(ctx, tag, vr, el)); continue }
    if (action === 'U') {
      if (el.length === 0) { ctx.changes.pop(); ctx.w.header(tag, vr, 0); continue }
      ctx.w.element(tag, vr, dummyBytes(ctx, tag, 'UI', el))
      continue
    }
    // Keep: copied byte for byte (encapsulated pixel data with its items and delimiter).
    if (el.hadUndefinedLength && !el.items) {
      ctx.w.header(tag, vr, 0xffffffff)
      ctx.w.push(ctx.src.subarray(el.dataOffset, el.dataOffset + el.length + 8))
    } else {
      ctx.w.header(tag, vr, el.length)
      ctx.w.push(raw(ctx, el))
    }
  }
  if (!added) ctx.w.push(profileElements(ctx.w))
}

/** The added de-identification attributes (0012,0062-0064), written in the data set's syntax. */
function profileElements(w: Writer): Uint8Array {
  const sub = new Writer(w.explicit, w.le)
  sub.element(0x00120062, 'CS', ascii('YES'))
  sub.element(0x00120063, 'LO', ascii(METHOD))
  sub.header(0x00120064, 'SQ', 0xffffffff)
  sub.marker(0xe000, 0xffffffff)
  sub.element(0x00080100, 'SH', ascii('113100'))
  sub.element(0x00080102, 'SH', ascii('DCM'))
  sub.element(0x00080104, 'LO', ascii('Basic Application Confidentiality Profile'))
  sub.marker(0xe00d, 0)
  sub.marker(0xe0dd, 0)
  return sub.bytes()
}

function burnedInWarning(parsed: ParsedDicom, name: string): string | null {
  const ds = parsed.dataSet
  const burned = (ds.string('x00280301') ?? '').trim().toUpperCase()
  const modality = (ds.string('x00080060') ?? '').trim().toUpperCase()
  if (burned === 'YES') return `${name}: Burned In Annotation (0028,0301) is YES — text in the pixels (names, dates, IDs) is not removed by the profile; check the images before sharing them.`
  if (!burned && BURNED_IN_RISK.has(modality)) return `${name}: Burned In Annotation (0028,0301) is absent and modality ${modality} often carries text burned into the pixels; the profile cannot remove it, so check the images before sharing them.`
  return null
}

function headerValues(bytes: Uint8Array): Map<string, DicomTag> {
  const out = new Map<string, DicomTag>()
  const walk = (list: DicomTag[], prefix: string) => {
    for (const t of list) {
      out.set(prefix + t.tag, t)
      t.children?.forEach((item, i) => walk(item.children ?? [], `${prefix}${t.tag}[${i}]/`))
    }
  }
  walk(readDicomHeader(bytes), '')
  return out
}

/**
 * De-identifies one DICOM file by the Basic Application Level Confidentiality Profile (PS3.15
 * Annex E; see the module comment for the actions and what is not guaranteed). `uidMap` (pass
 * the same Map for every file of a series or study) makes the replacement UIDs consistent; it
 * is filled with the new replacements. Throws {@link DicomError} (NOT_DICOM, TRUNCATED, … from
 * parsing; INVALID_OPTION for a bad option, checked first).
 */
export function deidentifyDicom(
  input: Uint8Array | ArrayBuffer,
  { uidMap = new Map<string, string>(), options, name = 'The file' }: { uidMap?: Map<string, string>; options?: DeidentifyOptions; name?: string } = {},
): DeidentifyResult {
  if (!(uidMap instanceof Map)) throw new DicomError('INVALID_OPTION', 'uidMap must be a Map of original → replacement UIDs')
  const replacements = validate(options)
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(input)
  const parsed = parseDicomBytes(bytes, name)
  const ts = parsed.transferSyntaxUID
  const w = new Writer(parsed.explicitVR, parsed.littleEndian)
  const ctx: Ctx = { src: parsed.byteArray, w, uidMap, replacements, changes: [] }
  writeDataSet(ctx, parsed.dataSet, '', false, true)
  const body = ctx.w.bytes()
  const els = parsed.dataSet.elements
  const sopClass = (parsed.dataSet.string('x00020002') ?? parsed.dataSet.string('x00080016') ?? '').replace(/\0/g, '').trim()
  const sopInstance = (parsed.dataSet.string('x00020003') ?? parsed.dataSet.string('x00080018') ?? '').replace(/\0/g, '').trim()
  const dataSet = ts === TS_DEFLATED_LE ? deflateSync(body) : body
  const meta = new Writer(true, true)
  meta.element(0x00020001, 'OB', Uint8Array.of(0, 1))
  if (sopClass) meta.element(0x00020002, 'UI', ascii(sopClass))
  if (sopInstance) meta.element(0x00020003, 'UI', ascii(uidFor(ctx, sopInstance)))
  meta.element(0x00020010, 'UI', ascii(ts))
  meta.element(0x00020012, 'UI', ascii(DEID_IMPLEMENTATION_CLASS_UID))
  meta.element(0x00020013, 'SH', ascii('MIP_DEID_1'))
  const metaBytes = meta.bytes()
  const head = new Writer(true, true)
  head.push(new Uint8Array(128))
  head.push(ascii('DICM'))
  const len = new Uint8Array(4)
  new DataView(len.buffer).setUint32(0, metaBytes.length, true)
  head.element(0x00020000, 'UL', len)
  const out = concatBytes([head.bytes(), metaBytes, dataSet])
  // Meta changes: the instance UID is replaced, the source AE title and other meta elements dropped.
  const metaChanges: Ctx['changes'] = []
  if (els.x00020003) metaChanges.push({ path: '(0002,0003)', tag: 0x00020003, action: 'U', code: 'U' })
  for (const k of Object.keys(els).sort()) {
    const t = parseInt(k.slice(1), 16)
    if (t >>> 16 === 2 && ![0x00020000, 0x00020001, 0x00020002, 0x00020003, 0x00020010, 0x00020012, 0x00020013].includes(t)) metaChanges.push({ path: formatTag(t), tag: t, action: 'X', code: 'file meta' })
  }
  const before = headerValues(bytes)
  const after = headerValues(out)
  const changes: DeidChange[] = [...metaChanges, ...ctx.changes].map((c) => {
    const entry = lookupTag(c.tag)
    const priv = (c.tag >>> 16) & 1
    return {
      path: c.path, tag: formatTag(c.tag), keyword: priv ? '' : entry?.keyword ?? '', name: priv ? 'Private attribute' : entry?.name ?? 'Unknown tag',
      action: c.action, code: c.code, before: before.get(c.path)?.value ?? '', after: c.action === 'X' ? '' : after.get(c.path)?.value ?? '',
    }
  })
  for (const p of ['(0012,0062)', '(0012,0063)', '(0012,0064)']) {
    const t = after.get(p)!
    changes.push({ path: p, tag: p, keyword: t.keyword, name: t.name, action: 'added', code: 'profile', before: before.get(p)?.value ?? '', after: t.value })
  }
  const warnings: string[] = []
  const warn = burnedInWarning(parsed, name)
  if (warn) warnings.push(warn)
  return { bytes: out, changes, warnings, uidMap }
}

/**
 * De-identifies the files of one series (or study) with one UID map, so that every reference
 * between them (Series/Study/Frame of Reference UIDs, Referenced SOP Instance UIDs) stays
 * consistent. Returns one result per file, in order, and the warnings of all files.
 */
export function deidentifyDicomSeries(
  files: (Uint8Array | ArrayBuffer)[],
  { options, uidMap = new Map<string, string>() }: { options?: DeidentifyOptions; uidMap?: Map<string, string> } = {},
): { files: DeidentifyResult[]; uidMap: Map<string, string>; warnings: string[] } {
  if (!Array.isArray(files) || files.length === 0) throw new DicomError('EMPTY_INPUT', 'deidentifyDicomSeries needs at least one file')
  validate(options)
  const out = files.map((f, i) => deidentifyDicom(f, { uidMap, options, name: `file #${i + 1}` }))
  return { files: out, uidMap, warnings: [...new Set(out.flatMap((r) => r.warnings.map((w) => w.replace(/^file #\d+: /, ''))))] }
}
