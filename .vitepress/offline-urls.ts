import type { Plugin } from 'vite'

/**
 * Rewrites the remote default URLs that dependencies carry in their code, so that the built site
 * names no other host at all (the site must run offline, and a scan never leaves the machine).
 * - itk-wasm packages default their pipelines to a CDN; the site serves copies at /itk/pipelines
 *   (scripts/copy-itk-wasm-assets.mjs) and configures them at run time anyway, so the default is
 *   pointed there too.
 * - Other CDN defaults (mermaid's architecture-diagram icons, plotly's geo topojson) belong to
 *   features the book does not use; they are pointed at a local path that is not shipped, so using
 *   such a feature fails visibly instead of reaching out to another host.
 */
const ITK_WASM_CDN = /https:\/\/cdn\.jsdelivr\.net\/npm\/@itk-wasm\/[a-z-]+@\$\{[^}]+\}\/dist\/pipelines/g
const OTHER_CDN = /https?:\/\/(?:cdn\.[a-z0-9.-]+|unpkg\.com|esm\.sh|fonts\.googleapis\.com|cdnjs\.[a-z0-9.-]+|[a-z0-9.-]*jsdelivr\.net)\//g

export function offlineUrls(): Plugin {
  return {
    name: 'offline-urls',
    enforce: 'pre',
    transform(code, id) {
      if (!id.includes('node_modules')) return null
      if (!ITK_WASM_CDN.test(code) && !OTHER_CDN.test(code)) return null
      ITK_WASM_CDN.lastIndex = 0
      OTHER_CDN.lastIndex = 0
      return { code: code.replace(ITK_WASM_CDN, '/itk/pipelines').replace(OTHER_CDN, '/offline-unavailable/'), map: null }
    },
  }
}
