/**
 * Coalesces redraw requests (slider drags fire many per frame) into one call of `render` per
 * animation frame. `cancel` drops a pending one (on unmount).
 */
export function frameScheduler(render: () => void): { schedule: () => void; cancel: () => void } {
  let frame = 0
  return {
    schedule() {
      if (frame || typeof window === 'undefined') return
      frame = requestAnimationFrame(() => {
        frame = 0
        render()
      })
    },
    cancel() {
      if (frame) cancelAnimationFrame(frame)
      frame = 0
    },
  }
}
