// Chapter 5.1's White Stripe figure, driven as a reader would: the figure loads Colin27 when
// scrolled to; the test reads the same NIfTI itself (node:zlib, header by hand) and checks the
// displayed foreground and stripe voxel counts against the displayed stripe bounds, that the mode
// lies in the stripe, that the stripe widens with `width`, that an empty stripe is reported while
// the previous result stays, and that the "scanner" (× 2 + 100) moves the mode to 2 × mode + 100
// while the normalised images agree. No console errors, nothing fetched from another host.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'
import { fileURLToPath } from 'node:url'
import { launchBrowser, openPage, startServer, openChapterFigure } from './support.mjs'

let server, baseUrl, browser, page, context, log

/** Colin27 voxels (ch2bet or ch2), read independently of the library: NIfTI-1, uint8. */
function readUint8Nifti(name) {
  const bytes = gunzipSync(readFileSync(new URL(`../../public/data/${name}`, import.meta.url)))
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  assert.equal(view.getInt32(0, true), 348, 'NIfTI-1 little-endian header')
  assert.equal(view.getInt16(70, true), 2, `${name} is uint8 (datatype 2)`)
  const n = [1, 2, 3].map((i) => view.getInt16(40 + 2 * i, true)).reduce((a, b) => a * b, 1)
  // A single-file .nii stores its voxels at vox_offset, at least 352 (ch2's header says 0).
  const offset = Math.max(352, view.getFloat32(108, true))
  return bytes.subarray(offset, offset + n)
}
const voxels = readUint8Nifti('ch2bet.nii.gz')
const count = (predicate) => {
  let c = 0
  for (let i = 0; i < voxels.length; i++) if (predicate(voxels[i])) c++
  return c
}

const attr = (id, name = 'data-value') => page.locator(`[data-testid="${id}"]`).getAttribute(name).then(Number)

async function waitReady(timeout = 60_000) {
  await page.waitForFunction(() => document.querySelector('[data-testid="ws-demo"]')?.getAttribute('data-state') === 'ready', null, { timeout })
}

/** Sets a slider or select as a reader would (input + change), then waits for the run to end. */
async function set(id, value) {
  await page.locator(`[data-testid="${id}"]`).evaluate((el, v) => {
    el.value = String(v)
    el.dispatchEvent(new Event('input', { bubbles: true }))
    el.dispatchEvent(new Event('change', { bubbles: true }))
  }, value)
  await waitReady()
}

before(async () => {
  ;({ server, baseUrl } = await startServer())
  browser = await launchBrowser()
  ;({ page, context, log } = await openPage(browser, baseUrl))
  await openChapterFigure(page, baseUrl, 'ws-demo')
  await page.waitForFunction(() => document.querySelector('[data-testid="ws-demo"]')?.getAttribute('data-state') === 'ready' &&
    document.querySelector('[data-testid="ws-mode"]'), null, { timeout: 90_000 })
})
after(async () => {
  await context?.close()
  await browser?.close()
  server?.close()
})

