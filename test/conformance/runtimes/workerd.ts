// workerd entry (Cloudflare Workers module syntax): the settings arrive as the FACESWAP_SETTINGS text binding.
import { conformanceApp, type RuntimeSettings } from './app.js';

let app: ReturnType<typeof conformanceApp> | undefined;

export default {
  fetch(request: Request, env: { FACESWAP_SETTINGS: string }, context: { waitUntil(promise: Promise<unknown>): void }): Promise<Response> {
    app ??= conformanceApp(JSON.parse(env.FACESWAP_SETTINGS) as RuntimeSettings);
    // workerd cancels a request's work once its response is sent, unless it is handed to waitUntil.
    return app(request, { waitUntil: (promise) => context.waitUntil(promise) });
  },
};
