// Shared by the server-*.test.ts files: a token endpoint and an AKOOL emulator on loopback, ephemeral ports.
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../src/server/emulator/server.js';
import { createFaceswapHandler, type FaceswapHandler, type FaceswapHandlerOptions } from '../../src/server/handler.js';
import { toNodeListener } from '../../src/server/node-adapter.js';

export const API_KEY = 'test-api-key-5f1c9a7e2b';
export const SECRET = 'test-secret-0123456789abcdef';
export const samplePhoto = (n: number): Buffer => readFileSync(`node_modules/@vladmandic/face-api/demo/sample${n}.jpg`);
export const dataUrl = (bytes: Uint8Array, type = 'image/jpeg'): string => `data:${type};base64,${Buffer.from(bytes).toString('base64')}`;

/** A photo with no face: a smooth gradient. */
export async function faceFreeImage(): Promise<Buffer> {
  const width = 480;
  const height = 360;
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      pixels[i] = Math.round((x / width) * 255);
      pixels[i + 1] = Math.round((y / height) * 200);
      pixels[i + 2] = 120;
    }
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .jpeg()
    .toBuffer();
}

export async function listen(listener: (req: IncomingMessage, res: ServerResponse) => void) {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface Stack {
  emulator: RunningEmulator;
  handler: FaceswapHandler;
  /** The token endpoint's base, e.g. `http://127.0.0.1:1234/api/faceswap`. */
  endpoint: string;
  origin: string;
  close(): Promise<void>;
}

export async function startStack(handlerOptions: Partial<FaceswapHandlerOptions> = {}, emulatorOptions: EmulatorOptions = {}): Promise<Stack> {
  const emulator = await startEmulator({ apiKey: API_KEY, statusDelayMs: 100, ...emulatorOptions });
  const handler = createFaceswapHandler({
    auth: { apiKey: API_KEY },
    baseUrl: emulator.url,
    secret: SECRET,
    engine: 'local',
    reaperIntervalMs: 0,
    // Suites create many sessions from 127.0.0.1; the caps and per-session limits have their own tests.
    maxSessions: 1000,
    maxSessionsPerVisitor: 1000,
    sourceUpdateLimit: false,
    heartbeatLimit: false,
    ...handlerOptions,
  });
  const http = await listen(toNodeListener(handler));
  return {
    emulator,
    handler,
    endpoint: `${http.url}/api/faceswap`,
    origin: http.url,
    close: async () => {
      handler.close();
      await http.close();
      await emulator.close();
    },
  };
}

export async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** A valid source for create: the landmark string of a real face URL is not checked by the emulator. */
export const SOURCE = { path: 'https://example.com/face.jpg', opts: '262,175:363,175:313,215:272,279' };
