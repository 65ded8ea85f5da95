/**
 * The mount/unmount bookkeeping every figure repeats: start when the figure comes near the
 * viewport (whenVisible), redraw plots when the reader toggles dark mode, and on unmount stop
 * watching, cancel the running job and free the plots.
 */
import { onBeforeUnmount, onMounted, type Ref } from 'vue'
import { whenVisible } from '../shared/when-visible'
import { onThemeChange, purgePlot } from './plot'

export interface FigureLifecycleOptions {
  /** Cancels the figure's running job (latestRun's cancel). */
  cancel?: () => void
  /** Redraws the plots in the site's colours (called when dark mode is toggled). */
  onTheme?: () => void
  /** Plot elements to free on unmount. */
  plots?: Ref<HTMLElement | null>[]
}

export function useFigureLifecycle(root: Ref<HTMLElement | null>, start: () => void, options: FigureLifecycleOptions = {}): void {
  let stopVisible = () => {}
  let stopTheme = () => {}
  onMounted(() => {
    stopVisible = whenVisible(root.value, start)
    if (options.onTheme) stopTheme = onThemeChange(options.onTheme)
  })
  onBeforeUnmount(() => {
    stopVisible()
    stopTheme()
    options.cancel?.()
    for (const p of options.plots ?? []) purgePlot(p.value)
  })
}
