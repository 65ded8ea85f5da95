import { readFile } from 'node:fs/promises'
import type { Plugin as EsbuildPlugin } from 'esbuild'
import type { Plugin } from 'vite'

/**
 * Rewrites the remote default URLs that dependencies carry in their code, so that the site names
 * no other host at all, built or served by `npm run dev` (the site must run offline, and a scan
 * never leaves the machine).
 * - itk-wasm packages default their pipelines to a CDN; the site serves copies at /itk/pipelines
 *   (scripts/copy-itk-wasm-assets.mjs) and configures them at run time anyway, so the default is
 *   pointed there too.
 * - Other CDN defaults (mermaid's architecture-diagram icons, plotly's geo topojson) belong to
 *   features the book does not use; they are pointed at a local path that is not shipped, so using
 *   such a feature fails visibly instead of reaching out to another host.
 */
const ITK_WASM_CDN = /https:\/\/cdn\.jsdelivr\.net\/npm\/@itk-wasm\/[a-z-]+@\$\{[^}]+\}\/dist\/pipelines/g
/** CDN hosts a dependency could fetch code or data from (also used by the tests that scan the output). */
export const OTHER_CDN = /https?:\/\/(?:cdn\.[a-z0-9.-]+|unpkg\.com|esm\.sh|fonts\.googleapis\.com|cdnjs\.[a-z0-9.-]+|[a-z0-9.-]*jsdelivr\.net)\//g

/** The code with every CDN default pointed at a local path; null when there is none. */
export function rewriteRemoteUrls(code: string): string | null {
  ITK_WASM_CDN.lastIndex = 0
  OTHER_CDN.lastIndex = 0
  if (!ITK_WASM_CDN.test(code) && !OTHER_CDN.test(code)) return null
  ITK_WASM_CDN.lastIndex = 0
  OTHER_CDN.lastIndex = 0
  return code.replace(ITK_WASM_CDN, '/itk/pipelines').replace(OTHER_CDN, '/offline-unavailable/')
}

/** For the build (and modules the dev server transforms). */
export function offlineUrls(): Plugin {
  return {
    name: 'offline-urls',
    enforce: 'pre',
    transform(code, id) {
      if (!id.includes('node_modules')) return null
      const out = rewriteRemoteUrls(code)
      return out === null ? null : { code: out, map: null }
    },
  }
}

/**
 * The same rewrite for the dev server's dependency pre-bundling: Vite bundles the optimised
 * dependencies (plotly, mermaid …) with esbuild into .vitepress/cache/deps, which Vite plugins'
 * `transform` never sees, so without this `npm run dev` served plotly with its CDN default.
 */
export function offlineUrlsEsbuild(): EsbuildPlugin {
  return {
    name: 'offline-urls',
    setup(build) {
      build.onLoad({ filter: /node_modules[\\/].*\.[cm]?js$/ }, async (args) => {
        const out = rewriteRemoteUrls(await readFile(args.path, 'utf8'))
        return out === null ? undefined : { contents: out, loader: 'js' }
      })
    },
  }
}
