import { disclosureWebmTags, drawMark, type FileMark } from './disclosure.js';
import { withWebmTags } from './webm-tags.js';
import { warnOnce } from './warn.js';

/** Marking of recordings; loaded with the first marked recording, not with the elements. */

/** Frame rate of the marked copy when the track does not say its own. */
const DEFAULT_FRAME_RATE = 30;

export interface MarkedTrack {
  /** The copy to record: `video`'s frames with the mark drawn into every one. */
  track: MediaStreamTrack;
  stop(): void;
}

/**
 * Copies the frames `video` shows into a canvas at the source's frame rate, draws the mark into each and
 * offers the canvas as a track. A timer rather than `requestVideoFrameCallback`, which stops while the
 * player is scrolled away or hidden, when the recording must go on. The canvas sits, invisible, next to
 * `video`: Chromium captures nothing from a canvas outside the document.
 */
export function markedVideoTrack(video: HTMLVideoElement, source: MediaStreamTrack, mark: FileMark): MarkedTrack {
  const canvas = document.createElement('canvas');
  canvas.setAttribute('aria-hidden', 'true');
  canvas.style.cssText = 'position:absolute;width:1px;height:1px;opacity:0;pointer-events:none';
  video.after(canvas);
  const context = canvas.getContext('2d');
  if (!context || typeof canvas.captureStream !== 'function') {
    canvas.remove();
    throw new DOMException('Canvas capture is not available.', 'NotSupportedError');
  }
  const draw = () => {
    const { videoWidth: width, videoHeight: height } = video;
    if (width === 0 || height === 0) return;
    if (canvas.width !== width || canvas.height !== height) Object.assign(canvas, { width, height });
    context.drawImage(video, 0, 0, width, height);
    drawMark(context, width, height, mark);
  };
  draw();
  const [track] = canvas.captureStream().getVideoTracks();
  if (!track) {
    canvas.remove();
    throw new DOMException('Canvas capture is not available.', 'NotSupportedError');
  }
  const frameRate = source.getSettings().frameRate || DEFAULT_FRAME_RATE;
  const timer = setInterval(draw, 1000 / frameRate);
  return {
    track,
    stop() {
      clearInterval(timer);
      track.stop();
      canvas.remove();
    },
  };
}

/**
 * The recording with the AI digital source type in its Matroska tags. WebM only (MediaRecorder's MP4 in
 * Safari keeps the visible mark alone); a file the writer cannot tag is returned unchanged with a warning,
 * so the recording is never lost.
 */
export async function tagRecording(blob: Blob, text: string): Promise<Blob> {
  if (!blob.type.startsWith('video/webm')) return blob;
  try {
    const tagged = withWebmTags(new Uint8Array(await blob.arrayBuffer()), disclosureWebmTags(text));
    return new Blob([tagged], { type: blob.type });
  } catch (error) {
    warnOnce(`could not write the AI disclosure tags into the recording: ${(error as Error).message}`);
    return blob;
  }
}
