// Reading time, as cards, post pages and the Content API show it ("4 min read"): the
// words a reader reads on the post page, at READING_RATE words a minute, CJK text by its
// characters (READING_RATE_CJK a minute), and a few seconds per image (the lead image
// too), at least one minute. Counted on the parse workers from the body they already
// hold: one pass over the Markdown with the markup taken out (code blocks, link
// targets, HTML tags, comments), not a render, which would cost a Markdown render per
// post at startup.

export interface ReadingRates {
  /** Words per minute. */
  readonly words: number;
  /** CJK characters per minute: those scripts are read by character, not by word. */
  readonly cjk: number;
}

export const DEFAULT_READING_RATES: ReadingRates = { words: 265, cjk: 500 };

export interface ReadingCounts {
  readonly words: number;
  readonly cjk: number;
  readonly images: number;
}

/**
 * Seconds per image, as Medium and Ghost count them: 12 for the first, one less for each
 * next, 3 from the tenth on.
 */
function imageSeconds(images: number): number {
  let seconds = 0;
  for (let i = 0; i < images; i++) seconds += Math.max(12 - i, 3);
  return seconds;
}

/** Whole minutes, at least one; `leadImage` counts as one more image. */
export function readingMinutes(counts: ReadingCounts, rates: ReadingRates, leadImage: boolean): number {
  const minutes = counts.words / rates.words + counts.cjk / rates.cjk + imageSeconds(counts.images + (leadImage ? 1 : 0)) / 60;
  return Math.max(1, Math.round(minutes));
}

// Han, Hiragana, Katakana, Hangul (syllables and jamo), CJK compatibility ideographs,
// half-width Katakana; a surrogate pair (the rarer Han extensions) counts once, on its
// high half.
function isCjk(code: number): boolean {
  return (
    (code >= 0x4e00 && code <= 0x9fff) ||
    (code >= 0x3400 && code <= 0x4dbf) ||
    (code >= 0x3040 && code <= 0x30ff) ||
    (code >= 0xac00 && code <= 0xd7af) ||
    (code >= 0x1100 && code <= 0x11ff) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xff66 && code <= 0xff9f) ||
    (code >= 0xd840 && code <= 0xd87f)
  );
}

// Whether a code unit past ASCII is a letter or digit, decided once per code unit (a
// regular expression per character is slow on every post of a large folder; ASCII has
// its own table below).
const LETTER_OR_DIGIT = new Uint8Array(65536);
const LETTER_OR_DIGIT_RE = /[\p{L}\p{N}]/u;

function isLetterOrDigit(code: number): boolean {
  let known = LETTER_OR_DIGIT[code]!;
  if (known === 0) LETTER_OR_DIGIT[code] = known = LETTER_OR_DIGIT_RE.test(String.fromCharCode(code)) ? 1 : 2;
  return known === 1;
}

const SPACE = 32;
const TAB = 9;
const NEWLINE = 10;
const CR = 13;
const LT = 60; // <
const BANG = 33; // !
const OPEN_BRACKET = 91; // [
const CLOSE_BRACKET = 93; // ]
const OPEN_PAREN = 40; // (
const CLOSE_PAREN = 41; // )
const OPEN_BRACE = 123; // {
const PERCENT = 37; // %
const COLON = 58; // :
const SLASH = 47; // /
const BACKTICK = 96;
const TILDE = 126;

// Printable ASCII by what the scanner does with it: 1 a letter or digit, 2 markup that
// may start something to skip, 0 anything else (part of the word it is in).
const ASCII = new Uint8Array(128);
for (let c = 0x30; c <= 0x39; c++) ASCII[c] = 1;
for (let c = 0x41; c <= 0x5a; c++) ASCII[c] = ASCII[c + 32] = 1;
for (const c of [LT, BANG, CLOSE_BRACKET, OPEN_BRACE]) ASCII[c] = 2;

/** Raw HTML elements whose content is not read as text: preformatted code, and what the sanitiser drops. */
const SKIPPED_ELEMENTS = new Set(['pre', 'script', 'style', 'textarea', 'template']);

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

function lineEndOf(text: string, from: number): number {
  const end = text.indexOf('\n', from);
  return end === -1 ? text.length : end;
}

/** Any CJK character (the same ranges as isCjk): such a body is read character by character. */
const CJK = /[\u1100-\u11ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f\ud840-\ud87f]/;

/**
 * Words, CJK characters and images of a Markdown body, as its page shows them, in one
 * pass: block rules at each line's start (fenced and indented code, reference
 * definitions), then the line's text. A word is a run of non-space characters with a
 * letter or digit in it, so `**bold**` or `[link](url)` count once and `-` or `|` not at
 * all. A line of plain prose (most lines: no HTML, image or Liquid tag, no CJK in the
 * body) is counted a word at a time with the engine's native search for the next space;
 * others character by character, skipping the markup (link targets, images, HTML tags
 * and comments, Liquid tags). Per character, the whole body cost as much as the rest of
 * the parse; per word it costs a tenth of that.
 */
