// The Lab's de-identified export, driven as a reader would: load CT_small (one real CT slice),
// open the header inspector, de-identify, check the before/after table (Patient's Name emptied,
// UIDs remapped to 2.25 UIDs, private tags removed, the burned-in caveat shown), download the
// zip, unzip it here and read every file with the library built in dist/ (node
// scripts/build-lib.mjs): no original identifying value remains, the pixels are unchanged, and
// no request went to another host.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { unzipSync } from 'fflate'
import { launchBrowser, openPage, startServer } from './support.mjs'

const dist = new URL('../../dist/index.js', import.meta.url)
const original = readFileSync(fileURLToPath(new URL('../../public/data/CT_small.dcm', import.meta.url)))

let server, baseUrl, browser, page, context, log, lib
const tid = (id) => page.locator(`[data-testid="lab-demo"] [data-testid="${id}"]`)

describe('Pipeline Lab: de-identified export', () => {
  before(async () => {
    lib = await import(dist.href).catch((e) => {
      throw new Error(`dist/ has no built library (${e.message}): run "node scripts/build-lib.mjs" first`)
    })
    assert.equal(typeof lib.deidentifyDicom, 'function', 'dist/ is older than the de-identification: run "node scripts/build-lib.mjs"')
    ;({ server, baseUrl } = await startServer())
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

  let rows
  it('de-identifies CT_small and shows the before/after of each changed element', async () => {
    await tid('lab-sample-ct-small').click()
    await page.waitForSelector('[data-testid="lab-demo"][data-state="ready"] [data-testid="lab-input"]', { timeout: 120_000 })
    await tid('lab-header').locator('summary').click()
    await tid('lab-deid').click()
    await tid('lab-deid-diff').waitFor({ timeout: 60_000 })
    rows = await tid('lab-deid-diff').locator('tbody tr').evaluateAll((trs) => trs.map((tr) => ({
      keyword: tr.getAttribute('data-keyword'), action: tr.getAttribute('data-action'), cells: [...tr.children].map((td) => td.textContent.trim()),
    })))
    const row = (kw) => rows.find((r) => r.keyword === kw)
    // cells: tag, name, before, after, action
    assert.deepEqual(row('PatientName').cells.slice(2, 4), ['CompressedSamples^CT1', ''])
    assert.equal(row('PatientName').action, 'Z')
    assert.deepEqual(row('PatientID').cells.slice(2, 4), ['1CT1', 'ANONYMIZED'])
    for (const kw of ['SOPInstanceUID', 'StudyInstanceUID', 'SeriesInstanceUID']) {
      assert.equal(row(kw).action, 'U', kw)
      assert.match(row(kw).cells[3], /^2\.25\.\d+$/, kw)
      assert.notEqual(row(kw).cells[2], row(kw).cells[3])
    }
    assert.ok(rows.filter((r) => r.cells[1] === 'Private attribute' && r.action === 'X').length > 50, 'private tags removed')
    assert.equal(row('PatientIdentityRemoved').cells[3], 'YES')
    assert.match(await tid('lab-deid-panel').textContent(), /burned into the pixels is not removed/)
  })

  it('downloads a zip whose files hold no original identifying value', async () => {
    const [d] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), tid('lab-download-deid').click()])
    assert.equal(d.suggestedFilename(), 'lab-deidentified.zip')
    const zip = unzipSync(new Uint8Array(readFileSync(await d.path())))
    assert.deepEqual(Object.keys(zip).sort(), ['deid/IM00001.dcm', 'deid/deidentification-report.json'])
    const out = zip['deid/IM00001.dcm']
    const text = Buffer.from(out).toString('latin1')
    const report = Buffer.from(zip['deid/deidentification-report.json']).toString('utf8')
    // Every value the page showed as "before" (but numbers, short codes and what a kept element also holds) is gone from the file and the report.
    const header = lib.readDicomHeader(out)
    const flat = []
    const walk = (list) => { for (const t of list) { flat.push(t); if (t.children) walk(t.children) } }
    walk(header)
    const paths = new Set(rows.map((r) => r.cells[0]))
    const kept = flat.filter((t) => !paths.has(t.tag)).map((t) => t.value)
    let checked = 0
    for (const r of rows) {
      const before = r.cells[2]
      if (r.action === 'added' || before.length < 4 || /^Sequence of/.test(before) || /^[-+\d.\\ eE]+$/.test(before) || kept.some((v) => v.includes(before))) continue
      assert.equal(text.includes(before), false, `${r.keyword || r.cells[0]} "${before}" still in the file`)
      assert.equal(report.includes(before), false, `${r.keyword || r.cells[0]} "${before}" in the report`)
      checked++
    }
    assert.ok(checked >= 10, `only ${checked} values checked`)
    for (const s of ['CompressedSamples', 'JFK IMAGING', '1CT1', 'ABCD1234', '1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322']) assert.equal(text.includes(s), false, s)
    const get = (kw) => flat.find((t) => t.keyword === kw)?.value
    assert.equal(get('PatientIdentityRemoved'), 'YES')
    assert.equal(get('PatientName'), '')
    assert.match(get('SOPInstanceUID'), /^2\.25\.\d+$/)
    assert.equal(flat.some((t) => parseInt(t.tag.slice(1, 5), 16) % 2 === 1), false, 'no private tag')
    // Same pixels as the original: the library reads both to the same image.
    const [a, b] = await Promise.all([lib.readDicomSeries([original.buffer.slice(original.byteOffset, original.byteOffset + original.byteLength)]), lib.readDicomSeries([out.slice().buffer])])
    assert.deepEqual(b.size, a.size)
    assert.deepEqual(Array.from(b.data), Array.from(a.data))
  })

  it('de-identifies a series of the reader\'s files with one UID map', async () => {
    const slice = (i) => ({ name: `slice-0${i}.dcm`, mimeType: 'application/dicom', buffer: readFileSync(fileURLToPath(new URL(`../../public/data/ct-thorax-phantom/slice-0${i}.dcm`, import.meta.url))) })
    await page.locator('[data-testid="lab-demo"] input[type=file]').first().setInputFiles([30, 31, 32].map(slice))
    await page.waitForSelector('[data-testid="lab-demo"][data-state="ready"] [data-testid="lab-input"][data-size$=",3"]', { timeout: 120_000 })
    await tid('lab-header').locator('summary').click()
    await tid('lab-deid').click()
    await tid('lab-deid-diff').waitFor({ timeout: 60_000 })
    const [d] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), tid('lab-download-deid').click()])
    const zip = unzipSync(new Uint8Array(readFileSync(await d.path())))
    const files = Object.keys(zip).filter((k) => k.endsWith('.dcm')).sort()
    assert.equal(files.length, 3)
    const value = (bytes, kw) => lib.readDicomHeader(bytes).find((t) => t.keyword === kw)?.value
    for (const kw of ['StudyInstanceUID', 'SeriesInstanceUID', 'FrameOfReferenceUID']) {
      const v = files.map((f) => value(zip[f], kw))
      assert.equal(new Set(v).size, 1, kw)
      assert.match(v[0], /^2\.25\.\d+$/)
      assert.notEqual(v[0], value(slice(30).buffer, kw))
    }
    assert.equal(new Set(files.map((f) => value(zip[f], 'SOPInstanceUID'))).size, 3)
    // The series reads back as the same 3-slice volume.
    const im = await lib.readDicomSeries(files.map((f) => zip[f].slice().buffer))
    assert.deepEqual(im.size.slice(2), [3])
  })

  it('sent nothing to any host', () => {
    assert.deepEqual(log.external, [])
    assert.deepEqual(log.failed, [])
    assert.deepEqual(log.consoleErrors, [])
    assert.deepEqual(log.pageErrors, [])
  })
})
