/**
 * The CT pipeline figure's HU histogram of the body before and after clipping (plotly traces and
 * layout for kit/plot.ts's drawPlot): 20 HU bins, log counts, the clip bounds dotted.
 */
import type { ClipHistogramsResult } from '../../src/pipeline/index'

export function clipHistogramPlot(h: ClipHistogramsResult, [lo, hi]: [number, number], showAfter: boolean): [Record<string, unknown>[], Record<string, unknown>] {
  const centres = (x: { edges: ArrayLike<number>; counts: ArrayLike<number> }) => Array.from(x.counts, (_, i) => (x.edges[i] + x.edges[i + 1]) / 2)
  const traces: Record<string, unknown>[] = [{ type: 'scatter', mode: 'lines', line: { shape: 'hvh', width: 1.5 }, fill: 'tozeroy', x: centres(h.before), y: Array.from(h.before.counts), name: 'before clipping' }]
  if (showAfter) traces.push({ type: 'scatter', mode: 'lines', line: { shape: 'hvh', color: '#e8a23a', width: 2 }, x: centres(h.after), y: Array.from(h.after.counts), name: `after clipping to [${lo}, ${hi}]` })
  return [traces, {
    height: 250, margin: { l: 55, r: 10, t: 34, b: 40 }, legend: { orientation: 'h', x: 0, y: 1.02, yanchor: 'bottom' },
    xaxis: { title: { text: 'Hounsfield units' }, range: [-1300, 3200], zeroline: false }, yaxis: { type: 'log', title: { text: 'voxels (log)' } },
    shapes: [lo, hi].map((x) => ({ type: 'line', xref: 'x', yref: 'paper', x0: x, x1: x, y0: 0, y1: 1, line: { color: '#e8a23a', width: 1, dash: 'dot' } })),
  }]
}

/** An image's size as the CT pipeline figure prints it: 256 × 256 × 72. */
export const formatSize = (s: number[]) => s.join(' × ')
/** A spacing in mm, to 3 decimals: 1.4 × 1.4 × 2.5. */
export const formatSpacing = (s: number[]) => s.map((v) => +v.toFixed(3)).join(' × ')
