/** Compares resample() with the ITK outputs written by fuzz_cases.py (run through fuzz.sh). */
import { readFileSync } from 'node:fs'
import { makeImage } from '../../../src/image'
import { resample } from '../../../src/spatial'
const cases = JSON.parse(readFileSync('/tmp/spatial-fuzz/cases.json', 'utf8'))
const arr = (f: string, t: string) => { const b = readFileSync(f); const ab = b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength); return t === 'int16' ? new Int16Array(ab) : t === 'uint8' ? new Uint8Array(ab) : new Float32Array(ab) }
let bad = 0
for (const c of cases) {
  const img = makeImage(c.size, { data: arr(`/tmp/spatial-fuzz/in${c.t}.bin`, c.type), spacing: c.spacing, origin: c.origin, direction: c.direction })
  const out = resample(img, { size: c.osize, spacing: c.ospacing, origin: c.oorigin, direction: c.odirection, interpolator: c.interp, defaultValue: c.default, outputComponentType: c.outType })
  const ref = arr(`/tmp/spatial-fuzz/out${c.t}.bin`, c.outType)
  let mism = 0, maxRel = 0
  for (let i = 0; i < ref.length; i++) if (ref[i] !== out.data![i]) { mism++; maxRel = Math.max(maxRel, Math.abs(ref[i] - (out.data![i] as number)) / Math.max(1, Math.abs(ref[i]))) }
  if (mism) { bad++; console.log('case', c.t, c.dim + 'D', c.type, '->', c.outType, c.interp, 'size', c.size.join('x'), 'mismatch', mism, '/', ref.length, 'maxRel', maxRel.toExponential(2)) }
}
console.log(`${cases.length - bad}/${cases.length} cases bit-exact`)
