import t from 'tap';
import { formatOffset, offsetMinutes, toWallTime, toZonedIso } from '../../src/content/time-zone.js';

t.test('ISO with the site offset', async (t) => {
  const instant = new Date('2025-09-25T20:01:15Z');
  t.equal(toZonedIso(instant, 'UTC'), '2025-09-25T20:01:15+00:00');
  t.equal(toZonedIso(instant, 'Europe/Berlin'), '2025-09-25T22:01:15+02:00');
  t.equal(toZonedIso(instant, 'America/St_Johns'), '2025-09-25T17:31:15-02:30');
  t.equal(toZonedIso(new Date('2025-09-25T23:30:00Z'), 'Asia/Tokyo'), '2025-09-26T08:30:00+09:00', 'the local day can differ');
});

t.test('offsets and wall times', async (t) => {
  t.equal(offsetMinutes(new Date('2025-01-01T00:00:00Z'), 'Europe/Berlin'), 60);
  t.equal(offsetMinutes(new Date('2025-07-01T00:00:00Z'), 'America/New_York'), -240);
  t.equal(formatOffset(-330), '-05:30');
  t.same(toWallTime(new Date('2025-12-31T23:00:00Z'), 'Europe/Berlin'), { year: 2026, month: 1, day: 1, hour: 0, minute: 0, second: 0 });
});
