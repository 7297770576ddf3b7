// The variant URL scheme: built from a source's root path and parsed back, with nothing
// that could leave public/ ever parsed into a source path.
import t from 'tap';
import { parseVariantUrl, publicUrl, variantUrl } from '../../src/images/variant-url.js';

const FP = '0123456789abcdef';

t.test('a variant URL names the fingerprint, width, source path and format', async (t) => {
  const address = { fingerprint: FP, width: 640, source: '/assets/images/harbour.jpg', format: 'avif' as const };
  t.equal(variantUrl(address), `/img/${FP}/640/assets/images/harbour.jpg.avif`);
  t.same(parseVariantUrl(variantUrl(address)), address, 'parses back');
});

t.test('file names with spaces and accents are percent-encoded once, and decoded back', async (t) => {
  const address = { fingerprint: FP, width: 320, source: '/assets/images/café terrace (1).png', format: 'webp' as const };
  const url = variantUrl(address);
  t.equal(url, `/img/${FP}/320/assets/images/caf%C3%A9%20terrace%20(1).png.webp`);
  t.same(parseVariantUrl(url), address);
  t.equal(publicUrl('/assets/images/a b.jpg'), '/assets/images/a%20b.jpg');
});

t.test('malformed addresses are not variants', async (t) => {
  for (const url of [
    `/img/${FP}/640/a.jpg.gif`,
    `/img/${FP}/640/a.jpg.jpeg`,
    `/img/${FP}/640/a.jpg.tiff`,
    `/img/${FP}/0640/a.jpg.avif`,
    `/img/${FP}/0/a.jpg.avif`,
    `/img/${FP}/123456/a.jpg.avif`,
    `/img/${FP}/-640/a.jpg.avif`,
    `/img/${FP.toUpperCase()}/640/a.jpg.avif`,
    `/img/${FP}0/640/a.jpg.avif`,
    `/img/xyz/640/a.jpg.avif`,
    `/img/${FP}/640/.avif`,
    `/img/${FP}/640.avif`,
    `/image/${FP}/640/a.jpg.avif`,
  ]) {
    t.equal(parseVariantUrl(url), null, url);
  }
});

t.test('source paths that could leave public/ never parse', async (t) => {
  for (const source of [
    '../secret.jpg',
    'assets/../../secret.jpg',
    '%2e%2e/secret.jpg',
    '%2E%2E%2Fsecret.jpg',
    '..%2fsecret.jpg',
    '..%5csecret.jpg',
    '..\\secret.jpg',
    'assets\\..\\..\\secret.jpg',
    '%5c..%5csecret.jpg',
    '%2Fetc%2Fpasswd.jpg',
    'C:%5cWindows%5cwin.jpg',
    'c:/windows/win.jpg',
    'file:/etc/passwd.jpg',
    '.hidden.jpg',
    'assets/.git/x.jpg',
    'a%00.jpg',
    '%ZZ.jpg',
  ]) {
    t.equal(parseVariantUrl(`/img/${FP}/640/${source}.jpg`), null, source);
  }
});

t.test('what does parse is a plain path, looked up as it is', async (t) => {
  // Double encoding decodes once: a file literally named `%2e%2e`, which public/ lacks.
  t.equal(parseVariantUrl(`/img/${FP}/640/%252e%252e/secret.jpg.jpg`)?.source, '/%2e%2e/secret.jpg');
  // Empty and `.` segments collapse (as toRootPath does for front matter paths).
  t.equal(parseVariantUrl(`/img/${FP}/640/assets/./images/a.jpg.jpg`)?.source, '/assets/images/a.jpg');
});
