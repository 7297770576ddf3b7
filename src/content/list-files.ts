// Which files the posts and public folders hold: one walk each, synchronous (listing is
// fast and happens at startup, on a batch's comparison with the folder, and when public/
// changes). Kept apart from reading and parsing, which run on the parse workers.
import fs from 'node:fs';
import path from 'node:path';
import { isPostFile } from './post-files.js';

/**
 * Every post file under `root`, as sorted `/`-separated relative paths. Hidden folders
 * are not entered, linked folders neither; a linked file is listed, and loadPost reads
 * it only if it stays inside `root` (else it is reported, once, as skipped).
 */
export function listPostFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string, rel: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const relPath = rel ? `${rel}/${entry.name}` : entry.name;
      const abs = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(abs, relPath);
      else if (entry.isFile()) {
        if (isPostFile(relPath)) out.push(relPath);
      } else if (entry.isSymbolicLink() && isPostFile(relPath)) {
        out.push(relPath);
      }
    }
  };
  walk(root, '');
  return out.sort();
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
