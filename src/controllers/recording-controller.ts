import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { FaceswapRecordingStartEvent } from '../events/recording-start-event.js';
import { FaceswapRecordingStopEvent } from '../events/recording-stop-event.js';
import type { FileMark } from '../internal/disclosure.js';
import { loadChunk } from '../internal/lazy-chunk.js';
import type { MarkedTrack } from '../internal/marked-recording.js';
import { pickRecordingType } from '../internal/recording.js';

type Host = ReactiveControllerHost & HTMLElement;

/** How often the recorder hands over data while recording. */
const CHUNK_MS = 1000;
/** How often the recorder is asked for data while it starts. */
const START_POLL_MS = 100;
/**
 * The longest wait for the first data. An encoder takes seconds on a loaded machine; one that wrote nothing by then
 * never will (WebKitGTK claims MP4 where GStreamer has no H.264 encoder, and hands over empty chunks only).
 */
const START_LIMIT_MS = 10_000;

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

interface ActiveRecording {
  recorder: MediaRecorder;
  startedAt: number;
  track: MediaStreamTrack;
  done: Promise<Blob>;
  /** The marked copy of `track` that is recorded, when the recording is marked. */
  marked: MarkedTrack | null;
  mark: FileMark | null;
  /** Called with the file once it stopped (the built-in button saves it). */
  onDone?: (blob: Blob) => void | Promise<void>;
}

export interface RecordingOptions {
  /** The element that plays the track: the marked copy is drawn from it, and its frames tell a stalled video apart. */
  video: HTMLVideoElement;
  /**
   * Marks the recording as AI-made: drawn into every frame and the AI digital source type written into the WebM
   * tags. `null` records the track as it is.
   */
  mark: FileMark | null;
  /** Called with the file once it stopped (the built-in button saves it). */
  onDone?: (blob: Blob) => void | Promise<void>;
}

/**
 * Records one video track with MediaRecorder (WebM where supported, MP4 in Safari) and fires
 * `faceswap-recording-start` / `faceswap-recording-stop` on the host. A recording ends when its track
 * ends, when `stop()` is called, or when the host disconnects.
 */
export class RecordingController implements ReactiveController {
  private readonly host: Host;
  private active: ActiveRecording | null = null;
  /** A recorder was created and waits for its first data (see `start()`). */
  private starting = false;
  private readonly startLimitMs: number;

  /** `startLimitMs`: how long `start()` waits for the recorder's first data before it gives up. */
  constructor(host: Host, { startLimitMs = START_LIMIT_MS } = {}) {
    (this.host = host).addController(this);
    this.startLimitMs = startLimitMs;
  }

  /** Whether a recording runs. */
  get recording(): boolean {
    return this.active !== null;
  }

  /** The track being recorded, or `null`. */
  get track(): MediaStreamTrack | null {
    return this.active?.track ?? null;
  }

  /** Milliseconds since the recording started (0 when none runs). */
  get elapsedMs(): number {
    return this.active ? performance.now() - this.active.startedAt : 0;
  }

  hostDisconnected(): void {
    if (this.active) void this.stop();
  }

