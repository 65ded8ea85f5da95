/**
 * RLE Lossless (transfer syntax 1.2.840.10008.1.2.5), decoded natively: DICOM PS3.5 Annex G.
 *
 * Each frame is one fragment (PS3.5 §A.4.2). A fragment starts with a 64-byte header: the number
 * of segments (≤ 15) and 15 byte offsets of the segments from the fragment start (G.5). Each
 * segment is one byte plane of one sample, compressed with the PackBits scheme (G.3.1): a header
 * byte n in 0…127 copies the next n + 1 bytes, −127…−1 repeats the next byte 1 − n times, −128 is
 * a no-op. Segments come sample by sample, most significant byte first (G.2: the Composite Pixel
 * Code is split into bytes, most significant first), whatever the Planar Configuration.
 */
import { DicomError } from './dicom-errors'
import type { FileInfo } from './dicom-slices'

export const TS_RLE = '1.2.840.10008.1.2.5'

/** One PackBits segment into `out` (exactly `out.length` bytes); returns the bytes written. */
function unpackBits(src: Uint8Array, start: number, end: number, out: Uint8Array): number {
  let i = start
  let o = 0
  const n = out.length
  while (i < end && o < n) {
    const h = src[i++]
    if (h < 128) {
      const count = Math.min(h + 1, end - i, n - o)
      out.set(src.subarray(i, i + count), o)
      i += h + 1
      o += count
    } else if (h > 128) {
      if (i >= end) break
      const count = Math.min(257 - h, n - o)
      out.fill(src[i++], o, o + count)
      o += count
    }
    // h === 128 (−128): no operation.
  }
  return o
}

/** The fragment (start, end in the file's bytes) of frame `frame`, one fragment per frame. */
function fragmentOf(file: FileInfo, frame: number): [number, number] {
  const frags = file.pixel?.fragments
  const name = file.parsed.name
  if (!file.pixel?.encapsulatedPixelData || !frags) {
    throw new DicomError('UNSUPPORTED_PIXEL_FORMAT', `${name}: RLE Lossless pixel data must be encapsulated (fragments), but it is not`)
  }
  if (frags.length < file.frames) {
    throw new DicomError('TRUNCATED', `${name}: RLE Lossless pixel data has ${frags.length} fragment(s) for ${file.frames} frame(s) (one fragment per frame, PS3.5 §A.4.2)`)
  }
  const f = frags[frame]
  // Fragment positions are relative to the end of the Basic Offset Table item.
  const start = f.position
  return [start, start + f.length]
}

/**
 * Frame `frame` of an RLE Lossless file as native pixel bytes: little endian, pixel-interleaved
 * (samples innermost), Rows × Columns × SamplesPerPixel × BitsAllocated/8 bytes.
 */
export function decodeRleFrame(file: FileInfo, frame: number): Uint8Array {
  const name = file.parsed.name
  const bytes = file.parsed.byteArray
  const bps = file.bitsAllocated >> 3
  const spp = file.samplesPerPixel
  const pixels = file.rows * file.columns
  const [start, end] = fragmentOf(file, frame)
  if (end > bytes.length) throw new DicomError('TRUNCATED', `${name} is truncated: RLE fragment of frame ${frame + 1} ends ${end - bytes.length} bytes past the end of the file`)
  if (end - start < 64) throw new DicomError('TRUNCATED', `${name}: RLE fragment of frame ${frame + 1} has ${end - start} bytes, less than its 64-byte header`)
  const view = new DataView(bytes.buffer, bytes.byteOffset + start, 64)
  const segments = view.getUint32(0, true)
  const expected = spp * bps
  if (segments !== expected) {
    throw new DicomError(
      'UNSUPPORTED_PIXEL_FORMAT',
      `${name}: RLE frame ${frame + 1} has ${segments} segment(s) but ${spp} sample(s) of ${file.bitsAllocated} bits need ${expected} (PS3.5 §G.2)`,
    )
  }
  const offsets: number[] = []
  for (let k = 0; k < segments; k++) offsets.push(view.getUint32(4 + 4 * k, true))
  const out = new Uint8Array(pixels * expected)
  const plane = new Uint8Array(pixels)
  for (let k = 0; k < segments; k++) {
    const s0 = start + offsets[k]
    const s1 = k + 1 < segments ? start + offsets[k + 1] : end
    if (offsets[k] < 64 || s0 > s1 || s1 > end) {
      throw new DicomError('UNSUPPORTED_PIXEL_FORMAT', `${name}: RLE frame ${frame + 1} has an invalid offset for segment ${k + 1} (${offsets[k]})`)
    }
    const got = unpackBits(bytes, s0, s1, plane)
    if (got < pixels) {
      throw new DicomError('TRUNCATED', `${name}: RLE segment ${k + 1} of frame ${frame + 1} decodes to ${got} bytes, ${pixels} expected (the data is truncated or corrupt)`)
    }
    const sample = Math.floor(k / bps)
    const byte = bps - 1 - (k % bps) // segment 0 of a sample is its most significant byte
    const stride = expected
    for (let p = 0, o = sample * bps + byte; p < pixels; p++, o += stride) out[o] = plane[p]
  }
  return out
}
