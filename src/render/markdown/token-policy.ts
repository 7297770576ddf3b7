// The sanitizer's rules applied to markdown-it's own tokens, so most bodies need no
// sanitize-html pass (a third of a body's render). A post without raw HTML holds only
// elements markdown-it made: known tags, their attributes, URLs it has percent-encoded.
// Those are checked against the same allowlist and changed by the same transforms the
// sanitizer would apply, and the renderer writes text as the sanitizer does, so the HTML
// comes out byte for byte as sanitize-html would write it (the tests compare the two).
// Raw HTML, or anything out of the ordinary, still goes through the sanitizer.
import type { Token } from 'markdown-it';
import sanitizeHtml from 'sanitize-html';

/**
 * Holds the tokens to the policy: true when they follow it, and then they are changed
 * as the sanitizer would change their elements; false (and left as they were) when the
 * HTML must still go through the sanitizer.
 */
export type TokenPolicy = (tokens: readonly Token[]) => boolean;

export interface TokenPolicyOptions {
  /** The tags the sanitizer's `exclusiveFilter` looks at: elements with them are left to it. */
  readonly filteredTags?: readonly string[];
}

/** Sanitizer options that change its output in ways this policy does not repeat. */
const UNFOLLOWED = ['textFilter', 'nestingLimit', 'onOpenTag', 'onCloseTag', 'selfClosing', 'allowedStyles'] as const;

/** The sanitizer's reading of a URL (launder's `naughtyHref`), before any attribute is kept. */
const SCHEME = /^([a-zA-Z][a-zA-Z0-9.\-+]*):/;

export function createTokenPolicy(given: sanitizeHtml.IOptions, { filteredTags = [] }: TokenPolicyOptions = {}): TokenPolicy {
  // As sanitize-html reads its options: over its defaults.
  const options: sanitizeHtml.IOptions = { ...sanitizeHtml.defaults, ...given };
  // `false` allows every tag or attribute, which this policy does not follow.
  if (options.allowedTags === false || options.allowedAttributes === false) {
    throw new Error('the token policy needs lists of the allowed tags and attributes');
  }
  const unfollowed: string[] = UNFOLLOWED.filter((name) => given[name] !== undefined);
  if (options.transformTags?.['*'] !== undefined) unfollowed.push("transformTags['*']");
  if (options.parser?.decodeEntities === false) unfollowed.push('parser.decodeEntities: false');
  if (options.exclusiveFilter !== undefined && filteredTags.length === 0) unfollowed.push('exclusiveFilter (without filteredTags)');
  if (unfollowed.length > 0) throw new Error(`the token policy cannot follow ${unfollowed.join(', ')}`);
  const tags = new Set(options.allowedTags);
  const attributes = new Map<string, ReadonlySet<string>>();
  // sanitize-html's defaults always give both lists.
  for (const [tag, names] of Object.entries(options.allowedAttributes!)) {
    // Glob names and value lists have rules of their own: this policy only knows plain names.
    if (!names.every((name): name is string => typeof name === 'string' && !name.includes('*'))) {
      throw new Error(`the token policy cannot follow the attribute rules of <${tag}>`);
    }
    attributes.set(tag, new Set(names));
  }
  const everywhere = attributes.get('*') ?? new Set<string>();
  const urlAttributes = new Set(options.allowedSchemesAppliedToAttributes);
  const protocolRelative = options.allowProtocolRelative !== false;
  const transforms = options.transformTags ?? {};
  const schemes = Array.isArray(options.allowedSchemes) ? options.allowedSchemes : [];
  const schemesByTag = typeof options.allowedSchemesByTag === 'object' ? options.allowedSchemesByTag : {};
  // Not in the library's types; the sanitizer removes other empty attributes (`href=""`).
  const keptEmpty = new Set((options as { allowedEmptyAttributes?: string[] }).allowedEmptyAttributes);
  const filtered = new Set(filteredTags);
  // markdown-it writes a fenced block's language as `class="language-…"` on its <code>.
  const languageClass = attributes.get('code')?.has('class') === true && Array.isArray(options.allowedClasses?.code) && options.allowedClasses.code.includes('language-*');

  function urlAllowed(tag: string, url: string): boolean {
    // The sanitizer first strips spaces, control characters and comments: leave those to it.
    if (/[\0-\x20]|<!--/.test(url)) return false;
    const scheme = SCHEME.exec(url);
    if (scheme === null) return protocolRelative || !/^[/\\]{2}/.test(url);
    return (schemesByTag[tag] ?? schemes).includes(scheme[1]!.toLowerCase());
  }

  /** The element's attributes as the sanitizer would keep them, or null when it must see them. */
  function keptAttributes(token: Token): [string, string][] | null {
    // markdown-it allows numbers as values; the sanitizer sees text.
    let attrs = (token.attrs ?? []).map(([name, value]): [string, string] => [name, String(value)]);
    const transform = transforms[token.tag];
    if (transform !== undefined) {
      if (typeof transform !== 'function') return null;
      const changed = transform(token.tag, Object.fromEntries(attrs));
      if (changed.tagName !== token.tag || changed.text !== undefined) return null;
      attrs = Object.entries(changed.attribs);
    }
    const allowed = attributes.get(token.tag);
    const kept: [string, string][] = [];
    for (const [name, value] of attrs) {
      // Dropped by the sanitizer too (a table cell's alignment style).
      if (!allowed?.has(name) && !everywhere.has(name)) continue;
      // Classes have an allowlist of their own, and some empty attributes are dropped.
      if (name === 'class' || (value === '' && !keptEmpty.has(name))) return null;
      if (urlAttributes.has(name) && !urlAllowed(token.tag, value)) return null;
      kept.push([name, value]);
    }
    return kept;
  }

  /** Whether the tokens follow the policy; their new attributes go to `changes`. */
  function follows(tokens: readonly Token[], changes: [Token, [string, string][]][]): boolean {
    for (const token of tokens) {
      if (token.type === 'html_block' || token.type === 'html_inline') return false;
      if (token.type === 'fence' && token.info.trim() !== '' && !languageClass) return false;
      if (token.children !== null && !follows(token.children, changes)) return false;
      // Closing tokens and text carry no attributes.
      if (token.nesting === -1 || token.tag === '') continue;
      if (!tags.has(token.tag) || filtered.has(token.tag)) return false;
      const kept = keptAttributes(token);
      if (kept === null) return false;
      changes.push([token, kept]);
    }
    return true;
  }

  return (tokens) => {
    const changes: [Token, [string, string][]][] = [];
    if (!follows(tokens, changes)) return false;
    for (const [token, kept] of changes) token.attrs = kept.length > 0 ? kept : null;
    return true;
  };
}
