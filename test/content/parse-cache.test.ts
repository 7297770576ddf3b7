import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serialize } from 'node:v8';
import t, { type Test } from 'tap';
import { crc32 } from 'node:zlib';
import { CACHE_FORMAT, ParseCache, RACY_MS, settledStamp, UNUSED_MS, type Chunk, type SearchFields } from '../../src/content/parse-cache.js';


function folder(t: Test): { posts: string; cacheFile: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsroom-parse-cache-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.mkdirSync(path.join(dir, 'posts'));
  return { posts: path.join(dir, 'posts'), cacheFile: path.join(dir, 'cache', 'site-1of1.posts') };
}

const fieldsOf = (file: string): SearchFields => [`Title of ${file}`, 'Summary', 'News', `Body of ${file}`];
const loadOf = (file: string, version = 1) => ({ ok: true, post: { file, title: `Title of ${file}`, version, date: new Date('2025-01-02T03:04:05Z') } });

/** Writes the files and answers a parse request for them, as the worker does. */
function chunkOf(posts: string, files: string[], version = 1): Chunk {
  for (const file of files) {
    if (!fs.existsSync(path.join(posts, file))) fs.writeFileSync(path.join(posts, file), `post ${file}`);
  }
  return {
    files,
    stamps: files.map((file) => fs.statSync(path.join(posts, file))),
    fields: files.map(fieldsOf),
    loads: serialize(files.map((file) => loadOf(file, version))),
  };
}

function open(cacheFile: string, key = 'k1', problems: string[] = []): ParseCache {
  return new ParseCache(cacheFile, key, (problem) => problems.push(problem));
}

/** A first load that answered `chunks` (with key k1), settled and closed. */
function writeCache(cacheFile: string, ...chunks: Chunk[]): void {
  const cache = open(cacheFile);
  for (const chunk of chunks) cache.add(chunk);
  cache.settle();
  cache.close();
}

t.test('a restart takes unchanged files from the cache, a whole request at a time', async (t) => {
  const { posts, cacheFile } = folder(t);
  const abs = (file: string) => path.join(posts, file);
  const chunks = [chunkOf(posts, ['a.md', 'b.md']), chunkOf(posts, ['c.md'])];
  writeCache(cacheFile, ...chunks);
  t.ok(fs.existsSync(cacheFile), 'written once the first load settled');
  t.same(fs.readdirSync(path.dirname(cacheFile)), [path.basename(cacheFile)], 'no temporary file left');

  const second = open(cacheFile);
  const whole = second.whole(['a.md', 'b.md'], abs);
  t.ok(whole, 'the same request, unchanged files: answered from one record');
  t.same(Buffer.from(whole!.loads), Buffer.from(chunks[0]!.loads), 'the loads exactly as they were sent the first time');
  t.same(whole!.fields, [fieldsOf('a.md'), fieldsOf('b.md')]);
  t.equal(whole!.stamps[0]!.ino, fs.statSync(abs('a.md')).ino);
  t.equal(second.whole(['a.md', 'b.md'], abs), null, 'each entry is handed out once');
  t.equal(second.whole(['c.md', 'a.md'], abs), null, 'not for another set of files');
  t.equal(second.whole(['x.md'], abs), null, 'nor files never seen');
  const single = second.lookup('c.md', abs('c.md'));
  t.same(single?.load, loadOf('c.md'), 'one file at a time, decoded');
  t.same(single?.fields, fieldsOf('c.md'));
  t.type((single?.load as { post: { date: Date } }).post.date, Date, 'dates stay dates');
  const size = fs.statSync(cacheFile).size;
  second.settle();
  second.close();
  t.equal(fs.statSync(cacheFile).size, size, 'nothing changed: nothing written');
});