export function countReading(text: string): ReadingCounts {
  const n = text.length;
  let words = 0;
  let cjk = 0;
  let images = 0;
  let hasLetter = false;
  let fence = 0;
  let fenceLength = 0;
  let previousBlank = true;
  let inList = false;
  let inIndentedCode = false;
  let pos = 0;
  let lineEnd = -1;
  const perCharacter = CJK.test(text);
  // Where the next `<`, `![`, `](` and `{` are: a line before all four is plain prose.
  let nextTag = text.indexOf('<');
  let nextImage = text.indexOf('![');
  let nextLink = text.indexOf('](');
  let nextBrace = text.indexOf('{');

  while (pos < n) {
    if (pos > lineEnd) {
      // A new line: its block rules first.
      lineEnd = lineEndOf(text, pos);
      let indent = 0;
      let first = pos;
      for (; first < lineEnd; first++) {
        const c = text.charCodeAt(first);
        if (c === SPACE) indent++;
        else if (c === TAB) indent += 4;
        else if (c !== CR) break;
      }
      if (first === lineEnd) {
        previousBlank = true;
        pos = lineEnd + 1;
        continue;
      }
      const c = text.charCodeAt(first);
      // A fence opens or closes with three or more backticks or tildes.
      let run = 0;
      if (indent < 4 && (c === BACKTICK || c === TILDE)) while (first + run < lineEnd && text.charCodeAt(first + run) === c) run++;
      if (fence !== 0) {
        if (c === fence && run >= fenceLength && text.slice(first + run, lineEnd).trim() === '') fence = 0;
        pos = lineEnd + 1;
        continue;
      }
      if (indent >= 4 && (inIndentedCode || (previousBlank && !inList))) {
        inIndentedCode = true;
        pos = lineEnd + 1;
        continue;
      }
      inIndentedCode = false;
      previousBlank = false;
      if (run >= 3) {
        fence = c;
        fenceLength = run;
        pos = lineEnd + 1;
        continue;
      }
      if (indent < 4) {
        // A list item's number is its marker, not a word.
        const marker = listMarkerEnd(text, first, lineEnd);
        inList = marker !== -1;
        if (inList) first = marker;
      }
      // `[id]: https://…` defines a link target; nothing of it is shown.
      if (c === OPEN_BRACKET) {
        const close = text.indexOf(']:', first);
        if (close !== -1 && close < lineEnd) {
          pos = lineEnd + 1;
          continue;
        }
      }
      if (!perCharacter) {
        if (nextTag !== -1 && nextTag < first) nextTag = text.indexOf('<', first);
        if (nextImage !== -1 && nextImage < first) nextImage = text.indexOf('![', first);
        if (nextLink !== -1 && nextLink < first) nextLink = text.indexOf('](', first);
        if (nextBrace !== -1 && nextBrace < first) nextBrace = text.indexOf('{', first);
        const plain = (nextTag === -1 || nextTag > lineEnd) && (nextImage === -1 || nextImage > lineEnd) && (nextLink === -1 || nextLink > lineEnd) && (nextBrace === -1 || nextBrace > lineEnd);
        if (plain) {
          words += wordsOf(text, first, lineEnd);
          pos = lineEnd + 1;
          continue;
        }
      }
      pos = first;
    }

    const c = text.charCodeAt(pos);
    if (c < 128) {
      const kind = ASCII[c]!;
      if (kind === 1) {
        hasLetter = true;
        pos++;
        continue;
      }
      if (c === SPACE || c === TAB || c === CR || c === NEWLINE) {
        if (hasLetter) words++;
        hasLetter = false;
        pos++;
        continue;
      }
      if (kind === 0) {
        pos++;
        continue;
      }
      const next = text.charCodeAt(pos + 1);
      if (c === LT) {
        const tag = readTag(text, pos, lineEnd);
        if (tag === null) {
          pos++;
          continue;
        }
        if (hasLetter) words++;
        hasLetter = false;
        if (tag.image) images++;
        if (tag.word) words++;
        pos = tag.end;
        // Skipped past line ends (a comment, a <pre> block): on with the line it ends in.
        if (pos > lineEnd) lineEnd = lineEndOf(text, pos);
      } else if (c === BANG && next === OPEN_BRACKET) {
        // ![alt](src): an image; its alt text is not read.
        if (hasLetter) words++;
        hasLetter = false;
        images++;
        pos = skipLinkTarget(text, skipPast(text, pos + 2, CLOSE_BRACKET, lineEnd), lineEnd);
      } else if (c === CLOSE_BRACKET && (next === OPEN_PAREN || next === OPEN_BRACKET)) {
        // [text](target) or [text][ref]: the text is read, the target not.
        if (hasLetter) words++;
        hasLetter = false;
        pos = skipLinkTarget(text, pos + 1, lineEnd);
      } else if (c === OPEN_BRACE && (next === OPEN_BRACE || next === PERCENT)) {
        // Liquid ({{ site.baseurl }}, {% … %}): dropped by the renderer.
        if (hasLetter) words++;
        hasLetter = false;
        const close = text.indexOf(next === OPEN_BRACE ? '}}' : '%}', pos + 2);
        pos = close === -1 || close > lineEnd ? pos + 2 : close + 2;
      } else {
        pos++;
      }
    } else if (isCjk(c)) {
      // A CJK run ends a word before it: `AI模型` is one word and two characters.
      if (hasLetter) words++;
      hasLetter = false;
      cjk++;
      pos++;
    } else {
      if (!hasLetter && isLetterOrDigit(c)) hasLetter = true;
      pos++;
    }
  }
  if (hasLetter) words++;
  return { words, cjk, images };
}

