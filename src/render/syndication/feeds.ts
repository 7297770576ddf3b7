// Atom 1.0, RSS 2.0 and JSON Feed 1.1 of a list of posts, generated with feedsmith:
// full sanitised HTML, summary, authors, sections and tags, lead image
// (media:thumbnail / image), published and updated times. Titles and summaries are
// text: in the XML feeds they are sent HTML-escaped (Atom type="html"), in JSON with
// `<` escaped, so no feed carries markup a reader could run.
import { generateAtomFeed, generateJsonFeed, generateRssFeed } from 'feedsmith';
import type { IndexSnapshot } from '../../content/build-index.js';
import { cleanText } from '../../content/clean-text.js';
import { leadImageOf } from '../../content/lead-image.js';
import type { Post } from '../../content/post.js';
import type { ImageLookup } from '../../images/image-lookup.js';
import { bodyImageSources, renderFeedBodyImages } from '../markdown/body-images.js';
import type { SiteContext } from '../site-context.js';
import { toShareImage } from '../pages/to-image.js';
import type { Sliceable } from '../pages/pagination.js';
import { serializeJsonLd } from '../pages/structured-data.js';
import { termName } from '../pages/to-card.js';
import { absoluteUrl, termUrl } from '../urls.js';

export type FeedFormat = 'atom' | 'rss' | 'json';

/** What a feed covers: the whole site, or one section, tag or author. */
export interface FeedScope {
  readonly title: string;
  readonly description: string;
  /** Root-relative path of the page the feed follows, e.g. `/category/world/`. */
  readonly pagePath: string;
  /** Root-relative path of the feed itself. */
  readonly feedPath: string;
  /** Newest first; the feed takes the first FEED_SIZE. */
  readonly posts: Sliceable<Post>;
}

interface FeedItem {
  readonly url: string;
  readonly title: string;
  readonly summary: string;
  readonly html: string;
  readonly published: Date;
  readonly updated: Date;
  readonly authors: readonly { readonly name: string; readonly url: string }[];
  readonly terms: readonly { readonly name: string; readonly slug: string; readonly scheme: string }[];
  readonly image: string | null;
}

const HTML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text as HTML that shows exactly that text. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

export interface RenderedFeed {
  readonly text: string;
  /** False when a post's body could not be had just now (its file is being rewritten). */
  readonly complete: boolean;
}

/**
 * The feed's items. A post whose body cannot be rendered is left out: it is being taken
 * off the site, or its file is being rewritten (then the feed is incomplete, and the
 * update that follows renders it again).
 */
async function toItems(
  site: SiteContext,
  snapshot: IndexSnapshot,
  posts: Sliceable<Post>,
  lookup: PictureLookup,
): Promise<{ items: FeedItem[]; complete: boolean }> {
  const { siteUrl } = site.settings;
  const abs = (path: string) => absoluteUrl(siteUrl, path);
  const shown = posts.slice(0, site.settings.feedSize);
  const bodies = await Promise.all(shown.map((post) => site.body(post, snapshot).catch(() => null)));
  const complete = bodies.every((html) => html !== null);
  const sources = shown.flatMap((post, i) => {
    const image = leadImageOf(snapshot, post);
    return [...(image?.local ? [image.src] : []), ...bodyImageSources(bodies[i] ?? '')];
  });
  const pictures = await lookup(sources);
  const items = shown.map((post, i): FeedItem[] => {
    const html = bodies[i];
    if (html === null || html === undefined) return [];
    const image = toShareImage(leadImageOf(snapshot, post), pictures, siteUrl);
    return [{
      url: abs(post.url),
      title: post.title,
      summary: post.summary,
      html: renderFeedBodyImages(html, pictures, siteUrl),
      published: post.date,
      updated: post.updated ?? post.date,
      authors: post.authors.map((a) => ({ name: termName(snapshot, 'authors', a.slug), url: abs(termUrl('authors', a.slug)) })),
      terms: [
        ...post.categories.map((c) => ({ name: snapshot.categories.bySlug.get(c.slug)!.name, slug: c.slug, scheme: abs('/category/') })),
        ...post.tags.map((t) => ({ name: snapshot.tags.bySlug.get(t.slug)!.name, slug: t.slug, scheme: abs('/tag/') })),
      ],
      image: image?.url ?? null,
    }];
  });
  return { items: items.flat(), complete };
}

/** The newest change among the items, for the feed's own updated time. */
function newestUpdate(items: readonly FeedItem[], fallback: Date): Date {
  let newest: Date | null = null;
  for (const item of items) if (!newest || item.updated > newest) newest = item.updated;
  return newest ?? fallback;
}

