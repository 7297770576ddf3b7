// The small responses that are not pages: short plain-text answers (405, 414, 429, 503)
// and permanent redirects. Each states its own Cache-Control.
import type { FastifyReply } from 'fastify';
import { MISSING_KEY, SITE_KEY } from '../content/cache-keys.js';
import { normalizePath } from './request-target.js';

/** A redirect changes when URLs appear or go (a moved post), like a 404. */
const REDIRECT_KEYS = `${SITE_KEY} ${MISSING_KEY}`;

export function sendPlain(reply: FastifyReply, status: number, text: string, cacheControl: string): FastifyReply {
  return reply.code(status).header('cache-control', cacheControl).type('text/plain; charset=utf-8').send(`${text}\n`);
}

/**
 * 301 to a path on this site; callers build `location` from the site's own URL space.
 * Its path is normalised once more on the way out, whoever built it: a Location never
 * carries `.` or `..` segments (plainly or as `%2e`), backslashes or a leading `//`.
 */
export function redirectPermanently(reply: FastifyReply, location: string, cacheControl: string): FastifyReply {
  const q = location.indexOf('?');
  const safe = q === -1 ? normalizePath(location) : `${normalizePath(location.slice(0, q))}${location.slice(q)}`;
  const keysHeader = reply.server.config.surrogateKeyHeader;
  if (keysHeader) reply.header(keysHeader, REDIRECT_KEYS);
  return reply.code(301).header('location', safe).header('cache-control', cacheControl).send();
}
