/**
 * NIfTI-1 / NIfTI-2 reading and NIfTI-1 writing, matching ITK's NiftiImageIO (ITK 5.4, as
 * shipped in itk-wasm's @itk-wasm/image-io; or C++ ITK 5.2 with `compat: 'itk-5.2'`) for
 * geometry, pixel type and intensity scaling. Header fields are parsed with nifti-reader-js;
 * gzip is inflated with the platform's DecompressionStream (readNifti) or fflate.
 * Beyond ITK: NIfTI-2 files are read (ITK 5.2/5.4 refuse them; checked against nibabel).
 */
import { Gunzip, gzipSync } from 'fflate'
import type { ComponentType, Image, Metadata, PixelType, TypedArray } from '../image'
import { componentTypeOf, voxelCount } from '../image'
import { NIFTI1_HEADER_SIZE, NIFTI2_HEADER_SIZE, parseNiftiHeader, type NiftiHeader } from './nifti-header'
import { niftiGeometry, type NiftiCompat } from './nifti-geometry'
import { NiftiError } from './nifti-errors'

export { chooseNiftiMatrix, niftiGeometry, type NiftiCompat } from './nifti-geometry'
export { parseNiftiHeader, sniffNifti, type NiftiHeader } from './nifti-header'
export { NiftiError, type NiftiErrorCode } from './nifti-errors'

/** Largest pixel buffer (and decompressed file) the reader allocates: 2 GiB − 1, the typed-array limit of common browsers. */
export const NIFTI_MAX_BYTES = 2 ** 31 - 1

/**
 * Deflate's largest possible expansion is about 1032:1 (a 258-byte match coded in two bits, RFC
 * 1951); a gzip file of n bytes cannot decompress to more than this many bytes, so a header that
 * claims more is refused before anything is allocated.
 */
const DEFLATE_MAX_RATIO = 1032

export interface ReadNiftiOptions {
  /** Name given to the image. Default: the header's `descrip`, or 'nifti' when empty. */
  name?: string
  /** Called with the fraction done while decompressing and converting. */
  onProgress?: (fraction: number, message?: string) => void
  /** Cancels the read between decompression chunks. */
  signal?: AbortSignal
  /**
   * readNifti only: gunzip with the platform's DecompressionStream when it exists (browsers,
   * Node ≥ 18), else with fflate. Default: true. readNiftiSync always uses fflate.
   */
  nativeGunzip?: boolean
  /**
   * Which ITK's geometry rules to follow where versions differ: 'itk-wasm' (ITK 5.4, as
   * @itk-wasm/image-io reads) or 'itk-5.2' (C++ ITK 5.2's ImageFileReader). Default: 'itk-wasm'.
   */
  compat?: NiftiCompat
  /**
   * Largest pixel buffer the reader may allocate, in bytes (checked before allocating).
   * Default: {@link NIFTI_MAX_BYTES}.
   */
  maxBytes?: number
}

interface DatatypeInfo {
  name: string
  componentType: ComponentType
  bytes: number
  components: number
  pixelType: PixelType
}

/** NIfTI datatype codes (nifti1.h) and the ITK pixel each one reads as. */
const DATATYPES: Record<number, DatatypeInfo> = {
  2: { name: 'UINT8', componentType: 'uint8', bytes: 1, components: 1, pixelType: 'Scalar' },
  4: { name: 'INT16', componentType: 'int16', bytes: 2, components: 1, pixelType: 'Scalar' },
  8: { name: 'INT32', componentType: 'int32', bytes: 4, components: 1, pixelType: 'Scalar' },
  16: { name: 'FLOAT32', componentType: 'float32', bytes: 4, components: 1, pixelType: 'Scalar' },
  32: { name: 'COMPLEX64', componentType: 'float32', bytes: 4, components: 2, pixelType: 'Complex' },
  64: { name: 'FLOAT64', componentType: 'float64', bytes: 8, components: 1, pixelType: 'Scalar' },
  128: { name: 'RGB24', componentType: 'uint8', bytes: 1, components: 3, pixelType: 'RGB' },
  256: { name: 'INT8', componentType: 'int8', bytes: 1, components: 1, pixelType: 'Scalar' },
  512: { name: 'UINT16', componentType: 'uint16', bytes: 2, components: 1, pixelType: 'Scalar' },
  768: { name: 'UINT32', componentType: 'uint32', bytes: 4, components: 1, pixelType: 'Scalar' },
  1024: { name: 'INT64', componentType: 'int64', bytes: 8, components: 1, pixelType: 'Scalar' },
  1280: { name: 'UINT64', componentType: 'uint64', bytes: 8, components: 1, pixelType: 'Scalar' },
  1792: { name: 'COMPLEX128', componentType: 'float64', bytes: 8, components: 2, pixelType: 'Complex' },
  2304: { name: 'RGBA32', componentType: 'uint8', bytes: 1, components: 4, pixelType: 'RGBA' },
}

