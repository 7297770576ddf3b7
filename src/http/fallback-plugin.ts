// Everything past the routes: 405 for other methods, posts at custom permalinks, trailing-slash and old Jekyll `.html`
// redirects that never leave the site and only lead to pages that exist, 404 and 410
// pages, and the error handler with an error page that cannot itself fail.
import fp from 'fastify-plugin';
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { BodyUnavailableError, RenderBusyError, RenderFailedError, RenderTimeoutError } from '../render/markdown/render-pool.js';
import { toErrorPage } from '../render/pages/to-pages.js';
import { findRedirect } from '../content/redirects.js';
import { pageExists } from './page-exists.js';
import { errorPageSpec, sendPost } from './page-specs.js';
import { redirectPermanently, sendContentRedirect, sendPlain } from './plain-responses.js';

const JEKYLL_DATE_HTML = /\/(\d{4})\/(\d{2})\/(\d{2})\/([^/]+)\.html?$/;

async function fallbackPlugin(app: FastifyInstance): Promise<void> {
  app.setNotFoundHandler(async (request, reply) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return sendPlain(reply.header('allow', 'GET, HEAD'), 405, 'Method Not Allowed', app.cachePolicy.none);
    }
    const [path = '/', query] = splitUrl(request.url);
    const snapshot = app.content.snapshot;
    const post = snapshot.byUrl.get(path);
    if (post) return sendPost(app, reply, post);
    const target = redirectTarget(app, path);
    if (target) return redirectPermanently(reply, query === undefined ? target : `${target}?${query}`, app.cachePolicy.page);
    // An old address of a post (redirect_from, aliases, an old permalink), the site's
    // redirects.yaml, or a post that served here before: moved (301), expired or
    // unpublished (410, so crawlers drop it).
    const answer = findRedirect(snapshot, path, query);
    if (answer?.kind === 'redirect') return sendContentRedirect(reply, answer.status, answer.location, app.cachePolicy.page);
    if (answer?.kind === 'gone') return reply.sendPage(errorPageSpec(app, 410));
    // The old site's base path (`baseurl: /blog`): the same address at the root.
    const { baseUrl } = app.site.settings;
    if (baseUrl && path.startsWith(`${baseUrl}/`)) {
      return redirectPermanently(reply, `${path.slice(baseUrl.length)}${query === undefined ? '' : `?${query}`}`, app.cachePolicy.page);
    }
    return reply.sendPage(errorPageSpec(app, 404));
  });

  app.setErrorHandler(async (err: FastifyError, request, reply) => {
    // The post's body could not be rendered in time: the store has taken it off the
    // site (and logged why), so its URL now answers like any removed post.
    if (err instanceof RenderTimeoutError || err instanceof RenderFailedError) return reply.callNotFound();
    if (err instanceof RenderBusyError) {
      request.log.warn({ reason: err.message }, 'render queue full');
      return sendPlain(reply.header('retry-after', '1'), 503, 'Busy: try again in a moment.', app.cachePolicy.none);
    }
    // The file is being replaced (or a link swapped) and the store rechecks it: the post
    // is fine, so a retry in a second finds it, not an error page a CDN could keep.
    if (err instanceof BodyUnavailableError) {
      request.log.warn({ reason: err.message }, 'post body unavailable for now');
      return sendPlain(reply.header('retry-after', '1'), 503, 'This story is being updated: try again in a moment.', app.cachePolicy.none);
    }
    const status = err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 500) {
      request.log.error({ err }, 'request failed');
    } else {
      request.log.info({ status, code: err.code, reason: err.message }, 'request rejected');
    }
    // 403 comes from the static files plugin refusing a path: to a reader it is not found.
    if (status === 404 || status === 403) return reply.sendPage(errorPageSpec(app, 404));
    return sendErrorPage(app, reply, status);
  });
}

/**
 * Where a URL without its trailing slash (or with Jekyll's `.html`) lives, if
 * anywhere: only a page that exists, so `/tag/nope` is a 404 at once. The target is
 * always a path on this site: leading slashes and backslashes collapse, so
 * `//evil.example` can never become a redirect elsewhere.
 */
function redirectTarget(app: FastifyInstance, path: string): string | null {
  const byUrl = app.content.snapshot.byUrl;
  const local = `/${path.replace(/^[/\\]+/, '')}`;
  if (/\.html?$/i.test(local)) {
    const jekyll = JEKYLL_DATE_HTML.exec(local);
    const candidates = [local.replace(/\.html?$/i, '/')];
    if (jekyll) candidates.push(`/${jekyll[1]}/${jekyll[2]}/${jekyll[3]}/${jekyll[4]}/`);
    return candidates.find((c) => byUrl.has(c)) ?? null;
  }
  const target = local.endsWith('/') ? local : `${local}/`;
  if (target === path) return null;
  return byUrl.has(target) || pageExists(app, target) ? target : null;
}

function splitUrl(url: string): [string, string | undefined] {
  const q = url.indexOf('?');
  return q === -1 ? [url, undefined] : [url.slice(0, q), url.slice(q + 1)];
}

/** Error pages for failures: rendered fresh, never cached, and never failing in turn. */
export async function sendErrorPage(app: FastifyInstance, reply: FastifyReply, status: number): Promise<FastifyReply> {
  reply.code(status).header('cache-control', app.cachePolicy.none);
  try {
    // app.view, not reply.viewAsync: a reply made for a URL Fastify could not route lacks
    // the plugins' reply decorations.
    const html = await app.view('errors/error', toErrorPage(app.site, app.content.snapshot, status));
    return reply.type('text/html; charset=utf-8').send(html);
  } catch (err) {
    reply.log.error({ err }, 'error page failed to render');
    return reply.type('text/plain; charset=utf-8').send(status >= 500 ? 'Internal Server Error\n' : 'Bad Request\n');
  }
}

export default fp(fallbackPlugin, { name: 'fallbacks', dependencies: ['page-cache'] });
