// The augmentation figure (chapter 5.1): a 90° rotation and the
// left–right flip must move the pixels exactly as computed here from the original picture
// (a permutation of a square isotropic grid), the labels must follow (same counts, the right-lung
// label on the patient's left after the flip), and the elastic field must change the picture.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { launchBrowser, openPage, startServer } from './support.mjs'

let server, baseUrl, browser, page, context, log

async function settle() {
  // The worker answers asynchronously: wait until the augmented picture stops changing.
  let last = null
  for (let i = 0; i < 40; i++) {
    await page.waitForTimeout(150)
    const now = await page.locator('[data-testid="aug-stats"]').textContent() + (await grey('aug-b-canvas')).slice(0, 4000).join(',')
    if (now === last) return
    last = now
  }
}
async function setSlider(testId, value) {
  await page.locator(`[data-testid="${testId}"]`).evaluate((el, v) => {
    el.value = String(v)
    el.dispatchEvent(new Event('input', { bubbles: true }))
  }, value)
  await settle()
}
function grey(testId) {
  return page.locator(`[data-testid="${testId}"]`).evaluate((c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data
    return Array.from({ length: d.length / 4 }, (_, i) => d[4 * i])
  })
}
const size = (testId) => page.locator(`[data-testid="${testId}"]`).evaluate((c) => [c.width, c.height])
const count = async (testId) => Number(await page.locator(`[data-testid="${testId}"]`).textContent())

function compare(actual, expected) {
  let worst = 0
  let off = 0
  for (let i = 0; i < expected.length; i++) {
    const d = Math.abs(actual[i] - expected[i])
    worst = Math.max(worst, d)
    if (d > 0) off++
  }
  return { worst, off }
}

before(async () => {
  ;({ server, baseUrl } = await startServer())
  browser = await launchBrowser()
  ;({ page, context, log } = await openPage(browser, baseUrl))
  await page.goto(baseUrl + '/ch05/01-preprocessing', { waitUntil: 'load' })
  await page.locator('[data-testid="augmentation-demo"]').scrollIntoViewIfNeeded()
  await page.waitForFunction(() => ['ready', 'error'].includes(document.querySelector('[data-testid="augmentation-demo"]')?.getAttribute('data-state')), null, { timeout: 120_000 })
  assert.equal(await page.locator('[data-testid="augmentation-demo"]').getAttribute('data-state'), 'ready')
  await page.locator('[data-testid="aug-show-labels"]').uncheck()
  await settle()
})
after(async () => {
  await context?.close()
  await browser?.close()
  server?.close()
})

describe('augmentation figure', () => {
  it('starts with the identity: the augmented picture is the original', async () => {
    assert.deepEqual(await size('aug-a-canvas'), [256, 256])
    const { worst } = compare(await grey('aug-b-canvas'), await grey('aug-a-canvas'))
    assert.ok(worst <= 1, `worst ${worst}`)
    assert.ok((await count('aug-right-before')) > 1000 && (await count('aug-left-before')) > 1000)
  })

  it('a 90° rotation moves each pixel (x, y) to (255 − y, x), and the labels keep their counts', async () => {
    await setSlider('aug-rotation', 90)
    const a = await grey('aug-a-canvas')
    const n = 256
    // Output (i, j) takes the input at R⁻¹(q − c) + c = (j, 255 − i) (+90° turns +x toward +y).
    const expected = a.map((_, k) => a[(k / n | 0) + n * (n - 1 - (k % n))])
    const { worst, off } = compare(await grey('aug-b-canvas'), expected)
    assert.ok(worst <= 1 && off < 50, `worst ${worst}, ${off} pixels differ`)
    assert.equal(await count('aug-right-after'), await count('aug-right-before'))
    assert.equal(await count('aug-left-after'), await count('aug-left-before'))
    await setSlider('aug-rotation', 0)
  })

  it('the flip mirrors the columns, is flagged unsafe, and puts the right-lung label on the left', async () => {
    assert.match(await page.locator('[data-testid="aug-flip"]').textContent(), /UNSAFE/)
    await page.locator('[data-testid="aug-flip"]').click()
    await settle()
    const a = await grey('aug-a-canvas')
    const n = 256
    const expected = a.map((_, k) => a[(k / n | 0) * n + (n - 1 - (k % n))])
    const { worst, off } = compare(await grey('aug-b-canvas'), expected)
    assert.ok(worst <= 1 && off < 50, `worst ${worst}, ${off} pixels differ`)
    const warning = await page.locator('[data-testid="aug-flip-warning"]').textContent()
    assert.match(warning, /situs inversus/)
    assert.match(warning, /now lies on the patient's left/)
    assert.equal(await count('aug-right-after'), await count('aug-right-before'))
    await page.locator('[data-testid="aug-flip"]').click()
    await settle()
    assert.equal(await page.locator('[data-testid="aug-flip-warning"]').count(), 0)
  })

  it('an elastic field deforms the picture and the labels, a new seed gives another field', async () => {
    const a = await grey('aug-a-canvas')
    await setSlider('aug-alpha', 30)
    const first = await grey('aug-b-canvas')
    const changed = compare(first, a).off
    assert.ok(changed > 2000, `${changed} pixels changed`)
    const right = await count('aug-right-after')
    const rightBefore = await count('aug-right-before')
    assert.ok(right !== rightBefore && Math.abs(right - rightBefore) < 0.2 * rightBefore, `right lung ${rightBefore} → ${right}`)
    await page.locator('[data-testid="aug-seed"]').click()
    await settle()
    assert.ok(compare(await grey('aug-b-canvas'), first).off > 2000, 'a new seed changes the deformation')
  })

  it('ran without errors, from this site only', () => {
    assert.deepEqual(log.external, [])
    assert.deepEqual(log.failed, [])
    assert.deepEqual(log.pageErrors, [])
    assert.deepEqual(log.consoleErrors, [])
  })
})
