// The Post record: everything the site knows about one post file, parsed once and never
// mutated. The index hands these out; renderers read them. The Markdown body is not
// kept: it is read from the file again when a page that shows it is rendered (a page is
// rendered once per change and cached), so a 100,000-post archive fits in memory.

/** A category, tag or author as one post names it, with the slug it is matched on. */
export interface TermRef {
  readonly name: string;
  readonly slug: string;
}

export interface PostImage {
  /** Root-relative path (`/assets/images/x.jpg`) or an absolute http(s) URL. */
  readonly src: string;
  readonly local: boolean;
  /** `image_alt`: what the picture shows; null when it only illustrates (an empty alt). */
  readonly alt: string | null;
  /** `image_caption` and `image_credit`, shown under the picture on the post's page. */
  readonly caption: string | null;
  readonly credit: string | null;
}

/** The post's date as the site's clocks showed it: the parts of its URL and archives. */
export interface LocalDate {
  readonly year: string; // `2025`
  readonly month: string; // `09`
  readonly day: string; // `25`
}

export interface Post {
  /** Path relative to the posts folder with `/` separators: the post's identity. */
  readonly file: string;
  /** Short stable id from the file path (12 hex digits): cache keys, search results. */
  readonly id: string;
  readonly title: string;
  readonly date: Date;
  readonly localDate: LocalDate;
  /** `last_modified_at` / `updated`, when later than `date`. */
  readonly updated: Date | null;
  /** File modification time; counts as "content changed" for Last-Modified. */
  readonly modified: Date;
  readonly authors: readonly TermRef[];
  readonly categories: readonly TermRef[];
  readonly tags: readonly TermRef[];
  /** `excerpt` / `description` as written; null when the body's first paragraph stands in. */
  readonly excerpt: string | null;
  /** Plain-text summary for cards, meta descriptions and feeds (excerpt, else first paragraph). */
  readonly summary: string;
  /** As named in the front matter; a local one is shown only while its file exists (see leadImageOf). */
  readonly image: PostImage | null;
  readonly featured: boolean;
  readonly hidden: boolean;
  readonly draft: boolean;
  /** Base slug before collisions are resolved. */
  readonly slug: string;
  /** Normalised `permalink` override (`/a/b/`), if any. */
  readonly permalink: string | null;
  /** The post's path on the site, unique in the index (`/2025/09/25/slug/`). */
  readonly url: string;
  /** The title came from the body's first `#` heading, which the body then leaves out. */
  readonly titleFromHeading: boolean;
  /** Hash of the Markdown body: tells a body edit from a touch without keeping the body. */
  readonly bodyHash: string;
  /** Old paths that answer 301 to the post (`redirect_from`, Hugo's `aliases`), as redirect keys (redirect-paths.ts). */
  readonly redirectFrom: readonly string[];
  /** `redirect_to`: the post's own URL answers 301 there (a root path or an http(s) URL). */
  readonly redirectTo: string | null;
  /** `expires` / `expiryDate` / `unpublishdate`: the post leaves the site at this time. */
  readonly expires: Date | null;
  /** `sitemap: false`: left out of the sitemaps only. */
  readonly sitemap: boolean;
  /** `noindex: true`: robots told not to index it (meta and X-Robots-Tag), out of the sitemaps. */
  readonly noindex: boolean;
  /** `rating`: 0 to 5 in half steps (Mediumish's stars and JSON-LD Review). */
  readonly rating: number | null;
  /** `toc: true`: a table of contents from the body's headings. */
  readonly toc: boolean;
  /** `beforetoc`: a line shown before the table of contents. */
  readonly beforeToc: string | null;
  /** Liquid links in the body (`post_url:<name>`, `link:<path>`), resolved when the page renders. */
  readonly links: readonly string[];
  /** Whole minutes to read it (reading-time.ts), counted when the body was parsed. */
  readonly readingMinutes: number;
}

/** Whether the post is on the site at `at`: published by then and not yet expired. */
export function isLiveAt(post: Post, at: number): boolean {
  return post.date.getTime() <= at && !(post.expires !== null && post.expires.getTime() <= at);
}

/** Code-unit order: stable and locale-free, for file paths and slugs. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Newest first; ties broken by file path so order never depends on load order. */
export function compareNewestFirst(a: Post, b: Post): number {
  return b.date.getTime() - a.date.getTime() || compareText(a.file, b.file);
}

/** The time a reader-visible change to the post last happened. */
export function lastChange(post: Post): Date {
  const shown = post.updated ?? post.date;
  return shown > post.modified ? shown : post.modified;
}

/** The newest change among `posts`; `fallback` when there are none. */
export function newestChangeOf(posts: Iterable<Post>, fallback: Date): Date {
  let newest: Date | null = null;
  for (const post of posts) {
    const changed = lastChange(post);
    if (!newest || changed > newest) newest = changed;
  }
  return newest ?? fallback;
}

function sameTerms(a: readonly TermRef[], b: readonly TermRef[]): boolean {
  return a.length === b.length && a.every((t, i) => t.slug === b[i]!.slug && t.name === b[i]!.name);
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function sameTime(a: Date | null, b: Date | null): boolean {
  return a === b || (a !== null && b !== null && a.getTime() === b.getTime());
}

function sameImage(a: PostImage | null, b: PostImage | null): boolean {
  return a === b || (a !== null && b !== null && a.src === b.src && a.alt === b.alt && a.caption === b.caption && a.credit === b.credit);
}

/**
 * Whether two versions of a post look the same everywhere but on their own page's body:
 * cards, listings, metadata, feeds' headers and URLs. (`modified` is not shown.)
 */
export function sameShown(a: Post, b: Post): boolean {
  return (
    a.title === b.title &&
    a.url === b.url &&
    a.summary === b.summary &&
    a.excerpt === b.excerpt &&
    sameTime(a.date, b.date) &&
    sameTime(a.updated, b.updated) &&
    sameImage(a.image, b.image) &&
    a.featured === b.featured &&
    a.hidden === b.hidden &&
    sameTime(a.expires, b.expires) &&
    a.sitemap === b.sitemap &&
    a.noindex === b.noindex &&
    a.redirectTo === b.redirectTo &&
    sameList(a.redirectFrom, b.redirectFrom) &&
    a.draft === b.draft &&
    a.readingMinutes === b.readingMinutes &&
    sameTerms(a.authors, b.authors) &&
    sameTerms(a.categories, b.categories) &&
    sameTerms(a.tags, b.tags)
  );
}

/**
 * Whether two versions of a post that look the same elsewhere (sameShown) also render the
 * same page: what only the post's own page shows besides the body.
 */
export function samePage(a: Post, b: Post): boolean {
  return a.rating === b.rating && a.beforeToc === b.beforeToc && sameRenderedBody(a, b);
}

/**
 * Whether what the rendered body depends on besides its Markdown is the same: its table
 * of contents and its Liquid links.
 */
export function sameRenderedBody(a: Post, b: Post): boolean {
  return a.toc === b.toc && sameList(a.links, b.links);
}
