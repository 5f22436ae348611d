// Deno entry, run by `deno serve`: the settings arrive in FACESWAP_SETTINGS; the peer address is Deno's.
import { conformanceApp, type RuntimeSettings } from './app.js';

declare const Deno: { env: { get(name: string): string | undefined } };

const app = conformanceApp(JSON.parse(Deno.env.get('FACESWAP_SETTINGS')!) as RuntimeSettings);

export default {
  fetch: (request: Request, info: { remoteAddr: { hostname: string } }) => app(request, { clientAddress: info.remoteAddr.hostname }),
};
