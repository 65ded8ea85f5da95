/** Draws 8-bit grey pixels (x fastest, row 0 at the top) into a canvas of the same size. */
export function drawGray(canvas: HTMLCanvasElement, gray: ArrayLike<number>, width: number, height: number): void {
  if (canvas.width !== width) canvas.width = width
  if (canvas.height !== height) canvas.height = height
  const ctx = canvas.getContext('2d', { willReadFrequently: true })
  if (!ctx) throw new Error('This browser cannot draw on a canvas')
  const img = ctx.createImageData(width, height)
  const rgba = new Uint32Array(img.data.buffer)
  // One 32-bit write per pixel (little-endian ABGR): opaque grey.
  for (let i = 0; i < width * height; i++) {
    const g = gray[i]
    rgba[i] = 0xff000000 | (g << 16) | (g << 8) | g
  }
  ctx.putImageData(img, 0, 0)
}
