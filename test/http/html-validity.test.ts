// The Nu Html Checker (vnu-jar, on the machine's Java) reports zero errors for the
// front page, a post page (with a figure, a table, lists and a quote), a listing page,
// an index page and the 404 page. Embeds are checked apart: see the last test.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import t from 'tap';
import { build, makeSite, postText } from '../helpers/build.js';

const VNU = createRequire(import.meta.url)('vnu-jar') as string;

const BODY = `The opening paragraph, with a [link](https://example.org/report) and **bold** text.

## A subheading

- one
- two

| Party | Votes |
|---|---:|
| Greens | 1,204 |

> A quotation from a resident.

<figure>
  <img src="/assets/images/lead.jpg" alt="The harbour at dawn">
  <figcaption>The harbour at dawn.</figcaption>
</figure>

1. first
2. second
`;

function vnu(files: string[]): { url: string; message: string; lastLine?: number }[] {
  let output: string;
  try {
    output = execFileSync('java', ['-jar', VNU, '--format', 'json', '--errors-only', ...files], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    // vnu exits 1 when it reports errors; its report is on stderr.
    output = (err as { stderr?: string }).stderr ?? String(err);
  }
  const report = JSON.parse(output || '{"messages":[]}') as { messages: { type: string; url: string; message: string; lastLine?: number }[] };
  return report.messages.filter((m) => m.type === 'error');
}

t.test('the Nu Html Checker finds no errors', async (t) => {
  const s = makeSite(t, {
    'a.md': postText({ title: 'Harbour & "crossing" <approved>', date: '2025-09-03T10:00:00', author: ['Ana', 'Ben'], categories: ['World'], tags: ['Ports'], image: 'assets/images/lead.jpg', last_modified_at: '2025-09-04T10:00:00' }, BODY),
    'b.md': postText({ title: 'Second story', date: '2025-09-02T10:00:00', categories: ['World'], featured: true }),
    'c.md': postText({ title: 'Third story', date: '2025-09-01T10:00:00', categories: ['Business'] }),
  });
  const { app } = await build(t, s, { PAGE_SIZE: '1' });
  const pages = {
    front: '/',
    post: '/2025/09/03/harbour-and-crossing-approved/',
    listing: '/category/world/',
    listing2: '/page/2/',
    tags: '/tags/',
    notFound: '/nope/',
  };
  // Beside the site: a second t.testdir() would replace the folder the posts are read from.
  const dir = path.join(s.dir, 'html');
  fs.mkdirSync(dir);
  const files: string[] = [];
  for (const [name, url] of Object.entries(pages)) {
    const res = await app.inject(url);
    t.equal(res.statusCode, name === 'notFound' ? 404 : 200, `${url} is the page to check`);
    const file = path.join(dir, `${name}.html`);
    fs.writeFileSync(file, res.body);
    files.push(file);
  }
  t.same(vnu(files).map((e) => `${path.basename(e.url)}:${e.lastLine}: ${e.message}`), [], 'zero errors');
});

// A sandboxed YouTube or Vimeo player needs both allow-scripts and allow-same-origin
// (it fails with an opaque origin). The checker flags that pair because a frame of the
// page's own origin could then lift its sandbox; embed hosts can never be the site's
// own host (config refuses it), so this one advisory is the only message allowed.
t.test('a post with an embed: only the sandbox advisory', async (t) => {
  const s = makeSite(t, {
    'v.md': postText({ title: 'Video', date: '2025-09-03T10:00:00' }, 'Watch:\n\n<iframe src="https://www.youtube.com/embed/abc123" width="560" height="315" title="Video"></iframe>\n'),
  });
  const { app } = await build(t, s);
  // Beside the site: a second t.testdir() would replace the folder the posts are read from.
  const file = path.join(s.dir, 'embed.html');
  fs.writeFileSync(file, (await app.inject('/2025/09/03/video/')).body);
  const errors = vnu([file]);
  t.equal(errors.length, 1);
  t.match(errors[0]?.message, /Setting both “allow-scripts” and “allow-same-origin” is not recommended/);
});
