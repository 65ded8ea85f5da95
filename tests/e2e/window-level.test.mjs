// Chapter 5.1's window/level viewer, driven as a reader would, checked against the DICOM
// PS3.3 C.11.2.1.2.1 LINEAR formula computed here, independently of the library.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { inflateSync } from 'node:zlib'
import { launchBrowser, openChapterFigure, openPage, startServer } from './support.mjs'

let server, baseUrl, browser, page, context, log

/** PS3.3 C.11.2.1.2.1 LINEAR to 0..255, rounded half up. */
function linear(x, c, w) {
  if (x <= c - 0.5 - (w - 1) / 2) return 0
  if (x > c - 0.5 + (w - 1) / 2) return 255
  return Math.floor(((x - (c - 0.5)) / (w - 1) + 0.5) * 255 + 0.5)
}

const demo = () => page.locator('[data-testid="wl-demo"]')
// The kit's frame holds the file picker and the error box of every figure.
const fileInput = '[data-testid="wl-demo"] [data-testid="figure-file-input"]'
const errorBox = '[data-testid="wl-demo"] [data-testid="figure-error"]'
const dataFile = (name) => fileURLToPath(new URL(`../../public/data/${name}`, import.meta.url))

async function waitReady(timeout = 90_000) {
  await page.waitForFunction(() => {
    const el = document.querySelector('[data-testid="wl-demo"]')
    // data-partial: only the sample's middle slice is shown yet (the first picture); wait for the volume.
    return el && !['loading', 'running'].includes(el.getAttribute('data-state')) && el.getAttribute('data-partial') !== 'true'
  }, null, { timeout })
  const state = await demo().getAttribute('data-state')
  if (state !== 'ready') {
    const msg = await page.locator(errorBox).textContent().catch(() => '')
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

/**
 * The grey the screen shows at page pixel (x, y), from a 1×1 screenshot: the canvas as
 * displayed, after zoom, pan and whatever lies on top of it.
 */
async function screenGrey(x, y) {
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))))
  const png = await page.screenshot({ clip: { x, y, width: 1, height: 1 } })
  // PNG chunks: length, type, data, CRC. With no neighbours every PNG row filter leaves the bytes
  // as they are, so the first byte after the filter byte is the red sample.
  const idat = []
  for (let off = 8; off < png.length; ) {
    const length = png.readUInt32BE(off)
    if (png.toString('ascii', off + 4, off + 8) === 'IDAT') idat.push(png.subarray(off + 8, off + 8 + length))
    off += 12 + length
  }
  return inflateSync(Buffer.concat(idat))[1]
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
  // The figure starts when it is scrolled near (off-screen figures do no work).
  await openChapterFigure(page, baseUrl, 'wl-demo')
  await waitReady()
})
after(async () => {
  await context?.close()
  await browser?.close()
  server?.close()
})

