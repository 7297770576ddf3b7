// Every package the server imports is a production dependency: the Docker image
// installs only those (npm prune --omit=dev), so a missing one breaks only there.
import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';

const ROOT = path.resolve(import.meta.dirname, '..');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const abs = path.join(dir, entry.name);
    return entry.isDirectory() ? sourceFiles(abs) : abs.endsWith('.ts') ? [abs] : [];
  });
}

t.test('every package imported by src/ is in dependencies', async (t) => {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  const imported = new Set<string>();
  for (const file of sourceFiles(path.join(ROOT, 'src'))) {
    for (const [, spec] of fs.readFileSync(file, 'utf8').matchAll(/^import (?!type )[^'"]*['"]([^'"]+)['"]/gm)) {
      if (spec!.startsWith('.') || spec!.startsWith('node:')) continue;
      imported.add(spec!.startsWith('@') ? spec!.split('/').slice(0, 2).join('/') : spec!.split('/')[0]!);
    }
  }
  t.ok(imported.size > 10, `${imported.size} packages imported`);
  for (const name of [...imported].sort()) t.ok(name in pkg.dependencies, `${name} is a production dependency`);
});
