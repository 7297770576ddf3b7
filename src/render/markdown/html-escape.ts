// Escaping for the HTML written around and inside post bodies, as sanitize-html writes
// it: text keeps its quotes, attribute values do not.

const TEXT_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
const ATTRIBUTE_ESCAPES: Readonly<Record<string, string>> = { ...TEXT_ESCAPES, '"': '&quot;' };

/** Text between tags. */
export function escapeText(text: string): string {
  return text.replace(/[&<>]/g, (c) => TEXT_ESCAPES[c]!);
}

/** An attribute value, written between double quotes. */
export function escapeAttribute(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ATTRIBUTE_ESCAPES[c]!);
}
