import { describe, expect, it } from 'vitest'
import { indexToPhysicalPoint, makeImage, type Image } from '../../../src/image'
import { clipIntensity, ctPipelineProgressPlan, normalizeMinMax, resampleToSpacing, runCtPipeline } from '../../../src/index'

// A synthetic chest: an elliptic-cylinder body (40 HU) in air (−1000 HU), two ellipsoidal lungs
// (−850 HU) and a spherical metal bead (5000 HU), voxelised at voxel centres on a 1.25 × 1.25 × 2.5 mm grid.
const SPACING = [1.25, 1.25, 2.5]
const SIZE = [96, 80, 40]
const LUNG_AXES = [18, 25, 35] // mm
const LUNGS = [[-25, 0, 50], [25, 0, 50]] // centres, mm
const BEAD = { centre: [0, 30, 50], radius: 5 }

function syntheticChest(): Image {
  const [nx, ny, nz] = SIZE
  const data = new Int16Array(nx * ny * nz)
  for (let k = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++) {
        // Physical point with the volume centred on x = y = 0.
        const x = (i - (nx - 1) / 2) * SPACING[0]
        const y = (j - (ny - 1) / 2) * SPACING[1]
        const z = k * SPACING[2]
        let v = -1000
        if ((x / 55) ** 2 + (y / 45) ** 2 <= 1) v = 40
        for (const [cx, cy, cz] of LUNGS) {
          if (((x - cx) / LUNG_AXES[0]) ** 2 + ((y - cy) / LUNG_AXES[1]) ** 2 + ((z - cz) / LUNG_AXES[2]) ** 2 <= 1) v = -850
        }
        const [bx, by, bz] = BEAD.centre
        if ((x - bx) ** 2 + (y - by) ** 2 + (z - bz) ** 2 <= BEAD.radius ** 2) v = 5000
        data[i + nx * (j + ny * k)] = v
      }
    }
  }
  return makeImage(SIZE, { data, spacing: SPACING, origin: [-(nx - 1) / 2 * SPACING[0], -(ny - 1) / 2 * SPACING[1], 0] })
}

const ct = syntheticChest()

function maskCentroid(mask: Image): number[] {
  const [nx, ny] = mask.size
  const d = mask.data as Uint8Array
  const sum = [0, 0, 0]
  let n = 0
  for (let idx = 0; idx < d.length; idx++) {
    if (!d[idx]) continue
    const i = idx % nx
    const j = Math.floor(idx / nx) % ny
    const k = Math.floor(idx / (nx * ny))
    const p = indexToPhysicalPoint(mask, [i, j, k])
    for (let a = 0; a < 3; a++) sum[a] += p[a]
    n++
  }
  return sum.map((s) => s / n)
}

