// The parts of a migrated site that live beside its posts and are followed like them:
// the settings of its `_config.yml` (site-config.ts), author profiles (Mediumish's
// `authors:` in `_config.yml`, jekyll-seo-tag's `_data/authors.yml|yaml|json`) and
// Ghost's `redirects.yaml`. Read again whenever one of those files changes; what cannot
// be used is reported and skipped.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { dataFolders, findDataFile, mappingOf, readDataFile, textOf } from './data-files.js';
import { toRootPath } from './paths.js';
import type { PostImage } from './post.js';
import { CONFIG_FILES, parseSiteSettings, type SiteSettingsFile } from './site-config.js';
import { slugify } from './slug.js';

export interface ProfileLink {
  readonly label: string;
  /** An http(s) URL. */
  readonly url: string;
}

/** One author as the site shows them; the key they are named by in posts is the slug. */
export interface AuthorProfile {
  readonly slug: string;
  readonly name: string | null;
  readonly bio: string | null;
  /** A root path into public/ (shown while the file is there), or an http(s) URL. */
  readonly avatar: PostImage | null;
  readonly website: string | null;
  /** Social profiles, in a fixed order. */
  readonly links: readonly ProfileLink[];
}

/** A line of Ghost's redirects.yaml. */
export interface RedirectRule {
  readonly from: RegExp;
  /** As written, for log lines. */
  readonly source: string;
  /** A path on this site or an http(s) URL; `$1`… refer to the groups of `from`. */
  readonly to: string;
  readonly status: 301 | 302;
}

export interface SiteData {
  /** The settings of `_config.yml` (an empty set without one); null before the first read. */
  readonly settings: SiteSettingsFile | null;
  /** By author slug. */
  readonly authors: ReadonlyMap<string, AuthorProfile>;
  readonly redirects: readonly RedirectRule[];
}

export const NO_SITE_DATA: SiteData = { settings: null, authors: new Map(), redirects: [] };

export const AUTHOR_FILES = ['_data/authors.yml', '_data/authors.yaml', '_data/authors.json'];
export const REDIRECT_FILES = ['redirects.yaml', 'redirects.yml'];

export interface SiteDataLoad {
  readonly data: SiteData;
  /** The files read. */
  readonly files: readonly string[];
  /** Files that could not be read or parsed at all (their data is missing from `data`). */
  readonly unreadable: readonly string[];
  /** Problems, each naming its file. */
  readonly warnings: readonly { readonly file: string; readonly message: string }[];
  /** Authors described in both files, whose fields `data` takes from `over` first. */
  readonly merged: { readonly file: string; readonly over: string; readonly authors: readonly string[] } | null;
}

/** Reads the site's data files (see the README for where they are looked for). */
export function loadSiteData(postsDir: string): SiteDataLoad {
  const warnings: { file: string; message: string }[] = [];
  const files: string[] = [];
  const unreadable: string[] = [];
  const read = (file: string | null): Record<string, unknown> | null => {
    if (!file) return null;
    files.push(file);
    try {
      return readDataFile(file);
    } catch (err) {
      warnings.push({ file, message: (err as Error).message });
      unreadable.push(file);
      return null;
    }
  };
  const configFile = findDataFile(postsDir, CONFIG_FILES);
  const authorsFile = findDataFile(postsDir, AUTHOR_FILES);
  // Ghost keeps its redirects beside its content: only the posts folder's own.
  const redirectsFile = findDataFile(postsDir, REDIRECT_FILES, [postsDir]);
  const config = read(configFile);
  const parsed = config ? parseSiteSettings(config) : { warnings: [] };
  for (const message of parsed.warnings) warnings.push({ file: configFile!, message });
  const settings: SiteSettingsFile = { ...parsed, file: configFile };
  const fromConfig = mappingOf(config?.authors);
  if (config?.authors != null && !fromConfig) {
    warnings.push({ file: configFile!, message: 'authors: not a map of author keys to profiles: ignored' });
  }
  const fromData = read(authorsFile);
  const authors = new Map<string, AuthorProfile>();
  const sources: [string, Record<string, unknown> | null][] = [[configFile ?? '', fromConfig], [authorsFile ?? '', fromData]];
  // `_data/authors` is read last and wins field by field: it is the file made for this.
  const raw = new Map<string, { key: string; fields: Record<string, unknown>; from: string[] }>();
  for (const [file, map] of sources) {
    if (!map) continue;
    for (const [key, value] of Object.entries(map)) {
      const fields = mappingOf(value);
      const slug = slugify(key);
      if (!fields || !slug) {
        warnings.push({ file, message: `authors: ${JSON.stringify(key)} is not a profile (a key with fields such as name, avatar, description): ignored` });
        continue;
      }
      const known = raw.get(slug);
      if (known && known.from.includes(file)) {
        warnings.push({ file, message: `authors: ${JSON.stringify(key)} names the same author as ${JSON.stringify(known.key)}: ignored` });
        continue;
      }
      raw.set(slug, { key, fields: { ...known?.fields, ...fields }, from: [...(known?.from ?? []), file] });
    }
  }
  const both = [...raw.values()].filter((r) => r.from.length > 1).map((r) => r.key);
  const merged = both.length > 0 ? { file: authorsFile!, over: configFile!, authors: both } : null;
  for (const [slug, { key, fields, from }] of raw) {
    const profile = toProfile(slug, fields, (message) => warnings.push({ file: from.at(-1)!, message: `authors: ${key}: ${message}` }));
    authors.set(slug, profile);
  }
  const redirects = parseRedirects(read(redirectsFile), (message) => warnings.push({ file: redirectsFile!, message }));
  return { data: { settings, authors, redirects }, files, unreadable, warnings, merged };
}

