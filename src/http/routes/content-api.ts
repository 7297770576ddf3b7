// A read-only, Ghost-compatible Content API under /ghost/api/content/: the part Ghost's
// JavaScript client and the headless starters call (posts, tags, authors, settings; an
// empty `pages`), answered from the same index as the pages. Thin controllers: check the
// parameters (a 400 in Ghost's error format names the bad one), look up, and hand a
// render to the page cache, which makes responses ETag'd, compressed, answered with 304
// and purged by their keys like pages. CORS is open (`*`): the content is public.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { FEED_KEY, HOME_KEY, MISSING_KEY, SEARCH_KEY, bodyKey, postKey, termIndexKey } from '../../content/cache-keys.js';
import { lastChange } from '../../content/post.js';
import { ApiError, apiErrorBody, parseApiQuery, type ApiQuery, type Resource } from '../../render/api/query.js';
import { ghostTagsOf, isListed, termId, toGhostSettings } from '../../render/api/resources.js';
import { renderAuthors, renderPost, renderPostList, renderTags, selectAuthors, selectPosts, selectTags } from '../../render/api/responses.js';
import { apiSlugsOf } from '../../render/api/slugs.js';
import { toChrome } from '../../render/pages/to-chrome.js';
import { redirectPermanently } from '../plain-responses.js';
import type { CachedSpec } from '../page-cache.js';

const BASE = '/ghost/api/content';
const JSON_TYPE = 'application/json; charset=utf-8';
export const CORS_HEADERS: Readonly<Record<string, string>> = { 'access-control-allow-origin': '*' };
/** What a cross-origin front-end may send: Ghost's client adds Accept-Version. */
const PREFLIGHT_HEADERS: Readonly<Record<string, string>> = {
  ...CORS_HEADERS,
  'access-control-allow-methods': 'GET, HEAD, OPTIONS',
  'access-control-allow-headers': 'Accept-Version, Content-Type, Authorization',
  'access-control-max-age': '86400',
};
/** An API URL without its trailing slash, which Ghost's routes all have. */
const UNSLASHED = /^\/ghost\/api\/content\/(?:posts|tags|authors|pages|settings)(?:\/slug\/[^/]+|\/[^/]+)?$/;

type Params = { slug?: string; id?: string };

export function sendApiError(app: FastifyInstance, reply: FastifyReply, err: ApiError): FastifyReply {
  return reply.code(err.statusCode).headers({ ...CORS_HEADERS, 'cache-control': app.cachePolicy.none }).type(JSON_TYPE).send(apiErrorBody(err));
}

/**
 * A client over the rate limit, in Ghost's error format and with CORS, so a front-end on
 * another origin can read why (a plain 429 without CORS is an opaque network error there).
 */
export function refuseApiRequest(app: FastifyInstance): (reply: FastifyReply, retryAfterSeconds: number) => FastifyReply {
  return (reply, retryAfterSeconds) =>
    sendApiError(app, reply.header('retry-after', String(retryAfterSeconds)), new ApiError(429, 'TooManyRequestsError', 'Too many requests: try again in a moment.'));
}

