// Wall-clock time in the site's time zone, both ways, with Intl only (no Temporal on
// Node 20). Formatters are cached: building one costs far more than using it.

export interface WallTime {
  readonly year: number;
  readonly month: number; // 1-12
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

const partFormatters = new Map<string, Intl.DateTimeFormat>();

function partFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = partFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    partFormatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The wall-clock time at `instant` in `timeZone`. */
export function toWallTime(instant: Date, timeZone: string): WallTime {
  const shifted = new Date(instant.getTime() + offsetMinutes(instant, timeZone) * 60_000);
  return {
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
    hour: shifted.getUTCHours(),
    minute: shifted.getUTCMinutes(),
    second: shifted.getUTCSeconds(),
  };
}

const DAY_MS = 86_400_000;
/** Per zone: UTC day number -> the offset that holds all day, or null on a change day. */
const dayOffsets = new Map<string, Map<number, number | null>>();

/** Offset of `timeZone` from UTC at `instant`, in minutes (east positive). */
export function offsetMinutes(instant: Date, timeZone: string): number {
  if (timeZone === 'UTC') return 0;
  // Asking Intl is slow and offsets change a few times a year at most: remember the
  // offset of each UTC day whose start and end agree, and ask Intl only on change days.
  let days = dayOffsets.get(timeZone);
  if (!days) {
    days = new Map();
    dayOffsets.set(timeZone, days);
  }
  const day = Math.floor(instant.getTime() / DAY_MS);
  let offset = days.get(day);
  if (offset === undefined) {
    const start = intlOffset(day * DAY_MS, timeZone);
    offset = start === intlOffset(day * DAY_MS + DAY_MS - 1000, timeZone) ? start : null;
    days.set(day, offset);
  }
  return offset ?? intlOffset(instant.getTime(), timeZone);
}

function intlOffset(ms: number, timeZone: string): number {
  // en-US numeric parts come in a fixed order: month, day, year, hour, minute, second.
  const [month, day, year, hour, minute, second] = partFormatter(timeZone)
    .formatToParts(ms)
    .filter((part) => part.type !== 'literal')
    .map((part) => Number(part.value)) as [number, number, number, number, number, number];
  const asUtc = Date.UTC(year, month - 1, day, hour, minute, second);
  return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60_000);
}

/**
 * The instant at which the clocks of `timeZone` show `wall`. In a DST gap the time is
 * read with the offset before the change (02:30 on a spring-forward night is 03:30);
 * in the repeated hour of a fall-back night the earlier instant wins.
 */
export function fromWallTime(wall: WallTime, timeZone: string, milliseconds = 0): Date {
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second, milliseconds);
  if (timeZone === 'UTC') return new Date(asUtc);
  const before = offsetMinutes(new Date(asUtc - 86_400_000), timeZone);
  const after = offsetMinutes(new Date(asUtc + 86_400_000), timeZone);
  // Try the earlier offset first (the larger one), so repeated hours resolve to the first.
  for (const offset of before >= after ? [before, after] : [after, before]) {
    const candidate = new Date(asUtc - offset * 60_000);
    if (offsetMinutes(candidate, timeZone) === offset) return candidate;
  }
  return new Date(asUtc - before * 60_000);
}

/** `+02:00`, `-05:30` or `Z`-free `+00:00` form of an offset in minutes. */
export function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`;
}

/** ISO 8601 with the site's offset, e.g. `2025-09-25T22:01:15+02:00`. */
export function toZonedIso(instant: Date, timeZone: string): string {
  const w = toWallTime(instant, timeZone);
  return (
    `${w.year}-${pad2(w.month)}-${pad2(w.day)}T${pad2(w.hour)}:${pad2(w.minute)}:${pad2(w.second)}` +
    formatOffset(offsetMinutes(instant, timeZone))
  );
}

export function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}
