import { describe, expect, it } from 'vitest'
import { makeImage, type Image } from '../../../src/image'
import { bodyMask, clipHistograms } from '../../../src/index'

// An elliptic-cylinder body (40 HU) on a table slab (250 HU) separated by a mattress (−700 HU),
// with a lung (−850 HU) and a bone/metal block (2000 / 5000 HU) inside; air −1000 HU.
const [NX, NY, NZ] = [48, 40, 6]
function phantom(): { ct: Image; bodyVoxels: number; metalVoxels: number; lungVoxels: number } {
  const data = new Int16Array(NX * NY * NZ)
  let bodyVoxels = 0
  let metalVoxels = 0
  let lungVoxels = 0
  for (let k = 0; k < NZ; k++) {
    for (let j = 0; j < NY; j++) {
      for (let i = 0; i < NX; i++) {
        const x = i - 23.5
        const y = j - 17
        let v = -1000
        if (j >= 36) v = 250 // table
        else if (j >= 34) v = -700 // mattress
        if ((x / 20) ** 2 + (y / 15) ** 2 <= 1) {
          v = 40
          bodyVoxels++
          if (((x + 8) / 6) ** 2 + (y / 8) ** 2 <= 1) { v = -850; lungVoxels++ }
          else if (Math.abs(x - 8) <= 2 && Math.abs(y) <= 2) { v = 5000; metalVoxels++ }
          else if (Math.abs(x - 8) <= 3 && Math.abs(y) <= 3) v = 2000
        }
        data[i + NX * (j + NY * k)] = v
      }
    }
  }
  return { ct: makeImage([NX, NY, NZ], { data }), bodyVoxels, metalVoxels, lungVoxels }
}

describe('bodyMask', () => {
  it('is the body with its lungs, without the table or the air', () => {
    const { ct, bodyVoxels, lungVoxels } = phantom()
    expect(lungVoxels).toBeGreaterThan(0)
    const m = bodyMask(ct)
    const d = m.data as Uint8Array
    let n = 0
    for (let i = 0; i < d.length; i++) n += d[i]
    expect(n).toBe(bodyVoxels)
    expect(d[NX * 38 + 24]).toBe(0) // table
    expect(d[NX * 17 + 16]).toBe(1) // lung centre
    expect(m.imageType.componentType).toBe('uint8')
  })
})

describe('clipHistograms', () => {
  it('counts the body before and after clipping, piling the clipped voxels on the bounds', () => {
    const { ct, bodyVoxels, metalVoxels } = phantom()
    const h = clipHistograms(ct, { clip: [-1200, 600], binWidth: 20, range: [-1300, 5100] })
    const sum = (c: Float64Array) => c.reduce((a, b) => a + b, 0)
    expect(h.voxels).toBe(bodyVoxels)
    expect(sum(h.before.counts)).toBe(bodyVoxels)
    expect(sum(h.after.counts)).toBe(bodyVoxels)
    expect(h.below).toBe(0)
    const bin = (hu: number) => Math.floor((hu + 1300) / 20)
    // 2000 HU and 5000 HU voxels all move to 600 HU.
    expect(h.above).toBe(h.before.counts[bin(2000)] + h.before.counts[bin(5000)])
    expect(h.before.counts[bin(5000)]).toBe(metalVoxels)
    expect(h.after.counts[bin(600)]).toBe(h.before.counts[bin(600)] + h.above)
    expect(h.after.counts[bin(5000)]).toBe(0)
    // The lung and soft tissue are untouched.
    expect(h.after.counts[bin(-850)]).toBe(h.before.counts[bin(-850)])
    expect(h.after.counts[bin(40)]).toBe(h.before.counts[bin(40)])
  })

  it('rejects a reversed clip range', () => {
    expect(() => clipHistograms(phantom().ct, { clip: [600, -1200] })).toThrow(/min < max/)
  })
})
