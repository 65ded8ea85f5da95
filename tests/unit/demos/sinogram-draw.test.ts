// The sinogram figure's filter plot: the library's responses, the chosen one cut off above the cut-off.
import { describe, expect, it } from 'vitest'
import { filterTraces } from '../../../demos/shared/sinogram-draw'

describe('filterTraces', () => {
  it('draws five filters from 0 to ½ cycle per bin; only the chosen one is cut off', () => {
    const traces = filterTraces(256, 'hann', 0.5) as { name: string; x: number[]; y: number[]; line: { width: number } }[]
    expect(traces.map((t) => t.name)).toEqual(['ramp (Ram–Lak)', 'Shepp–Logan', 'cosine', 'Hamming', 'Hann'])
    const hann = traces[4]
    const ramp = traces[0]
    expect(hann.x[0]).toBe(0)
    expect(hann.x[hann.x.length - 1]).toBe(0.5)
    expect(hann.line.width).toBeGreaterThan(ramp.line.width)
    hann.x.forEach((f, k) => { if (f > 0.25) expect(hann.y[k]).toBe(0) })
    expect(ramp.y[ramp.y.length - 1]).toBeCloseTo(1, 2)
  })
})
