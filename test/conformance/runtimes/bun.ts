// Bun entry: the settings arrive in FACESWAP_SETTINGS; the peer address is Bun's; the port is printed for the test.
import { conformanceApp, type RuntimeSettings } from './app.js';

interface BunServer {
  port: number;
  requestIP(request: Request): { address: string } | null;
}
declare const Bun: { serve(options: { hostname: string; port: number; fetch: (request: Request, server: BunServer) => Promise<Response> }): BunServer };

const app = conformanceApp(JSON.parse(process.env.FACESWAP_SETTINGS!) as RuntimeSettings);
const server = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: (request, bun) => app(request, { clientAddress: bun.requestIP(request)?.address }) });
console.log(`listening ${server.port}`);