/**
 * What the data files are now (paths, sizes, modification times): compared after file
 * system events are lost and when polling, so a change is still noticed.
 */
export function siteDataSignature(postsDir: string): string {
  const candidates = [
    ...dataFolders(postsDir).flatMap((folder) => [...CONFIG_FILES, ...AUTHOR_FILES].map((name) => path.join(folder, name))),
    ...REDIRECT_FILES.map((name) => path.join(postsDir, name)),
  ];
  return candidates
    .map((file) => {
      try {
        const stat = fs.statSync(file);
        return `${stat.mtimeMs}:${stat.size}`;
      } catch {
        return '-';
      }
    })
    .join(' ');
}

/** Whether a path relative to the posts folder (or, from its parent, to that) is a site data file. */
export function isSiteDataPath(rel: string): boolean {
  return rel === '_data' || [...CONFIG_FILES, ...AUTHOR_FILES, ...REDIRECT_FILES].includes(rel);
}

const KNOWN_KEYS = new Set([
  'name', 'display_name', 'description', 'bio', 'avatar', 'picture', 'image', 'gravatar', 'email', 'web', 'website',
  'url', 'uri', 'twitter', 'x', 'github', 'facebook', 'linkedin', 'instagram', 'mastodon', 'youtube',
]);

/** Social keys: a handle becomes the profile URL; a URL is kept as written. */
const SOCIAL: readonly [key: string, label: string, base: string][] = [
  ['twitter', 'X (Twitter)', 'https://x.com/'],
  ['x', 'X (Twitter)', 'https://x.com/'],
  ['github', 'GitHub', 'https://github.com/'],
  ['facebook', 'Facebook', 'https://www.facebook.com/'],
  ['linkedin', 'LinkedIn', 'https://www.linkedin.com/in/'],
  ['instagram', 'Instagram', 'https://www.instagram.com/'],
  ['youtube', 'YouTube', 'https://www.youtube.com/@'],
  ['mastodon', 'Mastodon', 'https://'],
];

