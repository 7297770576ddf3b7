// The Content API's response bodies, from one index snapshot: posts (filtered, ordered,
// a page of them, with `meta.pagination`), one post, tags, authors, settings. Post
// bodies are rendered by the Markdown worker as for the post pages, a batch at a time
// (a `limit=all` must not fill the render queue that pages wait in).
import type { IndexSnapshot, Term } from '../../content/build-index.js';
import { compareNewestFirst, compareText, type Post } from '../../content/post.js';
import { matchesFilter, requiredValues, type FieldValues, type FilterNode } from './filter.js';
import type { ApiQuery, OrderTerm } from './query.js';
import {
  countListed,
  countOfTag,
  ghostTagSlugsOf,
  ghostTagsOf,
  isListed,
  termId,
  toGhostAuthor,
  toGhostPost,
  toGhostTag,
  type GhostTag,
  type Json,
} from './resources.js';
import { apiSlugsOf } from './slugs.js';
import type { SiteContext } from '../site-context.js';

/** A body, and whether every post body in it could be rendered (else it is not cached). */
export interface ApiBody {
  readonly text: string;
  readonly complete: boolean;
}

/** Bodies sent to the Markdown worker at once. */
const BODY_BATCH = 64;

interface Pagination {
  readonly page: number;
  readonly limit: number | 'all';
  readonly pages: number;
  readonly total: number;
  readonly next: number | null;
  readonly prev: number | null;
}

/** A page of `items`; a page past the last is empty, as Ghost answers it. */
export function pageOf<T>(items: readonly T[], query: Pick<ApiQuery, 'limit' | 'page' | 'all'>): { items: readonly T[]; pagination: Pagination } {
  const total = items.length;
  const pages = Math.max(1, Math.ceil(total / query.limit));
  const { page, limit } = query;
  return {
    items: items.slice((page - 1) * limit, page * limit),
    pagination: {
      page,
      // `all` while everything fits under the cap, as Ghost reports it.
      limit: query.all && total <= limit ? 'all' : limit,
      pages,
      total,
      next: page < pages ? page + 1 : null,
      prev: page > 1 ? Math.min(page - 1, pages) : null,
    },
  };
}

/** What a post's fields hold, for filters. */
function postValues(snapshot: IndexSnapshot, post: Post): FieldValues {
  return (field) => {
    switch (field) {
      case 'tag':
      case 'tags':
      case 'tags.slug':
        return ghostTagSlugsOf(post);
      case 'primary_tag':
      case 'primary_tag.slug':
        return ghostTagSlugsOf(post)[0] ?? null;
      case 'author':
      case 'authors':
      case 'authors.slug':
        return post.authors.map((a) => a.slug);
      case 'primary_author':
      case 'primary_author.slug':
        return post.authors[0]?.slug ?? null;
      case 'featured':
        return String(post.featured);
      case 'slug':
        return apiSlugsOf(snapshot).slugOf(post);
      case 'id':
        return post.id;
      case 'published_at':
      case 'created_at':
        return post.date.toISOString();
      case 'updated_at':
        return (post.updated ?? post.date).toISOString();
      case 'status':
        return 'published';
      default: // visibility: every post is public
        return 'public';
    }
  };
}

/**
 * The posts a filter starts from: a tag's or author's own list when the filter asks for
 * exactly one (the common case: no scan of every post), else every listed post.
 */
function startingPosts(snapshot: IndexSnapshot, filter: FilterNode | null): Iterable<Post> {
  const required = filter ? requiredValues(filter) : new Map<string, readonly string[]>();
  for (const field of ['tag', 'tags', 'tags.slug', 'primary_tag', 'primary_tag.slug']) {
    const values = required.get(field);
    if (values?.length === 1) {
      const tag = ghostTagsOf(snapshot).bySlug.get(values[0]!);
      if (!tag) return [];
      return tag.terms.length === 1 ? tag.terms[0]!.posts : [...new Set(tag.terms.flatMap((t) => t.posts))].sort(compareNewestFirst);
    }
  }
  for (const field of ['author', 'authors', 'authors.slug', 'primary_author', 'primary_author.slug']) {
    const values = required.get(field);
    if (values?.length === 1) return snapshot.authors.bySlug.get(values[0]!)?.posts ?? [];
  }
  return snapshot.frontPage;
}

