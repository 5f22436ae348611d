// workerd entry (Cloudflare Workers module syntax): the settings arrive as the FACESWAP_SETTINGS text binding.
import { conformanceApp, type RuntimeSettings } from './app.js';

let app: ((request: Request) => Promise<Response>) | undefined;

export default {
  fetch(request: Request, env: { FACESWAP_SETTINGS: string }): Promise<Response> {
    app ??= conformanceApp(JSON.parse(env.FACESWAP_SETTINGS) as RuntimeSettings);
    return app(request);
  },
};
