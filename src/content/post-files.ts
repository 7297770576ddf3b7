// Which files in the posts folder are posts. Everything else (hidden files and folders,
// editor leftovers, temporary names, other extensions) is ignored without a word.

const POST_EXTENSIONS = ['.md', '.markdown', '.txt'];
const LEFTOVER = /(?:~|\.swp|\.swo|\.swx|\.tmp|\.temp|\.bak|\.orig|\.part|\.crdownload)$/i;

/** `relPath` uses `/` separators and is relative to the posts folder. */
export function isPostFile(relPath: string): boolean {
  const segments = relPath.split('/');
  if (segments.some((s) => s.startsWith('.') || s === '' || s === 'node_modules')) return false;
  const name = segments.at(-1)!;
  // Emacs lock and autosave files: `.#post.md`, `#post.md#`.
  if (name.startsWith('#') || LEFTOVER.test(name)) return false;
  const lower = name.toLowerCase();
  return POST_EXTENSIONS.some((ext) => lower.endsWith(ext) && lower.length > ext.length);
}

/** The file name without folders and extension: `2025-09-25-title` for `a/2025-09-25-title.md`. */
export function baseNameOf(relPath: string): string {
  const name = relPath.slice(relPath.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(0, dot) : name;
}
