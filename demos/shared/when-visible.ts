/**
 * Runs `start` once when `el` comes within `margin` of the viewport: a chapter with several live
 * figures then only downloads and computes what the reader scrolls to.
 */
export function whenVisible(el: HTMLElement | null, start: () => void, margin = '400px'): () => void {
  if (!el || typeof IntersectionObserver === 'undefined') {
    start()
    return () => {}
  }
  const observer = new IntersectionObserver((entries) => {
    if (entries.some((e) => e.isIntersecting)) {
      observer.disconnect()
      start()
    }
  }, { rootMargin: margin })
  observer.observe(el)
  return () => observer.disconnect()
}