const UNSUPPORTED_DATATYPES: Record<number, string> = {
  0: 'UNKNOWN (0)',
  1: 'BINARY (1, 1 bit per voxel)',
  1536: 'FLOAT128 (1536)',
  2048: 'COMPLEX256 (2048)',
}

const INTENT_SYMMATRIX = 1005
const INTENT_DISPVECT = 1006
const INTENT_VECTOR = 1007
const INTENT_GENMATRIX = 1004

const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1

function isGzip(bytes: Uint8Array): boolean {
  return bytes.byteLength >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b
}

function toBytes(buffer: ArrayBuffer | Uint8Array): Uint8Array {
  // A plain view: Node's Buffer.slice() would not copy.
  return buffer instanceof Uint8Array ? new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength) : new Uint8Array(buffer)
}

function gzipError(e: unknown): Error {
  if (e instanceof NiftiError) return e
  const msg = e instanceof Error ? e.message : String(e)
  if (/unexpected (EOF|end)/i.test(msg)) return new NiftiError('TRUNCATED', `Truncated gzip stream: the file ends before its compressed data do (${msg})`)
  return new NiftiError('CORRUPT_GZIP', `Corrupt gzip data: ${msg}`)
}

const CRC_TABLE = (() => {
  const t = new Int32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    t[n] = c
  }
  return t
})()

/**
 * Checks each gzip member's CRC-32 and length (ISIZE) trailer (RFC 1952 §2.3.1) against what was
 * decompressed: fflate inflates without checking them, so a flipped bit would load silently.
 */
function gzipTrailerCheck(input: Uint8Array) {
  let crc = -1
  let length = 0
  const verify = (memberEnd: number) => {
    if (memberEnd < 8 || memberEnd > input.length) throw new NiftiError('TRUNCATED', 'Truncated gzip stream: the trailer (CRC-32 and length) is missing')
    const v = new DataView(input.buffer, input.byteOffset + memberEnd - 8, 8)
    const want = v.getUint32(0, true)
    const size = v.getUint32(4, true)
    const got = (crc ^ -1) >>> 0
    if (size !== length >>> 0) throw new NiftiError('CORRUPT_GZIP', `Corrupt gzip data: the stream decompresses to ${length} bytes but its trailer says ${size} (mod 2³²)`)
    if (got !== want) throw new NiftiError('CORRUPT_GZIP', `Corrupt gzip data: CRC-32 mismatch (computed ${got.toString(16).padStart(8, '0')}, trailer says ${want.toString(16).padStart(8, '0')}); the file is damaged`)
    crc = -1
    length = 0
  }
  return {
    update(chunk: Uint8Array): void {
      let c = crc
      for (let i = 0; i < chunk.length; i++) c = CRC_TABLE[(c ^ chunk[i]!) & 0xff]! ^ (c >>> 8)
      crc = c
      length += chunk.length
    },
    /** A new member starts at `offset` of the input: the previous one ends there. */
    memberStart(offset: number): void {
      verify(offset)
    },
    end(): void {
      verify(input.length)
    },
  }
}

type Plan = (head: Uint8Array) => { start: number; dataBytes: number }

/**
 * Collects decompressed chunks: first only far enough to read the header, then `plan` looks at
 * the header bytes and returns where the pixel data start and how many bytes they take (sizes
 * are checked there, before allocating). The pixel bytes are then written straight into one
 * buffer of that size, which becomes the image's buffer (no further copy).
 */
function plannedSink(plan: Plan) {
  let head: Uint8Array | null = new Uint8Array(0)
  let data: Uint8Array | null = null
  let start = 0
  let end = 0
  let pos = 0 // decompressed bytes seen so far
  let complete = false
  let planError: unknown = null
  const take = (chunk: Uint8Array, at: number): void => {
    // copy the part of chunk (covering [at, at + length)) that falls in [start, end)
    const a = Math.max(at, start)
    const b = Math.min(at + chunk.length, end)
    if (b > a) data!.set(chunk.subarray(a - at, b - at), a - start)
  }
  return {
    push(chunk: Uint8Array): void {
      if (complete) return
      if (data === null) {
        const merged: Uint8Array = new Uint8Array(head!.length + chunk.length)
        merged.set(head!)
        merged.set(chunk, head!.length)
        head = merged
        pos = head.length
        // A NIfTI-2 header needs 540 bytes; wait for them unless this is a NIfTI-1 header.
        if (head.length < NIFTI2_HEADER_SIZE && !(head.length >= NIFTI1_HEADER_SIZE && looksNifti1(head))) return
        try {
          const p = plan(head)
          start = p.start
          end = p.start + p.dataBytes
        } catch (e) {
          planError = e
          complete = true
          return
        }
        data = new Uint8Array(end - start)
        take(head, 0)
        head = null
      } else {
        take(chunk, pos)
        pos += chunk.length
      }
      if (pos >= end) complete = true
    },
    get complete(): boolean {
      return complete
    },
    get planError(): unknown {
      return planError
    },
    finish(): { data: Uint8Array; length: number } {
      if (planError !== null) throw planError
      if (data === null) {
        // Stream ended before a full header: let the header parser report what is wrong.
        plan(head ?? new Uint8Array(0))
        throw new NiftiError('TRUNCATED', 'Truncated NIfTI file: the gzip stream ends inside the header')
      }
      return { data, length: Math.max(0, Math.min(pos, end) - start) }
    },
  }
}

