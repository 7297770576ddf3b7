// Variants on disk in IMAGE_CACHE_DIR, within a size cap, least recently used out
// first. A file is written under a temporary name and renamed, so a reader never sees
// half of one; at start, temporary files an interrupted process left are removed and
// the recency order is rebuilt from the files' modification times (a hit touches its
// file), so the cache survives restarts.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../content/content-store.js';

export interface VariantCacheOptions {
  readonly dir: string;
  readonly maxBytes: number;
  readonly log: Pick<Logger, 'info' | 'error'>;
}

export interface VariantCache {
  /** The variant stored under `key`, or null. */
  get(key: string): Promise<Buffer | null>;
  /** Stores a variant; a failure to write is logged, never thrown (the bytes are still good). */
  put(key: string, bytes: Buffer): Promise<void>;
  readonly stats: { readonly files: number; readonly bytes: number };
}

/** `<fingerprint>-<width>.<format>`: the only names the cache reads, and deletes. */
const VARIANT_FILE = /^[0-9a-f]{16}-\d+\.(avif|webp|jpg|png)$/;
const TEMP_PREFIX = '.tmp-';

export function cacheKey(fingerprint: string, width: number, format: string): string {
  return `${fingerprint}-${width}.${format}`;
}

/** Creates the folder if needed, cleans up after a crash and reads what is there. */
export async function openVariantCache(options: VariantCacheOptions): Promise<VariantCache> {
  const { dir, maxBytes, log } = options;
  try {
    await fs.promises.mkdir(dir, { recursive: true });
    await fs.promises.access(dir, fs.constants.W_OK);
  } catch (err) {
    throw new Error(`IMAGE_CACHE_DIR ${dir} cannot be created or written to`, { cause: err });
  }
  // Insertion order is recency: the first key is the least recently used.
  const sizes = new Map<string, number>();
  let total = 0;

  const found: { key: string; size: number; mtimeMs: number }[] = [];
  let removed = 0;
  for (const entry of await fs.promises.readdir(dir, { withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(dir, entry.name);
    if (entry.name.startsWith(TEMP_PREFIX)) {
      await fs.promises.rm(file, { force: true });
      removed++;
      continue;
    }
    if (!VARIANT_FILE.test(entry.name)) continue;
    const stat = await fs.promises.stat(file);
    found.push({ key: entry.name, size: stat.size, mtimeMs: stat.mtimeMs });
  }
  found.sort((a, b) => a.mtimeMs - b.mtimeMs);
  for (const { key, size } of found) remember(key, size);
  await evict();
  log.info({ dir, files: sizes.size, bytes: total, tempFilesRemoved: removed }, 'image cache opened');

  /** Adds or moves `key` to the most recently used end. */
  function remember(key: string, size: number): void {
    forget(key);
    sizes.set(key, size);
    total += size;
  }

  function forget(key: string): void {
    total -= sizes.get(key) ?? 0;
    sizes.delete(key);
  }

  async function evict(): Promise<void> {
    while (total > maxBytes) {
      // Over the cap, so there is at least one entry.
      const oldest = sizes.keys().next().value!;
      forget(oldest);
      await fs.promises.rm(path.join(dir, oldest), { force: true });
    }
  }

  async function get(key: string): Promise<Buffer | null> {
    const size = sizes.get(key);
    if (size === undefined) return null;
    // The most recently used from now on: marked before the read, so that an eviction
    // while the file is read is not undone (an entry counted with no file behind it).
    remember(key, size);
    const file = path.join(dir, key);
    let bytes: Buffer;
    try {
      bytes = await fs.promises.readFile(file);
    } catch {
      // Deleted behind our back (an operator, a disk cleaner, an eviction meanwhile):
      // made again on demand.
      forget(key);
      return null;
    }
    // The order survives a restart through the modification time; not waited for.
    const now = new Date();
    fs.promises.utimes(file, now, now).catch(() => {});
    return bytes;
  }

  async function put(key: string, bytes: Buffer): Promise<void> {
    // One variant bigger than the whole cache would only push everything else out.
    if (bytes.length > maxBytes) return;
    const temp = path.join(dir, `${TEMP_PREFIX}${randomUUID()}`);
    try {
      await fs.promises.writeFile(temp, bytes, { flush: true });
      await fs.promises.rename(temp, path.join(dir, key));
    } catch (err) {
      log.error({ err, dir }, 'image cache write failed');
      await fs.promises.rm(temp, { force: true });
      return;
    }
    remember(key, bytes.length);
    await evict();
  }

  return {
    get,
    put,
    get stats() {
      return { files: sizes.size, bytes: total };
    },
  };
}
