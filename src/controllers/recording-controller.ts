import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { FaceswapRecordingStartEvent } from '../events/recording-start-event.js';
import { FaceswapRecordingStopEvent } from '../events/recording-stop-event.js';
import { pickRecordingType } from '../internal/recording.js';

type Host = ReactiveControllerHost & HTMLElement;

interface ActiveRecording {
  recorder: MediaRecorder;
  startedAt: number;
  track: MediaStreamTrack;
  done: Promise<Blob>;
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

  constructor(host: Host) {
    (this.host = host).addController(this);
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
   * Starts recording `track`. Throws `InvalidStateError` when a recording runs or the track is not live,
   * `NotSupportedError` when this browser cannot record video.
   */
  start(track: MediaStreamTrack | null, onDone?: (blob: Blob) => void | Promise<void>): void {
    if (this.active) throw new DOMException('Already recording.', 'InvalidStateError');
    if (!track || track.readyState !== 'live') throw new DOMException('No swapped video to record.', 'InvalidStateError');
    const mimeType = pickRecordingType();
    if (!mimeType) throw new DOMException('This browser cannot record video.', 'NotSupportedError');
    const recorder = new MediaRecorder(new MediaStream([track]), { mimeType });
    const chunks: Blob[] = [];
    recorder.addEventListener('dataavailable', (event) => {
      if (event.data.size > 0) chunks.push(event.data);
    });
    const done = new Promise<Blob>((resolve) => {
      recorder.addEventListener('stop', () => resolve(new Blob(chunks, { type: mimeType.split(';')[0] })), { once: true });
    });
    recorder.start(1000);
    this.active = { recorder, startedAt: performance.now(), track, done, onDone };
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
    const blob = await active.done;
    const durationMs = Math.round(performance.now() - active.startedAt);
    this.host.dispatchEvent(new FaceswapRecordingStopEvent({ blob, durationMs }));
    await active.onDone?.(blob);
    return blob;
  }

  private readonly onTrackEnded = () => {
    if (this.active) void this.stop();
  };
}
