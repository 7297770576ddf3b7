// Feeds: Atom at /feed.xml (jekyll-feed's path, so subscribers keep working), RSS 2.0
// at /rss.xml, JSON Feed 1.1 at /feed.json, and an Atom feed per section, tag and author.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TaxonomyKind } from '../../content/build-index.js';
import { newestChangeOf } from '../../content/post.js';
import { FEED_CONTENT_TYPES, renderFeed, type FeedFormat, type FeedScope } from '../../render/feeds.js';
import { TAXONOMY_SEGMENT, termUrl } from '../../render/urls.js';

const SITE_FEEDS: readonly [string, FeedFormat][] = [
  ['/feed.xml', 'atom'],
  ['/rss.xml', 'rss'],
  ['/feed.json', 'json'],
];

const TERM_LABELS: Readonly<Record<TaxonomyKind, string>> = { categories: 'Section', tags: 'Tag', authors: 'Author' };

export default async function feedRoutes(app: FastifyInstance): Promise<void> {
  const sendFeed = (reply: FastifyReply, format: FeedFormat, scope: FeedScope) => {
    const snapshot = app.content.snapshot;
    return reply.sendCached({
      key: scope.feedPath,
      expensive: true,
      contentType: FEED_CONTENT_TYPES[format],
      lastModified: newestChangeOf(scope.posts.slice(0, app.site.settings.feedSize), snapshot.lastChange),
      render: () => renderFeed(format, app.site, snapshot, scope),
    });
  };

  for (const [path, format] of SITE_FEEDS) {
    app.get(path, (_request, reply) => {
      const { siteTitle, siteDescription } = app.site.settings;
      return sendFeed(reply, format, {
        title: siteTitle,
        description: siteDescription,
        pagePath: '/',
        feedPath: path,
        posts: app.content.snapshot.posts,
      });
    });
  }

  for (const kind of ['categories', 'tags', 'authors'] as const) {
    app.get(`/${TAXONOMY_SEGMENT[kind]}/:slug/feed.xml`, (request: FastifyRequest<{ Params: { slug: string } }>, reply) => {
      const term = app.content.snapshot[kind].bySlug.get(request.params.slug);
      if (!term) return reply.callNotFound();
      const { siteTitle } = app.site.settings;
      const pagePath = termUrl(kind, term.slug);
      return sendFeed(reply, 'atom', {
        title: `${term.name} – ${siteTitle}`,
        description: `${TERM_LABELS[kind]}: ${term.name}. The latest stories on ${siteTitle}.`,
        pagePath,
        feedPath: `${pagePath}feed.xml`,
        posts: term.posts,
      });
    });
  }
}
