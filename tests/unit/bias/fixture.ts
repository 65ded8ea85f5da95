/** Loads the N4 fixtures of tests/reference/bias (written by make_fixture.py). */
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gunzipSync } from 'node:zlib'

export const refDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'reference', 'bias')

export interface FixtureMeta {
  size: [number, number, number]
  spacing: number[]
  field: [number, number, number, number][]
  skimageOtsu200: number
  itkMask: { otsu_threshold?: string; iterations_last_level: string }
  itkOtsu: { otsu_threshold: string; iterations_last_level: string; numberOfIterations: number[] }
  itk2d: { size: [number, number]; iterations_last_level: string }
  logBiasScale: number
}

export const meta: FixtureMeta = JSON.parse(readFileSync(join(refDir, 'fixture.json'), 'utf8'))

function bytes(name: string): ArrayBuffer {
  const b = gunzipSync(readFileSync(join(refDir, name)))
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength)
}
export const loadF32 = (name: string): Float32Array => new Float32Array(bytes(name))
export const loadU8 = (name: string): Uint8Array => new Uint8Array(bytes(name))
/** ITK log bias fields are stored as int16 × 1e4. */
export const loadLogBias = (name: string): Float64Array => Float64Array.from(new Int16Array(bytes(name)), (v) => v / meta.logBiasScale)

/** The known log field the fixture image was multiplied by. */
export function trueLogField(): Float64Array {
  const [nx, ny, nz] = meta.size
  const out = new Float64Array(nx * ny * nz)
  for (let z = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++) {
        const u = (2 * x) / (nx - 1) - 1
        const v = (2 * y) / (ny - 1) - 1
        const w = (2 * z) / (nz - 1) - 1
        let s = 0
        for (const [cx, cy, cz, c] of meta.field) s += c * u ** cx * v ** cy * w ** cz
        out[x + nx * (y + ny * z)] = s
      }
    }
  }
  return out
}

/** Pearson correlation of a and b over the voxels where mask ≠ 0. */
export function pearson(a: ArrayLike<number>, b: ArrayLike<number>, mask: ArrayLike<number>): number {
  let n = 0
  let sa = 0
  let sb = 0
  for (let i = 0; i < a.length; i++) {
    if (!mask[i]) continue
    n++
    sa += a[i]
    sb += b[i]
  }
  const ma = sa / n
  const mb = sb / n
  let cab = 0
  let caa = 0
  let cbb = 0
  for (let i = 0; i < a.length; i++) {
    if (!mask[i]) continue
    const x = a[i] - ma
    const y = b[i] - mb
    cab += x * y
    caa += x * x
    cbb += y * y
  }
  return cab / Math.sqrt(caa * cbb)
}

/** Coefficient of variation over the voxels where mask ≠ 0. */
export function coefficientOfVariation(a: ArrayLike<number>, mask: ArrayLike<number>): number {
  let n = 0
  let s = 0
  let s2 = 0
  for (let i = 0; i < a.length; i++) {
    if (!mask[i]) continue
    n++
    s += a[i]
    s2 += a[i] * a[i]
  }
  const mu = s / n
  return Math.sqrt(Math.max(0, s2 / n - mu * mu)) / mu
}
