/**
 * The book's outline: one source for the sidebar, the home page's table of contents, the docs
 * lint and the browser test that walks every page. Whether a page is finished is said in its own
 * frontmatter (`status: ready` or `status: draft`; see page-status.ts); a draft page says
 * "coming soon". `npm run new:chapter` adds a page here.
 */
export interface BookPage {
  text: string
  link: string
}
export interface BookPart {
  text: string
  items: BookPage[]
}

export const book: BookPart[] = [
  {
    text: 'Getting started',
    items: [
      { text: 'How to read this book', link: '/guide/' },
      { text: 'Contributing a chapter', link: '/guide/contributing' },
      { text: 'Run a pipeline on a dataset', link: '/guide/dataset' },
    ],
  },
  {
    text: '1 Medical imaging fundamentals',
    items: [
      { text: '1.1 CT', link: '/ch01/01-ct' },
      { text: '1.2 MRI', link: '/ch01/02-mri' },
      { text: '1.3 X-ray', link: '/ch01/03-xray' },
      { text: '1.4 PET and ultrasound', link: '/ch01/04-pet-us' },
      { text: '1.5 Data formats: DICOM and NIfTI', link: '/ch01/05-data-formats' },
      { text: '1.6 Software tools', link: '/ch01/06-tools' },
      { text: '1.7 Artifacts', link: '/ch01/07-artifacts' },
    ],
  },
  {
    text: '2 Modality-specific preprocessing',
    items: [
      { text: '2.1 CT: from detector signal to corrected projection', link: '/ch02/01-ct-preprocessing' },
      { text: '2.2 MRI: k-space preprocessing', link: '/ch02/02-mri-preprocessing' },
      { text: '2.3 X-ray: flat-panel corrections', link: '/ch02/03-xray-preprocessing' },
      { text: '2.4 PET and ultrasound preprocessing', link: '/ch02/04-pet-us-preprocessing' },
    ],
  },
  {
    text: '3 Image reconstruction',
    items: [
      { text: '3.1 Analytic reconstruction (FBP)', link: '/ch03/01-analytic-recon' },
      { text: '3.2 Iterative reconstruction', link: '/ch03/02-iterative-recon' },
      { text: '3.3 Deep-learning reconstruction', link: '/ch03/03-dl-recon' },
    ],
  },
  {
    text: '4 Hands-on practice',
    items: [
      { text: '4.1 Setting up', link: '/ch04/01-setup' },
      { text: '4.2 A CT case', link: '/ch04/02-ct-case' },
      { text: '4.3 An MRI case', link: '/ch04/03-mri-case' },
      { text: '4.4 Image quality metrics', link: '/ch04/04-metrics' },
    ],
  },
  {
    text: '5 Deep learning on medical images',
    items: [
      { text: '5.1 Preprocessing', link: '/ch05/01-preprocessing' },
      { text: '5.2 Segmentation', link: '/ch05/02-segmentation' },
      { text: '5.3 Classification and detection', link: '/ch05/03-classification' },
      { text: '5.4 Augmentation and enhancement', link: '/ch05/04-augmentation' },
      { text: '5.5 New techniques', link: '/ch05/05-new-techniques' },
    ],
  },
  {
    text: 'Appendices',
    items: [
      { text: 'A Formulas', link: '/appendix/a-formulas' },
      { text: 'B Installing the tools', link: '/appendix/b-tools' },
      { text: 'C Public datasets', link: '/appendix/c-datasets' },
      { text: 'D Glossary', link: '/appendix/d-glossary' },
      { text: 'E Sample data and licences', link: '/appendix/e-sample-data' },
    ],
  },
]

export const allPages: BookPage[] = book.flatMap((part) => part.items)

/** Pages outside the outline, reached from the top navigation (the home page, the Lab). */
export const standalonePages: string[] = ['/', '/lab']
