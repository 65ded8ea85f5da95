// The MRI figures' Colin27 loader: each sample downloaded and parsed once per visit and shared;
// a cancelled or failed read, or an Image whose buffer was transferred away, is read again.
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { makeImage } from '../../../../src/image'

const reads: string[] = []
let failNext = false
vi.mock('../../../../demos/kit/sample-cache', () => ({
  formatBytes: (n: number) => `${n} B`,
  loadSample: async (path: string, { onProgress }: { onProgress?: (r: number, t: number) => void }) => {
    onProgress?.(4, 4)
    return new TextEncoder().encode(path).buffer
  },
}))
vi.mock('../../../../demos/kit/open-scan', () => ({ openScanFiles: async () => null }))
vi.mock('../../../../demos/shared/site-worker', () => ({
  siteWorker: () => ({
    runInWorker: async (op: string, [bytes]: [ArrayBuffer]) => {
      const path = new TextDecoder().decode(bytes)
      reads.push(`${op} ${path}`)
      if (failNext) { failNext = false; throw new Error('corrupt') }
      return makeImage([2, 2, 2], { data: new Uint8Array(8).fill(path.length), name: path })
    },
  }),
}))
const { loadBrainSample } = await import('../../../../demos/shared/brain-samples')
const signal = new AbortController().signal
const phases: string[] = []
const onPhase = (_f: number | null, text: string) => void phases.push(text)

describe('loadBrainSample', () => {
  beforeEach(() => { reads.length = 0; phases.length = 0 })

  it('reads a sample once and gives every later caller the same Image', async () => {
    const a = await loadBrainSample('ch2bet', signal, onPhase, { withMask: false })
    const b = await loadBrainSample('ch2bet', signal, onPhase)
    expect(reads).toEqual(['readNifti /data/ch2bet.nii.gz'])
    expect(b.image).toBe(a.image)
    expect(b.stripped).toBe(a.image) // ch2bet is its own mask
    expect(phases).toContain('Reading NIfTI…')
  })

  it('reads the full head and its mask, the mask shared with ch2bet', async () => {
    const { image, stripped } = await loadBrainSample('ch2', signal, onPhase)
    expect(image.name).toBe('/data/ch2.nii.gz')
    expect(stripped.name).toBe('/data/ch2bet.nii.gz')
    expect(reads).toEqual(['readNifti /data/ch2.nii.gz'])
  })

  it('reads again when the shared Image lost its buffer (transferred to a worker)', async () => {
    const first = await loadBrainSample('ch2', signal, onPhase, { withMask: false })
    structuredClone(first.image.data!.buffer, { transfer: [first.image.data!.buffer as ArrayBuffer] })
    expect(first.image.data!.byteLength).toBe(0)
    const again = await loadBrainSample('ch2', signal, onPhase, { withMask: false })
    expect(reads).toEqual(['readNifti /data/ch2.nii.gz'])
    expect(again.image.data!.byteLength).toBe(8)
  })

  it('does not keep a failed read: the next caller tries again', async () => {
    failNext = true
    // ch2bet is cached by the first test; ch2's cached copy was replaced above: detach it again.
    const cached = await loadBrainSample('ch2', signal, onPhase, { withMask: false })
    structuredClone(cached.image.data!.buffer, { transfer: [cached.image.data!.buffer as ArrayBuffer] })
    await expect(loadBrainSample('ch2', signal, onPhase, { withMask: false })).rejects.toThrow('corrupt')
    const ok = await loadBrainSample('ch2', signal, onPhase, { withMask: false })
    expect(ok.image.data!.byteLength).toBe(8)
    expect(reads).toEqual(['readNifti /data/ch2.nii.gz', 'readNifti /data/ch2.nii.gz'])
  })
})
