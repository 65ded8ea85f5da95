/** Loads the fixtures written by tests/reference/recon/make-recon-reference.py (skimage 0.19.3, numpy). */
import { readFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'
import { fileURLToPath } from 'node:url'
import { dirname, join } from 'node:path'
import { extractSlice, makeImage, pixelData, type Image, type TypedArray } from '../../../src/image'
import { readNifti } from '../../../src/io/index'

const dir = join(dirname(fileURLToPath(import.meta.url)), '../../reference/recon')
export const root = join(dirname(fileURLToPath(import.meta.url)), '../../..')

interface ArrayEntry { dtype: string; size: number[]; offset: number; byteLength: number }
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const index = JSON.parse(readFileSync(join(dir, 'reference.json'), 'utf8')) as any & { arrays: Record<string, ArrayEntry> }
const blob = gunzipSync(readFileSync(join(dir, 'reference.bin.gz')))
const ARRAYS: Record<string, { new (b: ArrayBuffer): TypedArray }> = { uint8: Uint8Array, float32: Float32Array }

/** A stored array as a 2D image (x fastest). */
export function ref(name: string): Image {
  const e = index.arrays[name] as ArrayEntry | undefined
  if (!e) throw new Error(`no reference array ${name}`)
  const bytes = blob.buffer.slice(blob.byteOffset + e.offset, blob.byteOffset + e.offset + e.byteLength)
  return makeImage(e.size, { data: new ARRAYS[e.dtype](bytes as ArrayBuffer), name })
}

let thorax: Image | undefined
/** The thorax-phantom slice of the reference (z, every 2nd pixel, max(HU + 1000, 0) / 1000, float32), read with the library. */
export async function thoraxSlice(): Promise<Image> {
  if (thorax) return thorax
  const t = index.thorax
  const vol = await readNifti(readFileSync(join(root, t.file)).buffer as ArrayBuffer)
  const slice = extractSlice(vol, t.z)
  const [nx, ny] = slice.size
  const src = pixelData(slice)
  const w = Math.ceil(nx / t.stride)
  const h = Math.ceil(ny / t.stride)
  const data = new Float32Array(w * h)
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data[y * w + x] = Math.max(src[y * t.stride * nx + x * t.stride] + 1000, 0) / 1000
  thorax = makeImage([w, h], { data, name: 'thorax slice' })
  return thorax
}

/** Largest absolute difference of two arrays. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`)
  let worst = 0
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]))
  return worst
}
