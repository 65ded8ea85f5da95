/**
 * A page's status comes from its own frontmatter (`status: ready` or `status: draft`), not from
 * a flag in the outline: a contributor marks a chapter ready in the file they are editing.
 * Node-only (reads docs/); the config hands the result to the theme as `themeConfig.pageStatus`.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

export type PageStatus = 'ready' | 'draft'
export const PAGE_STATUSES: readonly PageStatus[] = ['ready', 'draft']

/** The markdown file of an outline link: '/guide/' → guide/index.md, '/ch01/01-ct' → ch01/01-ct.md. */
export function pageFile(srcDir: string, link: string): string {
  const path = link.replace(/^\//, '')
  return join(srcDir, path === '' || path.endsWith('/') ? `${path}index.md` : `${path}.md`)
}

/**
 * The frontmatter's top-level `key: value` pairs (quotes removed) and the line after it; enough
 * for title, description and status (nested YAML is not needed by the book's pages).
 */
export function readFrontmatter(text: string): { data: Record<string, string>; endLine: number } {
  const lines = text.split('\n')
  const data: Record<string, string> = {}
  if (lines[0]?.trim() !== '---') return { data, endLine: 0 }
  for (let i = 1; i < lines.length; i++) {
    if (lines[i].trim() === '---') return { data, endLine: i + 1 }
    const m = /^([A-Za-z][\w-]*):\s*(.*)$/.exec(lines[i])
    if (m) data[m[1]] = m[2].trim().replace(/^(["'])(.*)\1$/, '$2')
  }
  return { data, endLine: 0 }
}

/** 'ready' when the page's frontmatter says `status: ready`, else 'draft' (also for a missing page). */
export function pageStatus(srcDir: string, link: string): PageStatus {
  try {
    return readFrontmatter(readFileSync(pageFile(srcDir, link), 'utf8')).data.status === 'ready' ? 'ready' : 'draft'
  } catch {
    return 'draft'
  }
}
