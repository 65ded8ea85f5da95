/**
 * N4 on the full Colin27 volume (public/data/ch2.nii.gz, 181×217×181) with the defaults
 * (shrink 4, [50, 50, 50, 50], Otsu mask) against ITK 5.2's N4 pipeline run natively, single
 * threaded (tests/reference/bias/itk-n4, built by tests/reference/bias/make-reference.sh into
 * /tmp/itk-n4-build/n4). The native time is the tool's own "elapsed_ms" (Otsu + shrink + N4 +
 * full-resolution field + division, no file I/O). A second row times the `backend: 'itk-wasm'`
 * path (ITK 5.2.1 itself compiled to WebAssembly, public/pipelines/n4-bias-field-correction, run
 * with itk-wasm's runPipelineNode) and reports its agreement with the TypeScript port.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { BenchRow } from './harness'
import { timeIt } from './harness'
import { n4BiasFieldCorrection } from '../src/bias/index'
import { readNifti } from '../src/io/index'
import type { Image } from '../src/image'
import { makeImage } from '../src/image'

const here = dirname(fileURLToPath(import.meta.url))
const dataPath = join(here, '..', 'public', 'data', 'ch2.nii.gz')
const tool = '/tmp/itk-n4-build/n4'

/** A smooth synthetic head when ch2.nii.gz is missing: ellipsoid "tissue" with two classes. */
function syntheticBrain(): Image {
  const [nx, ny, nz] = [181, 217, 181]
  const data = new Float32Array(nx * ny * nz)
  for (let z = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++) {
        const u = (x - 90) / 70
        const v = (y - 108) / 90
        const w = (z - 90) / 70
        const r = u * u + v * v + w * w
        if (r < 1) data[x + nx * (y + ny * z)] = (r < 0.4 ? 110 : 70) * Math.exp(0.2 * u - 0.15 * w)
      }
    }
  }
  return makeImage([nx, ny, nz], { data })
}

function nativeMs(path: string): number | undefined {
  if (!existsSync(tool)) return undefined
  try {
    const out = execFileSync(tool, [path, '-', '4', '50x50x50x50', '0.001', '3', '4', '200', '0.15', '0.01', '/tmp/n4-bench-corrected.nii.gz', '/tmp/n4-bench-bias.nii.gz'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const m = /elapsed_ms ([0-9.]+)/.exec(out)
    return m ? Number(m[1]) : undefined
  } catch {
    return undefined
  }
}

export default async function (): Promise<BenchRow[]> {
  const haveData = existsSync(dataPath)
  const image = haveData ? await readNifti(readFileSync(dataPath)) : syntheticBrain()
  // itk-wasm backend first: its first call includes loading the module (Node's runPipelineNode
  // loads and instantiates it on every call; the browser caches it per page/worker).
  const t0 = performance.now()
  let wasmResult = await n4BiasFieldCorrection(image, { backend: 'itk-wasm' })
  const firstWasmMs = performance.now() - t0
  const t1 = performance.now()
  await n4BiasFieldCorrection(image, { backend: 'itk-wasm' })
  const secondWasmMs = performance.now() - t1
  const wasmMs = await timeIt(async () => {
    wasmResult = await n4BiasFieldCorrection(image, { backend: 'itk-wasm' })
  }, 3, 0)

  let iterations: number[] = []
  let tsResult: Awaited<ReturnType<typeof n4BiasFieldCorrection>> | undefined
  const ms = await timeIt(async () => {
    const r = await n4BiasFieldCorrection(image)
    iterations = r.iterations
    tsResult = r
  }, 3, 1)
  const refMs = haveData ? nativeMs(dataPath) : undefined
  return [
    {
      operation: 'n4BiasFieldCorrection',
      input: `${haveData ? 'Colin27 ch2' : 'synthetic'} ${image.size.join('×')}, shrink 4, 50×4`,
      ms,
      reference: refMs === undefined ? undefined : 'ITK 5.2 N4 (1 thread)',
      referenceMs: refMs,
      target: '≤ 2× ITK',
      note: `iterations per level ${iterations.join('/')}`,
    },
    {
      operation: "n4BiasFieldCorrection backend 'itk-wasm'",
      input: `${haveData ? 'Colin27 ch2' : 'synthetic'} ${image.size.join('×')}, shrink 4, 50×4`,
      ms: wasmMs,
      reference: refMs === undefined ? undefined : 'ITK 5.2 N4 (1 thread)',
      referenceMs: refMs,
      note: `ITK 5.2.1 in WebAssembly; log-field Pearson vs the TS port ${logFieldPearson(wasmResult, tsResult, image).toFixed(7)} (voxels > 0); first call ${firstWasmMs.toFixed(0)} ms, second ${secondWasmMs.toFixed(0)} ms; iterations ${wasmResult.iterations.join('/')}`,
    },
  ]
}

/** Pearson correlation of the two log bias fields over the voxels with intensity > 0 (two-pass). */
function logFieldPearson(a: { biasField: Image }, b: { biasField: Image } | undefined, image: Image): number {
  if (!b) return NaN
  const x = a.biasField.data as Float32Array
  const y = b.biasField.data as Float32Array
  const v = image.data as ArrayLike<number>
  let n = 0
  let mx = 0
  let my = 0
  for (let i = 0; i < x.length; i++) {
    if (!(v[i] > 0)) continue
    n++
    mx += Math.log(x[i])
    my += Math.log(y[i])
  }
  mx /= n
  my /= n
  let sxx = 0
  let syy = 0
  let sxy = 0
  for (let i = 0; i < x.length; i++) {
    if (!(v[i] > 0)) continue
    const p = Math.log(x[i]) - mx
    const q = Math.log(y[i]) - my
    sxx += p * p
    syy += q * q
    sxy += p * q
  }
  return sxy / Math.sqrt(sxx * syy)
}
