/**
 * npm run new:chapter -- <part> <slug> "<title>"
 *
 * Creates docs/ch0<part>/<slug>.md from the chapter template (frontmatter with title, description
 * and `status: draft`; learning goals, sections, key takeaways, references) and adds the page to
 * the outline (.vitepress/book.ts) at the end of its part. <part> is a chapter number (1–9),
 * `guide` or `appendix`. Example:
 *
 *   npm run new:chapter -- 2 05-spectral-ct "2.5 Spectral CT"
 *
 * The page passes `npm run lint:docs` as created; set `status: ready` when it is finished.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export class NewChapterError extends Error {}

const PART_FOLDER = (part: string) => (part === 'guide' || part === 'appendix' ? part : `ch${part.padStart(2, '0')}`)

export function chapterTemplate(title: string): string {
  return `---
title: ${title}
description: "One sentence that says what this chapter teaches (search results show it)."
status: draft
---

# ${title}

<ComingSoon />

An opening paragraph for a beginner: what problem this chapter solves and why it matters.

::: tip Learning goals
After this chapter you can:

- …
- …
:::

## The physics or the standard

The idea in words first, then its formula, e.g. $I = I_0\\,e^{-\\mu x}$, with each symbol
explained, and a worked example with real numbers.

## A live figure

Embed a figure registered in \`.vitepress/theme/index.ts\`, e.g. \`<SinogramDemo />\`, then:

**Things to try**

1. …

## How we know it is right

Which independent reference the library is checked against, and the measured agreement.

## Simplifications

What this chapter and its figures leave out.

::: tip Key takeaways
- …
:::

## References

- Surname, A. B., & Other, C. (Year). Title. *Venue*, volume(issue), pages. (Cite each one in
  the text as "Surname and Other (Year)" or "(Surname et al., Year)".)
`
}

/** Creates the page and adds it to the outline; returns the new file's path. */
export function newChapter(root: string, part: string, slug: string, title: string): string {
  if (!/^([1-9]|guide|appendix)$/.test(part)) throw new NewChapterError(`part must be a chapter number 1-9, "guide" or "appendix"; got "${part}"`)
  if (!/^[a-z0-9][a-z0-9-]*$/.test(slug)) throw new NewChapterError(`slug must be lower-case letters, digits and hyphens (e.g. 05-spectral-ct); got "${slug}"`)
  if (!title.trim() || /'/.test(title)) throw new NewChapterError(`title must be non-empty and without single quotes; got "${title}"`)
  const folder = PART_FOLDER(part)
  const link = `/${folder}/${slug}`
  const file = join(root, 'docs', folder, `${slug}.md`)
  if (existsSync(file)) throw new NewChapterError(`${relative(root, file)} already exists`)
  const bookFile = join(root, '.vitepress/book.ts')
  const book = readFileSync(bookFile, 'utf8')
  if (book.includes(`link: '${link}'`)) throw new NewChapterError(`the outline already has ${link}`)
  const partText = part === 'guide' ? 'Getting started' : part === 'appendix' ? 'Appendices' : `${part} `
  const start = book.indexOf(`text: '${partText}`)
  if (start < 0) throw new NewChapterError(`the outline has no part "${partText.trim()}…" in .vitepress/book.ts: add the part first`)
  const close = book.indexOf('\n    ],', start)
  if (close < 0) throw new NewChapterError('could not find the end of the part\'s items in .vitepress/book.ts')
  const entry = `\n      { text: '${title}', link: '${link}' },`
  mkdirSync(dirname(file), { recursive: true })
  writeFileSync(file, chapterTemplate(title))
  writeFileSync(bookFile, book.slice(0, close) + entry + book.slice(close))
  return file
}

const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)
if (isMain) {
  const [part, slug, title] = process.argv.slice(2)
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
  if (!part || !slug || !title) {
    console.error('usage: npm run new:chapter -- <part 1-9 | guide | appendix> <slug> "<title>"\n  e.g. npm run new:chapter -- 2 05-spectral-ct "2.5 Spectral CT"')
    process.exit(1)
  }
  try {
    const file = newChapter(root, part, slug, title)
    console.log(`created ${relative(root, file)} and added it to .vitepress/book.ts; preview with npm run dev, check with npm run lint:docs`)
  } catch (e) {
    console.error(`new:chapter: ${(e as Error).message}`)
    process.exit(1)
  }
}
