// The request target as the routes see it: a path in one canonical spelling.

const SINGLE_DOT = /^(?:\.|%2e)$/i;
const DOUBLE_DOT = /^(?:\.|%2e){2}$/i;

/**
 * A path as a browser resolves it (WHATWG URL): `\` is `/`, and `.` and `..` segments,
 * also spelled `%2e`, are resolved; repeated slashes collapse too, so the result is
 * never a protocol-relative `//host`. `/a\..\b//c/.` -> `/b/c/`.
 */
export function normalizePath(path: string): string {
  const parts = path.replace(/\\|%5c/gi, '/').split('/');
  const segments: string[] = [];
  for (const part of parts) {
    if (part === '' || SINGLE_DOT.test(part)) continue;
    if (DOUBLE_DOT.test(part)) segments.pop();
    else segments.push(part);
  }
  const last = parts.at(-1)!;
  const trailing = segments.length > 0 && (last === '' || SINGLE_DOT.test(last) || DOUBLE_DOT.test(last));
  return `/${segments.join('/')}${trailing ? '/' : ''}`;
}
