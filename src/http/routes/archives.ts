// Date archives: /YYYY/, /YYYY/MM/, /YYYY/MM/DD/ and their pages. Dates are the site's
// calendar days; a date with no posts (or that does not exist) is a 404.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { paginate, parsePageNumber } from '../../render/pagination.js';
import { toArchivePage } from '../../render/to-pages.js';
import { archiveUrl, pagedUrl } from '../../render/urls.js';
import { newestChangeOf } from '../../content/post.js';

const Y = ':year(^\\d{4}$)';
const M = ':month(^\\d{2}$)';
const D = ':day(^\\d{2}$)';

interface ArchiveParams {
  year: string;
  month?: string;
  day?: string;
  n?: string;
}

export default async function archiveRoutes(app: FastifyInstance): Promise<void> {
  const handler = async (request: FastifyRequest<{ Params: ArchiveParams }>, reply: FastifyReply) => {
    const { year, month, day, n } = request.params;
    const key = [year, month, day].filter(Boolean).join('/');
    const snapshot = app.content.snapshot;
    const posts = snapshot.archives.get(key);
    const pageNumber = parsePageNumber(n);
    if (!posts || pageNumber === null) return reply.callNotFound();
    const base = archiveUrl(key);
    if (n === '1') return reply.redirect(base, 301);
    const page = paginate(posts, pageNumber, app.site.settings.pageSize, (p) => pagedUrl(base, p));
    if (!page) return reply.callNotFound();
    return reply.sendPage({
      template: 'pages/listing',
      lastModified: newestChangeOf(page.items, snapshot.builtAt),
      build: () => toArchivePage(app.site, snapshot, key, page),
    });
  };
  for (const path of [`/${Y}/`, `/${Y}/${M}/`, `/${Y}/${M}/${D}/`]) {
    app.get<{ Params: ArchiveParams }>(path, handler);
    app.get<{ Params: ArchiveParams }>(`${path}page/:n/`, handler);
  }
}