/** Words of plain prose in [from, end): space-separated runs with a letter or digit. */
function wordsOf(text: string, from: number, end: number): number {
  let words = 0;
  let i = from;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === SPACE || c === TAB || c === CR) {
      i++;
      continue;
    }
    let space = text.indexOf(' ', i);
    if (space === -1 || space > end) space = end;
    if ((c < 128 && ASCII[c] === 1) || hasLetterIn(text, i, space)) words++;
    i = space + 1;
  }
  return words;
}

function hasLetterIn(text: string, from: number, end: number): boolean {
  for (let i = from; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c < 128 ? ASCII[c] === 1 : isLetterOrDigit(c)) return true;
  }
  return false;
}

/** After the next `code` before `end` (or `end`). */
function skipPast(text: string, from: number, code: number, end: number): number {
  for (let i = from; i < end; i++) if (text.charCodeAt(i) === code) return i + 1;
  return end;
}

/** At `(target)` or `[ref]`: past it (one level of parentheses inside a URL). */
function skipLinkTarget(text: string, from: number, end: number): number {
  const open = text.charCodeAt(from);
  if (open === OPEN_BRACKET) return skipPast(text, from + 1, CLOSE_BRACKET, end);
  if (open !== OPEN_PAREN) return from;
  let depth = 0;
  for (let i = from; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === OPEN_PAREN) depth++;
    else if (c === CLOSE_PAREN && --depth === 0) return i + 1;
  }
  return end;
}

interface Tag {
  /** Where reading goes on. */
  readonly end: number;
  readonly image: boolean;
  /** An autolink (`<https://…>`), read as one word. */
  readonly word: boolean;
}

const COMMENT: Omit<Tag, 'end'> = { image: false, word: false };

/** At `<`: a comment, a tag (with the content of a skipped element), an autolink; null for a plain `<`. */
function readTag(text: string, from: number, lineEnd: number): Tag | null {
  if (text.startsWith('<!--', from)) {
    const close = text.indexOf('-->', from + 4);
    return { ...COMMENT, end: close === -1 ? text.length : close + 3 };
  }
  let i = from + 1;
  const closing = text.charCodeAt(i) === SLASH;
  if (closing) i++;
  // `a < b`, `<3`: text.
  if (ASCII[text.charCodeAt(i)] !== 1 || isDigit(text.charCodeAt(i))) return null;
  const nameStart = i;
  for (let c = text.charCodeAt(i); ASCII[c] === 1 || c === 45 || c === 43 || c === 46; c = text.charCodeAt(++i));
  // A tag closes on its line; an unclosed `<b` is text, as markdown-it reads it.
  const gt = text.indexOf('>', i);
  if (gt === -1 || gt > lineEnd) return null;
  if (!closing && text.charCodeAt(i) === COLON) return { end: gt + 1, image: false, word: true };
  const name = text.slice(nameStart, i).toLowerCase();
  if (!closing && SKIPPED_ELEMENTS.has(name)) {
    const close = text.toLowerCase().indexOf(`</${name}`, gt);
    const after = close === -1 ? -1 : text.indexOf('>', close);
    return { end: after === -1 ? text.length : after + 1, image: false, word: false };
  }
  return { end: gt + 1, image: !closing && name === 'img', word: false };
}

/**
 * `-`, `*`, `+` or `1.`/`1)` and a space (or nothing) after: a list item starts here;
 * where its text starts, or -1 when the line is no list item.
 */
function listMarkerEnd(text: string, at: number, end: number): number {
  const c = text.charCodeAt(at);
  let next = at + 1;
  if (c !== 45 && c !== 42 && c !== 43) {
    if (!isDigit(c)) return -1;
    while (next < end && next - at < 9 && isDigit(text.charCodeAt(next))) next++;
    const mark = text.charCodeAt(next);
    if (mark !== 46 && mark !== CLOSE_PAREN) return -1;
    next++;
  }
  const after = text.charCodeAt(next);
  return next >= end || after === SPACE || after === TAB ? next : -1;
}