/** Decompresses with fflate (pure JS, synchronous), in 1 MiB input chunks. */
function gunzipPlanned(bytes: Uint8Array, plan: Plan, options: ReadNiftiOptions): { data: Uint8Array; length: number } {
  const CHUNK = 1 << 20
  const sink = plannedSink(plan)
  const trailer = gzipTrailerCheck(bytes)
  const gz = new Gunzip((chunk) => {
    trailer.update(chunk)
    sink.push(chunk)
  })
  gz.onmember = (offset) => trailer.memberStart(offset)
  try {
    // To the end of the stream even when the pixels are complete: the trailer must be checked.
    for (let at = 0; at < bytes.length && sink.planError === null; at += CHUNK) {
      options.signal?.throwIfAborted()
      const stop = Math.min(bytes.length, at + CHUNK)
      gz.push(bytes.subarray(at, stop), stop === bytes.length)
      options.onProgress?.(0.9 * (stop / bytes.length), 'decompressing')
    }
    if (sink.planError === null) trailer.end()
  } catch (e) {
    if (options.signal?.aborted) throw e
    if (sink.planError === null) throw gzipError(e)
  }
  return sink.finish()
}

/** Decompresses with the platform's native DecompressionStream (browsers, Node ≥ 18): ~3× faster than fflate. */
async function gunzipPlannedNative(bytes: Uint8Array, plan: Plan, options: ReadNiftiOptions): Promise<{ data: Uint8Array; length: number }> {
  const sink = plannedSink(plan)
  const input = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip'))
  const reader = input.getReader()
  let out = 0
  try {
    for (;;) {
      options.signal?.throwIfAborted()
      const { value, done } = await reader.read()
      if (done) break
      sink.push(value)
      out += value.length
      // Read to the end even when the pixels are complete: the platform checks the CRC there.
      if (sink.planError !== null) break
      options.onProgress?.(Math.min(0.9, out / Math.max(1, 4 * bytes.length)), 'decompressing')
    }
  } catch (e) {
    if (options.signal?.aborted) throw e
    if (sink.planError === null) throw gzipError(e)
  } finally {
    reader.cancel().catch(() => undefined)
  }
  return sink.finish()
}

function looksNifti1(head: Uint8Array): boolean {
  const v = new DataView(head.buffer, head.byteOffset, head.byteLength)
  return v.getInt32(0, true) === 348 || v.getInt32(0, false) === 348
}

interface Layout {
  dimension: number
  size: number[]
  components: number
  pixelType: PixelType
  /** Vector intent: components are stored as the 5th NIfTI axis (planar), ITK interleaves them. */
  planarComponents: boolean
  /** Bytes of pixel data in the file. */
  dataBytes: number
  slope: number
  inter: number
  rescale: boolean
}

/** Dimension, size, pixel type and scaling ITK's NiftiImageIO derives from a header. */
function layoutOf(h: NiftiHeader, maxBytes = NIFTI_MAX_BYTES): Layout {
  const info = DATATYPES[h.datatype]
  if (!info) {
    const known = UNSUPPORTED_DATATYPES[h.datatype]
    throw new NiftiError('UNSUPPORTED', `Unsupported NIfTI datatype ${known ?? `code ${h.datatype}`}; supported: ${Object.values(DATATYPES).map((d) => d.name).join(', ')}`)
  }
  if (h.intentCode === INTENT_GENMATRIX) throw new NiftiError('UNSUPPORTED', 'NIfTI intent GENMATRIX (1004) is not supported (ITK rejects it too)')
  if (h.intentCode === INTENT_SYMMATRIX || h.intentCode === INTENT_DISPVECT) {
    throw new NiftiError('UNSUPPORTED', `NIfTI intent ${h.intentCode === INTENT_SYMMATRIX ? 'SYMMATRIX (1005)' : 'DISPVECT (1006)'} is not supported by this reader`)
  }
  const d = h.dim
  let dimension: number
  let components = info.components
  let pixelType = info.pixelType
  let planarComponents = false
  if (h.intentCode === INTENT_VECTOR) {
    dimension = d[4] > 1 ? 4 : d[3] > 1 ? 3 : d[2] > 1 ? 2 : 1
    if (info.components !== 1) throw new NiftiError('UNSUPPORTED', `NIfTI vector intent with ${info.name} data is not supported`)
    components = d[5]
    pixelType = 'Vector'
    planarComponents = components > 1
  } else {
    // ITK drops trailing size-1 axes beyond the third (a 4D file with t = 1 is a 3D image).
    dimension = d[0]
    while (dimension > 3 && d[dimension] === 1) dimension--
  }
  const size = d.slice(1, dimension + 1)
  let count = 1
  for (let i = 1; i <= d[0]; i++) count *= d[i] // every stored voxel, vector axis included
  const dataBytes = count * info.bytes * info.components
  let slope = Number.isFinite(h.sclSlope) ? h.sclSlope : 0
  const inter = Number.isFinite(h.sclInter) ? h.sclInter : 0
  if (Math.abs(slope) < Number.EPSILON) slope = 1
  const rescale = Math.abs(slope - 1) > Number.EPSILON || Math.abs(inter) > Number.EPSILON
  const isInteger = !info.componentType.startsWith('float')
  // integer data with scaling come back as float32
  const outBytes = count * (rescale && isInteger ? 4 : info.bytes) * info.components
  const total = h.singleFile ? Math.max(h.voxOffset, 0) + dataBytes : dataBytes
  const limit = Math.min(maxBytes, NIFTI_MAX_BYTES)
  if (!Number.isSafeInteger(count) || outBytes > limit || total > NIFTI_MAX_BYTES) {
    throw new NiftiError(
      'TOO_LARGE',
      `NIfTI image too large: size ${d.slice(1, d[0] + 1).join('×')} (${count} voxels × ${info.components} component(s)) needs ${Math.max(outBytes, total)} bytes, more than the ${limit}-byte limit`,
    )
  }
  return { dimension, size, components, pixelType, planarComponents, dataBytes, slope, inter, rescale }
}

