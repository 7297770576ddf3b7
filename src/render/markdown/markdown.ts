// Markdown -> safe HTML. The body's Liquid is read first (liquid.ts), as Jekyll does;
// markdown-it renders (raw HTML allowed: news posts embed figures and videos), then
// sanitize-html keeps only an allowlist of tags, attributes and URL schemes (a body
// without raw HTML has the same rules applied to its tokens instead: token-policy.ts). With
// `toc: true` the headings get ids and a table of contents goes before the body. Post
// bodies go through a worker (post-bodies.ts); this module is what the worker runs.
import MarkdownIt, { type Token } from 'markdown-it';
import sanitizeHtml from 'sanitize-html';
import { cleanText } from '../../content/clean-text.js';
import { renderLiquid } from '../../content/liquid.js';
import { toRootPath } from '../../content/paths.js';
import { slugify } from '../../content/slug.js';
import { escapeAttribute, escapeText } from './html-escape.js';
import { createTokenPolicy } from './token-policy.js';

export interface MarkdownOptions {
  /** The site's origin; links elsewhere get `rel="noopener noreferrer"`. */
  readonly siteUrl: string;
  /** Hosts whose `<iframe>` embeds are kept (sandboxed). */
  readonly embedHosts: readonly string[];
  /** For `{{ site.title }}` and `{{ site.description }}`. */
  readonly siteTitle?: string;
  readonly siteDescription?: string;
}

/** What one post asks of its body's rendering. */
export interface BodyOptions {
  /** A table of contents from the headings (`toc: true`). */
  readonly toc: boolean;
  /** The URLs of the body's `{% post_url %}` and `{% link %}` tags, resolved against the index. */
  readonly links: Readonly<Record<string, string>>;
}

export interface MarkdownRenderer {
  render(markdown: string, body?: BodyOptions): string;
}

const PLAIN: BodyOptions = { toc: false, links: {} };
/** Ids the page around the body uses: a heading must not take them. */
const PAGE_IDS = ['main', 'search-q', 'search-page-q'];

export function createMarkdownRenderer(options: MarkdownOptions): MarkdownRenderer {
  // Bodies that skip the sanitizer are written as it writes: `<br />`, and quotes in text
  // left as they are. The others are written by markdown-it's own rules, as before (a
  // quote after an unclosed attribute in raw HTML must stay `&quot;` for the sanitizer).
  const parser = new MarkdownIt({ html: true, linkify: true, typographer: false, xhtmlOut: true, highlight: escapeText });
  const stock = new MarkdownIt({ html: true, linkify: true, typographer: false });
  const rules = parser.renderer.rules;
  rules.text = (tokens, i) => escapeText(tokens[i]!.content);
  rules.code_inline = (tokens, i, _options, _env, self) => `<code${self.renderAttrs(tokens[i]!)}>${escapeText(tokens[i]!.content)}</code>`;
  rules.code_block = (tokens, i, _options, _env, self) => `<pre${self.renderAttrs(tokens[i]!)}><code>${escapeText(tokens[i]!.content)}</code></pre>\n`;
  const sanitizeOptions = sanitizeOptionsFor(options);
  // Its only exclusiveFilter drops <iframe>s, which markdown-it never makes.
  const followsPolicy = createTokenPolicy(sanitizeOptions, { filteredTags: ['iframe'] });
  return {
    // Character references turn back into characters on the way: sanitize-html decodes
    // `&#1;` and `&#xFFFE;` in raw HTML (text and attributes) and writes them out as
    // such, and markdown-it keeps `&#12;` (form feed). The result is cleaned again.
    render: (markdown, body = PLAIN) => {
      const source = renderLiquid(markdown, {
        siteUrl: options.siteUrl,
        siteTitle: options.siteTitle ?? '',
        siteDescription: options.siteDescription ?? '',
        links: body.links,
      });
      const env = {};
      const tokens = parser.parse(source, env);
      const toc = body.toc ? tableOfContents(tokens) : '';
      // Before writing: the policy changes the tokens as the sanitizer would their elements.
      const html = followsPolicy(tokens)
        ? parser.renderer.render(tokens, parser.options, env)
        : sanitizeHtml(stock.renderer.render(tokens, stock.options, env), sanitizeOptions);
      return cleanText(toc + html);
    },
  };
}

/**
 * Gives every heading an id (from its text, made unique) and returns the contents list
 * of them, nested by level. Built here from plain text, so it needs no sanitising.
 */
function tableOfContents(tokens: Token[]): string {
  const used = new Set(PAGE_IDS);
  const entries: { level: number; text: string; id: string }[] = [];
  tokens.forEach((token, i) => {
    if (token.type !== 'heading_open') return;
    // markdown-it always follows heading_open with the heading's inline token.
    const text = tokens[i + 1]!.children!
      .filter((child) => child.type === 'text' || child.type === 'code_inline')
      .map((child) => child.content)
      .join('')
      .replace(/\s+/g, ' ')
      .trim();
    if (!text) return;
    const base = slugify(text) || 'section';
    let id = base;
    for (let n = 2; used.has(id); n++) id = `${base}-${n}`;
    used.add(id);
    token.attrSet('id', id);
    entries.push({ level: Number(token.tag.slice(1)), text, id });
  });
  if (entries.length === 0) return '';
  let html = '<nav class="toc" aria-label="Contents"><h2 class="toc__title">Contents</h2><ol>';
  // The levels of the headings the current one is under: an h4 right under an h2 is one
  // level deeper, and an h3 after it is its sibling. Three levels at most.
  const open: number[] = [];
  let depth = 0;
  entries.forEach((entry, i) => {
    while (open.length > 0 && open.at(-1)! >= entry.level) open.pop();
    const level = Math.min(open.length, 2);
    open.push(entry.level);
    if (i > 0) html += level > depth ? '<ol>' : `</li>${'</ol></li>'.repeat(depth - level)}`;
    html += `<li><a href="#${entry.id}">${escapeAttribute(entry.text)}</a>`;
    depth = level;
  });
  return `${html}</li>${'</ol></li>'.repeat(depth)}</ol></nav>\n`;
}

/** What sanitize-html keeps of a body's HTML, and how it changes links, pictures and embeds. */
export function sanitizeOptionsFor({ siteUrl, embedHosts }: Pick<MarkdownOptions, 'siteUrl' | 'embedHosts'>): sanitizeHtml.IOptions {
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
      // Anchors for the table of contents (and links into a post).
      h1: ['id'], h2: ['id'], h3: ['id'], h4: ['id'], h5: ['id'], h6: ['id'],
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
