import t from 'tap';
import { normalizePath, parseQuery, toOriginForm } from '../../src/http/request-target.js';

t.test('paths resolve as a browser resolves them', async (t) => {
  const cases: [string, string][] = [
    ['/', '/'],
    ['/a/b/', '/a/b/'],
    ['/a\\b', '/a/b'],
    ['/a%5Cb%5c', '/a/b/'],
    ['//evil.example/', '/evil.example/'],
    ['/\\evil.example', '/evil.example'],
    ['/assets/css/..\\..\\package.json', '/package.json'],
    ['/a/./b/../c', '/a/c'],
    ['/a/%2e/b/%2E%2e/c', '/a/c'],
    ['/a/.%2e/b', '/b'],
    ['/a/b/..', '/a/'],
    ['/a/b/.', '/a/b/'],
    ['/../../x', '/x'],
    ['/..', '/'],
    ['/a/...', '/a/...'],
    ['/a/%2e%2e%2e/b', '/a/%2e%2e%2e/b'],
    ['/a/.b/..c', '/a/.b/..c'],
  ];
  for (const [path, expected] of cases) t.equal(normalizePath(path), expected, path);
});

t.test('the absolute form keeps its path and query, never its host', async (t) => {
  t.equal(toOriginForm('/x?y=1'), '/x?y=1', 'the origin form as it is');
  t.equal(toOriginForm('http://other.example/x?y=1'), '/x?y=1');
  t.equal(toOriginForm('HTTPS://user:pw@other.example:8443//x'), '//x');
  t.equal(toOriginForm('http://other.example'), '/');
  t.equal(toOriginForm('http://other.example?y'), '/?y');
  t.equal(toOriginForm('*'), '*', 'other forms are refused later');
  t.equal(toOriginForm('ftp://other.example/x'), 'ftp://other.example/x');
});

t.test('a repeated query parameter keeps its first value', async (t) => {
  t.same({ ...parseQuery('q=a&q=b&page=2&page=3&x') }, { q: 'a', page: '2', x: '' });
  t.same({ ...parseQuery('q=caf%C3%A9+au+lait') }, { q: 'café au lait' });
  const proto = parseQuery('__proto__=x&constructor=y');
  t.equal(Object.getPrototypeOf(proto), null, 'no prototype to pollute');
  t.equal(proto.__proto__, 'x');
});
