/**
 * Decoding of uncompressed (native) DICOM pixel data, PS3.5 §8.1 and PS3.3 C.7.6.3.1, and of
 * RLE Lossless frames (decoded to native bytes first, dicom-rle.ts).
 */
import { DicomError } from './dicom-errors'
import { TS_RLE, decodeRleFrame } from './dicom-rle'
import type { FileInfo } from './dicom-slices'

/** Where frame `frame`'s native bytes are: the file itself, or a decoded RLE frame (little endian, interleaved). */
function frameSource(file: FileInfo, frame: number): { bytes: Uint8Array; start: number; le: boolean; planar: boolean } {
  if (file.parsed.transferSyntaxUID === TS_RLE) return { bytes: decodeRleFrame(file, frame), start: 0, le: true, planar: false }
  return {
    bytes: file.parsed.byteArray,
    start: file.pixel!.dataOffset + frame * frameBytes(file),
    le: file.parsed.littleEndian,
    planar: file.samplesPerPixel === 3 && file.planarConfiguration === 1,
  }
}

/** Bytes of one frame's pixel data (Rows × Columns × SamplesPerPixel × BitsAllocated/8). */
export function frameBytes(file: FileInfo): number {
  return file.rows * file.columns * file.samplesPerPixel * (file.bitsAllocated >> 3)
}

/** Throws unless the file's native pixel format is one this reader decodes. */
export function checkNativePixelFormat(file: FileInfo): void {
  const name = file.parsed.name
  if (file.bitsAllocated !== 8 && file.bitsAllocated !== 16 && file.bitsAllocated !== 32) {
    throw new DicomError('UNSUPPORTED_PIXEL_FORMAT', `${name}: BitsAllocated ${file.bitsAllocated} is not supported (8, 16 or 32)`)
  }
  if (file.bitsStored < 1 || file.bitsStored > file.bitsAllocated || file.highBit >= file.bitsAllocated || file.highBit + 1 < file.bitsStored) {
    throw new DicomError('UNSUPPORTED_PIXEL_FORMAT', `${name}: BitsStored ${file.bitsStored} / HighBit ${file.highBit} do not fit BitsAllocated ${file.bitsAllocated}`)
  }
  if (file.samplesPerPixel !== 1 && file.samplesPerPixel !== 3) {
    throw new DicomError('UNSUPPORTED_PIXEL_FORMAT', `${name}: SamplesPerPixel ${file.samplesPerPixel} is not supported (1 or 3)`)
  }
  const px = file.pixel!
  if (file.parsed.transferSyntaxUID === TS_RLE) return // fragments are checked frame by frame
  const need = frameBytes(file) * file.frames
  const have = Math.min(px.length, file.parsed.byteArray.length - px.dataOffset)
  if (have < need) {
    throw new DicomError(
      'TRUNCATED',
      `${name} is truncated: its Pixel Data (7FE0,0010) has ${have} bytes but ${file.rows}×${file.columns}` +
        `${file.frames > 1 ? `×${file.frames} frames` : ''}${file.samplesPerPixel > 1 ? `×${file.samplesPerPixel} samples` : ''}` +
        ` at ${file.bitsAllocated} bits needs ${need} (${need - have} bytes missing)`,
    )
  }
}

/**
 * Stored values of frame `frame`, pixel-interleaved (x fastest, samples innermost), into `out`.
 * Bits outside BitsStored are masked off and signed values sign-extended from bit HighBit, as GDCM
 * and DCMTK do (PS3.5 §8.1.1: only the BitsStored bits ending at HighBit are the pixel value).
 */
export function decodeStoredFrame(file: FileInfo, frame: number, out: Float64Array): void {
  const { bytes, start, le, planar } = frameSource(file, frame)
  const ba = file.bitsAllocated
  const n = file.rows * file.columns * file.samplesPerPixel
  const view = new DataView(bytes.buffer, bytes.byteOffset + start, n * (ba >> 3))
  const signed = file.pixelRepresentation === 1
  const shift = file.highBit + 1 - file.bitsStored
  const exact = file.bitsStored === ba && shift === 0
  if (exact) {
    if (ba === 8) {
      if (signed) for (let i = 0; i < n; i++) out[i] = view.getInt8(i)
      else for (let i = 0; i < n; i++) out[i] = bytes[start + i]
    } else if (ba === 16) {
      if (signed) for (let i = 0; i < n; i++) out[i] = view.getInt16(i << 1, le)
      else for (let i = 0; i < n; i++) out[i] = view.getUint16(i << 1, le)
    } else {
      if (signed) for (let i = 0; i < n; i++) out[i] = view.getInt32(i << 2, le)
      else for (let i = 0; i < n; i++) out[i] = view.getUint32(i << 2, le)
    }
  } else if (ba <= 16) {
    const mask = (1 << file.bitsStored) - 1
    const sign = signed ? 1 << (file.bitsStored - 1) : 0
    const range = 1 << file.bitsStored
    for (let i = 0; i < n; i++) {
      const raw = ba === 8 ? bytes[start + i] : view.getUint16(i << 1, le)
      const v = (raw >>> shift) & mask
      out[i] = sign !== 0 && (v & sign) !== 0 ? v - range : v
    }
  } else {
    const range = 2 ** file.bitsStored
    const half = range / 2
    const div = 2 ** shift
    // 32-bit: on doubles (exact below 2^53), as bitwise operators would wrap at 2^31.
    for (let i = 0; i < n; i++) {
      let v = Math.floor(view.getUint32(i << 2, le) / div) % range
      if (signed && v >= half) v -= range
      out[i] = v
    }
  }
  // Planar configuration 1 (RRR…GGG…BBB…): reorder to pixel-interleaved.
  if (planar) {
    const plane = file.rows * file.columns
    const tmp = out.slice(0, n)
    for (let p = 0; p < plane; p++) {
      out[3 * p] = tmp[p]
      out[3 * p + 1] = tmp[plane + p]
      out[3 * p + 2] = tmp[2 * plane + p]
    }
  }
}

/**
 * A zero-copy typed-array view of frame `frame`'s stored values when no conversion is needed
 * (little endian, one sample, BitsStored = BitsAllocated, aligned offset); otherwise null and
 * {@link decodeStoredFrame} must be used.
 */
export function storedFrameView(file: FileInfo, frame: number): Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | null {
  const ba = file.bitsAllocated
  if (file.samplesPerPixel !== 1 || file.bitsStored !== ba || file.highBit !== ba - 1) return null
  if (!file.parsed.littleEndian && ba !== 8) return null
  // Typed arrays read the platform's byte order; DICOM little endian matches all current platforms.
  if (ba !== 8 && !LITTLE_ENDIAN_PLATFORM) return null
  const { bytes, start } = frameSource(file, frame)
  const n = file.rows * file.columns
  const at = bytes.byteOffset + start
  const signed = file.pixelRepresentation === 1
  if (ba === 8) return signed ? new Int8Array(bytes.buffer, at, n) : new Uint8Array(bytes.buffer, at, n)
  if (at % (ba >> 3) !== 0) return null
  if (ba === 16) return signed ? new Int16Array(bytes.buffer, at, n) : new Uint16Array(bytes.buffer, at, n)
  return signed ? new Int32Array(bytes.buffer, at, n) : new Uint32Array(bytes.buffer, at, n)
}

const LITTLE_ENDIAN_PLATFORM = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1
