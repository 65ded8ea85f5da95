/**
 * Seeded random NIfTI-1 headers (codes, quaternions, qfac, shear, slope, byte order, types) for
 * comparing readNifti with ITK: the unit test writes them and reads them with itk-wasm; the
 * ITK 5.2 script (itk52/run-itk52.ts) writes the same files and records ITK 5.2's reading.
 */
import { quaternToMat44 } from '../../../../src/io/nifti-geometry'
import { rotation } from './written-samples'

/** Small seeded PRNG (mulberry32) for the randomised headers. */
export function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** A raw NIfTI-1 file with the given header fields (little- or big-endian) and random pixels. */
export function rawNifti(o: {
  dims: number[]; datatype: number; bytes: number; pixdim: number[]; qformCode: number; sformCode: number
  quatern: number[]; qoffset: number[]; srow: number[][]; slope: number; inter: number; littleEndian: boolean; rand: () => number
}): Uint8Array {
  const n = o.dims.slice(1, o.dims[0] + 1).reduce((a, b) => a * b, 1)
  const b = new Uint8Array(352 + n * o.bytes)
  const v = new DataView(b.buffer)
  const le = o.littleEndian
  v.setInt32(0, 348, le)
  o.dims.forEach((d, i) => v.setInt16(40 + 2 * i, d, le))
  v.setInt16(70, o.datatype, le)
  v.setInt16(72, o.bytes * 8, le)
  o.pixdim.forEach((p, i) => v.setFloat32(76 + 4 * i, p, le))
  v.setFloat32(108, 352, le)
  v.setFloat32(112, o.slope, le)
  v.setFloat32(116, o.inter, le)
  b[123] = 10
  v.setInt16(252, o.qformCode, le)
  v.setInt16(254, o.sformCode, le)
  o.quatern.forEach((q, i) => v.setFloat32(256 + 4 * i, q, le))
  o.qoffset.forEach((q, i) => v.setFloat32(268 + 4 * i, q, le))
  for (let r = 0; r < 3; r++) for (let c = 0; c < 4; c++) v.setFloat32(280 + (r * 4 + c) * 4, o.srow[r][c], le)
  b.set([0x6e, 0x2b, 0x31], 344)
  for (let i = 352; i < b.length; i++) b[i] = Math.floor(o.rand() * 256)
  if (o.datatype === 16 || o.datatype === 64) {
    // keep floats finite: random small values
    for (let i = 0; i < n; i++) {
      if (o.datatype === 16) v.setFloat32(352 + 4 * i, (o.rand() - 0.5) * 1000, le)
      else v.setFloat64(352 + 8 * i, (o.rand() - 0.5) * 1000, le)
    }
  }
  return b
}

export interface RandomCase { name: string; label: string; bytes: Uint8Array }

/** The `count` seeded random cases (deterministic). */
export function randomNiftiCases(count = 40): RandomCase[] {
  const rand = prng(1234)
  const types = [[2, 1], [4, 2], [8, 4], [16, 4], [64, 8], [256, 1], [512, 2], [768, 4]]
  const cases: RandomCase[] = []
  for (let k = 0; k < count; k++) {
    const [datatype, bytes] = types[Math.floor(rand() * types.length)]
    const qformCode = [0, 1, 2, 3][Math.floor(rand() * 4)]
    const sformCode = [0, 1, 2, 3, 4][Math.floor(rand() * 5)]
    const spacing = [0.5 + rand() * 2, 0.5 + rand() * 2, 0.5 + rand() * 4]
    const qfac = rand() < 0.3 ? -1 : 1
    // random unit quaternion with a > 0
    let q = [rand() - 0.5, rand() - 0.5, rand() - 0.5, rand() - 0.5]
    const qn = Math.hypot(...q)
    q = q.map((x) => x / qn)
    if (q[0] < 0) q = q.map((x) => -x)
    const qoffset = [(rand() - 0.5) * 200, (rand() - 0.5) * 200, (rand() - 0.5) * 200]
    const qm = quaternToMat44(Math.fround(q[1]), Math.fround(q[2]), Math.fround(q[3]), qoffset[0], qoffset[1], qoffset[2], Math.fround(spacing[0]), Math.fround(spacing[1]), Math.fround(spacing[2]), qfac)
    const kind = rand()
    let srow: number[][]
    let what: string
    if (kind < 0.3) {
      srow = qm.slice(0, 3).map((r) => [...r]) // the qform matrix itself
      what = 'sform = qform'
    } else if (kind < 0.8) {
      const r = rotation(rand() * 6, rand() * 6, rand() * 6)
      const sp = [0.5 + rand() * 2, 0.5 + rand() * 2, 0.5 + rand() * 4]
      srow = [0, 1, 2].map((i) => [r[i * 3] * sp[0], r[i * 3 + 1] * sp[1], r[i * 3 + 2] * sp[2], (rand() - 0.5) * 200])
      what = 'different orthogonal sform'
    } else {
      srow = qm.slice(0, 3).map((r) => [...r])
      srow[0][1] += 0.3
      srow[2][0] -= 0.2
      what = 'sheared sform'
    }
    const slope = [0, 1, 2.5, -0.75][Math.floor(rand() * 4)]
    const inter = slope === 0 ? 0 : [0, 10, -3.5][Math.floor(rand() * 3)]
    const littleEndian = rand() < 0.7
    const dims = rand() < 0.2 ? [4, 4, 3, 2, 2, 1, 1, 1] : [3, 5, 4, 3, 1, 1, 1, 1]
    const pixdim = [qfac, spacing[0], spacing[1], spacing[2], 1.5, 1, 1, 1]
    const label = `#${k}: qform ${qformCode}, sform ${sformCode} (${what}), qfac ${qfac}, type ${datatype}, slope ${slope}/${inter}, ${littleEndian ? 'LE' : 'BE'}, ${dims[0]}D`
    const bytesOut = rawNifti({ dims, datatype, bytes, pixdim, qformCode, sformCode, quatern: q.slice(1), qoffset, srow, slope, inter, littleEndian, rand: prng(k) })
    cases.push({ name: `random_${k}`, label, bytes: bytesOut })
  }
  return cases
}
