// Chapter 3.1's sinogram / FBP lab: it reaches ready with no console error and no request to
// another host; the numbers it shows move as the theory and the library predict: every view sums
// to the object's mass (checked against the analytic area of the phantom's ellipses, computed
// here), fewer views raise the FBP error, a smooth window lowers it at few views, plain
// back-projection is far off, and the sinogram has bins × views pixels.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { openFigurePage } from './support.mjs'
import { setControl, waitFigureReady } from './phantom-node.mjs'

const ID = 'sinogram-demo'
let page, log

// The modified Shepp–Logan ellipses [intensity, a, b] (Shepp & Logan 1974, as in skimage/MATLAB).
const ELLIPSES = [[1, 0.69, 0.92], [-0.8, 0.6624, 0.874], [-0.2, 0.11, 0.31], [-0.2, 0.16, 0.41], [0.1, 0.21, 0.25],
  [0.1, 0.046, 0.046], [0.1, 0.046, 0.046], [0.1, 0.046, 0.023], [0.1, 0.023, 0.023], [0.1, 0.023, 0.046]]
/** Mass of the phantom in pixel units on an n × n grid spanning [−1, 1] (pixel pitch 2 / (n − 1)). */
const analyticMass = (n) => ELLIPSES.reduce((s, [A, a, b]) => s + A * Math.PI * a * b, 0) * ((n - 1) / 2) ** 2

const value = async (id) => Number(await page.locator(`[data-testid="${id}"]`).getAttribute('data-value'))
const numbers = async () => ({ fbp: await value('sino-rmse-fbp'), bp: await value('sino-rmse-bp'), view: await value('sino-view-sum'), object: await value('sino-object-sum') })
const canvasSize = (id) => page.locator(`[data-testid="${id}"]`).evaluate((c) => [c.width, c.height])

let figure
before(async () => {
  figure = await openFigurePage('/ch03/01-analytic-recon', ID, 180_000)
  ;({ page, log } = figure)
})
after(() => figure?.close())

describe('3.1 sinogram / FBP lab', () => {
  it('opens on the phantom, 256 bins × 180 views, ramp: each view sums to the phantom mass', async () => {
    const n = await numbers()
    assert.deepEqual(await canvasSize('sino-canvas-sinogram'), [256, 180])
    assert.deepEqual(await canvasSize('sino-canvas-fbp'), [256, 256])
    assert.ok(Math.abs(n.view - n.object) < 1e-3 * n.object, `view sum ${n.view} vs object sum ${n.object}`)
    assert.ok(Math.abs(n.object - analyticMass(256)) < 5e-3 * analyticMass(256), `object mass ${n.object} vs analytic ${analyticMass(256)}`)
    assert.ok(n.fbp > 0 && n.fbp < 0.1, `FBP RMSE ${n.fbp}`)
    const ssim = Number(await page.locator('[data-testid="sino-ssim-fbp"]').getAttribute('data-value'))
    assert.ok(ssim > 0 && ssim <= 1, `SSIM ${ssim}`)
    assert.ok(n.bp > 100 * n.fbp, `plain back-projection RMSE ${n.bp} is far off`)
    assert.ok(await page.locator('[data-testid="sino-plot"] .main-svg').count() > 0, 'filter plot drawn')
  })

  it('fewer views raise the FBP error; with 16 views the Hann window lowers it', async () => {
    const dense = (await numbers()).fbp
    await setControl(page, ID, 'sino-views', 16)
    assert.deepEqual(await canvasSize('sino-canvas-sinogram'), [256, 16])
    const sparse = (await numbers()).fbp
    assert.ok(sparse > 2 * dense, `16 views ${sparse} vs 180 views ${dense}`)
    assert.ok(Number(await page.locator('[data-testid="sino-ssim-fbp"]').getAttribute('data-value')) < 0.99, 'SSIM below 1 with streaks')
    await setControl(page, ID, 'sino-filter', 'hann')
    const hann = (await numbers()).fbp
    assert.ok(hann < sparse, `Hann ${hann} vs ramp ${sparse} at 16 views`)
    await setControl(page, ID, 'sino-filter', 'ramp')
    assert.equal((await numbers()).fbp, sparse, 'back to the ramp gives the same number')
  })

  it('fewer detector bins: a 64-pixel object, a 64-bin sinogram, the mass scaled by the pixel area', async () => {
    await setControl(page, ID, 'sino-bins', 64)
    assert.deepEqual(await canvasSize('sino-canvas-sinogram'), [64, 16])
    const n = await numbers()
    assert.ok(Math.abs(n.object - analyticMass(256) / 16) < 5e-3 * analyticMass(256) / 16, `block-averaged mass ${n.object}`)
    assert.ok(Math.abs(n.view - n.object) < 1e-3 * n.object)
  })

  it('the first views only: one view is far worse than all of them', async () => {
    await setControl(page, ID, 'sino-bins', 256)
    await setControl(page, ID, 'sino-views', 180)
    const all = (await numbers()).fbp
    await setControl(page, ID, 'sino-shown', 1)
    const one = (await numbers()).fbp
    assert.ok(one > 10 * all, `1 view ${one} vs 180 views ${all}`)
  })

  it('the thorax slice loads and gives a different object', async () => {
    const before = (await numbers()).object
    await setControl(page, ID, 'sino-object', 'thorax')
    await waitFigureReady(page, ID, 180_000)
    const n = await numbers()
    assert.notEqual(n.object, before)
    assert.ok(Math.abs(n.view - n.object) < 1e-3 * n.object)
  })

})

describe('3.1 lab: the cut-off', () => {
  it('a lower cut-off changes the FBP error, and 1 restores it', async () => {
    await setControl(page, ID, 'sino-object', 'phantom')
    await waitFigureReady(page, ID, 120_000)
    await setControl(page, ID, 'sino-views', 180)
    const full = (await numbers()).fbp
    await setControl(page, ID, 'sino-cutoff', 0.3)
    const low = (await numbers()).fbp
    assert.ok(low > full, `cut-off 0.3: ${low} vs ${full} (the clean phantom loses its edges)`)
    await setControl(page, ID, 'sino-cutoff', 1)
    assert.equal((await numbers()).fbp, full)
  })

  it("opens the reader's own scan (CT_small.dcm): its slice becomes the object, each view sums to it", async () => {
    const { fileURLToPath } = await import('node:url')
    await page.locator('[data-testid="figure-file-input"]').setInputFiles(fileURLToPath(new URL('../../public/data/CT_small.dcm', import.meta.url)))
    await page.waitForFunction((id) => document.querySelector(`[data-testid="${id}"]`)?.getAttribute('data-state') !== 'ready', ID, { timeout: 10_000 }).catch(() => {})
    await waitFigureReady(page, ID, 120_000)
    assert.equal(await page.locator('[data-testid="sino-object"]').inputValue(), 'yours')
    assert.deepEqual(await canvasSize('sino-canvas-object'), [256, 256])
    const n = await numbers()
    assert.ok(n.object > 0)
    assert.ok(Math.abs(n.view - n.object) < 1e-3 * n.object, `view sum ${n.view} vs object sum ${n.object}`)
  })

  it('logs no console error and fetches nothing from another host', () => {
    assert.deepEqual(log.external, [])
    assert.deepEqual(log.pageErrors, [])
    assert.deepEqual(log.consoleErrors.filter((e) => !/favicon/.test(e)), [])
    assert.deepEqual(log.failed, [])
  })
})
