// /search.json?q=…: the search page's results as JSON, for front-ends and apps: the same
// query rules, ranking and pages (PAGE_SIZE a page), cached under the query's canonical
// form and rate limited when it must be searched, like the page.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { SEARCH_KEY } from '../../content/cache-keys.js';
import { ApiError } from '../../render/api/query.js';
import { pageOf } from '../../render/api/responses.js';
import { toSearchResults } from '../../render/api/search-results.js';
import { createSearchIndex } from '../../search/search-index.js';
import { normalizeQuery } from '../../search/search-text.js';
import { CORS_HEADERS, refuseApiRequest, sendApiError } from './content-api.js';

interface SearchQuery {
  q?: string;
  page?: string;
}

export default async function searchJsonRoutes(app: FastifyInstance): Promise<void> {
  const index = createSearchIndex((terms, limit) => app.content.search(terms, limit));
  const refuse = refuseApiRequest(app);

  app.get('/search.json', (request: FastifyRequest<{ Querystring: SearchQuery }>, reply) => {
    const rawPage = request.query.page ?? '1';
    if (!/^[1-9]\d{0,8}$/.test(rawPage)) {
      return sendApiError(app, reply, new ApiError(400, 'BadRequestError', `Validation error, cannot read page: ${JSON.stringify(rawPage)} is not a whole number from 1.`, 'Invalid value for the "page" query parameter.'));
    }
    const query = normalizeQuery(request.query.q);
    const page = Number(rawPage);
    const params = new URLSearchParams();
    if (query) params.set('q', query);
    if (page > 1) params.set('page', String(page));
    const canonical = params.toString();
    const snapshot = app.content.snapshot;
    return reply.sendCached({
      key: canonical ? `/search.json?${canonical}` : '/search.json',
      keys: [SEARCH_KEY],
      expensive: query !== '',
      refuse,
      contentType: 'application/json; charset=utf-8',
      headers: CORS_HEADERS,
      lastModified: snapshot.lastChange,
      render: async () => {
        const results = query ? await index.search(snapshot, query) : [];
        const { items, pagination } = pageOf(results, { limit: app.site.settings.pageSize, page, all: false });
        return JSON.stringify({ query, results: toSearchResults(app.site, snapshot, items), meta: { pagination } });
      },
    });
  });
}
