// Chapter 5.1's window/level viewer, driven as a reader would, checked against the DICOM
// PS3.3 C.11.2.1.2.1 LINEAR formula computed here, independently of the library.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { fileURLToPath } from 'node:url'
import { launchBrowser, openPage, startServer } from './support.mjs'

let server, baseUrl, browser, page, context, log

/** PS3.3 C.11.2.1.2.1 LINEAR to 0..255, rounded half up. */
function linear(x, c, w) {
  if (x <= c - 0.5 - (w - 1) / 2) return 0
  if (x > c - 0.5 + (w - 1) / 2) return 255
  return Math.floor(((x - (c - 0.5)) / (w - 1) + 0.5) * 255 + 0.5)
}

const demo = () => page.locator('[data-testid="wl-demo"]')

async function waitReady(timeout = 90_000) {
  await page.waitForFunction(() => {
    const el = document.querySelector('[data-testid="wl-demo"]')
    return el && el.getAttribute('data-state') !== 'loading'
  }, null, { timeout })
  const state = await demo().getAttribute('data-state')
  if (state !== 'ready') {
    const msg = await page.locator('[data-testid="wl-error"]').textContent().catch(() => '')
    assert.fail(`viewer state is ${state}: ${msg}`)
  }
}

/**
 * Hovers view pixel (x, y) (canvas pixel: the voxel itself in the phantom's axial view); returns
 * the value the viewer reads out and the canvas grey drawn there.
 */
async function probe(x, y) {
  const canvas = page.locator('[data-testid="wl-canvas"]')
  await canvas.scrollIntoViewIfNeeded()
  const box = await canvas.boundingBox()
  const size = await canvas.evaluate((c) => [c.width, c.height])
  // Leave the canvas first: moving to where the pointer already is fires no event.
  await page.mouse.move(0, 0)
  await page.mouse.move(box.x + ((x + 0.5) / size[0]) * box.width, box.y + ((y + 0.5) / size[1]) * box.height)
  const readout = page.locator('[data-testid="wl-readout"]')
  await page.waitForFunction(([x, y]) => {
    const r = document.querySelector('[data-testid="wl-readout"]')
    return r?.getAttribute('data-visible') === 'true' && +r.getAttribute('data-u') === x && +r.getAttribute('data-v') === y
  }, [x, y])
  const value = Number(await readout.getAttribute('data-value'))
  const grey = await readGrey(x, y)
  return { value, grey }
}

async function readGrey(x, y) {
  // Let the viewer draw its next frame first.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))))
  return page.locator('[data-testid="wl-canvas"]').evaluate((c, [x, y]) => {
    const d = c.getContext('2d').getImageData(x, y, 1, 1).data
    return d[0]
  }, [x, y])
}

async function setNumber(testId, value) {
  const input = page.locator(`[data-testid="${testId}"]`)
  await input.fill(String(value))
  await input.dispatchEvent('change')
}

async function setSlider(testId, value) {
  await page.locator(`[data-testid="${testId}"]`).evaluate((el, v) => {
    el.value = String(v)
    el.dispatchEvent(new Event('input', { bubbles: true }))
  }, value)
}

async function windowValues() {
  return {
    center: Number(await page.locator('[data-testid="wl-center-input"]').inputValue()),
    width: Number(await page.locator('[data-testid="wl-width-input"]').inputValue()),
  }
}

before(async () => {
  ;({ server, baseUrl } = await startServer())
  browser = await launchBrowser()
  ;({ page, context, log } = await openPage(browser, baseUrl))
  await page.goto(baseUrl + '/ch05/01-preprocessing', { waitUntil: 'load' })
  await waitReady()
})
after(async () => {
  await context?.close()
  await browser?.close()
  server?.close()
})

