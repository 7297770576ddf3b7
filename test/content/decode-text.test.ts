import t from 'tap';
import { BinaryFileError, decodePostBytes, repairMojibake } from '../../src/content/decode-text.js';

/** What a pipeline does: UTF-8 bytes read as Windows-1252, saved as UTF-8 again. */
function mojibake(text: string): string {
  const table = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';
  return [...Buffer.from(text, 'utf8')]
    .map((b) => (b >= 0x80 && b <= 0x9f ? table[b - 0x80]! : String.fromCharCode(b)))
    .join('');
}

t.test('mojibake is repaired to what was meant', async (t) => {
  const cases = [
    'Here’s what you need to know',
    '“quoted” words',
    'Café au lait — naïve résumé',
    'Zürich, São Paulo, Kraków',
    'Prices in € rose 5%… said the CEO™',
    'Москва и Київ',
    'emoji 🚀 too',
  ];
  for (const intended of cases) {
    t.equal(repairMojibake(mojibake(intended)), intended, intended);
  }
  t.equal(repairMojibake('Hereâ€™s'), 'Here’s');
  t.equal(repairMojibake('â€œquotedâ€\u009d'), '“quoted”');
  t.equal(repairMojibake('Ã©'), 'é');
});

t.test('text that is already correct is left alone', async (t) => {
  const correct = [
    'Plain ASCII text',
    'Café, naïve, résumé, Zürich',
    '„HALLÖ“ rief er',
    'Ã alone and © alone',
    'Curly ’quotes’ and “doubles” and — dashes',
    'Â½ cup',
  ];
  for (const text of correct.slice(0, 5)) t.equal(repairMojibake(text), text, text);
  // "Â½" is itself the mojibake of "½": repairing it is right.
  t.equal(repairMojibake(correct[5]!), '½ cup');
});

t.test('decodePostBytes: BOM, CRLF, encodings', async (t) => {
  const utf8 = decodePostBytes(Buffer.from('\uFEFF---\r\ntitle: x\r\n---\r\nbody\r\n', 'utf8'));
  t.equal(utf8.text, '---\ntitle: x\n---\nbody\n', 'BOM dropped, CRLF -> LF');
  t.equal(utf8.encoding, 'utf-8');

  const cp1252 = decodePostBytes(Buffer.from([0x43, 0x61, 0x66, 0xe9, 0x20, 0x93, 0x71, 0x94, 0x20, 0x80, 0x35]));
  t.equal(cp1252.text, 'Café “q” €5', 'invalid UTF-8 is read as Windows-1252');
  t.equal(cp1252.encoding, 'windows-1252');
  t.notOk(cp1252.repaired);

  const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('---\ntitle: ü\n---\n', 'utf16le')]);
  t.equal(decodePostBytes(le).text, '---\ntitle: ü\n---\n');
  t.equal(decodePostBytes(le).encoding, 'utf-16le');
  const be = Buffer.from(Buffer.from('\uFEFFhi', 'utf16le').swap16());
  t.equal(decodePostBytes(be).text, 'hi');
  t.equal(decodePostBytes(be).encoding, 'utf-16be');

  const repaired = decodePostBytes(Buffer.from('title: Hereâ€™s', 'utf8'));
  t.equal(repaired.text, 'title: Here’s');
  t.ok(repaired.repaired);

  t.equal(decodePostBytes(Buffer.from('old\rmac\rlines')).text, 'old\nmac\nlines');
});

t.test('binary files are refused', async (t) => {
  t.throws(() => decodePostBytes(Buffer.from([0x2d, 0x2d, 0x2d, 0x00, 0x01])), BinaryFileError);
  const utf16WithNul = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a\0b', 'utf16le')]);
  t.throws(() => decodePostBytes(utf16WithNul), BinaryFileError);
});

t.test('sequences that are not valid UTF-8 are left as they are', async (t) => {
  t.equal(repairMojibake('à€€ overlong'), 'à€€ overlong');
  t.equal(repairMojibake('â€ cut short'), 'â€ cut short');
});

t.test('Arabic and Hebrew mojibake is repaired too', async (t) => {
  for (const text of ['مرحبا بالعالم', 'שלום עולם']) t.equal(repairMojibake(mojibake(text)), text);
});
