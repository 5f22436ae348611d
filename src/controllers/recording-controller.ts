import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { FaceswapRecordingStartEvent } from '../events/recording-start-event.js';
import { FaceswapRecordingStopEvent } from '../events/recording-stop-event.js';
import type { FileMark } from '../internal/disclosure.js';
import { loadChunk } from '../internal/lazy-chunk.js';
import type { StartedRecorder } from '../internal/recorder-start.js';
import { pickRecordingType } from '../internal/recording.js';

type Host = ReactiveControllerHost & HTMLElement;

/**
 * The longest wait for the first data. An encoder takes seconds on a loaded machine; one that wrote nothing by then
 * never will (WebKitGTK claims MP4 where GStreamer has no H.264 encoder, and hands over empty chunks only).
 */
const START_LIMIT_MS = 10_000;

interface ActiveRecording extends StartedRecorder {
  startedAt: number;
  track: MediaStreamTrack;
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
  private pending = false;
  private readonly startLimitMs: number;

  /** `startLimitMs`: how long `start()` waits for the recorder's first data before it gives up. */
  constructor(host: Host, { startLimitMs = START_LIMIT_MS } = {}) {
    (this.host = host).addController(this);
    this.startLimitMs = startLimitMs;
  }

  /** Whether a recorder is starting: `start()` was called and waits for its first data. */
  get starting(): boolean {
    return this.pending;
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
   * Starts recording `track` and resolves once the recorder has written its first data (see `startRecorder` in
   * `src/internal/recorder-start.ts`, which says when it rejects), so a recording stopped a moment later still has
   * frames and an empty file is never handed over as a recording. Rejects also with `InvalidStateError` when a
   * recording runs or starts, or the track is not live; `NotSupportedError` when this browser cannot record video.
   */
  async start(track: MediaStreamTrack | null, { video, mark, onDone }: RecordingOptions): Promise<void> {
    const noVideo = () => new DOMException('No swapped video to record.', 'InvalidStateError');
    if (!track) throw noVideo();
    if (this.active || this.pending) throw new DOMException('Already recording.', 'InvalidStateError');
    if (track.readyState !== 'live') throw noVideo();
    const mimeType = pickRecordingType();
    if (!mimeType) throw new DOMException('This browser cannot record video.', 'NotSupportedError');
    this.pending = true;
    this.host.requestUpdate();
    let started: StartedRecorder;
    try {
      const { startRecorder } = await loadChunk(() => import('../internal/recorder-start.js'));
      if (track.readyState !== 'live') throw noVideo(); // it may have ended while the recording code loaded
      started = await startRecorder({ track, video, mark, mimeType, limitMs: this.startLimitMs, wanted: () => this.host.isConnected });
    } finally {
      this.pending = false;
      this.host.requestUpdate();
    }
    this.active = { ...started, startedAt: performance.now(), track, mark, onDone };
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
