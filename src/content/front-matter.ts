// Splits a post into its YAML front matter and Markdown body. gray-matter finds the
// block; YAML is parsed by js-yaml's core schema, which has no timestamps (dates stay
// the text the publisher wrote) and no custom tags. Every other language is refused:
// gray-matter would `eval` JavaScript front matter.
import matter from 'gray-matter';
import yaml from 'js-yaml';

export type FrontMatter = Readonly<Record<string, unknown>>;

export interface SplitPost {
  readonly data: FrontMatter;
  readonly body: string;
}

export class FrontMatterError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'FrontMatterError';
  }
}

function refuse(language: string) {
  return () => {
    throw new FrontMatterError(`${language} front matter is not supported, only YAML`);
  };
}

function parseYaml(source: string): object {
  let data: unknown;
  try {
    data = yaml.load(source, { schema: yaml.CORE_SCHEMA });
  } catch (err) {
    // js-yaml throws only YAMLException (deep nesting included: it stops at maxDepth),
    // with a position unless the error is about the whole stream (two documents).
    // The block starts with the newline after `---`, so its line N is the file's line N+1.
    const { reason, mark } = err as yaml.YAMLException;
    const where = mark ? ` at line ${mark.line + 1}` : '';
    throw new FrontMatterError(`invalid YAML front matter${where}: ${reason}`, { cause: err });
  }
  if (data == null) return {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new FrontMatterError('front matter is not a mapping of keys to values');
  }
  return data;
}

// gray-matter caches results by input when called without options, and that cache
// hands out shared (and, after errors, stale) objects: always pass options.
const OPTIONS = {
  language: 'yaml',
  engines: {
    yaml: { parse: parseYaml, stringify: refuse('writing') },
    js: refuse('JavaScript'),
    javascript: refuse('JavaScript'),
    coffee: refuse('CoffeeScript'),
    coffeescript: refuse('CoffeeScript'),
    json: refuse('JSON'),
    toml: refuse('TOML'),
  },
};

const OPENING = /^---[ \t]*[A-Za-z]*[ \t]*\n/;
// gray-matter's own rule (the first line that starts with ---), so both agree on the block.
const CLOSING = /\n---[^\n]*(?:\n|$)/;

/** Where the body starts: just after the front matter block. Throws FrontMatterError without one. */
export function bodyOffset(text: string): number {
  if (text.trim() === '') throw new FrontMatterError('file is empty');
  if (!OPENING.test(text)) {
    throw new FrontMatterError('no front matter: the file must start with a line "---"');
  }
  const closing = CLOSING.exec(text.slice(3));
  if (!closing) throw new FrontMatterError('front matter is not closed: no second "---" line');
  return 3 + closing.index + closing[0].length;
}

/** Throws FrontMatterError when the text has no usable YAML front matter block. */
export function splitFrontMatter(text: string): SplitPost {
  const end = bodyOffset(text);
  let data: FrontMatter;
  try {
    // Only the block goes to gray-matter: it looks every input up in its cache by
    // value, which for whole 5 KB posts costs more than parsing the YAML.
    data = matter(text.slice(0, end), { ...OPTIONS }).data;
  } catch (err) {
    if (err instanceof FrontMatterError) throw err;
    throw new FrontMatterError((err as Error).message, { cause: err });
  }
  return { data, body: text.slice(end) };
}
