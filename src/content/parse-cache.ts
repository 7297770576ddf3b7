// What a parse worker made of each post file, kept on disk, so that a restart reads and
// parses only the files that changed meanwhile (POST_CACHE_DIR). Each worker keeps one
// file per posts folder: a header naming how posts were read (the code, its
// dependencies, the settings), then one record per parse request, holding the request's
// files with their stamps, what is indexed of each for search, and the loads exactly as
// they were sent to the main thread (serialized once, for both). A restart asks for the
// same files in the same requests: a record whose files are all unchanged is sent on as
// it is, without being decoded here. A file is taken from the cache only when its
// inode, size, modification and change times are those it had when it was read, and it
// was not read in the same moment it was written (see RACY_MS). Records are read from
// the file when needed, not held in memory, and each carries checksums: a damaged one
// is read as a miss, never sent on.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { crc32 } from 'node:zlib';

const MAGIC = 'newsroom-parse-cache';
const INDEX_MAGIC = 'newsroom-search-index';
/** Bumped when the layout of the file or of its records changes. */
export const CACHE_FORMAT = 2;
/**
 * A file read less than this long after it was last written may change again within
 * the file system's timestamp granularity (a kernel tick; 1-2 s on some file systems)
 * without its times or size changing: it is not kept (git's "racy clean" rule).
 */
export const RACY_MS = 2_000;
/** Entries in a file beyond twice its live ones (and this many): it is written anew. */
const MIN_GARBAGE = 1_024;
/**
 * Before each record: the lengths of its files and stamps, its search fields and its
 * loads, then the checksum (CRC-32) of the first and of the other two.
 */
const HEAD = 20;
/**
 * What a running server appends at most, beyond the size of the file when its first
 * load settled (and at least this): edits without end would otherwise grow the file
 * without end. Past it, changes are no longer written (they are read in full at the
 * next start, which writes the file anew).
 */
const MIN_APPEND_BUDGET = 16 * 1024 * 1024;
/** A new file left this long by a process that is gone was not finished: removed. */
const LEFTOVER_MS = 3_600_000;
/** The caches of a posts folder no server has opened for this long are removed (folders come and go). */
export const UNUSED_MS = 30 * 86_400_000;
const { O_RDONLY, O_WRONLY, O_RDWR, O_APPEND, O_CREAT, O_EXCL, O_NOFOLLOW } = fs.constants;

/** What identifies one version of a file: the same device, inode, size and times. */
export interface FileStamp {
  readonly dev: number;
  readonly ino: number;
  readonly size: number;
  readonly mtimeMs: number;
  readonly ctimeMs: number;
}

/** What is indexed of a post besides its file: title, summary, terms, body. */
export type SearchFields = readonly [title: string, summary: string, terms: string, body: string];

/** One parse request's answer, as written and as sent on. */
export interface Chunk {
  readonly files: readonly string[];
  /** Each file's stamp, or null where it is not to be kept (unreadable, or racy). */
  readonly stamps: readonly (FileStamp | null)[];
  /** Search fields of each kept file (anything for the others). */
  readonly fields: readonly SearchFields[];
  /** The serialized loads, one per file. */
  readonly loads: Uint8Array;
}

interface Place {
  readonly files: readonly string[];
  readonly stamps: Float64Array;
  /** Where the record's search fields and loads are in the file, and their checksum. */
  readonly at: number;
  readonly fieldsLength: number;
  readonly loadsLength: number;
  readonly check: number;
}

interface Entry {
  readonly place: Place;
  readonly index: number;
}

/** Numbers per stamp in a record (and in the search index's image). */
export const STAMP = 5;

function stampsOf(stamps: readonly (FileStamp | null)[]): Float64Array {
  const out = new Float64Array(stamps.length * STAMP).fill(NaN);
  stamps.forEach((s, i) => {
    if (s) out.set(stampNumbers(s), i * STAMP);
  });
  return out;
}

function stampAt(stamps: Float64Array, i: number): FileStamp {
  const [dev, ino, size, mtimeMs, ctimeMs] = stamps.subarray(i * STAMP, (i + 1) * STAMP) as unknown as number[];
  return { dev: dev!, ino: ino!, size: size!, mtimeMs: mtimeMs!, ctimeMs: ctimeMs! };
}

