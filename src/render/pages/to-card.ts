// A post as a card in a listing: headline, excerpt, image, byline, date, first category.
import type { IndexSnapshot, Taxonomy, TaxonomyKind } from '../../content/build-index.js';
import { leadImageOf } from '../../content/lead-image.js';
import type { Post, TermRef } from '../../content/post.js';
import type { ImageLookup } from '../../images/image-lookup.js';
import type { DateView } from '../format-date.js';
import { previewLabel, readingTimeText } from './post-labels.js';
import type { SiteContext } from '../site-context.js';
import { ABOVE_THE_FOLD, BELOW_THE_FOLD, OPENING, toImageView, type ImagePlacement, type ImageView } from './to-image.js';
import { dayArchiveUrl, termUrl } from '../urls.js';

export interface LinkView {
  readonly href: string;
  readonly text: string;
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

/** Where a card sits: the front page's lead, or one of a grid. */
export type CardSlot = 'lead' | 'card';

export function toCard(
  site: SiteContext,
  snapshot: IndexSnapshot,
  post: Post,
  pictures: ImageLookup,
  slot: CardSlot,
  placement: ImagePlacement,
): CardView {
  return {
    url: post.url,
    title: post.title,
    excerpt: post.summary,
    image: toImageView(leadImageOf(snapshot, post), pictures, slot, placement),
    authors: toByline(toTermLinks(snapshot, 'authors', post.authors)),
    date: site.dates.day(post.date),
    dateHref: dayArchiveUrl(post),
    category: toTermLinks(snapshot, 'categories', post.categories.slice(0, 1))[0] ?? null,
    readingTime: readingTimeText(post),
    label: previewLabel(snapshot, post),
  };
}

/** Cards of a grid whose first row is on screen at once; 3 is the widest grid (site.css). */
const FIRST_ROW = 3;

/**
 * A grid of cards. When it is what the page opens with (no lead story above it), its
 * first row loads at once and the first picture first; the rest load as they come near.
 */
export function toCards(
  site: SiteContext,
  snapshot: IndexSnapshot,
  posts: readonly Post[],
  pictures: ImageLookup,
  opensPage: boolean,
): CardView[] {
  return posts.map((post, i) => {
    const placement = !opensPage || i >= FIRST_ROW ? BELOW_THE_FOLD : i === 0 ? OPENING : ABOVE_THE_FOLD;
    return toCard(site, snapshot, post, pictures, 'card', placement);
  });
}

/**
 * Links to term pages, spelled as the index spells them (the most common spelling;
 * an author by their profile's name). `refs` belong to a post of `snapshot`, so each
 * term is in its index.
 */
export function toTermLinks(snapshot: IndexSnapshot, kind: TaxonomyKind, refs: readonly TermRef[]): LinkView[] {
  return refs.map((ref) => ({ href: termUrl(kind, ref.slug), text: termName(snapshot, kind, ref.slug) }));
}

/** A term's name as shown: an author's profile name, else the most common spelling. */
export function termName(snapshot: IndexSnapshot, kind: TaxonomyKind, slug: string): string {
  const profile = kind === 'authors' ? snapshot.site.authors.get(slug)?.name : null;
  const taxonomy: Taxonomy = snapshot[kind];
  return profile ?? taxonomy.bySlug.get(slug)!.name;
}

/** `By A`, `By A and B`, `By A, B and C`. */
export function toByline(authors: readonly LinkView[]): BylineAuthor[] {
  return authors.map((a, i) => ({
    ...a,
    before: i === 0 ? 'By ' : i === authors.length - 1 ? ' and ' : ', ',
  }));
}
