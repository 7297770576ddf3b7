// Decoded post text -> Post: applies every front matter rule of the spec (titles, dates,
// authors, taxonomies, images, flags, slugs, permalinks). Pure: no file system access;
// whether a local lead image exists is decided by the index (it can appear later).
import { createHash } from 'node:crypto';
import { cleanText, sliceText } from './clean-text.js';
import { splitFrontMatter, type FrontMatter } from './front-matter.js';
import type { Post, PostImage, TermRef } from './post.js';
import { scanLiquid } from './liquid.js';
import { toPostError } from './post-error.js';
import { redirectKeyOf } from './redirect-paths.js';
import { baseNameOf } from './post-files.js';
import { parsePostDate, wallDateFromParts } from './post-date.js';
import { toRootPath } from './paths.js';
import { countReading, DEFAULT_READING_RATES, readingMinutes, type ReadingRates } from './reading-time.js';
import { parseJekyllName, slugify } from './slug.js';
import { summarize } from './summary.js';
import { fromWallTime, pad2, toWallTime } from './time-zone.js';
import { postId } from './post-id.js';

export interface ParseContext {
  readonly timeZone: string;
  /** The site's `permalink` from `_config.yml` as a template (site-config.ts), if any. */
  readonly sitePermalink?: string | null;
  /** `serve`: posts live at the site's permalink; `redirect`: it answers 301 to their URL. */
  readonly permalinkMode?: 'serve' | 'redirect';
  /** Reading speed for reading times; the defaults when not given. */
  readonly readingRates?: ReadingRates;
}

export interface PostSource {
  /** Path relative to the posts folder, `/`-separated. */
  readonly file: string;
  readonly text: string;
  readonly modified: Date;
}

export interface ParsedPost {
  readonly post: Post;
  /** The Markdown body as the post page renders it (the title heading taken out). */
  readonly body: string;
  /** Problems the site worked around; each is logged with the file name. */
  readonly warnings: readonly string[];
}

/** Most terms a post may carry per taxonomy; more is a pipeline bug, not news. */
const MAX_TERMS = 50;
const MAX_TITLE_LENGTH = 500;

export function parsePost(source: PostSource, ctx: ParseContext): ParsedPost {
  try {
    return parse(source, ctx);
  } catch (err) {
    throw toPostError(source.file, err);
  }
}

function parse(source: PostSource, ctx: ParseContext): ParsedPost {
  const { data, body: rawBody } = splitFrontMatter(source.text);
  const warnings: string[] = [];
  const warn = (message: string) => warnings.push(message);
  const baseName = baseNameOf(source.file);
  const jekyll = parseJekyllName(baseName);

  const date = readDate(data, source, jekyll, ctx.timeZone, warn);
  const updated = readUpdated(data, date, ctx.timeZone, warn);
  let title = text(data.title);
  let titleFromHeading = false;
  if (!title) {
    const heading = firstHeading(rawBody);
    if (heading) {
      title = heading.title;
      titleFromHeading = true;
      warn('no title in the front matter: using the first heading');
    } else {
      title = titleFromFileName(baseName);
      warn('no title in the front matter or body: using the file name');
    }
  }
  if (title.length > MAX_TITLE_LENGTH) title = `${sliceText(title, MAX_TITLE_LENGTH)}…`;

  const wall = toWallTime(date, ctx.timeZone);
  const localDate = { year: String(wall.year), month: pad2(wall.month), day: pad2(wall.day) };
  const categories = terms([...listOrWords(data.categories), ...list(data.category)], 'category', warn);
  const slug = slugify(text(data.slug)) || jekyll?.slug || slugify(title) || 'post';
  const parts = { ...localDate, slug, categories, date: wall };
  const own = readPermalink(data.permalink, parts, warn);
  // The site's permalink pattern: the post's address (serve) or an old one (redirect).
  const pattern = !own && ctx.sitePermalink ? readPermalink(ctx.sitePermalink, parts, warn) : null;
  const permalink = own ?? (ctx.permalinkMode === 'redirect' ? null : pattern);
  const url = permalink ?? `/${localDate.year}/${localDate.month}/${localDate.day}/${slug}/`;
  const image = readImage(data, warn);
  const body = bodyOf(rawBody, titleFromHeading);
  const excerpt = text(data.excerpt) || text(data.description) || null;
  const redirectFrom = readRedirectFrom([...list(data.redirect_from), ...list(data.aliases)], warn);
  if (pattern && pattern !== url && !redirectFrom.includes(pattern)) redirectFrom.push(pattern);
  const expires = readExpiry(data.expires ?? data.expiryDate ?? data.expirydate ?? data.unpublishdate, date, ctx.timeZone, warn);
  const liquid = scanLiquid(body);
  for (const file of liquid.includes) warn(`Liquid {% include ${file} %} is not supported here: dropped from the body`);
  for (const tag of liquid.unsupported) warn(`Liquid tag {% ${tag} %} is not supported here: dropped from the body`);
  const toc = flag(data.toc, 'toc', false, warn);

  const post: Post = {
    file: source.file,
    id: postId(source.file),
    title,
    date,
    localDate,
    updated,
    modified: source.modified,
    authors: terms([...list(data.author), ...list(data.authors)], 'author', warn),
    categories,
    tags: terms([...listOrWords(data.tags), ...list(data.tag)], 'tag', warn),
    excerpt,
    summary: summarize(excerpt, body),
    image,
    featured: flag(data.featured, 'featured', false, warn),
    hidden: flag(data.hidden, 'hidden', false, warn),
    draft: !flag(data.published, 'published', true, warn),
    slug,
    permalink,
    url,
    titleFromHeading,
    bodyHash: hashBody(body),
    redirectFrom: redirectFrom.filter((key) => key !== url),
    redirectTo: readRedirectTo(data.redirect_to, warn),
    expires,
    sitemap: readSitemap(data.sitemap, warn),
    noindex: flag(data.noindex, 'noindex', false, warn),
    rating: readRating(data.rating, warn),
    toc,
    beforeToc: toc ? text(data.beforetoc) || null : null,
    links: liquid.links,
    readingMinutes: readingMinutes(countReading(body), ctx.readingRates ?? DEFAULT_READING_RATES, image !== null),
  };
  return { post, body, warnings };
}

