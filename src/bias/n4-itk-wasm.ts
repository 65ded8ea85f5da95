/**
 * The `backend: 'itk-wasm'` path of {@link n4BiasFieldCorrection}: ITK 5.2.1's own
 * N4BiasFieldCorrectionImageFilter, compiled to WebAssembly (public/pipelines/
 * n4-bias-field-correction.js + .wasm.zst, built by scripts/wasm/build-n4.sh) and run through
 * itk-wasm's runtime (`runPipelineNode` in Node, `runPipeline` in a browser).
 */
import type { Image as ItkImage } from 'itk-wasm'
import type { Image } from '../image'
import { imageLike, pixelData, voxelCount } from '../image'
import { getItkWasmConfig } from '../io/itk-wasm-config'
import type { N4Result } from './n4'

/** Name of the pipeline module (files `<name>.js` and `<name>.wasm.zst` in public/pipelines). */
export const N4_PIPELINE_NAME = 'n4-bias-field-correction'

/** Validated N4 parameters, as n4BiasFieldCorrection resolves them. */
export interface N4ItkWasmParameters {
  shrinkFactor: number
  numberOfIterations: number[]
  convergenceThreshold: number
  splineOrder: number
  numberOfControlPoints: number
  numberOfHistogramBins: number
  biasFieldFullWidthAtHalfMaximum: number
  wienerFilterNoise: number
  onProgress?: (fraction: number, message?: string) => void
  signal?: AbortSignal
  /**
   * Browser only: run the module in a new Web Worker (true) or in the calling thread (false).
   * Default: false inside a Web Worker (the caller is already off the main thread), true otherwise.
   */
  webWorker?: boolean
}

interface N4Info {
  iterations: number[]
  convergence: (number | null)[]
  otsuThreshold: number | null
}

/** Browser, main thread: the Web Worker running the module, reused between calls (it keeps the loaded module). */
let sharedWorker: Worker | null = null
let sharedBusy = false

const terminated = new WeakSet<Worker>()

function dropWorker(worker: Worker | null): void {
  if (!worker || terminated.has(worker)) return
  // itk-wasm's wrapped terminate() throws when called twice.
  terminated.add(worker)
  worker.terminate()
  if (sharedWorker === worker) {
    sharedWorker = null
    sharedBusy = false
  }
}

/** Done with a worker: the shared one becomes free again, an extra one (concurrent call) is terminated. */
function releaseWorker(worker: Worker | null): void {
  if (!worker) return
  if (worker === sharedWorker) sharedBusy = false
  else worker.terminate()
}

function isNode(): boolean {
  return typeof process !== 'undefined' && !!process.versions?.node
}

function inWebWorker(): boolean {
  const scope = (globalThis as { WorkerGlobalScope?: new () => unknown }).WorkerGlobalScope
  return typeof scope === 'function' && globalThis instanceof scope
}

/** Local path of public/pipelines/n4-bias-field-correction (no extension), relative to this file. */
async function nodePipelinePath(): Promise<string> {
  // Module names and the URL are built at run time so bundlers neither resolve node:url nor
  // rewrite the `new URL(…, import.meta.url)` for the browser build.
  const urlName = 'node:url'
  const { fileURLToPath } = (await import(/* @vite-ignore */ urlName)) as typeof import('node:url')
  const relative = ['..', '..', 'public', 'pipelines', N4_PIPELINE_NAME].join('/')
  return fileURLToPath(new URL(relative, import.meta.url))
}

function toItkImage(image: Image, data: Float32Array | Uint8Array, as2D: boolean): ItkImage {
  const dimension = as2D ? 2 : image.imageType.dimension
  const d = Float64Array.from(image.direction as ArrayLike<number>)
  const direction = as2D ? Float64Array.of(d[0], d[1], d[3], d[4]) : d
  return {
    imageType: { dimension, componentType: data instanceof Float32Array ? 'float32' : 'uint8', pixelType: 'Scalar', components: 1 },
    name: image.name,
    origin: image.origin.slice(0, dimension),
    spacing: image.spacing.slice(0, dimension),
    direction,
    size: image.size.slice(0, dimension),
    metadata: new Map(),
    data,
  } as ItkImage
}

function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted.', 'AbortError')
}

/**
 * Runs ITK's N4 pipeline in the WebAssembly module: [Otsu mask when `maskImage` is undefined] →
 * ShrinkImageFilter → N4BiasFieldCorrectionImageFilter → full-resolution field with
 * BSplineControlPointImageFilter (the pipeline of tests/reference/bias/itk-n4/n4.cxx).
 * Arguments are assumed validated by n4BiasFieldCorrection. Progress is reported in phases
 * only (runtime loaded, module running, done: the module runs in one call); an abort rejects at once, and in the browser
 * terminates the module's own worker (inside our worker, the worker client terminates it).
 */
