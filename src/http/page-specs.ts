// PageSpecs shared by several routes: the post page (also reached through permalinks
// from the not-found handler) and the error pages.
import type { FastifyInstance } from 'fastify';
import { lastChange, type Post } from '../content/post.js';
import { toErrorPage, toPostPage } from '../render/to-pages.js';
import type { PageSpec } from './page-cache.js';

export function postPageSpec(app: FastifyInstance, post: Post): PageSpec {
  const snapshot = app.content.snapshot;
  return {
    key: post.url,
    template: 'pages/post',
    lastModified: lastChange(post),
    build: async () => toPostPage(app.site, snapshot, post, await app.site.body(post)),
  };
}

export function errorPageSpec(app: FastifyInstance, status: 404 | 410): PageSpec {
  const snapshot = app.content.snapshot;
  return {
    template: 'errors/error',
    key: `error:${status}`,
    status,
    lastModified: snapshot.lastChange,
    build: () => toErrorPage(app.site, snapshot, status),
  };
}
