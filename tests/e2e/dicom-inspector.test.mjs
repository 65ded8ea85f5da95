// The 1.5 DICOM inspector: offsets shown for the selected element are pydicom's
// (tests/reference/io/dicom/element-offsets.json), the affine is nibabel's
// (tests/reference/io/geometry/affines.json), a clicked voxel's LPS point is that affine applied
// here and its RAS point has x and y negated; a reader's own file (implicit VR) is inspected too.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { openFigurePage } from './support.mjs'
import { setControl, waitFigureReady } from './phantom-node.mjs'

const ID = 'dicom-inspector-demo'
const offsets = JSON.parse(readFileSync(new URL('../reference/io/dicom/element-offsets.json', import.meta.url), 'utf8'))
const affines = JSON.parse(readFileSync(new URL('../reference/io/geometry/affines.json', import.meta.url), 'utf8'))
const refOffset = (file, tag) => offsets[file].find((r) => r[0] === tag)
let page, log
const fig = () => page.locator(`[data-testid="${ID}"]`)

let figure
before(async () => {
  figure = await openFigurePage('/ch01/05-data-formats', ID, 120_000)
  ;({ page, log } = figure)
})
after(() => figure?.close())

function assertAffineColumns(shown, ref, cols = [0, 1, 3]) {
  for (let r = 0; r < 4; r++) for (const c of cols) assert.ok(Math.abs(shown[r][c] - ref[r][c]) < 1e-4, `[${r}][${c}] ${shown[r][c]} vs ${ref[r][c]}`)
}

describe('1.5 DICOM inspector', () => {
  it('shows PatientName of CT_small at pydicom\'s offset, highlighted as a person name', async () => {
    const [, offset, valueOffset] = refOffset('CT_small.dcm', '(0010,0010)')
    const sel = fig().locator('[data-testid="di-selected"]')
    assert.equal(await sel.getAttribute('data-tag'), '(0010,0010)')
    assert.equal(Number(await sel.getAttribute('data-offset')), offset)
    assert.equal(Number(await fig().locator('[data-testid="hex-dump"]').getAttribute('data-value-offset')), valueOffset)
    assert.equal(await fig().locator('tr[data-tag="(0010,0010)"]').getAttribute('data-identifying'), 'person name')
    assert.equal(await fig().locator('tr[data-tag="(0028,0010)"]').getAttribute('data-identifying'), null)
    // The hex dump holds the tag bytes, little endian: 10 00 10 00, then 'PN'.
    const hex = await fig().locator('[data-testid="hex-dump"]').textContent()
    assert.match(hex, /10 ?00 ?10 ?00 ?50 ?4e/)
  })

  it('selecting PixelData shows its 12-byte header and value offset', async () => {
    await fig().locator('tr[data-tag="(7FE0,0010)"]').click()
    const [, offset, valueOffset, length] = refOffset('CT_small.dcm', '(7FE0,0010)')
    assert.equal(Number(await fig().locator('[data-testid="di-selected"]').getAttribute('data-offset')), offset)
    assert.equal(valueOffset - offset, 12)
    assert.equal(length, 128 * 128 * 2)
    assert.equal(Number(await fig().locator('[data-testid="hex-dump"]').getAttribute('data-value-offset')), valueOffset)
  })

  it('the affine is nibabel\'s and a clicked voxel is placed by it, in LPS and RAS', async () => {
    const lps = JSON.parse(await fig().locator('[data-testid="di-affine-lps"]').getAttribute('data-affine'))
    assertAffineColumns(lps, affines['CT_small.dcm'].affine)
    const canvas = fig().locator('[data-testid="di-canvas"]')
    const box = await canvas.boundingBox()
    await canvas.click({ position: { x: box.width * 0.25, y: box.height * 0.7 } })
    const point = fig().locator('[data-testid="di-point"]')
    await page.waitForFunction(() => document.querySelector('[data-testid="di-point"]')?.getAttribute('data-voxel') !== '64,64,0')
    const [i, j, k] = (await point.getAttribute('data-voxel')).split(',').map(Number)
    assert.ok(Math.abs(i - 32) <= 1 && Math.abs(j - 90) <= 1 && k === 0, `voxel ${i},${j},${k}`)
    const A = affines['CT_small.dcm'].affine
    const expected = [0, 1, 2].map((r) => A[r][0] * i + A[r][1] * j + A[r][3])
    const shownLps = (await point.getAttribute('data-lps')).split(',').map(Number)
    const shownRas = (await point.getAttribute('data-ras')).split(',').map(Number)
    expected.forEach((v, r) => assert.ok(Math.abs(shownLps[r] - v) < 1e-4, `LPS ${r}`))
    assert.deepEqual(shownRas.map((v) => Number(v.toFixed(6))), [-shownLps[0], -shownLps[1], shownLps[2]].map((v) => Number(v.toFixed(6))))
  })

  it('another sample changes the geometry to that file\'s', async () => {
    await setControl(page, ID, 'di-sample', '/data/MR_small.dcm')
    const lps = JSON.parse(await fig().locator('[data-testid="di-affine-lps"]').getAttribute('data-affine'))
    assertAffineColumns(lps, affines['MR_small.dcm'].affine)
  })

  it('inspects the reader\'s own implicit-VR file at pydicom\'s offsets', async () => {
    const file = new URL('../reference/io/dicom/files/MR_small_implicit.dcm', import.meta.url)
    await fig().locator('[data-testid="figure-file-input"]').setInputFiles({ name: 'my-scan', mimeType: '', buffer: readFileSync(file) })
    await page.waitForFunction(() => document.querySelector('[data-testid="di-file"]')?.textContent.includes('my-scan'))
    await waitFigureReady(page, ID)
    const [, offset] = refOffset('MR_small_implicit.dcm', '(0010,0010)')
    assert.equal(Number(await fig().locator('[data-testid="di-selected"]').getAttribute('data-offset')), offset)
    const lps = JSON.parse(await fig().locator('[data-testid="di-affine-lps"]').getAttribute('data-affine'))
    assertAffineColumns(lps, affines['MR_small_implicit.dcm'].affine)
  })

  it('logs no errors and requests nothing from another host', () => {
    assert.deepEqual(log.consoleErrors, [])
    assert.deepEqual(log.pageErrors, [])
    assert.deepEqual(log.external, [])
    assert.deepEqual(log.failed, [])
  })
})
