/**
 * Benchmarks of src/intensity: display windowing (target < 4 ms on a 512² int16 slice; on a 512²
 * float32 slice ≤ 1.5× the plain numpy expression of issue 8, timed by
 * tests/reference/bench/window_numpy.py) and WhiteStripe.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gunzipSync } from 'node:zlib'
import { makeImage, type Image } from '../src/image'
import { applyWindow, WINDOW_PRESETS } from '../src/intensity/window'
import { whiteStripe } from '../src/intensity/white-stripe'
import { pythonMedianMs, referenceStats, timeIt, versusReference, type BenchRow } from './harness'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')

/** CT-like int16 HU values: air, lung, soft tissue and bone regions plus noise (deterministic). */
function ctLike(nx: number, ny: number, nz: number): Image {
  const data = new Int16Array(nx * ny * nz)
  let s = 1
  for (let z = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++) {
        s = (s * 1103515245 + 12345) & 0x7fffffff
        const r = Math.hypot(x - nx / 2, y - ny / 2) / (nx / 2)
        const base = r > 0.9 ? -1000 : r > 0.6 ? -800 : r > 0.2 ? 40 : 700
        data[x + nx * (y + ny * z)] = base + ((s >> 8) % 60) - 30
      }
    }
  }
  return makeImage([nx, ny, nz], { data, spacing: [0.7, 0.7, 2.5] })
}

/** Minimal NIfTI-1 reader for the uint8 Colin27 template (the bench must not depend on src/io). */
function readUint8Nifti(path: string): Image {
  const buf = gunzipSync(readFileSync(path))
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength)
  const dims = [dv.getInt16(42, true), dv.getInt16(44, true), dv.getInt16(46, true)]
  const datatype = dv.getInt16(70, true)
  if (datatype !== 2) throw new Error(`expected uint8 NIfTI, datatype ${datatype}`)
  const offset = dv.getFloat32(108, true)
  const n = dims[0] * dims[1] * dims[2]
  return makeImage(dims, { data: new Uint8Array(buf.buffer.slice(buf.byteOffset + offset, buf.byteOffset + offset + n)) })
}

const pyWindow = (shape: string) => `
import numpy as np
from pydicom.dataset import Dataset
from pydicom.pixel_data_handlers.util import apply_windowing
ds = Dataset(); ds.PhotometricInterpretation = 'MONOCHROME2'; ds.BitsStored = 8; ds.PixelRepresentation = 0
ds.WindowCenter = 50; ds.WindowWidth = 350
rng = np.random.default_rng(0)
a = rng.integers(-1024, 1500, size=${shape}).astype(np.int16)
def run():
    y = apply_windowing(a, ds)
    return np.floor(y + 0.5).astype(np.uint8)
`

export default async function (): Promise<BenchRow[]> {
  const rows: BenchRow[] = []
  const slice = ctLike(512, 512, 1)
  const slice2d = makeImage([512, 512], { data: slice.data as Int16Array })
  const w = WINDOW_PRESETS.mediastinum
  rows.push({
    operation: 'applyWindow LINEAR → uint8',
    input: 'CT slice 512×512 int16',
    ms: await timeIt(() => applyWindow(slice2d, w), 21, 3),
    reference: 'pydicom 2.3 apply_windowing + round (numpy)',
    referenceMs: pythonMedianMs(pyWindow('(512, 512)'), [], 7),
    target: '< 4 ms',
  })
  // Float input (no lookup table) against numpy on the same pixels, read from a raw file.
  const sliceF = makeImage([512, 512], { data: Float32Array.from(slice.data as Int16Array) })
  const dir = mkdtempSync(join(tmpdir(), 'intensity-bench-'))
  try {
    const raw = join(dir, 'ct512.f32')
    writeFileSync(raw, sliceF.data as Float32Array)
    const script = join(root, 'tests/reference/bench/window_numpy.py')
    const args = [raw, '512', '512', String(w.center), String(w.width), '2000']
    const vs = versusReference(() => applyWindow(sliceF, w), 2000, () => referenceStats(script, args))
    rows.push({
      operation: 'applyWindow LINEAR → uint8',
      input: 'CT slice 512×512 float32 (no LUT)',
      ...vs,
      reference: 'numpy 1.24 np.clip((x-(c-0.5))/(w-1)+0.5,0,1)*255 → uint8',
      target: '≤ 1.5× numpy',
    })
    // The same numpy expression without glibc returning its ~1 MB temporaries to the kernel
    // after every call (by default each call page-faults them in again, which is most of
    // numpy's time on this machine): the stricter reference.
    const noFaults = { MALLOC_MMAP_THRESHOLD_: '16777216', MALLOC_TRIM_THRESHOLD_: '268435456' }
    const strict = versusReference(() => applyWindow(sliceF, w), 2000, () => referenceStats(script, args, noFaults))
    rows.push({
      operation: 'applyWindow LINEAR → uint8',
      input: 'CT slice 512×512 float32 (no LUT)',
      ...strict,
      reference: 'the same numpy, temporaries kept mapped (MALLOC_MMAP_THRESHOLD_)',
      target: '≤ 1.5× numpy',
    })
    const exact = versusReference(() => applyWindow(sliceF, w, { fn: 'LINEAR_EXACT' }), 2000, () => referenceStats(script, args, noFaults))
    rows.push({
      operation: 'applyWindow LINEAR_EXACT → uint8',
      input: 'CT slice 512×512 float32 (no LUT)',
      ...exact,
      reference: 'numpy LINEAR expression as above, temporaries kept mapped',
    })
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  rows.push({
    operation: 'applyWindow SIGMOID → float32',
    input: 'CT slice 512×512 int16',
    ms: await timeIt(() => applyWindow(slice2d, w, { fn: 'SIGMOID', outputComponentType: 'float32' }), 21, 3),
  })
  const volume = ctLike(512, 512, 80)
  rows.push({
    operation: 'applyWindow LINEAR → uint8',
    input: 'CT volume 512×512×80 int16',
    ms: await timeIt(() => applyWindow(volume, w), 5, 1),
    reference: 'pydicom 2.3 apply_windowing + round (numpy)',
    referenceMs: pythonMedianMs(pyWindow('(80, 512, 512)'), [], 7),
  })

  let brain: Image | undefined
  for (const p of [join(root, 'public/data/ch2bet.nii.gz'), '/usr/share/mricron/templates/ch2bet.nii.gz']) {
    try {
      brain = readUint8Nifti(p)
      break
    } catch {
      // try the next copy
    }
  }
  if (brain) {
    let note = ''
    const ms = await timeIt(async () => {
      const r = await whiteStripe(brain, { returnHistogram: false })
      note = `mode ${r.mode.toFixed(2)}, stripe ${r.stripeVoxels} voxels, mean ${r.mean.toFixed(2)}, sd ${r.std.toFixed(3)}`
    }, 5, 1)
    rows.push({ operation: 'whiteStripe T1', input: `Colin27 ch2bet ${brain.size.join('×')} uint8`, ms, note })
  }
  return rows
}
