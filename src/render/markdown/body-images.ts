// Pictures inside a post body. The sanitiser (markdown.ts) keeps only `<img>` with src,
// alt, title, width and height; here, on the main thread where the facts of public
// images are known, each picture from public/ becomes a <picture> of its variants with
// its real size (the layout keeps its box while it loads), a file that is missing or
// broken is left out (no broken-image icon), and a remote picture stays as written.
// In feeds a public picture is its 1280 px JPEG (PNG) variant at an absolute URL.
import type { ImageLookup } from '../../images/image-lookup.js';
import { publicUrl } from '../../images/variant-url.js';
import type { ImageView } from '../pages/to-image.js';
import { BELOW_THE_FOLD, toShareImage, viewOfFacts } from '../pages/to-image.js';
import { absoluteUrl } from '../urls.js';
import { escapeAttribute } from './html-escape.js';

/** sanitize-html writes `<img a="v" b="v" />`, values with `&`, `<`, `>` and `"` escaped. */
const IMG_TAG = /<img\b([^>]*?)\s*\/?>/g;
const ATTRIBUTE = /([a-z][a-z0-9-]*)="([^"]*)"/g;

function unescapeAttribute(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39);/g, (_, name: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[name]!);
}

/** The attributes of one sanitised tag, values still escaped. */
function attributesOf(inner: string): Map<string, string> {
  const attributes = new Map<string, string>();
  for (const [, name, value] of inner.matchAll(ATTRIBUTE)) attributes.set(name!, value!);
  return attributes;
}

/** The public-folder paths of the pictures a sanitised body shows (as written, unescaped). */
export function bodyImageSources(html: string): string[] {
  const sources: string[] = [];
  for (const [, inner] of html.matchAll(IMG_TAG)) {
    const src = attributesOf(inner!).get('src');
    // The sanitiser made every local path a root path; the rest are remote.
    if (src?.startsWith('/')) sources.push(unescapeAttribute(src));
  }
  return sources;
}

/** `<picture>` (or `<img>`) markup of a view: the same as views/partials/picture.eta prints. */
export function renderPicture(view: ImageView, title: string | null = null): string {
  const sizes = view.sizes === null ? '' : ` sizes="${escapeAttribute(view.sizes)}"`;
  const sources = view.sources.map((s) => `<source type="${s.type}" srcset="${escapeAttribute(s.srcset)}"${sizes}>`).join('');
  const img =
    `<img src="${escapeAttribute(view.src)}"` +
    (view.srcset === null ? '' : ` srcset="${escapeAttribute(view.srcset)}"${sizes}`) +
    (view.hasSize ? ` width="${view.width}" height="${view.height}"` : '') +
    ` alt="${escapeAttribute(view.alt)}"` +
    (title === null ? '' : ` title="${escapeAttribute(title)}"`) +
    (view.lazy ? ' loading="lazy"' : '') +
    (view.priority ? ' fetchpriority="high"' : '') +
    ' decoding="async">';
  return view.isPicture ? `<picture>${sources}${img}</picture>` : img;
}

/** The body as the post page shows it: public pictures as <picture>, lazily loaded. */
export function renderBodyImages(html: string, pictures: ImageLookup): string {
  return html.replace(IMG_TAG, (tag, inner: string) => {
    const attributes = attributesOf(inner);
    const src = attributes.get('src');
    // Its src was unsafe and taken out: nothing left to show.
    if (src === undefined) return '';
    // Remote, or a `data:` the sanitiser would have dropped: as the sanitiser wrote it.
    if (!src.startsWith('/')) return tag;
    const alt = unescapeAttribute(attributes.get('alt') ?? '');
    const title = attributes.get('title');
    const view = viewOfFacts(pictures.factsOf(unescapeAttribute(src)), 'body', BELOW_THE_FOLD, alt);
    return view ? renderPicture(view, title === undefined ? null : unescapeAttribute(title)) : '';
  });
}

/** The body as feeds carry it: public pictures as their shared variant, at absolute URLs. */
export function renderFeedBodyImages(html: string, pictures: ImageLookup, siteUrl: string): string {
  return html.replace(IMG_TAG, (tag, inner: string) => {
    const attributes = attributesOf(inner);
    const src = attributes.get('src');
    if (src === undefined) return '';
    if (!src.startsWith('/')) return tag;
    const image = { src: unescapeAttribute(src), local: true, alt: null, caption: null, credit: null };
    const facts = pictures.factsOf(image.src);
    if (!facts || facts.kind === 'broken') return '';
    // An SVG has no shared variant (previews do not show it): its own file.
    const share = toShareImage(image, pictures, siteUrl) ?? { url: absoluteUrl(siteUrl, publicUrl(facts.source)), width: facts.width, height: facts.height };
    const size = share.width !== null && share.height !== null ? ` width="${share.width}" height="${share.height}"` : '';
    const title = attributes.get('title');
    // alt and title as the sanitiser escaped them.
    return `<img src="${escapeAttribute(share.url)}"${size} alt="${attributes.get('alt') ?? ''}"${title === undefined ? '' : ` title="${title}"`}>`;
  });
}
