// Sends a Representation: picks the content coding, answers conditional requests with
// 304, and sets the validators, Cache-Control and Vary. Rendered pages go through the
// page cache's prebuilt header sets instead; this serves the fingerprinted stylesheet.
import negotiate from '@fastify/accept-negotiator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { LRUCache } from 'lru-cache';
import type { IncomingHttpHeaders } from 'node:http';
import type { Coding, Representation } from './representation.js';

const CODINGS: ('br' | 'gzip' | 'identity')[] = ['br', 'gzip', 'identity'];

export interface SendOptions {
  readonly cacheControl: string;
}

export async function sendRepresentation(
  request: FastifyRequest,
  reply: FastifyReply,
  rep: Representation,
  options: SendOptions,
): Promise<FastifyReply> {
  let body = rep.body;
  let etag = rep.etag;
  if (rep.compressible) {
    reply.header('vary', 'Accept-Encoding');
    const form = chooseForm(request.headers['accept-encoding']);
    if (form !== 'identity') {
      const encoded = await rep.encode(form);
      body = encoded.body;
      etag = encoded.etag;
      reply.header('content-encoding', form);
    }
  }
  reply
    .header('content-type', rep.contentType)
    .header('cache-control', options.cacheControl)
    .header('last-modified', rep.lastModified.toUTCString())
    .header('etag', etag);
  if (isNotModified(request.headers, etag, rep.lastModified)) {
    reply.removeHeader('content-encoding');
    return reply.code(304).send();
  }
  return reply.send(body);
}

// Clients send few distinct Accept-Encoding values: negotiate each once (bounded: odd
// clients must not grow this without end).
const forms = new LRUCache<string, Coding | 'identity'>({ max: 1000 });

/** The coding to send for an Accept-Encoding header (Node joins repeated ones). */
export function chooseForm(header: string | undefined): Coding | 'identity' {
  if (!header) return 'identity';
  let form = forms.get(header);
  if (form === undefined) {
    const choice = negotiate(header, CODINGS);
    form = choice === 'br' || choice === 'gzip' ? choice : 'identity';
    forms.set(header, form);
  }
  return form;
}

/**
 * RFC 9110 section 13.2.2: If-None-Match wins when present (weak comparison); else
 * If-Modified-Since. Malformed values are ignored, never an error.
 */
export function isNotModified(headers: IncomingHttpHeaders, etag: string, lastModified: Date): boolean {
  const inm = headers['if-none-match'];
  if (inm !== undefined) {
    if (inm === etag) return true;
    const wanted = opaque(etag);
    return inm.split(',').some((tag) => {
      const t = tag.trim();
      return t === '*' || opaque(t) === wanted;
    });
  }
  const ims = headers['if-modified-since'];
  if (ims === undefined) return false;
  const since = Date.parse(ims);
  if (Number.isNaN(since)) return false;
  return lastModified.getTime() <= since;
}

function opaque(tag: string): string {
  return tag.startsWith('W/') ? tag.slice(2) : tag;
}
