// Waiting on a condition with a deadline: tests never rely on fixed sleeps alone.

/** Resolves with the first truthy value `check` returns; throws after `deadlineMs`. */
export async function waitFor<T>(
  what: string,
  check: () => T | false | null | undefined | Promise<T | false | null | undefined>,
  deadlineMs = 8000,
): Promise<T> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
