import type { FileMark } from './disclosure.js';
import { markedVideoTrack, type MarkedTrack } from './marked-recording.js';

/** Starting a recorder; loaded with the first recording, not with the elements. */

/** How often the recorder hands over data while recording. */
const CHUNK_MS = 1000;
/** How often the recorder is asked for data while it starts. */
const START_POLL_MS = 100;
/**
 * Frames the player must have shown before a recorder that wrote nothing is judged unable to encode: with fewer (a
 * video that stalled after a frame or two) it may only have had nothing to encode, and the record button stays.
 */
const FRAMES_FOR_VERDICT = 5;

export interface StartedRecorder {
  recorder: MediaRecorder;
  /** Resolves with the file once the recorder stops. */
  done: Promise<Blob>;
  /** The marked copy of the track that is recorded, when the recording is marked. */
  marked: MarkedTrack | null;
}

export interface RecorderRequest {
  track: MediaStreamTrack;
  /** The element that plays the track: the marked copy is drawn from it, and its frames tell a stalled video apart. */
  video: HTMLVideoElement;
  mark: FileMark | null;
  mimeType: string;
  /** How long to wait for the first data. */
  limitMs: number;
  /** Whether the recording is still wanted (its element is in the page). */
  wanted: () => boolean;
}

/**
 * Counts the frames `video` presents from now on, where the browser can (requestVideoFrameCallback): whether a
 * recorder that wrote nothing was given frames. `count()` is null where it cannot tell.
 */
function presentedFrames(video: HTMLVideoElement): { count(): number | null; stop(): void } {
  if (typeof video.requestVideoFrameCallback !== 'function') return { count: () => null, stop() {} };
  let frames = 0;
  let handle = video.requestVideoFrameCallback(function counted() {
    frames++;
    handle = video.requestVideoFrameCallback(counted);
  });
  return { count: () => frames, stop: () => video.cancelVideoFrameCallback(handle) };
}

/**
 * Starts a MediaRecorder on `track` (or its marked copy) and resolves once it has written its first data, so that a
 * recording stopped a moment later still has frames (the encoder takes a few hundred milliseconds to start, seconds on
 * a loaded machine). On failure the recorder and the marked copy are stopped again, and it rejects with:
 * `InvalidStateError` when the track ends or the recording is no longer wanted meanwhile, or when `video` showed
 * fewer than FRAMES_FOR_VERDICT frames while the recorder wrote nothing (a stalled or hidden player);
 * `NotSupportedError` when the recorder wrote nothing from the frames shown within `limitMs` (also where the browser
 * cannot count frames shown: WebKitGTK claims MP4 where GStreamer has no H.264 encoder, and hands over empty chunks
 * only); the recorder's own error when it fails.
 */
export async function startRecorder({ track, video, mark, mimeType, limitMs, wanted }: RecorderRequest): Promise<StartedRecorder> {
  const chunks: Blob[] = [];
  let marked: MarkedTrack | null = null;
  let recorder: MediaRecorder | null = null;
  let recorderError: unknown = null;
  const frames = presentedFrames(video);
  try {
    marked = mark ? markedVideoTrack(video, track, mark) : null;
    recorder = new MediaRecorder(new MediaStream([marked?.track ?? track]), { mimeType });
    recorder.addEventListener('dataavailable', (event) => {
      if (event.data.size > 0) chunks.push(event.data);
    });
    recorder.addEventListener('error', (event) => {
      recorderError ??= (event as Event & { error?: unknown }).error ?? new DOMException('The recorder failed.', 'UnknownError');
    });
    const stopping = recorder;
    const done = new Promise<Blob>((resolve) => {
      stopping.addEventListener('stop', () => resolve(new Blob(chunks, { type: mimeType.split(';')[0] })), { once: true });
    });
    recorder.start(CHUNK_MS);
    const waitedSince = performance.now();
    const deadline = waitedSince + limitMs;
    while (chunks.length === 0 && recorder.state === 'recording' && track.readyState === 'live' && wanted() && performance.now() < deadline) {
      recorder.requestData();
      await new Promise((resolve) => setTimeout(resolve, START_POLL_MS));
    }
    if (track.readyState !== 'live' || !wanted()) throw new DOMException('The swapped video ended before the recording started.', 'InvalidStateError');
    if (recorderError) throw recorderError;
    const waited = `${Math.round((performance.now() - waitedSince) / 1000)} s`;
    const shown = frames.count();
    if (chunks.length === 0 && shown !== null && shown < FRAMES_FOR_VERDICT)
      throw new DOMException(
        `The player showed ${shown ? `only ${shown}` : 'no'} video frames to record in ${waited} (stalled or hidden).`,
        'InvalidStateError',
      );
    if (chunks.length === 0) throw new DOMException(`This browser's recorder wrote nothing in ${waited}: it cannot record this video.`, 'NotSupportedError');
    return { recorder, done, marked };
  } catch (error) {
    if (recorder && recorder.state !== 'inactive') recorder.stop();
    marked?.stop();
    throw error;
  } finally {
    frames.stop();
  }
}
