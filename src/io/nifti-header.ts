/**
 * NIfTI-1 / NIfTI-2 header parsing on top of nifti-reader-js, plus the checks nifti_clib's
 * `nifti_hdr_looks_good` / `nifti_convert_nhdr2nim` make before ITK's NiftiImageIO trusts a
 * header (dim[0] in 1..7, dim[1..dim[0]] > 0, zero or non-finite pixdim → 1).
 */
import { NiftiError } from './nifti-errors'
import { NIFTI1, NIFTI2 } from 'nifti-reader-js'

/** The header fields the reader and geometry code need, in NIfTI-1/2 independent form. */
export interface NiftiHeader {
  version: 1 | 2
  littleEndian: boolean
  /** 'n+1' / 'n+2' for a single file, 'ni1' / 'ni2' for a .hdr/.img pair. */
  magic: string
  singleFile: boolean
  /** dim[0..7]; entries past dim[0] are forced to 1 (as nifti_clib does). */
  dim: number[]
  /** pixdim[0..7]; pixdim[0] is qfac; zero or non-finite pixdim[1..dim[0]] are replaced by 1. */
  pixdim: number[]
  datatype: number
  bitpix: number
  intentCode: number
  voxOffset: number
  sclSlope: number
  sclInter: number
  xyztUnits: number
  qformCode: number
  sformCode: number
  quatern: [number, number, number]
  qoffset: [number, number, number]
  /** srow_x, srow_y, srow_z (NIfTI-1: float32 values; NIfTI-2: float64). */
  srow: [number[], number[], number[]]
  description: string
  auxFile: string
  intentName: string
  calMin: number
  calMax: number
  /** Time offset, the origin of the 4th axis in ITK. */
  toffset: number
}

export const NIFTI1_HEADER_SIZE = 348
export const NIFTI2_HEADER_SIZE = 540

/** What a header needs to be told apart: its size, byte order and version, or why it is not one. */
export function sniffNifti(bytes: Uint8Array): { version: 1 | 2; littleEndian: boolean } {
  if (bytes.byteLength < NIFTI1_HEADER_SIZE) {
    throw new NiftiError('NOT_NIFTI', `Not a NIfTI file: ${bytes.byteLength} bytes is shorter than a NIfTI-1 header (348 bytes)`)
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const le = view.getInt32(0, true)
  const be = view.getInt32(0, false)
  const sizeofHdr = le === 348 || le === 540 ? le : be === 348 || be === 540 ? be : undefined
  if (sizeofHdr === undefined) {
    throw new NiftiError('NOT_NIFTI', `Not a NIfTI file: sizeof_hdr is ${le} (expected 348 for NIfTI-1 or 540 for NIfTI-2, in either byte order)`)
  }
  const littleEndian = le === sizeofHdr
  const version = sizeofHdr === 348 ? 1 : 2
  if (version === 2 && bytes.byteLength < NIFTI2_HEADER_SIZE) {
    throw new NiftiError('TRUNCATED', `Truncated NIfTI-2 header: ${bytes.byteLength} bytes, a NIfTI-2 header needs 540`)
  }
  const at = version === 1 ? 344 : 4
  const magic = String.fromCharCode(bytes[at], bytes[at + 1], bytes[at + 2])
  const ok = version === 1 ? magic === 'n+1' || magic === 'ni1' : magic === 'n+2' || magic === 'ni2'
  if (!ok) {
    const shown = JSON.stringify(magic)
    throw new NiftiError('NOT_NIFTI', `Not a NIfTI file: bad magic ${shown} (expected ${version === 1 ? '"n+1" or "ni1"' : '"n+2" or "ni2"'}); Analyze 7.5 headers are not supported`)
  }
  return { version, littleEndian }
}

const finite = (v: number): number => (Number.isFinite(v) ? v : 0)

/** Parses and validates a NIfTI header (the first 348 or 540 bytes of `bytes`). */
export function parseNiftiHeader(bytes: Uint8Array): NiftiHeader {
  const { version, littleEndian } = sniffNifti(bytes)
  const size = version === 1 ? NIFTI1_HEADER_SIZE : NIFTI2_HEADER_SIZE
  // Only the fixed header is handed over: extensions are skipped (ITK ignores them too).
  const raw = new Uint8Array(bytes.subarray(0, size)).buffer
  const h = version === 1 ? new NIFTI1() : new NIFTI2()
  h.readHeader(raw)
  const view = new DataView(raw)
  // nifti-reader-js keeps only one "affine" (its own qform/sform choice): read the srows directly.
  const srow: [number[], number[], number[]] = [[], [], []]
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 4; c++) {
      srow[r][c] = version === 1
        ? view.getFloat32(280 + (r * 4 + c) * 4, littleEndian)
        : view.getFloat64(400 + (r * 4 + c) * 8, littleEndian)
    }
  }
  const dim = h.dims.slice(0, 8).map(Number)
  const ndim = dim[0]
  if (!(ndim >= 1 && ndim <= 7)) {
    throw new NiftiError('INVALID_HEADER', `Invalid NIfTI header: dim[0] = ${ndim}, it must be between 1 and 7`)
  }
  for (let i = 1; i <= ndim; i++) {
    if (!(dim[i] > 0)) {
      throw new NiftiError('INVALID_HEADER', `Invalid NIfTI header: dim[${i}] = ${dim[i]}; every size must be positive (dim = [${dim.join(', ')}])`)
    }
  }
  for (let i = ndim + 1; i < 8; i++) dim[i] = 1
  const pixdim = h.pixDims.slice(0, 8).map(Number)
  for (let i = 1; i <= ndim; i++) if (pixdim[i] === 0 || !Number.isFinite(pixdim[i])) pixdim[i] = 1
  const magic = String.fromCharCode(...bytes.subarray(version === 1 ? 344 : 4, version === 1 ? 347 : 7))
  return {
    version,
    littleEndian,
    magic,
    singleFile: magic === 'n+1' || magic === 'n+2',
    dim,
    pixdim,
    datatype: h.datatypeCode,
    bitpix: h.numBitsPerVoxel,
    intentCode: h.intent_code,
    voxOffset: Number(h.vox_offset),
    sclSlope: h.scl_slope,
    sclInter: h.scl_inter,
    xyztUnits: h.xyzt_units,
    qformCode: h.qform_code,
    sformCode: h.sform_code,
    quatern: [finite(h.quatern_b), finite(h.quatern_c), finite(h.quatern_d)],
    qoffset: [finite(h.qoffset_x), finite(h.qoffset_y), finite(h.qoffset_z)],
    srow,
    description: h.description,
    auxFile: h.aux_file,
    intentName: h.intent_name,
    calMin: h.cal_min,
    calMax: h.cal_max,
    toffset: Number.isFinite(h.toffset) ? h.toffset : 0,
  }
}
