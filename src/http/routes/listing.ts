// The shared path of every paginated listing (section, tag, author, date archive):
// page number checks, the /page/1/ redirect, 404 past the last page, and the page sent
// under its canonical URL as cache key.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { postKey } from '../../content/cache-keys.js';
import type { ImageLookup } from '../../images/image-lookup.js';
import { newestChangeOf, type Post } from '../../content/post.js';
import { paginate, parsePageNumber, type Page } from '../../render/pages/pagination.js';
import { pagedUrl } from '../../render/urls.js';
import { collectPictures, leadSources } from '../page-pictures.js';
import { redirectPermanently } from '../plain-responses.js';

export interface ListingRequest {
  /** The listing's first page, e.g. `/category/world/`. */
  readonly base: string;
  /** The listing's cache key (cache-keys.ts). */
  readonly key: string;
  readonly posts: readonly Post[];
  /** The `:n` of `page/:n/`; undefined on the first page. */
  readonly rawPage: string | undefined;
  readonly build: (page: Page<Post>, pictures: ImageLookup) => object;
  /** Other public pictures the page shows (an author's avatar). */
  readonly pictures?: readonly string[];
}

export function sendListing(app: FastifyInstance, reply: FastifyReply, listing: ListingRequest) {
  const pageNumber = parsePageNumber(listing.rawPage);
  if (pageNumber === null) return reply.callNotFound();
  if (listing.rawPage === '1') return redirectPermanently(reply, listing.base, app.cachePolicy.page);
  const page = paginate(listing.posts, pageNumber, app.site.settings.pageSize, (n) => pagedUrl(listing.base, n));
  if (!page) return reply.callNotFound();
  const snapshot = app.content.snapshot;
  const pictures = collectPictures(app);
  return reply.sendPage({
    key: pagedUrl(listing.base, pageNumber),
    keys: [listing.key, ...page.items.map(postKey)],
    lateKeys: pictures.keys,
    template: 'pages/listing',
    lastModified: newestChangeOf(page.items, snapshot.lastChange),
    build: async () => listing.build(page, await pictures.lookup([...leadSources(snapshot, page.items), ...(listing.pictures ?? [])])),
  });
}