function checkVoxOffset(h: NiftiHeader): void {
  if (!Number.isFinite(h.voxOffset) || h.voxOffset < 0) {
    throw new NiftiError('INVALID_HEADER', `Invalid NIfTI header: vox_offset = ${h.voxOffset}; it must be a finite, non-negative byte offset`)
  }
}

/**
 * Byte offset of the pixel data in a single file: vox_offset, but never inside the header
 * (nifti_clib raises a smaller vox_offset to sizeof(header): 348 for NIfTI-1, 540 for NIfTI-2).
 */
function singleFileOffset(h: NiftiHeader): number {
  const min = h.version === 1 ? NIFTI1_HEADER_SIZE : NIFTI2_HEADER_SIZE
  const off = Math.floor(h.voxOffset)
  return off < min ? min : off
}

const ARRAYS = {
  uint8: Uint8Array, int8: Int8Array, int16: Int16Array, uint16: Uint16Array, int32: Int32Array,
  uint32: Uint32Array, float32: Float32Array, float64: Float64Array, int64: BigInt64Array, uint64: BigUint64Array,
} as const

/** Copies the stored pixels into a typed array of the on-disk type, swapping bytes if needed. */
function decodeStored(src: Uint8Array, h: NiftiHeader, info: DatatypeInfo, owned: boolean): TypedArray {
  const ct = DATATYPES[h.datatype].componentType
  // an own, aligned buffer: the decompressed pixels are used as they are, a caller's buffer is copied
  const bytes = owned && src.byteOffset === 0 && src.byteLength === src.buffer.byteLength ? src : new Uint8Array(src)
  const w = info.bytes
  if (w > 1 && h.littleEndian !== HOST_LITTLE_ENDIAN) {
    for (let i = 0; i < bytes.length; i += w) {
      for (let a = i, b = i + w - 1; a < b; a++, b--) {
        const t = bytes[a]
        bytes[a] = bytes[b]
        bytes[b] = t
      }
    }
  }
  return new ARRAYS[ct](bytes.buffer as ArrayBuffer, 0, bytes.length / w)
}

/** scl_slope/scl_inter as ITK applies them: integers go through float32, floats keep their type. */
function rescaleData(stored: TypedArray, layout: Layout): TypedArray {
  const { slope, inter } = layout
  const n = stored.length
  if (stored instanceof Float64Array) {
    for (let i = 0; i < n; i++) stored[i] = stored[i] * slope + inter
    return stored
  }
  if (stored instanceof Float32Array) {
    for (let i = 0; i < n; i++) stored[i] = stored[i] * slope + inter
    return stored
  }
  const out = new Float32Array(n)
  if (stored instanceof BigInt64Array || stored instanceof BigUint64Array) {
    for (let i = 0; i < n; i++) out[i] = Math.fround(Number(stored[i])) * slope + inter
  } else if (stored instanceof Int32Array || stored instanceof Uint32Array) {
    // ITK casts to float before scaling: large 32-bit integers round first.
    for (let i = 0; i < n; i++) out[i] = Math.fround(stored[i]) * slope + inter
  } else {
    const s = stored as Int8Array | Uint8Array | Int16Array | Uint16Array
    for (let i = 0; i < n; i++) out[i] = s[i] * slope + inter
  }
  return out
}