  /**
   * Starts recording `track` and resolves once the recorder has written its first data, so that a recording
   * stopped a moment later still has frames (the encoder takes a few hundred milliseconds to start, seconds
   * on a loaded machine; a recording stopped before that is empty). Rejects with `InvalidStateError` when a
   * recording runs or starts, when the track is not live or ends while starting, or when the host
   * disconnects meanwhile, or when `video` showed no frames while the recorder wrote nothing (a stalled or
   * hidden player); `NotSupportedError` when this browser cannot record video, or its recorder wrote nothing from
   * the frames shown within the start limit (also where the browser cannot count frames shown); the recorder's own
   * error when it fails. An empty file is never handed over as a recording.
   */
  async start(track: MediaStreamTrack | null, { video, mark, onDone }: RecordingOptions): Promise<void> {
    if (!track) throw new DOMException('No swapped video to record.', 'InvalidStateError');
    const check = () => {
      if (this.active || this.starting) throw new DOMException('Already recording.', 'InvalidStateError');
      if (track.readyState !== 'live') throw new DOMException('No swapped video to record.', 'InvalidStateError');
    };
    check();
    const mimeType = pickRecordingType();
    if (!mimeType) throw new DOMException('This browser cannot record video.', 'NotSupportedError');
    const marking = mark ? await loadChunk(() => import('../internal/marked-recording.js')) : null;
    check(); // again: a recording may have started, or the track ended, while the marking code loaded
    const chunks: Blob[] = [];
    let marked: MarkedTrack | null = null;
    let recorder: MediaRecorder | null = null;
    let done: Promise<Blob>;
    let recorderError: unknown = null;
    const frames = presentedFrames(video);
    this.starting = true;
    try {
      marked = marking && mark ? marking.markedVideoTrack(video, track, mark) : null;
      recorder = new MediaRecorder(new MediaStream([marked?.track ?? track]), { mimeType });
      recorder.addEventListener('dataavailable', (event) => {
        if (event.data.size > 0) chunks.push(event.data);
      });
      recorder.addEventListener('error', (event) => {
        recorderError ??= (event as Event & { error?: unknown }).error ?? new DOMException('The recorder failed.', 'UnknownError');
      });
      const stopping = recorder;
      done = new Promise<Blob>((resolve) => {
        stopping.addEventListener('stop', () => resolve(new Blob(chunks, { type: mimeType.split(';')[0] })), { once: true });
      });
      recorder.start(CHUNK_MS);
      const waitedSince = performance.now();
      const deadline = waitedSince + this.startLimitMs;
      while (chunks.length === 0 && recorder.state === 'recording' && track.readyState === 'live' && this.host.isConnected && performance.now() < deadline) {
        recorder.requestData();
        await new Promise((resolve) => setTimeout(resolve, START_POLL_MS));
      }
      if (track.readyState !== 'live' || !this.host.isConnected)
        throw new DOMException('The swapped video ended before the recording started.', 'InvalidStateError');
      if (recorderError) throw recorderError;
      const waited = `${Math.round((performance.now() - waitedSince) / 1000)} s`;
      if (chunks.length === 0 && frames.count() === 0)
        throw new DOMException(`The player showed no video frames to record in ${waited} (stalled or hidden).`, 'InvalidStateError');
      if (chunks.length === 0) throw new DOMException(`This browser's recorder wrote nothing in ${waited}: it cannot record this video.`, 'NotSupportedError');
    } catch (error) {
      if (recorder && recorder.state !== 'inactive') recorder.stop();
      marked?.stop();
      throw error;
    } finally {
      this.starting = false;
      frames.stop();
    }
    this.active = { recorder, startedAt: performance.now(), track, done, marked, mark, onDone };
    track.addEventListener('ended', this.onTrackEnded, { once: true });
    this.host.requestUpdate();
    this.host.dispatchEvent(new FaceswapRecordingStartEvent({ mimeType }));
  }

  /** Stops the recording and resolves with the file. Throws `InvalidStateError` when not recording. */
  async stop(): Promise<Blob> {
    const active = this.active;
    if (!active) throw new DOMException('Not recording.', 'InvalidStateError');
    this.active = null;
    this.host.requestUpdate();
    active.track.removeEventListener('ended', this.onTrackEnded);
    if (active.recorder.state !== 'inactive') active.recorder.stop();
    let blob = await active.done;
    const durationMs = Math.round(performance.now() - active.startedAt);
    active.marked?.stop();
    if (active.mark) {
      const { tagRecording } = await loadChunk(() => import('../internal/marked-recording.js'));
      blob = await tagRecording(blob, active.mark.text);
    }
    this.host.dispatchEvent(new FaceswapRecordingStopEvent({ blob, durationMs }));
    await active.onDone?.(blob);
    return blob;
  }

  private readonly onTrackEnded = () => {
    if (this.active) void this.stop();
  };
}
