// Dates as readers see them (in the site's time zone and language) and as machines
// read them (ISO 8601 with the site's offset, for <time datetime> and metadata).
import { toZonedIso } from '../content/time-zone.js';

export interface DateView {
  /** `2025-09-25T22:01:15+02:00` */
  readonly iso: string;
  /** `25 September 2025` / `September 25, 2025`, by language. */
  readonly text: string;
}

export interface DateFormatter {
  /** Day only: cards, listings. */
  day(date: Date): DateView;
  /** Day and time: the post page. */
  dayAndTime(date: Date): DateView;
  /** `September 2025` */
  monthName(year: number, month: number): string;
  /** `25 September 2025` for an archive day. */
  dayName(year: number, month: number, day: number): string;
}

export function createDateFormatter(language: string, timeZone: string): DateFormatter {
  // Made on first use: the first Intl.DateTimeFormat of a process loads the locale's
  // data (about 30 ms), which would otherwise fall in the startup's busiest stretch.
  const day = once(() => new Intl.DateTimeFormat(language, { timeZone, dateStyle: 'long' }));
  const dayAndTime = once(() => new Intl.DateTimeFormat(language, { timeZone, dateStyle: 'long', timeStyle: 'short' }));
  // Archive keys are calendar dates already in the site's zone: format them as UTC.
  const month = once(() => new Intl.DateTimeFormat(language, { timeZone: 'UTC', year: 'numeric', month: 'long' }));
  const calendarDay = once(() => new Intl.DateTimeFormat(language, { timeZone: 'UTC', dateStyle: 'long' }));
  // Cards show the same posts' dates over and over (on every listing they are in, again
  // after each change): each date, never changed once parsed, is formatted once.
  const days = new WeakMap<Date, DateView>();
  return {
    day: (date) => {
      let view = days.get(date);
      if (!view) {
        view = { iso: toZonedIso(date, timeZone), text: day().format(date) };
        days.set(date, view);
      }
      return view;
    },
    dayAndTime: (date) => ({ iso: toZonedIso(date, timeZone), text: dayAndTime().format(date) }),
    monthName: (y, m) => month().format(Date.UTC(y, m - 1, 1)),
    dayName: (y, m, d) => calendarDay().format(Date.UTC(y, m - 1, d)),
  };
}

function once<T>(make: () => T): () => T {
  let made: T | undefined;
  return () => (made ??= make());
}
