// Which URLs the sitemaps list (every post with its lead image, every listing page and
// taxonomy page, each with lastmod), how they split into parts, the news sitemap's
// window, and robots.txt. Pure and cheap: routes decide with these before anything is
// rendered; the XML writers (sitemaps.ts) load on the first sitemap.
import type { IndexSnapshot, TaxonomyKind } from '../../content/build-index.js';
import { leadImageOf } from '../../content/lead-image.js';
import { lastChange, newestChangeOf, type Post, type PostImage } from '../../content/post.js';
import { frontPageOf } from '../pages/front-page.js';
import type { Sliceable } from '../pages/pagination.js';
import type { SiteContext } from '../site-context.js';
import { archiveUrl, pagedUrl, taxonomyIndexUrl, termUrl } from '../urls.js';

export interface SitemapEntry {
  /** Root-relative. */
  readonly path: string;
  readonly lastmod: Date;
  /** The lead image, for posts that have one (the sitemap names its share variant). */
  readonly image: PostImage | null;
}

const NEWS_WINDOW_MS = 48 * 3600 * 1000;
const NEWS_MAX_POSTS = 1000;

const entriesBySnapshot = new WeakMap<IndexSnapshot, SitemapEntry[]>();

/** Every URL of the site worth indexing, once per index snapshot. */
function sitemapEntries(site: SiteContext, snapshot: IndexSnapshot): readonly SitemapEntry[] {
  let entries = entriesBySnapshot.get(snapshot);
  if (!entries) {
    entries = buildEntries(site, snapshot);
    entriesBySnapshot.set(snapshot, entries);
  }
  return entries;
}

function buildEntries(site: SiteContext, snapshot: IndexSnapshot): SitemapEntry[] {
  const { pageSize } = site.settings;
  const entries: SitemapEntry[] = [];
  /** The pages of one paginated listing, each dated by the newest post it shows. */
  const listing = (base: string, posts: Sliceable<Post>, firstPageExtra: readonly Post[] = []) => {
    const pages = Math.max(1, Math.ceil(posts.length / pageSize));
    for (let n = 1; n <= pages; n++) {
      const shown = posts.slice((n - 1) * pageSize, n * pageSize);
      const dated = n === 1 ? [...firstPageExtra, ...shown] : shown;
      entries.push({ path: pagedUrl(base, n), lastmod: newestChangeOf(dated, snapshot.lastChange), image: null });
    }
  };
  const front = frontPageOf(snapshot, site.settings.featuredSize);
  listing('/', front.rest, front.lead ? [front.lead, ...front.featured] : []);
  for (const post of snapshot.posts) {
    if (!inSitemaps(post)) continue;
    entries.push({ path: post.url, lastmod: lastChange(post), image: leadImageOf(snapshot, post) });
  }
  for (const kind of ['categories', 'tags', 'authors'] as const satisfies readonly TaxonomyKind[]) {
    entries.push({ path: taxonomyIndexUrl(kind), lastmod: snapshot.lastChange, image: null });
    for (const term of snapshot[kind].terms) listing(termUrl(kind, term.slug), term.posts);
  }
  for (const [key, posts] of snapshot.archives) listing(archiveUrl(key), posts);
  return entries;
}

/**
 * Whether a post's page belongs in the sitemaps: not with `sitemap: false` or `noindex`,
 * and not when its URL is a redirect (`redirect_to`).
 */
export function inSitemaps(post: Post): boolean {
  return post.sitemap && !post.noindex && post.redirectTo === null;
}

/** How many sitemap files: 1 is a plain sitemap at /sitemap.xml, more an index of parts. */
export function sitemapPartCount(site: SiteContext, snapshot: IndexSnapshot): number {
  // Never 0: the front page and the index pages are always there.
  return Math.ceil(sitemapEntries(site, snapshot).length / site.settings.sitemapPartSize);
}

/** Entries of part `n` (1-based); all of them when there is one part. */
export function sitemapPart(site: SiteContext, snapshot: IndexSnapshot, n: number): readonly SitemapEntry[] {
  const size = site.settings.sitemapPartSize;
  return sitemapEntries(site, snapshot).slice((n - 1) * size, n * size);
}

/** Posts published in the 48 hours before `now`, newest first, at most 1,000. */
export function newsPosts(snapshot: IndexSnapshot, now: Date): readonly Post[] {
  const since = now.getTime() - NEWS_WINDOW_MS;
  const out: Post[] = [];
  for (const post of snapshot.posts) {
    if (post.date.getTime() < since || out.length === NEWS_MAX_POSTS) break;
    if (inSitemaps(post)) out.push(post);
  }
  return out;
}

/** Google News wants an ISO 639 code: `en`, but `zh-cn` / `zh-tw` for Chinese. */
export function newsLanguage(language: string): string {
  const lower = language.toLowerCase();
  return /^zh-(cn|tw)$/.test(lower) ? lower : lower.split('-')[0]!;
}

export function renderRobots(site: SiteContext): string {
  const { siteUrl } = site.settings;
  return [
    'User-agent: *',
    'Allow: /',
    '',
    `Sitemap: ${siteUrl}/sitemap.xml`,
    `Sitemap: ${siteUrl}/news-sitemap.xml`,
    '',
  ].join('\n');
}
