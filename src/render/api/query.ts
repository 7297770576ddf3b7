// The Content API's query parameters, validated: `include`, `fields`, `formats`,
// `filter`, `limit` (default 15; `all` up to API_MAX_LIMIT), `page`, `order`. `key` is
// accepted and ignored (the content is public), as are parameters Ghost has and this
// site does not need. Anything else wrong answers 400 in Ghost's error format, naming the
// parameter and what it accepts. The canonical form of the parameters is the response's
// cache key, so `?key=…&limit=15` and `?limit=15` share one cached response.
import { FilterError, parseFilter, type FilterNode } from './filter.js';
import { AUTHOR_FIELDS, POST_FIELDS, TAG_FIELDS } from './resources.js';

export type Resource = 'posts' | 'tags' | 'authors';

/** An error as Ghost's Content API reports it. */
export class ApiError extends Error {
  constructor(
    readonly statusCode: 400 | 404 | 429,
    readonly type: 'BadRequestError' | 'NotFoundError' | 'TooManyRequestsError',
    message: string,
    readonly context: string | null = null,
  ) {
    super(message);
    this.name = type;
  }
}

/** `{"errors":[…]}`, the body of every Content API error. */
export function apiErrorBody(err: ApiError): string {
  return JSON.stringify({
    errors: [{ message: err.message, context: err.context, type: err.type, details: null, property: null, help: null, code: null, id: null, ghostErrorCode: null }],
  });
}

export interface OrderTerm {
  readonly field: string;
  readonly descending: boolean;
}

export interface ApiQuery {
  readonly include: ReadonlySet<string>;
  /** Only these fields of each object, in this order; null for all. */
  readonly fields: readonly string[] | null;
  readonly formats: ReadonlySet<string>;
  readonly filter: FilterNode | null;
  /** Items a page; `limit=all` is API_MAX_LIMIT. */
  readonly limit: number;
  readonly all: boolean;
  readonly page: number;
  readonly order: readonly OrderTerm[];
  /** The parameters in one spelling and order, for the cache key. */
  readonly canonical: string;
}

interface ResourceRules {
  readonly include: readonly string[];
  readonly fields: readonly string[];
  readonly formats: readonly string[];
  readonly filter: ReadonlySet<string>;
  readonly order: readonly string[];
  readonly defaultOrder: readonly OrderTerm[];
}

const TERM_FILTERS = new Set(['id', 'slug', 'name', 'visibility']);

export const RULES: Readonly<Record<Resource, ResourceRules>> = {
  posts: {
    include: ['authors', 'tags'],
    fields: POST_FIELDS,
    formats: ['html', 'plaintext'],
    filter: new Set([
      'id', 'slug', 'tag', 'tags', 'tags.slug', 'primary_tag', 'primary_tag.slug', 'author', 'authors', 'authors.slug',
      'primary_author', 'primary_author.slug', 'featured', 'visibility', 'status', 'published_at', 'updated_at', 'created_at',
    ]),
    order: ['published_at', 'updated_at', 'created_at', 'title', 'slug', 'id', 'featured', 'reading_time'],
    defaultOrder: [{ field: 'published_at', descending: true }],
  },
  tags: {
    include: ['count.posts'],
    fields: TAG_FIELDS,
    formats: [],
    filter: TERM_FILTERS,
    order: ['name', 'slug', 'id', 'count.posts'],
    defaultOrder: [{ field: 'name', descending: false }],
  },
  authors: {
    include: ['count.posts'],
    fields: AUTHOR_FIELDS,
    formats: [],
    filter: TERM_FILTERS,
    order: ['name', 'slug', 'id', 'count.posts'],
    defaultOrder: [{ field: 'name', descending: false }],
  },
};

const DEFAULT_LIMIT = 15;
const MAX_PAGE = 1_000_000;

function bad(parameter: string, message: string): ApiError {
  return new ApiError(400, 'BadRequestError', `Validation error, cannot read ${parameter}: ${message}.`, `Invalid value for the "${parameter}" query parameter.`);
}

