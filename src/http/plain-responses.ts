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
  withKeys(reply);
  return reply.code(301).header('location', sitePath(location)).header('cache-control', cacheControl).send();
}

/**
 * A redirect the site's content asks for (`redirect_to`, `redirect_from`, redirects.yaml,
 * a post that moved): to a path on this site (normalised like every Location) or to an
 * http(s) URL the publisher wrote (the URL parser drops its dot segments).
 */
export function sendContentRedirect(reply: FastifyReply, status: 301 | 302, location: string, cacheControl: string): FastifyReply {
  withKeys(reply);
  const safe = /^https?:\/\//i.test(location) ? new URL(location).href : sitePath(location);
  return reply.code(status).header('location', safe).header('cache-control', cacheControl).send();
}

function withKeys(reply: FastifyReply): void {
  const keysHeader = reply.server.config.surrogateKeyHeader;
  if (keysHeader) reply.header(keysHeader, REDIRECT_KEYS);
}

function sitePath(location: string): string {
  const q = location.indexOf('?');
  return q === -1 ? normalizePath(location) : `${normalizePath(location.slice(0, q))}${location.slice(q)}`;
}
