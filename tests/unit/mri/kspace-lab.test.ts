import { describe, expect, it } from 'vitest'
import { coilExperiment, kspaceExperiment, MriPrepError } from '../../../src/mri'
import { makeImage } from '../../../src/image'

// A simple magnitude object: an ellipse with an inner bright disc and a dark stripe.
const nx = 64
const ny = 48
const obj = makeImage([nx, ny], {
  data: Float32Array.from({ length: nx * ny }, (_, i) => {
    const u = ((i % nx) - nx / 2) / (nx / 2)
    const v = (Math.floor(i / nx) - ny / 2) / (ny / 2)
    if (u * u / 0.7 + v * v / 0.8 > 1) return 0
    return (u * u + v * v < 0.1 ? 2 : 1) * (Math.abs(u - 0.3) < 0.05 ? 0.3 : 1)
  }),
})

describe('kspaceExperiment', () => {
  it('the full mask without a window reconstructs the object exactly', () => {
    const r = kspaceExperiment(obj)
    expect(r.rmse).toBeLessThan(1e-5)
    expect(r.fraction).toBe(1)
  })
  it('homodyne and POCS beat zero-filling on 5/8 partial Fourier; the PSF peak is at the centre', () => {
    const zf = kspaceExperiment(obj, { mask: { kind: 'partial-fourier' } })
    const hd = kspaceExperiment(obj, { mask: { kind: 'partial-fourier' }, method: 'homodyne' })
    const pc = kspaceExperiment(obj, { mask: { kind: 'partial-fourier' }, method: 'pocs' })
    expect(hd.rmse).toBeLessThan(zf.rmse)
    expect(pc.rmse).toBeLessThan(zf.rmse)
    expect((zf.psfLog.data as Float32Array)[(ny / 2) * nx + nx / 2]).toBeCloseTo(0, 6)
  })
  it('R = 2 without ACS aliases more than with ACS; a Hann window blurs the full acquisition', () => {
    const bare = kspaceExperiment(obj, { mask: { kind: 'uniform', acceleration: 2, acs: 0 } })
    const acs = kspaceExperiment(obj, { mask: { kind: 'uniform', acceleration: 2, acs: 16 } })
    expect(acs.rmse).toBeLessThan(bare.rmse)
    const hann = kspaceExperiment(obj, { window: { window: 'hann' } })
    expect(hann.rmse).toBeGreaterThan(0.01)
    expect(hann.rmseWindowOnly).toBeCloseTo(hann.rmse, 6)
  })
  it('a half-size acquisition rings at edges (Gibbs, about 9 % overshoot); a Hann window over it all but removes it', () => {
    const box = makeImage([64, 64], { data: Float32Array.from({ length: 4096 }, (_, i) => (Math.abs((i % 64) - 32) < 12 && Math.abs(Math.floor(i / 64) - 32) < 12 ? 1 : 0)) })
    const bare = kspaceExperiment(box, { mask: { kind: 'low-resolution', keep: 0.5 }, phase: 0 })
    const hann = kspaceExperiment(box, { mask: { kind: 'low-resolution', keep: 0.5 }, window: { window: 'hann' }, phase: 0 })
    expect(bare.fraction).toBeCloseTo(0.25, 12)
    const peak = (r: typeof bare) => Math.max(...(r.recon.data as Float32Array))
    expect(peak(bare)).toBeGreaterThan(1.06)
    expect(peak(hann)).toBeLessThan(1.02)
  })
  it('rejects homodyne without a partial-Fourier mask', () => {
    expect(() => kspaceExperiment(obj, { method: 'homodyne' })).toThrow(MriPrepError)
  })
})

describe('coilExperiment', () => {
  it('whitening removes the noise correlation and raises RSS SNR; Roemer is at least as good', () => {
    const r = coilExperiment(obj, { coils: 8, noise: 0.05, correlation: 0.6, replicas: 8 })
    expect(r.correlation.before).toBeGreaterThan(0.4)
    expect(r.correlation.after).toBeLessThan(1e-9)
    expect(r.meanSnr.whitened).toBeGreaterThan(r.meanSnr.rss)
    expect(r.meanSnr.roemer).toBeGreaterThan(0.95 * r.meanSnr.whitened)
    expect(r.coilNoise[7] / r.coilNoise[0]).toBeGreaterThan(1.5)
    // 3 of 8 virtual coils keep most of the energy and most of the SNR.
    expect(r.compression.energy).toBeGreaterThan(0.8)
    expect(r.meanSnr.compressed).toBeGreaterThan(0.85 * r.meanSnr.whitened)
    expect(r.meanSnr.compressed).toBeLessThan(1.01 * r.meanSnr.whitened)
    expect(() => coilExperiment(obj, { coils: 4, virtualCoils: 5 })).toThrow(MriPrepError)
  })

  it('the first replica does not depend on the number of replicas (the 2.2 figure previews with 2)', () => {
    const options = { coils: 8, noise: 0.05, correlation: 0.6 }
    const few = coilExperiment(obj, { ...options, replicas: 2 })
    const many = coilExperiment(obj, { ...options, replicas: 8 })
    expect(Array.from(few.rss.data as ArrayLike<number>)).toEqual(Array.from(many.rss.data as ArrayLike<number>))
    expect(Array.from(few.rssWhitened.data as ArrayLike<number>)).toEqual(Array.from(many.rssWhitened.data as ArrayLike<number>))
    expect(Array.from(few.coilMagnitudes[3].data as ArrayLike<number>)).toEqual(Array.from(many.coilMagnitudes[3].data as ArrayLike<number>))
    // …while the SNR maps do: the replicas are what they are estimated from.
    expect(few.meanSnr.rss).not.toBe(many.meanSnr.rss)
  })
})
