// The small responses that are not pages: short plain-text answers (405, 414, 429, 503)
// and permanent redirects. Each states its own Cache-Control.
import type { FastifyReply } from 'fastify';

export function sendPlain(reply: FastifyReply, status: number, text: string, cacheControl: string): FastifyReply {
  return reply.code(status).header('cache-control', cacheControl).type('text/plain; charset=utf-8').send(`${text}\n`);
}

/** 301 to a path on this site; callers build `location` from the site's own URL space. */
export function redirectPermanently(reply: FastifyReply, location: string, cacheControl: string): FastifyReply {
  return reply.code(301).header('location', location).header('cache-control', cacheControl).send();
}