/** The numbers of a stamp, as records (and index images) keep them. */
export function stampNumbers(stamp: FileStamp): number[] {
  return [stamp.dev, stamp.ino, stamp.size, stamp.mtimeMs, stamp.ctimeMs];
}

/** Whether the stamp kept at `i` is `stamp`. */
export function sameStamp(stamps: ArrayLike<number>, i: number, stamp: FileStamp): boolean {
  const at = i * STAMP;
  return stamps[at] === stamp.dev && stamps[at + 1] === stamp.ino && stamps[at + 2] === stamp.size && stamps[at + 3] === stamp.mtimeMs && stamps[at + 4] === stamp.ctimeMs;
}

function matches(stamps: Float64Array, i: number, stat: fs.Stats | undefined): boolean {
  return stat !== undefined && stat.isFile() && sameStamp(stamps, i, stat);
}

function encode(chunk: Chunk): Buffer {
  const meta = serialize([chunk.files, stampsOf(chunk.stamps)]);
  const fields = serialize(chunk.fields);
  const head = Buffer.allocUnsafe(HEAD);
  head.writeUInt32LE(meta.length, 0);
  head.writeUInt32LE(fields.length, 4);
  head.writeUInt32LE(chunk.loads.length, 8);
  head.writeUInt32LE(crc32(meta), 12);
  head.writeUInt32LE(crc32(chunk.loads, crc32(fields)), 16);
  return Buffer.concat([head, meta, fields, chunk.loads]);
}

/** A file's header: its length, then the values (v8-serialized). */
function header(...values: unknown[]): Buffer {
  const bytes = serialize(values);
  const length = Buffer.allocUnsafe(4);
  length.writeUInt32LE(bytes.length, 0);
  return Buffer.concat([length, bytes]);
}

/** Writes all of `bytes` (a write may take fewer; the next would then land in the middle). */
function writeAll(fd: number, bytes: Uint8Array): void {
  for (let done = 0; done < bytes.length; ) done += fs.writeSync(fd, bytes, done);
}

function readAt(fd: number, at: number, length: number): Buffer {
  const bytes = Buffer.allocUnsafeSlow(length); // its own memory: it may be transferred
  if (fs.readSync(fd, bytes, 0, length, at) !== length) throw new Error('cut short');
  return bytes;
}

interface Contents {
  readonly entries: Map<string, Entry>;
  /** Whether the file should be written anew rather than appended to. */
  readonly rewrite: boolean;
}

