// Everything in a page's <head> besides the stylesheet, computed in code: <title>,
// description, canonical and pagination links, OpenGraph, Twitter card. Templates only
// print the resulting lists. Absolute URLs come from the configured site URL.
import type { PaginationView } from './pagination.js';
import type { SiteContext } from './site-context.js';
import { absoluteUrl } from './urls.js';

export interface MetaTag {
  readonly key: string;
  readonly content: string;
}

export interface PageMeta {
  /** The full <title>. */
  readonly title: string;
  readonly description: string;
  /** Absent on error pages, which have no address of their own worth indexing. */
  readonly canonical: string | null;
  readonly prev: string | null;
  readonly next: string | null;
  /** `noindex` for error pages; null otherwise. */
  readonly robots: string | null;
  /** `<meta property=...>` */
  readonly openGraph: readonly MetaTag[];
  /** `<meta name=...>` */
  readonly twitter: readonly MetaTag[];
}

export interface MetaInput {
  /** The page's own title, without the site name; null for the front page. */
  readonly title: string | null;
  readonly description: string;
  /** Root-relative path of the page; null for error pages. */
  readonly path: string | null;
  readonly pagination?: PaginationView;
  readonly image?: string | null;
  readonly type?: 'website' | 'article';
  readonly noindex?: boolean;
}

export function buildPageMeta(site: SiteContext, input: MetaInput): PageMeta {
  const { siteTitle, siteUrl } = site.settings;
  const page = input.pagination && input.pagination.current > 1 ? ` – Page ${input.pagination.current}` : '';
  const title = input.title ? `${input.title}${page} – ${siteTitle}` : `${siteTitle}${page}`;
  const canonical = input.path === null ? null : absoluteUrl(siteUrl, input.path);
  const image = input.image ? absoluteUrl(siteUrl, input.image) : null;
  const openGraph: MetaTag[] = [
    { key: 'og:site_name', content: siteTitle },
    { key: 'og:type', content: input.type ?? 'website' },
    { key: 'og:title', content: input.title ?? siteTitle },
    { key: 'og:description', content: input.description },
    ...(canonical ? [{ key: 'og:url', content: canonical }] : []),
    { key: 'og:locale', content: site.settings.siteLanguage.replace('-', '_') },
  ];
  if (image) openGraph.push({ key: 'og:image', content: image });
  const twitter: MetaTag[] = [
    { key: 'twitter:card', content: image ? 'summary_large_image' : 'summary' },
    { key: 'twitter:title', content: input.title ?? siteTitle },
    { key: 'twitter:description', content: input.description },
  ];
  if (image) twitter.push({ key: 'twitter:image', content: image });
  return {
    title,
    description: input.description,
    canonical,
    prev: input.pagination?.prev ? absoluteUrl(siteUrl, input.pagination.prev) : null,
    next: input.pagination?.next ? absoluteUrl(siteUrl, input.pagination.next) : null,
    robots: input.noindex ? 'noindex' : null,
    openGraph,
    twitter,
  };
}
