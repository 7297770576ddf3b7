// URL slugs: lower-case ASCII words joined by `-`, accents folded, at most 80 characters
// cut at a word boundary. Also reads Jekyll file names (`2025-09-25-some-title.md`).

const SPECIAL_LETTERS: Readonly<Record<string, string>> = {
  ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', đ: 'd', ð: 'd', þ: 'th', ł: 'l', ı: 'i', ħ: 'h', ŧ: 't',
};
const SPECIAL_PATTERN = new RegExp(`[${Object.keys(SPECIAL_LETTERS).join('')}]`, 'g');

export const MAX_SLUG_LENGTH = 80;

export function slugify(text: string, maxLength = MAX_SLUG_LENGTH): string {
  const lower = text.toLowerCase().replace(/&/g, ' and ');
  // Most titles and terms are ASCII: skip Unicode normalisation for them.
  const folded = /^[\x00-\x7f]*$/.test(lower)
    ? lower
    : lower.replace(SPECIAL_PATTERN, (c) => SPECIAL_LETTERS[c]!).normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  const words = folded
    // Apostrophes join the word they are in: "Here's" -> "heres", not "here-s".
    .replace(/['’‘`]/g, '')
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  let slug = '';
  for (const word of words) {
    const next = slug ? `${slug}-${word}` : word;
    if (next.length > maxLength) {
      // A single word longer than the limit is cut rather than dropped.
      if (!slug) slug = word.slice(0, maxLength);
      break;
    }
    slug = next;
  }
  return slug;
}

export interface JekyllName {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  /** The slug part as Jekyll uses it; empty when the name is only a date. */
  readonly slug: string;
}

const JEKYLL_NAME = /^(\d{4})-(\d{2})-(\d{2})-(.+)$/;

/** Reads `2025-09-25-some-title` (a file name without its extension). */
export function parseJekyllName(baseName: string): JekyllName | null {
  const match = JEKYLL_NAME.exec(baseName);
  if (!match) return null;
  const [, y, m, d, rest = ''] = match;
  return { year: Number(y), month: Number(m), day: Number(d), slug: slugify(rest) };
}
