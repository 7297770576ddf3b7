// Reading a migrated site's own data files (`_config.yml`, `_data/authors.yml`,
// `redirects.yaml`): where they are looked for, and YAML or JSON parsed as safely as
// front matter (js-yaml's core schema: no custom tags, no timestamps). Small files,
// read on the main thread; a file that cannot be used is reported, never fatal.
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { cleanText } from './clean-text.js';

/** Larger data files are refused: an authors list or a redirects file is a few KB. */
export const MAX_DATA_FILE_BYTES = 1024 * 1024;

/** The folders a site's data files are looked for in: the posts folder, then its parent. */
export function dataFolders(postsDir: string): string[] {
  const parent = path.dirname(postsDir);
  return parent === postsDir ? [postsDir] : [postsDir, parent];
}

/** The first of `names` (paths relative to a folder) that exists, folder by folder. */
export function findDataFile(postsDir: string, names: readonly string[], folders = dataFolders(postsDir)): string | null {
  for (const folder of folders) {
    for (const name of names) {
      const file = path.join(folder, name);
      if (isFile(file)) return file;
    }
  }
  return null;
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

export class DataFileError extends Error {
  constructor(readonly file: string, reason: string, options?: ErrorOptions) {
    super(reason, options);
    this.name = 'DataFileError';
  }
}

/** The file's YAML (or JSON, by extension) as a mapping; throws DataFileError. */
export function readDataFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    const size = fs.statSync(file).size;
    if (size > MAX_DATA_FILE_BYTES) throw new DataFileError(file, `file is ${size} bytes, over the limit of ${MAX_DATA_FILE_BYTES}`);
    text = cleanText(fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
  } catch (err) {
    if (err instanceof DataFileError) throw err;
    throw new DataFileError(file, (err as Error).message, { cause: err });
  }
  let data: unknown;
  try {
    data = file.endsWith('.json') ? JSON.parse(text) : yaml.load(text, { schema: yaml.CORE_SCHEMA });
  } catch (err) {
    throw new DataFileError(file, `invalid ${file.endsWith('.json') ? 'JSON' : 'YAML'}: ${(err as Error).message.split('\n', 1)[0]}`, { cause: err });
  }
  if (data == null) return {};
  if (typeof data !== 'object' || Array.isArray(data)) throw new DataFileError(file, 'not a mapping of keys to values');
  return data as Record<string, unknown>;
}

/** A scalar as trimmed, cleaned text; anything else is "not given". */
export function textOf(value: unknown): string {
  if (typeof value === 'string') return cleanText(value).replace(/\s+/g, ' ').trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return '';
}

/** A mapping (YAML object), or null. */
export function mappingOf(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}
