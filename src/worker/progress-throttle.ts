/**
 * Which progress reports the worker posts: at most one every `intervalMs`, except that the last
 * (fraction ≥ 1) and the first report of a new phase are always posted. A phase is the message
 * with its numbers taken out ("level 2/4, iteration 7" and "level 2/4, iteration 8" are one
 * phase; "loading the module" and "fitting" are two), so a short phase followed by a long
 * silent one (ITK's N4 module runs in one blocking call) still shows the reader what is running.
 */
export function progressThrottle(intervalMs = 50, now: () => number = () => performance.now()): (fraction: number, message?: string) => boolean {
  let last = -Infinity
  let lastPhase: string | undefined
  return (fraction, message) => {
    const t = now()
    const phase = message?.replace(/[-+]?[\d.]+(e[-+]?\d+)?|NaN|Infinity/gi, '#')
    const newPhase = phase !== lastPhase
    if (!newPhase && fraction < 1 && t - last < intervalMs) return false
    last = t
    lastPhase = phase
    return true
  }
}
