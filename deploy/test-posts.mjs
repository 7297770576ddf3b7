// Posts for npm run test:deploy: a few hundred realistic-looking news stories (sections,
// tags, bylines, Jekyll file names), the same on every run (seeded PRNG, fixed dates), so
// the test needs nothing outside this repository.
import fs from 'node:fs';
import path from 'node:path';

/** mulberry32: small, fast, and the same sequence on every platform. */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PLACES = ['Port Aldren', 'Calder Coast', 'Northgate', 'Elmsworth', 'Harrow Bay', 'Kingsmere', 'the river district', 'Westfield', 'Old Town', 'Marrow Hill'];
const NUMBERS = ['two', 'three', 'four', 'five', 'a dozen', '40', '120', '2,500', '18 million', '1.2 billion'];

const SECTIONS = {
  Politics: {
    headlines: ['Council approves {n} budget for {p}', 'Minister faces questions over {t} plan', 'Opposition demands inquiry into {t} contracts', 'Voters in {p} head to the polls in by-election', 'Mayor of {p} promises review of {t} policy'],
    topics: ['housing', 'transport', 'planning', 'policing', 'school funding', 'tax'],
    tags: ['elections', 'council', 'budget', 'parliament'],
  },
  Business: {
    headlines: ['{p} factory to add {n} jobs after new order', 'Shares slide as {t} costs climb', 'Retailers in {p} report slow {t} season', 'Start-up raises {n} to expand {t} service', 'Port operator posts record {t} volumes'],
    topics: ['energy', 'shipping', 'holiday', 'delivery', 'property', 'banking'],
    tags: ['jobs', 'markets', 'retail', 'energy'],
  },
  Technology: {
    headlines: ['Regulator opens probe into {t} app', '{p} library swaps paper forms for {t} kiosks', 'Chipmaker delays {t} plant by {n} years', 'Hospital trial uses AI to triage {t} scans', 'Outage knocks {t} service offline for hours'],
    topics: ['payments', 'messaging', 'cloud', 'mapping', 'broadband', 'security'],
    tags: ['ai', 'privacy', 'startups', 'broadband'],
  },
  Health: {
    headlines: ['Walk-in {t} clinics extended in {p}', 'Waiting lists for {t} fall for {n} months', 'New {t} ward opens at {p} General', 'Doctors warn of early {t} season', 'Survey finds {n} adults skip {t} check-ups'],
    topics: ['flu', 'dental', 'maternity', 'mental health', 'cancer', 'eye'],
    tags: ['nhs', 'hospitals', 'vaccines', 'winter'],
  },
  Sport: {
    headlines: ['{p} rowers take silver in {t} final', 'Marathon course record falls in {p}', 'Coach quits after {n} straight {t} defeats', 'Stadium plan for {p} wins approval', 'Teenager named in {t} squad for first time'],
    topics: ['cup', 'league', 'relay', 'derby', 'sprint', 'season'],
    tags: ['football', 'rowing', 'athletics', 'cricket'],
  },
  Culture: {
    headlines: ['Museum in {p} unveils {t} exhibition', 'Festival returns to {p} with {n} acts', 'Theatre saved by {t} appeal', 'Author from {p} wins {t} prize', 'Lost {t} film found in archive'],
    topics: ['shipwreck', 'jazz', 'poetry', 'silent', 'folk', 'portrait'],
    tags: ['museums', 'music', 'books', 'film'],
  },
  Science: {
    headlines: ['Seagrass meadows recover off {p}', 'Researchers track {n} seals along {t} coast', 'Telescope spots {t} comet over {p}', 'Study links {t} to cleaner rivers', 'Volunteers count {n} birds in {t} survey'],
    topics: ['winter', 'northern', 'rainfall', 'wetland', 'migration', 'tidal'],
    tags: ['climate', 'oceans', 'space', 'wildlife'],
  },
  World: {
    headlines: ['Ceasefire talks resume after {n} days', 'Floods displace {n} families in delta region', 'Summit ends with {t} pledge', 'Aid convoy reaches {t} border town', 'Election result contested in {t} capital'],
    topics: ['climate', 'trade', 'northern', 'coastal', 'grain', 'refugee'],
    tags: ['diplomacy', 'aid', 'conflict', 'trade'],
  },
};

const AUTHORS = ['Maria Lopez', 'Samir Khan', 'Helen Marsh', 'Tom Okafor', 'Priya Nair', 'Jonas Berg', 'Alice Dupont', 'Kwame Mensah', 'Lena Fischer', 'Owen Price', 'Yuki Tanaka', 'Rosa Silva'];
const SHARED_TAGS = ['analysis', 'explainer', 'live', 'investigation', 'opinion', 'local'];

