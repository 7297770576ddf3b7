// Reading a source: inside public/ only, within the size cap.
import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { readSource, SourceError, statSource } from '../../src/images/source-file.js';

t.test('reads a file of the public folder', async (t) => {
  const dir = t.testdir({ public: { 'a.jpg': 'bytes' } });
  const publicDir = path.join(dir, 'public');
  t.equal((await readSource(publicDir, '/a.jpg', 100)).toString(), 'bytes');
  t.match(await statSource(publicDir, '/a.jpg'), { size: 5 });
});

t.test('refuses what it must not read', async (t) => {
  const dir = t.testdir({ 'secret.jpg': 'outside', public: { big: 'x'.repeat(101), folder: {} } });
  const publicDir = path.join(dir, 'public');
  fs.symlinkSync(path.join(dir, 'secret.jpg'), path.join(publicDir, 'link.jpg'));
  await t.rejects(readSource(publicDir, '/link.jpg', 100), new SourceError('/link.jpg', 'symbolic link to a file outside the public folder: not followed'));
  await t.rejects(readSource(publicDir, '/big', 100), { message: '/big: file is 101 bytes, over the limit of 100 (IMAGE_MAX_INPUT_MB)' });
  await t.rejects(readSource(publicDir, '/gone.jpg', 100), { message: '/gone.jpg: file not found' });
  t.equal(await statSource(publicDir, '/gone.jpg'), null);
  t.equal(await statSource(publicDir, '/folder'), null, 'a folder is not a source');
});
