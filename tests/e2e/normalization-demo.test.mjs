// The new 5.1 normalisation figure (chapter 5.1), driven as a reader
// would: set the simulated scanner to a noiseless gain + gamma, then check the displayed z-score
// and Nyúl–Udupa mismatches and the Nyúl standard scale against the same numbers computed here in
// Node from the same NIfTI file (own gunzip and header parsing, own percentiles and interpolation);
// then a pure gain, which any linear normalisation must undo exactly.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'
import { launchBrowser, openPage, startServer } from './support.mjs'

let server, baseUrl, browser, page, context, log
const ID = 'normalization-demo'

/** Colin27 ch2bet (uint8 NIfTI-1), every 2nd voxel on each axis, x fastest. */
function colinStride2() {
  const bytes = gunzipSync(readFileSync(new URL('../../public/data/ch2bet.nii.gz', import.meta.url)))
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  assert.equal(view.getInt16(70, true), 2, 'uint8')
  const [nx, ny, nz] = [1, 2, 3].map((i) => view.getInt16(40 + 2 * i, true))
  const offset = Math.max(352, view.getFloat32(108, true))
  const out = []
  for (let z = 0; z < nz; z += 2) for (let y = 0; y < ny; y += 2) for (let x = 0; x < nx; x += 2) out.push(bytes[offset + (z * ny + y) * nx + x])
  return Float64Array.from(out)
}
const A = colinStride2()
const M = A.reduce((m, v) => Math.max(m, v), 0)
const scannerB = (gain, gamma) => A.map((x) => (x > 0 ? Math.fround(gain * M * Math.pow(x / M, gamma)) : 0))
const fgIdx = []
for (let i = 0; i < A.length; i++) if (A[i] > 0) fgIdx.push(i)

function zscored(v) {
  const f = fgIdx.map((i) => v[i])
  const mean = f.reduce((s, x) => s + x, 0) / f.length
  const sd = Math.sqrt(f.reduce((s, x) => s + (x - mean) ** 2, 0) / f.length)
  return f.map((x) => (x - mean) / sd)
}
function mismatch(a, b) {
  const mean = a.reduce((s, x) => s + x, 0) / a.length
  const sd = Math.sqrt(a.reduce((s, x) => s + (x - mean) ** 2, 0) / a.length)
  return a.reduce((s, x, i) => s + Math.abs(x - b[i]), 0) / a.length / sd
}
const PERCS = [1, 10, 20, 30, 40, 50, 60, 70, 80, 90, 99]
function landmarks(v) {
  const s = Float64Array.from(fgIdx.map((i) => v[i])).sort()
  return PERCS.map((q) => {
    const pos = ((s.length - 1) * q) / 100
    const lo = Math.floor(pos)
    return s[lo] + (pos - lo) * (s[Math.min(lo + 1, s.length - 1)] - s[lo])
  })
}
function nyul(a, b) {
  const la = landmarks(a)
  const lb = landmarks(b)
  const std = la.map((_, k) => ([la, lb].reduce((s, l) => s + 1 + ((l[k] - l[0]) / (l.at(-1) - l[0])) * 99, 0)) / 2)
  const map = (v, l) => fgIdx.map((i) => {
    let k = 0
    while (k < l.length - 2 && v[i] >= l[k + 1]) k++
    return Math.fround(std[k] + ((v[i] - l[k]) * (std[k + 1] - std[k])) / (l[k + 1] - l[k]))
  })
  return { std, mismatch: mismatch(map(a, la), map(b, lb)) }
}

const value = (id) => page.locator(`[data-testid="${id}"]`).getAttribute('data-value')
// Settled: 'ready' with all five methods (White Stripe runs after the first four are shown).
async function waitReady(timeout = 120_000) {
  await page.waitForFunction((id) => document.querySelector(`[data-testid="${id}"]`)?.getAttribute('data-state') === 'ready'
    && document.querySelector('[data-testid="norm-mismatch-whiteStripe"]') !== null, ID, { timeout })
}
async function set(id, v) {
  await page.locator(`[data-testid="${id}"]`).evaluate((el, x) => {
    el.value = String(x)
    el.dispatchEvent(new Event('input', { bubbles: true }))
    el.dispatchEvent(new Event('change', { bubbles: true }))
  }, v)
  // The run starts on change; wait for it to begin and end.
  await page.waitForTimeout(50)
  await waitReady()
}

before(async () => {
  ;({ server, baseUrl } = await startServer())
  browser = await launchBrowser()
  ;({ page, context, log } = await openPage(browser, baseUrl))
  await page.goto(baseUrl + '/ch05/01-preprocessing', { waitUntil: 'load' })
  await page.locator(`[data-testid="${ID}"]`).scrollIntoViewIfNeeded()
  await waitReady(180_000)
})
after(async () => {
  await context?.close()
  await browser?.close()
  server?.close()
})

describe('5.1 normalisation figure', () => {
  it('starts loading, becomes ready and draws all five histogram panels', async () => {
    for (const m of ['raw', 'minMax', 'zScore', 'whiteStripe', 'nyul']) {
      assert.ok(await page.locator(`[data-testid="norm-plot-${m}"] .main-svg`).count() > 0, `${m} plot drawn`)
      assert.ok(Number.isFinite(Number(await value(`norm-mismatch-${m}`))), `${m} mismatch shown`)
    }
  })

  it('noiseless gain 1.3, γ 1.4: z-score and Nyúl mismatches and the standard scale match Node', async () => {
    await set('norm-noise', 0)
    const B = scannerB(1.3, 1.4)
    const zExpected = mismatch(zscored(A), zscored(B))
    const z = Number(await value('norm-mismatch-zScore'))
    assert.ok(Math.abs(z - zExpected) / zExpected < 1e-4, `z-score mismatch ${z} vs ${zExpected}`)
    const ny = nyul(A, B)
    const shown = Number(await value('norm-mismatch-nyul'))
    assert.ok(Math.abs(shown - ny.mismatch) / ny.mismatch < 1e-3, `Nyúl mismatch ${shown} vs ${ny.mismatch}`)
    const scale = JSON.parse(await value('norm-standard-scale'))
    scale.forEach((s, k) => assert.ok(Math.abs(s - ny.std[k]) / ny.std[k] < 1e-5, `standard scale ${k}: ${s} vs ${ny.std[k]}`))
    assert.ok(shown < z, `Nyúl (${shown}) undoes the gamma curve better than z-score (${z})`)
  })

  it('a pure gain (γ 1, no noise) is undone exactly by min–max, z-score and Nyúl–Udupa', async () => {
    const before = Number(await value('norm-mismatch-zScore'))
    await set('norm-gamma', 1)
    for (const m of ['minMax', 'zScore', 'nyul']) {
      const v = Number(await value(`norm-mismatch-${m}`))
      assert.ok(v < 1e-5, `${m} mismatch ${v} after a pure gain`)
    }
    assert.ok(before > 0.01, `the gamma curve left a z-score mismatch (${before})`)
    assert.ok(Number(await value('norm-mismatch-raw')) > 0.1, 'the raw intensities still differ')
  })

  it('logs no console error and fetches nothing from another host', () => {
    assert.deepEqual(log.external, [])
    assert.deepEqual(log.pageErrors, [])
    assert.deepEqual(log.consoleErrors.filter((e) => !/favicon/.test(e)), [])
  })
})