export async function n4BiasFieldCorrectionItkWasm(image: Image, maskImage: Image | undefined, p: N4ItkWasmParameters): Promise<N4Result> {
  const { onProgress, signal } = p
  signal?.throwIfAborted()
  onProgress?.(0, 'N4 (ITK wasm): loading the itk-wasm runtime')
  const itk = await import('itk-wasm')
  signal?.throwIfAborted()

  // A 3D image with a single slice is fitted as 2D, as the TypeScript port does.
  const as2D = image.imageType.dimension === 3 && image.size[2] === 1
  const src = pixelData(image)
  const data = src instanceof Float32Array ? src.slice() : Float32Array.from(src)
  const inputs = [{ type: itk.InterfaceTypes.Image, data: toItkImage(image, data, as2D) }]
  const args = ['0', '0', '1', '2', '--memory-io']
  if (maskImage) {
    const m = pixelData(maskImage)
    const mask = new Uint8Array(m.length)
    for (let i = 0; i < m.length; i++) mask[i] = m[i] !== 0 ? 1 : 0
    inputs.push({ type: itk.InterfaceTypes.Image, data: toItkImage(maskImage, mask, as2D) })
    args.push('--mask-image', '1')
  }
  args.push(
    '--shrink-factor', String(p.shrinkFactor),
    '--iterations', p.numberOfIterations.join(','),
    '--convergence-threshold', String(p.convergenceThreshold),
    '--spline-order', String(p.splineOrder),
    '--control-points', String(p.numberOfControlPoints),
    '--histogram-bins', String(p.numberOfHistogramBins),
    '--fwhm', String(p.biasFieldFullWidthAtHalfMaximum),
    '--wiener-noise', String(p.wienerFilterNoise),
  )
  const outputs = [{ type: itk.InterfaceTypes.Image }, { type: itk.InterfaceTypes.Image }, { type: itk.InterfaceTypes.JsonCompatible }]
  // The module is fetched (once), compiled and run inside one runPipeline call, which reports
  // nothing until it returns: the page shows this phase with an indeterminate bar and the time.
  onProgress?.(0.05, 'N4 (ITK wasm): loading the N4 module and fitting in one call (no progress until it ends)')

  let worker: Worker | null = null
  const run = async (): Promise<{ returnValue: number; stderr: string; outputs: { data?: unknown }[] }> => {
    if (isNode()) {
      // Only the Node build of itk-wasm has runPipelineNode; a computed name keeps the browser bundle quiet.
      const runNode = (itk as unknown as Record<string, typeof itk.runPipelineNode>)['runPipelineNode']
      return runNode(await nodePipelinePath(), args, outputs, inputs)
    }
    const config = getItkWasmConfig()
    const base = config?.ownPipelinesBaseUrl
    if (base === undefined) {
      throw Object.assign(
        new Error("n4BiasFieldCorrection backend 'itk-wasm': call configureItkWasm({ ownPipelinesBaseUrl }) with the URL where the site serves public/pipelines (e.g. '/pipelines' under the site base)"),
        { name: 'ItkWasmConfigError' },
      )
    }
    const useWorker = p.webWorker ?? !inWebWorker()
    if (useWorker) {
      // Our own worker, so an abort can terminate it; a concurrent call gets a worker of its own.
      const url = config?.pipelineWorkerUrl
      if (sharedWorker && !sharedBusy) {
        worker = sharedWorker
      } else {
        worker = await itk.createWebWorker(url == null ? null : String(url))
        if (!sharedWorker) sharedWorker = worker
      }
      if (worker === sharedWorker) sharedBusy = true
      if (signal?.aborted) {
        dropWorker(worker)
        throw abortError(signal)
      }
    }
    const r = await itk.runPipeline(N4_PIPELINE_NAME, args, outputs, inputs, {
      pipelineBaseUrl: String(base).replace(/\/$/, ''),
      webWorker: useWorker ? worker : false,
      noCopy: true, // the inputs are our own copies
    })
    return r
  }

  let result: Awaited<ReturnType<typeof run>>
  try {
    if (signal) {
      let onAbort: (() => void) | undefined
      const aborted = new Promise<never>((_, reject) => {
        onAbort = () => {
          dropWorker(worker)
          reject(abortError(signal))
        }
        signal.addEventListener('abort', onAbort, { once: true })
      })
      try {
        result = await Promise.race([run(), aborted])
      } finally {
        signal.removeEventListener('abort', onAbort as () => void)
      }
    } else {
      result = await run()
    }
  } catch (e) {
    // After an abort or a failure inside the module, do not reuse its worker.
    dropWorker(worker)
    if (signal?.aborted) throw abortError(signal)
    // Exceptions thrown inside the module reach JS as a number (a pointer), not an Error.
    if (typeof e === 'number') throw new Error('n4BiasFieldCorrection (itk-wasm): ITK raised an exception inside the WebAssembly module')
    throw e
  }
  releaseWorker(worker)
  signal?.throwIfAborted()
  if (result.returnValue !== 0) {
    const message = result.stderr.trim() || `the module returned ${result.returnValue}`
    throw new Error(message.startsWith('n4BiasFieldCorrection') ? message : `n4BiasFieldCorrection (itk-wasm): ${message}`)
  }
  const corrected = (result.outputs[0].data as ItkImage).data as Float32Array
  const bias = (result.outputs[1].data as ItkImage).data as Float32Array
  const info = result.outputs[2].data as N4Info
  const n = voxelCount(image)
  if (corrected.length !== n || bias.length !== n) throw new Error(`n4BiasFieldCorrection (itk-wasm): the module returned ${bias.length} voxels, expected ${n}`)
  onProgress?.(1, 'N4 (ITK wasm) done')
  return {
    // Copies into plain (non-shared) buffers, with the input geometry restored.
    corrected: imageLike(image, new Float32Array(corrected)),
    biasField: imageLike(image, new Float32Array(bias)),
    iterations: info.iterations,
    convergence: info.convergence.map((c) => (c === null ? NaN : c)),
  }
}
