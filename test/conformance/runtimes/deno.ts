// Deno entry: the settings arrive in FACESWAP_SETTINGS; the chosen port is printed for the test to read.
import { conformanceApp, type RuntimeSettings } from './app.js';

declare const Deno: {
  env: { get(name: string): string | undefined };
  serve(options: { hostname: string; port: number; onListen(address: { port: number }): void }, handler: (request: Request) => Promise<Response>): unknown;
};

const app = conformanceApp(JSON.parse(Deno.env.get('FACESWAP_SETTINGS')!) as RuntimeSettings);
Deno.serve({ hostname: '127.0.0.1', port: 0, onListen: ({ port }) => console.log(`listening ${port}`) }, app);
