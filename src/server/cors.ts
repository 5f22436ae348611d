/**
 * Origin checks. Same-origin calls are always allowed (with no Origin header, or one naming the request's
 * own host); cross-origin calls only from the configured origins.
 */

export type AllowedOrigins = readonly string[] | '*';

export function isOriginAllowed(request: Request, allowed: AllowedOrigins): boolean {
  const origin = request.headers.get('origin');
  if (origin === null) return true;
  if (allowed === '*') return true;
  if (allowed.includes(origin)) return true;
  try {
    // Compare hosts only: behind a TLS-terminating proxy the request URL may say http while the page is https.
    return new URL(origin).host === new URL(request.url).host;
  } catch {
    return false;
  }
}

/** Headers that let an allowed cross-origin caller read the answer. */
export function corsHeaders(request: Request, allowed: AllowedOrigins): Record<string, string> {
  const origin = request.headers.get('origin');
  if (origin === null || !isOriginAllowed(request, allowed)) return {};
  return allowed === '*' ? { 'access-control-allow-origin': '*' } : { 'access-control-allow-origin': origin, vary: 'Origin' };
}

export function preflightHeaders(request: Request, allowed: AllowedOrigins): Record<string, string> {
  return {
    ...corsHeaders(request, allowed),
    'access-control-allow-methods': 'GET, POST, OPTIONS',
    'access-control-allow-headers': 'content-type',
    'access-control-max-age': '600',
  };
}
