import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Calls {@code attempt} until it returns without throwing, and returns what it returned; after
 * {@code timeoutMs} it throws the last failure. A child forwards each change at once, so a few
 * seconds is plenty; anything slower is a lost forward, not latency.
 */
export async function eventually<T>(attempt: () => Promise<T>, timeoutMs = 10_000, pollMs = 150): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() >= deadline) {
        throw new Error(`still failing after ${timeoutMs} ms: ${String(error)}`, { cause: error });
      }
    }
    await sleep(pollMs);
  }
}
