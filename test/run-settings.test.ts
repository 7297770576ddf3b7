// How the server is started matters to its memory: `npm start` and the image cap glibc's
// malloc arenas (README, Performance: Memory). Both are checked here, since nothing else
// would notice one of them losing the setting.
import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';

const ROOT = path.resolve(import.meta.dirname, '..');

t.test('npm start and the container image run the server with MALLOC_ARENA_MAX=2', async (t) => {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  t.match(pkg.scripts.start, /^MALLOC_ARENA_MAX=2 node dist\/server\.js$/, 'npm start');
  const dockerfile = fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
  // The settings of the image's last stage, which runs `node dist/server.js` itself.
  const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
  t.match(runtime, /^\s*(?:ENV\s+)?MALLOC_ARENA_MAX=2\b/m, 'the image');
  t.match(runtime, /^CMD \["node", "dist\/server\.js"\]$/m, 'which starts the server without npm');
});