/** NIfTI's planar vector layout (x, y, z, t, c) → ITK's interleaved one (c fastest). */
function interleave(planar: TypedArray, components: number): TypedArray {
  const n = planar.length / components
  const out = new (planar.constructor as { new (n: number): TypedArray })(planar.length)
  for (let c = 0; c < components; c++) {
    const base = c * n
    for (let i = 0; i < n; i++) (out as Float64Array)[i * components + c] = (planar as Float64Array)[base + i]
  }
  return out
}

function metadataOf(h: NiftiHeader, choice: string): Metadata {
  const m: Metadata = new Map()
  m.set('nifti_version', h.version)
  m.set('datatype', h.datatype)
  m.set('descrip', h.description)
  m.set('qform_code', h.qformCode)
  m.set('sform_code', h.sformCode)
  m.set('orientation_from', choice)
  m.set('scl_slope', h.sclSlope)
  m.set('scl_inter', h.sclInter)
  m.set('xyzt_units', h.xyztUnits)
  m.set('intent_code', h.intentCode)
  m.set('pixdim', h.pixdim.slice())
  m.set('dim', h.dim.slice())
  return m
}

function buildImage(h: NiftiHeader, layout: Layout, pixels: Uint8Array, owned: boolean, options: ReadNiftiOptions): Image {
  const geometry = niftiGeometry(h, layout.dimension, options.compat)
  const finite = (v: ArrayLike<number>) => Array.prototype.every.call(v, Number.isFinite)
  if (!finite(geometry.origin) || !finite(geometry.direction as ArrayLike<number>) || !finite(geometry.spacing) || geometry.spacing.some((x) => !(x > 0))) {
    throw new NiftiError('INVALID_GEOMETRY', `Invalid NIfTI geometry: origin [${geometry.origin.join(', ')}], spacing [${geometry.spacing.join(', ')}] or the direction matrix is not finite (check the qform/sform of the header)`)
  }
  options.signal?.throwIfAborted()
  let data = decodeStored(pixels, h, DATATYPES[h.datatype], owned)
  if (layout.rescale) data = rescaleData(data, layout)
  if (layout.planarComponents) data = interleave(data, layout.components)
  options.onProgress?.(1, 'done')
  return {
    imageType: {
      dimension: layout.dimension,
      componentType: componentTypeOf(data),
      pixelType: layout.pixelType,
      components: layout.components,
    },
    name: options.name ?? (h.description.trim() || 'nifti'),
    origin: geometry.origin,
    spacing: geometry.spacing,
    direction: geometry.direction,
    size: layout.size,
    metadata: metadataOf(h, geometry.choice),
    data,
  }
}

function missing(what: string, have: number, need: number): Error {
  return new NiftiError('TRUNCATED', `Truncated NIfTI ${what}: ${have} bytes, ${need} needed (${need - have} bytes missing)`)
}

/**
 * Reads a NIfTI-1 or NIfTI-2 single file (.nii, or .nii.gz: gzip is detected by its magic
 * bytes, not by a name) into an {@link Image}, as ITK's `itk::NiftiImageIO` does:
 * - geometry: the qform/sform choice of ITK 5.4 (see nifti-geometry.ts; `compat: 'itk-5.2'`
 *   for ITK 5.2's), RAS → LPS by negating the first two rows, spacing = pixdim (a negative one
 *   made positive with its axis flipped, as itk::ImageFileReader does), normalised direction
 *   columns, origin from the matrix's last column; vox_offset below the header size is raised
 *   to it (348 / 540), as nifti_clib does;
 * - size: dim[0] axes with trailing size-1 axes beyond the third dropped (4D with t = 1 is 3D;
 *   4D with t > 1 is a 4D image, dimension 4); dim[0] = 2 gives a 2D image;
 * - pixels: uint8, int8, int16, uint16, int32, uint32, int64, uint64, float32, float64,
 *   RGB24 / RGBA32 (3 / 4 uint8 components), COMPLEX64/128 (2 components), vector intent
 *   (dim[5] components); either byte order;
 * - scl_slope/scl_inter: applied when the slope is non-zero and (slope, inter) ≠ (1, 0);
 *   integer data then becomes float32 (each value cast to float32, then v·slope + inter),
 *   float data keeps its type.
 * Throws a specific Error for a file that is not NIfTI, truncated data (with the number of
 * missing bytes), an unsupported datatype, corrupt gzip, non-positive dims and sizes above
 * {@link NIFTI_MAX_BYTES} (checked before allocating). Options: `name`, `onProgress`, `signal`,
 * `nativeGunzip` (default true), `compat` (default 'itk-wasm').
 */
export async function readNifti(buffer: ArrayBuffer | Uint8Array, options: ReadNiftiOptions = {}): Promise<Image> {
  const input = toBytes(buffer)
  if (!isGzip(input) || typeof DecompressionStream === 'undefined' || options.nativeGunzip === false) return readNiftiSync(input, options)
  const { plan, state } = singleFilePlan(options, input.length)
  const { data, length } = await gunzipPlannedNative(input, plan, options)
  return finishGzip(state, data, length, options)
}