/** Tells two bodies apart without keeping them. */
export function hashBody(body: string): string {
  return createHash('sha1').update(body).digest('base64url').slice(0, 16);
}

/**
 * The body the post page shows: the Markdown after the front matter, without the first
 * `#` heading when that heading became the title. The renderer reads the file again
 * and calls this, so both always agree.
 */
export function bodyOf(rawBody: string, titleFromHeading: boolean): string {
  const heading = titleFromHeading ? firstHeading(rawBody) : null;
  return heading ? rawBody.slice(0, heading.start) + rawBody.slice(heading.end) : rawBody;
}

type Warn = (message: string) => void;

/** A scalar as trimmed text; lists, maps and empty values are "not given". */
function text(value: unknown): string {
  // The file was cleaned when it was decoded, but YAML escapes (`"\x07"`, `"\uFFFE"`,
  // `"\uD800"`) write the same characters back.
  if (typeof value === 'string') return cleanText(value).replace(/\s+/g, ' ').trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return '';
}

/** A YAML list or a single value, as texts. */
function list(value: unknown): string[] {
  if (Array.isArray(value)) return value.slice(0, MAX_TERMS * 2).map(text).filter(Boolean);
  const single = text(value);
  return single ? [single] : [];
}

/** Jekyll's rule for `categories` and `tags`: a list, or a space-separated string. */
function listOrWords(value: unknown): string[] {
  return typeof value === 'string' ? text(value).split(' ').filter(Boolean) : list(value);
}

function terms(names: string[], kind: string, warn: Warn): TermRef[] {
  const seen = new Set<string>();
  const out: TermRef[] = [];
  for (const name of names) {
    const slug = slugify(name);
    if (!slug) {
      warn(`${kind} ${JSON.stringify(name)} has no letters or digits to make a URL from: ignored`);
      continue;
    }
    if (seen.has(slug)) continue;
    seen.add(slug);
    out.push({ name: sliceText(name, 100), slug });
    if (out.length === MAX_TERMS) break;
  }
  return out;
}

function flag(value: unknown, key: string, fallback: boolean, warn: Warn): boolean {
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'boolean') return value;
  const lower = text(value).toLowerCase();
  if (['true', 'yes', 'on', '1'].includes(lower)) return true;
  if (['false', 'no', 'off', '0'].includes(lower)) return false;
  warn(`${key}: ${JSON.stringify(value)} is not true or false: using ${fallback}`);
  return fallback;
}

