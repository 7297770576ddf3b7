// Lead images as templates print them: a <picture> of the public image's variants with
// its real (oriented) size, or a remote image as it is; and the one picture shared
// previews, feeds and JSON-LD use. A local image that is missing or broken is no image.
import type { ImageFacts } from '../../images/image-facts.js';
import type { ImageLookup } from '../../images/image-lookup.js';
import { toPicture, type PictureSource } from '../../images/to-picture.js';
import { shareWidth } from '../../images/variant-formats.js';
import type { PostImage } from '../../content/post.js';
import { IMAGE_SIZES, type ImageSlot } from './image-slots.js';
import { absoluteUrl } from '../urls.js';

/** How the browser should fetch a picture, from where it sits on the page. */
export interface ImagePlacement {
  /** Below the fold: `loading="lazy"`. */
  readonly lazy: boolean;
  /** The picture the page opens with (its Largest Contentful Paint): `fetchpriority="high"`. */
  readonly priority: boolean;
}

export const ABOVE_THE_FOLD: ImagePlacement = { lazy: false, priority: false };
export const OPENING: ImagePlacement = { lazy: false, priority: true };
export const BELOW_THE_FOLD: ImagePlacement = { lazy: true, priority: false };

export interface ImageView extends ImagePlacement {
  /** `<img src>`: a JPEG (PNG) variant, an SVG or GIF as it is, or a remote URL. */
  readonly src: string;
  /** Wrapped in <picture> with `sources` (AVIF, WebP): false for SVG, GIF and remote images. */
  readonly isPicture: boolean;
  readonly sources: readonly PictureSource[];
  /** `<img srcset sizes>`; null when there is nothing to choose from. */
  readonly srcset: string | null;
  readonly sizes: string | null;
  /** Known size: width and height attributes, so the box is kept before it loads. */
  readonly hasSize: boolean;
  readonly width: number | null;
  readonly height: number | null;
  /** `image_alt`, or empty: the headline beside it says what the story is. */
  readonly alt: string;
}

export interface FigureView extends ImageView {
  readonly hasCaption: boolean;
  readonly caption: string | null;
  /** `image_credit`, as written (`Photo: …`). */
  readonly credit: string | null;
}

/** The picture shared previews, feeds and JSON-LD show. */
export interface ShareImage {
  /** Absolute. */
  readonly url: string;
  readonly width: number | null;
  readonly height: number | null;
  readonly alt: string | null;
}

function remoteView(image: PostImage, placement: ImagePlacement): ImageView {
  return {
    ...placement,
    src: image.src,
    isPicture: false,
    sources: [],
    srcset: null,
    sizes: null,
    hasSize: false,
    width: null,
    height: null,
    alt: image.alt ?? '',
  };
}

/** A public image's view from its facts; null when it cannot be shown. */
export function viewOfFacts(facts: ImageFacts | null, slot: ImageSlot, placement: ImagePlacement, alt: string): ImageView | null {
  const picture = facts && toPicture(facts, { sizes: IMAGE_SIZES[slot] });
  if (!picture) return null;
  return {
    ...placement,
    src: picture.fallbackSrc,
    isPicture: picture.sources.length > 0,
    sources: picture.sources,
    srcset: picture.srcset,
    sizes: picture.sizes,
    hasSize: picture.width !== null && picture.height !== null,
    width: picture.width,
    height: picture.height,
    alt,
  };
}

/** `image` as shown in `slot`: null when it is a public file that is missing or broken. */
export function toImageView(image: PostImage | null, pictures: ImageLookup, slot: ImageSlot, placement: ImagePlacement): ImageView | null {
  if (!image) return null;
  if (!image.local) return remoteView(image, placement);
  return viewOfFacts(pictures.factsOf(image.src), slot, placement, image.alt ?? '');
}

/** The post page's lead picture, with its caption and credit. */
export function toFigureView(image: PostImage | null, pictures: ImageLookup): FigureView | null {
  const view = toImageView(image, pictures, 'article', OPENING);
  if (!view || !image) return null;
  return { ...view, hasCaption: image.caption !== null || image.credit !== null, caption: image.caption, credit: image.credit };
}

/**
 * What og:image, twitter:image, feeds and JSON-LD point at: the 1280 px JPEG (PNG)
 * variant of a public photo (its own width when narrower), a GIF as it is, a remote URL
 * as it is; null for SVG (previews do not show it) and for missing or broken files.
 */
export function toShareImage(image: PostImage | null, pictures: ImageLookup, siteUrl: string): ShareImage | null {
  if (!image) return null;
  if (!image.local) return { url: image.src, width: null, height: null, alt: image.alt };
  const facts = pictures.factsOf(image.src);
  const picture = facts && toPicture(facts, { sizes: IMAGE_SIZES.article });
  if (!facts || facts.kind === 'broken' || !picture?.ogImage) return null;
  let { width, height } = facts;
  if (facts.kind === 'raster') {
    // The variant's size: sharp keeps the aspect ratio and rounds the height.
    width = shareWidth(facts.width, facts.height);
    height = Math.round((facts.height * width) / facts.width);
  }
  return { url: absoluteUrl(siteUrl, picture.ogImage), width, height, alt: image.alt };
}
