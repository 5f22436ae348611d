/**
 * Runs a WHATWG handler (`createFaceswapHandler`, the emulator) as a `node:http` request listener or
 * Express/Connect middleware. Type-only Node imports, so importing it costs nothing on edge runtimes.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HandlerContext } from './handler.js';
import { MethodNotAllowed, errorAnswer } from './http-answers.js';

type WhatwgHandler = (request: Request, context?: HandlerContext) => Promise<Response>;

/** Express adds these; a body parser that ran first leaves the parsed body in `body`. */
interface NodeRequest extends IncomingMessage {
  originalUrl?: string;
  body?: unknown;
}

export type NodeListener = (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void) => void;

export function toNodeListener(handler: WhatwgHandler): NodeListener {
  return (req, res, next) => {
    serve(handler, req as NodeRequest, res).catch((error: unknown) => {
      if (next) next(error);
      else if (!res.headersSent) {
        res.statusCode = 500;
        res.end();
      } else res.destroy();
    });
  };
}

/** Converts the Node request: full URL (Express `originalUrl` keeps the mount path), headers, body. */
export function toWhatwgRequest(req: NodeRequest): Request {
  const encrypted = (req.socket as { encrypted?: boolean }).encrypted === true;
  const url = new URL(req.originalUrl ?? req.url ?? '/', `${encrypted ? 'https' : 'http'}://${req.headers.host ?? 'localhost'}`);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || name.startsWith(':')) continue;
    headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const method = (req.method ?? 'GET').toUpperCase();
  if (method === 'GET' || method === 'HEAD') return new Request(url, { method, headers });

  // An Express body parser that ran first has consumed the stream and left the result in `req.body`.
  if (req.readableEnded) {
    const parsed = req.body;
    headers.delete('content-length');
    const body =
      parsed === undefined ? '' : typeof parsed === 'string' ? parsed : parsed instanceof Uint8Array ? new Uint8Array(parsed) : JSON.stringify(parsed);
    return new Request(url, { method, headers, body });
  }
  return new Request(url, { method, headers, body: streamOf(req), duplex: 'half' } as RequestInit);
}

function streamOf(req: IncomingMessage): ReadableStream<Uint8Array> {
  let discarding = false;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      req.on('data', (chunk: Buffer) => {
        if (discarding) return;
        controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        if ((controller.desiredSize ?? 1) <= 0) req.pause();
      });
      req.on('end', () => {
        if (!discarding) controller.close();
      });
      req.on('error', (error) => {
        if (!discarding) controller.error(error);
      });
    },
    pull() {
      req.resume();
    },
    cancel() {
      // The handler stopped reading (body too large): drop the rest so the answer can still be written.
      discarding = true;
      req.resume();
    },
  });
}

/** Methods a WHATWG Request cannot carry (its constructor throws): answered 405 here. */
const FORBIDDEN_METHODS = new Set(['CONNECT', 'TRACE', 'TRACK']);

async function serve(handler: WhatwgHandler, req: NodeRequest, res: ServerResponse): Promise<void> {
  const response = FORBIDDEN_METHODS.has((req.method ?? '').toUpperCase())
    ? errorAnswer(new MethodNotAllowed('GET, POST, OPTIONS'), console)
    : await handler(toWhatwgRequest(req), { clientAddress: req.socket.remoteAddress });
  res.statusCode = response.status;
  // A body the handler did not read to the end (too large) must not be parsed as the next request.
  const hasBody = (req.headers['content-length'] ?? '0') !== '0' || req.headers['transfer-encoding'] !== undefined;
  if (hasBody && !req.readableEnded) res.setHeader('connection', 'close');
  response.headers.forEach((value, name) => res.setHeader(name, value));
  if (!response.body || req.method === 'HEAD') {
    res.end();
    return;
  }
  const reader = response.body.getReader();
  res.on('close', () => reader.cancel().catch(() => undefined));
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (!res.write(value)) await new Promise<void>((resolve) => res.once('drain', resolve));
  }
  res.end();
}
