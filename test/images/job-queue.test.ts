// Bounded work: slots, the costly lane, shared jobs, the bounded line, the deadline.
import t from 'tap';
import { createJobQueue, JobTimeoutError, QueueFullError } from '../../src/images/job-queue.js';
import { waitFor } from '../helpers/wait.js';

/** A job that ends when the test says so. */
function gate<T>(value: T) {
  let open!: () => void;
  let fail!: (err: Error) => void;
  const done = new Promise<T>((resolve, reject) => {
    open = () => resolve(value);
    fail = reject;
  });
  return { work: () => done, open, fail };
}

t.test('identical jobs share one run', async (t) => {
  const queue = createJobQueue({ maxRunning: 2, maxQueued: 4 });
  let runs = 0;
  const g = gate('bytes');
  const work = () => {
    runs++;
    return g.work();
  };
  const all = Promise.all([queue.run('a', work), queue.run('a', work), queue.run('a', work)]);
  g.open();
  t.same(await all, ['bytes', 'bytes', 'bytes']);
  t.equal(runs, 1);
  t.equal(queue.stats.started, 1);
  await queue.run('a', async () => 'again');
  t.equal(queue.stats.started, 2, 'a finished job is not kept: the next run is a new job');
});

t.test('at most maxRunning at once; the rest wait in order; past maxQueued, QueueFullError', async (t) => {
  const queue = createJobQueue({ maxRunning: 2, maxQueued: 2 });
  const gates = [gate(1), gate(2), gate(3), gate(4)];
  const order: number[] = [];
  const runs = gates.map((g, i) =>
    queue.run(`job${i}`, () => {
      order.push(i);
      return g.work();
    }),
  );
  await t.rejects(queue.run('job4', async () => 5), QueueFullError, 'the line is full');
  t.same({ running: queue.stats.running, queued: queue.stats.queued }, { running: 2, queued: 2 });
  t.same(order, [0, 1]);
  gates[0]!.open();
  await waitFor('the first waiting job to start', () => order.length === 3);
  t.same(order, [0, 1, 2], 'first come, first served');
  for (const g of gates) g.open();
  t.same(await Promise.all(runs), [1, 2, 3, 4]);
  t.equal(queue.stats.running, 0);
});

t.test('costly jobs have a lane of their own; a cheap job may pass one that waits', async (t) => {
  const queue = createJobQueue({ maxRunning: 2, maxCostly: 1, maxQueued: 4 });
  const [a, b, c] = [gate('avif 1'), gate('avif 2'), gate('jpeg')];
  const started: string[] = [];
  const track = (name: string, g: ReturnType<typeof gate<string>>) => () => {
    started.push(name);
    return g.work();
  };
  const first = queue.run('a', track('avif 1', a), { costly: true });
  const second = queue.run('b', track('avif 2', b), { costly: true });
  const third = queue.run('c', track('jpeg', c));
  await waitFor('the jpeg job to start', () => started.length === 2);
  t.same(started, ['avif 1', 'jpeg'], 'the second AVIF waits, the JPEG goes past it');
  c.open();
  await third;
  t.same(started, ['avif 1', 'jpeg'], 'a free slot is not enough: the costly lane is still taken');
  a.open();
  await first;
  await waitFor('the second AVIF to start', () => started.length === 3);
  b.open();
  t.equal(await second, 'avif 2');
});

t.test('a job past its deadline rejects its callers but keeps its slot until its work ends', async (t) => {
  const queue = createJobQueue({ maxRunning: 1, maxQueued: 1, timeoutMs: 20 });
  const slow = gate('late');
  const err = await queue.run('slow', slow.work).catch((e: unknown) => e);
  t.ok(err instanceof JobTimeoutError);
  t.equal((err as JobTimeoutError).timeoutMs, 20);
  t.equal(queue.stats.running, 1, 'still running');
  let next = false;
  const after = queue.run('next', async () => (next = true));
  t.equal(queue.stats.queued, 1, 'the next job waits for the slot');
  slow.open();
  await after;
  t.ok(next, 'runs once the slow work has ended');
});

t.test('a failing job frees its slot and its key', async (t) => {
  const queue = createJobQueue({ maxRunning: 1, maxQueued: 0 });
  await t.rejects(queue.run('x', async () => Promise.reject(new Error('broken'))), { message: 'broken' });
  await t.rejects(
    queue.run('y', () => {
      throw new Error('thrown at once');
    }),
    { message: 'thrown at once' },
  );
  t.equal(await queue.run('x', async () => 'fine'), 'fine', 'the key can run again');
});
