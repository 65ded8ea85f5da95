/** Loads the fixtures written by tests/reference/segment/make-reference.py. */
import { readFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'
import { fileURLToPath } from 'node:url'
import { makeImage, type Image, type NumericArray } from '../../../src/image'

export const referenceDir = fileURLToPath(new URL('../../reference/segment/', import.meta.url))

export interface ArrayDesc {
  file: string
  dtype: 'bits' | 'uint8' | 'int16' | 'uint16' | 'uint32'
  size: number[]
}

export function readArray(desc: ArrayDesc): NumericArray {
  const buf = gunzipSync(readFileSync(referenceDir + 'data/' + desc.file))
  const bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength).slice()
  const n = desc.size.reduce((a, b) => a * b, 1)
  switch (desc.dtype) {
    case 'bits': {
      const out = new Uint8Array(n)
      for (let i = 0; i < n; i++) out[i] = (bytes[i >> 3] >> (7 - (i & 7))) & 1
      return out
    }
    case 'uint8':
      return bytes
    case 'int16':
      return new Int16Array(bytes.buffer)
    case 'uint16':
      return new Uint16Array(bytes.buffer)
    case 'uint32':
      return new Uint32Array(bytes.buffer)
  }
}

export function readImage(desc: ArrayDesc, spacing?: number[]): Image {
  return makeImage(desc.size, { data: readArray(desc), spacing })
}

export function cases<T>(): T[] {
  return JSON.parse(readFileSync(referenceDir + 'cases.json', 'utf8')) as T[]
}

/** Index of the first differing element and the count of differences (−1, 0 when equal). */
export function diff(a: ArrayLike<number>, b: ArrayLike<number>): { first: number; count: number } {
  if (a.length !== b.length) return { first: -2, count: Math.abs(a.length - b.length) }
  let first = -1
  let count = 0
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) {
      if (first < 0) first = i
      count++
    }
  }
  return { first, count }
}
