// Path rules shared by the layers: root-relative paths into public/, and whether a
// file system path is inside a folder. Pure, no file system access.
import path from 'node:path';

/**
 * `assets/images/x.jpg`, `./assets/x.jpg` and `/assets/x.jpg` -> `/assets/x.jpg`, each
 * segment percent-encoded once. Null for anything that could leave the public folder.
 */
export function toRootPath(raw: string): string | null {
  const pathname = raw.split(/[?#]/, 1)[0]!;
  if (/^[a-z][a-z0-9+.-]*:/i.test(pathname)) return null;
  const segments: string[] = [];
  for (const segment of pathname.split('/')) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return null;
    }
    if (decoded === '' || decoded === '.') continue;
    if (decoded === '..' || decoded.startsWith('.') || /[\\/\0-\x1f\x7f]/.test(decoded)) return null;
    segments.push(encodeURIComponent(decoded));
  }
  return segments.length > 0 ? `/${segments.join('/')}` : null;
}

/** Whether `target` is strictly inside `root` (both absolute, resolved). */
export function isInside(target: string, root: string): boolean {
  const rel = path.relative(root, target);
  // `..2025_09_01/` (a Kubernetes volume's revision folder) is inside; `../` is not.
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}
