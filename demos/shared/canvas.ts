/**
 * Canvas painting shared by the figures. Pixels are x fastest, row 0 at the top; a figure's
 * canvas has one canvas pixel per voxel (CSS scales it).
 */

/** The canvas's 2D context, with the canvas sized to width × height. */
export function sizedContext(canvas: HTMLCanvasElement, width: number, height: number): CanvasRenderingContext2D {
  if (canvas.width !== width) canvas.width = width
  if (canvas.height !== height) canvas.height = height
  // willReadFrequently for every figure: the first getContext call fixes the options.
  const ctx = canvas.getContext('2d', { willReadFrequently: true })
  if (!ctx) throw new Error('This browser cannot draw on a canvas')
  return ctx
}

/** Sizes the canvas to width × height, lets `paint` fill a fresh ImageData, and puts it. */
export function paintCanvas(canvas: HTMLCanvasElement, width: number, height: number, paint: (img: ImageData) => void): void {
  const ctx = sizedContext(canvas, width, height)
  const img = ctx.createImageData(width, height)
  paint(img)
  ctx.putImageData(img, 0, 0)
}

/** Opaque grey g (0..255) as one 32-bit canvas word (little-endian ABGR). */
export function greyWord(g: number): number {
  return (0xff000000 | (g << 16) | (g << 8) | g) >>> 0
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
    for (let i = 0; i < width * height; i++) rgba[i] = greyWord(gray[i])
  })
}