/** A comma-separated list, each item once, every one of `allowed`. */
function listOf(parameter: string, raw: string | undefined, allowed: readonly string[]): string[] | null {
  if (raw === undefined) return null;
  const items = [...new Set(raw.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean))];
  const unknown = items.filter((item) => !allowed.includes(item));
  if (unknown.length > 0) {
    throw bad(parameter, `${unknown.map((u) => JSON.stringify(u)).join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not ${allowed.length > 0 ? `one of ${allowed.join(', ')}` : 'accepted here'}`);
  }
  return items;
}

function wholeNumber(parameter: string, raw: string, max: number): number {
  if (!/^[1-9]\d{0,8}$/.test(raw.trim())) throw bad(parameter, `${JSON.stringify(raw)} is not a whole number from 1`);
  return Math.min(Number(raw.trim()), max);
}

function parseOrder(raw: string, allowed: readonly string[]): OrderTerm[] {
  const terms = raw.split(',').map((part) => part.trim()).filter(Boolean);
  if (terms.length === 0 || terms.length > 4) throw bad('order', 'give one to four "field asc|desc" parts, e.g. "published_at desc"');
  return terms.map((term) => {
    const [field = '', direction = 'asc', ...rest] = term.split(/\s+/).map((w) => w.toLowerCase());
    if (!allowed.includes(field)) throw bad('order', `${JSON.stringify(field)} is not one of ${allowed.join(', ')}`);
    if ((direction !== 'asc' && direction !== 'desc') || rest.length > 0) throw bad('order', `${JSON.stringify(term)} must be "${field} asc" or "${field} desc"`);
    return { field, descending: direction === 'desc' };
  });
}

/**
 * The query of a browse (`single: false`) or read request. Throws ApiError (400) for a
 * parameter that cannot be used.
 */
export function parseApiQuery(resource: Resource, raw: Readonly<Record<string, string | undefined>>, maxLimit: number, single = false): ApiQuery {
  const rules = RULES[resource];
  const include = listOf('include', raw.include, rules.include) ?? [];
  const fields = listOf('fields', raw.fields, rules.fields);
  const formats = listOf('formats', raw.formats, rules.formats) ?? (resource === 'posts' ? ['html'] : []);
  const canonical = new URLSearchParams();
  let filter: FilterNode | null = null;
  let limit = DEFAULT_LIMIT;
  let all = false;
  let page = 1;
  let order = rules.defaultOrder;
  const filterText = raw.filter?.trim();
  if (!single) {
    if (filterText) {
      try {
        filter = parseFilter(filterText, rules.filter);
      } catch (err) {
        // parseFilter throws only FilterError.
        throw new ApiError(400, 'BadRequestError', `Error parsing filter: ${(err as FilterError).message}.`, 'Invalid value for the "filter" query parameter.');
      }
      canonical.set('filter', filterText);
    }
    if (raw.limit !== undefined) {
      all = raw.limit.trim().toLowerCase() === 'all';
      limit = all ? maxLimit : wholeNumber('limit', raw.limit, maxLimit);
    }
    if (raw.page !== undefined) page = wholeNumber('page', raw.page, MAX_PAGE);
    if (raw.order !== undefined) order = parseOrder(raw.order, rules.order);
  }
  if (include.length > 0) canonical.set('include', [...include].sort().join(','));
  if (fields) canonical.set('fields', fields.join(','));
  if (raw.formats !== undefined) canonical.set('formats', [...formats].sort().join(','));
  if (!single) {
    canonical.set('limit', all ? 'all' : String(limit));
    canonical.set('page', String(page));
    canonical.set('order', order.map((o) => `${o.field} ${o.descending ? 'desc' : 'asc'}`).join(','));
  }
  return { include: new Set(include), fields, formats: new Set(formats), filter, limit, all, page, order, canonical: canonical.toString() };
}
