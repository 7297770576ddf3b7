// Names for what a response shows, one vocabulary for the whole site: the page cache
// forgets exactly the responses whose keys an index update names, and the same keys go
// to a CDN or Varnish as surrogate keys (header `xkey` by default) and in its purges.
// Keys use only [a-z0-9.-], as every CDN accepts.
import { createHash } from 'node:crypto';
import type { TaxonomyKind } from './build-index.js';
import type { Post } from './post.js';

/** On every response: the masthead and footer every page shows. */
export const SITE_KEY = 'site';
/** The front page and its pages: membership, order and lead of the front-page list. */
export const HOME_KEY = 'home';
/** Site-wide feeds: the list of every post, newest first. */
export const FEED_KEY = 'feed';
export const SITEMAP_KEY = 'sitemap';
export const NEWS_KEY = 'news';
export const SEARCH_KEY = 'search';
/** 404 and 410 pages and redirects: they change when URLs appear or go. */
export const MISSING_KEY = 'missing';

const KIND_SEGMENT: Readonly<Record<TaxonomyKind, string>> = { categories: 'category', tags: 'tag', authors: 'author' };

/** The post as a card or headline anywhere: title, summary, image, byline, date, URL. */
export function postKey(post: Pick<Post, 'id'>): string {
  return `p-${post.id}`;
}

/** The post's own page (what only it shows: its neighbours' links). */
export function pageKey(post: Pick<Post, 'id'>): string {
  return `pp-${post.id}`;
}

/** The post's body, on its page and in feeds. */
export function bodyKey(post: Pick<Post, 'id'>): string {
  return `b-${post.id}`;
}

/** A section, tag or author listing (every page of it, and its feed). */
export function termKey(kind: TaxonomyKind, slug: string): string {
  return `${KIND_SEGMENT[kind]}-${slug}`;
}

/** The index page of a taxonomy (`/categories/`): names and counts. */
export function termIndexKey(kind: TaxonomyKind): string {
  return kind;
}

/** A date archive: `2025`, `2025/09` or `2025/09/25`. */
export function archiveKey(archive: string): string {
  return `date-${archive.replaceAll('/', '-')}`;
}

/**
 * A picture in public/ (a decoded root path, `/assets/images/a b.jpg`): every response
 * that shows it, as a lead, a card or in a body, so a replaced file is shown with its
 * new size and variant URLs. Paths may hold any character, so the key is a hash.
 */
export function imageKey(source: string): string {
  return `i-${createHash('sha1').update(source).digest('hex').slice(0, 12)}`;
}
