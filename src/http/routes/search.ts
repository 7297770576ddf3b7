// /search/?q=…: full-text search over the published posts, paginated, never indexed
// by search engines, rate limited when the result is not already cached.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { newestChangeOf } from '../../content/post.js';
import { paginate, parsePageNumber } from '../../render/pages/pagination.js';
import { SEARCH_KEY } from '../../content/cache-keys.js';
import { createSearchIndex } from '../../search/search-index.js';
import { normalizeQuery } from '../../search/search-text.js';
import { searchUrl, toSearchPage } from '../../render/pages/to-search-page.js';
import { collectPictures, leadSources } from '../page-pictures.js';
import { sendTooManyRequests } from '../security-plugin.js';

interface SearchQuery {
  q?: string;
  page?: string;
}

export default async function searchRoutes(app: FastifyInstance): Promise<void> {
  const index = createSearchIndex((terms, limit) => app.content.search(terms, limit));

  app.get('/search/', async (request: FastifyRequest<{ Querystring: SearchQuery }>, reply) => {
    // Every parameter is its first value (request-target.ts), no longer than the URL the
    // request guard let in. A page that is not a number is a page not found; a long
    // query is cut, not refused (normalizeQuery): a pasted sentence still finds something.
    const pageNumber = parsePageNumber(request.query.page);
    if (pageNumber === null) return reply.callNotFound();
    const query = normalizeQuery(request.query.q);
    const snapshot = app.content.snapshot;
    const fresh = query !== '' && !index.has(snapshot, query);
    if (fresh) {
      const wait = await app.limitExpensive(request);
      if (wait !== null) return sendTooManyRequests(app, reply, wait);
    }
    const started = performance.now();
    const results = query ? await index.search(snapshot, query) : [];
    if (fresh) app.metrics.searched((performance.now() - started) / 1000);
    const page = paginate(results, pageNumber, app.site.settings.pageSize, (n) => searchUrl(query, n));
    if (!page) return reply.callNotFound();
    const pictures = collectPictures(app);
    return reply.sendPage({
      key: searchUrl(query, pageNumber),
      keys: [SEARCH_KEY],
      lateKeys: pictures.keys,
      template: 'pages/search',
      lastModified: newestChangeOf(page.items, snapshot.lastChange),
      build: async () => toSearchPage(app.site, snapshot, query, results.length, page, await pictures.lookup(leadSources(snapshot, page.items))),
    });
  });
}
