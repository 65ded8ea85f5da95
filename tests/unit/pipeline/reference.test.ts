// runCtPipeline, bodyMask and clipHistograms against the recipe written independently with
// numpy / scipy / skimage in tests/reference/pipeline/make-reference.py, on a crop of the phantom.
import { readFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { makeImage } from '../../../src/image'
import { bodyMask, clipHistograms, runCtPipeline } from '../../../src/index'

const dir = fileURLToPath(new URL('../../reference/pipeline/', import.meta.url))

interface Desc { file: string; dtype: 'bits' | 'int16' | 'float32'; size: number[] }
interface Case {
  input: Desc
  spacing: number[]
  origin: number[]
  options: { targetSpacing: number[]; metalMinVoxels: number; metalThreshold: number }
  size: number[]
  hu: Desc
  lungs: Desc
  metal: Desc
  body: Desc
  lungVoxels: number
  metalVoxels: number
  metalComponents: number
  bodyVoxels: number
  histBefore: number[]
  histAfter: number[]
}

function read(desc: Desc): Int16Array | Float32Array | Uint8Array {
  const buf = gunzipSync(readFileSync(dir + 'data/' + desc.file))
  const bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength).slice()
  const n = desc.size.reduce((a, b) => a * b, 1)
  if (desc.dtype === 'int16') return new Int16Array(bytes.buffer)
  if (desc.dtype === 'float32') return new Float32Array(bytes.buffer)
  const out = new Uint8Array(n)
  for (let i = 0; i < n; i++) out[i] = (bytes[i >> 3] >> (7 - (i & 7))) & 1
  return out
}

function mismatches(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length)
  let n = 0
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) n++
  return n
}

const { cases } = JSON.parse(readFileSync(dir + 'cases.json', 'utf8')) as { cases: Case[] }

describe.each(cases.map((c) => [c.options.targetSpacing.join(' × '), c] as const))('CT pipeline vs the numpy/scipy recipe, target %s mm', (_, c) => {
  const ct = makeImage(c.input.size, { data: read(c.input), spacing: c.spacing, origin: c.origin })

  it('matches the resampled HU, the masks, the normalised image and the counts', async () => {
    const r = await runCtPipeline(ct, c.options)
    expect(r.hu.size).toEqual(c.size)
    const refHu = read(c.hu) as Float32Array
    const hu = r.hu.data as Float32Array
    let maxErr = 0
    for (let i = 0; i < hu.length; i++) maxErr = Math.max(maxErr, Math.abs(hu[i] - refHu[i]))
    expect(maxErr).toBeLessThan(1e-3)
    expect(mismatches(r.lungMask!.data as Uint8Array, read(c.lungs))).toBe(0)
    expect(mismatches(r.metalMask!.data as Uint8Array, read(c.metal))).toBe(0)
    expect(r.metalComponents).toBe(c.metalComponents)
    expect(r.metalVoxels).toBe(c.metalVoxels)
    const voxelMl = c.options.targetSpacing.reduce((a, b) => a * b, 1) / 1000
    expect(r.lungVolumeMl).toBeCloseTo(c.lungVoxels * voxelMl, 9)
    // (clip(hu, −1200, 600) + 1200) / 1800 from the reference HU.
    const image = r.image.data as Float32Array
    let maxNorm = 0
    for (let i = 0; i < image.length; i++) {
      const v = Math.min(600, Math.max(-1200, refHu[i]))
      maxNorm = Math.max(maxNorm, Math.abs(image[i] - (v + 1200) / 1800))
    }
    expect(maxNorm).toBeLessThan(1e-6)
  })

  it('matches the body mask and the histograms before and after clipping', async () => {
    const hu = makeImage(c.size, { data: read(c.hu), spacing: c.options.targetSpacing, origin: c.origin })
    const body = bodyMask(hu)
    expect(mismatches(body.data as Uint8Array, read(c.body))).toBe(0)
    const h = clipHistograms(hu, { binWidth: 20, range: [-1300, 3200] })
    expect(h.voxels).toBe(c.bodyVoxels)
    expect(Array.from(h.before.counts)).toEqual(c.histBefore)
    expect(Array.from(h.after.counts)).toEqual(c.histAfter)
  })
})
