// The Liquid a Jekyll post body commonly carries, read as Jekyll would before Markdown:
// `{{ site.url }}`, `{{ site.baseurl }}` (and `relative_url`/`absolute_url`),
// `{% raw %}`, `{% highlight %}` (a fenced code block), `{% post_url %}` and `{% link %}`
// (the linked post's URL, resolved against the index when the page renders), `{% include %}`
// (dropped: there are no theme includes here). Any other tag or output is dropped, so
// readers never see literal braces. No Liquid is evaluated: there are no loops,
// conditions or assignments, only these substitutions. Pure; runs on the worker threads.

/** What one `{% … %}` or `{{ … }}` is, found in order through the body. */
const LIQUID = /\{%-?\s*([\s\S]*?)\s*-?%\}|\{\{-?\s*([\s\S]*?)\s*-?\}\}/g;
const END_RAW = /\{%-?\s*endraw\s*-?%\}/g;
const END_COMMENT = /\{%-?\s*endcomment\s*-?%\}/g;

export interface LiquidScan {
  /** `{% include x %}` files, each once: logged at parse time. */
  readonly includes: readonly string[];
  /** Tags other than the supported ones (dropped), each once. */
  readonly unsupported: readonly string[];
  /** Links to resolve when rendering: `post_url:<name>`, `link:<path>`. */
  readonly links: readonly string[];
}

const NONE: LiquidScan = { includes: [], unsupported: [], links: [] };

/** Tags that shape text (their content stays) or only set variables: dropped silently. */
const QUIET_TAGS = new Set([
  'endhighlight', 'if', 'elsif', 'else', 'endif', 'unless', 'endunless', 'for', 'endfor', 'case', 'when', 'endcase',
  'assign', 'capture', 'endcapture', 'comment', 'endcomment', 'raw', 'endraw', 'highlight', 'post_url', 'link',
  'include', 'include_relative', 'seo', 'feed_meta', 'increment', 'decrement', 'cycle', 'break', 'continue',
]);

/** What a body's Liquid asks of the site, found without rendering it. */
export function scanLiquid(body: string): LiquidScan {
  if (!body.includes('{%') && !body.includes('{{')) return NONE;
  const includes = new Set<string>();
  const unsupported = new Set<string>();
  const links = new Set<string>();
  walk(body, {
    tag(name, args) {
      if (name === 'include' || name === 'include_relative') includes.add(firstWord(args) || '(unnamed)');
      else if (name === 'post_url' || name === 'link') {
        const target = firstWord(args);
        if (target) links.add(`${name}:${target}`);
      } else if (!QUIET_TAGS.has(name)) unsupported.add(name);
      return '';
    },
    output: () => '',
    highlight: () => '',
  });
  return { includes: [...includes], unsupported: [...unsupported], links: [...links] };
}

export interface LiquidContext {
  /** `{{ site.url }}`: the site's origin. */
  readonly siteUrl: string;
  readonly siteTitle: string;
  readonly siteDescription: string;
  /** Resolved `post_url:<name>` / `link:<path>` targets (root paths); missing ones render empty. */
  readonly links: Readonly<Record<string, string>>;
}

/** The body with its Liquid replaced by what it stands for; Markdown is rendered after. */
export function renderLiquid(body: string, ctx: LiquidContext): string {
  if (!body.includes('{%') && !body.includes('{{')) return body;
  return walk(body, {
    tag(name, args) {
      if (name === 'post_url' || name === 'link') return ctx.links[`${name}:${firstWord(args)}`] ?? '';
      return '';
    },
    output: (expression) => evaluate(expression, ctx),
    highlight: (language, code) => fence(language, code),
  });
}

interface Handlers {
  tag(name: string, args: string): string;
  output(expression: string): string;
  highlight(language: string, code: string): string;
}

function walk(body: string, on: Handlers): string {
  let out = '';
  // Inside `{% highlight %}`: the code so far, and where the outer text was.
  let code: { language: string; outer: string } | null = null;
  let at = 0;
  LIQUID.lastIndex = 0;
  for (let match = LIQUID.exec(body); match; match = LIQUID.exec(body)) {
    out += body.slice(at, match.index);
    at = LIQUID.lastIndex;
    if (match[2] !== undefined) {
      out += on.output(match[2]);
      continue;
    }
    const [name = '', ...rest] = match[1]!.split(/\s+/);
    const args = rest.join(' ');
    if (name === 'raw' || name === 'comment') {
      // Everything up to the end tag is kept as written (raw) or dropped (comment).
      const end = name === 'raw' ? END_RAW : END_COMMENT;
      end.lastIndex = at;
      const close = end.exec(body);
      const stop = close ? close.index : body.length;
      if (name === 'raw') out += body.slice(at, stop);
      at = close ? end.lastIndex : body.length;
      LIQUID.lastIndex = at;
    } else if (name === 'highlight' && code === null) {
      code = { language: firstWord(args), outer: out };
      out = '';
    } else if (name === 'endhighlight' && code !== null) {
      out = code.outer + on.highlight(code.language, out);
      code = null;
    } else {
      out += on.tag(name, args);
    }
  }
  out += body.slice(at);
  // An unclosed highlight keeps its code as a block.
  return code === null ? out : code.outer + on.highlight(code.language, out);
}

function firstWord(args: string): string {
  // split always gives at least one (maybe empty) string.
  const word = args.trim().split(/\s+/, 1)[0]!;
  return word.replace(/^["']|["']$/g, '');
}

/** A fenced code block longer than any backtick run inside it, on lines of its own. */
function fence(language: string, code: string): string {
  const longest = Math.max(0, ...[...code.matchAll(/`+/g)].map((m) => m[0].length));
  const marks = '`'.repeat(Math.max(3, longest + 1));
  const lang = /^[A-Za-z0-9_+#.-]+$/.test(language) ? language : '';
  return `\n\n${marks}${lang}\n${code.replace(/^\r?\n|\r?\n$/g, '')}\n${marks}\n\n`;
}

/** `site.url`, `'/x' | relative_url`, `site.baseurl | prepend: site.url`: known values only. */
function evaluate(expression: string, ctx: LiquidContext): string {
  const [head = '', ...filters] = expression.split('|').map((part) => part.trim());
  let value = valueOf(head, ctx);
  if (value === null) return '';
  for (const filter of filters) {
    const [name = '', arg = ''] = filter.split(/:(.*)/s).map((part) => part.trim());
    const argument = valueOf(arg, ctx) ?? '';
    if (name === 'relative_url') value = value.startsWith('/') || value === '' ? value : `/${value}`;
    else if (name === 'absolute_url') value = /^https?:\/\//i.test(value) ? value : `${ctx.siteUrl}${value.startsWith('/') ? '' : '/'}${value}`;
    else if (name === 'prepend') value = argument + value;
    else if (name === 'append') value += argument;
    else return '';
  }
  return value;
}

function valueOf(term: string, ctx: LiquidContext): string | null {
  const quoted = /^(["'])(.*)\1$/s.exec(term);
  if (quoted) return quoted[2]!;
  switch (term) {
    case 'site.url':
      return ctx.siteUrl;
    // The site is served from its host's root: old links under the old base path
    // are redirected (see the README), and new ones need no prefix.
    case 'site.baseurl':
      return '';
    case 'site.title':
      return ctx.siteTitle;
    case 'site.description':
      return ctx.siteDescription;
    default:
      return null;
  }
}
