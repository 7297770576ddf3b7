// PageSpecs shared by several routes: the post page (also reached through permalinks
// from the not-found handler) and the error pages.
import type { FastifyInstance } from 'fastify';
import { neighboursOf } from '../content/build-index.js';
import { bodyKey, MISSING_KEY, pageKey, postKey } from '../content/cache-keys.js';
import { lastChange, type Post } from '../content/post.js';
import { relatedStoriesOf } from '../content/related-posts.js';
import { toErrorPage, toPostPage } from '../render/to-pages.js';
import type { PageSpec } from './page-cache.js';

export function postPageSpec(app: FastifyInstance, post: Post): PageSpec {
  const snapshot = app.content.snapshot;
  const neighbours = Object.values(neighboursOf(snapshot, post)).flatMap((n) => (n ? [n] : []));
  // Related stories: their cards, and the lists their fill came from, are on it too.
  const related = relatedStoriesOf(snapshot, post, app.config.relatedPosts, neighbours);
  return {
    key: post.url,
    // Its neighbours' headlines and URLs are on it too (the previous and next links).
    keys: [pageKey(post), postKey(post), bodyKey(post), ...neighbours.map(postKey), ...related.posts.map(postKey), ...related.keys],
    template: 'pages/post',
    lastModified: lastChange(post),
    build: async () => toPostPage(app.site, snapshot, post, await app.site.body(post), related.posts),
  };
}

export function errorPageSpec(app: FastifyInstance, status: 404 | 410): PageSpec {
  const snapshot = app.content.snapshot;
  return {
    template: 'errors/error',
    key: `error:${status}`,
    keys: [MISSING_KEY],
    status,
    lastModified: snapshot.lastChange,
    build: () => toErrorPage(app.site, snapshot, status),
  };
}
