/**
 * Origin checks. Same-origin calls are always allowed (with no Origin header, or one naming the request's
 * own host (its URL's or its Host header's), or the host a trusted proxy says the browser addressed); cross-origin
 * calls only from the configured origins.
 */

export type AllowedOrigins = readonly string[] | '*';

/**
 * `forwardedHost`: the host a trusted proxy reports (a dev proxy with `changeOrigin` rewrites Host to its
 * target, so the page's origin matches only the forwarded one).
 */
export function isOriginAllowed(request: Request, allowed: AllowedOrigins, forwardedHost?: string): boolean {
  const origin = request.headers.get('origin');
  if (origin === null) return true;
  if (allowed === '*') return true;
  if (allowed.includes(origin)) return true;
  try {
    // Compare hosts only: behind a TLS-terminating proxy the request URL may say http while the page is https.
    // The Host header too: Next.js builds a route handler's request URL from its own listen address (or
    // `localhost`), not from the host the browser addressed.
    const host = new URL(origin).host;
    const addressed = request.headers.get('host');
    return (
      host === new URL(request.url).host ||
      (addressed !== null && host === new URL(`http://${addressed}`).host) ||
      (forwardedHost !== undefined && host === new URL(`http://${forwardedHost}`).host)
    );
  } catch {
    return false;
  }
}

/** Headers that let an allowed cross-origin caller read the answer. */
export function corsHeaders(request: Request, allowed: AllowedOrigins, forwardedHost?: string): Record<string, string> {
  const origin = request.headers.get('origin');
  if (origin === null || !isOriginAllowed(request, allowed, forwardedHost)) return {};
  return allowed === '*' ? { 'access-control-allow-origin': '*' } : { 'access-control-allow-origin': origin, vary: 'Origin' };
}

export function preflightHeaders(request: Request, allowed: AllowedOrigins, forwardedHost?: string): Record<string, string> {
  return {
    ...corsHeaders(request, allowed, forwardedHost),
    'access-control-allow-methods': 'GET, POST, OPTIONS',
    'access-control-allow-headers': 'content-type',
    'access-control-max-age': '600',
  };
}
