// A digest of everything that decides what a post file parses into, besides the file
// and the settings: the app's own code, the installed dependencies (gray-matter,
// js-yaml, markdown-it...) and the runtime (its ICU and time zone data). The post cache
// (parse-cache.ts) is only used by the same code that wrote it.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The app's code: the folder above this module's (dist/ once built, src/ under the tests). */
const CODE_ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
/** npm's record of what is installed, beside the app's folder. */
const INSTALLED = path.join(path.dirname(CODE_ROOT), 'node_modules', '.package-lock.json');

let digest: string | undefined;

function codeFiles(dir: string, out: string[]): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) codeFiles(file, out);
    else if (/\.(js|ts|mjs|json)$/.test(entry.name)) out.push(file);
  }
  return out;
}

/** The digest, worked out once per thread (about 150 files). */
export function codeFingerprint(): string {
  if (digest !== undefined) return digest;
  const hash = createHash('sha256');
  hash.update(JSON.stringify(process.versions));
  for (const file of codeFiles(CODE_ROOT, []).sort()) {
    hash.update(`\0${path.relative(CODE_ROOT, file)}\0`);
    hash.update(fs.readFileSync(file));
  }
  // Missing where node_modules was not installed by npm: then the app's own code decides.
  /* c8 ignore next */
  hash.update(fs.existsSync(INSTALLED) ? fs.readFileSync(INSTALLED) : '');
  return (digest = hash.digest('hex'));
}
