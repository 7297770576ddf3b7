// A response body with its validators, and its compressed forms made once on demand.
// Each content coding is its own representation with its own strong ETag, derived from
// the bytes, so the same bytes always get the same ETag (on every replica).
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import zlib from 'node:zlib';

export type Coding = 'br' | 'gzip';

export interface Encoded {
  readonly body: Buffer;
  readonly etag: string;
}

export interface Representation {
  readonly body: Buffer;
  /** Strong ETag of the identity bytes, quoted. */
  readonly etag: string;
  readonly hash: string;
  readonly contentType: string;
  /** Whole seconds: HTTP dates have no finer precision, and 304 checks compare them. */
  readonly lastModified: Date;
  readonly compressible: boolean;
  /** The br or gzip form, compressed on first request and kept. */
  encode(coding: Coding): Promise<Encoded>;
}

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);
/** Below this, compression saves less than the headers it costs. */
const MIN_COMPRESS_BYTES = 1024;
const CODING_SUFFIX: Readonly<Record<Coding, string>> = { br: 'br', gzip: 'gz' };

export interface RepresentationOptions {
  readonly contentType: string;
  readonly lastModified: Date;
  /** Brotli quality: 11 for assets compressed once, lower for pages that change. */
  readonly brotliQuality?: number;
}

function hashBytes(body: Buffer): string {
  return createHash('sha256').update(body).digest('base64url').slice(0, 32);
}

export function createRepresentation(body: Buffer, options: RepresentationOptions): Representation {
  const hash = hashBytes(body);
  const compressible = body.length >= MIN_COMPRESS_BYTES && /^(text\/|application\/(json|xml|.*\+xml|.*\+json|javascript))|image\/svg/.test(options.contentType);
  const encoded = new Map<Coding, Promise<Encoded>>();
  const quality = options.brotliQuality ?? 5;
  return {
    body,
    hash,
    etag: `"${hash}"`,
    contentType: options.contentType,
    lastModified: wholeSeconds(options.lastModified),
    compressible,
    encode(coding) {
      let pending = encoded.get(coding);
      if (!pending) {
        const compress = coding === 'br'
          ? brotli(body, {
              params: {
                [zlib.constants.BROTLI_PARAM_QUALITY]: quality,
                [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length,
                [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
              },
            })
          : gzip(body, { level: 6 });
        pending = compress.then((bytes) => ({ body: bytes, etag: `"${hash}-${CODING_SUFFIX[coding]}"` }));
        // A failed compression is retried by the next request rather than cached.
        pending.catch(() => encoded.delete(coding));
        encoded.set(coding, pending);
      }
      return pending;
    },
  };
}

export function wholeSeconds(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}