describe('5.1 window/level viewer: the default sample and a reader\'s page', () => {
  it('opens on the 5.2 MB NIfTI figure copy of the phantom, labelled synthetic, in HU, without fetching the DICOM series', async () => {
    const text = await demo().textContent()
    assert.match(text, /256×256×72/)
    assert.match(text, /synthetic/i)
    assert.match(text, /Hounsfield units/)
    const fetched = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name))
    assert.ok(fetched.some((u) => u.endsWith('/data/ct-thorax-phantom/thorax-1.4mm.nii.gz')), fetched.join(' '))
    assert.equal(fetched.filter((u) => /slice-\d+\.dcm$/.test(u)).length, 0, 'no DICOM slice before the reader asks')
    // The middle axial slice is the first picture.
    assert.equal(Number(await page.locator('[data-testid="wl-slice-slider"]').inputValue()), 36)
  })

  it('steps slices with the wheel only once the image has focus, and passes the wheel to the page at the last slice', async () => {
    const canvas = page.locator('[data-testid="wl-canvas"]')
    const slider = page.locator('[data-testid="wl-slice-slider"]')
    await page.locator('[data-testid="wl-sample"]').focus() // focus elsewhere
    await canvas.scrollIntoViewIfNeeded()
    await page.evaluate(() => window.scrollBy(0, -100))
    const box = await canvas.boundingBox()
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2)
    const slice0 = Number(await slider.inputValue())
    const scroll0 = await page.evaluate(() => window.scrollY)
    await page.mouse.wheel(0, 100)
    await page.waitForFunction((y) => window.scrollY !== y, scroll0)
    assert.equal(Number(await slider.inputValue()), slice0, 'an unfocused figure lets the page scroll')
    const b = await canvas.boundingBox()
    await page.mouse.click(b.x + b.width / 2, b.y + b.height / 2)
    const scroll1 = await page.evaluate(() => window.scrollY)
    await page.mouse.wheel(0, 100)
    await page.waitForFunction((s) => +document.querySelector('[data-testid="wl-slice-slider"]').value === s + 1, slice0)
    assert.equal(await page.evaluate(() => window.scrollY), scroll1, 'a focused figure keeps the wheel')
    await setSlider('wl-slice-slider', 71)
    await canvas.focus()
    await page.mouse.wheel(0, 100)
    await page.waitForFunction((y) => window.scrollY !== y, scroll1)
    assert.equal(Number(await slider.inputValue()), 71, 'at the last slice the wheel scrolls the page')
    await setSlider('wl-slice-slider', 36)
  })

  it('on a 390 px phone: nothing overflows, a swipe scrolls, and the W/L tool drags by touch', async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 800 }, hasTouch: true, isMobile: true })
    try {
      const p = await phone.newPage()
      await openChapterFigure(p, baseUrl, 'wl-demo')
      await p.waitForFunction(() => document.querySelector('[data-testid="wl-demo"]')?.getAttribute('data-state') === 'ready' && document.querySelector('[data-testid="wl-demo"]')?.getAttribute('data-partial') !== 'true', null, { timeout: 90_000 })
      const wide = await p.evaluate(() => [...document.querySelectorAll('[data-testid="wl-demo"] *')].filter((e) => e.getBoundingClientRect().right > 390.5 && !e.closest('.sv-stage')).map((e) => e.className || e.tagName))
      assert.deepEqual(wide, [])
      const canvas = p.locator('[data-testid="wl-canvas"]')
      assert.equal(await canvas.evaluate((c) => getComputedStyle(c).touchAction), 'pan-x pan-y')
      await p.locator('[data-testid="wl-tool-window"]').click()
      assert.equal(await canvas.evaluate((c) => getComputedStyle(c).touchAction), 'none')
      const before = Number(await p.locator('[data-testid="wl-width-input"]').inputValue())
      const box = await canvas.boundingBox()
      const at = (dx) => ({ clientX: box.x + box.width / 2 + dx, clientY: box.y + box.height / 2, pointerId: 7, pointerType: 'touch', isPrimary: true, bubbles: true, button: 0, buttons: 1 })
      await canvas.evaluate((c, events) => { for (const [type, init] of events) c.dispatchEvent(new PointerEvent(type, init)) },
        [['pointerdown', at(0)], ['pointermove', at(20)], ['pointermove', at(60)], ['pointerup', at(60)]])
      assert.ok(Number(await p.locator('[data-testid="wl-width-input"]').inputValue()) > before, 'a touch drag with the W/L tool widens the window')
    } finally {
      await phone.close()
    }
  })
})

