// The Mediumish-style fixture site (test/fixtures/mediumish): a Jekyll site of our own
// making with a Mediumish `_config.yml`, `_data/authors.yml`, redirects.yaml and posts.
import fs from 'node:fs';
import path from 'node:path';
import type { Test } from 'tap';
import { ROOT, type TestSite } from './build.js';

const FIXTURE = path.join(ROOT, 'test/fixtures/mediumish');
/** The fixture's `url`. */
export const ORIGIN = 'https://courier.example.org';

/** A copy of the fixture site (with a public folder holding its images), as a TestSite. */
export function mediumishSite(t: Test): TestSite & { siteDir: string } {
  const dir = t.testdir({ public: { css: {}, assets: { images: {} } } });
  const siteDir = path.join(dir, 'site');
  fs.cpSync(FIXTURE, siteDir, { recursive: true });
  const publicDir = path.join(dir, 'public');
  fs.copyFileSync(path.join(ROOT, 'public/css/site.css'), path.join(publicDir, 'css/site.css'));
  for (const image of ['ben-adeley.svg', 'thi-nguyen.svg', 'harbour-tunnel.jpg']) {
    fs.writeFileSync(path.join(publicDir, 'assets/images', image), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  }
  const postsDir = path.join(siteDir, '_posts');
  return {
    dir,
    siteDir,
    postsDir,
    publicDir,
    write(file, content) {
      fs.mkdirSync(path.dirname(path.join(postsDir, file)), { recursive: true });
      fs.writeFileSync(path.join(postsDir, file), content);
    },
  };
}

