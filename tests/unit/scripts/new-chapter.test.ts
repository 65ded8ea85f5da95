import { describe, expect, it } from 'vitest'
import { cpSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { newChapter } from '../../../scripts/new-chapter'
import { lintDocs } from '../../../scripts/lint-docs'

const repo = join(__dirname, '../../..')

function copyOfBook(): string {
  const root = mkdtempSync(join(tmpdir(), 'new-chapter-'))
  mkdirSync(join(root, '.vitepress/theme'), { recursive: true })
  cpSync(join(repo, '.vitepress/book.ts'), join(root, '.vitepress/book.ts'))
  cpSync(join(repo, '.vitepress/theme/index.ts'), join(root, '.vitepress/theme/index.ts'))
  cpSync(join(repo, 'docs'), join(root, 'docs'), { recursive: true })
  return root
}

describe('new:chapter', () => {
  it('creates a draft page from the template, adds it at the end of its part, and the docs lint passes it', () => {
    const root = copyOfBook()
    const file = newChapter(root, '2', '05-spectral-ct', '2.5 Spectral CT')
    expect(file).toBe(join(root, 'docs/ch02/05-spectral-ct.md'))
    const page = readFileSync(file, 'utf8')
    expect(page).toMatch(/^---\ntitle: 2\.5 Spectral CT\ndescription: ".+"\nstatus: draft\n---/)
    for (const section of ['Learning goals', 'Key takeaways', '## References', '## How we know it is right', '## Simplifications']) expect(page).toContain(section)
    const book = readFileSync(join(root, '.vitepress/book.ts'), 'utf8')
    const part2 = book.slice(book.indexOf("text: '2 "), book.indexOf("text: '3 "))
    expect(part2.trim().split('\n').filter((l) => l.includes('link:')).at(-1)).toContain("{ text: '2.5 Spectral CT', link: '/ch02/05-spectral-ct' }")
    expect(lintDocs(root).filter((m) => m.file.includes('05-spectral-ct') || m.file.includes('book.ts'))).toEqual([])
  })
  it('guide and appendix pages go to their own parts', () => {
    const root = copyOfBook()
    newChapter(root, 'appendix', 'f-units', 'F Units')
    const book = readFileSync(join(root, '.vitepress/book.ts'), 'utf8')
    expect(book.indexOf("link: '/appendix/f-units'")).toBeGreaterThan(book.indexOf("link: '/appendix/e-sample-data'"))
  })
  it('refuses a bad part, a bad slug, an existing page', () => {
    const root = copyOfBook()
    expect(() => newChapter(root, '12', 'x', 'X')).toThrow(/part must be/)
    expect(() => newChapter(root, '2', 'Spectral CT', 'X')).toThrow(/slug must be/)
    expect(() => newChapter(root, '1', '01-ct', '1.1 CT')).toThrow(/already exists/)
    expect(() => newChapter(root, '2', 'x', "it's")).toThrow(/single quotes/)
  })
})