t.test('a changed, replaced or deleted file is not taken from the cache', async (t) => {
  const { posts, cacheFile } = folder(t);
  const abs = (file: string) => path.join(posts, file);
  writeCache(cacheFile, chunkOf(posts, ['a.md', 'b.md', 'c.md', 'd.md']));
  t.equal(open(cacheFile).whole(['a.md', 'x.md', 'c.md', 'd.md'], abs), null, 'another file in the same place');

  fs.appendFileSync(abs('a.md'), ' edited'); // size and times change
  fs.rmSync(abs('b.md'));
  fs.writeFileSync(abs('b2.md'), 'post b.md');
  fs.renameSync(abs('b2.md'), abs('b.md')); // same bytes, another inode
  fs.rmSync(abs('c.md'));
  fs.symlinkSync(abs('d.md'), abs('c.md')); // now a link: read (and checked) every time
  const second = open(cacheFile);
  t.equal(second.whole(['a.md', 'b.md', 'c.md', 'd.md'], abs), null, 'one changed file: not as a whole');
  t.equal(second.lookup('a.md', abs('a.md')), undefined, 'edited');
  t.equal(second.lookup('b.md', abs('b.md')), undefined, 'replaced');
  t.equal(second.lookup('c.md', abs('c.md')), undefined, 'a link now');
  t.same(second.lookup('d.md', abs('d.md'))?.load, loadOf('d.md'), 'the unchanged one still is');
  t.equal(second.lookup('e.md', abs('e.md')), undefined, 'never cached');
  // The worker parses the changed ones and writes what it made of them.
  second.add(chunkOf(posts, ['d.md']), false); // all from the cache, or unreadable: nothing to add
  second.add(chunkOf(posts, ['a.md', 'b.md'], 2));
  second.settle();
  second.close();

  const third = open(cacheFile);
  t.same(third.lookup('a.md', abs('a.md'))?.load, loadOf('a.md', 2), 'the new version');
  t.equal(third.lookup('c.md', abs('c.md')), undefined, 'forgotten: it was not asked for in the last load');
  third.close();
});

t.test('files the first load does not ask for, and files removed later, are forgotten', async (t) => {
  const { posts, cacheFile } = folder(t);
  const abs = (file: string) => path.join(posts, file);
  writeCache(cacheFile, chunkOf(posts, ['a.md', 'b.md', 'c.md']));

  const second = open(cacheFile);
  t.ok(second.lookup('a.md', abs('a.md')));
  t.ok(second.lookup('c.md', abs('c.md')));
  second.settle(); // b.md was not asked for: gone from the folder
  second.settle(); // only the first counts
  second.forget(['c.md']); // taken out while running
  second.forget([]);
  second.close();

  const third = open(cacheFile);
  t.equal(third.lookup('b.md', abs('b.md')), undefined);
  t.equal(third.lookup('c.md', abs('c.md')), undefined);
  t.ok(third.lookup('a.md', abs('a.md')));
  third.close();
});

t.test('a cache made another way (code, settings) is not used, and is replaced', async (t) => {
  const { posts, cacheFile } = folder(t);
  const abs = (file: string) => path.join(posts, file);
  writeCache(cacheFile, chunkOf(posts, ['a.md']));

  const other = open(cacheFile, 'k2');
  t.equal(other.lookup('a.md', abs('a.md')), undefined);
  other.add(chunkOf(posts, ['a.md'], 2));
  other.settle();
  other.close();
  t.same(open(cacheFile, 'k2').lookup('a.md', abs('a.md'))?.load, loadOf('a.md', 2));
  t.equal(open(cacheFile, 'k1').lookup('a.md', abs('a.md')), undefined, 'the old one is gone');
});

t.test('a damaged file: what comes before the damage is used, and the file is written anew', async (t) => {
  const { posts, cacheFile } = folder(t);
  const abs = (file: string) => path.join(posts, file);
  writeCache(cacheFile, chunkOf(posts, ['a.md']), chunkOf(posts, ['b.md']));
  fs.truncateSync(cacheFile, fs.statSync(cacheFile).size - 10); // a record cut short (a crash mid-write)
  const cut = open(cacheFile);
  t.ok(cut.lookup('a.md', abs('a.md')), 'read up to the cut');
  t.equal(cut.lookup('b.md', abs('b.md')), undefined);
  cut.close();
  fs.appendFileSync(cacheFile, Buffer.alloc(12, 0xff)); // then lengths that point past the end

  const second = open(cacheFile);
  t.ok(second.lookup('a.md', abs('a.md')), 'the record before the damage');
  t.equal(second.lookup('b.md', abs('b.md')), undefined, 'the damaged record');
  // The worker writes each request's answer, what came from the cache included.
  second.add(chunkOf(posts, ['a.md', 'b.md']));
  second.settle();
  second.close();
  const third = open(cacheFile);
  t.ok(third.lookup('a.md', abs('a.md')), 'carried over into the new file');
  t.ok(third.lookup('b.md', abs('b.md')));
  third.close();

  fs.truncateSync(cacheFile, fs.statSync(cacheFile).size - 10); // cut short, nothing after
  const cutAgain = open(cacheFile);
  t.equal(cutAgain.lookup('a.md', abs('a.md')), undefined, 'one record, cut short: nothing');
  cutAgain.close();

  fs.writeFileSync(cacheFile, 'not a cache at all');
  const fourth = open(cacheFile);
  t.equal(fourth.lookup('a.md', abs('a.md')), undefined, 'garbage: nothing used');
  fourth.close();
  t.equal(fs.readFileSync(cacheFile, 'utf8'), 'not a cache at all', 'and nothing replaced until a load settles');

  // A header that reads, followed by a record with the right checksum that is not one.
  const header = serialize(['newsroom-parse-cache', CACHE_FORMAT, 'k1']);
  const length = Buffer.alloc(4);
  length.writeUInt32LE(header.length);
  for (const wrong of [['a.md', new Float64Array(5)], [['a.md'], [1, 2, 3, 4, 5]], [['a.md'], new Float64Array(4)]]) {
    const meta = serialize(wrong);
    const head = Buffer.alloc(20);
    head.writeUInt32LE(meta.length);
    head.writeUInt32LE(crc32(meta), 12);
    fs.writeFileSync(cacheFile, Buffer.concat([length, header, head, meta]));
    const fifth = open(cacheFile);
    t.equal(fifth.lookup('a.md', abs('a.md')), undefined);
    fifth.close();
  }
});

