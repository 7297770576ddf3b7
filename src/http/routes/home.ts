// The front page and its pagination: the featured block (newest featured posts, the
// newest as the lead; else the newest post as the lead), then every other post not
// hidden, PAGE_SIZE a page.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { frontPageOf } from '../../render/pages/front-page.js';
import { paginate, parsePageNumber } from '../../render/pages/pagination.js';
import { toHomePage } from '../../render/pages/to-pages.js';
import { pagedUrl } from '../../render/urls.js';
import { HOME_KEY, postKey } from '../../content/cache-keys.js';
import { newestChangeOf } from '../../content/post.js';
import { collectPictures, leadSources } from '../page-pictures.js';
import { redirectPermanently } from '../plain-responses.js';

export default async function homeRoutes(app: FastifyInstance): Promise<void> {
  const sendHome = (reply: FastifyReply, pageNumber: number) => {
    const snapshot = app.content.snapshot;
    const { lead, featured, rest } = frontPageOf(snapshot, app.site.settings.featuredSize);
    const page = paginate(rest, pageNumber, app.site.settings.pageSize, (n) => pagedUrl('/', n));
    if (!page) return reply.callNotFound();
    const block = pageNumber === 1 && lead ? [lead, ...featured] : [];
    const shown = [...block, ...page.items];
    const pictures = collectPictures(app);
    return reply.sendPage({
      key: pagedUrl('/', pageNumber),
      keys: [HOME_KEY, ...shown.map(postKey)],
      lateKeys: pictures.keys,
      template: 'pages/listing',
      lastModified: newestChangeOf(shown, snapshot.lastChange),
      build: async () => toHomePage(app.site, snapshot, block, page, await pictures.lookup(leadSources(snapshot, shown))),
    });
  };

  app.get('/', (_request, reply) => sendHome(reply, 1));

  app.get<{ Params: { n: string } }>('/page/:n/', (request, reply) => {
    const n = parsePageNumber(request.params.n);
    if (n === 1) return redirectPermanently(reply, '/', app.cachePolicy.page);
    return n === null ? reply.callNotFound() : sendHome(reply, n);
  });
}
