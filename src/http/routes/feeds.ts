// Feeds: Atom at /feed.xml (jekyll-feed's path, so subscribers keep working), RSS 2.0
// at /rss.xml, JSON Feed 1.1 at /feed.json, and an Atom feed per section, tag and author.
// The feed writer (feedsmith) is loaded on the first feed, not at startup.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TaxonomyKind } from '../../content/build-index.js';
import { bodyKey, FEED_KEY, postKey, termKey } from '../../content/cache-keys.js';
import { newestChangeOf } from '../../content/post.js';
import type { FeedFormat, FeedScope } from '../../render/syndication/feeds.js';
import { TAXONOMY_SEGMENT, termUrl } from '../../render/urls.js';
import { linkedKeys } from '../page-specs.js';
import { collectPictures } from '../page-pictures.js';

const SITE_FEEDS: readonly [string, FeedFormat][] = [
  ['/feed.xml', 'atom'],
  ['/rss.xml', 'rss'],
  ['/feed.json', 'json'],
];

const FEED_CONTENT_TYPES: Readonly<Record<FeedFormat, string>> = {
  atom: 'application/atom+xml; charset=utf-8',
  rss: 'application/rss+xml; charset=utf-8',
  json: 'application/feed+json; charset=utf-8',
};

const TERM_LABELS: Readonly<Record<TaxonomyKind, string>> = { categories: 'Section', tags: 'Tag', authors: 'Author' };

export default async function feedRoutes(app: FastifyInstance): Promise<void> {
  const sendFeed = (reply: FastifyReply, format: FeedFormat, scope: FeedScope, key: string) => {
    const snapshot = app.content.snapshot;
    const items = scope.posts.slice(0, app.site.settings.feedSize);
    const pictures = collectPictures(app);
    return reply.sendCached({
      key: scope.feedPath,
      keys: [key, ...items.flatMap((post) => [postKey(post), bodyKey(post), ...linkedKeys(snapshot, post)])],
      lateKeys: pictures.keys,
      expensive: true,
      contentType: FEED_CONTENT_TYPES[format],
      lastModified: newestChangeOf(items, snapshot.lastChange),
      render: async () => (await import('../../render/syndication/feeds.js')).renderFeed(format, app.site, snapshot, scope, pictures.lookup),
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
      }, FEED_KEY);
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
      }, termKey(kind, term.slug));
    });
  }
}
