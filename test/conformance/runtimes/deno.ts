// Deno entry, run by `deno serve`: the settings arrive in FACESWAP_SETTINGS.
import { conformanceApp, type RuntimeSettings } from './app.js';

declare const Deno: { env: { get(name: string): string | undefined } };

export default { fetch: conformanceApp(JSON.parse(Deno.env.get('FACESWAP_SETTINGS')!) as RuntimeSettings) };
