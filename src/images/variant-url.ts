// The variant URL scheme, `/img/<fingerprint>/<width>/<source path>.<format>`: built
// from a source's root path, and parsed back without ever touching the file system.
import { toRootPath } from '../content/paths.js';
import type { VariantFormat } from './variant-formats.js';

export const VARIANT_PREFIX = '/img/';

export interface VariantAddress {
  readonly fingerprint: string;
  readonly width: number;
  /** Decoded root path of the source in public/, as in the content index (`/assets/a b.jpg`). */
  readonly source: string;
  readonly format: VariantFormat;
}

const VARIANT_PATH = /^\/img\/([0-9a-f]{16})\/([1-9][0-9]{0,4})\/(.+)\.(avif|webp|jpg|png)$/;

/** The URL path of a public file, each segment percent-encoded (`/assets/a%20b.jpg`). */
export function publicUrl(source: string): string {
  return source.split('/').map(encodeURIComponent).join('/');
}

export function variantUrl(address: VariantAddress): string {
  const { fingerprint, width, source, format } = address;
  return `${VARIANT_PREFIX}${fingerprint}/${width}${publicUrl(source)}.${format}`;
}

/**
 * The variant a URL path (as requested, still percent-encoded) names, or null. The
 * source part follows the public folder's path rules: `..`, `.`-files, backslashes,
 * control characters and schemes (plain or encoded) make it null, so whatever comes
 * back is only ever looked up in the index of public/, never opened as it is.
 */
export function parseVariantUrl(urlPath: string): VariantAddress | null {
  const match = VARIANT_PATH.exec(urlPath);
  if (!match) return null;
  const [, fingerprint, width, rawSource, format] = match;
  const rootPath = toRootPath(rawSource!);
  if (rootPath === null) return null;
  return {
    fingerprint: fingerprint!,
    width: Number(width),
    // toRootPath encoded each segment once, so this cannot fail.
    source: decodeURIComponent(rootPath),
    // The pattern only matches the four formats.
    format: format as VariantFormat,
  };
}
