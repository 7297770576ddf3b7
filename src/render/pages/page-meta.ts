// Everything in a page's <head> besides the stylesheet, computed in code: <title>,
// description, canonical and pagination links, feed autodiscovery, OpenGraph, Twitter
// card, JSON-LD. Templates only print the resulting lists. Absolute URLs come from the
// configured site URL.
import type { PaginationView } from './pagination.js';
import type { SiteContext } from '../site-context.js';
import { serializeJsonLd } from './structured-data.js';
import type { ShareImage } from './to-image.js';
import { absoluteUrl } from '../urls.js';

export interface MetaTag {
  readonly key: string;
  readonly content: string;
}

export interface FeedLink {
  readonly type: string;
  readonly title: string;
  /** Absolute. */
  readonly href: string;
}

export interface PageMeta {
  /** The full <title>. */
  readonly title: string;
  readonly description: string;
  /** Absent on error pages, which have no address of their own worth indexing. */
  readonly canonical: string | null;
  readonly prev: string | null;
  readonly next: string | null;
  /** `noindex` for error pages and posts that ask for it, `unavailable_after` for expiring posts; null otherwise. */
  readonly robots: string | null;
  /** `<meta property=...>` */
  readonly openGraph: readonly MetaTag[];
  /** `<meta name=...>` */
  readonly twitter: readonly MetaTag[];
  /** `<link rel="alternate">`: the page's own feed first (on listings), then the site's. */
  readonly feeds: readonly FeedLink[];
  /** JSON-LD blocks, already serialised safely for a <script> element. */
  readonly jsonLd: readonly string[];
}

export interface ArticleMeta {
  readonly publishedTime: string;
  readonly modifiedTime: string;
  readonly section: string | null;
  readonly tags: readonly string[];
  /** Absolute URLs of the author pages. */
  readonly authors: readonly string[];
}

export interface MetaInput {
  /** The page's own title, without the site name; null for the front page. */
  readonly title: string | null;
  readonly description: string;
  /** Root-relative path of the page; null for error pages. */
  readonly path: string | null;
  readonly pagination?: PaginationView;
  /** The picture previews show (toShareImage). */
  readonly image?: ShareImage | null;
  readonly type?: 'website' | 'article' | 'profile';
  readonly article?: ArticleMeta;
  readonly noindex?: boolean;
  /** Other robots directives (`unavailable_after: …`), after `noindex` when both. */
  readonly robots?: string | null;
  /** The listing's own feed: root-relative path and title. */
  readonly feed?: { readonly path: string; readonly title: string };
  readonly jsonLd?: readonly object[];
}

/** The site's own feeds, linked from every page. */
function siteFeeds(site: SiteContext): FeedLink[] {
  const { siteTitle, siteUrl } = site.settings;
  return [
    { type: 'application/atom+xml', title: `${siteTitle} (Atom)`, href: absoluteUrl(siteUrl, '/feed.xml') },
    { type: 'application/rss+xml', title: `${siteTitle} (RSS)`, href: absoluteUrl(siteUrl, '/rss.xml') },
    { type: 'application/feed+json', title: `${siteTitle} (JSON Feed)`, href: absoluteUrl(siteUrl, '/feed.json') },
  ];
}

export function buildPageMeta(site: SiteContext, input: MetaInput): PageMeta {
  const { siteTitle, siteUrl } = site.settings;
  const page = input.pagination && input.pagination.current > 1 ? ` – Page ${input.pagination.current}` : '';
  const title = input.title ? `${input.title}${page} – ${siteTitle}` : `${siteTitle}${page}`;
  const canonical = input.path === null ? null : absoluteUrl(siteUrl, input.path);
  const image = input.image ?? null;
  const openGraph: MetaTag[] = [
    { key: 'og:site_name', content: siteTitle },
    { key: 'og:type', content: input.type ?? 'website' },
    { key: 'og:title', content: input.title ?? siteTitle },
    { key: 'og:description', content: input.description },
    ...(canonical ? [{ key: 'og:url', content: canonical }] : []),
  ];
  // OpenGraph locales are language_TERRITORY; a bare language has no valid form.
  const [language, region] = site.settings.siteLanguage.split('-');
  if (region) openGraph.push({ key: 'og:locale', content: `${language}_${region}` });
  if (image) {
    openGraph.push({ key: 'og:image', content: image.url });
    if (image.width !== null && image.height !== null) {
      openGraph.push({ key: 'og:image:width', content: String(image.width) }, { key: 'og:image:height', content: String(image.height) });
    }
    if (image.alt) openGraph.push({ key: 'og:image:alt', content: image.alt });
  }
  if (input.article) {
    const a = input.article;
    openGraph.push(
      { key: 'article:published_time', content: a.publishedTime },
      { key: 'article:modified_time', content: a.modifiedTime },
      ...(a.section ? [{ key: 'article:section', content: a.section }] : []),
      ...a.tags.map((tag) => ({ key: 'article:tag', content: tag })),
      ...a.authors.map((url) => ({ key: 'article:author', content: url })),
    );
  }
  const twitter: MetaTag[] = [
    { key: 'twitter:card', content: image ? 'summary_large_image' : 'summary' },
    { key: 'twitter:title', content: input.title ?? siteTitle },
    { key: 'twitter:description', content: input.description },
  ];
  if (image) twitter.push({ key: 'twitter:image', content: image.url });
  if (image?.alt) twitter.push({ key: 'twitter:image:alt', content: image.alt });
  return {
    title,
    description: input.description,
    canonical,
    prev: input.pagination?.prev ? absoluteUrl(siteUrl, input.pagination.prev) : null,
    next: input.pagination?.next ? absoluteUrl(siteUrl, input.pagination.next) : null,
    robots: [input.noindex ? 'noindex' : '', input.robots ?? ''].filter(Boolean).join(', ') || null,
    openGraph,
    twitter,
    feeds: [
      ...(input.feed ? [{ type: 'application/atom+xml', title: input.feed.title, href: absoluteUrl(siteUrl, input.feed.path) }] : []),
      ...siteFeeds(site),
    ],
    jsonLd: (input.jsonLd ?? []).map(serializeJsonLd),
  };
}
