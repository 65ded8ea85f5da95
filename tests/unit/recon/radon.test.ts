/**
 * radon and iradon against skimage 0.19.3 (tests/reference/recon/make-recon-reference.py):
 * max |ours − skimage| ≤ 1e-4 × the range of skimage's output, on the resized Shepp–Logan
 * phantom (128², 64², a 48×64 crop) and a slice of the thorax phantom.
 */
import { describe, expect, it } from 'vitest'
import { pixelData, type Image } from '../../../src/image'
import { fbpFilterResponse, iradon, radon, ReconError, SINOGRAM_ANGLES_KEY, type FbpFilter } from '../../../src/recon/index'
import { index, maxAbsDiff, ref, thoraxSlice } from './reference'

const input = async (name: string): Promise<Image> => (name === 'thorax' ? thoraxSlice() : ref(name))

describe('the thorax slice read with the library', () => {
  it('is the slice the reference script read with nibabel', async () => {
    const t = await thoraxSlice()
    expect(t.size).toEqual(index.thorax.size)
    const d = pixelData(t)
    let sum = 0
    for (let i = 0; i < d.length; i++) sum += d[i]
    expect(Math.abs(sum - index.thorax.sum)).toBeLessThan(1e-6 * index.thorax.sum)
    for (const [x, y, v] of index.thorax.samples) expect(d[y * t.size[0] + x]).toBeCloseTo(v, 6)
  })
})

describe('radon equals skimage.transform.radon', () => {
  for (const c of index.radon) {
    it(`${c.name}: ${c.angles.length} views, circle ${c.circle}`, async () => {
      const out = radon(await input(c.image), { angles: c.angles, circle: c.circle })
      const expected = ref(c.output)
      expect(out.size).toEqual(expected.size)
      const err = maxAbsDiff(pixelData(out), pixelData(expected))
      expect(err).toBeLessThanOrEqual(1e-4 * c.range)
      // float32 storage of the reference is the only expected difference
      expect(err).toBeLessThanOrEqual(1e-6 * c.range)
      expect(out.metadata.get(SINOGRAM_ANGLES_KEY)).toEqual(c.angles)
    })
  }
})

describe('iradon equals skimage.transform.iradon', () => {
  for (const c of index.iradon) {
    it(`${c.name}: filter ${c.filter}, ${c.interpolation}, circle ${c.circle}${c.outputSize ? `, size ${c.outputSize}` : ''}${c.cutoff ? `, cutoff ${c.cutoff} (numpy-filtered, then skimage's unfiltered iradon)` : ''}`, () => {
      const out = iradon(ref(c.sinogram), { angles: c.angles, filter: c.filter as FbpFilter, interpolation: c.interpolation, circle: c.circle, outputSize: c.outputSize ?? undefined, cutoff: c.cutoff })
      const expected = ref(c.output)
      expect(out.size).toEqual(expected.size)
      expect(maxAbsDiff(pixelData(out), pixelData(expected))).toBeLessThanOrEqual(1e-4 * c.range)
    })
  }
  it('takes the angles radon stored when none are given', () => {
    const c = index.iradon.find((x: { name: string }) => x.name === 'iradon_sl64_ramp')
    const sino = radon(ref('sl64'), { angles: c.angles })
    const a = iradon(sino)
    const b = iradon(sino, { angles: c.angles })
    expect(maxAbsDiff(pixelData(a), pixelData(b))).toBe(0)
  })
})

describe('fbpFilterResponse equals skimage _get_fourier_filter(64, name)', () => {
  for (const [name, values] of Object.entries(index.filters64 as Record<string, number[]>)) {
    it(name, () => {
      const f = fbpFilterResponse(64, name === 'None' ? null : (name as FbpFilter))
      expect(maxAbsDiff(f, values)).toBeLessThan(1e-12)
    })
  }
})

describe('input checks (ReconError, before any allocation)', () => {
  const img = ref('sl64')
  it.each([
    ['a 3D image', () => radon({ ...img, imageType: { ...img.imageType, dimension: 3 }, size: [64, 8, 8] }), 'BAD_IMAGE'],
    ['no angles', () => radon(img, { angles: [] }), 'BAD_ANGLES'],
    ['a NaN angle', () => radon(img, { angles: [0, Number.NaN] }), 'BAD_ANGLES'],
    ['angles not matching the views', () => iradon(ref('radon_sl64_100_circle'), { angles: [0, 1, 2] }), 'BAD_ANGLES'],
    ['an unknown filter', () => iradon(ref('radon_sl64_100_circle'), { filter: 'butterworth' as FbpFilter }), 'BAD_OPTION'],
    ['an unknown interpolation', () => iradon(ref('radon_sl64_100_circle'), { interpolation: 'cubic' as 'linear' }), 'BAD_OPTION'],
    ['a huge output size', () => iradon(ref('radon_sl64_100_circle'), { outputSize: 1e9 }), 'BAD_OPTION'],
    ['a cut-off of 0', () => iradon(ref('radon_sl64_100_circle'), { cutoff: 0 }), 'BAD_OPTION'],
  ])('%s', (_, call, code) => {
    try {
      call()
      expect.unreachable()
    } catch (e) {
      expect(e).toBeInstanceOf(ReconError)
      expect((e as ReconError).code).toBe(code)
    }
  })
})
