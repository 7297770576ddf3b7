// /sitemap.xml (a sitemap, or an index of parts once the site outgrows one file),
// /sitemap-N.xml parts, the Google News sitemap and robots.txt.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { IndexSnapshot } from '../../content/build-index.js';
import { NEWS_KEY, SITEMAP_KEY } from '../../content/cache-keys.js';
import { newestChangeOf } from '../../content/post.js';
import { newsPosts, renderRobots, sitemapPart, sitemapPartCount } from '../../render/syndication/sitemap-entries.js';
import { parsePageNumber } from '../../render/pages/pagination.js';
import { collectPictures } from '../page-pictures.js';

/** The XML writers (and the `sitemap` library) load on the first sitemap, not at startup. */
const writers = () => import('../../render/syndication/sitemaps.js');

const XML = 'application/xml; charset=utf-8';

export default async function sitemapRoutes(app: FastifyInstance): Promise<void> {
  /** One part of the sitemap, with its lead images' facts (their keys follow the files). */
  const sendPart = (reply: FastifyReply, snapshot: IndexSnapshot, n: number) => {
    const pictures = collectPictures(app);
    return reply.sendCached({
      keys: [SITEMAP_KEY],
      lateKeys: pictures.keys,
      expensive: true,
      contentType: XML,
      lastModified: snapshot.lastChange,
      render: async () => {
        const entries = sitemapPart(app.site, snapshot, n);
        const local = entries.flatMap((e) => (e.image?.local ? [e.image.src] : []));
        return (await writers()).renderSitemap(app.site, entries, await pictures.lookup(local));
      },
    });
  };

  app.get('/sitemap.xml', (_request, reply) => {
    const snapshot = app.content.snapshot;
    if (sitemapPartCount(app.site, snapshot) === 1) return sendPart(reply, snapshot, 1);
    return reply.sendCached({
      keys: [SITEMAP_KEY],
      expensive: true,
      contentType: XML,
      lastModified: snapshot.lastChange,
      render: async () => (await writers()).renderSitemapIndex(app.site, snapshot),
    });
  });

  app.get('/sitemap-:n(^\\d+$).xml', (request: FastifyRequest<{ Params: { n: string } }>, reply) => {
    const snapshot = app.content.snapshot;
    const n = parsePageNumber(request.params.n);
    const parts = sitemapPartCount(app.site, snapshot);
    // With one part the sitemap is /sitemap.xml itself.
    if (n === null || parts === 1 || n > parts) return reply.callNotFound();
    return sendPart(reply, snapshot, n);
  });

  app.get('/news-sitemap.xml', (_request, reply) => {
    const snapshot = app.content.snapshot;
    // The 48-hour window moves with the clock, not only with the index: the posts
    // it holds (a newest-first prefix, so their count says which) are part of the key.
    const posts = newsPosts(snapshot, new Date());
    return reply.sendCached({
      expensive: true,
      // Not a path: a request line can never name it.
      key: `news-sitemap:${posts.length}`,
      keys: [NEWS_KEY],
      timely: true,
      contentType: XML,
      lastModified: newestChangeOf(posts, snapshot.lastChange),
      render: async () => (await writers()).renderNewsSitemap(app.site, posts),
    });
  });

  app.get('/robots.txt', (_request, reply) =>
    reply.sendCached({
      keys: [],
      contentType: 'text/plain; charset=utf-8',
      lastModified: app.content.snapshot.lastChange,
      render: () => renderRobots(app.site),
    }),
  );
}