const OPENERS = ['Officials said on {d} that', 'According to figures published this week,', 'In a statement,', 'Residents of {p} say', 'A spokesperson confirmed that'];
const MIDDLES = ['the plan would cost {n} over the next decade', 'the change affects {n} households across {p}', 'work is expected to start before the end of the year', 'the decision followed months of consultation', 'critics warned the timetable was too ambitious'];
const CLOSERS = ['A final decision is due next month.', 'The figures will be reviewed in the spring.', '"We will keep listening," one organiser said.', 'Further details are expected later this week.', 'The proposal now goes to a public hearing.'];
const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'];

function slugify(text) {
  return text.toLowerCase().normalize('NFKD').replace(/[^\w\s-]/g, '').trim().replace(/[\s_-]+/g, '-').slice(0, 80).replace(/-+$/, '');
}

function pick(rng, list) {
  return list[Math.floor(rng() * list.length)];
}

function fill(rng, template, topics) {
  return template
    .replaceAll('{p}', () => pick(rng, PLACES))
    .replaceAll('{n}', () => pick(rng, NUMBERS))
    .replaceAll('{t}', () => pick(rng, topics))
    .replaceAll('{d}', () => pick(rng, DAYS));
}

function paragraph(rng, topics) {
  const sentences = [];
  const count = 2 + Math.floor(rng() * 3);
  for (let i = 0; i < count; i++) sentences.push(`${fill(rng, pick(rng, OPENERS), topics)} ${fill(rng, pick(rng, MIDDLES), topics)}.`);
  sentences.push(fill(rng, pick(rng, CLOSERS), topics));
  return sentences.join(' ');
}

function body(rng, topics) {
  const parts = [];
  const count = 4 + Math.floor(rng() * 5);
  for (let i = 0; i < count; i++) {
    if (i === 2 && rng() < 0.5) parts.push(`## What happens next`);
    if (i === 3 && rng() < 0.3) parts.push(['- the consultation closes in four weeks', '- a public meeting is planned', '- the final vote follows in the spring'].join('\n'));
    parts.push(paragraph(rng, topics));
  }
  return parts.join('\n\n');
}

const pad = (n) => String(n).padStart(2, '0');

/** The file a post is stored in: Jekyll name, front matter, Markdown body. */
export function postFile(post) {
  return [
    '---',
    'layout: post',
    `title: ${JSON.stringify(post.title)}`,
    `date: ${post.date}`,
    `author: ${JSON.stringify(post.author)}`,
    `categories: [${post.section}]`,
    `tags: [${post.tags.join(', ')}]`,
    `excerpt: ${JSON.stringify(post.excerpt)}`,
    '---',
    post.body,
    '',
  ].join('\n');
}

/**
 * Writes `count` posts into `dir`, one every 3 hours back from a fixed date (all in the
 * past, so none is scheduled). Returns them newest first, each with its URL, section,
 * tag and author slugs, and file.
 */
export function writePosts(dir, count, seed = 1) {
  const rng = prng(seed);
  const sections = Object.keys(SECTIONS);
  const start = Date.UTC(2025, 5, 1, 18, 0, 0);
  const slugs = new Set();
  const posts = [];
  for (let i = 0; i < count; i++) {
    const section = sections[Math.floor(rng() * sections.length)];
    const spec = SECTIONS[section];
    const title = fill(rng, pick(rng, spec.headlines), spec.topics);
    const when = new Date(start - i * 3 * 3600_000 - Math.floor(rng() * 90) * 60_000);
    const day = `${when.getUTCFullYear()}-${pad(when.getUTCMonth() + 1)}-${pad(when.getUTCDate())}`;
    let slug = slugify(title);
    while (slugs.has(`${day}/${slug}`)) slug = `${slug}-${i}`;
    slugs.add(`${day}/${slug}`);
    const tags = [...new Set([pick(rng, spec.tags), pick(rng, spec.tags), ...(rng() < 0.4 ? [pick(rng, SHARED_TAGS)] : [])])];
    const post = {
      title,
      section,
      sectionSlug: slugify(section),
      tags,
      author: pick(rng, AUTHORS),
      date: `${day}T${pad(when.getUTCHours())}:${pad(when.getUTCMinutes())}:00`,
      excerpt: paragraph(rng, spec.topics).split('. ')[0] + '.',
      body: body(rng, spec.topics),
      url: `/${day.replaceAll('-', '/')}/${slug}/`,
      file: path.join(dir, `${day}-${slug}.md`),
    };
    post.authorSlug = slugify(post.author);
    posts.push(post);
  }
  fs.mkdirSync(dir, { recursive: true });
  for (const post of posts) fs.writeFileSync(post.file, postFile(post));
  return { posts, sections: sections.map(slugify), tags: [...new Set(posts.flatMap((p) => p.tags))], authors: AUTHORS.map(slugify) };
}
