/**
 * Segmentation benchmarks on a 512×512×64 synthetic thorax (int16 HU): body ellipse, two lung
 * ellipsoids with vessels, trachea, spine, table gap and noise. The reference is scipy.ndimage
 * 1.10 (+ skimage 0.19 ball) on the same volume, run by /usr/bin/python3; the note says
 * whether the outputs are identical.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { makeImage, pixelData, type Image } from '../src/image'
import { binaryMorphology, connectedComponents, segmentLungs, threshold } from '../src/segment/index'
import { pythonReferenceMs, timeIt, type BenchRow } from './harness'

/** Deterministic xorshift32 in [0, 1). */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1
  return () => {
    s ^= s << 13
    s >>>= 0
    s ^= s >>> 17
    s ^= s << 5
    s >>>= 0
    return s / 4294967296
  }
}

function thorax(nx: number, ny: number, nz: number): Image {
  const rand = rng(12345)
  const data = new Int16Array(nx * ny * nz)
  const cx = nx / 2
  const cy = ny / 2
  // Vessels: random small spheres inside the lungs.
  const vessels: [number, number, number, number][] = []
  for (let k = 0; k < 400; k++) vessels.push([rand() * nx, rand() * ny, rand() * nz, 1.5 + rand() * 3])
  for (let z = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++) {
        let v = -1000
        const body = ((y - cy) / (0.38 * ny)) ** 2 + ((x - cx) / (0.45 * nx)) ** 2 <= 1
        if (body) v = 40
        for (const side of [-1, 1]) {
          const lung = ((y - cy + 0.03 * ny) / (0.26 * ny)) ** 2 + ((x - cx - side * 0.2 * nx) / (0.15 * nx)) ** 2 + ((z - nz * 0.55) / (0.7 * nz)) ** 2 <= 1
          if (lung) v = -850
        }
        if ((y - cy + 0.15 * ny) ** 2 + (x - cx) ** 2 <= (0.04 * nx) ** 2 && z > nz * 0.6) v = -950
        if ((y - cy - 0.28 * ny) ** 2 + (x - cx) ** 2 <= (0.07 * nx) ** 2) v = 700
        if (y > 0.9 * ny && y < 0.93 * ny && x > 0.1 * nx && x < 0.9 * nx) v = 100 // table
        data[x + nx * (y + ny * z)] = v
      }
    }
  }
  for (const [vx, vy, vz, r] of vessels) {
    for (let z = Math.max(0, Math.floor(vz - r)); z <= Math.min(nz - 1, Math.ceil(vz + r)); z++) {
      for (let y = Math.max(0, Math.floor(vy - r)); y <= Math.min(ny - 1, Math.ceil(vy + r)); y++) {
        for (let x = Math.max(0, Math.floor(vx - r)); x <= Math.min(nx - 1, Math.ceil(vx + r)); x++) {
          const i = x + nx * (y + ny * z)
          if ((x - vx) ** 2 + (y - vy) ** 2 + (z - vz) ** 2 <= r * r && data[i] < -800) data[i] = 30
        }
      }
    }
  }
  for (let i = 0; i < data.length; i++) data[i] += Math.round((rand() + rand() + rand() - 1.5) * 40)
  return makeImage([nx, ny, nz], { data, spacing: [0.7, 0.7, 2.5] })
}

