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
// the file when needed, not held in memory.
import fs from 'node:fs';
import path from 'node:path';
import { threadId } from 'node:worker_threads';
import { deserialize, serialize } from 'node:v8';

const MAGIC = 'newsroom-parse-cache';
/** Bumped when the layout of the file or of its records changes. */
export const CACHE_FORMAT = 1;
/**
 * A file read less than this long after it was last written may change again within
 * the file system's timestamp granularity (a kernel tick; 1-2 s on some file systems)
 * without its times or size changing: it is not kept (git's "racy clean" rule).
 */
export const RACY_MS = 2_000;
/** Entries in a file beyond twice its live ones (and this many): it is written anew. */
const MIN_GARBAGE = 1_024;
/** Three lengths before each record: its files and stamps, its search fields, its loads. */
const HEAD = 12;
/** New files being written by this thread, for their names: two sites may share a folder (tests). */
let temporaries = 0;

/** What identifies one version of a file: the same inode, size and times. */
export interface FileStamp {
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
  /** Where the record's search fields and loads are in the file. */
  readonly at: number;
  readonly fieldsLength: number;
  readonly loadsLength: number;
}

interface Entry {
  readonly place: Place;
  readonly index: number;
}

function stampsOf(stamps: readonly (FileStamp | null)[]): Float64Array {
  const out = new Float64Array(stamps.length * 4).fill(NaN);
  stamps.forEach((s, i) => {
    if (s) out.set([s.ino, s.size, s.mtimeMs, s.ctimeMs], i * 4);
  });
  return out;
}

function matches(stamps: Float64Array, i: number, stat: fs.Stats | undefined): boolean {
  return (
    stat !== undefined && stat.isFile() && stamps[i * 4] === stat.ino && stamps[i * 4 + 1] === stat.size &&
    stamps[i * 4 + 2] === stat.mtimeMs && stamps[i * 4 + 3] === stat.ctimeMs
  );
}

