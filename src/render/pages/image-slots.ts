// Where pictures are shown and how wide each place is, as the `sizes` attribute says it
// to the browser: it picks a variant from the srcset before the stylesheet has loaded,
// so these must follow public/css/site.css (the browser test checks the choice at 360
// and 1280 px). In the stylesheet: the page is `.wrap`, at most 75rem wide with a gutter
// of clamp(1rem, 4vw, 2rem) each side (1rem below 25rem, 4vw up to 50rem, 2rem above),
// so the text column is 100vw - 2rem, 92vw, then min(100vw, 75rem) - 4rem.

export type ImageSlot = 'lead' | 'card' | 'article' | 'body';

export const IMAGE_SIZES: Readonly<Record<ImageSlot, string>> = {
  // `.card--lead .card__media`: edge to edge on phones (below 48rem it takes back the
  // gutters), the column up to 60rem, then 3/5 of the column less the 2.5rem gap.
  lead: '(min-width: 75rem) 41.1rem, (min-width: 60rem) calc(60vw - 3.9rem), (min-width: 50rem) calc(100vw - 4rem), (min-width: 48rem) 92vw, 100vw',
  // `.card-grid`: one column, two from 40rem and three from 64rem, 2.5rem between them.
  card: '(min-width: 75rem) 22rem, (min-width: 64rem) calc(33.33vw - 3rem), (min-width: 50rem) calc(50vw - 3.25rem), (min-width: 40rem) calc(46vw - 1.25rem), (min-width: 25rem) 92vw, calc(100vw - 2rem)',
  // `.article`: the column, at most 56rem.
  article: '(min-width: 60rem) 56rem, (min-width: 50rem) calc(100vw - 4rem), (min-width: 25rem) 92vw, calc(100vw - 2rem)',
  // `.article__body` (Markdown pictures): the column, at most 42rem (--measure).
  body: '(min-width: 45.66rem) 42rem, (min-width: 25rem) 92vw, calc(100vw - 2rem)',
};
