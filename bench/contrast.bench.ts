/**
 * `npm run bench -- contrast`: CLAHE and histogram equalization vs OpenCV 4.6 (one thread).
 * The CLAHE rows time OpenCV with tests/reference/bench/clahe_opencv.py (min and median of many
 * repeats, back to back with ours); target on 512² uint8: ≤ 1.5× OpenCV (issue 8 item 4).
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { makeImage, type Image } from '../src/image'
import { clahe, equalizeHistogram } from '../src/contrast/index'
import { pythonMedianMs, referenceStats, timeIt, versusReference, type BenchRow } from './harness'
import { referenceImage } from '../tests/unit/contrast/reference'

/** Low-contrast gradient + noise, deterministic (xorshift), uint8, x fastest. */
function synthetic(nx: number, ny: number, nz = 1): Image {
  const data = new Uint8Array(nx * ny * nz)
  let s = 0x9e3779b9
  for (let z = 0, i = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++, i++) {
        s ^= s << 13; s ^= s >>> 17; s ^= s << 5
        const noise = ((s >>> 0) / 4294967296 - 0.5) * 24
        const v = 50 + (110 * x) / nx + (50 * y) / ny + 20 * Math.sin((x + 2 * z) / 23) * Math.cos(y / 31) + noise
        data[i] = v < 0 ? 0 : v > 255 ? 255 : Math.round(v)
      }
    }
  }
  return makeImage(nz > 1 ? [nx, ny, nz] : [nx, ny], { data })
}

const claheScript = join(dirname(fileURLToPath(import.meta.url)), '../tests/reference/bench/clahe_opencv.py')

/** CLAHE row: ours vs OpenCV on the same pixels (raw file `file`), min of `repeats` each. */
function claheRow(img: Image, file: string, input: string, clipLimit: number, grid: [number, number], repeats: number): BenchRow {
  writeFileSync(file, img.data as Uint8Array)
  const [nx, ny] = img.size
  const args = [file, String(ny), String(nx), String(clipLimit), String(grid[0]), String(grid[1]), String(repeats), `${file}.cv`]
  const vs = versusReference(() => clahe(img, { clipLimit, tileGridSize: grid }), repeats, () => referenceStats(claheScript, args))
  let agreement = 'OpenCV output not available'
  if (existsSync(`${file}.cv`)) {
    const theirs = readFileSync(`${file}.cv`)
    const ours = clahe(img, { clipLimit, tileGridSize: grid }).data as Uint8Array
    let differing = 0
    for (let i = 0; i < ours.length; i++) if (ours[i] !== theirs[i]) differing++
    agreement = differing === 0 && theirs.length === ours.length ? 'bit-identical to OpenCV' : `${differing} pixels differ from OpenCV`
  }
  return { operation: 'clahe', input, ...vs, reference: 'OpenCV 4.6 createCLAHE().apply (1 thread)', note: `${agreement}; ${vs.note}` }
}

/** Median ms of an OpenCV call on the same pixels (read from a raw file), one thread. */
function opencvMs(file: string, shape: number[], call: string, runs: number): number | undefined {
  const setup = `
import sys, numpy as np, cv2
cv2.setNumThreads(1)
img = np.fromfile(sys.argv[1], np.uint8).reshape(${JSON.stringify(shape)})
c = cv2.createCLAHE(clipLimit=2.0, tileGridSize=(8, 8))
def run(): ${call}
`
  return pythonMedianMs(setup, [file], runs, 5)
}

export default async (): Promise<BenchRow[]> => {
  const dir = mkdtempSync(join(tmpdir(), 'contrast-bench-'))
  const rows: BenchRow[] = []
  try {
    const img = synthetic(512, 512)
    const f2 = join(dir, 'img512.u8')
    writeFileSync(f2, img.data as Uint8Array)
    rows.push({ ...claheRow(img, f2, '512×512 uint8, clip 2, 8×8 tiles', 2, [8, 8], 1000), target: '≤ 1.5× OpenCV' })
    rows.push(claheRow(img, join(dir, 'a.u8'), '512×512 uint8, clip 4, 16×16 tiles', 4, [16, 16], 1000))
    rows.push(claheRow(img, join(dir, 'b.u8'), '512×512 uint8, clip 40, 4×4 tiles', 40, [4, 4], 1000))
    // Not a multiple of the grid: OpenCV pads to 504×504, 63×63 tiles (not powers of two), so
    // the interpolation checks every pixel for a near-tie.
    rows.push(claheRow(synthetic(500, 500), join(dir, 'img500.u8'), '500×500 uint8, clip 2, 8×8 tiles (padded, 63×63 tiles)', 2, [8, 8], 500))
    // A real image: Colin27 T1 axial slice 90 (the committed test fixture), 181×217.
    rows.push(claheRow(referenceImage('colin_181x217'), join(dir, 'colin.u8'), 'Colin27 T1 slice 181×217 uint8, clip 2, 8×8 tiles', 2, [8, 8], 1000))
    rows.push({
      operation: 'equalizeHistogram',
      input: '512×512 uint8',
      ms: await timeIt(() => equalizeHistogram(img), 101, 20),
      reference: 'OpenCV 4.6 equalizeHist (1 thread)',
      referenceMs: opencvMs(f2, [512, 512], 'cv2.equalizeHist(img)', 301),
      note: 'bit-identical to OpenCV',
    })
    const vol = synthetic(256, 256, 64)
    const f3 = join(dir, 'vol.u8')
    writeFileSync(f3, vol.data as Uint8Array)
    rows.push({
      operation: 'clahe (slice-wise 3D)',
      input: '256×256×64 uint8, clip 2, 8×8 tiles',
      ms: await timeIt(() => clahe(vol, { clipLimit: 2, tileGridSize: [8, 8] }), 11, 2),
      reference: 'OpenCV 4.6, Python loop over slices (1 thread)',
      referenceMs: opencvMs(f3, [64, 256, 256], '[c.apply(s) for s in img]', 21),
      target: '≤ 2× OpenCV',
    })
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  return rows
}
