// Bun entry: the settings arrive in FACESWAP_SETTINGS; the chosen port is printed for the test to read.
import { conformanceApp, type RuntimeSettings } from './app.js';

declare const Bun: { serve(options: { hostname: string; port: number; fetch: (request: Request) => Promise<Response> }): { port: number } };

const server = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: conformanceApp(JSON.parse(process.env.FACESWAP_SETTINGS!) as RuntimeSettings) });
console.log(`listening ${server.port}`);
