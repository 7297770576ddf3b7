// Posts, tags, authors and settings as Ghost's Content API names them, so Ghost's
// JavaScript client and the Gatsby/Eleventy starters read this site unchanged. Ghost has
// tags only: a post's tags are its sections, then its tags (a section and a tag with the
// same slug are one Ghost tag, the section's), so its primary tag is its first section.
// Fields Ghost has and this site does not (code injection, Open Graph overrides, …) are
// null, as Ghost sends them when unset.
import { createHash } from 'node:crypto';
import type { IndexSnapshot, Term } from '../../content/build-index.js';
import { avatarOf, leadImageOf } from '../../content/lead-image.js';
import { postId } from '../../content/post-id.js';
import type { Post } from '../../content/post.js';
import type { AuthorProfile } from '../../content/site-data.js';
import { toZonedIso } from '../../content/time-zone.js';
import { termName } from '../pages/to-card.js';
import { apiSlugsOf } from './slugs.js';
import type { SiteContext } from '../site-context.js';
import { absoluteUrl, termUrl } from '../urls.js';

export type Json = Record<string, unknown>;

/** A Ghost tag: a section or a tag of this site, by slug. */
export interface GhostTag {
  readonly slug: string;
  readonly name: string;
  readonly url: string;
  /** The site's terms behind it (a section, a tag, or both), for counts. */
  readonly terms: readonly Term[];
}

/** The fields of a post object, in Ghost's order (html and plaintext are formats). */
export const POST_FIELDS: readonly string[] = [
  'id', 'uuid', 'title', 'slug', 'html', 'comment_id', 'feature_image', 'featured', 'visibility', 'created_at',
  'updated_at', 'published_at', 'custom_excerpt', 'codeinjection_head', 'codeinjection_foot', 'custom_template',
  'canonical_url', 'url', 'excerpt', 'reading_time', 'access', 'comments', 'og_image', 'og_title', 'og_description',
  'twitter_image', 'twitter_title', 'twitter_description', 'meta_title', 'meta_description', 'email_subject',
  'frontmatter', 'feature_image_alt', 'feature_image_caption', 'plaintext',
];

export const TAG_FIELDS: readonly string[] = [
  'id', 'name', 'slug', 'description', 'feature_image', 'visibility', 'og_image', 'og_title', 'og_description',
  'twitter_image', 'twitter_title', 'twitter_description', 'meta_title', 'meta_description', 'codeinjection_head',
  'codeinjection_foot', 'canonical_url', 'accent_color', 'url',
];

export const AUTHOR_FIELDS: readonly string[] = [
  'id', 'name', 'slug', 'profile_image', 'cover_image', 'bio', 'website', 'location', 'facebook', 'twitter',
  'meta_title', 'meta_description', 'url',
];

// Share and search-engine overrides: Ghost's objects carry them; ours are always null
// (the pages derive them), in Ghost's order.
const UNSET_SOCIAL_FIELDS = {
  og_image: null,
  og_title: null,
  og_description: null,
  twitter_image: null,
  twitter_title: null,
  twitter_description: null,
} as const;
const UNSET_META_FIELDS = { meta_title: null, meta_description: null } as const;
const UNSET_SHARE_FIELDS = { ...UNSET_SOCIAL_FIELDS, ...UNSET_META_FIELDS } as const;

/** Ids of tags and authors: stable, from the slug (posts have their own). */
export function termId(kind: 'tag' | 'author', slug: string): string {
  return postId(`${kind}:${slug}`);
}

