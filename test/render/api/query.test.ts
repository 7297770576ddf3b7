// The Content API's parameters and filter language, as pure functions: what is read,
// and the message each mistake gets.
import t from 'tap';
import { FilterError, matchesFilter, parseFilter, requiredValues, type FieldValues } from '../../../src/render/api/filter.js';
import { ApiError, parseApiQuery } from '../../../src/render/api/query.js';

const FIELDS = new Set(['tag', 'featured', 'published_at', 'slug']);
const item = (values: Record<string, string | string[] | null>): FieldValues => (field) => values[field] ?? null;

t.test('filters: tests, lists, negation, dates, and, or, parentheses', async (t) => {
  const post = item({ tag: ['ai', 'news'], featured: 'true', published_at: '2025-09-01T10:00:00.000Z', slug: 'x' });
  const matches = (filter: string) => matchesFilter(parseFilter(filter, FIELDS), post);
  t.ok(matches('tag:ai'));
  t.ok(matches('TAG:AI'), 'case-insensitive');
  t.notOk(matches('tag:sport'));
  t.ok(matches('tag:[sport,news]'));
  t.ok(matches('tag:-sport'));
  t.notOk(matches('tag:-[sport,ai]'));
  t.ok(matches("tag:'ai'"));
  t.ok(matches("slug:'it\\'s'") === false, 'an escaped quote');
  t.ok(matches("published_at:>'2025-08-31'"));
  t.ok(matches("published_at:>='2025-09-01T10:00:00Z'"));
  t.notOk(matches("published_at:<'2025-09-01'"));
  t.ok(matches("published_at:<='2025-09-01T10:00:00Z'"));
  t.ok(matches('tag:ai+featured:true'));
  t.notOk(matches('tag:ai+featured:false'));
  t.ok(matches('tag:sport,featured:true'));
  t.ok(matches('tag:sport,(tag:ai+featured:true)'));
  t.ok(matches(' tag:ai , tag:sport '), 'spaces around');
  t.ok(matches('tag:ai +featured:true'));
  t.notOk(matchesFilter(parseFilter('tag:ai', FIELDS), item({})), 'a field with no value');
  t.same([...requiredValues(parseFilter('tag:ai+featured:true', FIELDS))], [['tag', ['ai']], ['featured', ['true']]]);
  t.same([...requiredValues(parseFilter('tag:-ai', FIELDS))], []);
});

t.test('filter mistakes are named', async (t) => {
  const cases: [string, RegExp][] = [
    ['tag:ai+', /a condition is missing at the end/],
    ['(tag:ai', /a parenthesis is not closed/],
    ['tag', /expected ":" after "tag"/],
    ['colour:red', /unknown field "colour": use one of tag, featured, published_at, slug/],
    ['tag:[ai,news', /a \[list\] is not closed/],
    ["tag:'ai", /a quoted value is not closed/],
    ['tag:', /expected a value/],
    ['+tag:ai', /expected a field name at "\+tag:ai"/],
    ['tag:ai)', /unexpected "\)"/],
    ['published_at:>soon', /published_at:> needs one date/],
    ['tag:>[a,b]', /tag:> needs one date/],
    ['x'.repeat(1001), /longer than 1000 characters/],
    [`${'('.repeat(9)}tag:ai${')'.repeat(9)}`, /nest deeper than 8/],
    [Array.from({ length: 51 }, () => 'tag:a').join(','), /more than 50 conditions/],
  ];
  for (const [filter, message] of cases) t.throws(() => parseFilter(filter, FIELDS), { name: 'FilterError', message }, filter.slice(0, 30));
  t.ok(new FilterError('x') instanceof Error);
});

t.test('parameters: defaults, canonical form, and 400s that name the parameter', async (t) => {
  const defaults = parseApiQuery('posts', {}, 100);
  t.same([defaults.limit, defaults.all, defaults.page, [...defaults.formats], defaults.fields, defaults.filter], [15, false, 1, ['html'], null, null]);
  t.equal(defaults.canonical, 'limit=15&page=1&order=published_at+desc');
  const query = parseApiQuery('posts', { key: 'abc', include: 'tags,authors,tags', fields: 'title, url', formats: 'plaintext,html', filter: ' tag:ai ', limit: 'ALL', page: '2', order: 'title ASC, published_at desc', other: 'x' }, 100);
  t.same([query.limit, query.all, query.page, [...query.include], query.fields, query.order], [100, true, 2, ['tags', 'authors'], ['title', 'url'], [{ field: 'title', descending: false }, { field: 'published_at', descending: true }]]);
  t.equal(query.canonical, 'filter=tag%3Aai&include=authors%2Ctags&fields=title%2Curl&formats=html%2Cplaintext&limit=all&page=2&order=title+asc%2Cpublished_at+desc', 'the key and unknown parameters are left out');
  t.equal(parseApiQuery('posts', { limit: '500' }, 100).limit, 100, 'capped');
  t.equal(parseApiQuery('posts', { limit: '5', filter: 'tag:x', include: 'tags' }, 100, true).canonical, 'include=tags', 'a read takes include, fields and formats only');
  t.same(parseApiQuery('tags', {}, 100).formats, new Set(), 'tags have no formats');
  t.same(parseApiQuery('authors', { order: 'count.posts desc' }, 100).order, [{ field: 'count.posts', descending: true }]);
  const bad: [Record<string, string>, RegExp][] = [
    [{ limit: '0' }, /limit: "0" is not a whole number from 1/],
    [{ page: '-1' }, /page/],
    [{ order: ',' }, /give one to four/],
    [{ order: 'a,b,c,d,e' }, /give one to four/],
    [{ order: 'colour asc' }, /order: "colour" is not one of published_at/],
    [{ order: 'title asc please' }, /must be "title asc" or "title desc"/],
    [{ include: 'tags,comments,likes' }, /"comments", "likes" are not one of authors, tags/],
    [{ filter: 'tag:' }, /^Error parsing filter: expected a value/],
  ];
  for (const [raw, message] of bad) {
    let error: unknown;
    try {
      parseApiQuery('posts', raw, 100);
    } catch (err) {
      error = err;
    }
    t.ok(error instanceof ApiError, JSON.stringify(raw));
    t.match(error, { statusCode: 400, type: 'BadRequestError', message });
  }
});
