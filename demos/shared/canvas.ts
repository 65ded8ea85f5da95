/**
 * Canvas painting shared by the figures. Pixels are x fastest, row 0 at the top; a figure's
 * canvas has one canvas pixel per voxel (CSS scales it).
 */

/** Sizes the canvas to width × height, lets `paint` fill a fresh ImageData, and puts it. */
export function paintCanvas(canvas: HTMLCanvasElement, width: number, height: number, paint: (img: ImageData) => void): void {
  if (canvas.width !== width) canvas.width = width
  if (canvas.height !== height) canvas.height = height
  const ctx = canvas.getContext('2d', { willReadFrequently: true })
  if (!ctx) throw new Error('This browser cannot draw on a canvas')
  const img = ctx.createImageData(width, height)
  paint(img)
  ctx.putImageData(img, 0, 0)
}

/** `value` mapped linearly from [low, low + 255 / scale] onto 0..255, rounded, clamped (NaN → 0). */
export function toByte(value: number, low: number, scale: number): number {
  const t = ((value - low) * scale + 0.5) | 0
  return t < 0 || t !== t ? 0 : t > 255 ? 255 : t
}

/** Draws 8-bit grey pixels. */
export function drawGray(canvas: HTMLCanvasElement, gray: ArrayLike<number>, width: number, height: number): void {
  paintCanvas(canvas, width, height, (img) => {
    const rgba = new Uint32Array(img.data.buffer)
    // One 32-bit write per pixel (little-endian ABGR): opaque grey.
    for (let i = 0; i < width * height; i++) {
      const g = gray[i]
      rgba[i] = 0xff000000 | (g << 16) | (g << 8) | g
    }
  })
}