/** The Mediumish and jekyll-seo-tag keys of one author, mapped to one profile. Pure. */
export function toProfile(slug: string, fields: Readonly<Record<string, unknown>>, warn: (message: string) => void): AuthorProfile {
  for (const key of Object.keys(fields)) if (!KNOWN_KEYS.has(key)) warn(`unknown key ${JSON.stringify(key)}: ignored`);
  const name = textOf(fields.display_name) || textOf(fields.name) || null;
  const bio = textOf(fields.description) || textOf(fields.bio) || null;
  const website = webUrl(textOf(fields.web) || textOf(fields.website) || textOf(fields.url) || textOf(fields.uri), 'website', warn);
  const links: ProfileLink[] = [];
  for (const [key, label, base] of SOCIAL) {
    const value = textOf(fields[key]);
    if (!value) continue;
    const handle = value.replace(/^@/, '');
    const url = /^https?:\/\//i.test(value) ? webUrl(value, key, warn) : handleUrl(key, base, handle);
    if (url === null) {
      if (!/^https?:\/\//i.test(value)) warn(`${key}: ${JSON.stringify(value)} is not a handle or an http(s) URL: ignored`);
      continue;
    }
    if (!links.some((l) => l.url === url)) links.push({ label, url });
  }
  return { slug, name, bio, avatar: avatarOf(fields, warn), website, links };
}

/** `name` on a network, or Mastodon's `name@server.example` on its server. */
function handleUrl(key: string, base: string, handle: string): string | null {
  if (key === 'mastodon') {
    const account = /^([A-Za-z0-9_]+)@([a-z0-9-]+(?:\.[a-z0-9-]+)+)$/i.exec(handle);
    return account ? `https://${account[2]!.toLowerCase()}/@${account[1]}` : null;
  }
  return /^[A-Za-z0-9_.-]+$/.test(handle) ? `${base}${handle}` : null;
}

function webUrl(value: string, key: string, warn: (message: string) => void): string | null {
  if (!value) return null;
  try {
    const url = new URL(value);
    if (url.protocol === 'http:' || url.protocol === 'https:') return url.href;
  } catch {
    // reported below
  }
  warn(`${key}: ${JSON.stringify(value)} is not an http(s) URL: ignored`);
  return null;
}

/** An avatar sits beside its author's name: decorative (empty alt), no caption. */
const NO_WORDS = { alt: null, caption: null, credit: null } as const;

/**
 * A local image, a URL, else a Gravatar: from the hash Mediumish keeps (`gravatar`), or
 * made from the e-mail address, which is never shown or kept itself.
 */
function avatarOf(fields: Readonly<Record<string, unknown>>, warn: (message: string) => void): PostImage | null {
  const image = textOf(fields.avatar) || textOf(fields.picture) || textOf(fields.image);
  if (image) {
    if (/^https?:\/\//i.test(image)) {
      const url = webUrl(image, 'avatar', warn);
      if (url) return { src: url, local: false, ...NO_WORDS };
    } else {
      const local = toRootPath(image);
      if (local) return { src: local, local: true, ...NO_WORDS };
      warn(`avatar: ${JSON.stringify(image)} is not a path inside the site: ignored`);
    }
  }
  const hash = textOf(fields.gravatar).toLowerCase();
  if (/^(?:[0-9a-f]{32}|[0-9a-f]{64})$/.test(hash)) return gravatar(hash);
  if (hash) warn('gravatar: not an MD5 or SHA-256 hash: ignored');
  const email = textOf(fields.email).toLowerCase();
  if (email.includes('@')) return gravatar(createHash('sha256').update(email).digest('hex'));
  return null;
}

function gravatar(hash: string): PostImage {
  return { src: `https://www.gravatar.com/avatar/${hash}?s=256&d=identicon`, local: false, ...NO_WORDS };
}

/** Most redirect rules read; each is a regular expression tried on unknown URLs. */
const MAX_RULES = 1000;

/**
 * Ghost's format: `301:` and `302:` maps of `from: to`. `from` is a regular expression
 * on the path (from its start; a trailing slash is optional, as in Ghost; `/…/i` for
 * case-insensitive); `to` is a path (`$1` for groups) or an http(s) URL.
 */
export function parseRedirects(data: Readonly<Record<string, unknown>> | null, warn: (message: string) => void): RedirectRule[] {
  if (!data) return [];
  const rules: RedirectRule[] = [];
  for (const [status, entries] of Object.entries(data)) {
    const map = mappingOf(entries);
    if ((status !== '301' && status !== '302') || !map) {
      warn(`${JSON.stringify(status)}: only 301: and 302: maps of "from: to" are read: ignored`);
      continue;
    }
    for (const [source, target] of Object.entries(map)) {
      const to = textOf(target);
      const from = compileFrom(source);
      if (!from) {
        warn(`${source}: not a regular expression for a path: ignored`);
      } else if (repeatsRepetition(from.source)) {
        warn(`${source}: a repeated group that repeats inside, such as (a+)+, can take a crafted URL ages to match: ignored`);
      } else if (!(to.startsWith('/') && !to.startsWith('//')) && !isWebTarget(to)) {
        warn(`${source}: ${JSON.stringify(to)} is not a path from the site root or an http(s) URL: ignored`);
      } else if (rules.length === MAX_RULES) {
        warn(`more than ${MAX_RULES} redirects: the rest are ignored`);
        return rules;
      } else {
        rules.push({ from, source, to, status: status === '301' ? 301 : 302 });
      }
    }
  }
  return rules;
}

/** An http(s) URL, or one once its `$1` groups are filled in (checked again then). */
function isWebTarget(to: string): boolean {
  if (!/^https?:\/\/[^\s]+$/i.test(to)) return false;
  return to.includes('$') || URL.canParse(to);
}

/**
 * Whether a pattern repeats a group that itself repeats (`(a+)+`, `(\w*\/)*`): every
 * unknown URL is matched against the rules, and such a pattern backtracks for a very long
 * time on a crafted one. A plain scan, for the patterns redirects are written with.
 */
export function repeatsRepetition(pattern: string): boolean {
  const groups: boolean[] = [];
  let repeats = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') i++;
    else if (c === '[') {
      // A class is one character, however it is written.
      for (i++; i < pattern.length && pattern[i] !== ']'; i++) if (pattern[i] === '\\') i++;
    } else if (c === '(') groups.push(false);
    else if (c === ')') {
      repeats = groups.pop() === true;
      if (repeats && /^[*+{]/.test(pattern.slice(i + 1))) return true;
      if (repeats && groups.length > 0) groups[groups.length - 1] = true;
    } else if ((c === '*' || c === '+' || c === '{') && groups.length > 0) groups[groups.length - 1] = true;
  }
  return false;
}

function compileFrom(source: string): RegExp | null {
  let pattern = source.trim();
  let flags = '';
  const wrapped = /^\/(.*)\/i$/.exec(pattern);
  if (wrapped) {
    pattern = wrapped[1]!;
    flags = 'i';
  }
  if (pattern === '' || pattern.length > 500) return null;
  if (pattern.endsWith('/')) pattern = pattern.slice(0, -1);
  if (!pattern.endsWith('$')) pattern += '/?$';
  if (!pattern.startsWith('^')) pattern = `^${pattern}`;
  try {
    return new RegExp(pattern, flags);
  } catch {
    return null;
  }
}
