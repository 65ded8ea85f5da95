/**
 * Plots for figures: plotly's "basic" partial bundle (scatter, bar, pie: the trace types the book
 * uses; ~1.2 MB instead of the full 4.6 MB), imported on first use so a page without a visible
 * plot never downloads it. Layouts get the site's colours and follow dark mode.
 */
type Plotly = typeof import('plotly.js-basic-dist-min').default

let plotly: Promise<Plotly> | null = null

/** The plotly module, loaded once per visit. */
export function loadPlotly(): Promise<Plotly> {
  plotly ??= import('plotly.js-basic-dist-min').then((m) => m.default)
  return plotly
}

/** True when VitePress shows the dark theme. */
export function isDark(): boolean {
  return typeof document !== 'undefined' && document.documentElement.classList.contains('dark')
}

export interface PlotTheme {
  text: string
  grid: string
  paper: string
}

/** Colours of the site theme in light or dark mode. */
export function plotTheme(dark = isDark()): PlotTheme {
  return dark ? { text: '#dfdfd6', grid: '#3a3a40', paper: 'rgba(0,0,0,0)' } : { text: '#3c3c43', grid: '#e4e4e9', paper: 'rgba(0,0,0,0)' }
}

/** Merges the theme into a layout (axes get the grid colour unless they set their own). */
export function themedLayout(layout: Record<string, unknown>, dark = isDark()): Record<string, unknown> {
  const t = plotTheme(dark)
  const out: Record<string, unknown> = {
    paper_bgcolor: t.paper, plot_bgcolor: t.paper, font: { color: t.text, size: 12 },
    margin: { l: 56, r: 16, t: 16, b: 44 }, ...layout,
  }
  for (const key of Object.keys(out)) {
    if (/^[xy]axis\d*$/.test(key)) out[key] = { gridcolor: t.grid, zerolinecolor: t.grid, ...(out[key] as object) }
  }
  return out
}

/** Draws (or redraws) a plot in `el` with the themed layout; responsive, no plotly logo. */
export async function drawPlot(el: HTMLElement, traces: unknown[], layout: Record<string, unknown>, config: Record<string, unknown> = {}): Promise<void> {
  const p = await loadPlotly()
  await p.react(el, traces, themedLayout(layout), { displaylogo: false, responsive: true, ...config })
}

/** Frees a plot's listeners and WebGL/SVG state (call on unmount). */
export function purgePlot(el: HTMLElement | null | undefined): void {
  if (!el || !plotly) return
  void plotly.then((p) => p.purge(el))
}

/**
 * Calls `redraw` when the reader toggles dark mode (VitePress flips the `dark` class on <html>).
 * Returns a function that stops watching.
 */
export function onThemeChange(redraw: () => void): () => void {
  if (typeof MutationObserver === 'undefined') return () => {}
  let dark = isDark()
  const observer = new MutationObserver(() => {
    if (isDark() !== dark) {
      dark = isDark()
      redraw()
    }
  })
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['class'] })
  return () => observer.disconnect()
}
