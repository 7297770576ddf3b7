// The plain-text summary of a post for cards, meta descriptions and feeds: the front
// matter excerpt made plain, else the first paragraph of the body, cut at a word
// boundary. Computed once when the post is parsed (the body is not kept afterwards).
import MarkdownIt, { type MarkdownIt as Parser, type Token } from 'markdown-it';
import { sliceText } from './clean-text.js';

const EXCERPT_LENGTH = 200;
// The first paragraph is near the top; parsing all of a 40 KB body to find it is waste.
const HEAD_CHARS = 8000;

let parser: Parser | null = null;

/** `excerpt` as written in the front matter (or null), and the Markdown body. */
export function summarize(excerpt: string | null, body: string): string {
  // Same options as the body renderer, so what counts as a paragraph agrees.
  parser ??= new MarkdownIt({ html: true, linkify: true, typographer: false });
  const source = excerpt !== null
    ? plainText(parser.parseInline(excerpt, {}))
    : firstParagraph(parser.parse(sliceText(body, HEAD_CHARS), {}));
  return truncateAtWord(source, EXCERPT_LENGTH);
}

function firstParagraph(tokens: Token[]): string {
  for (let i = 0; i < tokens.length; i++) {
    // Top-level paragraphs only: not list items or quotes.
    if (tokens[i]?.type !== 'paragraph_open' || tokens[i]?.level !== 0) continue;
    const text = plainText([tokens[i + 1]!]);
    if (text) return text;
  }
  return '';
}

function plainText(tokens: readonly Token[]): string {
  let out = '';
  const visit = (list: readonly Token[]) => {
    for (const token of list) {
      if (token.type === 'text' || token.type === 'code_inline') out += token.content;
      else if (token.type === 'softbreak' || token.type === 'hardbreak') out += ' ';
      else if (token.children && token.type !== 'image') visit(token.children);
    }
  };
  visit(tokens);
  return out.replace(/\s+/g, ' ').trim();
}

/** At most `max` characters, cut after a whole word, with an ellipsis when cut. */
export function truncateAtWord(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = sliceText(text, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,;:.–—-]+$/, '')}…`;
}
