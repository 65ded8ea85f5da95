// Chapter 5.1's CT preprocessing pipeline figure, driven as a reader would: run on the thorax
// phantom, then check the step list, the output grid (computed here from the phantom's own
// index.json), the lung and metal overlays at the phantom's documented probe points, the
// downloaded NIfTI's header (parsed here), and a bad file's error that keeps the result.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { fileURLToPath } from 'node:url'
import { launchBrowser, openPage, startServer, openChapterFigure } from './support.mjs'

const phantomIndex = JSON.parse(readFileSync(fileURLToPath(new URL('../../public/data/ct-thorax-phantom/index.json', import.meta.url)), 'utf8'))
const geo = phantomIndex.geometry
// The figure's default input is the phantom's NIfTI figure copy (2×2 mean of the DICOM series):
// its grid and origin from its own header (RAS in the file, LPS here).
const nifti = (() => {
  const b = gunzipSync(readFileSync(fileURLToPath(new URL('../../public/data/ct-thorax-phantom/thorax-1.4mm.nii.gz', import.meta.url))))
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength)
  const q = [268, 272, 276].map((o) => v.getFloat32(o, true))
  return { size: [1, 2, 3].map((d) => v.getInt16(40 + 2 * d, true)), spacing: [1, 2, 3].map((d) => v.getFloat32(76 + 4 * d, true)), origin: [-q[0], -q[1], q[2]] }
})()
const STEPS = ['resample', 'lungs', 'metal', 'clip', 'normalize']
// The pipeline's default: 1 mm isotropic; output size = round(size × spacing / 1) per axis.
const expectedSize = [Math.round(geo.columns * geo.pixelSpacing), Math.round(geo.rows * geo.pixelSpacing), Math.round(geo.slices * geo.sliceSpacing)]
// The figure copy covers the same field of view: the same output grid.
assert.deepEqual(nifti.size.map((n, a) => Math.round(n * nifti.spacing[a])), expectedSize)
// Resampling keeps the origin: voxel 0 is the first column/row of the lowest (z-ascending) slice.
const outputOrigin = nifti.origin
const probe = (name) => {
  const p = phantomIndex.landmarks.probes.find((q) => q.name === name)
  assert.ok(p, `probe "${name}" in index.json`)
  return p.world.map((w, a) => Math.round(w - outputOrigin[a]))
}

let server, baseUrl, browser, page, context, log

const demo = () => page.locator('[data-testid="ctp-demo"]')
// The kit's frame holds the file and folder pickers, the error box and Cancel of every figure.
const errorBox = '[data-testid="ctp-demo"] [data-testid="figure-error"]'
const fileInput = '[data-testid="ctp-demo"] [data-testid="figure-file-input"]'
const folderInput = '[data-testid="ctp-demo"] [data-testid="figure-folder-input"]'

/** The state the figure settled in, read in the same check that saw it settle (it may start running again right after). */
async function waitSettled(timeout = 60_000) {
  const handle = await page.waitForFunction(() => {
    const s = document.querySelector('[data-testid="ctp-demo"]')?.getAttribute('data-state')
    return s === 'ready' || s === 'error' ? s : false
  }, null, { timeout })
  return handle.jsonValue()
}

/** The error box's text, or '' when there is none (without waiting for one to appear). */
async function errorText() {
  const box = page.locator(errorBox)
  return (await box.count()) ? box.textContent() : ''
}

async function setSlider(testId, value) {
  await page.locator(`[data-testid="${testId}"]`).evaluate((el, v) => {
    el.value = String(v)
    el.dispatchEvent(new Event('input', { bubbles: true }))
  }, value)
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))))
}

async function axialPixel(i, j) {
  return page.locator('[data-testid="ctp-axial-canvas"]').evaluate((c, [i, j]) => Array.from(c.getContext('2d').getImageData(i, j, 1, 1).data.slice(0, 3)), [i, j])
}

before(async () => {
  ;({ server, baseUrl } = await startServer())
  browser = await launchBrowser()
  ;({ page, context, log } = await openPage(browser, baseUrl))
  await openChapterFigure(page, baseUrl, 'ctp-demo')
  // The figure reads the phantom and runs the pipeline once on its own: 'ready' comes with the
  // input's first picture, the first run's result (and its clipping histogram) after it.
  assert.equal(await waitSettled(90_000), 'ready', await errorText())
  // Settled: the first run's numbers are shown, the figure is ready with nothing partial, and it
  // stays so for half a second (a follow-up job may flip it to 'running' briefly on a loaded machine).
  const settled = () => page.waitForFunction(() => {
    const root = document.querySelector('[data-testid="ctp-demo"]')
    return document.querySelector('[data-testid="ctp-clipped"]') && root?.getAttribute('data-state') === 'ready' && root.getAttribute('data-partial') !== 'true'
  }, null, { timeout: 90_000 })
  for (let stable = false; !stable; ) {
    await settled()
    await page.waitForTimeout(500)
    stable = (await demo().getAttribute('data-state')) === 'ready'
  }
})
after(async () => {
  await context?.close()
  await browser?.close()
  server?.close()
})

