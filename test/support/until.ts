/**
 * Polls until `check` answers a truthy value (or a promise of one) and returns it; rejects naming `what` after
 * `timeoutMs`. The one wait helper of the tests (browser and Node) and page benchmarks.
 */
export async function until<T>(check: () => T | Promise<T>, what: string, timeoutMs = 10_000, intervalMs = 25): Promise<NonNullable<T>> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
