// V8 optimises the Markdown renderer's code (markdown-it, sanitize-html) only after it
// has run many times: until then a body takes about twice as long. Measured at 10,000
// posts, the first 50 cold post pages after start had a p50 of 4.0 ms without this and
// 2.5-2.9 ms with it. So the worker, once started ahead of the first page, renders a
// sample body a number of times: one render per turn of its event loop, so a real body
// asked for meanwhile waits for one sample render at most. The output is thrown away.

/** A body with what posts commonly hold: headings, emphasis, links in and out, lists, a quote, a picture, a table, code. */
export const SAMPLE_BODY = [
  'The council met on Tuesday to settle the **harbour budget**, and _three_ members spoke against it.',
  '',
  '## What was decided',
  '',
  'The plan, first shown [in March](/2024/03/12/harbour-plan/), keeps the ferry running; the [full minutes](https://council.example.org/minutes) are online.',
  '',
  '- The ferry keeps its winter timetable',
  '- Repairs to the [north pier](https://example.org/pier) start in May',
  '- Fees rise by 2 % -- the first rise "in a decade"',
  '',
  '1. A vote in June',
  '2. A second reading in July',
  '',
  '> We have waited long enough for this.',
  '',
  '![The north pier at low tide](/images/pier.jpg "The north pier")',
  '',
  '| Item | Cost |',
  '| --- | ---: |',
  '| Pier | 1.2m |',
  '',
  '```',
  'budget: 4.5m',
  '```',
  '',
  'Residents can comment until the end of the month. '.repeat(12),
].join('\n');

/** Calls `render` `rounds` times, one call per turn of the event loop. */
export function warmUp(render: (markdown: string) => unknown, rounds: number): Promise<void> {
  return new Promise((resolve) => {
    let done = 0;
    const step = (): void => {
      if (done === rounds) return resolve();
      // A different text each time, so nothing along the way can serve it from a cache.
      render(`${SAMPLE_BODY}\n\nRound ${done++}.`);
      setImmediate(step);
    };
    setImmediate(step);
  });
}
