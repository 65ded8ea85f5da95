/**
 * Reads each DICOM file given on the command line with readDicomSeries, one after the other, and
 * prints one JSON line per file: the outcome (error code, or 'read') and the process's peak
 * resident memory so far (VmHWM), for tests that bound what a hostile file makes the reader allocate.
 *
 *   node --import tsx tests/fuzz/memory-child.ts a.dcm b.dcm
 */
import { readFileSync } from 'node:fs'
import { readDicomSeries } from '../../src/io/dicom'

function peakMiB(): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))
  return m ? Math.round(Number(m[1]) / 1024) : process.memoryUsage().rss / 2 ** 20
}

async function main(): Promise<void> {
  for (const path of process.argv.slice(2)) {
    let outcome = 'read'
    let message = ''
    try {
      const img = await readDicomSeries([new Uint8Array(readFileSync(path))])
      message = img.size.join('×')
    } catch (e) {
      outcome = (e as { code?: string }).code ?? (e as Error).name
      message = (e as Error).message
    }
    console.log(JSON.stringify({ path, outcome, message, peakMiB: peakMiB(), rssMiB: Math.round(process.memoryUsage().rss / 2 ** 20) }))
  }
}

void main()
