// A post as a card in a listing: headline, excerpt, image, byline, date, first category.
import type { IndexSnapshot, Taxonomy, TaxonomyKind } from '../content/build-index.js';
import { leadImageOf } from '../content/lead-image.js';
import type { Post, PostImage, TermRef } from '../content/post.js';
import type { DateView } from './format-date.js';
import { previewLabel, readingTimeText } from './post-labels.js';
import type { SiteContext } from './site-context.js';
import { dayArchiveUrl, termUrl } from './urls.js';

export interface LinkView {
  readonly href: string;
  readonly text: string;
}

export interface ImageView {
  readonly src: string;
  readonly alt: string;
}

/** An author link with the words before it: `By `, `, ` or ` and `. */
export interface BylineAuthor extends LinkView {
  readonly before: string;
}

export interface CardView {
  readonly url: string;
  readonly title: string;
  readonly excerpt: string;
  readonly image: ImageView | null;
  readonly authors: readonly BylineAuthor[];
  readonly date: DateView;
  /** The day's archive page. */
  readonly dateHref: string;
  readonly category: LinkView | null;
  /** `4 min read`. */
  readonly readingTime: string;
  /** `Draft` or `Scheduled` in the writer's preview; null otherwise. */
  readonly label: string | null;
}

export function toCard(site: SiteContext, snapshot: IndexSnapshot, post: Post): CardView {
  return {
    url: post.url,
    title: post.title,
    excerpt: post.summary,
    image: toImage(leadImageOf(snapshot, post)),
    authors: toByline(toTermLinks(snapshot, 'authors', post.authors)),
    date: site.dates.day(post.date),
    dateHref: dayArchiveUrl(post),
    category: toTermLinks(snapshot, 'categories', post.categories.slice(0, 1))[0] ?? null,
    readingTime: readingTimeText(post),
    label: previewLabel(snapshot, post),
  };
}

export function toImage(image: PostImage | null): ImageView | null {
  // The headline sits next to every lead image, so the image itself is decorative.
  return image ? { src: image.src, alt: '' } : null;
}

/**
 * Links to term pages, spelled as the index spells them (the most common spelling).
 * `refs` belong to a post of `snapshot`, so each term is in its index.
 */
export function toTermLinks(snapshot: IndexSnapshot, kind: TaxonomyKind, refs: readonly TermRef[]): LinkView[] {
  const taxonomy: Taxonomy = snapshot[kind];
  return refs.map((ref) => ({ href: termUrl(kind, ref.slug), text: taxonomy.bySlug.get(ref.slug)!.name }));
}

/** `By A`, `By A and B`, `By A, B and C`. */
export function toByline(authors: readonly LinkView[]): BylineAuthor[] {
  return authors.map((a, i) => ({
    ...a,
    before: i === 0 ? 'By ' : i === authors.length - 1 ? ' and ' : ', ',
  }));
}