/** Where each file's entry is in a cache file made with `key`; none if it is missing, damaged or another key's. */
function readContents(fd: number, key: string): Contents {
  const entries = new Map<string, Entry>();
  const size = fs.fstatSync(fd).size;
  try {
    const headerLength = readAt(fd, 0, 4).readUInt32LE(0);
    if (4 + headerLength > size) throw new Error('cut short');
    const [magic, format, made] = deserialize(readAt(fd, 4, headerLength)) as unknown[];
    if (magic !== MAGIC || format !== CACHE_FORMAT || made !== key) return { entries, rewrite: true };
    let at = 4 + headerLength;
    let count = 0;
    while (at < size) {
      const head = readAt(fd, at, HEAD);
      const [metaLength, fieldsLength, loadsLength, metaCheck, check] = [0, 4, 8, 12, 16].map((o) => head.readUInt32LE(o)) as number[];
      const end = at + HEAD + metaLength! + fieldsLength! + loadsLength!;
      if (end > size) throw new Error('cut short');
      const meta = readAt(fd, at + HEAD, metaLength!);
      if (crc32(meta) !== metaCheck) throw new Error('damaged');
      const [files, stamps] = deserialize(meta) as [string[], Float64Array];
      if (!Array.isArray(files) || !(stamps instanceof Float64Array) || stamps.length !== files.length * STAMP) throw new Error('not a record');
      const place: Place = { files, stamps, at: at + HEAD + metaLength!, fieldsLength: fieldsLength!, loadsLength: loadsLength!, check: check! };
      files.forEach((file, index) => {
        if (Number.isNaN(stamps[index * STAMP])) entries.delete(file);
        else entries.set(file, { place, index });
      });
      count += files.length;
      at = end;
    }
    return { entries, rewrite: count - entries.size > Math.max(MIN_GARBAGE, 2 * entries.size) };
  } catch {
    // Missing, unreadable, or damaged: what was read before the damage is still good,
    // but a new file is written (anything appended after damage could not be read).
    return { entries, rewrite: true };
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes new files that processes which have ended left unfinished (killed during a
 * first load). Only old ones: a process id may belong to another container's namespace.
 */
function removeLeftovers(file: string): void {
  const dir = path.dirname(file);
  const prefix = `${path.basename(file)}.`;
  for (const name of fs.readdirSync(dir)) {
    const pid = name.startsWith(prefix) ? /^(\d+)-[0-9a-f]+\.tmp$/.exec(name.slice(prefix.length))?.[1] : undefined;
    if (pid === undefined || Number(pid) === process.pid || alive(Number(pid))) continue;
    const stat = fs.lstatSync(path.join(dir, name), { throwIfNoEntry: false });
    if (stat && Date.now() - stat.mtimeMs > LEFTOVER_MS) fs.rmSync(path.join(dir, name), { force: true });
  }
}

/**
 * Marks this posts folder's files as in use, and removes those of other folders that no
 * server has opened for UNUSED_MS (and new files of theirs never finished). A folder's
 * files share the name up to its first `-`.
 */
function sweep(file: string, indexFile: string): void {
  const now = new Date();
  for (const own of [file, indexFile]) {
    try {
      fs.utimesSync(own, now, now);
    } catch {
      // not written yet
    }
  }
  const dir = path.dirname(file);
  const folder = `${path.basename(file).split('-')[0]}-`;
  for (const name of fs.readdirSync(dir)) {
    if (name.startsWith(folder) || !/\.posts(\.search)?(\.\d+-[0-9a-f]+\.tmp)?$/.test(name)) continue;
    const stat = fs.lstatSync(path.join(dir, name), { throwIfNoEntry: false });
    if (stat?.isFile() && now.getTime() - stat.mtimeMs > UNUSED_MS) fs.rmSync(path.join(dir, name), { force: true });
  }
}

/**
 * The cache is trusted as the posts are: its folder must be this user's, and no one
 * else's to write in (a shared temporary folder would let others plant records).
 */
function checkFolder(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stat = fs.lstatSync(dir);
  // Windows has no user ids (nor these mode bits).
  /* c8 ignore next */
  const uid = process.getuid?.() ?? stat.uid;
  if (!stat.isDirectory() || stat.uid !== uid || (stat.mode & 0o022) !== 0) {
    throw new Error(`${dir} must be a folder of this user's that no one else may write to`);
  }
}

/**
 * One posts folder's cache in one worker. The first load asks for every file; each
 * entry is handed out at most once. settle() ends the first load: entries not asked for
 * are files that are gone. Changes after it are appended as they come.
 */
export class ParseCache {
  private entries = new Map<string, Entry>();
  /** The file entries are read from; the same descriptor is appended to, unless a new file is written. */
  private source: number | null = null;
  private sink: number | null = null;
  /** The new file written during the first load, renamed over the old one by settle(). */
  private temp: string | null = null;
  private writing = true;
  private settled = false;
  /** Bytes that may still be appended (set when the first load settles). */
  private budget = Infinity;
  /** Whether the folder passed checkFolder: nothing is read from one that did not. */
  private trusted = false;
  /** Where the search index of these posts is kept (readIndex, writeIndex). */
  readonly indexFile: string;
  /** The last record decoded for single lookups (they come in the order written). */
  private decoded: { place: Place; fields: SearchFields[]; loads: unknown[] } | null = null;

  constructor(
    readonly file: string,
    readonly key: string,
    private readonly report: (problem: string) => void,
  ) {
    this.indexFile = `${file}.search`;
    try {
      checkFolder(path.dirname(file));
    } catch (err) {
      this.fail(err);
      return;
    }
    this.trusted = true;
    this.tryWrite(() => sweep(file, this.indexFile));
    let rewrite = true;
    try {
      // One descriptor to read and append: what is appended goes to the file whose key was read.
      this.source = fs.openSync(file, O_RDWR | O_APPEND | O_NOFOLLOW);
      ({ entries: this.entries, rewrite } = readContents(this.source, key));
    } catch {
      // no cache yet
    }
    if (!rewrite) {
      this.sink = this.source;
      return;
    }
    this.tryWrite(() => {
      removeLeftovers(file);
      this.temp = `${file}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`;
      this.sink = fs.openSync(this.temp, O_RDWR | O_APPEND | O_CREAT | O_EXCL, 0o600);
      writeAll(this.sink, header(MAGIC, CACHE_FORMAT, key));
    });
  }

  /**
   * The answer to a whole parse request, if one record holds exactly `files`, in order,
   * and none of them changed: sent on without decoding its loads.
   */
  whole(files: readonly string[], absOf: (file: string) => string): Chunk | null {
    const first = this.entries.get(files[0]!);
    const place = first?.place;
    if (!place || this.source === null || place.files.length !== files.length) return null;
    for (let i = 0; i < files.length; i++) {
      const entry = this.entries.get(files[i]!);
      if (entry?.place !== place || entry.index !== i) return null;
      if (!matches(place.stamps, i, fs.lstatSync(absOf(files[i]!), { throwIfNoEntry: false }))) return null;
    }
    let chunk: Chunk;
    try {
      const fields = readAt(this.source, place.at, place.fieldsLength);
      const loads = readAt(this.source, place.at + place.fieldsLength, place.loadsLength);
      if (crc32(loads, crc32(fields)) !== place.check) return null; // damaged: the posts are read instead
      const stamps = files.map((_, i) => stampAt(place.stamps, i));
      chunk = { files, stamps, fields: deserialize(fields) as SearchFields[], loads };
    } catch {
      return null; // the file was changed under us: read the posts themselves
    }
    for (const file of files) this.entries.delete(file);
    if (this.temp !== null) this.add(chunk); // carried over into the new file
    return chunk;
  }

  /** What `file` parsed into (its load and search fields), if the file at `abs` is still the one it was read from. */
  lookup(file: string, abs: string): { load: unknown; fields: SearchFields; stamp: FileStamp } | undefined {
    const entry = this.entries.get(file);
    if (!entry || this.source === null) return undefined;
    this.entries.delete(file);
    const { place, index } = entry;
    // lstat: a symbolic link is read (and checked) by the caller every time.
    const stat = fs.lstatSync(abs, { throwIfNoEntry: false });
    if (!matches(place.stamps, index, stat)) return undefined;
    try {
      if (this.decoded?.place !== place) {
        const bytes = readAt(this.source, place.at, place.fieldsLength + place.loadsLength);
        const fields = bytes.subarray(0, place.fieldsLength);
        const loads = bytes.subarray(place.fieldsLength);
        if (crc32(loads, crc32(fields)) !== place.check) return undefined;
        this.decoded = { place, fields: deserialize(fields) as SearchFields[], loads: deserialize(loads) as unknown[] };
      }
    } catch {
      return undefined;
    }
    return { load: this.decoded.loads[index], fields: this.decoded.fields[index]!, stamp: stampAt(place.stamps, index) };
  }

  /**
   * Writes the answer to a parse request. `news`: whether it holds a file read anew that
   * can be kept; if not, a file being appended to already holds all it could of it.
   */
  add(chunk: Chunk, news = true): void {
    if (!news && this.temp === null) return;
    const bytes = encode(chunk);
    this.budget -= bytes.length;
    if (this.budget < 0) return this.stopWriting();
    this.tryWrite(() => writeAll(this.sink!, bytes));
  }

  /** `files` are gone or unreadable: entries written for them before no longer count. */
  forget(files: readonly string[]): void {
    // A new file holds only what was added to it.
    if (files.length === 0 || this.temp !== null) return;
    this.add({ files, stamps: files.map(() => null), fields: [], loads: new Uint8Array(0) });
  }

  /** The first load has asked for every file: those it did not ask for are gone. */
  settle(): void {
    if (this.settled) return;
    this.settled = true;
    this.forget([...this.entries.keys()]);
    this.dropEntries();
    // The descriptor follows the file: appends after the rename go to the new file.
    if (this.temp !== null) {
      this.tryWrite(() => {
        fs.renameSync(this.temp!, this.file);
        this.temp = null;
      });
    }
    this.tryWrite(() => {
      this.budget = Math.max(MIN_APPEND_BUDGET, fs.fstatSync(this.sink!).size);
    });
  }

  /** Whether writes still go to disk (not after a failure, nor past the append budget). */
  get writable(): boolean {
    return this.writing;
  }

  /**
   * What writeIndex kept beside the cache, if it was written with this cache's key and
   * is whole. It says nothing of the posts: its user checks each entry against the files.
   */
  readIndex(): Buffer | null {
    if (!this.trusted) return null;
    let fd: number;
    try {
      fd = fs.openSync(this.indexFile, O_RDONLY | O_NOFOLLOW);
    } catch {
      return null; // none kept yet
    }
    let payload: Buffer | null = null;
    try {
      const size = fs.fstatSync(fd).size;
      const headerLength = readAt(fd, 0, 4).readUInt32LE(0);
      if (4 + headerLength > size) throw new Error('cut short');
      const [magic, format, made, check] = deserialize(readAt(fd, 4, headerLength)) as unknown[];
      if (magic === INDEX_MAGIC && format === CACHE_FORMAT && made === this.key) {
        // A buffer of its own: its memory is aligned for the typed arrays read from it.
        payload = readAt(fd, 4 + headerLength, size - 4 - headerLength);
        if (crc32(payload) !== check) payload = null;
      }
    } catch {
      // cut short
    }
    fs.closeSync(fd);
    return payload;
  }

  /**
   * Keeps the payload made of `parts` (the search index of these posts) beside the cache,
   * in place of what was there. A failure is reported; the posts' records go on.
   */
  writeIndex(parts: readonly Uint8Array[]): void {
    if (!this.writing) return;
    const temp = `${this.indexFile}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`;
    try {
      removeLeftovers(this.indexFile);
      const fd = fs.openSync(temp, O_WRONLY | O_CREAT | O_EXCL, 0o600);
      try {
        const check = parts.reduce((crc, part) => crc32(part, crc), 0);
        writeAll(fd, header(INDEX_MAGIC, CACHE_FORMAT, this.key, check));
        for (const part of parts) writeAll(fd, part);
      } finally {
        fs.closeSync(fd);
      }
      fs.renameSync(temp, this.indexFile);
    } catch (err) {
      fs.rmSync(temp, { force: true });
      this.report(`the search index ${this.indexFile} cannot be written (${(err as Error).message}): it will be built from the posts at the next start`);
    }
  }

  /** Stops reading and writing; a new file not yet complete is removed. */
  close(): void {
    this.dropEntries();
    this.stopWriting();
  }

  private dropEntries(): void {
    this.entries = new Map();
    this.decoded = null;
    if (this.source !== null && this.source !== this.sink) fs.closeSync(this.source);
    this.source = null;
  }

  private stopWriting(): void {
    this.writing = false;
    if (this.sink !== null && this.sink !== this.source) fs.closeSync(this.sink);
    this.sink = null;
    if (this.temp !== null) fs.rmSync(this.temp, { force: true });
    this.temp = null;
  }

  /** A failure to write is reported once and turns writing off (lookups go on). */
  private fail(err: unknown): void {
    this.report(`the post cache ${this.file} cannot be used (${(err as Error).message}): posts will be read in full at the next start`);
    this.stopWriting();
  }

  private tryWrite(write: () => void): void {
    if (!this.writing) return;
    try {
      write();
    } catch (err) {
      this.fail(err);
    }
  }
}

/** Whether a file read at `readAt` (ms since the epoch) with `stat` may be kept. */
export function settledStamp(stat: FileStamp, readAt: number): FileStamp | null {
  if (readAt - Math.max(stat.mtimeMs, stat.ctimeMs) < RACY_MS) return null;
  const { dev, ino, size, mtimeMs, ctimeMs } = stat;
  return { dev, ino, size, mtimeMs, ctimeMs };
}