const PY = String.raw`
import sys, time, numpy as np
from scipy import ndimage as ndi
from skimage import morphology
d, which = sys.argv[1], sys.argv[2]
img = np.fromfile(d + '/ct.bin', np.int16).reshape(64, 512, 512)
mask = img < -500
def best(f, n=3):
    ts = []
    for _ in range(n):
        t = time.perf_counter(); out = f(); ts.append((time.perf_counter() - t) * 1000)
    return out, sorted(ts)[len(ts) // 2]
if which == 'label':
    (lab, n), ms = best(lambda: ndi.label(mask))
    lab.astype(np.uint32).tofile(d + '/py_label.bin')
elif which == 'close':
    out, ms = best(lambda: ndi.binary_closing(mask, structure=morphology.ball(2), border_value=0))
    out.astype(np.uint8).tofile(d + '/py_close.bin')
else:
    def lungs():
        air = img < -500
        for k in range(air.shape[0]):
            lab, n = ndi.label(air[k])
            border = np.unique(np.concatenate([lab[0], lab[-1], lab[:, 0], lab[:, -1]]))
            air[k] &= ~np.isin(lab, border[border > 0])
        lab, n = ndi.label(air)
        sizes = np.bincount(lab.ravel(), minlength=n + 1)[1:]
        order = np.argsort(-sizes, kind='stable')
        keep = [order[0] + 1]
        if n > 1 and sizes[order[1]] >= 0.1 * sizes[order[0]]:
            keep.append(order[1] + 1)
        m = np.isin(lab, keep)
        se = morphology.ball(2)
        m = ndi.binary_erosion(ndi.binary_dilation(m, se), se, border_value=1)
        return np.stack([ndi.binary_fill_holes(s) for s in m])
    out, ms = best(lungs, 1)
    out.astype(np.uint8).tofile(d + '/py_lungs.bin')
print(ms)
`

function agreement(ours: ArrayLike<number>, file: string): string {
  let theirs: Uint8Array | Uint32Array
  try {
    const buf = readFileSync(file)
    const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength)
    theirs = ours instanceof Uint32Array ? new Uint32Array(ab) : new Uint8Array(ab)
  } catch {
    return 'reference output missing'
  }
  let diff = 0
  for (let i = 0; i < ours.length; i++) if (ours[i] !== theirs[i]) diff++
  return diff === 0 ? 'identical to scipy' : `${diff} voxels differ from scipy`
}

export default async function (): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'segment-bench-'))
  try {
    const ct = thorax(512, 512, 64)
    writeFileSync(join(dir, 'ct.bin'), new Uint8Array((ct.data as Int16Array).buffer))
    const input = 'thorax 512×512×64 int16'
    const mask = threshold(ct, { upper: -500.5 }) // HU < −500 (integers)
    const rows: BenchRow[] = []

    let labels: Uint32Array = new Uint32Array(0)
    const ccMs = await timeIt(() => {
      labels = pixelData(connectedComponents(mask).labels) as Uint32Array
    }, 5)
    const ccRef = pythonReferenceMs(PY, [dir, 'label'])
    rows.push({ operation: 'connectedComponents (6-conn)', input: `${input}, HU < −500 mask`, ms: ccMs, reference: 'scipy.ndimage.label', referenceMs: ccRef, target: '≤ 2× scipy', note: agreement(labels, join(dir, 'py_label.bin')) })

    let closed: Uint8Array = new Uint8Array(0)
    const closeMs = await timeIt(() => {
      closed = pixelData(binaryMorphology(mask, { operation: 'close', radius: 2 })) as Uint8Array
    }, 3)
    const closeRef = pythonReferenceMs(PY, [dir, 'close'])
    rows.push({ operation: 'binaryMorphology close r=2', input: `${input}, HU < −500 mask`, ms: closeMs, reference: 'scipy.ndimage.binary_closing(ball(2))', referenceMs: closeRef, target: '≤ 2× scipy', note: agreement(closed, join(dir, 'py_close.bin')) })

    let lungs: Uint8Array = new Uint8Array(0)
    const lungMs = await timeIt(() => {
      lungs = pixelData(segmentLungs(ct)) as Uint8Array
    }, 3)
    const lungRef = pythonReferenceMs(PY, [dir, 'lungs'])
    rows.push({ operation: 'segmentLungs', input, ms: lungMs, reference: 'same recipe in scipy.ndimage', referenceMs: lungRef, target: '≤ 2× scipy', note: agreement(lungs, join(dir, 'py_lungs.bin')) })
    return rows
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
