// npm run bench:site — first-picture times and bytes of the built site under a throttled network.
// Reuses .vitepress/dist when newer than docs/ (else builds; --build forces a build), serves it
// like a static host (clean URLs, gzip for text types compressed once and cached, binaries raw),
// and drives Debian's Chromium through playwright-core with a CDP network throttle.
import { createServer } from 'node:http'
import { execSync } from 'node:child_process'
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { extname, join, normalize, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { cpus } from 'node:os'
import { chromium } from 'playwright-core'

const root = fileURLToPath(new URL('..', import.meta.url))
// --dist <dir>: measure another build (e.g. a second checkout's `vitepress build --outDir <dir>`).
const distArg = process.argv.indexOf('--dist')
const dist = distArg > 0 ? process.argv[distArg + 1] : join(root, '.vitepress', 'dist')
const outArg = process.argv.indexOf('--out')
const outFile = outArg > 0 ? process.argv[outArg + 1] : join(root, 'bench', 'site-results.txt')
// --pages <regex>: measure only the pages whose path matches (e.g. --pages ch05/01), for profiling.
const pagesArg = process.argv.indexOf('--pages')
const pageFilter = pagesArg > 0 ? new RegExp(process.argv[pagesArg + 1]) : null
// --trace: also print, per figure, its data-state changes and the files fetched while waiting for
// it (ms from entering the viewport), and the page's layout shifts with the elements that moved.
const trace = process.argv.includes('--trace')
const THROTTLE = { offline: false, latency: 20, downloadThroughput: 50 * 125000, uploadThroughput: 12.5 * 125000 }
const FIGURE_TIMEOUT = 60_000

function walk(dir, out = []) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name)
    if (e.isDirectory()) walk(p, out)
    else out.push(p)
  }
  return out
}
const newest = (dir) => Math.max(...walk(dir).map((f) => statSync(f).mtimeMs))

const needBuild = process.argv.includes('--build') || (distArg < 0 && !existsSync(join(dist, 'index.html')) ||
  statSync(join(dist, 'index.html')).mtimeMs < Math.max(newest(join(root, 'docs')), newest(join(root, 'demos'))))
if (needBuild) {
  console.log('building the site (npx vitepress build)…')
  execSync('npx vitepress build', { cwd: root, stdio: 'inherit' })
}

// ---- static server ----
const MIME = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css',
  '.json': 'application/json', '.svg': 'image/svg+xml', '.txt': 'text/plain', '.md': 'text/plain', '.xml': 'application/xml',
  '.png': 'image/png', '.ico': 'image/x-icon', '.jpg': 'image/jpeg', '.wasm': 'application/wasm', '.woff2': 'font/woff2',
  '.gz': 'application/gzip', '.dcm': 'application/dicom',
}
const TEXT = new Set(['.html', '.js', '.mjs', '.css', '.json', '.svg', '.txt', '.md', '.xml'])
const cache = new Map() // file -> { raw, gz, etag }
function load(file) {
  let c = cache.get(file)
  if (!c) {
    const raw = readFileSync(file)
    const st = statSync(file)
    c = { raw, gz: TEXT.has(extname(file)) ? gzipSync(raw, { level: 9 }) : null, etag: `"${st.size.toString(16)}-${Math.floor(st.mtimeMs).toString(16)}"` }
    cache.set(file, c)
  }
  return c
}
const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost')
  const path = normalize(decodeURIComponent(url.pathname)).replace(/^([/\\])+/, '')
  if (path.includes('..')) return res.writeHead(400).end()
  let file = join(dist, path)
  let status = 200
  if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html')
  else if (!existsSync(file) && existsSync(file + '.html')) file += '.html'
  if (!existsSync(file)) { file = join(dist, '404.html'); status = 404 }
  const c = load(file)
  const headers = {
    'content-type': MIME[extname(file)] ?? 'application/octet-stream', etag: c.etag,
    'cache-control': path.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'public, max-age=0, must-revalidate',
  }
  if (status === 200 && req.headers['if-none-match'] === c.etag) return res.writeHead(304, headers).end()
  let body = c.raw
  if (c.gz && /\bgzip\b/.test(req.headers['accept-encoding'] ?? '')) { body = c.gz; headers['content-encoding'] = 'gzip'; headers.vary = 'accept-encoding' }
  headers['content-length'] = body.length
  res.writeHead(status, headers).end(req.method === 'HEAD' ? undefined : body)
})
await new Promise((r) => server.listen(0, '127.0.0.1', r))
const base = `http://127.0.0.1:${server.address().port}`

