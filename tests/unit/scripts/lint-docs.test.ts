import { describe, expect, it } from 'vitest'
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { citationsIn, lintDocs, mathSpans, referenceKey, slugify } from '../../../scripts/lint-docs'

const repo = join(__dirname, '../../..')

/** A tiny book: an outline of two pages, a theme registering one figure. */
function makeBook(pages: Record<string, string>, outline = ['/ch01/01-a', '/ch01/02-b']): string {
  const root = mkdtempSync(join(tmpdir(), 'lint-docs-'))
  mkdirSync(join(root, '.vitepress/theme'), { recursive: true })
  mkdirSync(join(root, 'public/data'), { recursive: true })
  writeFileSync(join(root, 'public/data/x.png'), '')
  writeFileSync(join(root, '.vitepress/book.ts'), `export const book = [{ text: '1', items: [\n${outline.map((l) => `  { text: '${l}', link: '${l}' },`).join('\n')}\n] }]\nexport const standalonePages: string[] = ['/']\n`)
  writeFileSync(join(root, '.vitepress/theme/index.ts'), `const figures: Record<string, () => Promise<Component>> = {\n  GoodDemo: () => import('x'),\n}\napp.component('MermaidDiagram', M)\n`)
  for (const [path, text] of Object.entries(pages)) {
    mkdirSync(join(root, 'docs', path, '..'), { recursive: true })
    writeFileSync(join(root, 'docs', path), text)
  }
  return root
}

const ready = (body: string, refs = '- Kak, A. C., & Slaney, M. (1988). *Principles of Computerized Tomographic Imaging*. IEEE Press.') =>
  `---\ntitle: A\ndescription: "d"\nstatus: ready\n---\n\n# A\n\n::: tip Learning goals\n- x\n:::\n\n${body}\n\n## Key takeaways\n\n- y\n\n## References\n\n${refs}\n`
const draft = '---\ntitle: B\ndescription: "d"\nstatus: draft\n---\n\n# B\n\n## Part two\n'

describe('lintDocs', () => {
  it('passes a correct book, and the repository itself', () => {
    const root = makeBook({ 'ch01/01-a.md': ready('Kak and Slaney (1988) explain it. <GoodDemo /> See [B](/ch01/02-b#part-two) and ![x](/data/x.png). $\\frac{a}{b}$ and\n$$\\mu = \\sum_i w_i$$'), 'ch01/02-b.md': draft })
    expect(lintDocs(root)).toEqual([])
    expect(lintDocs(repo).map((m) => `${m.file}:${m.line}: ${m.message}`)).toEqual([])
  })

  it('names file and line of each problem and says how to fix it', () => {
    const root = makeBook({
      'ch01/01-a.md': ready([
        'Smith et al. (2019) showed it, as Kak and Slaney (1988) did, and <GodDemo /> is a typo.', // 13: unknown citation, 13: unknown component
        'A [dead link](/ch01/09-none) and [a bad anchor](/ch01/02-b#nowhere).', // 14, 14
        'Broken math: $\\frac{a}{b$ and an unknown macro $\\foo x$.', // 15, 15
        '![remote](https://example.org/x.png)', // 16
      ].join('\n'), '- Kak, A. C., & Slaney, M. (1988). Book.\n- Radon, J. (1917). Paper.'),
      'ch01/02-b.md': '---\ntitle: B\n---\n\n# B\n', // no description, no status
      'ch09/orphan.md': '---\ntitle: O\ndescription: "d"\n---\n', // not in the outline
    }, ['/ch01/01-a', '/ch01/02-b', '/ch01/03-missing'])
    const got = lintDocs(root).map((m) => `${m.file}:${m.line}: ${m.message}`)
    const expectOne = (re: RegExp) => expect(got.filter((g) => re.test(g)), `${re}\n${got.join('\n')}`).toHaveLength(1)
    expectOne(/^docs\/ch01\/01-a\.md:13: the citation "Smith … 2019" has no entry/)
    expectOne(/^docs\/ch01\/01-a\.md:13: <GodDemo> is not a registered component\. Fix:/)
    expectOne(/^docs\/ch01\/01-a\.md:14: the link \/ch01\/09-none leads nowhere/)
    expectOne(/^docs\/ch01\/01-a\.md:14: the anchor #nowhere is not a heading of docs\/ch01\/02-b\.md/)
    expectOne(/^docs\/ch01\/01-a\.md:15: LaTeX error .*Missing close brace/)
    expectOne(/^docs\/ch01\/01-a\.md:15: LaTeX error .*\\foo/)
    expectOne(/^docs\/ch01\/01-a\.md:16: a remote image/)
    expectOne(/^docs\/ch01\/01-a\.md:\d+: the reference "Radon, J\. \(1917\)\. Paper\.\s?…" is never cited/)
    expectOne(/^docs\/ch01\/02-b\.md:1: frontmatter has no description/)
    expectOne(/^docs\/ch01\/02-b\.md:1: frontmatter status is missing\. Fix: add `status: draft`/)
    expectOne(/^docs\/ch09\/orphan\.md:1: the page \/ch09\/orphan is not in the outline/)
    expectOne(/^\.vitepress\/book\.ts:1: the outline lists .*\/ch01\/03-missing.*does not exist/)
    expect(got).toHaveLength(12)
  })

  it('a ready chapter without learning goals, takeaways or references is reported', () => {
    const root = makeBook({ 'ch01/01-a.md': '---\ntitle: A\ndescription: "d"\nstatus: ready\n---\n\n# A\n\nText.\n', 'ch01/02-b.md': draft })
    const got = lintDocs(root).map((m) => m.message)
    expect(got.some((m) => /learning goals/.test(m))).toBe(true)
    expect(got.some((m) => /key takeaways/.test(m))).toBe(true)
    expect(got.some((m) => /References/.test(m))).toBe(true)
  })
})

describe('lint-docs helpers', () => {
  it('slugify matches VitePress anchors', () => {
    expect(slugify('X-ray: contrast, lung fields and normalisation')).toBe('x-ray-contrast-lung-fields-and-normalisation')
    expect(slugify('The windows: Shepp–Logan, cosine, Hamming, Hann')).toBe('the-windows-shepp–logan-cosine-hamming-hann')
  })
  it('finds inline and display math, not prices or escaped dollars', () => {
    const spans = mathSpans('Costs $5 and $10. \\$ sign. $a^2$ then\n$$\nb\n$$')
    expect(spans.map((s) => s.tex.trim())).toEqual(['b', 'a^2'])
  })
  it('reads reference keys and in-text citations', () => {
    expect(referenceKey('Kak, A. C., & Slaney, M. (1988). Book.')).toEqual({ surname: 'Kak', year: '1988' })
    expect(referenceKey('van der Walt, S., et al. (2014). scikit-image.')).toEqual({ surname: 'van der Walt', year: '2014' })
    expect(citationsIn('as Kak and Slaney (1988, ch. 3) and (Menze et al., 2015; Bakas et al., 2017) show').map((c) => `${c.surname} ${c.year}`))
      .toEqual(['Kak 1988', 'Menze 2015', 'Bakas 2017'])
  })
})
