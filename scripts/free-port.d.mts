/** A TCP port free on loopback right now. */
export function freePort(): Promise<number>;
