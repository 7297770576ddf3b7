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
    const reason = err instanceof yaml.YAMLException ? err.reason || err.message : String(err);
    const line = err instanceof yaml.YAMLException ? ` at line ${err.mark.line + 2}` : '';
    throw new FrontMatterError(`invalid YAML front matter${line}: ${reason}`, { cause: err });
  }
  if (data === null || data === undefined) return {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new FrontMatterError('front matter is not a mapping of keys to values');
  }
  return data;
}

// A fresh options object per call: gray-matter caches results by input when called
// without options, and that cache hands out shared (and, after errors, stale) objects.
function options() {
  return {
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
}

/** Throws FrontMatterError when the text has no usable YAML front matter block. */
export function splitFrontMatter(text: string): SplitPost {
  if (text.trim() === '') throw new FrontMatterError('file is empty');
  if (!/^---[ \t]*[A-Za-z]*[ \t]*\n/.test(text)) {
    throw new FrontMatterError('no front matter: the file must start with a line "---"');
  }
  if (!/\n---[ \t]*(?:\n|$)/.test(text.slice(3))) {
    throw new FrontMatterError('front matter is not closed: no second "---" line');
  }
  let parsed: matter.GrayMatterFile<string>;
  try {
    parsed = matter(text, options());
  } catch (err) {
    if (err instanceof FrontMatterError) throw err;
    throw new FrontMatterError(err instanceof Error ? err.message : String(err), { cause: err });
  }
  return { data: parsed.data, body: parsed.content };
}
