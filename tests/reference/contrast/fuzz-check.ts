/**
 * Compares clahe / equalizeHistogram with the OpenCV results written by fuzz.py (see there).
 * Usage: npx tsx tests/reference/contrast/fuzz-check.ts <dir>
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { clahe, equalizeHistogram } from '../../../src/contrast/index'
import { makeImage } from '../../../src/image'

interface Case { w: number; h: number; tx: number; ty: number; clip: number; offset: number }
const dir = process.argv[2]
if (!dir) throw new Error('usage: fuzz-check.ts <dir written by fuzz.py>')
const cases = JSON.parse(readFileSync(join(dir, 'cases.json'), 'utf8')) as Case[]
const blob = readFileSync(join(dir, 'data.bin'))
let claheBad = 0
let eqBad = 0
let pixels = 0
let pixelsBad = 0
for (const c of cases) {
  const n = c.w * c.h
  const at = (k: number) => new Uint8Array(blob.buffer, blob.byteOffset + c.offset + k * n, n)
  const image = makeImage([c.w, c.h], { data: at(0).slice() })
  const ours = clahe(image, { clipLimit: c.clip, tileGridSize: [c.tx, c.ty] }).data as Uint8Array
  const ref = at(1)
  let d = 0
  for (let i = 0; i < n; i++) if (ours[i] !== ref[i]) d++
  pixels += n
  pixelsBad += d
  if (d) {
    claheBad++
    console.log('clahe differs', c, `${d} pixels`)
  }
  const eq = equalizeHistogram(image).data as Uint8Array
  const refEq = at(2)
  let e = 0
  for (let i = 0; i < n; i++) if (eq[i] !== refEq[i]) e++
  if (e) {
    eqBad++
    console.log('equalizeHist differs', c, `${e} pixels`)
  }
}
console.log(`${cases.length} cases: CLAHE differs in ${claheBad} (${pixelsBad}/${pixels} pixels), equalizeHist differs in ${eqBad}`)
process.exitCode = claheBad + eqBad > 0 ? 1 : 0