// ---- browser ----
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
    // requests to other hosts are counted (CDP) but never reach the network
    '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'],
})

// Runs in every page before its scripts: per figure test id, when it first entered the viewport
// and when its data-state first became something other than 'loading'.
function initScript() {
  const marks = (window.__bench = {})
  const io = new IntersectionObserver((entries) => {
    for (const e of entries) {
      const id = e.target.getAttribute('data-testid')
      const m = (marks[id] ??= {})
      if (e.isIntersecting && m.entered == null) m.entered = performance.now()
    }
  })
  const seen = new WeakSet()
  const check = (el) => {
    const id = el.getAttribute('data-testid')
    const m = (marks[id] ??= {})
    const s = el.getAttribute('data-state')
    // data-partial="true": ready with its first picture, the rest (volume, first run) still to come.
    const t = s === 'ready' && el.getAttribute('data-partial') === 'true' ? 'partial' : s
    if (t && m.last !== t) { (m.trace ??= []).push([t, Math.round(performance.now())]); m.last = t }
    if (m.left == null && s && s !== 'loading') { m.left = performance.now(); m.state = s }
    if (m.ready == null && s === 'ready') m.ready = performance.now()
    if (!seen.has(el)) { seen.add(el); io.observe(el) }
  }
  const scan = () => document.querySelectorAll('[data-testid$="-demo"]').forEach(check)
  new MutationObserver((muts) => {
    for (const mu of muts) {
      if (mu.type === 'attributes') { if (mu.target.matches?.('[data-testid$="-demo"]')) check(mu.target) } else scan()
    }
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-state', 'data-testid', 'data-partial'] })
  document.addEventListener('DOMContentLoaded', scan)
  // Cumulative layout shift (shifts within 500 ms of input excluded by the browser: hadRecentInput).
  window.__cls = 0
  window.__shifts = []
  const describe = (n) => {
    if (!n || !n.closest) return String(n?.nodeName ?? '?')
    const t = n.closest('[data-testid]')
    return `${n.nodeName.toLowerCase()}${n.className && typeof n.className === 'string' ? '.' + n.className.trim().split(/\s+/).join('.') : ''}${t ? ` in ${t.getAttribute('data-testid')}` : ''}`
  }
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if (e.hadRecentInput) continue
      window.__cls += e.value
      window.__shifts.push({ t: Math.round(e.startTime), value: +e.value.toFixed(4), scrollY: Math.round(window.scrollY),
        sources: (e.sources ?? []).map((s) => `${describe(s.node)} y ${Math.round(s.previousRect.y)}→${Math.round(s.currentRect.y)} h ${Math.round(s.previousRect.height)}→${Math.round(s.currentRect.height)}`) })
    }
  }).observe({ type: 'layout-shift', buffered: true })
}

