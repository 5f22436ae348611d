// workerd entry (Cloudflare Workers module syntax): the settings arrive as the SETTINGS text binding.
import { conformanceApp, type RuntimeSettings } from './app.js';

let app: ((request: Request) => Promise<Response>) | undefined;

export default {
  fetch(request: Request, env: { SETTINGS: string }): Promise<Response> {
    app ??= conformanceApp(JSON.parse(env.SETTINGS) as RuntimeSettings);
    return app(request);
  },
};
