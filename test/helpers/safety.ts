// What "nothing executable" means, checked on parsed HTML rather than with a regex:
// no script but JSON-LD data blocks, no event handler attributes, no javascript:,
// vbscript: or data: URLs, no style, no plugins, forms or refreshes, and iframes only
// from the embed hosts, sandboxed.
import { XMLParser } from 'fast-xml-parser';
import { Parser } from 'htmlparser2';

const URL_ATTRIBUTES = new Set(['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'poster', 'background', 'cite', 'srcset']);
const FORBIDDEN_ELEMENTS = new Set(['object', 'embed', 'applet', 'base', 'style', 'frame', 'frameset', 'portal', 'svg', 'math', 'template', 'input', 'textarea', 'select', 'button']);
const EMBED_HOSTS = new Set(['www.youtube.com', 'www.youtube-nocookie.com', 'player.vimeo.com']);

/** Problems found in `html`; empty when it is safe. `allowSearchForm` admits our own form. */
export function unsafeParts(html: string, options: { allowSearchForm?: boolean } = {}): string[] {
  const problems: string[] = [];
  let inSearchForm = false;
  const parser = new Parser(
    {
      onopentag(name, attribs) {
        const tag = `<${name}>`;
        if (name === 'script' && attribs.type !== 'application/ld+json') problems.push(`${tag}: executable script`);
        if (name === 'form') {
          if (options.allowSearchForm && attribs.action === '/search/' && attribs.method === 'get') inSearchForm = true;
          else problems.push(`${tag}: a form`);
        } else if (FORBIDDEN_ELEMENTS.has(name) && !(inSearchForm && (name === 'input' || name === 'button'))) {
          problems.push(`${tag}: element not allowed`);
        }
        if (name === 'meta' && attribs['http-equiv']) problems.push(`${tag}: http-equiv`);
        if (name === 'iframe') {
          const host = safeHost(attribs.src);
          if (!host || !EMBED_HOSTS.has(host)) problems.push(`${tag}: iframe from ${attribs.src ?? '(no src)'}`);
          if (attribs.sandbox === undefined) problems.push(`${tag}: iframe without sandbox`);
          if ('srcdoc' in attribs) problems.push(`${tag}: srcdoc`);
        }
        for (const [attr, value] of Object.entries(attribs)) {
          if (attr.startsWith('on')) problems.push(`${tag}: event handler ${attr}`);
          if (attr === 'style') problems.push(`${tag}: style attribute`);
          if (URL_ATTRIBUTES.has(attr) && isDangerousUrl(value)) problems.push(`${tag}: ${attr}=${value.slice(0, 60)}`);
        }
      },
      onclosetag(name) {
        if (name === 'form') inSearchForm = false;
      },
    },
    { decodeEntities: true, lowerCaseAttributeNames: true },
  );
  parser.write(html);
  parser.end();
  return problems;
}

/** javascript:, vbscript: and data: URLs, however they are spelled or padded. */
export function isDangerousUrl(value: string): boolean {
  const compact = value.replace(/[\u0000-\u0020\u007f-\u009f]+/g, '').toLowerCase();
  return /^(javascript|vbscript|data|livescript|mocha):/.test(compact) || compact.startsWith('//');
}

function safeHost(src: string | undefined): string | null {
  try {
    const url = new URL(src ?? '');
    return url.protocol === 'https:' ? url.host : null;
  } catch {
    return null;
  }
}

/**
 * The fields of an Atom or RSS feed that readers render as HTML (Atom title, summary
 * and content; RSS title, description and content:encoded), as the HTML they carry.
 * Person names and category labels are text constructs and are not among them.
 */
export function feedHtmlFields(xml: string): string[] {
  const doc = new XMLParser({ ignoreAttributes: false, textNodeName: '#text', parseTagValue: false, trimValues: true }).parse(xml) as {
    feed?: { entry?: unknown };
    rss?: { channel?: { item?: unknown } };
  };
  const text = (node: unknown): string => (typeof node === 'string' ? node : ((node as { '#text'?: string } | undefined)?.['#text'] ?? ''));
  const list = (node: unknown): unknown[] => (Array.isArray(node) ? node : node === undefined ? [] : [node]);
  const out: string[] = [];
  for (const entry of list(doc.feed?.entry)) {
    const e = entry as Record<string, unknown>;
    out.push(text(e.title), text(e.summary), text(e.content));
  }
  for (const item of list(doc.rss?.channel?.item)) {
    const i = item as Record<string, unknown>;
    out.push(text(i.title), text(i.description), text(i['content:encoded']));
  }
  return out;
}
