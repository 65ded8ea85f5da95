/** Loads the OpenCV reference fixtures written by tests/reference/contrast/make-reference.py. */
import { readFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'
import { fileURLToPath } from 'node:url'
import { dirname, join } from 'node:path'
import { makeImage, type Image, type TypedArray } from '../../../src/image'

const dir = join(dirname(fileURLToPath(import.meta.url)), '../../reference/contrast')

interface ArrayEntry { dtype: string; size: number[]; offset: number; byteLength: number }
export interface ClaheCase { input: string; clipLimit: number; tileGridSize: [number, number]; output: string }
export interface MappingCase extends ClaheCase { window: { center: number; width: number } | null; mapped: string; equalized: string }
export interface VolumeCase extends ClaheCase { equalized: string }
export interface ReferenceIndex {
  generator: string
  arrays: Record<string, ArrayEntry>
  clahe: ClaheCase[]
  equalizeHist: { input: string; output: string }[]
  mapping: MappingCase[]
  volume: VolumeCase[]
}

export const index = JSON.parse(readFileSync(join(dir, 'reference.json'), 'utf8')) as ReferenceIndex
const blob = gunzipSync(readFileSync(join(dir, 'reference.bin.gz')))

const ARRAYS: Record<string, { new (b: ArrayBuffer): TypedArray }> = {
  uint8: Uint8Array, int16: Int16Array, float32: Float32Array,
}

/** A stored array as an image (2D or 3D, x fastest). */
export function referenceImage(name: string): Image {
  const e = index.arrays[name]
  if (!e) throw new Error(`no reference array ${name}`)
  const bytes = blob.buffer.slice(blob.byteOffset + e.offset, blob.byteOffset + e.offset + e.byteLength)
  const Ctor = ARRAYS[e.dtype]
  if (!Ctor) throw new Error(`unexpected dtype ${e.dtype}`)
  return makeImage(e.size, { data: new Ctor(bytes as ArrayBuffer), name })
}

/** Pixel agreement of two uint8 arrays. */
export function agreement(a: ArrayLike<number>, b: ArrayLike<number>): { exact: number; within1: number; maxDiff: number } {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`)
  let exact = 0
  let within1 = 0
  let maxDiff = 0
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i])
    if (d === 0) exact++
    if (d <= 1) within1++
    if (d > maxDiff) maxDiff = d
  }
  return { exact: exact / a.length, within1: within1 / a.length, maxDiff }
}