function readDate(
  data: FrontMatter,
  source: PostSource,
  jekyll: ReturnType<typeof parseJekyllName>,
  timeZone: string,
  warn: Warn,
): Date {
  if (data.date !== undefined && data.date !== null && data.date !== '') {
    return parsePostDate(data.date, timeZone);
  }
  const wall = jekyll ? wallDateFromParts(jekyll.year, jekyll.month, jekyll.day) : null;
  if (wall) return fromWallTime(wall, timeZone);
  warn('no date in the front matter or file name: using the file modification time');
  return source.modified;
}

function readUpdated(data: FrontMatter, date: Date, timeZone: string, warn: Warn): Date | null {
  const value = data.last_modified_at ?? data.updated;
  if (value === undefined || value === null || value === '') return null;
  let updated: Date;
  try {
    updated = parsePostDate(value, timeZone);
  } catch (err) {
    warn(`last_modified_at ignored: ${(err as Error).message}`);
    return null;
  }
  return updated > date ? updated : null;
}

const HEADING = /^#[ \t]+(.+?)[ \t]*#*[ \t]*$/m;

function firstHeading(body: string): { title: string; start: number; end: number } | null {
  const match = HEADING.exec(body);
  if (!match?.[1]) return null;
  const title = plainInline(match[1]);
  if (!title) return null;
  return { title, start: match.index, end: match.index + match[0].length };
}

