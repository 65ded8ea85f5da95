/**
 * The one task a figure runs at a time (loading, computing) and the state the frame shows:
 * 'loading' until the first picture, then 'running' while a task runs and 'ready' / 'error'
 * after it. A newer task or Cancel aborts the current one; an aborted or failed task leaves the
 * last good picture on show, with the failure in plain words.
 */
import { ref } from 'vue'

export type FigureState = 'loading' | 'ready' | 'running' | 'error'

export interface FigureTaskOptions {
  /** Whether a picture is on show (decides 'loading' vs 'running', 'ready' vs 'error'). */
  hasPicture: () => boolean
  /** Plain words for an error (default: its message). */
  describe?: (error: unknown) => string
}

export function useFigureTask({ hasPicture, describe }: FigureTaskOptions) {
  const state = ref<FigureState>('loading')
  const progress = ref<number | null>(null)
  const phase = ref('')
  const error = ref<string | null>(null)
  let controller: AbortController | null = null

  function setPhase(fraction: number | null, text: string): void {
    progress.value = fraction
    phase.value = text
  }

  /**
   * Runs `task` as the figure's task. Resolves with its value, or with undefined when it failed
   * (the error is shown), was superseded, or was cancelled (then `onCancel` is called).
   */
  async function perform<T>(task: (signal: AbortSignal) => Promise<T>, onCancel?: () => void): Promise<T | undefined> {
    controller?.abort()
    const c = new AbortController()
    controller = c
    state.value = hasPicture() ? 'running' : 'loading'
    error.value = null
    setPhase(null, '')
    try {
      return await task(c.signal)
    } catch (e) {
      if (!c.signal.aborted) error.value = describe ? describe(e) : (e as Error)?.message || String(e)
      else if (controller === null) onCancel?.()
      return undefined
    } finally {
      // A superseded task leaves the state to the newer one.
      if (controller === c || controller === null) {
        controller = null
        state.value = hasPicture() ? 'ready' : 'error'
      }
    }
  }

  /** Cancels the running task (the frame's Cancel button). */
  function cancel(): void {
    controller?.abort()
    controller = null
  }

  return { state, progress, phase, error, setPhase, perform, cancel }
}
