import { disclosureXmp, drawMark, type FileMark } from './disclosure.js';
import { withPngXmp } from './png-xmp.js';
import { warnOnce } from './warn.js';

/** Frame grabs for `snapshot()`; loaded on the first snapshot, not with the elements. */

/**
 * Draws the current frame of a playing `<video>` to a PNG; with a `mark`, the mark is drawn into the pixels
 * and the AI digital source type written into the XMP. Rejects when no frame has been decoded yet.
 */
export async function videoFrameToPng(video: HTMLVideoElement, mark: FileMark | null): Promise<Blob> {
  if (video.readyState < HTMLMediaElement.HAVE_CURRENT_DATA || video.videoWidth === 0) {
    throw new DOMException('No video frame to capture yet.', 'InvalidStateError');
  }
  const canvas = document.createElement('canvas');
  canvas.width = video.videoWidth;
  canvas.height = video.videoHeight;
  const context = canvas.getContext('2d');
  if (!context) throw new DOMException('Canvas 2D is not available.', 'NotSupportedError');
  context.drawImage(video, 0, 0);
  if (mark) drawMark(context, canvas.width, canvas.height, mark);
  const png = await new Promise<Blob>((resolve, reject) =>
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new DOMException('Encoding failed.', 'EncodingError'))), 'image/png'),
  );
  if (!mark) return png;
  const marked = withPngXmp(new Uint8Array(await png.arrayBuffer()), disclosureXmp(mark.text));
  return new Blob([marked], { type: 'image/png' });
}

/**
 * A marked snapshot passed through the session's signing (a C2PA manifest from the token endpoint, where it
 * offers one). When signing fails the file keeps its XMP marks and one warning says so: the picture is never lost.
 */
export async function signedSnapshot(png: Blob, sign: ((picture: Blob) => Promise<Blob>) | undefined): Promise<Blob> {
  if (!sign) return png;
  try {
    return await sign(png);
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    warnOnce(`could not sign the snapshot with a C2PA manifest (${typeof code === 'string' ? code : 'error'}); it keeps its XMP marks.`);
    return png;
  }
}

/** A PNG of a video track's current frame (marked as `videoFrameToPng` does), through a detached, muted video element. */
export async function trackFrameToPng(track: MediaStreamTrack, mark: FileMark | null): Promise<Blob> {
  if (track.readyState !== 'live') throw new DOMException('The video track has ended.', 'InvalidStateError');
  const video = document.createElement('video');
  video.muted = true;
  video.playsInline = true;
  video.srcObject = new MediaStream([track]);
  try {
    await video.play();
    if (video.readyState < HTMLMediaElement.HAVE_CURRENT_DATA || video.videoWidth === 0) {
      await new Promise<void>((resolve) => video.addEventListener('loadeddata', () => resolve(), { once: true }));
    }
    return await videoFrameToPng(video, mark);
  } finally {
    video.pause();
    video.srcObject = null;
  }
}
