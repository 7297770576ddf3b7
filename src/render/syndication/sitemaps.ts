// Sitemap XML (with the `sitemap` library): a sitemap, an index of parts once there are
// more URLs than fit in one file (sitemap-entries.ts decides), and the Google News
// sitemap. Loaded on the first sitemap request, not at startup.
import { Readable } from 'node:stream';
import { SitemapIndexStream, SitemapStream, streamToPromise, type SitemapItemLoose } from 'sitemap';
import type { IndexSnapshot } from '../../content/build-index.js';
import type { Post } from '../../content/post.js';
import type { ImageLookup } from '../../images/image-lookup.js';
import { toZonedIso } from '../../content/time-zone.js';
import { newsLanguage, sitemapPart, sitemapPartCount, type SitemapEntry } from './sitemap-entries.js';
import type { SiteContext } from '../site-context.js';
import { toShareImage } from '../pages/to-image.js';
import { absoluteUrl } from '../urls.js';

function sitemapPartPath(n: number): string {
  return `/sitemap-${n}.xml`;
}

function collect(stream: SitemapStream | SitemapIndexStream, items: readonly object[]): Promise<string> {
  Readable.from(items).pipe(stream);
  return streamToPromise(stream).then((buffer) => buffer.toString('utf8'));
}

/**
 * `pictures` holds the facts of the entries' public lead images: a sitemap names the
 * share variant (the 1280 px JPEG, metadata stripped), never the original, whose GPS
 * tags search engines would otherwise fetch and index; a broken picture is left out.
 */
export function renderSitemap(site: SiteContext, entries: readonly SitemapEntry[], pictures: ImageLookup): Promise<string> {
  const { siteUrl, timeZone } = site.settings;
  const stream = new SitemapStream({ hostname: siteUrl, xmlns: { news: false, video: false, xhtml: false, image: true } });
  const items: SitemapItemLoose[] = entries.map((e) => {
    const image = toShareImage(e.image, pictures, siteUrl);
    return {
      url: absoluteUrl(siteUrl, e.path),
      lastmod: toZonedIso(e.lastmod, timeZone),
      ...(image ? { img: [{ url: image.url }] } : {}),
    };
  });
  return collect(stream, items);
}

export function renderSitemapIndex(site: SiteContext, snapshot: IndexSnapshot): Promise<string> {
  const { siteUrl, timeZone } = site.settings;
  const parts = sitemapPartCount(site, snapshot);
  const items = Array.from({ length: parts }, (_, i) => {
    const entries = sitemapPart(site, snapshot, i + 1);
    const newest = entries.reduce((max, e) => (e.lastmod > max ? e.lastmod : max), entries[0]!.lastmod);
    return { url: absoluteUrl(siteUrl, sitemapPartPath(i + 1)), lastmod: toZonedIso(newest, timeZone) };
  });
  return collect(new SitemapIndexStream(), items);
}

/** What the sitemap library will not write (it refuses empty sitemaps): no news today. */
const EMPTY_NEWS_SITEMAP =
  '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" ' +
  'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"></urlset>';

export async function renderNewsSitemap(site: SiteContext, posts: readonly Post[]): Promise<string> {
  if (posts.length === 0) return EMPTY_NEWS_SITEMAP;
  const { siteUrl, timeZone, publisherName, siteLanguage } = site.settings;
  const stream = new SitemapStream({ hostname: siteUrl, xmlns: { news: true, video: false, xhtml: false, image: false } });
  const items: SitemapItemLoose[] = posts.map((post) => ({
    url: absoluteUrl(siteUrl, post.url),
    news: {
      publication: { name: publisherName, language: newsLanguage(siteLanguage) },
      publication_date: toZonedIso(post.date, timeZone),
      title: post.title,
    },
  }));
  return collect(stream, items);
}

