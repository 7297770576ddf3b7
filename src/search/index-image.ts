// A search index image (postings-index.ts) as bytes, with one more array of numbers per
// document (the worker's file stamps). A table of contents, then each array's own
// memory, 8-byte aligned: writing copies none of the large arrays (at 100,000 posts
// each worker's image is some 30 MB, written as the site becomes ready), and reading
// makes views into the bytes read, not copies.
import type { IndexImage } from './postings-index.js';

/** Separates words and file names: neither can hold a NUL. */
const SEPARATOR = '\0';

type Section = 'words' | 'ids' | 'start' | 'postDocs' | 'postCounts' | 'fieldLengths' | 'extra';

interface Contents {
  readonly alphabet: string;
  /** Each section's byte length, in the order they follow. */
  readonly sections: readonly [Section, number][];
}

const padding = (length: number) => (8 - (length % 8)) % 8;

/** The image and `extra` as the parts of one payload, in order. */
export function imageParts(image: IndexImage, extra: Float64Array): Uint8Array[] {
  const arrays: [Section, Uint8Array][] = [
    ['words', Buffer.from(image.words.join(SEPARATOR))],
    ['ids', Buffer.from(image.ids.join(SEPARATOR))],
    ['start', bytesOf(image.start)],
    ['postDocs', bytesOf(image.postDocs)],
    ['postCounts', bytesOf(image.postCounts)],
    ['fieldLengths', bytesOf(image.fieldLengths)],
    ['extra', bytesOf(extra)],
  ];
  const contents: Contents = { alphabet: image.alphabet, sections: arrays.map(([name, bytes]) => [name, bytes.length]) };
  const table = Buffer.from(JSON.stringify(contents));
  const length = Buffer.alloc(8);
  length.writeUInt32LE(table.length, 0);
  const parts: Uint8Array[] = [length, table, Buffer.alloc(padding(table.length))];
  for (const [, bytes] of arrays) parts.push(bytes, Buffer.alloc(padding(bytes.length)));
  return parts.filter((part) => part.length > 0);
}

/**
 * The image and its `perDocument` extra numbers per document back from a payload (its
 * memory 8-byte aligned, as a Buffer of its own is). Throws on a payload that was not
 * made by imageParts; the image itself is checked by PostingsIndex.fromImage.
 */
export function readImage(payload: Uint8Array, perDocument: number): { image: IndexImage; extra: Float64Array } {
  if (payload.byteOffset % 8 !== 0) throw new Error('not aligned');
  const tableLength = Buffer.from(payload.buffer, payload.byteOffset, 8).readUInt32LE(0);
  if (8 + tableLength > payload.length) throw new Error('cut short');
  const contents = JSON.parse(Buffer.from(payload.buffer, payload.byteOffset + 8, tableLength).toString('utf8')) as Contents;
  let at = 8 + tableLength + padding(tableLength);
  const sections = new Map<Section, Uint8Array>();
  for (const [name, length] of contents.sections) {
    if (at + length > payload.length) throw new Error('cut short');
    sections.set(name, new Uint8Array(payload.buffer, payload.byteOffset + at, length));
    at += length + padding(length);
  }
  const text = (name: Section) => {
    const bytes = section(sections, name);
    return bytes.length === 0 ? [] : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('utf8').split(SEPARATOR);
  };
  const view = <T>(name: Section, Type: { new (buffer: ArrayBuffer, offset: number, length: number): T; BYTES_PER_ELEMENT: number }): T => {
    const bytes = section(sections, name);
    if (bytes.length % Type.BYTES_PER_ELEMENT !== 0) throw new Error(`${name}: not whole numbers`);
    return new Type(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.length / Type.BYTES_PER_ELEMENT);
  };
  const ids = text('ids');
  const extra = view('extra', Float64Array);
  if (extra.length !== ids.length * perDocument) throw new Error('extra numbers of another image');
  return {
    image: {
      words: text('words'),
      alphabet: contents.alphabet,
      ids,
      start: view('start', Int32Array),
      postDocs: view('postDocs', Int32Array),
      postCounts: view('postCounts', Uint16Array),
      fieldLengths: view('fieldLengths', Uint16Array),
    },
    extra,
  };
}

function section(sections: Map<Section, Uint8Array>, name: Section): Uint8Array {
  const bytes = sections.get(name);
  if (!bytes) throw new Error(`no ${name}`);
  return bytes;
}

function bytesOf(array: ArrayBufferView): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}
