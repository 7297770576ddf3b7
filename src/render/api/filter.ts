// The part of Ghost's filter language (NQL) that headless front-ends send to the
// Content API: `field:value`, `field:[a,b]` (any of), `field:-value` (not),
// `field:>value` (and >=, <, <=) for dates, `+` for and, `,` for or, parentheses;
// values bare or in single quotes. `+` arrives as a space when a client did not encode
// it, so a space between two conditions means and, too. Pure: parse once, then test
// each post (or tag, or author) through the accessor the caller gives.

export class FilterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FilterError';
  }
}

export type Comparison = '=' | '!=' | '>' | '>=' | '<' | '<=';

export type FilterNode =
  | { readonly kind: 'and' | 'or'; readonly nodes: readonly FilterNode[] }
  | { readonly kind: 'test'; readonly field: string; readonly op: Comparison; readonly values: readonly string[] };

/** What a field of one item holds: one value or several (a post's tags); null when it has none. */
export type FieldValues = (field: string) => string | readonly string[] | null;

/** Longest filter read, deepest nesting and most conditions: enough for any front-end, bounded for the server. */
const MAX_LENGTH = 1000;
const MAX_DEPTH = 8;
const MAX_TESTS = 50;

/** Parses a filter; `fields` are the field names allowed (lower case). Throws FilterError. */
export function parseFilter(text: string, fields: ReadonlySet<string>): FilterNode {
  if (text.length > MAX_LENGTH) throw new FilterError(`the filter is longer than ${MAX_LENGTH} characters`);
  const parser = new Parser(text, fields);
  const node = parser.expression(0);
  parser.skipSpaces();
  if (!parser.done()) throw new FilterError(`unexpected ${JSON.stringify(parser.rest())}`);
  return node;
}

/** Whether an item passes; dates compare as instants, everything else as lower-case text. */
export function matchesFilter(node: FilterNode, values: FieldValues): boolean {
  switch (node.kind) {
    case 'and':
      return node.nodes.every((n) => matchesFilter(n, values));
    case 'or':
      return node.nodes.some((n) => matchesFilter(n, values));
    case 'test': {
      const held = values(node.field);
      const list = held === null ? [] : typeof held === 'string' ? [held] : held;
      if (node.op === '=') return list.some((v) => node.values.includes(v.toLowerCase()));
      if (node.op === '!=') return !list.some((v) => node.values.includes(v.toLowerCase()));
      const wanted = Date.parse(node.values[0]!);
      return list.some((v) => compare(Date.parse(v), wanted, node.op));
    }
  }
}

function compare(a: number, b: number, op: Comparison): boolean {
  return op === '>' ? a > b : op === '>=' ? a >= b : op === '<' ? a < b : a <= b;
}

/** The fields a filter tests, with their values, when it is a plain and of `field:value` tests. */
export function requiredValues(node: FilterNode): ReadonlyMap<string, readonly string[]> {
  const out = new Map<string, readonly string[]>();
  const tests = node.kind === 'and' ? node.nodes : [node];
  for (const test of tests) if (test.kind === 'test' && test.op === '=') out.set(test.field, test.values);
  return out;
}

class Parser {
  private at = 0;
  private tests = 0;

  constructor(
    private readonly text: string,
    private readonly fields: ReadonlySet<string>,
  ) {}

  done(): boolean {
    return this.at >= this.text.length;
  }

  rest(): string {
    return this.text.slice(this.at, this.at + 20);
  }

  skipSpaces(): void {
    while (this.text[this.at] === ' ') this.at++;
  }

  /** or-expression: and-expressions joined by `,`. */
  expression(depth: number): FilterNode {
    if (depth > MAX_DEPTH) throw new FilterError(`parentheses nest deeper than ${MAX_DEPTH}`);
    const nodes = [this.conjunction(depth)];
    for (;;) {
      this.skipSpaces();
      if (this.text[this.at] !== ',') break;
      this.at++;
      nodes.push(this.conjunction(depth));
    }
    return nodes.length === 1 ? nodes[0]! : { kind: 'or', nodes };
  }

  /** and-expression: terms joined by `+` (or a space, a `+` a client did not encode). */
  private conjunction(depth: number): FilterNode {
    const nodes = [this.term(depth)];
    for (;;) {
      const start = this.at;
      this.skipSpaces();
      if (this.text[this.at] === '+') {
        this.at++;
      } else if (this.at === start || this.done() || this.text[this.at] === ',' || this.text[this.at] === ')') {
        this.at = start;
        break;
      }
      nodes.push(this.term(depth));
    }
    return nodes.length === 1 ? nodes[0]! : { kind: 'and', nodes };
  }

  private term(depth: number): FilterNode {
    this.skipSpaces();
    if (this.text[this.at] === '(') {
      this.at++;
      const node = this.expression(depth + 1);
      this.skipSpaces();
      if (this.text[this.at] !== ')') throw new FilterError('a parenthesis is not closed');
      this.at++;
      return node;
    }
    const field = /^[a-z_][a-z0-9_.]*/i.exec(this.text.slice(this.at))?.[0];
    if (!field) throw new FilterError(this.done() ? 'a condition is missing at the end' : `expected a field name at ${JSON.stringify(this.rest())}`);
    this.at += field.length;
    const name = field.toLowerCase();
    if (!this.fields.has(name)) throw new FilterError(`unknown field ${JSON.stringify(field)}: use one of ${[...this.fields].join(', ')}`);
    if (this.text[this.at] !== ':') throw new FilterError(`expected ":" after ${JSON.stringify(field)}`);
    this.at++;
    if (++this.tests > MAX_TESTS) throw new FilterError(`more than ${MAX_TESTS} conditions`);
    const op = this.operator();
    const values = this.text[this.at] === '[' ? this.list() : [this.value()];
    if (op !== '=' && op !== '!=' && (values.length !== 1 || Number.isNaN(Date.parse(values[0]!)))) {
      throw new FilterError(`${field}:${op} needs one date, e.g. '2025-01-31'`);
    }
    return { kind: 'test', field: name, op, values: values.map((v) => v.toLowerCase()) };
  }

  private operator(): Comparison {
    for (const op of ['>=', '<=', '>', '<', '-'] as const) {
      if (this.text.startsWith(op, this.at)) {
        this.at += op.length;
        return op === '-' ? '!=' : op;
      }
    }
    return '=';
  }

  private list(): string[] {
    this.at++; // [
    const values = [this.value()];
    for (;;) {
      this.skipSpaces();
      const c = this.text[this.at];
      if (c === ']') {
        this.at++;
        return values;
      }
      if (c !== ',') throw new FilterError('a [list] is not closed');
      this.at++;
      this.skipSpaces();
      values.push(this.value());
    }
  }

  private value(): string {
    if (this.text[this.at] === "'") {
      let out = '';
      for (let i = this.at + 1; i < this.text.length; i++) {
        const c = this.text[i]!;
        if (c === '\\' && i + 1 < this.text.length) {
          out += this.text[++i];
        } else if (c === "'") {
          this.at = i + 1;
          return out;
        } else {
          out += c;
        }
      }
      throw new FilterError('a quoted value is not closed');
    }
    const bare = /^[^\s,+()[\]']+/.exec(this.text.slice(this.at))?.[0];
    if (!bare) throw new FilterError(`expected a value at ${JSON.stringify(this.rest())}`);
    this.at += bare.length;
    return bare;
  }
}