describe('5.1 White Stripe figure', () => {
  it('finds the white-matter mode inside its stripe, and the stripe holds the voxels between its bounds', async () => {
    const mode = await attr('ws-mode')
    const lo = await attr('ws-stripe-range', 'data-low')
    const hi = await attr('ws-stripe-range', 'data-high')
    assert.ok(lo < mode && mode < hi, `mode ${mode} in stripe (${lo}, ${hi})`)
    // White matter is the bright peak of a T1 brain (Colin27 8-bit: about 100–120).
    assert.ok(mode > 95 && mode < 125, `T1 white-matter mode ${mode}`)
    const foreground = count((v) => v > 0)
    assert.equal(await attr('ws-foreground-voxels'), foreground)
    const stripe = await attr('ws-stripe-voxels')
    assert.equal(stripe, count((v) => v > 0 && v > lo && v < hi), 'stripe voxels = brain voxels strictly between the bounds')
    const fraction = stripe / foreground
    assert.ok(fraction > 0.05 && fraction < 0.15, `stripe fraction ${fraction} for width 0.05 (about 2 × width)`)
    assert.ok(Math.abs((await attr('ws-fraction')) - fraction) < 1e-9)
    // Stripe mean recomputed from the voxels.
    let sum = 0
    for (let i = 0; i < voxels.length; i++) if (voxels[i] > lo && voxels[i] < hi) sum += voxels[i]
    assert.ok(Math.abs((await attr('ws-stripe-stats', 'data-mean')) - sum / stripe) < 1e-9)
  })

  it('widens the stripe monotonically with width, and reports an empty stripe while keeping the result', async () => {
    const counts = []
    for (const w of [0.03, 0.08, 0.12]) {
      await set('ws-width', w)
      counts.push(await attr('ws-stripe-voxels'))
      const fraction = counts.at(-1) / count((v) => v > 0)
      assert.ok(fraction > w && fraction < 3 * w, `width ${w}: stripe fraction ${fraction}`)
    }
    assert.ok(counts[0] < counts[1] && counts[1] < counts[2], `stripe voxels ${counts.join(' < ')}`)
    // On this 8-bit image a width of 0.01 leaves no grey level strictly inside the stripe.
    await set('ws-width', 0.01)
    assert.match(await page.locator('[data-testid="ws-demo"] [data-testid="figure-error"]').textContent(), /stripe between .* holds 0 voxel/)
    assert.equal(await attr('ws-stripe-voxels'), counts[2], 'the previous result is still shown')
    await set('ws-width', 0.05)
    assert.equal(await page.locator('[data-testid="ws-demo"] [data-testid="figure-error"]').count(), 0)
  })

  it('normalises away the scanner: gain 2, offset 100 moves the mode to 2 × mode + 100, normalised images agree', async () => {
    const mode = await attr('ws-mode')
    const bin = await attr('ws-mode', 'data-bin')
    await set('ws-gain', 2)
    await set('ws-offset', 100)
    const moved = await attr('ws-mode-rescaled')
    assert.ok(Math.abs(moved - (2 * mode + 100)) <= 2 * bin + 1e-9, `rescaled mode ${moved} vs ${2 * mode + 100} (±1 bin of ${2 * bin})`)
    assert.equal(await attr('ws-mode'), mode, 'the original scan is unchanged')
    const diff = await attr('ws-max-diff')
    assert.ok(diff >= 0 && diff < 1e-3, `max |normalised difference| ${diff}`)
    // Both plots drawn, the normalised slice painted.
    assert.ok(await page.locator('[data-testid="ws-raw-plot"] .main-svg').count() > 0)
    assert.ok(await page.locator('[data-testid="ws-norm-plot"] .main-svg').count() > 0)
  })

  it('overlays the stripe voxels on the slice, and the toggle removes them', async () => {
    const orange = () => page.locator('[data-testid="ws-canvas"]').evaluate((c) => {
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data
      let n = 0
      for (let i = 0; i < d.length; i += 4) if (d[i] > d[i + 2] + 40) n++
      return n
    })
    const withOverlay = await orange()
    assert.ok(withOverlay > 100, `${withOverlay} orange pixels`)
    await page.locator('[data-testid="ws-overlay"]').uncheck()
    await page.waitForTimeout(200)
    assert.equal(await orange(), 0)
    await page.locator('[data-testid="ws-overlay"]').check()
  })

  it("reports a bad file and keeps the result; reads the reader's own head scan with R's above-the-mean foreground", async () => {
    const before = await attr('ws-stripe-voxels')
    await page.locator('[data-testid="ws-demo"] [data-testid="figure-file-input"]').setInputFiles(fileURLToPath(new URL('../../public/data/bad/not-a-scan.nii.gz', import.meta.url)))
    await page.locator('[data-testid="ws-demo"] [data-testid="figure-error"]').waitFor({ timeout: 30_000 })
    await waitReady()
    assert.equal(await attr('ws-stripe-voxels'), before, 'the previous result is still shown')

    // The unstripped Colin27 head, opened as the reader's own scan.
    await page.locator('[data-testid="ws-demo"] [data-testid="figure-file-input"]').setInputFiles(fileURLToPath(new URL('../../public/data/ch2.nii.gz', import.meta.url)))
    await page.locator('[data-testid="ws-own-note"]').waitFor({ timeout: 60_000 })
    await waitReady()
    assert.equal(await page.locator('[data-testid="ws-demo"] [data-testid="figure-error"]').count(), 0)
    const head = readUint8Nifti('ch2.nii.gz')
    let sum = 0
    for (let i = 0; i < head.length; i++) sum += head[i]
    const mean = sum / head.length
    let above = 0
    for (let i = 0; i < head.length; i++) if (head[i] > mean) above++
    assert.equal(await attr('ws-foreground-voxels'), above, 'foreground = voxels above the mean')
    const mode = await attr('ws-mode')
    assert.ok((await attr('ws-stripe-range', 'data-low')) < mode && mode < (await attr('ws-stripe-range', 'data-high')))
    assert.ok((await attr('ws-max-diff')) < 1e-3, 'the scanner setting still normalises away')
  })

  it('logs no console error and fetches nothing from another host', () => {
    assert.deepEqual(log.consoleErrors, [])
    assert.deepEqual(log.pageErrors, [])
    assert.deepEqual(log.external, [])
    assert.deepEqual(log.failed, [])
  })
})
