// A post's (or a term's) short id, kept apart from parsing: the main thread needs it
// (cache keys, the Content API) without loading the parser's modules (markdown-it).

/**
 * 12 hex digits from the path: short enough for cache-key headers, unique enough for
 * 10^5 posts (two 32-bit FNV-1a hashes with different seeds; a clash only means a
 * purge reaches one response more).
 */
export function postId(file: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (let i = 0; i < file.length; i++) {
    const c = file.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x811c9dc5);
  }
  return ((a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0')).slice(0, 12);
}