/** Synchronous {@link readNifti}. */
export function readNiftiSync(buffer: ArrayBuffer | Uint8Array, options: ReadNiftiOptions = {}): Image {
  const input = toBytes(buffer)
  const { plan, state } = singleFilePlan(options, isGzip(input) ? input.length : undefined)
  if (isGzip(input)) {
    const { data, length } = gunzipPlanned(input, plan, options)
    return finishGzip(state, data, length, options)
  }
  const { start, dataBytes } = plan(input)
  if (input.length < start + dataBytes) throw missing('file', input.length, start + dataBytes)
  return buildImage(state.h!, state.layout!, input.subarray(start, start + dataBytes), false, options)
}

/**
 * The header check shared by both gunzip paths and plain files: header fields, the memory limit,
 * and for a gzip file of `gzipBytes` bytes whether it could hold that many bytes at all.
 */
function singleFilePlan(options: ReadNiftiOptions, gzipBytes?: number): { plan: Plan; state: { h?: NiftiHeader; layout?: Layout } } {
  const state: { h?: NiftiHeader; layout?: Layout } = {}
  const plan: Plan = (head) => {
    const h = parseNiftiHeader(head)
    if (!h.singleFile) {
      throw new NiftiError('PAIR_HEADER', `This is the header of a NIfTI .hdr/.img pair (magic "${h.magic}"): read it with readNiftiPair(hdr, img)`)
    }
    checkVoxOffset(h)
    state.h = h
    state.layout = layoutOf(h, options.maxBytes)
    const start = singleFileOffset(h)
    const need = start + state.layout.dataBytes
    if (gzipBytes !== undefined && need > DEFLATE_MAX_RATIO * gzipBytes + 1024) {
      throw new NiftiError('TRUNCATED', `Truncated NIfTI file: the header claims ${need} bytes of image, but a ${gzipBytes}-byte gzip file can hold at most about ${DEFLATE_MAX_RATIO * gzipBytes} bytes`)
    }
    return { start, dataBytes: state.layout.dataBytes }
  }
  return { plan, state }
}

function finishGzip(state: { h?: NiftiHeader; layout?: Layout }, data: Uint8Array, length: number, options: ReadNiftiOptions): Image {
  const h = state.h!
  const layout = state.layout!
  const start = singleFileOffset(h)
  if (length < layout.dataBytes) throw missing('file (after decompression)', start + length, start + layout.dataBytes)
  return buildImage(h, layout, data, true, options)
}

/**
 * Reads a NIfTI .hdr/.img pair (magic "ni1"/"ni2"; either part may be gzipped). The pixel data
 * start at vox_offset in the .img (normally 0). Same conversions as {@link readNifti}.
 */
export async function readNiftiPair(hdr: ArrayBuffer | Uint8Array, img: ArrayBuffer | Uint8Array, options: ReadNiftiOptions = {}): Promise<Image> {
  let hb = toBytes(hdr)
  if (isGzip(hb)) hb = gunzipAll(hb)
  const h = parseNiftiHeader(hb)
  checkVoxOffset(h)
  const layout = layoutOf(h, options.maxBytes)
  let ib = toBytes(img)
  if (isGzip(ib)) ib = gunzipAll(ib)
  const start = Math.max(0, Math.floor(h.voxOffset))
  if (ib.length < start + layout.dataBytes) throw missing('.img file', ib.length, start + layout.dataBytes)
  return buildImage(h, layout, ib.subarray(start, start + layout.dataBytes), false, options)
}

function gunzipAll(bytes: Uint8Array): Uint8Array {
  const chunks: Uint8Array[] = []
  let total = 0
  const trailer = gzipTrailerCheck(bytes)
  const gz = new Gunzip((c) => {
    chunks.push(c)
    total += c.length
    if (total > NIFTI_MAX_BYTES) throw new NiftiError('TOO_LARGE', `Decompressed NIfTI data exceeds ${NIFTI_MAX_BYTES} bytes`)
    trailer.update(c)
  })
  gz.onmember = (offset) => trailer.memberStart(offset)
  try {
    gz.push(bytes, true)
    trailer.end()
  } catch (e) {
    throw gzipError(e)
  }
  const out = new Uint8Array(total)
  let o = 0
  for (const c of chunks) {
    out.set(c, o)
    o += c.length
  }
  return out
}

// ---------------------------------------------------------------------------------------------
// Writing

export interface WriteNiftiOptions {
  /** Gzip the file (.nii.gz). Default: true. */
  gzip?: boolean
  /** gzip level 0–9. Default: 6 (zlib's and ITK's default). */
  level?: number
  /** The header's 80-byte `descrip`. Default: the image name, cut to 79 bytes. */
  description?: string
}

