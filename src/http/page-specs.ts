// PageSpecs shared by several routes: the post page (also reached through permalinks
// from the not-found handler) and the error pages; and the answer for a post's URL.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { neighboursOf, type IndexSnapshot } from '../content/build-index.js';
import { bodyKey, MISSING_KEY, pageKey, postKey } from '../content/cache-keys.js';
import { lastChange, type Post } from '../content/post.js';
import { linkedPost } from '../content/post-links.js';
import { findRedirect } from '../content/redirects.js';
import { relatedStoriesOf } from '../content/related-posts.js';
import { bodyImageSources, renderBodyImages } from '../render/markdown/body-images.js';
import { toErrorPage, toPostPage } from '../render/pages/to-pages.js';
import { PendingPart, type PageSpec } from './page-cache.js';
import { collectPictures, leadSources } from './page-pictures.js';
import { sendContentRedirect } from './plain-responses.js';

/** Where the body goes in a post page rendered around it: unguessable, so no post can write it. */
const BODY_MARKER = `<!--body ${randomUUID()}-->`;

export function postPageSpec(app: FastifyInstance, post: Post): PageSpec {
  const snapshot = app.content.snapshot;
  const pictures = collectPictures(app);
  // Its neighbours' headlines and URLs are on it too (the previous and next links), and
  // the related stories' cards and the lists their fill came from: known once it is built.
  let shownKeys: readonly string[] = [];
  return {
    key: post.url,
    // The post itself, and the posts its body links to (their URLs are in it).
    keys: [pageKey(post), postKey(post), bodyKey(post), ...linkedKeys(snapshot, post)],
    lateKeys: () => [...shownKeys, ...pictures.keys()],
    template: 'pages/post',
    lastModified: lastChange(post),
    robots: post.noindex ? 'noindex' : null,
    build: async () => {
      // The body first: the Markdown worker renders it while this thread makes the page around it.
      const body = app.site.body(post, snapshot).then(async (html) => renderBodyImages(html, await pictures.lookup(bodyImageSources(html))));
      // Its failure is the render's (PendingPart), even when the lookup below fails first.
      body.catch(() => {});
      const neighbours = Object.values(neighboursOf(snapshot, post)).flatMap((n) => (n ? [n] : []));
      const related = relatedStoriesOf(snapshot, post, app.config.relatedPosts, neighbours);
      shownKeys = [...neighbours.map(postKey), ...related.posts.map(postKey), ...related.keys];
      const shown = await pictures.lookup(leadSources(snapshot, [post, ...related.posts]));
      return new PendingPart(toPostPage(app.site, snapshot, post, BODY_MARKER, shown, related.posts), BODY_MARKER, body);
    },
  };
}

/** The cards of the posts a body links to (`{% post_url %}`): their URLs are in it. */
export function linkedKeys(snapshot: IndexSnapshot, post: Post): string[] {
  return post.links.flatMap((link) => {
    const target = linkedPost(snapshot, link);
    return target ? [postKey(target)] : [];
  });
}

/** A live post's URL: its page, or a redirect when it has `redirect_to` (unless that loops). */
export function sendPost(app: FastifyInstance, reply: FastifyReply, post: Post): Promise<FastifyReply> | FastifyReply {
  if (post.redirectTo) {
    const answer = findRedirect(app.content.snapshot, post.url);
    if (answer?.kind === 'redirect') return sendContentRedirect(reply, answer.status, answer.location, app.cachePolicy.page);
  }
  return reply.sendPage(postPageSpec(app, post));
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
