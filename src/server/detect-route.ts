/** The `/detect` route: validates an uploaded image (or an image URL) and asks AKOOL for its faces. */
import { FaceswapError } from '../core/errors.js';
import type { DetectResponse } from '../core/protocol.js';
import type { AkoolClient } from './akool-client.js';
import { facesFromDetect } from './detect-result.js';
import { detectBodyLimit, parseDetectRequest, readJsonBody } from './validation.js';

export interface DetectRouteConfig {
  client: AkoolClient;
  maxImageBytes: number;
}

export async function detect(config: DetectRouteConfig, request: Request): Promise<DetectResponse> {
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