const CODE_OF: Partial<Record<ComponentType, number>> = {
  uint8: 2, int16: 4, int32: 8, float32: 16, float64: 64, int8: 256, uint16: 512, uint32: 768, int64: 1024, uint64: 1280,
}

const BYTES_OF: Record<ComponentType, number> = {
  uint8: 1, int8: 1, int16: 2, uint16: 2, int32: 4, uint32: 4, float32: 4, float64: 8, int64: 8, uint64: 8,
}

/** `nifti_mat44_to_quatern` (nifti1_io.c) for an orthonormal 3×3 R: quaternion (b, c, d) and qfac. */
export function rotationToQuaternion(r: number[][]): { b: number; c: number; d: number; qfac: number } {
  let [[r11, r12, r13], [r21, r22, r23], [r31, r32, r33]] = r
  const det = r11 * r22 * r33 - r11 * r32 * r23 - r21 * r12 * r33 + r21 * r32 * r13 + r31 * r12 * r23 - r31 * r22 * r13
  let qfac = 1
  if (det <= 0) {
    qfac = -1
    r13 = -r13
    r23 = -r23
    r33 = -r33
  }
  let a = r11 + r22 + r33 + 1
  let b: number
  let c: number
  let d: number
  if (a > 0.5) {
    a = 0.5 * Math.sqrt(a)
    b = (0.25 * (r32 - r23)) / a
    c = (0.25 * (r13 - r31)) / a
    d = (0.25 * (r21 - r12)) / a
  } else {
    const xd = 1 + r11 - (r22 + r33)
    const yd = 1 + r22 - (r11 + r33)
    const zd = 1 + r33 - (r11 + r22)
    if (xd > 1) {
      b = 0.5 * Math.sqrt(xd)
      c = (0.25 * (r12 + r21)) / b
      d = (0.25 * (r13 + r31)) / b
      a = (0.25 * (r32 - r23)) / b
    } else if (yd > 1) {
      c = 0.5 * Math.sqrt(yd)
      b = (0.25 * (r12 + r21)) / c
      d = (0.25 * (r23 + r32)) / c
      a = (0.25 * (r13 - r31)) / c
    } else {
      d = 0.5 * Math.sqrt(zd)
      b = (0.25 * (r13 + r31)) / d
      c = (0.25 * (r23 + r32)) / d
      a = (0.25 * (r21 - r12)) / d
    }
    if (a < 0) {
      b = -b
      c = -c
      d = -d
    }
  }
  return { b, c, d, qfac }
}

/**
 * Writes an image as a NIfTI-1 single file (magic "n+1", vox_offset 352, little-endian), gzipped
 * by default, as ITK's NiftiImageIO writes it: qform and sform both set (codes SCANNER_ANAT = 1)
 * from the LPS geometry converted back to RAS (rows 0 and 1 negated), pixdim = spacing,
 * pixdim[0] = qfac, xyzt_units = mm + s, scl_slope = 1, scl_inter = 0, datatype from the
 * component type. Scalar images of 1–7 dimensions; uint8 RGB/RGBA as RGB24/RGBA32; other
 * multi-component images as a vector intent (components on the 5th axis, planar).
 * Only the first three axes carry orientation; a direction that is not orthonormal is written
 * as given in the sform and through nifti_mat44_to_quatern's formulas in the qform.
 */