export default async function contentApiRoutes(app: FastifyInstance): Promise<void> {
  const maxLimit = app.config.apiMaxLimit;
  const notFound = (what: string) => new ApiError(404, 'NotFoundError', `${what} not found.`);

  const refuse = refuseApiRequest(app);
  /** A cached JSON response under the path and the parameters' canonical form. */
  const sendJson = (reply: FastifyReply, path: string, query: ApiQuery, spec: Omit<CachedSpec, 'contentType' | 'key' | 'expensive' | 'headers'>) =>
    reply.sendCached({ ...spec, key: query.canonical ? `${path}?${query.canonical}` : path, contentType: JSON_TYPE, expensive: true, refuse, headers: CORS_HEADERS });

  /** A route whose parameters are checked before its handler runs. */
  const route = (
    path: string,
    resource: Resource,
    single: boolean,
    handler: (request: FastifyRequest<{ Params: Params }>, reply: FastifyReply, query: ApiQuery) => FastifyReply | Promise<FastifyReply>,
  ) => {
    app.get<{ Params: Params }>(`${BASE}${path}`, (request, reply) => {
      let query: ApiQuery;
      try {
        query = parseApiQuery(resource, request.query as Record<string, string | undefined>, maxLimit, single);
      } catch (err) {
        // parseApiQuery throws only ApiError.
        return sendApiError(app, reply, err as ApiError);
      }
      return handler(request, reply, query);
    });
  };

  // Posts: lists carry the key of the list of every post (any post shown differently),
  // the term index keys (a renamed tag), and with bodies the key of any post's text;
  // one key each instead of one per post keeps the header small for `limit=all`.
  route('/posts/', 'posts', false, (request, reply, query) => {
    const snapshot = app.content.snapshot;
    const bodies = query.formats.size > 0 && (query.fields === null || query.fields.includes('html') || query.fields.includes('plaintext'));
    return sendJson(reply, request.url.split('?', 1)[0]!, query, {
      keys: [FEED_KEY, termIndexKey('categories'), termIndexKey('tags'), termIndexKey('authors'), ...(bodies ? [SEARCH_KEY] : [])],
      lastModified: snapshot.lastChange,
      render: () => renderPostList(app.site, snapshot, selectPosts(snapshot, query), query),
    });
  });

  const sendPost = (reply: FastifyReply, path: string, query: ApiQuery, find: () => ReturnType<ReturnType<typeof apiSlugsOf>['bySlug']>) => {
    const snapshot = app.content.snapshot;
    const post = find();
    if (!post || !isListed(post)) return sendApiError(app, reply, notFound('Post'));
    return sendJson(reply, path, query, {
      // Its slug depends on which URLs exist (render/api/slugs.ts).
      keys: [postKey(post), bodyKey(post), MISSING_KEY],
      lastModified: lastChange(post),
      render: () => renderPost(app.site, snapshot, post, query),
    });
  };
  route('/posts/slug/:slug/', 'posts', true, (request, reply, query) =>
    sendPost(reply, request.url.split('?', 1)[0]!, query, () => apiSlugsOf(app.content.snapshot).bySlug(request.params.slug!)));
  route('/posts/:id/', 'posts', true, (request, reply, query) => {
    return sendPost(reply, request.url.split('?', 1)[0]!, query, () => apiSlugsOf(app.content.snapshot).byId(request.params.id!));
  });

  // Tags and authors: names and counts (of listed posts: a hidden one changes the front
  // page's key).
  const termKeys = (kinds: readonly ('categories' | 'tags' | 'authors')[], query: ApiQuery) =>
    [...kinds.map(termIndexKey), ...(query.include.has('count.posts') ? [HOME_KEY] : [])];

  route('/tags/', 'tags', false, (request, reply, query) => {
    const snapshot = app.content.snapshot;
    return sendJson(reply, request.url.split('?', 1)[0]!, query, {
      keys: termKeys(['categories', 'tags'], query),
      lastModified: snapshot.lastChange,
      render: () => renderTags(app.site, selectTags(snapshot, query), query),
    });
  });
  const sendTag = (reply: FastifyReply, path: string, query: ApiQuery, slug: string | undefined) => {
    const snapshot = app.content.snapshot;
    const tag = slug === undefined ? undefined : ghostTagsOf(snapshot).bySlug.get(slug);
    if (!tag) return sendApiError(app, reply, notFound('Tag'));
    return sendJson(reply, path, query, {
      keys: termKeys(['categories', 'tags'], query),
      lastModified: snapshot.lastChange,
      render: () => renderTags(app.site, [tag], query, true),
    });
  };
  route('/tags/slug/:slug/', 'tags', true, (request, reply, query) => sendTag(reply, request.url.split('?', 1)[0]!, query, request.params.slug));
  route('/tags/:id/', 'tags', true, (request, reply, query) => {
    const tag = ghostTagsOf(app.content.snapshot).list.find((t) => termId('tag', t.slug) === request.params.id);
    return sendTag(reply, request.url.split('?', 1)[0]!, query, tag?.slug);
  });

  route('/authors/', 'authors', false, (request, reply, query) => {
    const snapshot = app.content.snapshot;
    return sendJson(reply, request.url.split('?', 1)[0]!, query, {
      keys: termKeys(['authors'], query),
      lastModified: snapshot.lastChange,
      render: () => renderAuthors(app.site, snapshot, selectAuthors(snapshot, query), query),
    });
  });
  const sendAuthor = (reply: FastifyReply, path: string, query: ApiQuery, slug: string | undefined) => {
    const snapshot = app.content.snapshot;
    const author = slug === undefined ? undefined : snapshot.authors.bySlug.get(slug);
    if (!author) return sendApiError(app, reply, notFound('Author'));
    return sendJson(reply, path, query, {
      keys: termKeys(['authors'], query),
      lastModified: snapshot.lastChange,
      render: () => renderAuthors(app.site, snapshot, [author], query, true),
    });
  };
  route('/authors/slug/:slug/', 'authors', true, (request, reply, query) => sendAuthor(reply, request.url.split('?', 1)[0]!, query, request.params.slug));
  route('/authors/:id/', 'authors', true, (request, reply, query) => {
    const author = app.content.snapshot.authors.terms.find((a) => termId('author', a.slug) === request.params.id);
    return sendAuthor(reply, request.url.split('?', 1)[0]!, query, author?.slug);
  });

  // Pages (Ghost's static pages): this site has none, but starters ask.
  route('/pages/', 'posts', false, (request, reply, query) =>
    sendJson(reply, request.url.split('?', 1)[0]!, query, {
      keys: [],
      lastModified: app.content.snapshot.lastChange,
      render: () => renderPostList(app.site, app.content.snapshot, [], query, 'pages'),
    }));
  route('/pages/slug/:slug/', 'posts', true, (_request, reply) => sendApiError(app, reply, notFound('Page')));

  // The masthead's sections are the navigation: SITE_KEY (on every response) follows them.
  app.get(`${BASE}/settings/`, (_request, reply) => {
    const snapshot = app.content.snapshot;
    return reply.sendCached({
      key: `${BASE}/settings/`,
      keys: [],
      contentType: JSON_TYPE,
      headers: CORS_HEADERS,
      lastModified: snapshot.lastChange,
      render: () => JSON.stringify({ settings: toGhostSettings(app.site, toChrome(app.site, snapshot, '').nav.slice(0, -1)), meta: {} }),
    });
  });

  // Browsers ask before sending Accept-Version across origins.
  app.options(`${BASE}/*`, (_request, reply) => reply.code(204).headers({ ...PREFLIGHT_HEADERS, 'cache-control': app.cachePolicy.page }).send());

  // Anything else under the API: Ghost's 404, or the trailing slash its routes have.
  app.get(`${BASE}/*`, (request, reply) => {
    const [path = '', query] = request.url.split('?', 2);
    // With CORS: a browser follows a cross-origin redirect only when it may read it.
    if (UNSLASHED.test(path)) return redirectPermanently(reply.headers(CORS_HEADERS), `${path}/${query === undefined ? '' : `?${query}`}`, app.cachePolicy.page);
    return sendApiError(app, reply, new ApiError(404, 'NotFoundError', 'Resource not found.'));
  });
}
