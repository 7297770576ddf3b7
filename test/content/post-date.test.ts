import t from 'tap';
import { InvalidDateError, parsePostDate, wallDateFromParts } from '../../src/content/post-date.js';

t.test('the accepted forms', async (t) => {
  const cases: [string, string, string][] = [
    ['2025-09-25T22:01:15', 'UTC', '2025-09-25T22:01:15.000Z'],
    ['2025-09-25 22:01:15', 'UTC', '2025-09-25T22:01:15.000Z'],
    ['2025-09-25', 'UTC', '2025-09-25T00:00:00.000Z'],
    ['2025-09-25T22:01:15Z', 'Europe/Berlin', '2025-09-25T22:01:15.000Z'],
    ['2025-09-25T22:01:15+02:00', 'UTC', '2025-09-25T20:01:15.000Z'],
    ['2025-09-25 22:01:15 -0500', 'UTC', '2025-09-26T03:01:15.000Z'],
    ['2025-09-25T22:01', 'UTC', '2025-09-25T22:01:00.000Z'],
    ['2025-09-25T22:01:15.250Z', 'UTC', '2025-09-25T22:01:15.250Z'],
    ['2025-9-5', 'UTC', '2025-09-05T00:00:00.000Z'],
  ];
  for (const [input, zone, expected] of cases) {
    t.equal(parsePostDate(input, zone).toISOString(), expected, `${input} in ${zone}`);
  }
});

t.test('zone-less times are read in the site time zone', async (t) => {
  t.equal(parsePostDate('2025-09-25T22:01:15', 'Europe/Berlin').toISOString(), '2025-09-25T20:01:15.000Z', 'summer time +02:00');
  t.equal(parsePostDate('2025-01-15T12:00:00', 'Europe/Berlin').toISOString(), '2025-01-15T11:00:00.000Z', 'winter time +01:00');
  t.equal(parsePostDate('2025-09-25', 'America/New_York').toISOString(), '2025-09-25T04:00:00.000Z');
  t.equal(parsePostDate('2025-03-30T02:30:00', 'Europe/Berlin').toISOString(), '2025-03-30T01:30:00.000Z', 'in the spring-forward gap: 03:30 local');
  t.equal(parsePostDate('2025-10-26T02:30:00', 'Europe/Berlin').toISOString(), '2025-10-26T00:30:00.000Z', 'repeated hour: the first one');
  t.equal(parsePostDate('2025-09-25T10:00:00', 'Asia/Kolkata').toISOString(), '2025-09-25T04:30:00.000Z', 'half-hour offsets');
});

t.test('impossible dates are errors, never rolled over', async (t) => {
  const bad: unknown[] = [
    '2025-13-45', '2025-02-30', '2024-02-30', '2025-04-31', '2025-09-25T24:00:00', '2025-09-25T22:60:00',
    '2025-09-25T22:01:61', '2025-09-25T22:01:15+15:00', 'yesterday', '25/09/2025', '', 20250925, null, ['2025-09-25'],
    '0999-01-01',
  ];
  for (const value of bad) t.throws(() => parsePostDate(value, 'UTC'), InvalidDateError, JSON.stringify(value));
  t.equal(parsePostDate('2024-02-29', 'UTC').toISOString(), '2024-02-29T00:00:00.000Z', 'leap day exists in 2024');
});

t.test('Date objects (from other YAML schemas) are accepted when valid', async (t) => {
  const d = new Date('2025-01-01T00:00:00Z');
  t.equal(parsePostDate(d, 'UTC'), d);
  t.throws(() => parsePostDate(new Date('x'), 'UTC'), InvalidDateError);
});

t.test('wallDateFromParts checks the calendar', async (t) => {
  t.same(wallDateFromParts(2025, 9, 25), { year: 2025, month: 9, day: 25, hour: 0, minute: 0, second: 0 });
  t.equal(wallDateFromParts(2025, 2, 30), null);
});
