// Markdown -> safe HTML. markdown-it renders (raw HTML allowed: news posts embed
// figures and videos), then sanitize-html keeps only an allowlist of tags, attributes
// and URL schemes. Post bodies go through a worker (post-bodies.ts); this module is
// what the worker runs.
import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';
import { cleanText } from '../content/clean-text.js';
import { toRootPath } from '../content/paths.js';

export interface MarkdownOptions {
  /** The site's origin; links elsewhere get `rel="noopener noreferrer"`. */
  readonly siteUrl: string;
  /** Hosts whose `<iframe>` embeds are kept (sandboxed). */
  readonly embedHosts: readonly string[];
}

export interface MarkdownRenderer {
  render(markdown: string): string;
}

// Jekyll themes write `{{ site.baseurl }}/assets/...`; the site is served from its root.
const LIQUID_BASEURL = /\{\{\s*site\.(?:baseurl|url)\s*\}\}/g;

export function createMarkdownRenderer(options: MarkdownOptions): MarkdownRenderer {
  const parser = new MarkdownIt({ html: true, linkify: true, typographer: false });
  const sanitizeOptions = buildSanitizeOptions(options);
  return {
    // Character references turn back into characters on the way: sanitize-html decodes
    // `&#1;` and `&#xFFFE;` in raw HTML (text and attributes) and writes them out as
    // such, and markdown-it keeps `&#12;` (form feed). The result is cleaned again.
    render: (markdown) => cleanText(sanitizeHtml(parser.render(markdown.replace(LIQUID_BASEURL, '')), sanitizeOptions)),
  };
}

function buildSanitizeOptions({ siteUrl, embedHosts }: MarkdownOptions): sanitizeHtml.IOptions {
  const siteHost = new URL(siteUrl).host;
  return {
    // No <picture>, <source> or srcset from a post: its <img> is kept, and pictures in
    // public/ become <picture> elements of our own variants (body-images.ts).
    allowedTags: [
      'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'p', 'br', 'hr', 'blockquote', 'pre', 'code', 'kbd', 'samp',
      'ul', 'ol', 'li', 'dl', 'dt', 'dd', 'a', 'strong', 'b', 'em', 'i', 'u', 's', 'del', 'ins', 'mark',
      'small', 'sub', 'sup', 'abbr', 'cite', 'q', 'time', 'span', 'div', 'figure', 'figcaption', 'aside',
      'details', 'summary', 'img', 'iframe', 'table', 'caption', 'thead', 'tbody', 'tfoot',
      'tr', 'th', 'td', 'col', 'colgroup',
    ],
    allowedAttributes: {
      a: ['href', 'title', 'rel'],
      img: ['src', 'alt', 'title', 'width', 'height', 'loading', 'decoding'],
      iframe: ['src', 'title', 'width', 'height', 'allow', 'allowfullscreen', 'loading', 'sandbox', 'referrerpolicy'],
      abbr: ['title'],
      time: ['datetime'],
      q: ['cite'],
      blockquote: ['cite'],
      ol: ['start', 'reversed', 'type'],
      li: ['value'],
      th: ['colspan', 'rowspan', 'scope'],
      td: ['colspan', 'rowspan'],
      col: ['span'],
      colgroup: ['span'],
      code: ['class'],
    },
    allowedClasses: { code: ['language-*'] },
    allowedSchemes: ['http', 'https', 'mailto', 'tel'],
    allowedSchemesByTag: { img: ['http', 'https'], iframe: ['https'] },
    allowedSchemesAppliedToAttributes: ['href', 'src', 'cite'],
    allowProtocolRelative: false,
    allowedIframeHostnames: [...embedHosts],
    disallowedTagsMode: 'discard',
    // An iframe whose host is not allowed loses its src; drop the empty frame too.
    exclusiveFilter: (frame) => frame.tag === 'iframe' && !frame.attribs.src,
    nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'template', 'title'],
    transformTags: {
      a: (tagName, attribs) => {
        const { rel: _rel, ...rest } = attribs;
        return { tagName, attribs: isExternal(rest.href, siteHost) ? { ...rest, rel: 'noopener noreferrer' } : rest };
      },
      img: (tagName, attribs) => {
        const { src, ...rest } = attribs;
        // A relative path is read from the site root; one that would climb out is dropped.
        const relative = src !== undefined && !/^[a-z][a-z0-9+.-]*:|^\//i.test(src);
        const kept = relative ? toRootPath(src) : src;
        return { tagName, attribs: { ...(kept ? { src: kept } : {}), ...rest, loading: 'lazy', decoding: 'async' } };
      },
      iframe: (tagName, attribs) => ({
        tagName,
        attribs: {
          ...attribs,
          sandbox: 'allow-scripts allow-same-origin allow-presentation allow-popups',
          loading: 'lazy',
          referrerpolicy: 'strict-origin-when-cross-origin',
        },
      }),
    },
  };
}

function isExternal(href: string | undefined, siteHost: string): boolean {
  if (!href || !/^https?:\/\//i.test(href)) return false;
  try {
    return new URL(href).host !== siteHost;
  } catch {
    return true;
  }
}
