// Pictures for the image tests, made with sharp: noise over a gradient, so they compress
// like photographs, in any size and format, with EXIF orientation and GPS when asked.
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import type { Test } from 'tap';
import { build, makeSite, type BuiltApp, type TestSite } from './build.js';
import type { BuildOptions } from '../../src/app.js';

export interface PhotoOptions {
  readonly format?: 'jpeg' | 'png' | 'webp' | 'gif';
  /** An alpha band with a see-through corner. */
  readonly transparent?: boolean;
  /** EXIF Orientation (6: stored sideways, shown rotated 90° clockwise). */
  readonly orientation?: number;
  /** Write a GPS position and camera name into EXIF. */
  readonly gps?: boolean;
  /** Seed of the noise: different seeds, different bytes. */
  readonly seed?: number;
}

/** A `width` x `height` picture as stored (before any EXIF orientation). */
export async function makePhoto(width: number, height: number, options: PhotoOptions = {}): Promise<Buffer> {
  const channels = options.transparent ? 4 : 3;
  const pixels = Buffer.alloc(width * height * channels);
  let x = (options.seed ?? 1) * 2654435761 >>> 0 || 1;
  for (let i = 0; i < pixels.length; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    const p = Math.floor(i / channels);
    const gradient = ((p % width) / width) * 160 + ((Math.floor(p / width) / height) * 60);
    pixels[i] = Math.min(255, gradient + (x & 63));
  }
  if (options.transparent) {
    // The top-left quarter see-through, the rest opaque.
    for (let p = 0; p < width * height; p++) {
      const see = p % width < width / 2 && Math.floor(p / width) < height / 2;
      pixels[p * 4 + 3] = see ? 0 : 255;
    }
  }
  let image = sharp(pixels, { raw: { width, height, channels } });
  if (options.gps) {
    image = image.withExif({
      IFD0: { Make: 'Test Camera', Model: 'T-1' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '59/1 54/1 30/1', GPSLongitudeRef: 'E', GPSLongitude: '10/1 44/1 15/1' },
    });
  }
  if (options.orientation) image = image.withMetadata({ orientation: options.orientation });
  switch (options.format ?? 'jpeg') {
    case 'png':
      return image.png().toBuffer();
    case 'webp':
      return image.webp().toBuffer();
    case 'gif':
      // The fastest palette: sharp's default effort takes seconds on noise.
      return image.gif({ effort: 1, dither: 0 }).toBuffer();
    default:
      return image.jpeg({ quality: 90 }).toBuffer();
  }
}

/** An animated GIF of two frames. */
export async function makeAnimatedGif(width: number, height: number): Promise<Buffer> {
  const frame = (colour: number) => Buffer.alloc(width * height * 3, colour);
  return sharp(Buffer.concat([frame(40), frame(200)]), { raw: { width, height: height * 2, channels: 3, pageHeight: height } })
    .gif({ loop: 0, delay: [100, 100] })
    .toBuffer();
}

export interface ImageSite {
  readonly site: TestSite;
  readonly images: string;
  /** Writes a file into public/assets/images/. */
  put(name: string, bytes: Buffer | string): string;
}

/** A test site whose public/assets/images/ holds `files`. */
export function makeImageSite(t: Test, files: Record<string, Buffer | string> = {}): ImageSite {
  const site = makeSite(t);
  const images = path.join(site.publicDir, 'assets/images');
  const put = (name: string, bytes: Buffer | string) => {
    const file = path.join(images, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, bytes);
    return file;
  };
  for (const [name, bytes] of Object.entries(files)) put(name, bytes);
  return { site, images, put };
}

/** Builds the app on an image site; the public folder is indexed at start. */
export function buildImages(
  t: Test,
  imageSite: ImageSite,
  env: Record<string, string> = {},
  images?: BuildOptions['images'],
): Promise<BuiltApp> {
  return build(t, imageSite.site, env, { images });
}

/** The URL of one variant, from the view-model's srcset of that format. */
export function srcsetUrl(srcset: string, width: number): string {
  const entry = srcset.split(', ').find((e) => e.endsWith(` ${width}w`));
  if (!entry) throw new Error(`no ${width}w in ${srcset}`);
  return entry.split(' ')[0]!;
}
