// Front matter dates. YAML is parsed without its timestamp type, so dates reach us as
// the text the publisher wrote; we check every part (js-yaml would roll 2025-13-45 over)
// and read zone-less times in the site's time zone (js-yaml would read them as UTC).
import { fromWallTime, type WallTime } from './time-zone.js';

const DATE_PATTERN =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:T|t|\s+)(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

export class InvalidDateError extends Error {
  constructor(value: unknown, reason: string) {
    super(`invalid date ${JSON.stringify(value)}: ${reason}`);
    this.name = 'InvalidDateError';
  }
}

/** Parses a front matter date; throws InvalidDateError naming what is wrong. */
export function parsePostDate(value: unknown, timeZone: string): Date {
  if (value instanceof Date) {
    // Only reachable if a caller parsed YAML with timestamps; trust the instant.
    if (Number.isNaN(value.getTime())) throw new InvalidDateError(value, 'not a date');
    return value;
  }
  if (typeof value !== 'string') throw new InvalidDateError(value, 'expected text like 2025-09-25T22:01:15');
  const match = DATE_PATTERN.exec(value.trim());
  if (!match) throw new InvalidDateError(value, 'expected a form like 2025-09-25, 2025-09-25 22:01:15 or 2025-09-25T22:01:15+02:00');
  const [, y, mo, d, h, mi, s, frac, zone] = match;
  const wall: WallTime = {
    year: Number(y),
    month: Number(mo),
    day: Number(d),
    hour: Number(h ?? 0),
    minute: Number(mi ?? 0),
    second: Number(s ?? 0),
  };
  const problem = checkWallTime(wall);
  if (problem) throw new InvalidDateError(value, problem);
  const ms = frac ? Math.floor(Number(`0.${frac}`) * 1000) : 0;
  if (zone === undefined) return fromWallTime(wall, timeZone, ms);
  const utc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second, ms);
  const offset = parseZoneOffset(zone);
  if (offset === null) throw new InvalidDateError(value, `impossible zone offset ${zone}`);
  return new Date(utc - offset * 60_000);
}

/** The date in a Jekyll file name, `2025-09-25-title.md`, at midnight in the site's zone. */
export function wallDateFromParts(year: number, month: number, day: number): WallTime | null {
  const wall = { year, month, day, hour: 0, minute: 0, second: 0 };
  return checkWallTime(wall) ? null : wall;
}

function checkWallTime(w: WallTime): string | null {
  if (w.year < 1000) return 'year out of range';
  if (w.month < 1 || w.month > 12) return `month ${w.month} does not exist`;
  const daysInMonth = new Date(Date.UTC(w.year, w.month, 0)).getUTCDate();
  if (w.day < 1 || w.day > daysInMonth) return `day ${w.day} does not exist in ${w.year}-${String(w.month).padStart(2, '0')}`;
  if (w.hour > 23) return `hour ${w.hour} does not exist`;
  if (w.minute > 59) return `minute ${w.minute} does not exist`;
  if (w.second > 59) return `second ${w.second} does not exist`;
  return null;
}

function parseZoneOffset(zone: string): number | null {
  if (zone === 'Z' || zone === 'z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2)) : 0;
  if (hours > 14 || minutes > 59) return null;
  return sign * (hours * 60 + minutes);
}
