/**
 * Plots of the White Stripe figure (traces and layouts for kit/plot.ts): the foreground histogram
 * in scanner units with the package's smooth, the mode and the stripe, for the scan and the
 * rescaled scan; and both normalised histograms in stripe-SD units. Plus the colour range of the
 * normalised view. Display only: White Stripe itself runs in the worker.
 */
import type { WhiteStripeResult } from '../../src/intensity/index'
import { isDark } from '../kit/plot'

/** A White Stripe run on the scan and on scan × gain + offset (replaced together). */
export interface WhiteStripeShown {
  contrast: 'T1' | 'T2'
  width: number
  gain: number
  offset: number
  original: WhiteStripeResult
  rescaled: WhiteStripeResult
  maxDiff: number
}

export const STRIPE_RGB: [number, number, number] = [255, 122, 40]

const fmt = (v: number, digits: number) => (Number.isFinite(v) ? v.toFixed(digits) : '—')

/** "scan × 2 + 100": the name of the rescaled scan. */
export function scannerLabel(s: { gain: number; offset: number }): string {
  return `scan × ${s.gain} ${s.offset < 0 ? '−' : '+'} ${Math.abs(s.offset)}`
}

/** The 1st and 99th percentiles of the normalised foreground, rounded outwards to 5 SD (from the raw histogram's bins). */
export function brainRange(r: WhiteStripeResult): [number, number] {
  const h = r.histogram
  if (!h) return [-20, 20]
  const total = h.counts.reduce((a, b) => a + b, 0)
  let acc = 0
  let p1 = NaN
  let p99 = NaN
  for (let k = 0; k < h.counts.length; k++) {
    acc += h.counts[k]
    if (Number.isNaN(p1) && acc >= 0.01 * total) p1 = h.mids[k]
    if (acc >= 0.99 * total) {
      p99 = h.mids[k]
      break
    }
  }
  const lo = Math.floor((p1 - r.mean) / r.std / 5) * 5
  const hi = Math.ceil((p99 - r.mean) / r.std / 5) * 5
  return [Math.max(-500, Math.min(lo, -5)), Math.min(500, Math.max(hi, 5))]
}

function colours() {
  const dark = isDark()
  return { original: dark ? '#a8b1ff' : '#3451b2', smooth: dark ? '#e6e6ff' : '#1b2a6b', rescaled: '#e8a23a', stripe: 'rgba(255,122,40,0.22)' }
}

const BASE = { height: 260, margin: { l: 56, r: 12, t: 30, b: 42 }, legend: { orientation: 'h', x: 0, y: 1.02, yanchor: 'bottom', font: { size: 11 } }, bargap: 0 }

/** The raw foreground histograms: bars of non-empty bins, the smooth, the mode (dashed) and the stripe (shaded). */
export function rawHistogramPlot(s: WhiteStripeShown): [unknown[], Record<string, unknown>] {
  const c = colours()
  const rescaledShown = s.gain !== 1 || s.offset !== 0
  const traces: unknown[] = []
  const shapes: unknown[] = []
  const annotations: unknown[] = []
  const add = (r: WhiteStripeResult, name: string, colour: string, opacity: number, smooth: string) => {
    const h = r.histogram
    if (!h) return
    const x: number[] = []
    const y: number[] = []
    for (let b = 0; b < h.counts.length; b++) if (h.counts[b] > 0) (x.push(h.mids[b]), y.push(h.counts[b]))
    traces.push({ type: 'bar', x, y, name, marker: { color: colour, opacity }, hovertemplate: '%{x:.4g}: %{y} voxels<extra></extra>' })
    traces.push({ type: 'scatter', mode: 'lines', x: Array.from(h.fittedBins, (b) => h.mids[b]), y: Array.from(h.smoothed), name: `${name}: smooth`, line: { color: smooth, width: 1.5 }, hoverinfo: 'skip', showlegend: false })
    shapes.push({ type: 'rect', xref: 'x', yref: 'paper', x0: r.stripeRange[0], x1: r.stripeRange[1], y0: 0, y1: 1, fillcolor: c.stripe, line: { width: 0 }, layer: 'below' })
    shapes.push({ type: 'line', xref: 'x', yref: 'paper', x0: r.mode, x1: r.mode, y0: 0, y1: 1, line: { color: colour, width: 1.5, dash: 'dash' } })
    annotations.push({ x: r.mode, y: 0.98, xref: 'x', yref: 'paper', yanchor: 'top', xanchor: 'right', xshift: -3, text: `mode ${fmt(r.mode, 2)}`, showarrow: false, font: { size: 10, color: colour } })
  }
  add(s.original, 'scan', c.original, 0.85, c.smooth)
  if (rescaledShown) add(s.rescaled, scannerLabel(s), c.rescaled, 0.7, c.rescaled)
  return [traces, {
    ...BASE, shapes, annotations,
    xaxis: { title: { text: 'intensity (scanner units)' }, zeroline: false },
    yaxis: { title: { text: 'voxels per bin' }, zeroline: false },
  }]
}

/** Both images' foreground histograms in stripe-SD units (their raw bins mapped through the normalisation). */
export function normalisedPlot(s: WhiteStripeShown): [unknown[], Record<string, unknown>] {
  const c = colours()
  const o = s.original
  const mapped = (r: WhiteStripeResult) => {
    const h = r.histogram!
    const x: number[] = []
    const y: number[] = []
    for (let b = 0; b < h.counts.length; b++) if (h.counts[b] > 0) (x.push((h.mids[b] - r.mean) / r.std), y.push(h.counts[b]))
    return { x, y }
  }
  const a = mapped(o)
  const b = mapped(s.rescaled)
  const [lo, hi] = brainRange(o)
  const rescaledName = s.gain !== 1 || s.offset !== 0 ? scannerLabel(s) : 'same scan again (set the scanner)'
  return [[
    { type: 'bar', ...a, name: 'scan', marker: { color: c.original, opacity: 0.85 }, hovertemplate: '%{x:.2f} SD: %{y} voxels<extra>scan</extra>' },
    { type: 'scatter', mode: 'markers', ...b, name: rescaledName, marker: { color: c.rescaled, size: 5, symbol: 'circle-open', line: { width: 1.5 } }, hovertemplate: '%{x:.2f} SD: %{y} voxels<extra>rescaled</extra>' },
  ], {
    ...BASE,
    shapes: [{ type: 'rect', xref: 'x', yref: 'paper', x0: (o.stripeRange[0] - o.mean) / o.std, x1: (o.stripeRange[1] - o.mean) / o.std, y0: 0, y1: 1, fillcolor: c.stripe, line: { width: 0 }, layer: 'below' }],
    xaxis: { title: { text: 'normalised intensity (stripe SDs from the stripe mean)' }, zeroline: false, range: [lo - 2, hi + 2] },
    yaxis: { title: { text: 'voxels per bin' }, zeroline: false },
  }]
}