function postOrder(snapshot: IndexSnapshot, order: readonly OrderTerm[]): (a: Post, b: Post) => number {
  const slugs = apiSlugsOf(snapshot);
  const key = (post: Post, field: string): string | number => {
    switch (field) {
      case 'published_at':
      case 'created_at':
        return post.date.getTime();
      case 'updated_at':
        return (post.updated ?? post.date).getTime();
      case 'title':
        return post.title.toLowerCase();
      case 'slug':
        return slugs.slugOf(post);
      case 'id':
        return post.id;
      case 'featured':
        return post.featured ? 1 : 0;
      default: // reading_time
        return post.readingMinutes;
    }
  };
  return (a, b) => {
    for (const { field, descending } of order) {
      const x = key(a, field);
      const y = key(b, field);
      if (x !== y) return (x < y ? -1 : 1) * (descending ? -1 : 1);
    }
    return compareNewestFirst(a, b);
  };
}

/** Listed posts that pass the filter, in the order asked. */
export function selectPosts(snapshot: IndexSnapshot, query: ApiQuery): readonly Post[] {
  const filter = query.filter;
  const posts: Post[] = [];
  for (const post of startingPosts(snapshot, filter)) if (isListed(post) && (!filter || matchesFilter(filter, postValues(snapshot, post)))) posts.push(post);
  const byDate = query.order.length === 1 && query.order[0]!.field === 'published_at';
  if (byDate && query.order[0]!.descending) return posts;
  return byDate ? posts.reverse() : posts.sort(postOrder(snapshot, query.order));
}

/** Rendered bodies of `posts` when the response shows them, null for one that could not be had. */
async function bodiesOf(site: SiteContext, snapshot: IndexSnapshot, posts: readonly Post[], query: ApiQuery): Promise<(string | null)[] | null> {
  const shown = query.fields === null || query.fields.some((f) => f === 'html' || f === 'plaintext');
  if (!shown || query.formats.size === 0) return null;
  const bodies: (string | null)[] = [];
  for (let i = 0; i < posts.length; i += BODY_BATCH) {
    bodies.push(...(await Promise.all(posts.slice(i, i + BODY_BATCH).map((post) => site.body(post, snapshot).catch(() => null)))));
  }
  return bodies;
}

async function toPosts(site: SiteContext, snapshot: IndexSnapshot, posts: readonly Post[], query: ApiQuery): Promise<{ json: Json[]; complete: boolean }> {
  const bodies = await bodiesOf(site, snapshot, posts, query);
  const shape = (i: number) => ({
    fields: query.fields,
    tags: query.include.has('tags'),
    authors: query.include.has('authors'),
    // A body that could not be had is sent as null and the response is not cached.
    html: bodies ? (bodies[i] ?? null) : null,
    formats: bodies ? query.formats : new Set<string>(),
  });
  const json = posts.map((post, i) => toGhostPost(site, snapshot, post, shape(i)));
  if (bodies && bodies.some((b) => b === null)) {
    for (const [i, item] of json.entries()) if (bodies[i] === null) for (const format of query.formats) item[format] = null;
    return { json, complete: false };
  }
  return { json, complete: true };
}

/** `name`: `pages` for Ghost's pages, which share the posts' shape. */
export async function renderPostList(site: SiteContext, snapshot: IndexSnapshot, posts: readonly Post[], query: ApiQuery, name = 'posts'): Promise<ApiBody> {
  const page = pageOf(posts, query);
  const { json, complete } = await toPosts(site, snapshot, page.items, query);
  return { text: JSON.stringify({ [name]: json, meta: { pagination: page.pagination } }), complete };
}

