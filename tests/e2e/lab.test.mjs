// The Pipeline Lab (/lab), driven as a reader would: open six slices of the thorax phantom's
// DICOM series with a text file and a truncated DICOM among them, load the ct-lung preset, run
// it, check the output grid against the pipeline's prediction computed here from the input's
// geometry, download the NIfTI (header parsed here), the pipeline and the provenance, refuse a
// run above the memory limit, share the pipeline as a link — and check that no request went to
// another host and no download carries the reader's file names or the phantom's UIDs.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'
import { fileURLToPath } from 'node:url'
import { launchBrowser, openPage, startServer } from './support.mjs'

const dataDir = new URL('../../public/data/ct-thorax-phantom/', import.meta.url)
const phantomIndex = JSON.parse(readFileSync(fileURLToPath(new URL('index.json', dataDir)), 'utf8'))
const ctLung = JSON.parse(readFileSync(fileURLToPath(new URL('../../pipelines/ct-lung.json', import.meta.url)), 'utf8'))
const SLICES = [30, 31, 32, 33, 34, 35]
const sliceFile = (i) => ({ name: `slice-${String(i).padStart(3, '0')}.dcm`, mimeType: 'application/dicom', buffer: readFileSync(fileURLToPath(new URL(`slice-${String(i).padStart(3, '0')}.dcm`, dataDir))) })
const files = [
  ...SLICES.map(sliceFile),
  { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a scan\n') },
  { name: 'broken.dcm', mimeType: 'application/dicom', buffer: sliceFile(36).buffer.subarray(0, 1500) },
]
// The input grid the reader's files give: the phantom's own geometry (index.json).
const geo = phantomIndex.geometry
const inputSize = [geo.columns, geo.rows, SLICES.length]
const inputSpacing = [geo.pixelSpacing, geo.pixelSpacing, geo.sliceSpacing]
// ct-lung's resampling step: round(size × spacing / target) per axis (ITK's rule, as the registry's estimate).
const target = ctLung.steps.find((s) => s.op === 'resampleToSpacing').options.spacing
const predictedSize = inputSize.map((n, a) => Math.max(1, Math.round((n * inputSpacing[a]) / target[a])))

let server, baseUrl, browser, page, context, log
const lab = () => page.locator('[data-testid="lab-demo"]')
const tid = (id) => page.locator(`[data-testid="lab-demo"] [data-testid="${id}"]`)

async function settled(timeout = 120_000) {
  await page.waitForFunction(() => {
    const s = document.querySelector('[data-testid="lab-demo"]')?.getAttribute('data-state')
    return s === 'ready' || s === 'error'
  }, null, { timeout })
  return lab().getAttribute('data-state')
}

/** The error box's text, or '' (without waiting for one). */
async function errorText() {
  const box = tid('figure-error')
  return (await box.count()) ? box.textContent() : ''
}

async function download(testId) {
  const [d] = await Promise.all([page.waitForEvent('download', { timeout: 120_000 }), tid(testId).click()])
  return { name: d.suggestedFilename(), bytes: readFileSync(await d.path()) }
}

describe('Pipeline Lab', () => {
  before(async () => {
    ({ server, baseUrl } = await startServer())
    browser = await launchBrowser()
    ;({ page, context, log } = await openPage(browser, baseUrl))
    await page.goto(baseUrl + '/lab', { waitUntil: 'load' })
    await page.waitForSelector('[data-testid="lab-demo"][data-state="ready"]', { timeout: 60_000 })
  })
  after(async () => {
    await context?.close()
    await browser?.close()
    server?.close()
  })

  it('is in the top navigation', async () => {
    assert.equal(await page.locator('.VPNav a[href="/lab"]').count() > 0, true)
  })

  it('opens the files, lists the series and the skipped files with their reasons', async () => {
    await lab().locator('input[type=file]').first().setInputFiles(files)
    assert.equal(await settled(), 'ready', await errorText())
    assert.equal(await page.locator('[data-testid="lab-series-row"]').count(), 1)
    const row = await page.locator('[data-testid="lab-series-row"]').textContent()
    assert.match(row, /CT/)
    assert.match(row, new RegExp(`${SLICES.length}`))
    assert.match(row, /512 × 512 × 6/)
    assert.match(row, /0\.7 × 0\.7 × 2\.5/)
    const skipped = await page.locator('[data-testid="lab-skipped-file"]').allTextContents()
    assert.equal(skipped.length, 2, skipped.join('\n'))
    assert.match(skipped.find((s) => s.includes('notes.txt')), /neither DICOM nor NIfTI/)
    assert.ok(skipped.find((s) => s.includes('broken.dcm')), 'the truncated file is listed')
    assert.equal(await tid('lab-input').getAttribute('data-size'), inputSize.join(','))
    assert.deepEqual((await tid('lab-input').getAttribute('data-spacing')).split(',').map(Number), inputSpacing)
  })

  it('inspects the header of one file with identifying attributes highlighted', async () => {
    await tid('lab-header').locator('summary').click()
    await tid('lab-header-filter').waitFor({ timeout: 30_000 })
    const row = (keyword) => page.locator(`[data-testid="lab-header"] tr[data-keyword="${keyword}"]`)
    assert.match(await row('PatientName').getAttribute('class'), /flag/)
    assert.match(await row('SeriesInstanceUID').getAttribute('class'), /flag/)
    assert.doesNotMatch((await row('PixelSpacing').getAttribute('class')) ?? '', /flag/)
    await tid('lab-header-filter').fill('0028,0030')
    assert.equal(await page.locator('[data-testid="lab-header"] tbody tr').count(), 1)
    await tid('lab-header-filter').fill('')
  })

  it('loads the ct-lung preset and predicts the output grid', async () => {
    await tid('lab-preset').selectOption('chest-xray')
    assert.equal(await page.locator('[data-testid^="lab-step-"][data-op]').count(), 3)
    await tid('lab-preset').selectOption('ct-lung')
    const ops = await page.locator('[data-testid="lab-editor"] li[data-op]').evaluateAll((els) => els.map((e) => e.getAttribute('data-op')))
    assert.deepEqual(ops, ctLung.steps.map((s) => s.op))
    assert.equal(await tid('lab-plan').getAttribute('data-size'), predictedSize.join(','))
  })

  it('runs the pipeline in the worker; the output grid is the predicted one', async () => {
    await tid('lab-run').click()
    assert.equal(await settled(), 'ready', await errorText())
    const rows = await page.locator('[data-testid="lab-result-row"]').evaluateAll((els) => els.map((e) => [e.getAttribute('data-op'), e.getAttribute('data-status')]))
    assert.deepEqual(rows, ctLung.steps.map((s) => [s.op, 'ok']))
    assert.equal(await tid('lab-output').getAttribute('data-size'), predictedSize.join(','))
    assert.deepEqual((await tid('lab-output').getAttribute('data-spacing')).split(',').map(Number), target)
    assert.equal(await tid('lab-output').getAttribute('data-type'), 'float32')
    // Any step's output can be shown: the lung mask (step 3) over the resampled image.
    await tid('lab-view-step').selectOption('2')
    assert.ok(await page.locator('[data-testid="lab-view-canvas"]').isVisible())
  })

  it('downloads the result as a gzipped NIfTI-1 with the output grid', async () => {
    const { name, bytes: gz } = await download('lab-download-nifti')
    assert.equal(name, 'lab-result.nii.gz')
    assert.deepEqual([gz[0], gz[1]], [0x1f, 0x8b], 'gzip magic')
    const b = gunzipSync(gz)
    const v = new DataView(b.buffer, b.byteOffset, b.byteLength)
    assert.equal(v.getInt32(0, true), 348, 'sizeof_hdr')
    assert.equal(v.getInt16(40, true), 3, 'dim[0]')
    assert.deepEqual([1, 2, 3].map((d) => v.getInt16(40 + 2 * d, true)), predictedSize)
    assert.deepEqual([1, 2, 3].map((d) => +v.getFloat32(76 + 4 * d, true).toFixed(5)), target)
    assert.equal(v.getInt16(70, true), 16, 'datatype FLOAT32')
    assert.equal(b.length, 352 + predictedSize.reduce((a, c) => a * c, 1) * 4)
  })

  it('downloads a mask as uint8 and the result as int16 on the same grid', async () => {
    const header = (gz) => {
      const b = gunzipSync(gz)
      const v = new DataView(b.buffer, b.byteOffset, b.byteLength)
      return { size: [1, 2, 3].map((d) => v.getInt16(40 + 2 * d, true)), datatype: v.getInt16(70, true), bytes: b.length }
    }
    const lungs = await download('lab-download-mask-lungs')
    assert.equal(lungs.name, 'lab-mask-lungs.nii.gz')
    const voxels = predictedSize.reduce((a, c) => a * c, 1)
    assert.deepEqual(header(lungs.bytes), { size: predictedSize, datatype: 2, bytes: 352 + voxels })
    await tid('lab-download-type').selectOption('int16')
    assert.deepEqual(header((await download('lab-download-nifti')).bytes), { size: predictedSize, datatype: 4, bytes: 352 + 2 * voxels })
    await tid('lab-download-type').selectOption('')
  })

  it('downloads the pipeline JSON and a provenance record without names or UIDs', async () => {
    const p = JSON.parse((await download('lab-download-pipeline')).bytes.toString('utf8'))
    assert.equal(p.format, 'med-imaging-primer/pipeline')
    assert.equal(p.version, 1)
    assert.deepEqual(p.steps.map((s) => s.op), ctLung.steps.map((s) => s.op))
    assert.deepEqual(p.steps[1].options, ctLung.steps[1].options)
    const text = (await download('lab-download-provenance')).bytes.toString('utf8')
    const prov = JSON.parse(text)
    assert.equal(prov.format, 'med-imaging-primer/provenance')
    assert.deepEqual(prov.input.size, inputSize)
    assert.equal(prov.steps.length, ctLung.steps.length)
    assert.deepEqual(prov.outputs[0].size, predictedSize)
    assert.match(prov.pipelineHash, /^[0-9a-f]{64}$/)
    for (const secret of [phantomIndex.seriesInstanceUID, phantomIndex.studyInstanceUID, 'slice-03', 'notes.txt']) assert.ok(!text.includes(secret), `provenance holds ${secret}`)
  })

  it('refuses, with the estimate, a step above the memory limit; the scan stays loaded', async () => {
    // Step 2 (resampling to 1 mm) would need its 358 × 358 × 15 float32 output and the moved metal mask: about 9.6 MB.
    await tid('lab-limit').fill('5')
    await tid('lab-limit').blur()
    const err = tid('lab-step-1-error')
    await err.waitFor({ timeout: 10_000 })
    assert.match(await err.textContent(), /would need about [\d.]+ MB.*above the limit of 5\.0 MB/)
    assert.equal(await tid('lab-run').isDisabled(), true)
    await tid('lab-limit').fill('1500')
    await tid('lab-limit').blur()
    assert.equal(await tid('lab-step-1-error').count(), 0)
    assert.equal(await tid('lab-input').getAttribute('data-size'), inputSize.join(','))
  })

  it('refuses, with the estimate, a series above the memory limit before decoding it', async () => {
    await tid('lab-limit').fill('1')
    await tid('lab-limit').blur()
    await lab().locator('input[type=file]').first().setInputFiles(files.slice(0, 3))
    assert.equal(await settled(), 'error')
    // 512 × 512 × 3 slices × 4 bytes = 3.1 MB
    assert.match(await errorText(), /needs about 3\.1 MB once decoded, above the Lab's memory limit of 1\.0 MB: not loaded/)
    assert.equal(await tid('lab-input').getAttribute('data-size'), inputSize.join(','), 'the scan loaded before stays loaded')
    await tid('lab-limit').fill('1500')
    await tid('lab-limit').blur()
  })

  it('says which option of which step is wrong', async () => {
    await tid('lab-step-4-min').fill('700')
    await tid('lab-step-4-min').blur()
    assert.match(await tid('lab-step-4-error').textContent(), /min \(700\) is greater than max \(600\)/)
    await tid('lab-preset').selectOption('ct-lung')
  })

  it('loads a pipeline JSON file, and names the step of a misspelt operation', async () => {
    const mine = { ...ctLung, name: 'mine', steps: [ctLung.steps[1], { op: 'clipIntensity', options: { min: -1000, max: 400 } }] }
    await tid('lab-pipeline-file').setInputFiles({ name: 'mine.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(mine)) })
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="lab-editor"] li[data-op]').length === 2)
    assert.equal(await tid('lab-pipeline-name').inputValue(), 'mine')
    const bad = { ...mine, steps: [mine.steps[0], { op: 'clipIntensty', options: {} }] }
    await tid('lab-pipeline-file').setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(bad)) })
    await page.waitForSelector('[data-testid="lab-demo"] [data-testid="figure-error"]')
    assert.match(await errorText(), /bad\.json: step 2: unknown operation "clipIntensty" \(did you mean "clipIntensity"\?\)/)
    assert.equal(await page.locator('[data-testid="lab-editor"] li[data-op]').count(), 2, 'the pipeline before stays')
    await tid('lab-preset').selectOption('ct-lung')
  })

  it('shares the pipeline as a link with parameters only, and opens it', async () => {
    await tid('lab-step-1-remove').click()
    await tid('lab-share').click()
    const url = await tid('lab-share-url').inputValue()
    assert.match(url, /\/lab#pipeline=[A-Za-z0-9_-]+$/)
    assert.ok(url.length < 2000, 'parameters only')
    const other = await context.newPage()
    await other.goto(url, { waitUntil: 'load' })
    await other.waitForSelector('[data-testid="lab-demo"][data-state="ready"]', { timeout: 60_000 })
    const ops = await other.locator('[data-testid="lab-editor"] li[data-op]').evaluateAll((els) => els.map((e) => e.getAttribute('data-op')))
    assert.deepEqual(ops, ctLung.steps.map((s) => s.op).filter((_, i) => i !== 1))
    await other.close()
  })

  it('lists two series and loads the one the reader chooses; a NIfTI shows its grid before decoding', async () => {
    const ctSmall = { name: 'CT_small.dcm', mimeType: 'application/dicom', buffer: readFileSync(fileURLToPath(new URL('../../public/data/CT_small.dcm', import.meta.url))) }
    await lab().locator('input[type=file]').first().setInputFiles([...files.slice(0, 2), ctSmall])
    assert.equal(await settled(), 'ready', await errorText())
    assert.equal(await page.locator('[data-testid="lab-series-row"]').count(), 2)
    assert.match(await tid('lab-notice').textContent(), /2 image series found: choose one/)
    const ctRow = page.locator('[data-testid="lab-series-row"]', { hasText: '128 × 128 × 1' })
    await ctRow.locator('[data-testid="lab-series-open"]').click()
    assert.equal(await settled(), 'ready', await errorText())
    assert.equal(await tid('lab-input').getAttribute('data-size'), '128,128,1')
    // The phantom's NIfTI figure copy (gzip): its header is read in the page to list size, spacing and memory.
    const nii = { name: 'thorax.nii.gz', mimeType: 'application/gzip', buffer: readFileSync(fileURLToPath(new URL('thorax-1.4mm.nii.gz', dataDir))) }
    await lab().locator('input[type=file]').first().setInputFiles([nii])
    assert.equal(await settled(), 'ready', await errorText())
    const row = await page.locator('[data-testid="lab-series-row"]').textContent()
    assert.match(row, /NIfTI.*256 × 256 × 72.*1\.4 × 1\.4 × 2\.5/)
    assert.equal(await tid('lab-input').getAttribute('data-size'), '256,256,72')
  })

  it('cancels a run on the thorax phantom sample and keeps the sample loaded', async () => {
    await tid('lab-sample-phantom').click()
    assert.equal(await settled(), 'ready', await errorText())
    const size = await tid('lab-input').getAttribute('data-size')
    assert.equal(size.split(',').length, 3)
    await tid('lab-run').click()
    await page.waitForSelector('[data-testid="lab-demo"][data-state="running"]', { timeout: 10_000 })
    await tid('figure-cancel').click()
    assert.equal(await settled(), 'ready')
    assert.match(await tid('lab-notice').textContent(), /cancelled\. Your scan is still loaded/)
    assert.equal(await tid('lab-input').getAttribute('data-size'), size)
  })

  it('a step that cannot apply says so and the others run (CT_small: one slice, no lungs)', async () => {
    await tid('lab-sample-ct-small').click()
    assert.equal(await settled(), 'ready', await errorText())
    await tid('lab-preset').selectOption('ct-lung')
    await tid('lab-run').click()
    assert.equal(await settled(), 'ready')
    const rows = await page.locator('[data-testid="lab-result-row"]').evaluateAll((els) => els.map((e) => [e.getAttribute('data-op'), e.getAttribute('data-status')]))
    assert.deepEqual(rows.find((r) => r[0] === 'segmentLungs'), ['segmentLungs', 'failed'])
    assert.deepEqual(rows.filter((r) => r[0] !== 'segmentLungs').map((r) => r[1]), ['ok', 'ok', 'ok', 'ok', 'ok'])
    assert.match(await errorText(), /Step 3 \(segmentLungs\) failed: .*the other steps ran/)
    assert.equal(await tid('lab-download-nifti').isDisabled(), false)
  })

  it('made no request to another host, no failed request and no console error', () => {
    assert.deepEqual(log.external, [])
    assert.deepEqual(log.failed, [])
    assert.deepEqual(log.consoleErrors, [])
    assert.deepEqual(log.pageErrors, [])
  })
})
