import t from 'tap';
import { normalizePath } from '../../src/http/request-target.js';

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