t.test('records changed under a running lookup are read as misses', async (t) => {
  const { posts, cacheFile } = folder(t);
  const abs = (file: string) => path.join(posts, file);
  writeCache(cacheFile, chunkOf(posts, ['a.md', 'b.md']));
  const second = open(cacheFile);
  fs.truncateSync(cacheFile, 40); // another process rewrote it meanwhile
  t.equal(second.whole(['a.md', 'b.md'], abs), null);
  t.equal(second.lookup('a.md', abs('a.md')), undefined);
  second.close();
});

t.test('a file full of superseded entries is written anew, smaller', async (t) => {
  const { posts, cacheFile } = folder(t);
  const abs = (file: string) => path.join(posts, file);
  const first = open(cacheFile);
  first.add(chunkOf(posts, ['a.md']));
  first.settle();
  for (let i = 0; i < 1100; i++) first.add(chunkOf(posts, ['a.md'], i)); // edits while running
  first.close();
  const before = fs.statSync(cacheFile).size;

  const second = open(cacheFile);
  t.equal(second.whole(['a.md', 'b.md'], abs), null, 'a request with one more file is not this record');
  t.same(Buffer.from(second.whole(['a.md'], abs)!.loads), Buffer.from(chunkOf(posts, ['a.md'], 1099).loads), 'the last entry counts');
  second.settle();
  second.close();
  t.ok(fs.statSync(cacheFile).size < before / 100, 'compacted');
  t.same(open(cacheFile).lookup('a.md', abs('a.md'))?.load, loadOf('a.md', 1099));
});

t.test('a running server appends a bounded amount, then stops writing changes', async (t) => {
  const { posts, cacheFile } = folder(t);
  const abs = (file: string) => path.join(posts, file);
  const first = open(cacheFile);
  first.add(chunkOf(posts, ['a.md', 'b.md']));
  first.settle();
  const big = (file: string, n: number): Chunk => ({ ...chunkOf(posts, [file], n), loads: serialize([{ ok: true, padding: 'x'.repeat(1024 * 1024), n }]) });
  for (let n = 0; n < 20; n++) first.add(big('a.md', n)); // twenty 1 MB edits
  first.close();
  const size = fs.statSync(cacheFile).size;
  t.ok(size > 15 * 1024 * 1024 && size < 17 * 1024 * 1024, `about 16 MB appended (${size} bytes)`);
  const second = open(cacheFile);
  t.same((second.lookup('a.md', abs('a.md'))?.load as { n: number }).n, 14, 'the last edit that fitted counts (the 15th)');
  t.ok(second.lookup('b.md', abs('b.md')), 'the rest is intact');
  second.close();
});

t.test('a cache that cannot be written is reported once, and the posts are read', async (t) => {
  const { posts, cacheFile } = folder(t);
  fs.writeFileSync(path.dirname(cacheFile), 'a file where the folder should be');
  const problems: string[] = [];
  const cache = open(cacheFile, 'k1', problems);
  cache.add(chunkOf(posts, ['a.md']));
  cache.settle();
  cache.close();
  t.equal(problems.length, 1);
  t.match(problems[0], /the post cache .*site-1of1\.posts cannot be used \(.*\): posts will be read in full at the next start/);
});

