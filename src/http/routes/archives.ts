// Date archives: /YYYY/, /YYYY/MM/, /YYYY/MM/DD/ and their pages. Dates are the site's
// calendar days; a date with no posts (or that does not exist) is a 404.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { archiveKey } from '../../content/cache-keys.js';
import { toArchivePage } from '../../render/pages/to-pages.js';
import { archiveUrl } from '../../render/urls.js';
import { sendListing } from './listing.js';

// Not checked by pattern (routing runs for every request): the archive lookup is the
// check, its keys being zero-padded dates.
const Y = ':year';
const M = ':month';
const D = ':day';

interface ArchiveParams {
  year: string;
  month?: string;
  day?: string;
  n?: string;
}

export default async function archiveRoutes(app: FastifyInstance): Promise<void> {
  const handler = (request: FastifyRequest<{ Params: ArchiveParams }>, reply: FastifyReply) => {
    const { year, month, day, n } = request.params;
    const key = [year, month, day].filter(Boolean).join('/');
    const snapshot = app.content.snapshot;
    const posts = snapshot.archives.get(key);
    if (!posts) return reply.callNotFound();
    return sendListing(app, reply, {
      base: archiveUrl(key),
      key: archiveKey(key),
      posts,
      rawPage: n,
      build: (page, pictures) => toArchivePage(app.site, snapshot, key, page, pictures),
    });
  };
  for (const path of [`/${Y}/`, `/${Y}/${M}/`, `/${Y}/${M}/${D}/`]) {
    app.get<{ Params: ArchiveParams }>(path, handler);
    app.get<{ Params: ArchiveParams }>(`${path}page/:n/`, handler);
  }
}
