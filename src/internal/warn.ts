const warned = new Set<string>();

/** Warns once per distinct message: author mistakes are reported, never thrown, and never flood the console. */
export function warnOnce(message: string): void {
  if (warned.has(message)) return;
  warned.add(message);
  console.warn(`[faceswap-elements] ${message}`);
}