t.test('a cache file that cannot be put in place is reported once', async (t) => {
  const { posts, cacheFile } = folder(t);
  fs.mkdirSync(path.join(cacheFile, 'in-the-way'), { recursive: true });
  const problems: string[] = [];
  const cache = open(cacheFile, 'k1', problems);
  cache.add(chunkOf(posts, ['a.md']));
  cache.settle(); // the rename meets a folder
  cache.add(chunkOf(posts, ['b.md']));
  cache.close();
  t.equal(problems.length, 1);
  t.same(fs.readdirSync(path.dirname(cacheFile)), [path.basename(cacheFile)], 'no temporary file left');
});

t.test('a folder others may write to is not used at all', async (t) => {
  const { posts, cacheFile } = folder(t);
  const abs = (file: string) => path.join(posts, file);
  writeCache(cacheFile, chunkOf(posts, ['a.md']));
  fs.chmodSync(path.dirname(cacheFile), 0o777);
  const problems: string[] = [];
  const shared = open(cacheFile, 'k1', problems);
  t.equal(shared.lookup('a.md', abs('a.md')), undefined, 'not read: anyone could have planted it');
  shared.add(chunkOf(posts, ['b.md']));
  shared.settle();
  shared.close();
  t.match(problems, [/cannot be used \(.* must be a folder of this user's that no one else may write to\)/]);
});

t.test('a record whose bytes changed is not used', async (t) => {
  const { posts, cacheFile } = folder(t);
  const abs = (file: string) => path.join(posts, file);
  writeCache(cacheFile, chunkOf(posts, ['a.md', 'b.md']));
  const bytes = fs.readFileSync(cacheFile);
  const flip = (at: number) => {
    const copy = Buffer.from(bytes);
    copy[at] = copy[at]! ^ 0xff;
    fs.writeFileSync(cacheFile, copy);
  };
  flip(bytes.length - 3); // in the loads
  const second = open(cacheFile);
  t.equal(second.whole(['a.md', 'b.md'], abs), null, 'not sent on');
  t.equal(second.lookup('a.md', abs('a.md')), undefined, 'nor decoded');
  second.close();
  flip(bytes.indexOf('a.md') + 1); // in the file names
  const third = open(cacheFile);
  t.equal(third.lookup('a.md', abs('a.md')), undefined);
  t.equal(third.lookup('b.md', abs('b.md')), undefined);
  third.close();
});

t.test('a first load cut short leaves no temporary file', async (t) => {
  const { posts, cacheFile } = folder(t);
  const cache = open(cacheFile);
  cache.add(chunkOf(posts, ['a.md']));
  t.equal(fs.readdirSync(path.dirname(cacheFile)).length, 1, 'being written');
  cache.close();
  t.same(fs.readdirSync(path.dirname(cacheFile)), []);
});

t.test('new files that ended processes left half-written are removed', async (t) => {
  const { cacheFile } = folder(t);
  fs.mkdirSync(path.dirname(cacheFile));
  const dead = `${cacheFile}.4194305-0a1b2c.tmp`; // above Linux's largest process id: never running
  const recent = `${cacheFile}.4194306-0a1b2c.tmp`;
  const running = `${cacheFile}.${process.ppid}-0a1b2c.tmp`;
  const unrelated = path.join(path.dirname(cacheFile), 'other.posts.4194305-0a1b2c.tmp');
  const old = new Date(Date.now() - 2 * 3_600_000);
  for (const file of [dead, recent, running, unrelated]) {
    fs.writeFileSync(file, 'half');
    if (file !== recent) fs.utimesSync(file, old, old);
  }
  open(cacheFile).close();
  t.notOk(fs.existsSync(dead));
  t.ok(fs.existsSync(recent), 'a process id may be another container\'s: only old ones go');
  t.ok(fs.existsSync(running), 'a running process may still finish its own');
  t.ok(fs.existsSync(unrelated), 'another folder\'s');
});

t.test('a file read right after it was written is not kept (its next write may keep the same times)', async (t) => {
  const stamp = { dev: 2049, ino: 1, size: 10, mtimeMs: 1_000_000, ctimeMs: 1_000_500 };
  t.equal(settledStamp(stamp, 1_000_500 + RACY_MS - 1), null);
  t.same(settledStamp({ ...stamp, extra: true } as typeof stamp, 1_000_500 + RACY_MS), stamp, 'only the stamp is kept');
});

t.test('the search index is kept beside the cache, and read back only whole and made with the same key', async (t) => {
  const { posts, cacheFile } = folder(t);
  writeCache(cacheFile, chunkOf(posts, ['a.md']));
  const cache = open(cacheFile);
  t.equal(cache.readIndex(), null, 'none kept yet');
  cache.writeIndex([Buffer.from('harbour '), Buffer.from('bridge')]);
  t.same(cache.readIndex(), Buffer.from('harbour bridge'), 'its parts, in order');
  t.same(fs.readdirSync(path.dirname(cacheFile)).sort(), [path.basename(cacheFile), path.basename(cache.indexFile)], 'beside the posts, no temporary file left');
  cache.writeIndex([Buffer.from('council')]);
  t.same(cache.readIndex(), Buffer.from('council'), 'replaced whole');
  t.equal(cache.readIndex()!.byteOffset % 8, 0, 'in memory its typed arrays can view');
  cache.close();

  t.same(open(cacheFile).readIndex(), Buffer.from('council'), 'read by the next start');
  t.equal(open(cacheFile, 'k2').readIndex(), null, 'not by a start that reads posts another way');
  const bytes = fs.readFileSync(cache.indexFile);
  const damaged = Buffer.from(bytes);
  damaged[damaged.length - 2] = damaged[damaged.length - 2]! ^ 0xff;
  fs.writeFileSync(cache.indexFile, damaged);
  t.equal(open(cacheFile).readIndex(), null, 'changed bytes');
  fs.writeFileSync(cache.indexFile, bytes.subarray(0, 6));
  t.equal(open(cacheFile).readIndex(), null, 'cut short');
});

t.test('a search index is neither read from nor written to a folder others may write to', async (t) => {
  const { posts, cacheFile } = folder(t);
  writeCache(cacheFile, chunkOf(posts, ['a.md']));
  const cache = open(cacheFile);
  cache.writeIndex([Buffer.from('kept')]);
  cache.close();
  fs.chmodSync(path.dirname(cacheFile), 0o777);
  const problems: string[] = [];
  const shared = open(cacheFile, 'k1', problems);
  t.equal(shared.readIndex(), null, 'anyone could have planted it');
  t.notOk(shared.writable);
  shared.writeIndex([Buffer.from('other')]);
  fs.chmodSync(path.dirname(cacheFile), 0o700);
  t.same(open(cacheFile).readIndex(), Buffer.from('kept'), 'not written either');
  t.equal(problems.length, 1);
});

t.test('a search index that cannot be put in place is reported, and leaves no temporary file; the cache goes on', async (t) => {
  const { posts, cacheFile } = folder(t);
  writeCache(cacheFile, chunkOf(posts, ['a.md']));
  const problems: string[] = [];
  const cache = open(cacheFile, 'k1', problems);
  fs.mkdirSync(path.join(cache.indexFile, 'in-the-way'), { recursive: true });
  cache.writeIndex([Buffer.from('index')]);
  t.match(problems, [/the search index .*\.posts\.search cannot be written \(.*\): it will be built from the posts at the next start/]);
  t.ok(cache.writable, 'the posts\' records are still written');
  t.same(fs.readdirSync(path.dirname(cacheFile)).sort(), [path.basename(cacheFile), path.basename(cache.indexFile)]);
  cache.close();
});

t.test('the caches of posts folders no server has opened for 30 days are removed; those in use are marked', async (t) => {
  const { posts, cacheFile } = folder(t);
  writeCache(cacheFile, chunkOf(posts, ['a.md']));
  const dir = path.dirname(cacheFile);
  const at = (name: string) => path.join(dir, name);
  const old = new Date(Date.now() - UNUSED_MS - 86_400_000);
  const lately = new Date(Date.now() - UNUSED_MS + 86_400_000);
  const files: [string, Date][] = [
    [path.basename(cacheFile), old], // this folder's, not opened for long: in use again now
    ['site-2of2.posts', old], // this folder's other worker's
    ['gone-1of2.posts', old],
    ['gone-1of2.posts.search', old],
    ['gone-2of2.posts.4194305-0a1b2c.tmp', old], // a first load killed long ago
    ['lately-1of2.posts', lately],
    ['notes.txt', old], // not a cache
  ];
  for (const [name, time] of files) {
    if (!fs.existsSync(at(name))) fs.writeFileSync(at(name), 'x');
    fs.utimesSync(at(name), time, time);
  }
  open(cacheFile).close();
  t.same(fs.readdirSync(dir).sort(), ['lately-1of2.posts', 'notes.txt', path.basename(cacheFile), 'site-2of2.posts']);
  t.ok(Date.now() - fs.statSync(cacheFile).mtimeMs < 60_000, 'the cache opened is marked as used');
});
