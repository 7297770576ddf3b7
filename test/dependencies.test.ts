// Every package the server imports is a production dependency: the Docker image
// installs only those (npm prune --omit=dev), so a missing one breaks only there. And
// the modules startup loads leave out the packages only some requests need.
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
    const text = fs.readFileSync(file, 'utf8');
    for (const [, spec] of [...text.matchAll(/^import (?!type )[^'"]*['"]([^'"]+)['"]/gm), ...text.matchAll(/\bimport\(['"]([^'"]+)['"]\)/g)]) {
      if (spec!.startsWith('.') || spec!.startsWith('node:')) continue;
      imported.add(spec!.startsWith('@') ? spec!.split('/').slice(0, 2).join('/') : spec!.split('/')[0]!);
    }
  }
  t.ok(imported.size > 10, `${imported.size} packages imported`);
  for (const name of [...imported].sort()) t.ok(name in pkg.dependencies, `${name} is a production dependency`);
});

/** Packages and project modules that `file` imports statically (`import x from`, `export … from`). */
function staticImports(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/^(?:import|export) (?!type )[^'";]*from ['"]([^'"]+)['"]|^import ['"]([^'"]+)['"]/gm)].map((m) => (m[1] ?? m[2])!);
}

t.test('startup loads no package that only images, feeds, sitemaps, bodies, Redis or metrics need', async (t) => {
  const packages = new Set<string>();
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const spec of staticImports(file)) {
      if (spec.startsWith('.')) visit(path.resolve(path.dirname(file), spec.replace(/\.js$/, '.ts')));
      else if (!spec.startsWith('node:')) packages.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
    }
  };
  // What server.ts and the app it builds import before the first request. The workers
  // (parse, Markdown) are entry points of their own, loaded by URL.
  visit(path.join(ROOT, 'src/server.ts'));
  visit(path.join(ROOT, 'src/app.ts'));
  t.ok(seen.size > 40, `${seen.size} modules reached`);
  t.ok(packages.has('fastify'), 'the walk follows imports');
  for (const lazy of ['sharp', 'feedsmith', 'sitemap', 'markdown-it', 'sanitize-html', 'ioredis', 'prom-client']) t.notOk(packages.has(lazy), `${lazy} is loaded only when needed`);
});
