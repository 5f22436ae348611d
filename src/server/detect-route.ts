/** The `/detect` route: validates an uploaded image (or an image URL) and asks AKOOL for its faces. */
import { FaceswapError } from '../core/errors.js';
import type { DetectResponse } from '../core/protocol.js';
import type { AkoolClient } from './akool-client.js';
import { facesFromDetect } from './detect-result.js';
import { RetryLater } from './http-answers.js';
import { detectBodyLimit, parseDetectRequest, readJsonBody } from './validation.js';

export interface DetectRouteConfig {
  client: AkoolClient;
  maxImageBytes: number;
  detectSlots: Slots;
}

/** A count of things running at once (detections: each holds an upload of up to ~11 MB several times over). */
export class Slots {
  private running = 0;
  constructor(readonly max: number) {}

  /** A release function, or undefined when every slot is taken. */
  tryTake(): (() => void) | undefined {
    if (this.running >= this.max) return undefined;
    this.running += 1;
    let released = false;
    return () => {
      if (!released) this.running -= 1;
      released = true;
    };
  }
}

/** A slot is taken before the body is read, so the uploads in memory at once are bounded; the rest get 503. */
export async function detect(config: DetectRouteConfig, request: Request): Promise<DetectResponse> {
  const release = config.detectSlots.tryTake();
  if (!release) throw new RetryLater(2, 'The server is busy detecting faces; try again in a moment.', 503);
  try {
    return await detectInSlot(config, request);
  } finally {
    release();
  }
}

async function detectInSlot(config: DetectRouteConfig, request: Request): Promise<DetectResponse> {
  const { client, maxImageBytes } = config;
  const input = parseDetectRequest(await readJsonBody(request, detectBodyLimit(maxImageBytes)), maxImageBytes);
  const reply =
    input.kind === 'image'
      ? await client.detectFaces({ img: input.base64, single_face: input.singleFace, return_face_url: true })
      : await client.detectFaces({ url: input.url, single_face: input.singleFace });
  const faces = facesFromDetect(reply, input);
  if (faces.length === 0) throw new FaceswapError('no-face', 'No face was found in the image.');
  // The handler never fetches a caller's URL, so a URL image's size is unknown: 0 says so.
  return { faces, width: input.kind === 'image' ? input.info.width : 0, height: input.kind === 'image' ? input.info.height : 0 };
}