/** Rough plain text of one line of inline Markdown, for headings used as titles. */
function plainInline(markdown: string): string {
  return markdown
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]*>/g, '')
    .replace(/[*_`~]+/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

function titleFromFileName(baseName: string): string {
  // A file name may hold any character but `/` and NUL.
  const words = text(baseName.replace(/^\d{4}-\d{2}-\d{2}-/, '').replace(/[-_]+/g, ' '));
  return words ? words[0]!.toUpperCase() + words.slice(1) : 'Untitled';
}

/** Longest alt text, caption or credit kept: a caption is a sentence or two, not an article. */
const MAX_IMAGE_TEXT = 1000;

/**
 * The lead image as named: a root path into public/ (existence checked later) or a URL,
 * with its alt text, caption and credit (`image_alt`, `image_caption`, `image_credit`,
 * or `alt`, `caption`, `credit` inside an `image:` map).
 */
function readImage(data: FrontMatter, warn: Warn): PostImage | null {
  const value = data.image;
  const map = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  const raw = map ? text(map.path ?? map.url) : text(value);
  if (!raw) return null;
  const words = (key: string) => sliceText(text(data[`image_${key}`] ?? map?.[key]), MAX_IMAGE_TEXT) || null;
  const about = { alt: words('alt'), caption: words('caption'), credit: words('credit') };
  if (/^https?:\/\//i.test(raw) || raw.startsWith('//')) {
    try {
      const url = new URL(raw.startsWith('//') ? `https:${raw}` : raw);
      return { src: url.href, local: false, ...about };
    } catch {
      warn(`image ${JSON.stringify(raw)} is not a valid URL: ignored`);
      return null;
    }
  }
  const local = toRootPath(raw);
  if (!local) {
    warn(`image ${JSON.stringify(raw)} is not a path inside the site: ignored`);
    return null;
  }
  return { src: local, local: true, ...about };
}

/** Redirect keys of `redirect_from` / `aliases` entries; each bad one is a warning. */
function readRedirectFrom(values: readonly string[], warn: Warn): string[] {
  const keys: string[] = [];
  for (const value of values.slice(0, MAX_TERMS)) {
    const key = redirectKeyOf(value);
    if (key === null || key === '/') warn(`redirect_from ${JSON.stringify(value)} is not a path on this site: ignored`);
    else if (!keys.includes(key)) keys.push(key);
  }
  return keys;
}

/** `redirect_to`: a root path or an http(s) URL (the first, if a list). */
function readRedirectTo(value: unknown, warn: Warn): string | null {
  const raw = list(value)[0];
  if (!raw) return null;
  if (/^https?:\/\//i.test(raw)) {
    try {
      return new URL(raw).href;
    } catch {
      // reported below
    }
  } else if (raw.startsWith('/') && !raw.startsWith('//') && !/[\\\s]/.test(raw)) {
    return raw;
  }
  warn(`redirect_to ${JSON.stringify(raw)} is not an http(s) URL or a path from the site root: ignored`);
  return null;
}

function readExpiry(value: unknown, date: Date, timeZone: string, warn: Warn): Date | null {
  if (value === undefined || value === null || value === '') return null;
  let expires: Date;
  try {
    expires = parsePostDate(value, timeZone);
  } catch (err) {
    warn(`expires ignored: ${(err as Error).message}`);
    return null;
  }
  if (expires <= date) warn('expires is not after date: the post is never shown');
  return expires;
}

/** `sitemap: false` (jekyll-sitemap), or Hugo's `sitemap: { disable: true }`. */
function readSitemap(value: unknown, warn: Warn): boolean {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    return !flag((value as Record<string, unknown>).disable, 'sitemap.disable', false, warn);
  }
  return flag(value, 'sitemap', true, warn);
}

/** Stars out of five, in half steps, as Mediumish shows them. */
function readRating(value: unknown, warn: Warn): number | null {
  if (value === undefined || value === null || value === '') return null;
  const n = Number(text(value));
  if (text(value) === '' || !Number.isFinite(n) || n < 0 || n > 5) {
    warn(`rating ${JSON.stringify(value)} is not a number from 0 to 5: ignored`);
    return null;
  }
  return Math.round(n * 2) / 2;
}

interface PermalinkParts {
  readonly year: string;
  readonly month: string;
  readonly day: string;
  readonly slug: string;
  readonly categories: readonly TermRef[];
  readonly date: { readonly year: number; readonly month: number; readonly day: number };
}

// Paths the site's own pages live under: a permalink there would be shadowed.
const RESERVED_FIRST_SEGMENTS = new Set([
  'category', 'categories', 'tag', 'tags', 'author', 'authors', 'page', 'search', 'assets',
  'feed.xml', 'rss.xml', 'feed.json', 'sitemap.xml', 'news-sitemap.xml', 'robots.txt',
  'healthz', 'readyz', 'status.json',
]);

function readPermalink(value: unknown, parts: PermalinkParts, warn: Warn): string | null {
  const raw = text(value);
  if (!raw) return null;
  const { year, month, day } = parts.date;
  const dayOfYear = Math.round((Date.UTC(year, month - 1, day) - Date.UTC(year, 0, 1)) / 86_400_000) + 1;
  // Jekyll's placeholders; `:output_ext` is `.html`, which becomes a trailing slash.
  const expanded = raw
    .replace(/:output_ext\b/g, '.html')
    .replace(/:short_year\b/g, parts.year.slice(2))
    .replace(/:i_month\b/g, String(month))
    .replace(/:i_day\b/g, String(day))
    .replace(/:y_day\b/g, String(dayOfYear).padStart(3, '0'))
    .replace(/:year\b/g, parts.year)
    .replace(/:month\b/g, parts.month)
    .replace(/:day\b/g, parts.day)
    .replace(/:(?:title|slug)\b/g, parts.slug)
    .replace(/:categories\b/g, parts.categories.map((c) => c.slug).join('/'));
  // Jekyll's `.html` endings become the site's trailing-slash form.
  const segments = expanded.replace(/\.html?$/i, '').split('/').filter(Boolean);
  const valid =
    raw.startsWith('/') &&
    // Checked before expansion: an empty :categories may leave `//`, which collapses.
    !/\/\/|\\/.test(raw) &&
    segments.length > 0 &&
    segments.every((s) => /^[A-Za-z0-9._~-]+$/.test(s) && s !== '.' && s !== '..') &&
    !RESERVED_FIRST_SEGMENTS.has(segments[0]!.toLowerCase()) &&
    !isArchivePath(segments);
  if (!valid) {
    warn(`permalink ${JSON.stringify(raw)} is not usable (it must be a path like /news/my-story/ ` +
      'outside the site\'s own pages): using the default URL');
    return null;
  }
  return `/${segments.join('/')}/`;
}

/** `/2025/`, `/2025/09/`, `/2025/09/25/` belong to the date archives. */
function isArchivePath(segments: readonly string[]): boolean {
  return segments.length <= 3 && /^\d{4}$/.test(segments[0]!) && segments.slice(1).every((s) => /^\d{2}$/.test(s));
}

