/**
 * What the worker relies on: the sinogram (with its angles in metadata) survives structured
 * cloning, the long operations report progress up to 1 and stop on an aborted signal, and input
 * problems are LibraryErrors (ReconError) with a code.
 */
import { describe, expect, it } from 'vitest'
import { LibraryError } from '../../../src/errors'
import { pixelData } from '../../../src/image'
import { iradon, iradonSart, mlem, radon, ReconError, sheppLoganPhantom } from '../../../src/recon/index'

const phantom = sheppLoganPhantom(32)
const angles = Array.from({ length: 12 }, (_, i) => i * 15)

describe('recon operations in the worker', () => {
  it('a structured clone of the sinogram reconstructs the same (angles travel in metadata)', () => {
    const sino = radon(phantom, { angles })
    const copy = structuredClone(sino)
    expect(Array.from(pixelData(iradon(copy)))).toEqual(Array.from(pixelData(iradon(sino))))
  })
  for (const [name, call] of [
    ['radon', (o: object) => radon(phantom, { angles, ...o })],
    ['iradon', (o: object) => iradon(radon(phantom, { angles }), o)],
    ['iradonSart', (o: object) => iradonSart(radon(phantom, { angles }), o)],
    ['mlem', (o: object) => mlem(radon(phantom, { angles }), { iterations: 2, subsets: 2, ...o })],
  ] as const) {
    it(`${name} reports progress up to 1 and stops on an aborted signal`, () => {
      const seen: number[] = []
      call({ onProgress: (f: number) => seen.push(f) })
      expect(seen.length).toBeGreaterThan(1)
      expect(seen[seen.length - 1]).toBeCloseTo(1, 12)
      for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThanOrEqual(seen[i - 1])
      const c = new AbortController()
      c.abort(new Error('stop'))
      expect(() => call({ signal: c.signal })).toThrow('stop')
    })
  }
  it('input problems are LibraryErrors named ReconError with a code', () => {
    try {
      radon(phantom, { angles: [] })
      expect.unreachable()
    } catch (e) {
      expect(e).toBeInstanceOf(LibraryError)
      expect(e).toBeInstanceOf(ReconError)
      expect((e as ReconError).name).toBe('ReconError')
      expect((e as ReconError).code).toBe('BAD_ANGLES')
    }
  })
})
