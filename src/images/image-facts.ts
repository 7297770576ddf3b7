// What the HTML needs to know about one source image, read once per version of the file:
// whether variants are made of it or it is served as it is, its size as seen (EXIF
// orientation applied), whether it has transparent pixels, and the fingerprint of its
// bytes; or why it cannot be used.
import type { Metadata } from 'sharp';
import { openImage, timeoutSeconds, type DecodeLimits } from './decode-options.js';
import { readSource, SourceError, type SourceIdentity } from './source-file.js';
import { fingerprintOf, MAX_VARIANT_HEIGHT, variantWidths } from './variant-formats.js';

interface FactsBase extends SourceIdentity {
  /** Decoded root path in public/ (`/assets/images/harbour.jpg`). */
  readonly source: string;
}

/** A photo or illustration that variants are made of. */
export interface RasterFacts extends FactsBase {
  readonly kind: 'raster';
  readonly fingerprint: string;
  readonly width: number;
  readonly height: number;
  readonly transparent: boolean;
}

/** SVG and animated GIF: served as they are, never rasterised or resized. */
export interface PassthroughFacts extends FactsBase {
  readonly kind: 'passthrough';
  readonly format: 'svg' | 'gif';
  readonly width: number | null;
  readonly height: number | null;
}

/** Cannot be shown: not an image, broken, too large. */
export interface BrokenFacts extends FactsBase {
  readonly kind: 'broken';
  readonly reason: string;
}

export type ImageFacts = RasterFacts | PassthroughFacts | BrokenFacts;

export interface FactsLimits extends DecodeLimits {
  /** Larger files are not read (IMAGE_MAX_INPUT_MB). */
  readonly maxInputBytes: number;
}

/** File names that may be images; nothing else in public/ is ever opened as one. */
export const IMAGE_FILE = /\.(jpe?g|png|webp|avif|gif|svg)$/i;
const SVG_FILE = /\.svg$/i;

/** Decoders whose output browsers get variants of (heif: AVIF). */
const RASTER_FORMATS = new Set(['jpeg', 'png', 'webp', 'gif', 'heif']);

/** Width of the copy decoded to check the pixels: small, but every pixel is read. */
const PROBE_WIDTH = 64;

/** Reads one source's facts; never throws: a file that cannot be used gets BrokenFacts. */
export async function loadImageFacts(
  realPublicDir: string,
  source: string,
  identity: SourceIdentity,
  limits: FactsLimits,
): Promise<ImageFacts> {
  const base = { source, size: identity.size, mtimeMs: identity.mtimeMs };
  try {
    const bytes = await readSource(realPublicDir, source, limits.maxInputBytes);
    return { ...base, ...(await inspect(source, bytes, limits)) };
  } catch (err) {
    const reason = err instanceof SourceError ? err.reason : (err as Error).message;
    return { ...base, kind: 'broken', reason };
  }
}

type Inspected = Omit<RasterFacts, keyof FactsBase> | Omit<PassthroughFacts, keyof FactsBase>;

async function inspect(source: string, bytes: Buffer, limits: DecodeLimits): Promise<Inspected> {
  let meta: Metadata;
  try {
    meta = await (await openImage(bytes, limits)).metadata();
  } catch (err) {
    // librsvg cannot size every SVG that browsers show (width="100%"): served as it is,
    // without width and height attributes.
    if (SVG_FILE.test(source) && bytes.includes('<svg')) return { kind: 'passthrough', format: 'svg', width: null, height: null };
    throw err;
  }
  const { width, height } = meta.autoOrient;
  // GIF metadata always counts its frames.
  if (meta.format === 'svg' || (meta.format === 'gif' && Number(meta.pages) > 1)) {
    return { kind: 'passthrough', format: meta.format, width, height };
  }
  if (!RASTER_FORMATS.has(meta.format)) throw new Error(`${meta.format} is not an image format for the web`);
  if (variantWidths(width, height).length === 0) throw new Error(`${width}x${height} is too tall and narrow for any variant (at most ${MAX_VARIANT_HEIGHT} px tall)`);
  // Decoding a small copy finds broken pixel data now, so no page ever shows a picture
  // whose variants cannot be made; it also tells whether any pixel is see-through.
  const probe = await (await openImage(bytes, limits))
    .timeout({ seconds: timeoutSeconds(limits) })
    .resize({ width: PROBE_WIDTH, withoutEnlargement: true })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const transparent = meta.hasAlpha && hasTransparentPixel(probe.data, probe.info.channels);
  return { kind: 'raster', fingerprint: fingerprintOf(bytes), width, height, transparent };
}

/** Alpha is the last channel (grey+alpha or RGBA); a shrunk copy keeps any transparency below 255. */
function hasTransparentPixel(pixels: Buffer, channels: number): boolean {
  for (let i = channels - 1; i < pixels.length; i += channels) if (pixels[i]! < 255) return true;
  return false;
}
