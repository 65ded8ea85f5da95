/**
 * Drawing of the CLAHE figure: OpenCV's clip limit in counts (for the explanation), the tile grid
 * over the result, and the histograms of input, global equalisation and CLAHE.
 */
import type { Image } from '../../src/image'
import { histogram } from '../../src/metrics/index'
import { sizedContext } from './canvas'

/**
 * OpenCV's clip limit in counts: clipLimit × (pixels per tile) / 256, at least 1 (clahe.cpp);
 * tiles are taken from the image padded up to a multiple of the grid. Infinity when clipping is off.
 */
export function opencvClipCount(width: number, height: number, clipLimit: number, tilesX: number, tilesY: number): number {
  const tw = Math.ceil(width / tilesX)
  const th = Math.ceil(height / tilesY)
  return clipLimit > 0 ? Math.max(Math.trunc((clipLimit * tw * th) / 256), 1) : Infinity
}

/** Tile borders of OpenCV's (padded) tiling, clipped to the image; `tiles` null clears the overlay. */
export function drawTileGrid(canvas: HTMLCanvasElement, w: number, h: number, tiles: [number, number] | null): void {
  const ctx = sizedContext(canvas, w, h)
  ctx.clearRect(0, 0, w, h)
  if (!tiles) return
  const tw = Math.ceil(w / tiles[0])
  const th = Math.ceil(h / tiles[1])
  ctx.strokeStyle = 'rgba(232, 162, 58, 0.8)'
  ctx.lineWidth = Math.max(1, w / 400)
  ctx.beginPath()
  for (let x = tw; x < w; x += tw) (ctx.moveTo(x, 0), ctx.lineTo(x, h))
  for (let y = th; y < h; y += th) (ctx.moveTo(0, y), ctx.lineTo(w, y))
  ctx.stroke()
}

/** Step plots (64 bins, log counts) of the input, the globally equalised and the CLAHE image. */
export function claheHistogramPlot(images: Image[]): [unknown[], Record<string, unknown>] {
  const names = ['input', 'global HE', 'CLAHE']
  const colors = ['#888888', '#3182ce', '#e8a23a']
  const traces = images.map((img, i) => {
    const h = histogram(img, { bins: 64, min: 0, max: 256 })
    return { type: 'scatter', mode: 'lines', line: { shape: 'hvh', color: colors[i], width: 1.5 }, name: names[i], x: Array.from(h.edges.slice(0, -1)), y: Array.from(h.counts) }
  })
  return [traces, {
    height: 200, margin: { l: 50, r: 10, t: 10, b: 36 },
    xaxis: { title: { text: 'grey level' }, range: [0, 256] }, yaxis: { type: 'log', title: { text: 'pixels (log)' } },
    legend: { orientation: 'h', y: 1.15 },
  }]
}
