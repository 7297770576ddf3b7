// PageSpecs shared by several routes: the post page (also reached through permalinks
// from the not-found handler) and the error pages.
import type { FastifyInstance } from 'fastify';
import type { IndexSnapshot } from '../content/build-index.js';
import { lastChange, type Post } from '../content/post.js';
import { toErrorPage, toPostPage } from '../render/to-pages.js';
import type { PageSpec } from './page-cache.js';

export function postPageSpec(app: FastifyInstance, post: Post): PageSpec {
  const snapshot = app.content.snapshot;
  return {
    template: 'pages/post',
    lastModified: lastChange(post),
    build: () => toPostPage(app.site, snapshot, post),
  };
}

export function errorPageSpec(app: FastifyInstance, status: 404 | 410): PageSpec {
  const snapshot = app.content.snapshot;
  return {
    template: 'errors/error',
    key: `error:${status}`,
    status,
    lastModified: newestChange(snapshot),
    build: () => toErrorPage(app.site, snapshot, status),
  };
}

/** The newest change among `posts`; the index's build time when there are none. */
export function newestChangeOf(posts: Iterable<Post>, fallback: Date): Date {
  let newest: Date | null = null;
  for (const post of posts) {
    const changed = lastChange(post);
    if (!newest || changed > newest) newest = changed;
  }
  return newest ?? fallback;
}

const newestBySnapshot = new WeakMap<IndexSnapshot, Date>();

/** Newest change on the whole site, once per snapshot (pages that show every post). */
export function newestChange(snapshot: IndexSnapshot): Date {
  let newest = newestBySnapshot.get(snapshot);
  if (!newest) {
    newest = newestChangeOf(snapshot.posts, snapshot.builtAt);
    newestBySnapshot.set(snapshot, newest);
  }
  return newest;
}
