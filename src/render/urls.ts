// Every site path is built here, so routes, views and feeds agree on one URL scheme.
import type { TaxonomyKind } from '../content/build-index.js';
import type { Post } from '../content/post.js';

/** The URL segment of each taxonomy's pages: `/category/x/`, `/tag/x/`, `/author/x/`. */
export const TAXONOMY_SEGMENT: Readonly<Record<TaxonomyKind, string>> = {
  categories: 'category',
  tags: 'tag',
  authors: 'author',
};

export function termUrl(kind: TaxonomyKind, slug: string): string {
  return `/${TAXONOMY_SEGMENT[kind]}/${slug}/`;
}

export function taxonomyIndexUrl(kind: TaxonomyKind): string {
  return `/${kind}/`;
}

/** Page 1 of a listing is its base URL; later pages add `page/N/`. */
export function pagedUrl(base: string, page: number): string {
  return page <= 1 ? base : `${base}page/${page}/`;
}

export function archiveUrl(key: string): string {
  return `/${key}/`;
}

/** The archive of the day a post was published (in the site's time zone). */
export function dayArchiveUrl(post: Post): string {
  const { year, month, day } = post.localDate;
  return archiveUrl(`${year}/${month}/${day}`);
}

/** Absolute URL of a root-relative path (or an already absolute URL), from SITE_URL, never the request. */
export function absoluteUrl(siteUrl: string, path: string): string {
  return /^https?:\/\//i.test(path) ? path : `${siteUrl}${path}`;
}
