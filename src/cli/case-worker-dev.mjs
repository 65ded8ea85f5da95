// Development entry of mip's worker thread when mip runs from the TypeScript sources (tsx, tests):
// registers tsx's loader in this thread (loaders do not follow into worker threads), then loads the worker.
import { register } from 'tsx/esm/api'

register()
await import('./case-worker.ts')