describe('runCtPipeline', () => {
  it('runs every step: isotropic size, lung volume of the two ellipsoids, metal at the bead', async () => {
    const fractions: number[] = []
    const r = await runCtPipeline(ct, {}, { onProgress: (f) => fractions.push(f) })
    const expectedSize = SIZE.map((n, a) => Math.round((n * SPACING[a]) / 1))
    expect(r.hu.size).toEqual(expectedSize)
    expect(r.hu.spacing).toEqual([1, 1, 1])
    expect(r.image.size).toEqual(expectedSize)
    expect(r.steps.map((s) => s.name)).toEqual(['resample', 'lungs', 'metal', 'clip', 'normalize'])
    expect(r.steps.every((s) => s.ran && s.ms >= 0 && s.note.length > 0)).toBe(true)

    const analyticMl = (2 * (4 / 3) * Math.PI * LUNG_AXES[0] * LUNG_AXES[1] * LUNG_AXES[2]) / 1000
    expect(r.lungVolumeMl).not.toBeNull()
    expect(Math.abs(r.lungVolumeMl! - analyticMl) / analyticMl).toBeLessThan(0.04)
    // Each lung's mask lies around its centre: the mask is symmetric in x, centred on the lungs' z.
    const lc = maskCentroid(r.lungMask!)
    expect(Math.abs(lc[0])).toBeLessThan(1)
    expect(Math.abs(lc[1] - LUNGS[0][1])).toBeLessThan(1)
    expect(Math.abs(lc[2] - LUNGS[0][2])).toBeLessThan(1.5)

    expect(r.metalComponents).toBe(1)
    expect(r.metalVoxels).toBeGreaterThan(0)
    const beadMm3 = (4 / 3) * Math.PI * BEAD.radius ** 3
    expect(Math.abs(r.metalVoxels! - beadMm3) / beadMm3).toBeLessThan(0.25)
    const mc = maskCentroid(r.metalMask!)
    for (let a = 0; a < 3; a++) expect(Math.abs(mc[a] - BEAD.centre[a])).toBeLessThan(1.5)
    expect(r.metalMask!.size).toEqual(expectedSize)
    expect(r.lungMask!.size).toEqual(expectedSize)

    // The output is the composition of the library's own operations.
    const hu = resampleToSpacing(ct, [1, 1, 1], { interpolator: 'linear', defaultValue: -1024, outputComponentType: 'float32' })
    const expected = normalizeMinMax(clipIntensity(hu, { min: -1200, max: 600 }), { min: -1200, max: 600 })
    expect(r.image.imageType.componentType).toBe('float32')
    expect(Array.from(r.image.data as Float32Array)).toEqual(Array.from(expected.data as Float32Array))
    // Air at −1000 HU maps to (−1000 + 1200) / 1800.
    expect((r.image.data as Float32Array)[0]).toBeCloseTo(200 / 1800, 6)

    for (let i = 1; i < fractions.length; i++) expect(fractions[i]).toBeGreaterThanOrEqual(fractions[i - 1])
    expect(fractions.at(-1)).toBe(1)
  })

  it('skips the steps switched off', async () => {
    const r = await runCtPipeline(ct, { steps: { resample: false, metal: false, normalize: false } })
    expect(r.steps.filter((s) => s.ran).map((s) => s.name)).toEqual(['lungs', 'clip'])
    expect(r.steps.find((s) => s.name === 'resample')!.note).toBe('switched off')
    expect(r.hu).toBe(ct)
    expect(r.image.size).toEqual(SIZE)
    expect(r.metalMask).toBeNull()
    expect(r.metalVoxels).toBeNull()
    // Clipped HU, not normalised: the bead is clamped to 600, the air stays −1000.
    const d = r.image.data as Int16Array
    expect(d.reduce((m, v) => Math.max(m, v), -Infinity)).toBe(600)
    expect(d.reduce((m, v) => Math.min(m, v), Infinity)).toBe(-1000)
    // Lung volume on the original grid.
    const analyticMl = (2 * (4 / 3) * Math.PI * LUNG_AXES[0] * LUNG_AXES[1] * LUNG_AXES[2]) / 1000
    expect(Math.abs(r.lungVolumeMl! - analyticMl) / analyticMl).toBeLessThan(0.04)
  })

  it('uses the given parameters: anisotropic target, nearest interpolation, metal threshold above the bead', async () => {
    const r = await runCtPipeline(ct, { targetSpacing: [2, 2, 2], interpolator: 'nearest', metalThreshold: 6000, steps: { lungs: false } })
    expect(r.hu.size).toEqual([60, 50, 50])
    expect(r.metalVoxels).toBe(0)
    expect(r.metalComponents).toBe(0)
    expect(r.lungMask).toBeNull()
    // Nearest keeps the input's HU values only.
    const values = new Set(r.hu.data as Float32Array)
    for (const v of values) expect([-1000, 40, -850, 5000, -1024]).toContain(v)
  })

  it('rejects with an AbortError when cancelled before or during the run', async () => {
    const before = new AbortController()
    before.abort()
    await expect(runCtPipeline(ct, {}, { signal: before.signal })).rejects.toMatchObject({ name: 'AbortError' })
    const during = new AbortController()
    let calls = 0
    await expect(runCtPipeline(ct, {}, {
      signal: during.signal,
      onProgress: () => { if (++calls === 3) during.abort() },
    })).rejects.toMatchObject({ name: 'AbortError' })
  })

  it('splits the progress bar over the steps that run, reporting within each share', async () => {
    const plan = ctPipelineProgressPlan({ metal: false })
    expect(plan.map((p) => p.name)).toEqual(['resample', 'lungs', 'clip', 'normalize'])
    expect(plan[0].from).toBe(0)
    expect(plan.at(-1)!.to).toBe(1)
    for (let i = 1; i < plan.length; i++) expect(plan[i].from).toBe(plan[i - 1].to)
    const seen: { f: number; m: string }[] = []
    await runCtPipeline(ct, { steps: { metal: false } }, { onProgress: (f, m) => seen.push({ f, m: m ?? '' }) })
    for (const p of plan) {
      const own = seen.filter((s) => s.m.startsWith(`${p.name}:`))
      expect(own.length).toBeGreaterThanOrEqual(2)
      for (const s of own) {
        expect(s.f).toBeGreaterThanOrEqual(p.from - 1e-12)
        expect(s.f).toBeLessThanOrEqual(p.to + 1e-12)
      }
    }
  })

  it('a scan without lungs: the lung step says it could not apply, the other steps run', async () => {
    // A water cylinder in air: no air inside the body.
    const n = 24
    const data = new Float32Array(n * n * 8)
    for (let k = 0; k < 8; k++) for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) {
      data[i + n * (j + n * k)] = (i - 11.5) ** 2 + (j - 11.5) ** 2 < 81 ? 0 : -1000
    }
    const phantom = makeImage([n, n, 8], { data, spacing: [1, 1, 2] })
    const r = await runCtPipeline(phantom, {})
    const lungs = r.steps.find((s) => s.name === 'lungs')!
    expect(lungs.ran).toBe(false)
    expect(lungs.error).toMatch(/no air inside the body/)
    expect(r.lungMask).toBeNull()
    expect(r.lungVolumeMl).toBeNull()
    expect(r.steps.filter((s) => s.name !== 'lungs').every((s) => s.ran && !s.error)).toBe(true)
    expect(r.image.size).toEqual([24, 24, 16])
    // A bad option is still an error, not a step that 'could not apply'.
    await expect(runCtPipeline(phantom, { lungThreshold: Number.NaN })).rejects.toMatchObject({ name: 'SegmentError', code: 'BAD_OPTION' })
  })
  it('explains bad input', async () => {
    await expect(runCtPipeline(makeImage([8, 8]), {})).rejects.toThrow(/3D CT volume/)
    await expect(runCtPipeline(ct, { clip: [600, -1200] })).rejects.toThrow(/min < max/)
    await expect(runCtPipeline(ct, { targetSpacing: [1, 1] })).rejects.toThrow(/3 values/)
  })
})
