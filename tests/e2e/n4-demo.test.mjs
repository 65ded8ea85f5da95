// Chapter 5.1's N4 figure, driven as a reader would: run N4 on Colin27 with a synthetic coil
// field, check that white-matter CV drops and the field is recovered, that the drawn corrected
// pixels equal input ÷ the drawn field (colours decoded through the figure's own colour bar),
// that Cancel stops a slow run and leaves the figure usable, and that nothing leaves the site.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { fileURLToPath } from 'node:url'
import { launchBrowser, openPage, startServer, openChapterFigure } from './support.mjs'

let server, baseUrl, browser, page, context, log

const demo = () => page.locator('[data-testid="n4-demo"]')
const number = async (id) => Number.parseFloat((await page.locator(`[data-testid="${id}"]`).textContent()).replace(/[^\d.eE+-]/g, ''))

async function waitState(state, timeout = 90_000) {
  await page.waitForFunction((s) => document.querySelector('[data-testid="n4-demo"]')?.getAttribute('data-state') === s, state, { timeout })
}

async function waitForResult(setting, timeout = 90_000) {
  await page.waitForFunction((s) => {
    const el = document.querySelector('[data-testid="n4-demo"]')
    const done = document.querySelector('[data-testid="n4-elapsed"]')
    return el?.getAttribute('data-state') === 'ready' && done && done.textContent.includes(s)
  }, setting, { timeout })
}

async function setParams({ shrink, levels, iterations }) {
  await page.locator('[data-testid="n4-shrink"]').selectOption(String(shrink))
  await page.locator('[data-testid="n4-levels"]').selectOption(String(levels))
  await page.locator('[data-testid="n4-iterations"]').fill(String(iterations))
}

/** RGBA pixels of a canvas. */
async function pixels(testId) {
  return page.locator(`[data-testid="${testId}"]`).evaluate((c) => ({
    width: c.width,
    height: c.height,
    data: Array.from(c.getContext('2d').getImageData(0, 0, c.width, c.height).data),
  }))
}

before(async () => {
  ;({ server, baseUrl } = await startServer())
  browser = await launchBrowser()
  ;({ page, context, log } = await openPage(browser, baseUrl))
  await openChapterFigure(page, baseUrl, 'n4-demo')
  // Loading ends with a first N4 run at the figure's starting setting (shrink 4, 4 × 50).
  await page.waitForFunction(() => {
    const el = document.querySelector('[data-testid="n4-demo"]')
    return el?.getAttribute('data-state') === 'ready' && document.querySelector('[data-testid="n4-elapsed"]')
  }, null, { timeout: 120_000 })
})
after(async () => {
  await context?.close()
  await browser?.close()
  server?.close()
})

