import { defineConfigWithTheme, type DefaultTheme } from 'vitepress'
import { offlineUrls, offlineUrlsEsbuild } from './offline-urls'
import { addContentSecurityPolicy } from './csp'
import { fileURLToPath } from 'node:url'
import { allPages } from './book'
import { englishConfig } from './locales/en'
import { pageStatus, type PageStatus } from './page-status'

const root = fileURLToPath(new URL('..', import.meta.url))
// A fork deploys under its own name: DOCS_BASE=/<repo>/ for GitHub Pages (the deploy workflow sets
// it), and "Edit this page" points at DOCS_REPOSITORY (owner/name; GitHub Actions' own
// GITHUB_REPOSITORY when unset) on DOCS_BRANCH.
const base = process.env.DOCS_BASE ?? '/'
const repository = process.env.DOCS_REPOSITORY || process.env.GITHUB_REPOSITORY || 'med-imaging-primer/med-imaging-primer'
const branch = process.env.DOCS_BRANCH ?? 'main'

export interface BookThemeConfig extends DefaultTheme.Config {
  /** Each outline page's status, from its frontmatter (BookContents shows 'live' or 'coming soon'). */
  pageStatus?: Record<string, PageStatus>
}

const english = englishConfig(`https://github.com/${repository}/edit/${branch}/docs/:path`)

export default defineConfigWithTheme<BookThemeConfig>({
  // Per-locale words live in locales/<lang>.ts; English is the root (no /en/ prefix).
  locales: { root: english },
  title: english.title,
  description: english.description,
  lang: english.lang,
  base,
  srcDir: 'docs',
  cleanUrls: true,
  // A favicon of our own (browsers otherwise ask for /favicon.ico and log a 404 on every page).
  head: [['link', { rel: 'icon', type: 'image/svg+xml', href: `${base}favicon.svg` }]],
  // Every built page carries a Content-Security-Policy that allows only this origin (see csp.ts).
  transformHtml: (html) => addContentSecurityPolicy(html),
  // "Last updated" from each page's last git commit (a fresh clone has the history it needs).
  lastUpdated: true,
  // Every link and asset must resolve: a broken link fails the build.
  ignoreDeadLinks: false,
  markdown: {
    math: true,
    config(md) {
      // ```mermaid fences become a live diagram component (rendered in the page, not a PNG).
      const fence = md.renderer.rules.fence!
      md.renderer.rules.fence = (tokens, idx, options, env, self) => {
        const token = tokens[idx]
        // ```mermaid aspect=764/990: the drawn diagram's width/height, reserved until it is drawn (no layout shift).
        const [lang, ...opts] = token.info.trim().split(/\s+/)
        if (lang === 'mermaid') {
          const aspect = opts.map((o) => /^aspect=(\d+(?:\.\d+)?)\/(\d+(?:\.\d+)?)$/.exec(o)).find(Boolean)
          return `<MermaidDiagram code="${encodeURIComponent(token.content)}"${aspect ? ` :aspect="[${aspect[1]}, ${aspect[2]}]"` : ''} />`
        }
        return fence(tokens, idx, options, env, self)
      }
    },
  },
  themeConfig: {
    pageStatus: Object.fromEntries(allPages.map((p) => [p.link, pageStatus(`${root}docs`, p.link)])),
    search: { provider: 'local' },
    outline: { level: [2, 3] },
  },
  vite: {
    plugins: [offlineUrls()],
    // The repository keeps sample data and static files in /public (not docs/public).
    publicDir: `${root}public`,
    resolve: {
      alias: { 'med-imaging-primer': `${root}src/index.ts` },
    },
    worker: { format: 'es', plugins: () => [offlineUrls()] },
    // Pre-bundle the CommonJS readers up front so the first visit does not reload the page.
    optimizeDeps: {
      include: ['fflate', 'dicom-parser', 'nifti-reader-js', 'plotly.js-basic-dist-min'],
      exclude: ['itk-wasm', '@itk-wasm/dicom', '@itk-wasm/image-io'],
      esbuildOptions: { plugins: [offlineUrlsEsbuild()] },
    },
    server: { fs: { allow: [root] } },
    build: { chunkSizeWarningLimit: 5000 },
  },
})
