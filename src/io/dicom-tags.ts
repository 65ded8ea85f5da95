/**
 * Look-ups in the DICOM data dictionary (PS3.6) and UID registry (PS3.6 Annex A), generated from
 * pydicom's tables into dicom-dictionary.ts. The tables are parsed once, on first use.
 */
import { DICOM_REPEATER_TAGS, DICOM_TAGS, DICOM_UIDS } from './dicom-dictionary'

export interface TagEntry {
  vr: string
  keyword: string
  name: string
}

let tagMap: Map<number, TagEntry> | null = null
let repeaters: { mask: number; value: number; entry: TagEntry }[] | null = null
let uidMap: Map<string, { kind: 'T' | 'S'; name: string }> | null = null

function loadTags(): void {
  tagMap = new Map()
  for (const line of DICOM_TAGS.split('\n')) {
    if (!line) continue
    const [tag, vr, keyword, name] = line.split('|')
    tagMap.set(parseInt(tag, 16), { vr, keyword, name })
  }
  repeaters = []
  for (const line of DICOM_REPEATER_TAGS.split('\n')) {
    if (!line) continue
    const [pattern, vr, keyword, name] = line.split('|')
    // 'x' is a wildcard hex digit: compare only the other nibbles.
    const mask = parseInt(pattern.replace(/[0-9A-F]/g, 'F').replace(/x/g, '0'), 16)
    const value = parseInt(pattern.replace(/x/g, '0'), 16)
    repeaters.push({ mask, value, entry: { vr, keyword, name } })
  }
}

/** Dictionary entry of a tag given as a 32-bit number (group << 16 | element), or undefined. */
export function lookupTag(tag: number): TagEntry | undefined {
  if (!tagMap) loadTags()
  const hit = tagMap!.get(tag)
  if (hit) return hit
  // Group length (gggg,0000) of any group.
  if ((tag & 0xffff) === 0 && tag !== 0) return { vr: 'UL', keyword: '', name: 'Group Length' } // no keyword, as in pydicom
  for (const r of repeaters!) if (((tag & r.mask) >>> 0) === r.value) return r.entry
  return undefined
}

/** True for a private tag (odd group number), PS3.5 §7.8. */
export function isPrivateTag(tag: number): boolean {
  return ((tag >>> 16) & 1) === 1
}

function loadUids(): void {
  uidMap = new Map()
  for (const line of DICOM_UIDS.split('\n')) {
    if (!line) continue
    const [uid, kind, name] = line.split('|')
    uidMap.set(uid, { kind: kind as 'T' | 'S', name })
  }
}

/**
 * Name of a transfer syntax UID from the DICOM registry (PS3.6 Annex A), e.g.
 * '1.2.840.10008.1.2.4.91' → 'JPEG 2000 Image Compression'. Unknown UIDs give 'Unknown transfer syntax'.
 */
export function transferSyntaxName(uid: string): string {
  if (!uidMap) loadUids()
  const hit = uidMap!.get(uid.trim())
  return hit && hit.kind === 'T' ? hit.name : 'Unknown transfer syntax'
}

/** Name of a SOP class UID (e.g. 'RT Plan Storage'), or undefined when not in the registry. */
export function sopClassName(uid: string | undefined): string | undefined {
  if (!uid) return undefined
  if (!uidMap) loadUids()
  const hit = uidMap!.get(uid.trim())
  return hit && hit.kind === 'S' ? hit.name : undefined
}

/** 'JPEG 2000 Image Compression (1.2.840.10008.1.2.4.91)'. */
export function describeTransferSyntax(uid: string): string {
  return `${transferSyntaxName(uid)} (${uid})`
}

/** Tag number → '(GGGG,EEEE)'. */
export function formatTag(tag: number): string {
  const h = (tag >>> 0).toString(16).toUpperCase().padStart(8, '0')
  return `(${h.slice(0, 4)},${h.slice(4)})`
}

/** dicom-parser's 'xggggeeee' key → tag number. */
export function tagFromKey(key: string): number {
  return parseInt(key.slice(1), 16)
}