describe('5.1 N4 figure', () => {
  it('corrects the synthetic field with a fast setting: CV drops, field recovered', async () => {
    await setParams({ shrink: 4, levels: 2, iterations: 20 })
    await page.locator('[data-testid="n4-run"]').click()
    await waitForResult('shrink 4, 2 × 20')
    const before = await number('n4-cv-before')
    const after = await number('n4-cv-after')
    const r = await number('n4-correlation')
    assert.ok(before > 0 && after > 0, `CV ${before} → ${after}`)
    assert.ok(after < before * 0.8, `white-matter CV should drop: ${before} → ${after}`)
    assert.ok(r > 0.8 && r <= 1, `log-field correlation ${r}`)
    assert.match(await page.locator('[data-testid="n4-time-typescript"]').textContent(), /\d+(\.\d+)? s/)
  })

  it("runs ITK's own N4 compiled to WebAssembly, served by the site, and agrees with the port", async () => {
    const tsAfter = await number('n4-cv-after')
    const tsR = await number('n4-correlation')
    await page.locator('[data-testid="n4-backend"]').selectOption('itk-wasm')
    await page.locator('[data-testid="n4-run"]').click()
    await page.waitForFunction(() => /\d s/.test(document.querySelector('[data-testid="n4-time-itk-wasm"]')?.textContent ?? '') &&
      document.querySelector('[data-testid="n4-demo"]')?.getAttribute('data-state') === 'ready', null, { timeout: 120_000 })
    const wasmAfter = await number('n4-cv-after')
    const wasmR = await number('n4-correlation')
    assert.ok(Math.abs(wasmAfter - tsAfter) <= 0.03 * tsAfter, `white-matter CV after N4: port ${tsAfter}, ITK wasm ${wasmAfter}`)
    assert.ok(Math.abs(wasmR - tsR) <= 0.02, `field correlation: port ${tsR}, ITK wasm ${wasmR}`)
    // Both timings stay on show, side by side.
    assert.match(await page.locator('[data-testid="n4-time-typescript"]').textContent(), /\d+(\.\d+)? s/)
    assert.ok(log.failed.length === 0 && log.external.length === 0, `${log.failed} ${log.external}`)
    await page.locator('[data-testid="n4-backend"]').selectOption('typescript')
  })

  it('draws a non-uniform field and a corrected image equal to input ÷ field', async () => {
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))))
    const input = await pixels('n4-canvas')
    const corrected = await pixels('n4-canvas-b')
    const field = await pixels('n4-canvas-field')
    assert.equal(corrected.width, input.width)
    assert.equal(field.height, input.height)

    // The field view is not uniform.
    const colours = new Set()
    for (let i = 0; i < field.data.length; i += 4) colours.add((field.data[i] << 16) | (field.data[i + 1] << 8) | field.data[i + 2])
    assert.ok(colours.size > 30, `field view has ${colours.size} colours`)

    // Decode the field's colours through the colour bar the figure shows (its CSS stops and range).
    const bar = page.locator('[data-testid="n4-colourbar"]')
    const low = Number(await bar.getAttribute('data-low'))
    const high = Number(await bar.getAttribute('data-high'))
    const css = await bar.locator('.viridis-gradient').evaluate((el) => getComputedStyle(el).backgroundImage)
    const stops = [...css.matchAll(/rgb\((\d+), (\d+), (\d+)\)/g)].map((m) => [+m[1], +m[2], +m[3]])
    assert.ok(stops.length >= 8, `colour bar stops: ${css}`)
    const table = []
    for (let s = 0; s <= 1000; s++) {
      const t = s / 1000
      const at = t * (stops.length - 1)
      const i = Math.min(stops.length - 2, Math.floor(at))
      const w = at - i
      table.push([0, 1, 2].map((c) => stops[i][c] * (1 - w) + stops[i + 1][c] * w))
    }
    const decode = (r, g, b) => {
      let best = 0
      let bestD = Infinity
      for (let s = 0; s < table.length; s++) {
        const d = (table[s][0] - r) ** 2 + (table[s][1] - g) ** 2 + (table[s][2] - b) ** 2
        if (d < bestD) {
          bestD = d
          best = s
        }
      }
      // Colours far from the bar are the dimmed outside-the-mask pixels: not decoded.
      return bestD <= 36 ? low + (best / 1000) * (high - low) : NaN
    }

    let checked = 0
    let good = 0
    let differ = 0
    for (let y = 10; y < input.height - 10; y += 3) {
      for (let x = 10; x < input.width - 10; x += 3) {
        const i = 4 * (y * input.width + x)
        const gi = input.data[i]
        const gc = corrected.data[i]
        if (Math.abs(gi - gc) > 3) differ++
        if (gi < 40 || gi > 240 || gc > 245) continue
        const f = decode(field.data[i], field.data[i + 1], field.data[i + 2])
        if (Number.isNaN(f)) continue
        checked++
        if (Math.abs(gc - gi / f) <= 2 + 0.04 * gc) good++
      }
    }
    assert.ok(checked > 300, `${checked} pixels checked`)
    assert.ok(good / checked > 0.95, `corrected = input ÷ field holds at ${good}/${checked} pixels`)
    assert.ok(differ > 300, `corrected differs from input at ${differ} sampled pixels`)
  })

  it('reslices to coronal and sagittal with the right orientation letters', async () => {
    await page.locator('[data-testid="n4-plane"]').selectOption('sagittal')
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))))
    const sag = await pixels('n4-canvas')
    assert.deepEqual([sag.width, sag.height], [217, 181])
    const letters = await page.locator('[data-testid="n4-canvas"] ~ .sv-o').allTextContents()
    assert.deepEqual(letters, ['A', 'P', 'S', 'I'])
    await page.locator('[data-testid="n4-plane"]').selectOption('coronal')
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))))
    assert.deepEqual(await page.locator('[data-testid="n4-canvas"] ~ .sv-o').allTextContents(), ['R', 'L', 'S', 'I'])
    await page.locator('[data-testid="n4-plane"]').selectOption('axial')
  })

  it('cancels a slow run and stays usable', async () => {
    const cvAfter = await number('n4-cv-after')
    await setParams({ shrink: 1, levels: 4, iterations: 50 })
    await page.locator('[data-testid="n4-run"]').click()
    await page.waitForFunction(() => /level \d+\/4/.test(document.querySelector('[data-testid="n4-progress"]')?.textContent ?? ''), null, { timeout: 60_000 })
    await page.locator('[data-testid="n4-demo"] [data-testid="figure-cancel"]').click()
    await waitState('ready', 10_000)
    assert.match(await page.locator('[data-testid="n4-notice"]').textContent(), /cancelled/i)
    assert.equal(await number('n4-cv-after'), cvAfter, 'the previous result stays')
    assert.equal(await page.locator('[data-testid="n4-run"]').isEnabled(), true)
    // The figure still runs N4 (the worker was restarted).
    await setParams({ shrink: 4, levels: 1, iterations: 10 })
    await page.locator('[data-testid="n4-run"]').click()
    await waitForResult('shrink 4, 1 × 10')
    assert.ok((await number('n4-cv-after')) < (await number('n4-cv-before')))
  })

  it('explains a bad file and keeps the current scan', async () => {
    const bad = fileURLToPath(new URL('../../public/data/bad/not-a-scan.nii.gz', import.meta.url))
    await page.locator('[data-testid="n4-demo"] [data-testid="figure-file-input"]').setInputFiles(bad)
    await page.locator('[data-testid="n4-demo"] [data-testid="figure-error"]').waitFor({ timeout: 30_000 })
    assert.match(await page.locator('[data-testid="n4-demo"] [data-testid="figure-error"]').textContent(), /NIfTI/)
    await waitState('ready')
    assert.ok(await page.locator('[data-testid="n4-canvas-truth"]').isVisible(), 'the synthetic case is still shown')
    assert.ok(Number.isFinite(await number('n4-cv-after')))
  })

  it('runs on a scan the reader opens, with N4\'s Otsu mask and no true field', async () => {
    const own = fileURLToPath(new URL('../../public/data/ch2.nii.gz', import.meta.url))
    await page.locator('[data-testid="n4-demo"] [data-testid="figure-file-input"]').setInputFiles(own)
    await page.locator('[data-testid="n4-own-note"]').waitFor({ timeout: 30_000 })
    await waitState('ready')
    assert.match(await page.locator('[data-testid="n4-own-note"]').textContent(), /Otsu/)
    assert.equal(await page.locator('[data-testid="n4-correlation"]').count(), 0)
    assert.equal(await page.locator('[data-testid="n4-canvas-truth"]').count(), 0)
    await setParams({ shrink: 4, levels: 2, iterations: 20 })
    await page.locator('[data-testid="n4-run"]').click()
    await waitForResult('shrink 4, 2 × 20')
    const before = await number('n4-cv-before')
    const after = await number('n4-cv-after')
    assert.ok(after > 0 && after <= before * 1.02, `own scan CV ${before} → ${after}`)
  })

  it('makes no console errors or external requests', async () => {
    assert.deepEqual(log.consoleErrors, [])
    assert.deepEqual(log.pageErrors, [])
    assert.deepEqual(log.external, [])
    assert.deepEqual(log.failed, [])
  })
})
