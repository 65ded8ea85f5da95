/**
 * Zoom and pan of a figure's image inside its frame, as radiology viewers do it. The canvas
 * fills the frame at zoom 1; it is scaled by `zoom` about the frame's top-left corner and moved
 * by (panX, panY) frame widths / heights with a CSS transform, so zooming and panning redraw
 * nothing. The zoom stays within [1, MAX_ZOOM] and the image always covers the frame: nothing can
 * be panned out of sight, and at zoom 1 there is nothing to pan.
 */

export interface ViewTransform {
  zoom: number
  panX: number
  panY: number
}

export const MAX_ZOOM = 16

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value))
}

/** Keeps the image covering the frame (pan within [1 − zoom, 0] on both axes). */
export function clampPan(view: ViewTransform): void {
  view.panX = clamp(view.panX, 1 - view.zoom, 0)
  view.panY = clamp(view.panY, 1 - view.zoom, 0)
}

export function resetView(view: ViewTransform): void {
  view.zoom = 1
  view.panX = 0
  view.panY = 0
}

/** Multiplies the zoom by `factor`, keeping the image point under frame point (fx, fy) in place. */
export function zoomAbout(view: ViewTransform, fx: number, fy: number, factor: number): void {
  const zoom = clamp(view.zoom * factor, 1, MAX_ZOOM)
  const k = zoom / view.zoom
  view.panX = fx - (fx - view.panX) * k
  view.panY = fy - (fy - view.panY) * k
  view.zoom = zoom
  clampPan(view)
}

/** Moves the image by (dx, dy) frame widths / heights. */
export function panBy(view: ViewTransform, dx: number, dy: number): void {
  view.panX += dx
  view.panY += dy
  clampPan(view)
}

/** The image point (fractions of its width and height) shown at frame point (fx, fy). */
export function frameToImage(view: ViewTransform, fx: number, fy: number): [number, number] {
  return [(fx - view.panX) / view.zoom, (fy - view.panY) / view.zoom]
}

/** The canvas's CSS transform (with transform-origin 0 0; percentages are of the canvas = frame). */
export function transformCss(view: ViewTransform): string {
  return `translate(${view.panX * 100}%, ${view.panY * 100}%) scale(${view.zoom})`
}
