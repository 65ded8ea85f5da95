/**
 * A Content-Security-Policy for every page, as a <meta> tag added to the built HTML: scripts,
 * styles, data and workers from the site's own origin only. The few inline scripts VitePress
 * writes into each page (dark-mode check, page hash map) are allowed by their SHA-256, not by
 * 'unsafe-inline'. WebAssembly (itk-wasm, the N4 pipeline) needs 'wasm-unsafe-eval'; blob: is
 * for downloads made in the page and itk-wasm's worker; data: for inline images and fonts.
 * Styles stay 'unsafe-inline': Vue style bindings, mermaid and plotly set styles at run time.
 */
import { createHash } from 'node:crypto'

const POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval' %HASHES%",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self' data: blob:",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
]

/** The policy for a page whose inline scripts are `inline` (their exact text). */
export function contentSecurityPolicy(inline: string[]): string {
  const hashes = [...new Set(inline.map((s) => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`))]
  return POLICY.join('; ').replace('%HASHES%', hashes.join(' '))
}

/** VitePress `transformHtml`: inserts the policy as the first element of <head>. */
export function addContentSecurityPolicy(html: string): string {
  const inline: string[] = []
  for (const m of html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)) inline.push(m[1]!)
  const meta = `<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(inline)}">`
  return html.replace(/<head>/, `<head>\n    ${meta}`)
}
