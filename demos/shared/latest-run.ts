/**
 * The run bookkeeping of a figure that recomputes when a control moves: one run at a time (a new
 * run cancels the one before), the figure's state ('loading' until the first result, then
 * 'running' / 'ready'), the progress fraction and a plain-words error that keeps the last good
 * result on screen. A task that draws a first picture before it has finished (the input scan, a
 * preview, the first iteration) calls `shown()`: the figure leaves 'loading' for 'running' at
 * once (picture on show, progress bar and Cancel) instead of waiting for the whole task.
 */
import { ref } from 'vue'

export type FigureState = 'loading' | 'ready' | 'running' | 'error'

export function latestRun() {
  const state = ref<FigureState>('loading')
  const error = ref<string | null>(null)
  const progress = ref<number | null>(null)
  let controller: AbortController | null = null
  let shownOnce = false

  /** Runs `task`; resolves true when it finished and was not superseded or cancelled. */
  async function run(task: (signal: AbortSignal, setProgress: (f: number | null) => void, shown: () => void) => Promise<void>): Promise<boolean> {
    controller?.abort()
    const c = new AbortController()
    controller = c
    state.value = shownOnce ? 'running' : 'loading'
    progress.value = null
    try {
      await task(c.signal, (f) => {
        if (controller === c) progress.value = f
      }, () => {
        if (controller !== c || c.signal.aborted) return
        shownOnce = true
        state.value = 'running'
      })
      if (c.signal.aborted) return false
      shownOnce = true
      error.value = null
      state.value = 'ready'
      return true
    } catch (e) {
      if (c.signal.aborted) return false
      error.value = (e as Error)?.message || String(e)
      state.value = shownOnce ? 'ready' : 'error'
      return false
    } finally {
      if (controller === c) controller = null
    }
  }

  /** Cancels the current run (the Cancel button); the last result stays. */
  function cancel(): void {
    if (!controller) return
    controller.abort()
    controller = null
    state.value = shownOnce ? 'ready' : 'error'
    if (!shownOnce) error.value = 'Cancelled before the first result. Scroll away and back, or reload, to start again.'
  }

  return { state, error, progress, run, cancel }
}
