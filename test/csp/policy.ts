// The Content-Security-Policy a site needs for faceswap-elements, found by removing sources one at a time
// until the local-engine flow broke (test/node/hardening-csp.test.ts runs it):
//   script-src 'wasm-unsafe-eval'  the local engine compiles WebAssembly (tfjs wasm backend); no 'unsafe-eval'
//   worker-src blob:               the engine's face-mesh worker is started from a blob: URL
//   connect-src Agora hosts        the `akool` engine's Agora SDK (signalling over https and wss)
//   img-src data: blob:            the picker's previews of uploaded and snapped photos (not needed to go live)
// A MediaStream in `srcObject` needs no media-src entry. No inline script, no inline style attribute needed:
// Lit's styles are constructable stylesheets.
export const CSP_DIRECTIVES: Record<string, string> = {
  'default-src': "'self'",
  'script-src': "'self' 'wasm-unsafe-eval'",
  'style-src': "'self'",
  'connect-src': "'self' https://*.agora.io https://*.sd-rtn.com wss://*.agora.io wss://*.sd-rtn.com",
  'img-src': "'self' data: blob:",
  'media-src': "'self'",
  'worker-src': "'self' blob:",
  'object-src': "'none'",
  'base-uri': "'none'",
};

export const CSP = Object.entries(CSP_DIRECTIVES)
  .map(([name, value]) => `${name} ${value}`)
  .join('; ');
