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

/**
 * Keeps a figure's automatic work (a first run after its first picture) to the time it is on
 * screen: `enter` is called each time `el` comes within `margin` of the viewport, `leave` each
 * time it goes out (so the figure can pause, and the figure the reader looks at gets the
 * workers), until the returned function is called.
 */
export function whileVisible(el: HTMLElement | null, enter: () => void, leave: () => void, margin = '0px'): () => void {
  if (!el || typeof IntersectionObserver === 'undefined') {
    enter()
    return () => {}
  }
  let inside: boolean | null = null
  const observer = new IntersectionObserver((entries) => {
    const now = entries[entries.length - 1]!.isIntersecting
    if (now === inside) return
    const was = inside
    inside = now
    if (now) enter()
    else if (was) leave()
  }, { rootMargin: margin })
  observer.observe(el)
  return () => observer.disconnect()
}
