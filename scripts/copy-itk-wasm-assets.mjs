#!/usr/bin/env node
// Copies itk-wasm's pipelines (.js + .wasm.zst) and its pipeline web worker from node_modules
// into public/itk/, so the site serves them itself and never asks a CDN. Run by `npm run data`
// (predev / prebuild). public/itk/ is git-ignored: node_modules is the source of truth.
import { cpSync, mkdirSync, readdirSync, existsSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const out = join(root, 'public', 'itk')
const pipelinesOut = join(out, 'pipelines')
mkdirSync(pipelinesOut, { recursive: true })

const sources = ['@itk-wasm/dicom', '@itk-wasm/image-io'].map((p) => join(root, 'node_modules', p, 'dist', 'pipelines'))
let copied = 0
for (const dir of sources) {
  if (!existsSync(dir)) throw new Error(`Missing ${dir}: run npm install first`)
  for (const f of readdirSync(dir)) {
    const src = join(dir, f)
    const dst = join(pipelinesOut, f)
    if (existsSync(dst) && statSync(dst).size === statSync(src).size) continue
    cpSync(src, dst)
    copied++
  }
}
const worker = join(root, 'node_modules', 'itk-wasm', 'dist', 'pipeline', 'web-workers', 'bundles', 'itk-wasm-pipeline.min.worker.js')
cpSync(worker, join(out, 'itk-wasm-pipeline.min.worker.js'))
console.log(`itk-wasm assets in public/itk (${copied} pipeline files updated)`)