function encode(chunk: Chunk): Buffer {
  const meta = serialize([chunk.files, stampsOf(chunk.stamps)]);
  const fields = serialize(chunk.fields);
  const head = Buffer.allocUnsafe(HEAD);
  head.writeUInt32LE(meta.length, 0);
  head.writeUInt32LE(fields.length, 4);
  head.writeUInt32LE(chunk.loads.length, 8);
  return Buffer.concat([head, meta, fields, chunk.loads]);
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
    const [magic, format, made] = deserialize(readAt(fd, 4, headerLength)) as unknown[];
    if (magic !== MAGIC || format !== CACHE_FORMAT || made !== key) return { entries, rewrite: true };
    let at = 4 + headerLength;
    let count = 0;
    while (at < size) {
      const head = readAt(fd, at, HEAD);
      const [metaLength, fieldsLength, loadsLength] = [0, 4, 8].map((o) => head.readUInt32LE(o)) as [number, number, number];
      const end = at + HEAD + metaLength + fieldsLength + loadsLength;
      if (end > size) throw new Error('cut short');
      const [files, stamps] = deserialize(readAt(fd, at + HEAD, metaLength)) as [string[], Float64Array];
      if (!Array.isArray(files) || !(stamps instanceof Float64Array) || stamps.length !== files.length * 4) throw new Error('not a record');
      const place: Place = { files, stamps, at: at + HEAD + metaLength, fieldsLength, loadsLength };
      files.forEach((file, index) => {
        if (Number.isNaN(stamps[index * 4])) entries.delete(file);
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

/** Removes the new files of processes that ended before they finished them (killed during a first load). */
function removeLeftovers(file: string): void {
  const prefix = `${path.basename(file)}.`;
  for (const name of fs.readdirSync(path.dirname(file))) {
    const pid = name.startsWith(prefix) ? /^(\d+)-\d+-\d+\.tmp$/.exec(name.slice(prefix.length))?.[1] : undefined;
    if (pid !== undefined && Number(pid) !== process.pid && !alive(Number(pid))) fs.rmSync(path.join(path.dirname(file), name), { force: true });
  }
}

/**
 * One posts folder's cache in one worker. The first load asks for every file; each
 * entry is handed out at most once. settle() ends the first load: entries not asked for
 * are files that are gone. Changes after it are appended as they come.
 */
export class ParseCache {
  private entries = new Map<string, Entry>();
  private readFd: number | null = null;
  private writeFd: number | null = null;
  /** The new file written during the first load, renamed over the old one by settle(). */
  private temp: string | null = null;
  private writing = true;
  private settled = false;
  /** The last record decoded for single lookups (they come in the order written). */
  private decoded: { place: Place; fields: SearchFields[]; loads: unknown[] } | null = null;

  constructor(
    readonly file: string,
    readonly key: string,
    private readonly report: (problem: string) => void,
  ) {
    let rewrite = true;
    try {
      this.readFd = fs.openSync(file, 'r');
      ({ entries: this.entries, rewrite } = readContents(this.readFd, key));
    } catch {
      // no cache yet
    }
    this.tryWrite(() => {
      if (rewrite) {
        fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
        removeLeftovers(file);
        this.temp = `${file}.${process.pid}-${threadId}-${++temporaries}.tmp`;
        this.writeFd = fs.openSync(this.temp, 'w', 0o600);
        const header = serialize([MAGIC, CACHE_FORMAT, key]);
        const length = Buffer.allocUnsafe(4);
        length.writeUInt32LE(header.length, 0);
        fs.writeSync(this.writeFd, Buffer.concat([length, header]));
      } else {
        this.writeFd = fs.openSync(file, 'a');
      }
    });
  }

  /**
   * The answer to a whole parse request, if one record holds exactly `files`, in order,
   * and none of them changed: sent on without decoding its loads.
   */
  whole(files: readonly string[], absOf: (file: string) => string): Chunk | null {
    const first = this.entries.get(files[0]!);
    const place = first?.place;
    if (!place || this.readFd === null || place.files.length !== files.length) return null;
    for (let i = 0; i < files.length; i++) {
      const entry = this.entries.get(files[i]!);
      if (entry?.place !== place || entry.index !== i) return null;
      if (!matches(place.stamps, i, fs.lstatSync(absOf(files[i]!), { throwIfNoEntry: false }))) return null;
    }
    let chunk: Chunk;
    try {
      const bytes = readAt(this.readFd, place.at, place.fieldsLength);
      const stamps = files.map((_, i) => ({
        ino: place.stamps[i * 4]!, size: place.stamps[i * 4 + 1]!, mtimeMs: place.stamps[i * 4 + 2]!, ctimeMs: place.stamps[i * 4 + 3]!,
      }));
      chunk = { files, stamps, fields: deserialize(bytes) as SearchFields[], loads: readAt(this.readFd, place.at + place.fieldsLength, place.loadsLength) };
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
    if (!entry || this.readFd === null) return undefined;
    this.entries.delete(file);
    const { place, index } = entry;
    // lstat: a symbolic link is read (and checked) by the caller every time.
    const stat = fs.lstatSync(abs, { throwIfNoEntry: false });
    if (!matches(place.stamps, index, stat)) return undefined;
    try {
      if (this.decoded?.place !== place) {
        const bytes = readAt(this.readFd, place.at, place.fieldsLength + place.loadsLength);
        this.decoded = {
          place,
          fields: deserialize(bytes.subarray(0, place.fieldsLength)) as SearchFields[],
          loads: deserialize(bytes.subarray(place.fieldsLength)) as unknown[],
        };
      }
    } catch {
      return undefined;
    }
    return { load: this.decoded.loads[index], fields: this.decoded.fields[index]!, stamp: stat! };
  }

  /**
   * Writes the answer to a parse request. `news`: whether it holds a file read anew that
   * can be kept; if not, a file being appended to already holds all it could of it.
   */
  add(chunk: Chunk, news = true): void {
    if (!news && this.temp === null) return;
    this.tryWrite(() => fs.writeSync(this.writeFd!, encode(chunk)));
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
    if (this.temp === null) return;
    const temp = this.temp;
    this.temp = null;
    this.tryWrite(() => {
      fs.closeSync(this.writeFd!);
      this.writeFd = null;
      fs.renameSync(temp, this.file);
      this.writeFd = fs.openSync(this.file, 'a');
    });
  }

  /** Stops reading and writing; a new file not yet complete is removed. */
  close(): void {
    this.dropEntries();
    this.stopWriting();
  }

  private dropEntries(): void {
    this.entries = new Map();
    this.decoded = null;
    if (this.readFd !== null) fs.closeSync(this.readFd);
    this.readFd = null;
  }

  private stopWriting(): void {
    this.writing = false;
    if (this.writeFd !== null) fs.closeSync(this.writeFd);
    this.writeFd = null;
    if (this.temp !== null) fs.rmSync(this.temp, { force: true });
    this.temp = null;
  }

  /** Runs a write; a failure is reported once and turns writing off (lookups go on). */
  private tryWrite(write: () => void): void {
    if (!this.writing) return;
    try {
      write();
    } catch (err) {
      this.report(`the post cache ${this.file} cannot be written (${(err as Error).message}): posts will be read in full at the next start`);
      this.stopWriting();
    }
  }
}

/** Whether a file read at `readAt` (ms since the epoch) with `stat` may be kept. */
export function settledStamp(stat: FileStamp, readAt: number): FileStamp | null {
  if (readAt - Math.max(stat.mtimeMs, stat.ctimeMs) < RACY_MS) return null;
  const { ino, size, mtimeMs, ctimeMs } = stat;
  return { ino, size, mtimeMs, ctimeMs };
}