describe('5.1 CT preprocessing pipeline on the thorax phantom', () => {
  it('reads the 5.2 MB NIfTI figure copy by default, not the 72-file DICOM series', async () => {
    assert.match(await page.locator('[data-testid="ctp-source"]').textContent(), new RegExp(nifti.size.join(' × ')))
    const fetched = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name))
    assert.equal(fetched.filter((u) => u.endsWith('/thorax-1.4mm.nii.gz')).length, 1, fetched.join(' '))
    assert.equal(fetched.filter((u) => /slice-\d+\.dcm$/.test(u)).length, 0)
    assert.match(await demo().textContent(), /synthetic/i)
  })

  it('the −1200 HU lower clip moves no voxel of the phantom; numbers of earlier settings are marked stale', async () => {
    assert.match(await page.locator('[data-testid="ctp-clipped"]').textContent(), /^0 body voxels raised to -1200 HU, [1-9][\d,]* lowered to 600 HU/)
    assert.equal(await page.locator('[data-testid="ctp-stale"]').count(), 0)
    await page.locator('[data-testid="ctp-clip-max"]').fill('400')
    await page.locator('[data-testid="ctp-stale"]').waitFor()
    await page.locator('[data-testid="ctp-clip-max"]').fill('600')
    await page.locator('[data-testid="ctp-stale"]').waitFor({ state: 'detached' })
  })

  it('runs the pipeline on Run and lists every step with its time', async () => {
    await page.locator('[data-testid="ctp-run"]').click()
    assert.equal(await demo().getAttribute('data-state'), 'running')
    assert.equal(await waitSettled(), 'ready')
    for (const name of STEPS) {
      const li = page.locator(`[data-testid="ctp-step-${name}"]`)
      assert.equal(await li.getAttribute('data-ran'), 'true', name)
      const ms = Number(await li.getAttribute('data-ms'))
      assert.ok(Number.isFinite(ms) && ms >= 0, `${name}: ${ms} ms`)
      assert.match(await li.locator('[data-testid="ctp-step-time"]').textContent(), /^\d+(\.\d+)? (ms|s)$/)
    }
  })

  it('cancels a run and keeps the previous result', async () => {
    const before = await page.locator('[data-testid="ctp-lung-ml"]').getAttribute('data-value')
    await page.locator('[data-testid="ctp-run"]').click()
    await page.locator('[data-testid="ctp-demo"] [data-testid="figure-cancel"]').click()
    assert.equal(await waitSettled(), 'ready')
    assert.match(await page.locator('[data-testid="ctp-notice"]').textContent(), /cancelled/i)
    assert.equal(await errorText(), '')
    assert.equal(await page.locator('[data-testid="ctp-lung-ml"]').getAttribute('data-value'), before)
    // The next run starts a fresh worker and completes.
    await page.locator('[data-testid="ctp-run"]').click()
    assert.equal(await waitSettled(), 'ready', await errorText())
  })

  it('skips a step switched off: without resampling the output keeps the input grid', async () => {
    await page.locator('[data-testid="ctp-enable-resample"]').uncheck()
    await page.locator('[data-testid="ctp-run"]').click()
    assert.equal(await waitSettled(), 'ready', await errorText())
    const size = (await page.locator('[data-testid="ctp-output-size"]').getAttribute('data-size')).split(',').map(Number)
    assert.deepEqual(size, nifti.size)
    assert.equal(await page.locator('[data-testid="ctp-step-resample"]').getAttribute('data-ran'), 'false')
    await page.locator('[data-testid="ctp-enable-resample"]').check()
    await page.locator('[data-testid="ctp-run"]').click()
    assert.equal(await waitSettled(), 'ready', await errorText())
  })

  it('resamples to 1 mm: output size = round(size × spacing) from the phantom geometry', async () => {
    const size = (await page.locator('[data-testid="ctp-output-size"]').getAttribute('data-size')).split(',').map(Number)
    assert.deepEqual(size, expectedSize)
    assert.match(await page.locator('[data-testid="ctp-step-resample"]').textContent(), new RegExp(expectedSize.join('×')))
  })

  it('measures an adult-range lung volume and draws the lung overlay over the lungs only', async () => {
    const ml = Number(await page.locator('[data-testid="ctp-lung-ml"]').getAttribute('data-value'))
    assert.ok(ml > 1000 && ml < 8000, `lung volume ${ml} mL`)
    const [li, lj, lk] = probe('right lung parenchyma')
    const [mi, mj, mk] = probe('paraspinal muscle (right)')
    assert.equal(lk, mk)
    await setSlider('ctp-axial-slice-slider', lk)
    assert.equal(Number(await page.locator('[data-testid="ctp-axial-slice-index"]').getAttribute('data-index')), lk)
    const [r, g, b] = await axialPixel(li, lj)
    assert.ok(b - r > 40 && g - r > 40, `lung probe is tinted cyan: rgb(${r}, ${g}, ${b})`)
    const muscle = await axialPixel(mi, mj)
    assert.ok(Math.abs(muscle[0] - muscle[2]) <= 2, `muscle is grey: rgb(${muscle})`)
    // Switching the overlay off leaves the grey lung.
    await page.locator('[data-testid="ctp-overlay-lungs"]').uncheck()
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))))
    const off = await axialPixel(li, lj)
    assert.ok(off[0] === off[1] && off[1] === off[2], `no overlay: rgb(${off})`)
    await page.locator('[data-testid="ctp-overlay-lungs"]').check()
  })

  it('finds the metal and paints it red at the pedicle screw', async () => {
    const voxels = Number(await page.locator('[data-testid="ctp-metal"]').getAttribute('data-voxels'))
    assert.ok(voxels > 0, `metal voxels ${voxels}`)
    const [i, j, k] = probe('pedicle screw (metal)')
    await setSlider('ctp-axial-slice-slider', k)
    const [r, g, b] = await axialPixel(i, j)
    assert.ok(r > 200 && g < 80 && b < 80, `screw is red: rgb(${r}, ${g}, ${b})`)
  })

  it('downloads the preprocessed volume as a NIfTI-1 file with the output size', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 60_000 }),
      page.locator('[data-testid="ctp-download-image"]').click(),
    ])
    assert.match(download.suggestedFilename(), /-preprocessed\.nii\.gz$/)
    const bytes = gunzipSync(readFileSync(await download.path()))
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    assert.equal(view.getInt32(0, true), 348, 'sizeof_hdr')
    assert.equal(bytes.subarray(344, 348).toString('latin1'), 'n+1\0', 'magic')
    assert.equal(view.getInt16(40, true), 3, 'dim[0]')
    assert.deepEqual([1, 2, 3].map((d) => view.getInt16(40 + 2 * d, true)), expectedSize)
    assert.equal(view.getInt16(70, true), 16, 'datatype float32')
    assert.deepEqual([1, 2, 3].map((d) => view.getFloat32(76 + 4 * d, true)), [1, 1, 1], 'pixdim')
    const voxOffset = view.getFloat32(108, true)
    assert.equal(bytes.length, voxOffset + 4 * expectedSize.reduce((a, b) => a * b, 1))
    // Normalised to [0, 1]: the first voxel (air) is (−1000 + 1200) / 1800 give or take the phantom's noise.
    const first = view.getFloat32(voxOffset, true)
    assert.ok(first >= 0 && first <= 1, `first voxel ${first}`)
  })

  it('downloads HU as int16 (half the size) when the output is not normalised', async () => {
    assert.equal(await page.locator('[data-testid="ctp-download-int16"]').isDisabled(), true, 'int16 is offered only for HU output')
    await page.locator('[data-testid="ctp-enable-normalize"]').uncheck()
    await page.locator('[data-testid="ctp-run"]').click()
    assert.equal(await waitSettled(), 'ready', await errorText())
    await page.locator('[data-testid="ctp-download-int16"]').check()
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.locator('[data-testid="ctp-download-image"]').click()])
    const bytes = gunzipSync(readFileSync(await download.path()))
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    assert.equal(view.getInt16(70, true), 4, 'datatype int16')
    assert.deepEqual([1, 2, 3].map((d) => view.getInt16(40 + 2 * d, true)), expectedSize)
    const voxOffset = view.getFloat32(108, true)
    assert.equal(bytes.length, voxOffset + 2 * expectedSize.reduce((a, b) => a * b, 1))
    // Clipped HU, rounded: the corner voxel is air at the lower clip bound or above.
    const first = view.getInt16(voxOffset, true)
    assert.ok(first >= -1200 && first <= -900, `first voxel ${first} HU`)
    await page.locator('[data-testid="ctp-download-int16"]').uncheck()
    await page.locator('[data-testid="ctp-enable-normalize"]').check()
    await page.locator('[data-testid="ctp-run"]').click()
    assert.equal(await waitSettled(), 'ready', await errorText())
  })

  it('downloads the lung mask whose voxels add up to the lung volume shown', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 60_000 }),
      page.locator('[data-testid="ctp-download-lungs"]').click(),
    ])
    assert.match(download.suggestedFilename(), /-lung-mask\.nii\.gz$/)
    const bytes = gunzipSync(readFileSync(await download.path()))
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    assert.equal(bytes.subarray(344, 348).toString('latin1'), 'n+1\0', 'magic')
    assert.deepEqual([1, 2, 3].map((d) => view.getInt16(40 + 2 * d, true)), expectedSize)
    assert.equal(view.getInt16(70, true), 2, 'datatype uint8')
    const voxels = bytes.subarray(view.getFloat32(108, true))
    let n = 0
    for (const v of voxels) n += v
    // 1 mm³ voxels: the mask's voxel count in mL is the volume the figure reports.
    const ml = Number(await page.locator('[data-testid="ctp-lung-ml"]').getAttribute('data-value'))
    assert.ok(Math.abs(n / 1000 - ml) < 1e-6, `${n} voxels vs ${ml} mL`)
  })

  it('explains an RT Plan without pixel data and keeps the previous result', async () => {
    const before = await page.locator('[data-testid="ctp-lung-ml"]').getAttribute('data-value')
    const bad = fileURLToPath(new URL('../../public/data/bad/rtplan.dcm', import.meta.url))
    await page.locator(fileInput).setInputFiles(bad)
    assert.equal(await waitSettled(), 'error')
    assert.match(await page.locator(errorBox).textContent(), /no pixel data/i)
    assert.equal(await page.locator('[data-testid="ctp-lung-ml"]').getAttribute('data-value'), before)
    const size = (await page.locator('[data-testid="ctp-output-size"]').getAttribute('data-size')).split(',').map(Number)
    assert.deepEqual(size, expectedSize)
    // The views still work on the previous result.
    const [i, j, k] = probe('pedicle screw (metal)')
    await setSlider('ctp-axial-slice-slider', k)
    const [r] = await axialPixel(i, j)
    assert.ok(r > 200)
  })

  it('explains a NIfTI that is not a scan and a truncated DICOM dropped on the figure', async () => {
    const before = await page.locator('[data-testid="ctp-lung-ml"]').getAttribute('data-value')
    await page.locator(fileInput).setInputFiles(fileURLToPath(new URL('../../public/data/bad/not-a-scan.nii.gz', import.meta.url)))
    assert.equal(await waitSettled(), 'error')
    const niftiMessage = await errorText()
    assert.match(niftiMessage, /nifti|gzip|header/i)
    // Drag and drop: a DataTransfer holding the truncated file, dropped on the figure.
    // The bytes are read here and handed over synchronously (an awaited fetch inside evaluate was
    // flaky: "Resulting promise was garbage collected").
    const truncated = Array.from(readFileSync(fileURLToPath(new URL('../../public/data/bad/MR_truncated.dcm', import.meta.url))))
    await page.evaluate((bytes) => {
      const dt = new DataTransfer()
      dt.items.add(new File([new Uint8Array(bytes)], 'MR_truncated.dcm'))
      document.querySelector('[data-testid="ctp-demo"]').dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }))
    }, truncated)
    await page.waitForFunction(([m, sel]) => {
      const box = document.querySelector(sel)
      return box && box.textContent !== m && document.querySelector('[data-testid="ctp-demo"]').getAttribute('data-state') === 'error'
    }, [niftiMessage, errorBox])
    assert.match(await errorText(), /truncated/i)
    assert.equal(await page.locator('[data-testid="ctp-lung-ml"]').getAttribute('data-value'), before)
  })

  it('a scan without lungs: the lung step says it could not apply, the rest runs, the scan stays loaded', async () => {
    // A water cylinder in air (24 × 24 × 8 at 1 × 1 × 2 mm), written with the library built in dist/.
    const { makeImage, writeNifti } = await import(new URL('../../dist/index.js', import.meta.url).href)
    const n = 24
    const data = new Float32Array(n * n * 8)
    for (let k = 0; k < 8; k++) for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) data[i + n * (j + n * k)] = (i - 11.5) ** 2 + (j - 11.5) ** 2 < 81 ? 0 : -1000
    const dir = mkdtempSync(join(tmpdir(), 'ctp-nolungs-'))
    const file = join(dir, 'water-cylinder.nii')
    writeFileSync(file, new Uint8Array(writeNifti(makeImage([n, n, 8], { data, spacing: [1, 1, 2] }))))
    try {
      await page.locator(fileInput).setInputFiles(file)
      assert.equal(await waitSettled(), 'ready')
      assert.equal(await page.locator('[data-testid="ctp-step-lungs"]').getAttribute('data-ran'), 'false')
      assert.match(await page.locator('[data-testid="ctp-step-lungs"]').textContent(), /could not apply/)
      assert.match(await page.locator('[data-testid="ctp-notice"]').textContent(), /lungs step could not apply.*no air inside the body.*other steps ran/)
      assert.equal(await page.locator('[data-testid="ctp-step-clip"]').getAttribute('data-ran'), 'true')
      assert.deepEqual((await page.locator('[data-testid="ctp-output-size"]').getAttribute('data-size')).split(',').map(Number), [24, 24, 16])
      // Run again: the reader's scan, not the sample, is processed.
      await page.locator('[data-testid="ctp-run"]').click()
      assert.equal(await waitSettled(), 'ready')
      assert.deepEqual((await page.locator('[data-testid="ctp-output-size"]').getAttribute('data-size')).split(',').map(Number), [24, 24, 16])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('reads a whole folder, lists its two series and runs the one the reader picks', async () => {
    // A folder as a reader might have it: part of the phantom series (24 contiguous slices, to keep
    // the upload into the page short), a stray single CT slice from another study, a JSON file.
    const dir = mkdtempSync(join(tmpdir(), 'ctp-folder-'))
    const phantomDir = fileURLToPath(new URL('../../public/data/ct-thorax-phantom/', import.meta.url))
    const subset = phantomIndex.files.slice(24, 48)
    try {
      for (const f of subset) copyFileSync(join(phantomDir, f), join(dir, f))
      copyFileSync(join(phantomDir, 'index.json'), join(dir, 'index.json'))
      copyFileSync(fileURLToPath(new URL('../../public/data/CT_small.dcm', import.meta.url)), join(dir, 'zz-other.dcm'))
      await page.locator(folderInput).setInputFiles(dir)
      await page.locator('[data-testid="ctp-series"]').waitFor({ timeout: 30_000 })
      const options = await page.locator('[data-testid="ctp-series-select"] option').allTextContents()
      assert.equal(options.length, 2, options.join(' | '))
      const phantomOption = options.findIndex((o) => o.includes(`${subset.length} file(s)`))
      assert.ok(phantomOption >= 0, options.join(' | '))
      await page.locator('[data-testid="ctp-series-select"]').selectOption({ index: phantomOption })
      await page.locator('[data-testid="ctp-series"] button', { hasText: 'Open' }).click()
      assert.equal(await waitSettled(), 'ready', await errorText())
      const size = (await page.locator('[data-testid="ctp-output-size"]').getAttribute('data-size')).split(',').map(Number)
      assert.deepEqual(size, [expectedSize[0], expectedSize[1], Math.round(subset.length * geo.sliceSpacing)])
      assert.match(await page.locator('[data-testid="ctp-source"]').textContent(), new RegExp(`512 × 512 × ${subset.length}`))
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('links its recipe to the Pipeline Lab as the registry pipeline it is, following the settings', async () => {
    const decode = async () => {
      const href = await page.locator('[data-testid="ctp-open-lab"]').getAttribute('href')
      assert.match(href, /\/lab#pipeline=[A-Za-z0-9_-]+$/)
      return JSON.parse(Buffer.from(href.split('#pipeline=')[1], 'base64url').toString('utf8'))
    }
    const p = await decode()
    const { validatePipeline } = await import(new URL('../../dist/index.js', import.meta.url).href)
    assert.doesNotThrow(() => validatePipeline(p))
    assert.deepEqual(p.steps.map((s) => s.op), ['detectMetal', 'resampleToSpacing', 'segmentLungs', 'clipIntensity', 'normalizeMinMax'])
    await page.locator('[data-testid="ctp-enable-metal"]').uncheck()
    assert.deepEqual((await decode()).steps.map((s) => s.op), ['resampleToSpacing', 'segmentLungs', 'clipIntensity', 'normalizeMinMax'])
    await page.locator('[data-testid="ctp-enable-metal"]').check()
  })

  it('made no request to another host and logged no console error', () => {
    assert.deepEqual(log.external, [])
    assert.deepEqual(log.pageErrors, [])
    assert.deepEqual(log.consoleErrors, [])
  })
})
