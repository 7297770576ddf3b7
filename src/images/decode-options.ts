// How every source image is opened with sharp, for its facts and for its variants alike,
// so a file that passes when its facts are read also decodes when a variant is made.
import type { Sharp, SharpConstructor, SharpOptions } from 'sharp';

export interface DecodeLimits {
  /** Sources with more pixels are refused before decoding (IMAGE_MAX_PIXELS). */
  readonly maxPixels: number;
  /** A decode or resize that runs longer is stopped by libvips (IMAGE_JOB_TIMEOUT_MS). */
  readonly timeoutMs: number;
}

function decodeOptions(limits: DecodeLimits): SharpOptions {
  return {
    // Camera JPEGs are stored sideways with an EXIF Orientation tag; variants and the
    // sizes in the HTML are of the picture as it is meant to be seen.
    autoOrient: true,
    // 'error' stops at truncated or corrupt pixel data, but lets through the benign
    // warnings some cameras and editors cause (extraneous bytes before a marker), which
    // browsers show without complaint; 'warning' would refuse those photos.
    failOn: 'error',
    limitInputPixels: limits.maxPixels,
    // A resize reads the source top to bottom once: less memory for large photos.
    sequentialRead: true,
  };
}

/** sharp's timeout is in whole seconds. */
export function timeoutSeconds(limits: DecodeLimits): number {
  return Math.max(1, Math.ceil(limits.timeoutMs / 1000));
}

let loading: Promise<SharpConstructor> | null = null;

/**
 * A source opened with sharp, which is loaded on first use: its native module takes
 * about 0.25 s of the main thread to load, which startup (parsing on both cores) feels,
 * and a site whose posts show no public images never needs it.
 */
export async function openImage(bytes: Buffer, limits: DecodeLimits): Promise<Sharp> {
  loading ??= import('sharp').then(({ default: sharp }) => {
    // libvips' operation cache would keep decoded sources in memory for repeats that the
    // disk cache already answers.
    sharp.cache(false);
    return sharp;
  });
  const sharp = await loading;
  return sharp(bytes, decodeOptions(limits));
}
