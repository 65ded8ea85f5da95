/**
 * npm run lint:docs — checks the book's markdown before the site is built, in seconds, without a
 * browser. Every message names file:line and says how to fix it. Exit 1 when anything is wrong.
 *
 *  - frontmatter: every page has a title and a description; every outline page a status
 *    (ready | draft);
 *  - outline: every page of .vitepress/book.ts exists, and every page is in the outline (or in
 *    `standalonePages`);
 *  - links and images: every internal link resolves to a page or a file under public/ (and its
 *    #anchor to a heading of that page); no remote image, script, iframe or stylesheet;
 *  - components: every <PascalCase /> tag in markdown is registered in .vitepress/theme/index.ts
 *    (a typo otherwise passes the build and shows up only as a hydration mismatch);
 *  - a ready chapter has learning goals, key takeaways and references, and its citations match its
 *    references (every reference is cited; every "Author (year)" / "(Author, year)" is listed);
 *  - math: every $…$ and $$…$$ compiles with MathJax's TeX input (an error would ship as a
 *    yellow box; an unknown macro as red text).
 *
 * Usage: tsx scripts/lint-docs.ts [--root <dir>] (the root defaults to the repository).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative, resolve, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { mathjax } from 'mathjax-full/js/mathjax.js'
import { TeX } from 'mathjax-full/js/input/tex.js'
import { AllPackages } from 'mathjax-full/js/input/tex/AllPackages.js'
import { liteAdaptor } from 'mathjax-full/js/adaptors/liteAdaptor.js'
import { RegisterHTMLHandler } from 'mathjax-full/js/handlers/html.js'
import { pageFile, readFrontmatter, PAGE_STATUSES } from '../.vitepress/page-status'

export interface LintMessage {
  file: string
  line: number
  message: string
}

/** VitePress's global components, usable in markdown without registration. */
const BUILTIN_COMPONENTS = new Set(['Badge', 'ClientOnly', 'Content'])