/** Ghost's uuid, stable per post file. */
function uuidOf(post: Post): string {
  const hex = createHash('sha1').update(`newsroom:${post.file}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const ghostTagsBySnapshot = new WeakMap<IndexSnapshot, { bySlug: ReadonlyMap<string, GhostTag>; list: readonly GhostTag[] }>();

/** Every Ghost tag of the site, by slug and by name (as the /tags/ page sorts them). */
export function ghostTagsOf(snapshot: IndexSnapshot): { bySlug: ReadonlyMap<string, GhostTag>; list: readonly GhostTag[] } {
  let known = ghostTagsBySnapshot.get(snapshot);
  if (!known) {
    const bySlug = new Map<string, GhostTag>();
    for (const term of snapshot.categories.terms) bySlug.set(term.slug, { slug: term.slug, name: term.name, url: termUrl('categories', term.slug), terms: [term] });
    for (const term of snapshot.tags.terms) {
      const section = bySlug.get(term.slug);
      bySlug.set(term.slug, section ? { ...section, terms: [...section.terms, term] } : { slug: term.slug, name: term.name, url: termUrl('tags', term.slug), terms: [term] });
    }
    const byName = new Intl.Collator('en', { sensitivity: 'base', numeric: true });
    // A stable sort of lists the index sorted already: names that compare equal keep their order.
    const list = [...bySlug.values()].sort((a, b) => byName.compare(a.name, b.name));
    known = { bySlug, list };
    ghostTagsBySnapshot.set(snapshot, known);
  }
  return known;
}

/** A post's Ghost tag slugs: sections, then tags, each slug once. */
export function ghostTagSlugsOf(post: Post): string[] {
  const slugs = post.categories.map((c) => c.slug);
  for (const tag of post.tags) if (!slugs.includes(tag.slug)) slugs.push(tag.slug);
  return slugs;
}

/** Posts the API lists: published and not hidden. */
export function isListed(post: Post): boolean {
  return !post.hidden;
}

/** Listed posts of a Ghost tag (count.posts). */
export function countOfTag(tag: GhostTag): number {
  if (tag.terms.length === 1) return countListed(tag.terms[0]!.posts);
  return new Set(tag.terms.flatMap((t) => t.posts.filter(isListed))).size;
}

export function countListed(posts: readonly Post[]): number {
  let n = 0;
  for (const post of posts) if (isListed(post)) n++;
  return n;
}

function pick(object: Json, fields: readonly string[] | null): Json {
  if (!fields) return object;
  const out: Json = {};
  for (const field of fields) if (field in object) out[field] = object[field];
  return out;
}

export function toGhostTag(site: SiteContext, tag: GhostTag, options: { fields: readonly string[] | null; count: boolean }): Json {
  const json: Json = {
    id: termId('tag', tag.slug),
    name: tag.name,
    slug: tag.slug,
    description: null,
    feature_image: null,
    visibility: 'public',
    ...UNSET_SHARE_FIELDS,
    codeinjection_head: null,
    codeinjection_foot: null,
    canonical_url: null,
    accent_color: null,
    url: absoluteUrl(site.settings.siteUrl, tag.url),
  };
  const out = pick(json, options.fields);
  if (options.count) out.count = { posts: countOfTag(tag) };
  return out;
}

/** An author as the site shows them: their profile's name, picture, bio and links, if any. */
export function toGhostAuthor(site: SiteContext, snapshot: IndexSnapshot, author: Term, options: { fields: readonly string[] | null; count: boolean }): Json {
  const profile = snapshot.site.authors.get(author.slug);
  const avatar = profile ? avatarOf(snapshot, profile) : null;
  const json: Json = {
    id: termId('author', author.slug),
    name: termName(snapshot, 'authors', author.slug),
    slug: author.slug,
    profile_image: avatar ? absoluteUrl(site.settings.siteUrl, avatar.src) : null,
    cover_image: null,
    bio: profile?.bio ?? null,
    website: profile?.website ?? null,
    location: null,
    facebook: handleOf(profile, 'https://www.facebook.com/', ''),
    twitter: handleOf(profile, 'https://x.com/', '@'),
    ...UNSET_META_FIELDS,
    url: absoluteUrl(site.settings.siteUrl, termUrl('authors', author.slug)),
  };
  const out = pick(json, options.fields);
  if (options.count) out.count = { posts: countListed(author.posts) };
  return out;
}

/** Ghost gives social profiles as handles (`@name` on X): the handle of a profile link on `base`. */
function handleOf(profile: AuthorProfile | undefined, base: string, prefix: string): string | null {
  const link = profile?.links.find((l) => l.url.startsWith(base));
  return link ? `${prefix}${link.url.slice(base.length)}` : null;
}

export interface PostShape {
  readonly fields: readonly string[] | null;
  readonly tags: boolean;
  readonly authors: boolean;
  /** The rendered body, when the response shows it (html or plaintext). */
  readonly html: string | null;
  readonly formats: ReadonlySet<string>;
}

export function toGhostPost(site: SiteContext, snapshot: IndexSnapshot, post: Post, shape: PostShape): Json {
  const { siteUrl, timeZone } = site.settings;
  const image = leadImageOf(snapshot, post);
  const iso = (date: Date) => toZonedIso(date, timeZone);
  const json: Json = {
    id: post.id,
    uuid: uuidOf(post),
    title: post.title,
    slug: apiSlugsOf(snapshot).slugOf(post),
    ...(shape.html !== null && shape.formats.has('html') ? { html: shape.html } : {}),
    comment_id: post.id,
    feature_image: image ? absoluteUrl(siteUrl, image.src) : null,
    featured: post.featured,
    visibility: 'public',
    created_at: iso(post.date),
    updated_at: iso(post.updated ?? post.date),
    published_at: iso(post.date),
    custom_excerpt: post.excerpt,
    codeinjection_head: null,
    codeinjection_foot: null,
    custom_template: null,
    canonical_url: null,
    url: absoluteUrl(siteUrl, post.url),
    excerpt: post.summary,
    reading_time: post.readingMinutes,
    access: true,
    comments: false,
    ...UNSET_SHARE_FIELDS,
    email_subject: null,
    frontmatter: null,
    feature_image_alt: null,
    feature_image_caption: null,
    ...(shape.html !== null && shape.formats.has('plaintext') ? { plaintext: toPlainText(shape.html) } : {}),
  };
  const out = pick(json, shape.fields);
  if (shape.tags) {
    const tags = ghostTagsOf(snapshot).bySlug;
    out.tags = ghostTagSlugsOf(post).map((slug) => toGhostTag(site, tags.get(slug)!, { fields: null, count: false }));
    out.primary_tag = (out.tags as Json[])[0] ?? null;
  }
  if (shape.authors) {
    out.authors = post.authors.map((a) => toGhostAuthor(site, snapshot, snapshot.authors.bySlug.get(a.slug)!, { fields: null, count: false }));
    out.primary_author = (out.authors as Json[])[0] ?? null;
  }
  return out;
}

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", nbsp: ' ' };

/** The text of sanitised HTML, a block per line: Ghost's `plaintext` format. */
export function toPlainText(html: string): string {
  return html
    .replace(/<\/(p|h[1-6]|li|blockquote|pre|figure|figcaption|tr|div)>/gi, '\n')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (_, name: string) => ENTITIES[name]!)
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** `navigation`: the masthead's sections. */
export function toGhostSettings(site: SiteContext, navigation: readonly { href: string; text: string }[]): Json {
  const { siteUrl, siteTitle, siteDescription, siteLanguage, timeZone, publisherLogo } = site.settings;
  return {
    title: siteTitle,
    description: siteDescription,
    logo: absoluteUrl(siteUrl, publisherLogo),
    icon: absoluteUrl(siteUrl, '/favicon.svg'),
    accent_color: null,
    cover_image: null,
    facebook: null,
    twitter: null,
    lang: siteLanguage,
    locale: siteLanguage,
    timezone: timeZone,
    codeinjection_head: null,
    codeinjection_foot: null,
    navigation: navigation.map((link) => ({ label: link.text, url: absoluteUrl(siteUrl, link.href) })),
    secondary_navigation: [],
    ...UNSET_META_FIELDS,
    ...UNSET_SOCIAL_FIELDS,
    members_support_address: null,
    url: `${siteUrl}/`,
  };
}