export function writeNifti(image: Image, options: WriteNiftiOptions = {}): ArrayBuffer {
  const data = image.data
  if (data == null) throw new Error(`writeNifti: image "${image.name}" has no pixel data`)
  const dim = image.imageType.dimension
  if (dim < 1 || dim > 7) throw new Error(`writeNifti: dimension ${dim} is outside NIfTI's 1..7`)
  const ct = image.imageType.componentType
  const comps = image.imageType.components
  const count = voxelCount(image)
  if (data.length !== count * comps) {
    throw new Error(`writeNifti: image has ${data.length} values but its size ${image.size.join('×')} × ${comps} component(s) needs ${count * comps}`)
  }
  for (const s of image.size) if (!(Number.isInteger(s) && s > 0 && s <= 32767)) throw new Error(`writeNifti: size ${image.size.join('×')} has an axis outside 1..32767 (NIfTI-1 dims are 16-bit)`)
  if (image.spacing.length < dim || image.spacing.slice(0, dim).some((s) => !(Number.isFinite(s) && s > 0))) {
    throw new Error(`writeNifti: spacing [${image.spacing.join(', ')}] must have ${dim} positive finite values`)
  }
  if (image.origin.length < dim || image.origin.slice(0, dim).some((o) => !Number.isFinite(o))) {
    throw new Error(`writeNifti: origin [${image.origin.join(', ')}] must have ${dim} finite values`)
  }
  if (image.direction.length !== dim * dim || Array.from(image.direction as ArrayLike<number>, Number).some((x) => !Number.isFinite(x))) {
    throw new Error(`writeNifti: direction must be a finite ${dim}×${dim} matrix (${image.direction.length} values given)`)
  }
  const pt = image.imageType.pixelType
  let datatype: number
  let intent = 0
  let vector = false
  if (comps === 1) {
    const code = CODE_OF[ct]
    if (code === undefined) throw new Error(`writeNifti: unsupported component type ${ct}`)
    datatype = code
  } else if (ct === 'uint8' && comps === 3 && pt !== 'Vector') datatype = 128
  else if (ct === 'uint8' && comps === 4 && pt !== 'Vector') datatype = 2304
  else if (pt === 'Complex' && comps === 2 && (ct === 'float32' || ct === 'float64')) datatype = ct === 'float32' ? 32 : 1792
  else {
    const code = CODE_OF[ct]
    if (code === undefined) throw new Error(`writeNifti: unsupported component type ${ct}`)
    datatype = code
    intent = INTENT_VECTOR
    vector = true
    if (dim > 4) throw new Error(`writeNifti: a ${comps}-component image must have at most 4 dimensions (NIfTI puts components on the 5th axis)`)
  }
  const bytesPer = BYTES_OF[ct] * (vector ? 1 : comps)
  const dataBytes = count * comps * BYTES_OF[ct]
  const offset = 352
  const out = new Uint8Array(offset + dataBytes)
  const v = new DataView(out.buffer)
  const LE = true
  v.setInt32(0, 348, LE)
  // dim[]
  const dims = [dim, 1, 1, 1, 1, 1, 1, 1]
  for (let i = 0; i < dim; i++) dims[i + 1] = image.size[i]
  if (vector) {
    dims[0] = 5
    dims[5] = comps
  }
  for (let i = 0; i < 8; i++) v.setInt16(40 + 2 * i, dims[i], LE)
  v.setInt16(68, intent, LE)
  v.setInt16(70, datatype, LE)
  v.setInt16(72, bytesPer * 8, LE)
  // Orientation: RAS matrix M = diag(-1,-1,1)·D·diag(spacing) on the first three axes.
  const nd = Math.min(dim, 3)
  const D = [[1, 0, 0], [0, 1, 0], [0, 0, 1]]
  for (let r = 0; r < nd; r++) for (let c = 0; c < nd; c++) D[r][c] = Number(image.direction[r * dim + c])
  const ras = D.map((row, r) => row.map((x) => (r < 2 ? -x : x)))
  const spacing = [1, 1, 1]
  for (let i = 0; i < nd; i++) spacing[i] = image.spacing[i]
  const originRas = [0, 0, 0]
  for (let i = 0; i < nd; i++) originRas[i] = i < 2 ? -image.origin[i] : image.origin[i]
  const q = rotationToQuaternion(ras)
  const pixdim = [q.qfac, 1, 1, 1, 1, 1, 1, 1]
  for (let i = 0; i < dim; i++) pixdim[i + 1] = image.spacing[i]
  for (let i = 0; i < 8; i++) v.setFloat32(76 + 4 * i, pixdim[i], LE)
  v.setFloat32(108, offset, LE)
  v.setFloat32(112, 1, LE) // scl_slope
  v.setFloat32(116, 0, LE) // scl_inter
  out[123] = 2 | 8 // xyzt_units: mm, s
  const desc = (options.description ?? image.name ?? '').slice(0, 79)
  for (let i = 0; i < desc.length; i++) out[148 + i] = desc.charCodeAt(i) & 0x7f
  v.setInt16(252, 1, LE) // qform_code SCANNER_ANAT
  v.setInt16(254, 1, LE) // sform_code SCANNER_ANAT
  v.setFloat32(256, q.b, LE)
  v.setFloat32(260, q.c, LE)
  v.setFloat32(264, q.d, LE)
  v.setFloat32(268, originRas[0], LE)
  v.setFloat32(272, originRas[1], LE)
  v.setFloat32(276, originRas[2], LE)
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 3; c++) v.setFloat32(280 + (r * 4 + c) * 4, ras[r][c] * spacing[c], LE)
    v.setFloat32(280 + (r * 4 + 3) * 4, originRas[r], LE)
  }
  out[344] = 0x6e // 'n'
  out[345] = 0x2b // '+'
  out[346] = 0x31 // '1'
  // bytes 348..351: extension flag 0
  const src = new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
  if (vector) {
    const planar = new (data.constructor as { new (n: number): TypedArray })(data.length)
    for (let i = 0; i < count; i++) for (let c = 0; c < comps; c++) (planar as Float64Array)[c * count + i] = (data as Float64Array)[i * comps + c]
    out.set(new Uint8Array(planar.buffer), offset)
  } else {
    out.set(src, offset)
  }
  if (!HOST_LITTLE_ENDIAN) throw new Error('writeNifti: big-endian hosts are not supported')
  if (options.gzip === false) return out.buffer
  const level = (options.level ?? 6) as 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9
  return gzipSync(out, { level }).buffer as ArrayBuffer
}