/** VitePress's heading anchor: lower case, punctuation dropped, spaces to hyphens (its slugify). */
export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/<[^>]*>/g, '')
    .replace(/[\u0000-\u001f]/g, '')
    .replace(/[\s~`!@#$%^&*()\-_+=[\]{}|\\;:"'“”‘’<>,.?/]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-+|-+$/g, '')
    .replace(/^(\d)/, '_$1')
    .toLowerCase()
}

/** The markdown with fenced code, inline code and HTML comments blanked (line numbers kept). */
export function proseOnly(text: string): string {
  const blank = (s: string) => s.replace(/[^\n]/g, ' ')
  return text
    .replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, blank)
    .replace(/<!--[\s\S]*?-->/g, blank)
    .replace(/`[^`\n]+`/g, blank)
}

const lineOf = (text: string, index: number) => text.slice(0, index).split('\n').length

/** Names registered in the theme: app.component('X', …) and the keys of the `figures` table. */
export function registeredComponents(themeSource: string): Set<string> {
  const names = new Set(BUILTIN_COMPONENTS)
  for (const m of themeSource.matchAll(/app\.component\(\s*'([A-Za-z0-9]+)'/g)) names.add(m[1])
  const table = /const figures\b[^\n]*\{\n([\s\S]*?)\n\}/.exec(themeSource)
  if (table) for (const m of table[1].matchAll(/^\s*([A-Z][A-Za-z0-9]*)\s*:/gm)) names.add(m[1])
  return names
}

/** The math of a page: $$…$$ blocks and $…$ inline spans, with their line numbers. */
export function mathSpans(prose: string): { tex: string; line: number; display: boolean }[] {
  const out: { tex: string; line: number; display: boolean }[] = []
  const withoutDisplay = prose.replace(/\$\$([\s\S]+?)\$\$/g, (all, tex: string, index: number) => {
    out.push({ tex, line: lineOf(prose, index), display: true })
    return all.replace(/[^\n]/g, ' ')
  })
  // Inline: $…$ on one line, not \$, and not a price such as "$5 and $10" (markdown-it-mathjax3's
  // rule: no space after the opening and before the closing $, closing $ not followed by a digit).
  for (const m of withoutDisplay.matchAll(/(?<![\\$])\$(?![\s$])((?:\\\$|[^$\n])+?)(?<![\s\\])\$(?!\d)/g)) {
    out.push({ tex: m[1], line: lineOf(withoutDisplay, m.index!), display: false })
  }
  return out
}

function makeTexChecker(): (tex: string, display: boolean) => string | null {
  const adaptor = liteAdaptor()
  RegisterHTMLHandler(adaptor)
  let error: string | null = null
  // The site's packages (markdown-it-mathjax3 uses AllPackages) without 'noundefined', so an
  // unknown macro is an error here instead of red text there; bussproofs needs an output jax.
  const packages = AllPackages.filter((p: string) => p !== 'bussproofs' && p !== 'noundefined')
  const tex = new TeX({ packages, formatError: (jax: any, err: Error) => { error = err.message; return jax.formatError(err) } })
  const doc = mathjax.document('', { InputJax: tex })
  return (source, display) => {
    error = null
    try {
      doc.convert(source, { display })
    } catch (e) {
      error = (e as Error).message
    }
    return error
  }
}

/** Every markdown file under docs/, as paths relative to the repository. */
function markdownFiles(dir: string): string[] {
  const out: string[] = []
  for (const name of readdirSync(dir)) {
    const p = join(dir, name)
    if (statSync(p).isDirectory()) out.push(...markdownFiles(p))
    else if (name.endsWith('.md')) out.push(p)
  }
  return out.sort()
}

/** '/ch01/01-ct' for docs/ch01/01-ct.md, '/guide/' for docs/guide/index.md, '/' for docs/index.md. */
function linkOf(docs: string, file: string): string {
  const rel = relative(docs, file).replace(/\\/g, '/').replace(/\.md$/, '')
  if (rel === 'index') return '/'
  return '/' + rel.replace(/(^|\/)index$/, '$1')
}

/** A reference list entry's first author's surname and its year: "Kak, A. C., & Slaney, M. (1988)." → Kak, 1988. */
export function referenceKey(entry: string): { surname: string; year: string } | null {
  const surname = /^\s*(?:\*\*)?([\p{Lu}][\p{L}'’-]*(?: [\p{Lu}][\p{L}'’-]*)*?|(?:van|von|de|der|den|le|la) [\p{L} '’-]+?),/u.exec(entry)?.[1]
  const year = /\(((?:1[89]|20)\d\d)[a-z]?[,)]/.exec(entry)?.[1] ?? /\b((?:1[89]|20)\d\d)[a-z]?\b/.exec(entry)?.[1]
  return surname && year ? { surname, year } : null
}

interface Citation { surname: string; year: string; index: number }

/** In-text citations: "Surname (1988", "Surname et al. (2014", "Surname and Other (1974", "(Surname, 1988", "(Surname et al., 2014; …". */
export function citationsIn(prose: string): Citation[] {
  const name = "[\\p{Lu}][\\p{L}'’-]+"
  const tail = `(?: et al\\.| (?:and|&) (?:${name} )?${name})?`
  const out: Citation[] = []
  const narrative = new RegExp(`(${name})${tail} \\(((?:1[89]|20)\\d\\d)[a-z]?[,;)]`, 'gu')
  for (const m of prose.matchAll(narrative)) out.push({ surname: m[1], year: m[2], index: m.index! })
  const parenthetical = new RegExp(`[(;] ?(?:e\\.g\\. |see |cf\\. )?(${name})${tail}, ((?:1[89]|20)\\d\\d)[a-z]?\\b`, 'gu')
  for (const m of prose.matchAll(parenthetical)) out.push({ surname: m[1], year: m[2], index: m.index! })
  return out
}

/** Words that look like a cited surname before a year but are not ("Section (2019", "DICOM (2024"). */
const NOT_A_SURNAME = /^(January|February|March|April|May|June|July|August|September|October|November|December|Table|Figure|Section|Chapter|Part|Annex|Edition|Version|Release|In|See|And|The|From|Since|Until|Before|After|Around|About|Circa|Published|Updated|Accessed|Revised|Retrieved|Online|Available|Also|Both|Each|Note)$/

export function lintDocs(root: string): LintMessage[] {
  const docs = join(root, 'docs')
  const messages: LintMessage[] = []
  const report = (file: string, line: number, message: string) => messages.push({ file: relative(root, file), line, message })
  const { allPages, standalonePages } = loadOutline(root)
  const components = registeredComponents(readFileSync(join(root, '.vitepress/theme/index.ts'), 'utf8'))
  const checkTex = makeTexChecker()
  const files = markdownFiles(docs)
  const outline = new Set(allPages.map((p) => p.link))
  const pages = new Map(files.map((f) => [linkOf(docs, f), f]))
  const bookFile = join(root, '.vitepress/book.ts')

  for (const page of allPages) {
    if (!existsSync(pageFile(docs, page.link))) {
      report(bookFile, 1, `the outline lists "${page.text}" at ${page.link}, but ${relative(root, pageFile(docs, page.link))} does not exist. Fix: create it (npm run new:chapter) or remove the entry.`)
    }
  }
  const headingSlugs = new Map<string, Set<string>>()
  const slugsOf = (file: string) => {
    let s = headingSlugs.get(file)
    if (!s) {
      s = new Set<string>()
      const prose = proseOnly(readFileSync(file, 'utf8'))
      for (const m of prose.matchAll(/^#{1,6}\s+(.+?)\s*(?:\{#([\w-]+)\})?\s*$/gm)) s.add(m[2] ?? slugify(m[1]))
      for (const m of prose.matchAll(/\bid="([^"]+)"/g)) s.add(m[1])
      headingSlugs.set(file, s)
    }
    return s
  }

  for (const file of files) {
    const text = readFileSync(file, 'utf8')
    const link = linkOf(docs, file)
    const { data, endLine } = readFrontmatter(text)
    const inOutline = outline.has(link)
    if (!endLine) report(file, 1, 'no frontmatter. Fix: start the page with ---, title: …, description: …, status: draft, ---.')
    const isHome = data.layout === 'home'
    if (!isHome && !data.title) report(file, 1, 'frontmatter has no title. Fix: add `title: <the page title>`.')
    if (!data.description) report(file, 1, 'frontmatter has no description. Fix: add `description: "<one sentence for search results>"`.')
    if (inOutline && !PAGE_STATUSES.includes(data.status as never)) {
      report(file, 1, `frontmatter status is ${data.status ? `"${data.status}"` : 'missing'}. Fix: add \`status: draft\` (or \`status: ready\` when the chapter is finished).`)
    }
    if (!inOutline && !standalonePages.includes(link)) {
      report(file, 1, `the page ${link} is not in the outline. Fix: add it to .vitepress/book.ts (npm run new:chapter does), or to standalonePages if the top navigation reaches it.`)
    }

    const prose = proseOnly(text)
    // Components.
    for (const m of prose.matchAll(/<([A-Z][A-Za-z0-9]*)\b/g)) {
      if (!components.has(m[1])) report(file, lineOf(prose, m.index!), `<${m[1]}> is not a registered component. Fix: check the spelling, or register it in .vitepress/theme/index.ts (the figures table).`)
    }
    // Remote resources.
    for (const m of prose.matchAll(/!\[[^\]]*\]\(\s*(https?:)?\/\/[^)]*\)|<(?:img|script|iframe|source|video|audio|link)\b[^>]*\b(?:src|href)=["'](?:https?:)?\/\/[^"']*/gi)) {
      report(file, lineOf(prose, m.index!), 'a remote image, script or embed: the book loads nothing from another host. Fix: add the file under public/ (with its licence in public/data/README.md) and link it by path.')
    }
    // Internal links and images.
    for (const m of prose.matchAll(/(!?)\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)|<a\b[^>]*\bhref="([^"]+)"|<img\b[^>]*\bsrc="([^"]+)"/g)) {
      const target = m[2] ?? m[3] ?? m[4]
      if (!target || /^(https?:|mailto:|tel:|data:|javascript:)/i.test(target) || target.startsWith('//')) continue
      const line = lineOf(prose, m.index!)
      const [pathPart, anchor] = target.split('#') as [string, string | undefined]
      let resolvedPage: string | undefined
      if (pathPart === '') resolvedPage = file
      else {
        const abs = pathPart.startsWith('/') ? pathPart : '/' + relative(docs, resolve(dirname(file), pathPart)).replace(/\\/g, '/')
        const clean = abs.replace(/\.(md|html)$/, '')
        resolvedPage = pages.get(clean) ?? pages.get(clean.replace(/\/$/, '') + '/') ?? pages.get(clean + '/')
        if (!resolvedPage) {
          const asset = join(root, 'public', decodeURIComponent(abs))
          const local = join(dirname(file), decodeURIComponent(pathPart))
          if (!(existsSync(asset) || (!pathPart.startsWith('/') && existsSync(local)))) {
            report(file, line, `the link ${target} leads nowhere: no page ${clean} and no file public${abs}. Fix: correct the path (pages are linked without .md, e.g. /ch01/01-ct).`)
          }
          continue
        }
      }
      if (anchor && resolvedPage && !slugsOf(resolvedPage).has(decodeURIComponent(anchor))) {
        report(file, line, `the anchor #${anchor} is not a heading of ${relative(root, resolvedPage)}. Fix: use one of its heading slugs (lower case, hyphens), e.g. #${[...slugsOf(resolvedPage)][1] ?? 'a-heading'}.`)
      }
    }
    // Math.
    for (const span of mathSpans(prose)) {
      const error = checkTex(span.tex, span.display)
      if (error) report(file, span.line, `LaTeX error in ${span.display ? '$$…$$' : '$…$'} "${span.tex.trim().slice(0, 60)}": ${error}. Fix: correct the TeX (the site would show it as an error box).`)
    }

    // A ready chapter: structure and citations.
    if (inOutline && data.status === 'ready' && /^\/ch\d\d\//.test(link)) {
      if (!/learning goals/i.test(prose)) report(file, endLine || 1, 'a ready chapter needs learning goals. Fix: add "::: tip Learning goals" with a list after the introduction.')
      if (!/^(?:##|:::\s*\w+)\s+Key takeaways/im.test(prose)) report(file, endLine || 1, 'a ready chapter needs key takeaways: a "## Key takeaways" section or a "::: tip Key takeaways" box.')
      const refHeading = /^##\s+References\s*$/im.exec(prose)
      if (!refHeading) {
        report(file, endLine || 1, 'a ready chapter needs a "## References" section.')
        continue
      }
      const body = prose.slice(0, refHeading.index)
      const refText = prose.slice(refHeading.index).split(/^##\s/m).slice(0, 2).join('## ')
      const refLine = lineOf(prose, refHeading.index)
      const entries = refText.split(/\n(?=- )/).filter((e) => e.startsWith('- ')).map((e) => e.slice(2).replace(/\s+/g, ' '))
      const keys = entries.map((e) => ({ entry: e, key: referenceKey(e) }))
      for (const { entry, key } of keys) {
        if (!key) continue // a standard or a web page without author and year: not checked
        const re = new RegExp(`${key.surname.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[^\\n]{0,80}?${key.year}|${key.year}[^\\n]{0,12}?${key.surname.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'u')
        if (!re.test(body.replace(/\s+/g, ' '))) {
          report(file, refLine, `the reference "${entry.slice(0, 70)}…" is never cited in the text. Fix: cite it where it is used (e.g. "${key.surname} (${key.year})") or remove it.`)
        }
      }
      const listed = keys.filter((k) => k.key).map((k) => k.key!)
      for (const c of citationsIn(body)) {
        if (NOT_A_SURNAME.test(c.surname)) continue
        const found = listed.some((k) => k.year === c.year && (k.surname === c.surname || k.surname.endsWith(' ' + c.surname) || entriesMention(entries, c)))
        if (!found) report(file, lineOf(prose, c.index), `the citation "${c.surname} … ${c.year}" has no entry in the references. Fix: add the reference (authors, year, title, venue) or correct the citation.`)
      }
    }
  }
  return messages
}

/** A citation whose surname is a later author or part of a compound name still matches an entry of that year. */
function entriesMention(entries: string[], c: Citation): boolean {
  return entries.some((e) => e.includes(c.surname) && new RegExp(`\\b${c.year}`).test(e))
}

function loadOutline(root: string): { allPages: { text: string; link: string }[]; standalonePages: string[] } {
  // book.ts is plain data: read it as text so the lint runs without compiling the config.
  const src = readFileSync(join(root, '.vitepress/book.ts'), 'utf8')
  const allPages = [...src.matchAll(/\{\s*text:\s*'([^']+)',\s*link:\s*'([^']+)'/g)].map((m) => ({ text: m[1], link: m[2] }))
  const standalone = /standalonePages[^=]*=\s*\[([^\]]*)\]/.exec(src)?.[1] ?? ''
  return { allPages, standalonePages: [...standalone.matchAll(/'([^']+)'/g)].map((m) => m[1]) }
}

const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)
if (isMain) {
  const i = process.argv.indexOf('--root')
  const root = i > 0 ? resolve(process.argv[i + 1]) : resolve(dirname(fileURLToPath(import.meta.url)), '..')
  const t0 = performance.now()
  const messages = lintDocs(root)
  for (const m of messages) console.error(`${m.file}:${m.line}: ${m.message}`)
  const files = markdownFiles(join(root, 'docs')).length
  console.error(`lint:docs: ${files} pages, ${messages.length} problem(s), ${((performance.now() - t0) / 1000).toFixed(1)} s`)
  process.exit(messages.length ? 1 : 0)
}
