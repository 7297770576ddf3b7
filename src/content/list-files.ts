// Which files the posts and public folders hold: one walk each (synchronous at startup
// and when public/ changes; on libuv's threads when a running server compares the
// folder with its index). Kept apart from reading and parsing, on the parse workers.
import fs from 'node:fs';
import path from 'node:path';
import { isPostFile } from './post-files.js';

/** Sorts one folder entry: a post file goes to `out`, a subfolder to `folders`. */
function sortEntry(entry: fs.Dirent, dir: string, rel: string, out: string[], folders: [string, string][]): void {
  if (entry.name.startsWith('.')) return;
  const relPath = rel ? `${rel}/${entry.name}` : entry.name;
  if (entry.isDirectory()) folders.push([path.join(dir, entry.name), relPath]);
  else if ((entry.isFile() || entry.isSymbolicLink()) && isPostFile(relPath)) out.push(relPath);
}

/** The post files among one folder's entries (into `out`), and the subfolders to walk. */
function sortEntries(entries: readonly fs.Dirent[], dir: string, rel: string, out: string[]): [abs: string, rel: string][] {
  const folders: [string, string][] = [];
  for (const entry of entries) sortEntry(entry, dir, rel, out, folders);
  return folders;
}

/**
 * Every post file under `root`, as sorted `/`-separated relative paths. Hidden folders
 * are not entered, linked folders neither; a linked file is listed, and loadPost reads
 * it only if it stays inside `root` (else it is reported, once, as skipped).
 */
export function listPostFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string, rel: string): void => {
    for (const [abs, relPath] of sortEntries(fs.readdirSync(dir, { withFileTypes: true }), dir, rel, out)) walk(abs, relPath);
  };
  walk(root, '');
  return out.sort();
}

/** Entries read per step: the main thread handles at most this many at a time. */
const ENTRIES_PER_STEP = 256;

/**
 * The same, in no particular order, read on libuv's threads a few hundred entries per
 * step: a running server compares the folder with its index after changes, and handling
 * 100,000 entries at once held up every request for 0.2 s (10,000: 25 ms).
 */
export async function listPostFilesAsync(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string, rel: string): Promise<void> => {
    const folders: [string, string][] = [];
    for await (const entry of await fs.promises.opendir(dir, { bufferSize: ENTRIES_PER_STEP })) sortEntry(entry, dir, rel, out, folders);
    for (const [abs, relPath] of folders) await walk(abs, relPath);
  };
  await walk(root, '');
  return out;
}

/**
 * Every file in the public folder as a decoded root path (`/assets/images/a b.jpg`),
 * hidden ones left out: one walk, then lead images are set lookups. Thousands of posts
 * may name images that are not there, and a failed stat each costs more than reading
 * every directory once.
 */
export function listPublicFiles(publicDir: string): Set<string> {
  const files = new Set<string>();
  const walk = (dir: string, rel: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return; // unreadable folder: its images count as missing
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const relPath = `${rel}/${entry.name}`;
      if (entry.isDirectory()) walk(path.join(dir, entry.name), relPath);
      else files.add(relPath);
    }
  };
  walk(publicDir, '');
  return files;
}
