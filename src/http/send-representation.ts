// Sends a Representation: picks the content coding, answers conditional requests with
// 304, and sets the validators, Cache-Control and Vary.
import negotiate from '@fastify/accept-negotiator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Coding, Representation } from './representation.js';

const CODINGS: ('br' | 'gzip' | 'identity')[] = ['br', 'gzip', 'identity'];

export interface SendOptions {
  readonly cacheControl: string;
  /** Status of a full response; conditional requests only apply to 200. */
  readonly status?: number;
}

export async function sendRepresentation(
  request: FastifyRequest,
  reply: FastifyReply,
  rep: Representation,
  options: SendOptions,
): Promise<FastifyReply> {
  const status = options.status ?? 200;
  let body = rep.body;
  let etag = rep.etag;
  if (rep.compressible) {
    reply.header('vary', 'Accept-Encoding');
    const coding = chooseCoding(request.headers['accept-encoding']);
    if (coding) {
      const encoded = await rep.encode(coding);
      body = encoded.body;
      etag = encoded.etag;
      reply.header('content-encoding', coding);
    }
  }
  reply
    .header('content-type', rep.contentType)
    .header('cache-control', options.cacheControl)
    .header('last-modified', rep.lastModified.toUTCString())
    .header('etag', etag);
  if (status === 200 && isNotModified(request, etag, rep.lastModified)) {
    reply.removeHeader('content-encoding');
    return reply.code(304).send();
  }
  return reply.code(status).send(body);
}

/** Node joins repeated Accept-Encoding headers into one string. */
function chooseCoding(header: string | undefined): Coding | null {
  if (!header) return null;
  const choice = negotiate(header, CODINGS);
  return choice === 'br' || choice === 'gzip' ? choice : null;
}

/**
 * RFC 9110 section 13.2.2: If-None-Match wins when present (weak comparison); else
 * If-Modified-Since. Malformed values are ignored, never an error.
 */
function isNotModified(request: FastifyRequest, etag: string, lastModified: Date): boolean {
  const inm = request.headers['if-none-match'];
  if (inm !== undefined) {
    const wanted = opaque(etag);
    return inm.split(',').some((tag) => {
      const t = tag.trim();
      return t === '*' || opaque(t) === wanted;
    });
  }
  const ims = request.headers['if-modified-since'];
  if (ims === undefined) return false;
  const since = Date.parse(ims);
  if (Number.isNaN(since)) return false;
  return lastModified.getTime() <= since;
}

function opaque(tag: string): string {
  return tag.startsWith('W/') ? tag.slice(2) : tag;
}
