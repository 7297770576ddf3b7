// Bytes of a post file to clean text: BOMs, UTF-16, the Windows-1252 fallback for files
// that are not UTF-8, line endings, repair of UTF-8 that was once read as Windows-1252
// and saved again (mojibake from automated pipelines), and no character unfit to publish.
import { isUtf8 } from 'node:buffer';
import { cleanText } from './clean-text.js';

export type TextEncoding = 'utf-8' | 'windows-1252' | 'utf-16le' | 'utf-16be';

export interface DecodedText {
  readonly text: string;
  readonly encoding: TextEncoding;
  /** True when mojibake was found and repaired. */
  readonly repaired: boolean;
}

export class BinaryFileError extends Error {
  constructor() {
    super('file is binary (contains NUL bytes), not text');
    this.name = 'BinaryFileError';
  }
}

const utf8 = new TextDecoder('utf-8');
const utf8Strict = new TextDecoder('utf-8', { fatal: true });

// Windows-1252 differs from Latin-1 only in 0x80-0x9F. Spelled out because Node 20's
// TextDecoder('windows-1252') decodes those bytes as Latin-1 C1 controls. The five
// unassigned bytes (0x81, 0x8D, 0x8F, 0x90, 0x9D) keep their code point, as WHATWG does.
const CP1252_80_9F =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

function decodeWindows1252(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    .toString('latin1')
    .replace(/[\u0080-\u009f]/g, (c) => CP1252_80_9F[c.charCodeAt(0) - 0x80]!);
}

export function decodePostBytes(bytes: Uint8Array): DecodedText {
  let encoding: TextEncoding;
  let text: string;
  if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    encoding = 'utf-16le';
    text = new TextDecoder('utf-16le').decode(bytes.subarray(2));
  } else if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    encoding = 'utf-16be';
    text = new TextDecoder('utf-16be').decode(bytes.subarray(2));
  } else {
    if (bytes.includes(0)) throw new BinaryFileError();
    const body = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
    encoding = isUtf8(body) ? 'utf-8' : 'windows-1252';
    text = encoding === 'utf-8' ? utf8.decode(body) : decodeWindows1252(body);
  }
  if (text.includes('\0')) throw new BinaryFileError();
  if (text.includes('\r')) text = text.replace(/\r\n?/g, '\n');
  const repairedText = encoding === 'utf-8' ? repairMojibake(text) : text;
  // After the repair, which reads some C1 controls as parts of a character.
  return { text: cleanText(repairedText), encoding, repaired: repairedText !== text };
}

// Windows-1252 inverted, character -> byte, for 0x80-0xFF.
const cp1252Byte = new Map<string, number>();
for (let byte = 0x80; byte <= 0xff; byte++) {
  cp1252Byte.set(byte <= 0x9f ? CP1252_80_9F[byte - 0x80]! : String.fromCharCode(byte), byte);
}

// A UTF-8 lead byte (0xC2-0xF4, shown as Â-ô) followed by one to three continuation
// bytes (0x80-0xBF, shown as the 64 characters they decode to in Windows-1252).
const continuation = [...cp1252Byte].filter(([, b]) => b <= 0xbf).map(([c]) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
const SUSPECT = new RegExp(`[\\u00c2-\\u00f4][${continuation}]`);
const SEQUENCE = new RegExp(`[\\u00c2-\\u00f4][${continuation}]{1,3}`, 'g');

/**
 * Repairs each run that is exactly the Windows-1252 reading of a valid UTF-8 sequence.
 * Text already correct is left alone: a lone `é` or `Ã` is not a valid sequence.
 */
export function repairMojibake(text: string): string {
  if (!SUSPECT.test(text)) return text;
  return text.replace(SEQUENCE, (run) => {
    const bytes = Uint8Array.from(run, (c) => cp1252Byte.get(c)!);
    const expected = utf8SequenceLength(bytes[0]!);
    if (expected > bytes.length) return run;
    let head: string;
    try {
      head = utf8Strict.decode(bytes.subarray(0, expected));
    } catch {
      return run;
    }
    return isPlausible(head) ? head + run.slice(expected) : run;
  });
}

// Two-byte sequences can occur by accident in correct text (`HALLÖ“` is D6 93, a Hebrew
// accent); accept only the letters and signs that mojibake actually hides.
function isPlausible(char: string): boolean {
  const cp = char.codePointAt(0)!;
  if (cp >= 0x800) return true;
  return (cp >= 0xa0 && cp <= 0x2ff) || (cp >= 0x370 && cp <= 0x58f) || (cp >= 0x5d0 && cp <= 0x6ff);
}

/** Bytes in a UTF-8 sequence; SEQUENCE only matches leads 0xC2-0xF4. */
function utf8SequenceLength(lead: number): number {
  return lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
}
