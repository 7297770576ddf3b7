import t from 'tap';
import { FrontMatterError, splitFrontMatter } from '../../src/content/front-matter.js';

t.test('YAML front matter and body are split', async (t) => {
  const { data, body } = splitFrontMatter('---\ntitle: Hello\ntags: [a, b]\n---\nThe body.\n');
  t.same(data, { title: 'Hello', tags: ['a', 'b'] });
  t.equal(body, 'The body.\n');
});

t.test('dates and other YAML scalars stay as written where YAML would guess', async (t) => {
  const { data } = splitFrontMatter('---\ndate: 2025-09-25T22:01:15\nday: 2025-13-45\nflag: yes\nn: 12\nok: true\n---\n');
  t.equal(data.date, '2025-09-25T22:01:15', 'no timestamp type: the text the publisher wrote');
  t.equal(data.day, '2025-13-45', 'never rolled over');
  t.equal(data.flag, 'yes', 'YAML 1.2 booleans only');
  t.equal(data.n, 12);
  t.equal(data.ok, true);
});

t.test('empty front matter is an empty mapping', async (t) => {
  t.same(splitFrontMatter('---\n---\nbody').data, {});
});

t.test('unusable front matter is refused with a reason', async (t) => {
  const cases: [string, string, RegExp][] = [
    ['empty file', '   \n', /empty/],
    ['no front matter', '# Title\n\nbody', /no front matter/],
    ['unclosed block', '---\ntitle: x\nbody text', /not closed/],
    ['invalid YAML', '---\ntitle: [unclosed\n---\nbody', /invalid YAML front matter at line \d+/],
    ['a list, not a mapping', '---\n- a\n- b\n---\n', /not a mapping/],
    ['a scalar', '---\njust text\n---\n', /not a mapping/],
    ['custom YAML tags', '---\nx: !!js/function "function(){}"\n---\n', /invalid YAML/],
    ['two YAML documents', '---\ntitle: a\n...\nmore: b\n---\nbody', /invalid YAML front matter: expected a single document/],
    ['JSON language', '---json\n{"title": "x"}\n---\n', /JSON front matter is not supported/],
    ['CoffeeScript', '---coffee\ntitle: "x"\n---\n', /CoffeeScript front matter is not supported/],
  ];
  for (const [name, text, reason] of cases) {
    t.throws(() => splitFrontMatter(text), { name: 'FrontMatterError', message: reason }, name);
  }
});

t.test('JavaScript front matter is never evaluated', async (t) => {
  const g = globalThis as { pwned?: boolean };
  for (const lang of ['js', 'javascript']) {
    const text = `---${lang}\n{ title: (globalThis.pwned = true, 'x') }\n---\nbody`;
    t.throws(() => splitFrontMatter(text), FrontMatterError, lang);
  }
  t.equal(g.pwned, undefined, 'the code did not run');
});

t.test('a failed parse does not poison the next one (no shared cache)', async (t) => {
  const text = '---\ntitle: [broken\n---\n';
  t.throws(() => splitFrontMatter(text));
  t.throws(() => splitFrontMatter(text), 'still an error the second time');
  const a = splitFrontMatter('---\ntitle: Same\n---\n');
  const b = splitFrontMatter('---\ntitle: Same\n---\n');
  t.not(a.data, b.data, 'separate objects for identical input');
});

t.test('unknown front matter languages are refused', async (t) => {
  t.throws(() => splitFrontMatter('---ini\na=1\n---\n'), { name: 'FrontMatterError', message: /engine "ini" is not registered/ });
});

t.test('front matter with only comments, or null, is an empty mapping', async (t) => {
  t.same(splitFrontMatter('---\n# nothing here yet\n---\nbody').data, {});
  t.same(splitFrontMatter('---\n~\n---\nbody').data, {});
});
