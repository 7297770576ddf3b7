// PageSpecs shared by several routes: the post page (also reached through permalinks
// from the not-found handler) and the error pages.
import type { FastifyInstance } from 'fastify';
import { neighboursOf } from '../content/build-index.js';
import { bodyKey, MISSING_KEY, pageKey, postKey } from '../content/cache-keys.js';
import { lastChange, type Post } from '../content/post.js';
import { bodyImageSources } from '../render/body-images.js';
import { toErrorPage, toPostPage } from '../render/to-pages.js';
import type { PageSpec } from './page-cache.js';
import { collectPictures, leadSources } from './page-pictures.js';

export function postPageSpec(app: FastifyInstance, post: Post): PageSpec {
  const snapshot = app.content.snapshot;
  const pictures = collectPictures(app);
  return {
    key: post.url,
    // Its neighbours' headlines and URLs are on it too (the previous and next links).
    keys: [pageKey(post), postKey(post), bodyKey(post), ...Object.values(neighboursOf(snapshot, post)).flatMap((n) => (n ? [postKey(n)] : []))],
    lateKeys: pictures.keys,
    template: 'pages/post',
    lastModified: lastChange(post),
    build: async () => {
      const html = await app.site.body(post);
      const shown = await pictures.lookup([...leadSources(snapshot, [post]), ...bodyImageSources(html)]);
      return toPostPage(app.site, snapshot, post, html, shown);
    },
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
