// Well-formedness of an XML document, strictly: fast-xml-parser's validator checks the
// markup but not XML 1.0's Char production (section 2.2), so the characters a document
// may not contain at all (C0 controls but tab, LF and CR; U+FFFE, U+FFFF; unpaired
// surrogates) are checked here too.
import { XMLValidator } from 'fast-xml-parser';

const NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDFFF]/u;

/** What makes `xml` ill-formed; empty when it is well-formed. */
export function xmlProblems(xml: string): string[] {
  const problems: string[] = [];
  const markup = XMLValidator.validate(xml);
  if (markup !== true) problems.push(`${markup.err.code}: ${markup.err.msg} (line ${markup.err.line})`);
  const bad = NOT_XML_CHAR.exec(xml);
  if (bad) {
    const at = bad.index;
    problems.push(`U+${bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')} is not an XML character: ${JSON.stringify(xml.slice(Math.max(0, at - 40), at + 10))}`);
  }
  return problems;
}

/**
 * Characters no page, feed or JSON of ours should carry: the ones XML forbids, and
 * those HTML calls parse errors (DEL, C1 controls, noncharacters).
 */
export const UNUSABLE_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFDD0-\uFDEF\uFFFE\uFFFF]|[\uD800-\uDFFF]|[\u{1FFFE}\u{1FFFF}\u{2FFFE}\u{2FFFF}\u{3FFFE}\u{3FFFF}\u{4FFFE}\u{4FFFF}\u{5FFFE}\u{5FFFF}\u{6FFFE}\u{6FFFF}\u{7FFFE}\u{7FFFF}\u{8FFFE}\u{8FFFF}\u{9FFFE}\u{9FFFF}\u{AFFFE}\u{AFFFF}\u{BFFFE}\u{BFFFF}\u{CFFFE}\u{CFFFF}\u{DFFFE}\u{DFFFF}\u{EFFFE}\u{EFFFF}\u{FFFFE}\u{FFFFF}\u{10FFFE}\u{10FFFF}]/u;
