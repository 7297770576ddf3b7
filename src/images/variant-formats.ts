// The fixed menu of variants: the widths, the output formats and the encoder settings
// each is made with. Every variant URL and every srcset is built from these lists, so
// nothing outside them is ever made.
import { createHash } from 'node:crypto';
import type { AvifOptions, JpegOptions, PngOptions, WebpOptions } from 'sharp';

/**
 * Widths made, in pixels; a source is never enlarged (see variantWidths). Steps of 160
 * up to 960 because that is where phones are: a card on a 360 px screen is 328 px wide
 * (480 serves it, where 640 would send twice the bytes), the lead on Lighthouse's
 * 412 px phone at 1.75x needs 721 px (800, not 960).
 */
export const VARIANT_WIDTHS: readonly number[] = [320, 480, 640, 800, 960, 1280, 1600];

/** og:image, feeds and JSON-LD: share previews ask for 1200 px and more. */
export const SHARE_WIDTH = 1280;

export type VariantFormat = 'avif' | 'webp' | 'jpg' | 'png';

export const MIME_TYPES = {
  avif: 'image/avif',
  webp: 'image/webp',
  jpg: 'image/jpeg',
  png: 'image/png',
} as const satisfies Record<VariantFormat, string>;

export interface EncoderSettings {
  readonly avif: AvifOptions;
  readonly webp: WebpOptions;
  readonly jpg: JpegOptions;
  readonly png: PngOptions;
}

/**
 * Measured on the 4000x3000 sample photo, 1280 px wide (2 cores): AVIF at sharp's
 * default effort 4 took 7 s, effort 2 under 2 s for a file 12% larger; made on first
 * request, the faster one is the better trade. mozjpeg's JPEGs are a quarter smaller
 * than libjpeg's at the same quality, for twice the time (0.4 -> 0.85 s).
 */
export const ENCODER_SETTINGS: EncoderSettings = {
  avif: { quality: 50, effort: 2 },
  webp: { quality: 75, effort: 4 },
  jpg: { quality: 78, mozjpeg: true },
  png: { compressionLevel: 9, adaptiveFiltering: true },
};

/** Bump to give every variant a new URL when the way variants are made changes. */
const SCHEME_VERSION = 1;

/**
 * The fingerprint in a variant URL: a hash of the source's bytes and of the encoder
 * settings, so a replaced photo, or new settings, give new URLs by themselves.
 */
export function fingerprintOf(bytes: Uint8Array): string {
  return createHash('sha256')
    .update(`${SCHEME_VERSION}\n${JSON.stringify(ENCODER_SETTINGS)}\n`)
    .update(bytes)
    .digest('hex')
    .slice(0, 16);
}

/** The tallest variant made: WebP cannot be taller, and sharp's AVIF encoder refuses it too. */
export const MAX_VARIANT_HEIGHT = 16_383;

/**
 * The widths made of a source `sourceWidth` x `sourceHeight` pixels: the listed widths up
 * to its width, and its own width when it is narrower than the widest listed one; none
 * whose height (the aspect ratio kept) would pass MAX_VARIANT_HEIGHT. Empty for a source
 * so tall and narrow that no variant can be made: it is not shown (image-facts.ts).
 */
export function variantWidths(sourceWidth: number, sourceHeight: number): number[] {
  const fits = (w: number) => Math.round((sourceHeight * w) / sourceWidth) <= MAX_VARIANT_HEIGHT;
  const widths = VARIANT_WIDTHS.filter((w) => w <= sourceWidth);
  const widest = VARIANT_WIDTHS[VARIANT_WIDTHS.length - 1]!;
  if (sourceWidth < widest && !widths.includes(sourceWidth)) widths.push(sourceWidth);
  return widths.filter(fits);
}

/** The formats made of a source: AVIF and WebP, then JPEG, or PNG to keep transparency. */
export function variantFormats(transparent: boolean): VariantFormat[] {
  return ['avif', 'webp', fallbackFormat(transparent)];
}

export function fallbackFormat(transparent: boolean): VariantFormat {
  return transparent ? 'png' : 'jpg';
}

/**
 * The width shared previews use: SHARE_WIDTH, or the widest variant below it (a source
 * with any variant has one: the narrowest is below it).
 */
export function shareWidth(sourceWidth: number, sourceHeight: number): number {
  return Math.max(...variantWidths(sourceWidth, sourceHeight).filter((w) => w <= SHARE_WIDTH));
}
