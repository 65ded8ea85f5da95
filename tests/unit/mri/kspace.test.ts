import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { complexMagnitude, dftInPlace, fft2, ifft2 } from '../../../src/mri'
import { makeImage } from '../../../src/image'

const ref = JSON.parse(readFileSync(join(__dirname, '../../reference/mri/fft-reference.json'), 'utf8'))

describe('fft2 / ifft2 vs numpy.fft', () => {
  for (const c of ref.cases) {
    it(`${c.size[0]} × ${c.size[1]}`, () => {
      const img = makeImage(c.size, { data: Float64Array.from(c.x) })
      const k = fft2(img, { shift: true }).data as Float64Array
      const plain = fft2(img).data as Float64Array
      const scale = Math.max(...c.kRe.map(Math.abs))
      c.kRe.forEach((v: number, i: number) => {
        expect(Math.abs(k[2 * i] - v)).toBeLessThan(1e-10 * scale)
        expect(Math.abs(k[2 * i + 1] - c.kIm[i])).toBeLessThan(1e-10 * scale)
        expect(Math.abs(plain[2 * i] - c.plainRe[i])).toBeLessThan(1e-10 * scale)
        expect(Math.abs(plain[2 * i + 1] - c.plainIm[i])).toBeLessThan(1e-10 * scale)
      })
      const back = ifft2(fft2(img, { shift: true }), { shift: true })
      const b = back.data as Float64Array
      c.backRe.forEach((v: number, i: number) => expect(Math.abs(b[2 * i] - v)).toBeLessThan(1e-12))
      expect(back.imageType.pixelType).toBe('Complex')
      const mag = complexMagnitude(back).data as Float32Array
      c.x.forEach((v: number, i: number) => expect(mag[i]).toBeCloseTo(Math.abs(v), 5))
    })
  }
  it('a 1D DFT of prime length 13 (Bluestein) equals numpy.fft.fft', () => {
    const re = Float64Array.from(ref.dft13.re)
    const im = Float64Array.from(ref.dft13.im)
    dftInPlace(re, im)
    ref.dft13.fRe.forEach((v: number, i: number) => {
      expect(re[i]).toBeCloseTo(v, 10)
      expect(im[i]).toBeCloseTo(ref.dft13.fIm[i], 10)
    })
  })
})

describe('fft2 of a real image (rows transformed two at a time)', () => {
  // The real path packs two rows into one complex FFT; it must equal the plain complex transform.
  for (const [nx, ny] of [[16, 16], [8, 7], [32, 5], [6, 5], [1, 4]]) {
    it(`${nx}×${ny}: equals the transform of the same data as a complex image`, () => {
      const real = Float64Array.from({ length: nx * ny }, (_, k) => Math.sin(0.7 * k) + (k % 3) - 0.3 * ((k * 7) % 5))
      const interleaved = new Float64Array(2 * nx * ny)
      real.forEach((v, k) => (interleaved[2 * k] = v))
      const complex = makeImage([nx, ny], { data: interleaved, components: 2 })
      for (const shift of [false, true]) {
        const a = fft2(makeImage([nx, ny], { data: real }), { shift }).data as Float64Array
        const b = fft2(complex, { shift }).data as Float64Array
        const scale = Math.max(...b.map(Math.abs))
        for (let i = 0; i < b.length; i++) expect(Math.abs(a[i] - b[i]) / scale).toBeLessThan(1e-14)
      }
    })
  }
})
