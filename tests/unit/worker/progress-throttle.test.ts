import { describe, expect, it } from 'vitest'
import { progressThrottle } from '../../../src/worker/progress-throttle'

describe('progressThrottle', () => {
  it('posts at most one report per interval within a phase, and always the last', () => {
    let t = 0
    const post = progressThrottle(50, () => t)
    const posted: number[] = []
    for (let i = 0; i < 20; i++) {
      t = i * 10
      if (post(i / 20, `level 1/4, iteration ${i}, convergence ${(0.1 / (i + 1)).toExponential(2)}`)) posted.push(i)
    }
    expect(posted).toEqual([0, 5, 10, 15])
    t = 191
    expect(post(1, 'level 4/4, iteration 50, convergence 1e-4')).toBe(true)
  })

  it("posts a new phase at once: ITK's 'loading' then 'fitting' 1 ms apart both reach the page", () => {
    let t = 0
    const post = progressThrottle(50, () => t)
    expect(post(0, 'N4 (ITK wasm): loading the module')).toBe(true)
    t = 1
    expect(post(0.05, 'N4 (ITK wasm): fitting')).toBe(true)
    t = 2
    expect(post(0.06, 'N4 (ITK wasm): fitting')).toBe(false)
  })
})
