/**
 * English, the root locale: everything a reader sees in words (title, navigation, sidebar,
 * footer, labels). A second language adds a file like this one (e.g. `de.ts` with `lang: 'de-DE'`,
 * its pages under `docs/de/`, links prefixed with `/de`) and one line in config.ts's `locales`,
 * as the VitePress docs do it. Shared settings (markdown, base, search) stay in config.ts.
 */
import type { DefaultTheme, LocaleSpecificConfig } from 'vitepress'
import { book } from '../book'

export function englishConfig(editLinkPattern: string): LocaleSpecificConfig<DefaultTheme.Config> & { label: string } {
  return {
    label: 'English',
    lang: 'en-US',
    title: 'Medical Imaging Primer',
    description: 'An interactive textbook of medical image preprocessing: every figure runs in your browser, on real data.',
    themeConfig: {
      nav: [
        { text: 'Read', link: '/guide/' },
        { text: '5.1 Preprocessing', link: '/ch05/01-preprocessing' },
        { text: 'Sample data', link: '/appendix/e-sample-data' },
        { text: 'Pipeline Lab', link: '/lab' },
      ],
      sidebar: book.map((part) => ({
        text: part.text,
        collapsed: false,
        items: part.items.map(({ text, link }) => ({ text, link })),
      })),
      editLink: { pattern: editLinkPattern, text: 'Edit this page on GitHub' },
      lastUpdated: { text: 'Last updated' },
      footer: {
        message: 'Text CC BY 4.0, code MIT. Scans you open are processed in your browser and never uploaded.',
      },
    },
  }
}
