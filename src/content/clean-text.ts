// Characters that have no place in any text we publish. XML 1.0 forbids C0 controls
// (but tab, LF and CR), U+FFFE, U+FFFF and unpaired surrogates: one of them makes a whole
// feed or sitemap ill-formed, and a strict reader then drops every item, not one. HTML
// calls DEL, the C1 controls and every noncharacter parse errors. Post text is cleaned
// where it enters (decoded files, front matter values, rendered bodies), so every output
// is clean, and the XML writers clean what they write once more.

// With the `u` flag a surrogate range matches only unpaired halves: pairs are one code
// point. \p{NChar}: the 66 noncharacters (U+FDD0-U+FDEF and the last two of each plane).
const UNUSABLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\p{NChar}]|([\uD800-\uDFFF])/gu;
// A first look without `u` (several times faster on long text): it also matches every
// surrogate pair, so text with emoji takes the exact path above.
const SUSPECT = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFDD0-\uFDEF\uFFFE\uFFFF\uD800-\uDFFF]/;

/**
 * `text` without controls (tab, LF and CR stay) and noncharacters; an unpaired surrogate,
 * half of a character that was lost, becomes U+FFFD as a decoder would show it.
 */
export function cleanText(text: string): string {
  if (!SUSPECT.test(text)) return text;
  return text.replace(UNUSABLE, (_char, surrogate: string | undefined) => (surrogate ? '\uFFFD' : ''));
}

/**
 * The first `max` UTF-16 code units of `text`, or one fewer where the cut would fall
 * inside a surrogate pair: `slice` alone leaves half an emoji, which XML forbids.
 */
export function sliceText(text: string, max: number): string {
  const last = text.charCodeAt(max - 1);
  return text.slice(0, text.length > max && last >= 0xd800 && last <= 0xdbff ? max - 1 : max);
}