/** The facts of the public pictures a feed shows, read once for all its items (app.images). */
export type PictureLookup = (srcs: Iterable<string>) => Promise<ImageLookup>;

export async function renderFeed(
  format: FeedFormat,
  site: SiteContext,
  snapshot: IndexSnapshot,
  scope: FeedScope,
  lookup: PictureLookup,
): Promise<RenderedFeed> {
  const { items, complete } = await toItems(site, snapshot, scope.posts, lookup);
  // The text was cleaned where it entered; a character XML forbids would still make
  // the whole feed unreadable, so the document is cleaned once more (cheap when clean).
  const text = format === 'atom' ? cleanText(renderAtom(site, snapshot, scope, items)) : format === 'rss' ? cleanText(renderRss(site, scope, items)) : renderJson(site, scope, items);
  return { text, complete };
}

function renderAtom(site: SiteContext, snapshot: IndexSnapshot, scope: FeedScope, items: FeedItem[]): string {
  const { siteUrl, publisherName, publisherLogo } = site.settings;
  const html = (text: string) => ({ value: escapeHtml(text), type: 'html' });
  return generateAtomFeed({
    id: absoluteUrl(siteUrl, scope.pagePath),
    title: html(scope.title),
    subtitle: html(scope.description),
    updated: newestUpdate(items, snapshot.builtAt),
    links: [
      { href: absoluteUrl(siteUrl, scope.pagePath), rel: 'alternate', type: 'text/html' },
      { href: absoluteUrl(siteUrl, scope.feedPath), rel: 'self', type: 'application/atom+xml' },
    ],
    // Atom needs an author on the feed or on every entry; not every post names one.
    authors: [{ name: publisherName, uri: `${siteUrl}/` }],
    generator: { text: 'Newsroom' },
    logo: absoluteUrl(siteUrl, publisherLogo),
    entries: items.map((item) => ({
      id: item.url,
      title: html(item.title),
      links: [{ href: item.url, rel: 'alternate', type: 'text/html' }],
      published: item.published,
      updated: item.updated,
      summary: html(item.summary),
      content: { value: item.html, type: 'html' },
      authors: item.authors.map((a) => ({ name: a.name, uri: a.url })),
      categories: item.terms.map((t) => ({ term: t.slug, label: t.name, scheme: t.scheme })),
      ...(item.image ? { media: { thumbnails: [{ url: item.image }] } } : {}),
    })),
  });
}

function renderRss(site: SiteContext, scope: FeedScope, items: FeedItem[]): string {
  const { siteUrl, siteLanguage } = site.settings;
  return generateRssFeed({
    title: escapeHtml(scope.title),
    link: absoluteUrl(siteUrl, scope.pagePath),
    description: escapeHtml(scope.description),
    language: siteLanguage,
    lastBuildDate: newestUpdate(items, new Date(0)),
    generator: 'Newsroom',
    atom: { links: [{ href: absoluteUrl(siteUrl, scope.feedPath), rel: 'self', type: 'application/rss+xml' }] },
    items: items.map((item) => ({
      title: escapeHtml(item.title),
      link: item.url,
      guid: { value: item.url, isPermaLink: true },
      pubDate: item.published,
      description: escapeHtml(item.summary),
      content: { encoded: item.html },
      // RSS's own <author> must be an e-mail address; names go in dc:creator.
      dc: { creators: item.authors.map((a) => a.name) },
      categories: item.terms.map((t) => ({ name: t.name, domain: t.scheme })),
      ...(item.image ? { media: { thumbnails: [{ url: item.image }] } } : {}),
    })),
  });
}

function renderJson(site: SiteContext, scope: FeedScope, items: FeedItem[]): string {
  const { siteUrl, siteLanguage, publisherName } = site.settings;
  const feed = generateJsonFeed({
    title: scope.title,
    home_page_url: absoluteUrl(siteUrl, scope.pagePath),
    feed_url: absoluteUrl(siteUrl, scope.feedPath),
    description: scope.description,
    language: siteLanguage,
    authors: [{ name: publisherName, url: `${siteUrl}/` }],
    items: items.map((item) => ({
      id: item.url,
      url: item.url,
      title: item.title,
      summary: item.summary,
      content_html: item.html,
      ...(item.image ? { image: item.image } : {}),
      date_published: item.published,
      date_modified: item.updated,
      authors: item.authors.map((a) => ({ name: a.name, url: a.url })),
      tags: item.terms.map((t) => t.name),
    })),
  });
  // feedsmith types its JSON output as unknown; it is the feed object, from which it
  // drops an empty `items`, which JSON Feed requires.
  const json = feed as { items?: unknown[] };
  json.items ??= [];
  // Same bytes rules as JSON-LD: no raw `<` for a careless embedder to trip over.
  return serializeJsonLd(json);
}
