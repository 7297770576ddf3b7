// The search index image as bytes: what is written reads back as it was, and bytes that
// were not written that way are refused rather than read into a broken index.
import t from 'tap';
import { imageParts, readImage } from '../../src/search/index-image.js';
import { PostingsIndex } from '../../src/search/postings-index.js';

function sample() {
  const index = new PostingsIndex();
  index.add({ id: 'news/harbour.md', title: 'Harbour reopens', summary: 'Ferries run again', terms: 'Port', body: 'At dawn.' });
  index.add({ id: 'news/vote.md', title: 'Council vote', summary: '', terms: '', body: 'Fees rise.' });
  return index.toImage();
}

/** The parts joined as the cache reads them back: one buffer of its own. */
const joined = (parts: Uint8Array[]) => {
  const bytes = Buffer.alloc(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) at += Buffer.from(part.buffer, part.byteOffset, part.length).copy(bytes, at);
  return bytes;
};

t.test('an image and its extra numbers read back as written, as views of the bytes', async (t) => {
  const image = sample();
  const extra = Float64Array.from([1, 2.5, NaN, 4, 5, 6]);
  const bytes = joined(imageParts(image, extra));
  t.equal(bytes.length % 8, 0, 'every section 8-byte aligned');
  const back = readImage(bytes, 3);
  t.same(back.image.words, image.words);
  t.same(back.image.ids, image.ids);
  t.equal(back.image.alphabet, image.alphabet);
  t.same([...back.image.start], [...image.start]);
  t.same([...back.image.postDocs], [...image.postDocs]);
  t.same([...back.image.postCounts], [...image.postCounts]);
  t.same([...back.image.fieldLengths], [...image.fieldLengths]);
  t.same([...back.extra], [...extra]);
  t.equal(back.image.postDocs.buffer, bytes.buffer, 'not copied');
  t.same(new PostingsIndex().toImage().words, [], 'an empty index');
  t.same(readImage(joined(imageParts(new PostingsIndex().toImage(), new Float64Array(0))), 5).image.ids, [], 'reads back empty');
});

t.test('bytes not made by imageParts are refused', async (t) => {
  const bytes = joined(imageParts(sample(), new Float64Array(2)));
  t.throws(() => readImage(bytes, 2), /another image/, 'extra numbers for another number of documents');
  t.throws(() => readImage(bytes.subarray(0, bytes.length - 16), 1), /cut short/);
  const unaligned = Buffer.alloc(bytes.length + 1);
  bytes.copy(unaligned, 1);
  t.throws(() => readImage(unaligned.subarray(1), 1), /not aligned/);
  const table = (contents: object) => {
    const json = Buffer.from(JSON.stringify(contents));
    const head = Buffer.alloc(8);
    head.writeUInt32LE(json.length, 0);
    return joined([head, json, Buffer.alloc(64)]);
  };
  t.throws(() => readImage(table({ alphabet: '', sections: [['words', 0]] }), 1), /no ids/, 'a section missing');
  t.throws(() => readImage(table({ alphabet: '', sections: [['words', 0], ['ids', 0], ['start', 3], ['extra', 0]] }), 1), /start: not whole numbers/);
  t.throws(() => readImage(Buffer.from('not an image at all, just text'), 1), /cut short/, 'text read as a table length');
});