async function measure(pagePath, { figures }) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
  const page = await context.newPage()
  const cdp = await context.newCDPSession(page)
  await cdp.send('Network.enable')
  await cdp.send('Network.emulateNetworkConditions', THROTTLE)
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: false })
  let bytes = 0
  const inflight = new Set()
  const fetched = new Map() // url -> network fetches (not 304, not from cache)
  const requests = [] // [url, sent (ms since navigation, page clock), finished]
  const external = new Set()
  const urlOf = new Map()
  cdp.on('Network.requestWillBeSent', (e) => {
    const u = e.request.url
    if (u.startsWith('data:') || u.startsWith('blob:')) return
    urlOf.set(e.requestId, u); inflight.add(e.requestId)
    if (trace) requests.push({ id: e.requestId, url: u.replace(base, ''), sent: e.timestamp })
    if (!u.startsWith(base)) external.add(u)
  })
  cdp.on('Network.responseReceived', (e) => {
    const r = e.response
    if (r.status !== 304 && !r.fromDiskCache && !r.fromMemoryCache && !r.fromServiceWorker && urlOf.has(e.requestId)) {
      const u = urlOf.get(e.requestId); fetched.set(u, (fetched.get(u) ?? 0) + 1)
    }
  })
  cdp.on('Network.loadingFinished', (e) => {
    bytes += e.encodedDataLength; inflight.delete(e.requestId)
    if (trace) { const r = requests.find((q) => q.id === e.requestId); if (r) { r.done = e.timestamp; r.bytes = e.encodedDataLength } }
  })
  cdp.on('Network.loadingFailed', (e) => inflight.delete(e.requestId))
  await page.addInitScript(initScript)
  const t0 = Date.now()
  await page.goto(base + pagePath, { waitUntil: 'load', timeout: 120_000 })
  // network quiet: nothing in flight for 1 s (max 30 s)
  for (let quiet = 0; quiet < 1000 && Date.now() - t0 < 30_000;) {
    await page.waitForTimeout(100); quiet = inflight.size ? 0 : quiet + 100
  }
  const bytesBefore = bytes
  const ids = await page.$$eval('[data-testid$="-demo"]', (els) => els.map((e) => e.getAttribute('data-testid')))
  const rows = []
  if (figures) {
    for (const id of ids) {
      const b0 = bytes
      await page.locator(`[data-testid="${id}"]`).first().scrollIntoViewIfNeeded()
      let ms
      try {
        // First picture = the first data-state other than 'loading' (the convention: 'loading'
        // until a picture is shown; then 'ready', or 'running' when the figure goes on working
        // after its first picture, e.g. a preview replaced by the full volume); a figure that
        // fails first is reported with the state it reached ('error').
        await page.waitForFunction((i) => window.__bench[i]?.entered != null && window.__bench[i]?.left != null, id, { timeout: FIGURE_TIMEOUT, polling: 50 })
        const m = await page.evaluate((i) => window.__bench[i], id)
        ms = m.left < m.entered ? `0 (${m.state} before visible)` : `${Math.round(m.left - m.entered)} (${m.state})`
      } catch { ms = `>60 s` }
      rows.push({ id, ms, figBytes: bytes - b0 })
      if (trace) {
        const m = await page.evaluate((i) => window.__bench[i], id)
        const states = (m.trace ?? []).map(([s, t]) => `${s}@${Math.round(t - (m.entered ?? 0))}`).join(' ')
        console.log(`  ${id}: entered at ${Math.round(m.entered ?? NaN)} ms; states ${states}`)
        rows.at(-1).states = states
      }
    }
  }
  // network quiet again after the last figure, then the page's total: what a reader who scrolls
  // through the page without touching a figure downloads.
  for (let quiet = 0, t1 = Date.now(); quiet < 1000 && Date.now() - t1 < 60_000;) {
    await page.waitForTimeout(100); quiet = inflight.size ? 0 : quiet + 100
  }
  // Settled: when the figure last became 'ready' (after the work that follows its first picture,
  // e.g. a first N4 run), measured passively over the whole visit; '(state)' if it never settled.
  const marks = await page.evaluate(() => window.__bench)
  for (const row of rows) {
    const m = marks[row.id] ?? {}
    const last = m.trace?.at(-1)
    const lastReady = [...(m.trace ?? [])].reverse().find(([st]) => st === 'ready')
    row.settled = last?.[0] === 'ready' && lastReady && m.entered != null ? `${Math.max(0, Math.round(lastReady[1] - m.entered))}` : `(${last?.[0] ?? '?'})`
  }
  const cls = await page.evaluate(() => window.__cls)
  if (trace) {
    const shifts = await page.evaluate(() => window.__shifts)
    for (const sh of shifts) console.log(`  shift ${sh.value} at ${sh.t} ms (scrollY ${sh.scrollY}): ${sh.sources.join('; ')}`)
    // CDP times are seconds on another clock: counted from the navigation request, which is
    // about the page's performance.now() origin.
    const t0r = requests[0]?.sent ?? 0
    for (const r of requests.filter((q) => (q.bytes ?? 0) > 50_000)) console.log(`  fetch ${r.url} ${Math.round((r.sent - t0r) * 1000)}→${Math.round(((r.done ?? NaN) - t0r) * 1000)} ms ${Math.round((r.bytes ?? 0) / 1024)} KiB`)
  }
  const dups = [...fetched].filter(([, n]) => n > 1).map(([u, n]) => `${u.replace(base, '')}×${n}`)
  await context.close()
  return { pagePath, ids, rows, bytesBefore, bytesAfter: bytes, dups, external: [...external], cls }
}