/** One post, as Ghost answers a read: no `meta`. */
export async function renderPost(site: SiteContext, snapshot: IndexSnapshot, post: Post, query: ApiQuery): Promise<ApiBody> {
  const { json, complete } = await toPosts(site, snapshot, [post], query);
  return { text: JSON.stringify({ posts: json }), complete };
}

function termValues(slug: string, name: string, kind: 'tag' | 'author'): FieldValues {
  return (field) => (field === 'slug' ? slug : field === 'name' ? name : field === 'id' ? termId(kind, slug) : 'public');
}

function termOrder<T>(order: readonly OrderTerm[], fieldsOf: (item: T) => { name: string; slug: string; id: string; count: () => number }): (a: T, b: T) => number {
  return (a, b) => {
    const x = fieldsOf(a);
    const y = fieldsOf(b);
    for (const { field, descending } of order) {
      const p = field === 'count.posts' ? x.count() : field === 'name' ? x.name.toLowerCase() : field === 'slug' ? x.slug : x.id;
      const q = field === 'count.posts' ? y.count() : field === 'name' ? y.name.toLowerCase() : field === 'slug' ? y.slug : y.id;
      if (p !== q) return (p < q ? -1 : 1) * (descending ? -1 : 1);
    }
    return compareText(x.slug, y.slug);
  };
}

/** `name asc` alone: the order the index keeps terms in already (by name, as the /tags/ page lists them). */
function byNameOnly(order: readonly OrderTerm[]): boolean {
  return order.length === 1 && order[0]!.field === 'name' && !order[0]!.descending;
}

export function selectTags(snapshot: IndexSnapshot, query: ApiQuery): readonly GhostTag[] {
  const filter = query.filter;
  const tags = ghostTagsOf(snapshot).list.filter((tag) => !filter || matchesFilter(filter, termValues(tag.slug, tag.name, 'tag')));
  if (byNameOnly(query.order)) return tags;
  const counts = new Map<GhostTag, number>();
  const count = (tag: GhostTag) => counts.get(tag) ?? counts.set(tag, countOfTag(tag)).get(tag)!;
  return tags.sort(termOrder(query.order, (tag: GhostTag) => ({ name: tag.name, slug: tag.slug, id: termId('tag', tag.slug), count: () => count(tag) })));
}

export function selectAuthors(snapshot: IndexSnapshot, query: ApiQuery): readonly Term[] {
  const filter = query.filter;
  const authors = snapshot.authors.terms.filter((a) => !filter || matchesFilter(filter, termValues(a.slug, a.name, 'author')));
  if (byNameOnly(query.order)) return authors;
  const counts = new Map<Term, number>();
  const count = (a: Term) => counts.get(a) ?? counts.set(a, countListed(a.posts)).get(a)!;
  return authors.sort(termOrder(query.order, (a: Term) => ({ name: a.name, slug: a.slug, id: termId('author', a.slug), count: () => count(a) })));
}

export function renderTags(site: SiteContext, tags: readonly GhostTag[], query: ApiQuery, single = false): string {
  const page = pageOf(tags, query);
  const json = page.items.map((tag) => toGhostTag(site, tag, { fields: query.fields, count: query.include.has('count.posts') }));
  return JSON.stringify(single ? { tags: json } : { tags: json, meta: { pagination: page.pagination } });
}

export function renderAuthors(site: SiteContext, snapshot: IndexSnapshot, authors: readonly Term[], query: ApiQuery, single = false): string {
  const page = pageOf(authors, query);
  const json = page.items.map((author) => toGhostAuthor(site, snapshot, author, { fields: query.fields, count: query.include.has('count.posts') }));
  return JSON.stringify(single ? { authors: json } : { authors: json, meta: { pagination: page.pagination } });
}