describe('5.1 window/level viewer on the thorax phantom', () => {
  it('loads the phantom series and shows its size', async () => {
    const text = await demo().textContent()
    assert.match(text, /512×512×\d+/)
    assert.match(text, /phantom/i)
  })

  it('draws the probed pixel as the LINEAR formula says, for typed window values', async () => {
    // A voxel inside the body on the middle slice: find one whose value is inside the window.
    for (const [c, w] of [[40, 400], [-600, 1500], [0, 1], [300, 2000]]) {
      await setNumber('wl-center-input', c)
      await setNumber('wl-width-input', w)
      for (const [x, y] of [[256, 256], [180, 240], [330, 250], [256, 100]]) {
        const { value, grey } = await probe(x, y)
        assert.equal(grey, linear(value, c, w), `voxel (${x},${y}) = ${value} with C=${c} W=${w}`)
      }
    }
  })

  it('changes the pixels when the sliders move, as the formula says', async () => {
    await setSlider('wl-center-slider', -100)
    await setSlider('wl-width-slider', 700)
    assert.deepEqual(await windowValues(), { center: -100, width: 700 })
    const { value, grey } = await probe(200, 260)
    assert.equal(grey, linear(value, -100, 700))
    await setSlider('wl-width-slider', 60)
    const after = await readGrey(200, 260)
    assert.equal(after, linear(value, -100, 60))
  })

  it('applies a preset on click', async () => {
    await page.locator('[data-testid="wl-preset-lung"]').click()
    assert.deepEqual(await windowValues(), { center: -600, width: 1500 })
    const { value, grey } = await probe(150, 250)
    assert.equal(grey, linear(value, -600, 1500))
    await page.locator('[data-testid="wl-preset-bone"]').click()
    assert.deepEqual(await windowValues(), { center: 300, width: 2000 })
    assert.equal(await readGrey(150, 250), linear(value, 300, 2000))
  })

  it('changes width and level with a right-button drag', async () => {
    await page.locator('[data-testid="wl-preset-mediastinum"]').click()
    const start = await windowValues()
    await page.locator('[data-testid="wl-canvas"]').scrollIntoViewIfNeeded()
    const box = await page.locator('[data-testid="wl-canvas"]').boundingBox()
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2)
    await page.mouse.down({ button: 'right' })
    await page.mouse.move(box.x + box.width / 2 + 60, box.y + box.height / 2 + 30, { steps: 5 })
    await page.mouse.up({ button: 'right' })
    const end = await windowValues()
    assert.ok(end.width > start.width, `width ${start.width} → ${end.width}`)
    assert.ok(end.center > start.center, `centre ${start.center} → ${end.center}`)
  })

  it('moves through slices and reads the value of the new slice', async () => {
    await setSlider('wl-slice-slider', 3)
    const { value } = await probe(256, 256)
    assert.equal(Number(await page.locator('[data-testid="wl-readout"]').getAttribute('data-z')), 3)
    assert.ok(Number.isFinite(value))
  })

  it('shows the DICOM header of the series, filterable', async () => {
    const manifest = JSON.parse(await (await page.request.get(baseUrl + '/data/ct-thorax-phantom/index.json')).text())
    await page.locator('[data-testid="wl-header"] summary').click()
    await page.locator('[data-testid="tags-table"]').waitFor({ timeout: 20_000 })
    await page.locator('[data-testid="tags-filter"]').fill('PixelSpacing')
    const rows = page.locator('[data-testid="tags-table"] tbody tr')
    assert.equal(await rows.count(), 1)
    const cells = await rows.first().locator('td').allTextContents()
    assert.equal(cells[0], '(0028,0030)')
    assert.equal(cells[1], 'DS')
    const spacing = cells[3].split('\\').map(Number)
    assert.deepEqual(spacing, [manifest.geometry.pixelSpacing, manifest.geometry.pixelSpacing])
    await page.locator('[data-testid="tags-filter"]').fill('SeriesInstanceUID')
    assert.match(await rows.first().textContent(), new RegExp(manifest.seriesInstanceUID.replace(/\./g, '\\.')))
  })

  it('draws the histogram with plotly', async () => {
    await page.locator('[data-testid="wl-histogram"] .main-svg').first().waitFor({ timeout: 20_000 })
    assert.ok((await page.locator('[data-testid="wl-histogram"] .bars path, [data-testid="wl-histogram"] .point path').count()) > 0)
  })
})

describe('5.1 viewer on real CT', () => {
  it('decodes the JPEG 2000 head CT with itk-wasm served by the site', async () => {
    await page.locator('[data-testid="wl-sample"]').selectOption('head-ct-j2k')
    await waitReady()
    assert.match(await demo().textContent(), /512×512×1/)
    const { value, grey } = await probe(256, 256)
    const { center, width } = await windowValues()
    assert.equal(grey, linear(value, center, width))
    assert.ok(log.failed.every((f) => !f.includes('/itk/')), `itk-wasm files failed: ${log.failed}`)
  })

  it('reads the real CT_small slice in Hounsfield units', async () => {
    await page.locator('[data-testid="wl-sample"]').selectOption('ct-small')
    await waitReady()
    assert.match(await demo().textContent(), /128×128×1/)
    const { value } = await probe(64, 64)
    assert.ok(value > -1100 && value < 3000, `HU ${value}`)
  })

  it('explains a truncated DICOM and keeps the previous image working', async () => {
    const bad = fileURLToPath(new URL('../../public/data/bad/MR_truncated.dcm', import.meta.url))
    await page.locator('[data-testid="wl-file"]').setInputFiles(bad)
    await page.locator('[data-testid="wl-error"]').waitFor({ timeout: 30_000 })
    assert.match(await page.locator('[data-testid="wl-error"]').textContent(), /truncated/i)
    // A DICOM without pixels and a malformed NIfTI get their own explanations.
    for (const [file, pattern] of [['rtplan.dcm', /no Pixel Data/i], ['not-a-scan.nii.gz', /NIfTI/]]) {
      const path = fileURLToPath(new URL(`../../public/data/bad/${file}`, import.meta.url))
      const previous = await page.locator('[data-testid="wl-error"]').textContent()
      await page.locator('[data-testid="wl-file"]').setInputFiles(path)
      await page.waitForFunction(
        (p) => document.querySelector('[data-testid="wl-demo"]')?.getAttribute('data-state') === 'error' &&
          document.querySelector('[data-testid="wl-error"]')?.textContent !== p,
        previous,
        { timeout: 30_000, polling: 100 },
      )
      assert.match(await page.locator('[data-testid="wl-error"]').textContent(), pattern, file)
    }
    // The page still works on the image it had.
    await page.locator('[data-testid="wl-preset-lung"]').click()
    const { value, grey } = await probe(64, 64)
    assert.equal(grey, linear(value, -600, 1500))
  })

  it('made no request to another host and logged no console error', () => {
    assert.deepEqual(log.external, [])
    assert.deepEqual(log.pageErrors, [])
    assert.deepEqual(log.consoleErrors, [])
  })
})
