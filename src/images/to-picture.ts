// The view-model of a responsive <picture> for one source image: pure, from its facts.
// Templates only print it; which widths and formats exist is decided here.
import type { ImageFacts } from './image-facts.js';
import {
  fallbackFormat,
  MIME_TYPES,
  shareWidth,
  variantWidths,
  type VariantFormat,
} from './variant-formats.js';
import { publicUrl, variantUrl } from './variant-url.js';

export interface PictureSource {
  /** `<source type>` */
  readonly type: 'image/avif' | 'image/webp';
  /** `<source srcset>`: `/img/…/320/….avif 320w, /img/…/640/….avif 640w, …` */
  readonly srcset: string;
}

export interface Picture {
  /**
   * The picture's size as seen (EXIF orientation applied), for the `<img>` width and
   * height attributes, so the browser reserves its box before it loads. Null for an
   * SVG without a size of its own.
   */
  readonly width: number | null;
  readonly height: number | null;
  /** `<img src>`: a JPEG (PNG when transparent) variant; an SVG or GIF's own URL. */
  readonly fallbackSrc: string;
  /** `<img srcset>` in the fallback format; null for SVG and GIF (served as they are). */
  readonly srcset: string | null;
  /** `sizes` for the `<img>` and every `<source>`; null when there is no srcset. */
  readonly sizes: string | null;
  /** AVIF, then WebP (browsers take the first type they support); empty for SVG and GIF. */
  readonly sources: readonly PictureSource[];
  /**
   * A root-relative URL of a 1280 px (or the source's width, if smaller) JPEG (PNG when
   * transparent) for og:image, feeds and JSON-LD; make it absolute with SITE_URL.
   * The GIF's own URL; null for SVG, which share previews do not show.
   */
  readonly ogImage: string | null;
}

export interface PictureOptions {
  /**
   * The `sizes` attribute: how wide the image is shown at each viewport width, which
   * only the stylesheet knows, e.g. `(min-width: 60rem) 40rem, 100vw`.
   */
  readonly sizes: string;
}

export function toPicture(facts: ImageFacts, options: PictureOptions): Picture | null {
  switch (facts.kind) {
    case 'broken':
      return null;
    case 'passthrough': {
      const src = publicUrl(facts.source);
      return {
        width: facts.width,
        height: facts.height,
        fallbackSrc: src,
        srcset: null,
        sizes: null,
        sources: [],
        ogImage: facts.format === 'gif' ? src : null,
      };
    }
    case 'raster': {
      const widths = variantWidths(facts.width, facts.height);
      const fallback = fallbackFormat(facts.transparent);
      const url = (width: number, format: VariantFormat) =>
        variantUrl({ fingerprint: facts.fingerprint, width, source: facts.source, format });
      const srcset = (format: VariantFormat) => widths.map((w) => `${url(w, format)} ${w}w`).join(', ');
      const share = url(shareWidth(facts.width, facts.height), fallback);
      return {
        width: facts.width,
        height: facts.height,
        fallbackSrc: share,
        srcset: srcset(fallback),
        sizes: options.sizes,
        sources: [
          { type: MIME_TYPES.avif, srcset: srcset('avif') },
          { type: MIME_TYPES.webp, srcset: srcset('webp') },
        ],
        ogImage: share,
      };
    }
  }
}
