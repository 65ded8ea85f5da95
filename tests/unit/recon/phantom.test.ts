/** The modified Shepp–Logan phantom against skimage's shepp_logan_phantom() (400², stored 8-bit). */
import { describe, expect, it } from 'vitest'
import { pixelData } from '../../../src/image'
import { sheppLoganPhantom } from '../../../src/recon/index'
import { ref } from './reference'

describe('sheppLoganPhantom', () => {
  it('at 400² equals skimage.data.shepp_logan_phantom() after rounding down to 1/255 steps, pixel for pixel', () => {
    const ours = pixelData(sheppLoganPhantom(400))
    const theirs = pixelData(ref('phantom400_u8'))
    let differ = 0
    for (let i = 0; i < ours.length; i++) if (Math.floor(ours[i] * 255 + 1e-6) !== theirs[i]) differ++
    expect(differ).toBe(0)
  })
  it('has the six tissue values 0, 0.1, 0.2, 0.3, 0.4 and 1', () => {
    const values = new Set(Array.from(pixelData(sheppLoganPhantom(256)), (v) => Math.round(v * 10) / 10))
    expect([...values].sort()).toEqual([0, 0.1, 0.2, 0.3, 0.4, 1])
  })
})