describe('5.1 window/level viewer on the thorax phantom DICOM series', () => {
  before(async () => {
    await page.locator('[data-testid="wl-sample"]').selectOption('thorax-phantom-dicom')
    await waitReady()
  })

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

describe('5.1 viewer: planes, zoom, pan, keys, invert', () => {
  let geometry
  const stage = () => page.locator('[data-testid="wl-stage"]')
  const canvas = () => page.locator('[data-testid="wl-canvas"]')
  const viewState = () => stage().evaluate((s) => ({ zoom: +s.dataset.zoom, panX: +s.dataset.panX, panY: +s.dataset.panY }))
  const readoutAttrs = () => page.locator('[data-testid="wl-readout"]').evaluate((r) =>
    Object.fromEntries(['u', 'v', 'x', 'y', 'z', 'value'].map((k) => [k, Number(r.getAttribute(`data-${k}`))])))
  const sliceIndex = async () => Number(await page.locator('[data-testid="wl-slice-slider"]').inputValue())

  async function selectPlane(plane, height) {
    await page.locator('[data-testid="wl-plane"]').selectOption(plane)
    await page.waitForFunction((h) => document.querySelector('[data-testid="wl-canvas"]')?.height === h, height)
  }

  /** Ctrl+wheel `notches` times (negative deltaY: zoom in) with the cursor at (x, y). */
  async function ctrlWheel(x, y, notches) {
    await page.mouse.move(x, y)
    const before = (await viewState()).zoom
    await page.keyboard.down('Control')
    for (let i = 0; i < notches; i++) await page.mouse.wheel(0, -100)
    await page.keyboard.up('Control')
    await page.waitForFunction((z) => +document.querySelector('[data-testid="wl-stage"]').dataset.zoom > z, before)
  }

  async function waitUnzoomed() {
    await page.waitForFunction(() => {
      const d = document.querySelector('[data-testid="wl-stage"]').dataset
      return +d.zoom === 1 && +d.panX === 0 && +d.panY === 0
    })
  }

  before(async () => {
    geometry = JSON.parse(await (await page.request.get(baseUrl + '/data/ct-thorax-phantom/index.json')).text()).geometry
    await setNumber('wl-center-input', 40)
    await setNumber('wl-width-input', 400)
  })

  it('shows the coronal plane at its physical aspect, each pixel as LINEAR says for the voxel read out there', async () => {
    const { columns, rows, slices, pixelSpacing, sliceSpacing, origin, zTop } = geometry
    await selectPlane('coronal', slices)
    assert.deepEqual(await canvas().evaluate((c) => [c.width, c.height]), [columns, slices])
    // 512 × 0.7 mm across, 72 × 2.5 mm high: about 2:1, not the 7:1 of the voxel grid.
    const box = await canvas().boundingBox()
    const aspect = (columns * pixelSpacing) / (slices * sliceSpacing)
    assert.ok(Math.abs(box.width / box.height - aspect) / aspect < 0.01, `canvas ${box.width}×${box.height}, physical aspect ${aspect}`)
    assert.equal(await page.locator('[data-testid="wl-slice-slider"]').getAttribute('max'), String(rows - 1))
    const y = await sliceIndex()
    for (const [u, v] of [[256, 36], [180, 30], [330, 50], [256, 12]]) {
      const { value, grey } = await probe(u, v)
      assert.equal(grey, linear(value, 40, 400), `coronal pixel (${u},${v}) = ${value}`)
      // Radiological display, from the phantom's geometry (rows along +x = patient left, columns
      // along +y = posterior, slices from zTop down): right on the left, superior at the top.
      const r = await readoutAttrs()
      assert.deepEqual([r.x, r.y, r.z], [u, y, slices - 1 - v])
      const lps = (await page.locator('[data-testid="wl-readout"]').textContent()).match(/LPS \(([^)]+)\)/)[1].split(',').map(Number)
      const expected = [origin[0] + u * pixelSpacing, origin[1] + y * pixelSpacing, zTop - v * sliceSpacing]
      lps.forEach((mm, i) => assert.ok(Math.abs(mm - expected[i]) <= 0.051, `LPS ${lps} vs ${expected}`))
    }
    // The voxel read out in the coronal view holds the same value in the axial view.
    const { value } = await probe(256, 36)
    const r = await readoutAttrs()
    await selectPlane('axial', rows)
    await setSlider('wl-slice-slider', r.z)
    const axial = await probe(r.x, r.y)
    assert.equal(axial.value, value)
    assert.equal(axial.grey, linear(value, 40, 400))
  })

  it('keeps the overlay clear of the probed pixels', async () => {
    // The pixels this file probes, per plane; none may lie under an overlay label.
    for (const [plane, height, pixels] of [
      ['axial', geometry.rows, [[256, 256], [180, 240], [330, 250], [256, 100], [200, 260], [150, 250], [206, 245]]],
      ['coronal', geometry.slices, [[256, 36], [180, 30], [330, 50], [256, 12]]],
    ]) {
      await selectPlane(plane, height)
      const box = await canvas().boundingBox()
      const [w, h] = await canvas().evaluate((c) => [c.width, c.height])
      const labels = await stage().evaluate((s) => [...s.querySelectorAll('.sv-corner, .sv-o')].map((e) => {
        const r = e.getBoundingClientRect()
        return { text: e.textContent, left: r.left, right: r.right, top: r.top, bottom: r.bottom }
      }))
      assert.ok(labels.some((l) => /slice \d+\/\d+/.test(l.text)) && labels.some((l) => /W 400 L 40/.test(l.text)), JSON.stringify(labels))
      for (const [u, v] of pixels) {
        const x = box.x + ((u + 0.5) / w) * box.width
        const y = box.y + ((v + 0.5) / h) * box.height
        const hit = labels.find((l) => x >= l.left - 2 && x <= l.right + 2 && y >= l.top - 2 && y <= l.bottom + 2)
        assert.equal(hit, undefined, `${plane} pixel (${u},${v}) under "${hit?.text}"`)
      }
    }
  })

  it('zooms about the cursor with Ctrl+wheel and still reads out the voxel under the cursor', async () => {
    await selectPlane('axial', geometry.rows)
    const frame = await canvas().boundingBox() // at zoom 1 the canvas fills the frame
    const n = geometry.columns
    const at = (u, v, view) => [frame.x + (view.panX + (view.zoom * (u + 0.5)) / n) * frame.width, frame.y + (view.panY + (view.zoom * (v + 0.5)) / n) * frame.height]
    const target = [206, 245]
    const reference = await probe(...target) // its value, read at zoom 1
    // A whole-pixel cursor position: wheel events report whole pixels, and here a voxel is 1 px.
    const cursor = at(200, 240, { zoom: 1, panX: 0, panY: 0 }).map(Math.floor)
    await page.mouse.move(0, 0)
    await page.mouse.move(...cursor)
    await page.waitForFunction(() => document.querySelector('[data-testid="wl-readout"]')?.getAttribute('data-visible') === 'true')
    const anchor = await readoutAttrs()
    await ctrlWheel(...cursor, 4)
    const view = await viewState()
    assert.ok(view.zoom > 2.5, `zoom ${view.zoom}`)
    // The canvas really is drawn with that zoom and pan.
    const zoomed = await canvas().boundingBox()
    assert.ok(Math.abs(zoomed.width / frame.width - view.zoom) < 0.01, `canvas ${zoomed.width} px for zoom ${view.zoom}`)
    assert.ok(Math.abs(zoomed.x - (frame.x + view.panX * frame.width)) < 0.5)
    // Zooming about the cursor leaves the voxel under it where it was.
    await page.waitForFunction(() => document.querySelector('[data-testid="wl-readout"]')?.getAttribute('data-visible') === 'true')
    let r = await readoutAttrs()
    assert.deepEqual([r.u, r.v, r.value], [anchor.u, anchor.v, anchor.value])
    // Another voxel, found on screen through the zoom: the readout names it and its value, and the
    // screen shows its grey right under the cursor.
    const [x, y] = at(...target, view)
    await page.mouse.move(Math.floor(x) + 0.5, Math.floor(y) + 0.5)
    await page.waitForFunction(([u, v]) => {
      const e = document.querySelector('[data-testid="wl-readout"]')
      return +e.getAttribute('data-u') === u && +e.getAttribute('data-v') === v
    }, target)
    r = await readoutAttrs()
    assert.equal(r.value, reference.value)
    assert.equal(await screenGrey(Math.floor(x), Math.floor(y)), linear(r.value, 40, 400))
    await page.locator('[data-testid="wl-reset"]').click()
    await waitUnzoomed()
  })

  it('pans with a left drag when zoomed; Reset view, a double-click and R reset', async () => {
    const frame = await canvas().boundingBox()
    const cx = frame.x + frame.width / 2
    const cy = frame.y + frame.height / 2
    // Unzoomed, a left drag does nothing.
    await page.mouse.move(cx, cy)
    await page.mouse.down()
    await page.mouse.move(cx - 50, cy - 30, { steps: 4 })
    await page.mouse.up()
    assert.deepEqual(await viewState(), { zoom: 1, panX: 0, panY: 0 })
    for (const reset of ['button', 'double-click', 'key']) {
      await ctrlWheel(cx, cy, 4)
      const start = await viewState()
      await page.mouse.move(cx, cy)
      await page.mouse.down()
      await page.mouse.move(cx - 50, cy - 30, { steps: 4 })
      await page.mouse.up()
      const panned = await viewState()
      assert.ok(Math.abs(panned.panX - (start.panX - 50 / frame.width)) < 1e-3, `panX ${start.panX} → ${panned.panX}`)
      assert.ok(Math.abs(panned.panY - (start.panY - 30 / frame.height)) < 1e-3, `panY ${start.panY} → ${panned.panY}`)
      if (reset === 'button') await page.locator('[data-testid="wl-reset"]').click()
      else if (reset === 'double-click') await page.mouse.dblclick(cx, cy)
      else await page.keyboard.press('r') // the drag focused the image
      await waitUnzoomed()
      const box = await canvas().boundingBox()
      assert.deepEqual([box.x, box.y, box.width, box.height], [frame.x, frame.y, frame.width, frame.height], reset)
    }
  })

  it('steps slices with the arrow and page keys when the image has focus', async () => {
    await setSlider('wl-slice-slider', 30)
    await canvas().focus()
    const overlay = page.locator('[data-testid="wl-overlay-slice"]')
    const steps = [['ArrowDown', 31], ['ArrowDown', 32], ['ArrowUp', 31], ['PageDown', 38], ['PageUp', 31]]
    for (const [key, expected] of steps) {
      await page.keyboard.press(key)
      assert.equal(await sliceIndex(), expected, key)
      assert.match(await overlay.textContent(), new RegExp(`slice ${expected + 1}/${geometry.slices}`))
    }
    const { value, grey } = await probe(256, 256)
    assert.equal((await readoutAttrs()).z, 31)
    assert.equal(grey, linear(value, 40, 400))
  })

  it('inverts the grey scale with the checkbox and the I key', async () => {
    const { value } = await probe(180, 240)
    // A window centred on the voxel draws it mid-grey, so inverting visibly changes it.
    await setNumber('wl-center-input', value)
    await setNumber('wl-width-input', 300)
    const grey = linear(value, value, 300)
    assert.equal(await readGrey(180, 240), grey)
    await page.locator('[data-testid="wl-invert"]').check()
    assert.equal(await readGrey(180, 240), 255 - grey)
    await canvas().focus()
    await page.keyboard.press('i')
    assert.equal(await page.locator('[data-testid="wl-invert"]').isChecked(), false)
    assert.equal(await readGrey(180, 240), grey)
    await page.keyboard.press('i')
    assert.equal(await readGrey(180, 240), 255 - grey)
    await page.locator('[data-testid="wl-invert"]').uncheck()
  })
})

describe('5.1 viewer on real CT', () => {
  it('decodes the JPEG 2000 head CT with itk-wasm served by the site', async () => {
    await page.locator('[data-testid="wl-sample"]').selectOption('head-ct-j2k')
    await waitReady()
    assert.match(await demo().textContent(), /512×512×1/)
    // One slice: nothing to cut along other planes.
    assert.equal(await page.locator('[data-testid="wl-plane"]').isDisabled(), true)
    const { value, grey } = await probe(256, 256)
    const { center, width } = await windowValues()
    assert.equal(grey, linear(value, center, width))
    assert.ok(log.failed.every((f) => !f.includes('/itk/')), `itk-wasm files failed: ${log.failed}`)
  })

  it('starts the JPEG 2000 head CT in the window its file stores (0028,1050/1051 = 40/100)', async () => {
    assert.deepEqual(await windowValues(), { center: 40, width: 100 })
  })

  it('reads the real CT_small slice in Hounsfield units', async () => {
    await page.locator('[data-testid="wl-sample"]').selectOption('ct-small')
    await waitReady()
    assert.match(await demo().textContent(), /128×128×1/)
    const { value } = await probe(64, 64)
    assert.ok(value > -1100 && value < 3000, `HU ${value}`)
    // Modality CT with a Rescale Intercept: HU, although its minimum is only −896 HU. Its file stores
    // no window, so it opens in the mediastinum window, not across its full range.
    assert.match(await page.locator('[data-testid="wl-readout"]').textContent(), /-?\d+ HU/)
    assert.match(await page.locator('[data-testid="wl-source"]').textContent(), /Hounsfield units/)
    assert.deepEqual(await windowValues(), { center: 50, width: 350 })
  })

  it('reads a folder by content: skips OS junk, lists a truncated file, lets the reader choose one of two series', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wl-folder-'))
    try {
      copyFileSync(dataFile('CT_small.dcm'), join(dir, 'CT_small.dcm'))
      copyFileSync(dataFile('MR_small.dcm'), join(dir, 'IM0001')) // DICOM without an extension
      copyFileSync(dataFile('bad/MR_truncated.dcm'), join(dir, 'broken.dcm'))
      writeFileSync(join(dir, '.DS_Store'), 'Bud1 junk')
      await page.locator(fileInput).setInputFiles(['CT_small.dcm', 'IM0001', 'broken.dcm', '.DS_Store'].map((f) => join(dir, f)))
      await page.locator('[data-testid="wl-series"]').waitFor({ timeout: 30_000 })
      const options = await page.locator('[data-testid="wl-series-select"] option').allTextContents()
      assert.equal(options.length, 2, options.join(' | '))
      const mr = options.findIndex((o) => o.startsWith('MR') && o.includes('64×64'))
      assert.ok(mr >= 0, options.join(' | '))
      await page.locator('[data-testid="wl-series-select"]').selectOption({ index: mr })
      await page.locator('[data-testid="wl-series"] button', { hasText: 'Open' }).click()
      await waitReady()
      assert.match(await demo().textContent(), /64×64×1/)
      const skippedText = await page.locator('[data-testid="wl-skipped"]').textContent()
      assert.match(skippedText, /broken\.dcm: .*truncated/)
      assert.doesNotMatch(skippedText, /DS_Store/)
      assert.match(await page.locator('[data-testid="wl-sample"] option:checked').textContent(), /Your scan/)
      // MR: no Hounsfield units.
      assert.doesNotMatch(await page.locator('[data-testid="wl-source"]').textContent(), /Hounsfield/)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
    await page.locator('[data-testid="wl-sample"]').selectOption('ct-small')
    await waitReady()
  })

  it('explains a truncated DICOM and keeps the previous image working', async () => {
    const bad = fileURLToPath(new URL('../../public/data/bad/MR_truncated.dcm', import.meta.url))
    await page.locator(fileInput).setInputFiles(bad)
    await page.locator(errorBox).waitFor({ timeout: 30_000 })
    assert.match(await page.locator(errorBox).textContent(), /truncated/i)
    // A DICOM without pixels and a malformed NIfTI get their own explanations.
    for (const [file, pattern] of [['rtplan.dcm', /no Pixel Data/i], ['not-a-scan.nii.gz', /NIfTI/]]) {
      const path = fileURLToPath(new URL(`../../public/data/bad/${file}`, import.meta.url))
      const previous = await page.locator(errorBox).textContent()
      await page.locator(fileInput).setInputFiles(path)
      await page.waitForFunction(
        ([p, sel]) => document.querySelector('[data-testid="wl-demo"]')?.getAttribute('data-state') === 'error' &&
          document.querySelector(sel)?.textContent !== p,
        [previous, errorBox],
        { timeout: 30_000, polling: 100 },
      )
      assert.match(await page.locator(errorBox).textContent(), pattern, file)
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