const pages = walk(dist).filter((f) => f.endsWith('.html') && !f.endsWith('404.html'))
  .map((f) => '/' + relative(dist, f).replace(/\\/g, '/').replace(/(^|\/)index\.html$/, '$1').replace(/\.html$/, '')).sort()
  .filter((p) => !pageFilter || pageFilter.test(p))
// Figures render on the client, so a page's figures are found by loading it: every page is visited
// and scrolled figure by figure.
const detailed = pages
const kb = (n) => `${(n / 1024).toFixed(0)} KiB`
const lines = []
const out = (s = '') => { console.log(s); lines.push(s) }
const started = Date.now()
const table = []
for (const p of detailed) {
  const r = await measure(p, { figures: true })
  const cls = r.cls.toFixed(3)
  if (!r.rows.length) table.push([p, '—', '—', '—', kb(r.bytesBefore), kb(r.bytesAfter), '—', r.dups.length, r.external.length, cls])
  for (const [i, f] of r.rows.entries()) {
    table.push([i ? '' : p, f.id, f.ms, f.settled, i ? '' : kb(r.bytesBefore), i ? '' : kb(r.bytesAfter), kb(f.figBytes), i ? '' : r.dups.length, i ? '' : r.external.length, i ? '' : cls])
  }
  r.detail = r; table.push({ detail: r })
}

out(`# npm run bench:site, ${new Date().toISOString()}, nproc ${cpus().length} (${cpus()[0]?.model ?? '?'}), Chromium ${browser.version()} headless`)
out(`# throttle (CDP Network.emulateNetworkConditions): latency 20 ms, down 50 Mbit/s, up 12.5 Mbit/s; HTTP cache enabled, fresh browser context per page`)
out(`# server: 127.0.0.1 static, gzip -9 for text types (html js mjs css json svg txt), binaries raw (wasm, png, dcm, nii.gz); viewport 1280×900`)
out(`# first picture = figure root [data-testid$="-demo"] scrolled into view; ms from entering the viewport (IntersectionObserver) to the first data-state other than 'loading' ('ready', or 'running' when work follows the first picture; MutationObserver); timeout 60 s`)
out(`# bytes at load = encodedDataLength after load + 1 s network quiet; bytes before interaction = after scrolling to every figure in turn, waiting for each, and 1 s quiet (no clicks); figure bytes = transferred while waiting for that figure`)
out(`# settled = ms from entering the viewport to the figure's last change to 'ready' during the visit (after the work that follows the first picture, e.g. a first N4 run, while the reader scrolls on); '(running)' = still working, '(partial)' = first picture only (e.g. a first run paused off-screen) when the visit ended`)
out(`# CLS = sum of layout-shift entries without recent input over the whole visit`)
out()
const head = ['page', 'figure', 'first picture ms', 'settled ms', 'bytes at load', 'bytes before interaction', 'figure bytes', 'duplicate fetches', 'other hosts', 'CLS']
const body = table.filter((r) => Array.isArray(r))
const w = head.map((h, i) => Math.max(h.length, ...body.map((r) => String(r[i]).length)))
const fmt = (r) => r.map((c, i) => String(c).padEnd(w[i])).join(' | ')
out(fmt(head)); out(w.map((n) => '-'.repeat(n)).join('-|-'))
body.forEach((r) => out(fmt(r)))
for (const { detail: r } of table.filter((x) => !Array.isArray(x))) {
  if (r.dups.length) out(`  duplicates on ${r.pagePath}: ${r.dups.join(', ')}`)
  if (r.external.length) out(`  other hosts on ${r.pagePath}: ${r.external.join(', ')}`)
}
out()
out(`# run time ${((Date.now() - started) / 1000).toFixed(0)} s`)
await browser.close()
server.close()
writeFileSync(outFile, lines.join('\n') + '\n')
