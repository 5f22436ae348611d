import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { LocalizeController } from '../../controllers/localize-controller.js';
import { SessionLinkController } from '../../controllers/session-link-controller.js';
import { FaceswapRecordingStartEvent } from '../../events/recording-start-event.js';
import { FaceswapRecordingStopEvent } from '../../events/recording-stop-event.js';
import type { FaceswapStringOverrides } from '../../i18n/strings.js';
import { icons } from '../../internal/icons.js';
import { loadChunk } from '../../internal/lazy-chunk.js';
import { formatDuration, pickRecordingType, recordingExtension } from '../../internal/recording.js';
import { tokens } from '../../internal/shared-styles.js';
import { STATE_TERMS } from '../../internal/state-terms.js';
import { warnOnce } from '../../internal/warn.js';
import type { SessionState } from '../../core/protocol.js';
import type { TransportStats } from '../../rtc/transport.js';
import { styles } from './faceswap-player.styles.js';

export type PlayerFit = 'cover' | 'contain';
export type PlayerMirror = 'auto' | 'on' | 'off';
const FITS: readonly PlayerFit[] = ['cover', 'contain'];
const MIRRORS: readonly PlayerMirror[] = ['auto', 'on', 'off'];

interface ActiveRecording {
  recorder: MediaRecorder;
  chunks: Blob[];
  startedAt: number;
  track: MediaStreamTrack;
  done: Promise<Blob>;
  /** Save the file when it stops (recordings started from the built-in button). */
  download: boolean;
}

/** Saves through the browser's download UI; the helpers load with the first file saved. */
async function saveFile(blob: Blob, extension: string): Promise<void> {
  const { downloadBlob, timestampedName } = await loadChunk(() => import('../../internal/download.js'));
  downloadBlob(blob, timestampedName('faceswap', extension));
}

/**
 * Shows the swapped video of a `<faceswap-session>`: the enclosing one, or the one whose id is in
 * `session`. Overlays explain every state (connecting, waiting for the swap, reconnecting over the last
 * frame, ended, error with a retry) and offer "tap to play" when the browser blocks autoplay.
 *
 * @summary The swapped video, with state overlays, snapshot, recording and full screen.
 * @tag faceswap-player
 *
 * @fires faceswap-recording-start - Recording started; detail `{mimeType}`.
 * @fires faceswap-recording-stop - Recording ended; detail `{blob, durationMs}`.
 *
 * @csspart base - The wrapper of everything inside the player.
 * @csspart video - The swapped video.
 * @csspart preview - The picture-in-picture view of the visitor's own camera (with `preview`).
 * @csspart overlay - The state overlay (connecting, waiting, reconnecting, ended, error, tap to play).
 * @csspart message - The text of the overlay.
 * @csspart retry-button - "Try again" after a recoverable error, "Start again" after the end.
 * @csspart play-button - "Tap to play" when autoplay was blocked.
 * @csspart recording-indicator - The "Recording m:ss" badge.
 * @csspart stats - The statistics overlay (with `stats`).
 * @csspart controls - The bar with full screen, snapshot and record buttons (hidden with `no-controls`).
 * @csspart button - Every button of the player.
 * @csspart record-button - The record toggle (only where MediaRecorder can record video).
 * @csspart snapshot-button - Saves a PNG of the current frame.
 * @csspart fullscreen-button - Enters and leaves full screen.
 *
 * @cssprop [--faceswap-player-aspect-ratio=4 / 3] - Aspect ratio of the player box.
 * @cssprop [--faceswap-player-background=#0d0e12] - Background behind the video.
 * @cssprop [--faceswap-player-hint-color=rgb(255 255 255 / 0.75)] - Colour of the idle hint.
 * @cssprop [--faceswap-overlay=rgb(12 13 18 / 0.72)] - Background of state overlays.
 * @cssprop [--faceswap-on-overlay=#ffffff] - Text colour on overlays.
 * @cssprop [--faceswap-preview-width=28%] - Width of the picture-in-picture preview.
 * @cssprop [--faceswap-recording-color=#ff3b30] - Colour of the recording dot and the active record button.
 * @cssprop [--faceswap-radius=12px] - Corner radius.
 */
export class FaceswapPlayer extends LitElement {
  static override styles = [tokens, styles];

  private readonly link = new SessionLinkController(this, { sessionId: () => this.session });
  private readonly localize = new LocalizeController(this, {
    overrides: () => [this.link.session?.strings, this.strings],
  });
  private boundTrack: MediaStreamTrack | null = null;
  private ticker: ReturnType<typeof setInterval> | null = null;
  private statsTimer: ReturnType<typeof setInterval> | null = null;
  private activeRecording: ActiveRecording | null = null;

  @query('.video', true) private readonly video!: HTMLVideoElement;

  @state() private playBlocked = false;
  @state() private statsValue: TransportStats | null = null;
  @state() private fullscreen = false;

  /** The id of a `<faceswap-session>` to show, when the player is not inside it. */
  @property({ reflect: true }) session: string | null = null;

  /** How the video fills the player: `cover` (crop) or `contain` (letterbox). */
  @property({ reflect: true }) fit: PlayerFit = 'cover';

  /** Mirror the video: `auto` mirrors the front camera only, `on` always, `off` never. */
  @property({ reflect: true }) mirror: PlayerMirror = 'auto';

  /** Show the visitor's own camera as a small picture in picture. */
  @property({ type: Boolean, reflect: true }) preview = false;

  /** Show frame rate, resolution, round trip and packet loss over the video. */
  @property({ type: Boolean, reflect: true }) stats = false;

  /** Hide the full screen, snapshot and record buttons. */
  @property({ type: Boolean, attribute: 'no-controls', reflect: true }) noControls = false;

  /**
   * The state of the linked session (reflected for styling).
   * @readonly
   */
  @property({ reflect: true }) state: SessionState = 'idle';

  /**
   * Present while recording (reflected for styling).
   * @readonly
   */
  @property({ type: Boolean, reflect: true }) recording = false;

  /** Overrides for any visible string of this player (over the session's `strings`). */
  @property({ attribute: false }) strings: FaceswapStringOverrides | null = null;

  /** Whether the video is currently shown mirrored. */
  get mirrored(): boolean {
    const mirror = MIRRORS.includes(this.mirror) ? this.mirror : 'auto';
    if (mirror !== 'auto') return mirror === 'on';
    const facing = this.link.snapshot?.facing ?? null;
    return facing === 'user';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener('fullscreenchange', this.onFullscreenChange);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.removeEventListener('fullscreenchange', this.onFullscreenChange);
    this.stopTimers();
    if (this.activeRecording) void this.finishRecording();
    if (this.hasUpdated) this.bindTrack(null);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('session')) this.link.sessionIdChanged();
    if (changed.has('fit') && this.fit !== null && !FITS.includes(this.fit)) {
      warnOnce(`<faceswap-player> fit="${this.fit}" is not one of ${FITS.join(', ')}; using "cover".`);
    }
    if (changed.has('mirror') && this.mirror !== null && !MIRRORS.includes(this.mirror)) {
      warnOnce(`<faceswap-player> mirror="${this.mirror}" is not one of ${MIRRORS.join(', ')}; using "auto".`);
    }
    // Attribute removal and `null` fall back to the defaults.
    this.fit ??= 'cover';
    this.mirror ??= 'auto';
    this.state = this.link.snapshot?.state ?? 'idle';
  }

  protected override updated(): void {
    const snapshot = this.link.snapshot;
    const track = snapshot?.remoteTrack ?? null;
    // Keep the last frame while reconnecting; follow the session otherwise.
    if (track !== this.boundTrack && !(track === null && this.state === 'reconnecting')) this.bindTrack(track);
    const preview = this.renderRoot.querySelector<HTMLVideoElement>('.preview');
    const localStream = snapshot?.localStream ?? null;
    if (preview && preview.srcObject !== localStream) {
      preview.srcObject = localStream;
      if (localStream) preview.play().catch(() => {});
    }
    if (this.activeRecording && this.activeRecording.track !== track && this.state !== 'reconnecting') void this.finishRecording();
    this.syncTimers();
  }

  /** A PNG of the frame on screen (not mirrored). Rejects with `InvalidStateError` before the first frame. */
  async snapshot(): Promise<Blob> {
    if (!this.hasUpdated || !this.boundTrack) throw new DOMException('No swapped video to capture.', 'InvalidStateError');
    const { videoFrameToPng } = await loadChunk(() => import('../../internal/frame-capture.js'));
    return videoFrameToPng(this.video);
  }

  /**
   * Starts recording the swapped video (WebM where supported, MP4 in Safari). Rejects with
   * `InvalidStateError` when there is no video or a recording runs, `NotSupportedError` without MediaRecorder.
   */
  async startRecording(): Promise<void> {
    this.beginRecording(false);
  }

  /** Stops the recording and resolves with the file. Rejects with `InvalidStateError` when not recording. */
  async stopRecording(): Promise<Blob> {
    if (!this.activeRecording) throw new DOMException('Not recording.', 'InvalidStateError');
    return this.finishRecording();
  }

  private beginRecording(download: boolean): void {
    if (this.activeRecording) throw new DOMException('Already recording.', 'InvalidStateError');
    const track = this.boundTrack;
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
    this.activeRecording = { recorder, chunks, startedAt: performance.now(), track, done, download };
    track.addEventListener('ended', this.onRecordedTrackEnded, { once: true });
    this.recording = true;
    this.dispatchEvent(new FaceswapRecordingStartEvent({ mimeType }));
  }

  private async finishRecording(): Promise<Blob> {
    const active = this.activeRecording!;
    this.activeRecording = null;
    this.recording = false;
    active.track.removeEventListener('ended', this.onRecordedTrackEnded);
    if (active.recorder.state !== 'inactive') active.recorder.stop();
    const blob = await active.done;
    const durationMs = Math.round(performance.now() - active.startedAt);
    this.dispatchEvent(new FaceswapRecordingStopEvent({ blob, durationMs }));
    if (active.download && this.isConnected) {
      await saveFile(blob, recordingExtension(blob.type)).catch((error: unknown) =>
        warnOnce(`<faceswap-player> could not save the recording: ${(error as Error).message}`),
      );
    }
    return blob;
  }

  private readonly onRecordedTrackEnded = () => {
    if (this.activeRecording) void this.finishRecording();
  };

  private bindTrack(track: MediaStreamTrack | null): void {
    this.boundTrack = track;
    if (this.playBlocked) this.playBlocked = false;
    const video = this.video;
    video.srcObject = track ? new MediaStream([track]) : null;
    if (track) this.play();
  }

  private play(): void {
    this.video.play().then(
      () => {
        this.playBlocked = false;
      },
      (error: DOMException) => {
        // AbortError: the source changed before playback started; the next bind plays again.
        if (error?.name === 'NotAllowedError') this.playBlocked = true;
      },
    );
  }

  private syncTimers(): void {
    const needsTicker = this.state === 'waiting' || this.recording;
    if (needsTicker && !this.ticker) this.ticker = setInterval(() => this.requestUpdate(), 1000);
    if (!needsTicker && this.ticker) {
      clearInterval(this.ticker);
      this.ticker = null;
    }
    const needsStats = this.stats && this.isConnected && (this.state === 'live' || this.state === 'reconnecting');
    if (needsStats && !this.statsTimer) {
      const poll = () => {
        this.link.session?.controller.getStats().then(
          (stats) => (this.statsValue = stats),
          () => (this.statsValue = null),
        );
      };
      poll();
      this.statsTimer = setInterval(poll, 1000);
    }
    if (!needsStats && this.statsTimer) {
      clearInterval(this.statsTimer);
      this.statsTimer = null;
      this.statsValue = null;
    }
  }

  private stopTimers(): void {
    if (this.ticker) clearInterval(this.ticker);
    if (this.statsTimer) clearInterval(this.statsTimer);
    this.ticker = null;
    this.statsTimer = null;
  }

  private readonly onFullscreenChange = () => {
    this.fullscreen = document.fullscreenElement === this;
  };

  private toggleFullscreen(): void {
    if (document.fullscreenElement === this) void document.exitFullscreen();
    else this.requestFullscreen().catch(() => {});
  }

  private async saveSnapshot(): Promise<void> {
    try {
      await saveFile(await this.snapshot(), 'png');
    } catch {
      // No frame yet: the button is disabled in that case; nothing to save.
    }
  }

  private toggleRecording(): void {
    if (this.activeRecording) void this.finishRecording();
    else {
      try {
        this.beginRecording(true);
      } catch (error) {
        warnOnce(`<faceswap-player> could not record: ${(error as Error).message}`);
      }
    }
  }

  private retry(): void {
    void this.link.session?.start();
  }

  private onTapToPlay(): void {
    this.play();
  }

  private renderOverlay() {
    const term = this.localize.term.bind(this.localize);
    const snapshot = this.link.snapshot;
    if (!snapshot) return html`<div class="overlay" part="overlay" data-kind="hint" data-state="idle"><p class="message" part="message">${term('idleHint')}</p></div>`;
    if ((this.playBlocked || snapshot.autoplayBlocked) && this.boundTrack) {
      return html`<div class="overlay" part="overlay" data-kind="cover" data-state="autoplay-blocked">
        <button class="button button--primary" part="button play-button" @click=${this.onTapToPlay}>${icons.play}<span>${term('tapToStart')}</span></button>
      </div>`;
    }
    switch (this.state) {
      case 'idle':
        return html`<div class="overlay" part="overlay" data-kind="hint" data-state="idle"><p class="message" part="message">${term('idleHint')}</p></div>`;
      case 'preparing':
      case 'connecting':
      case 'ending':
        return html`<div class="overlay" part="overlay" data-kind="cover" data-state=${this.state}>
          <div class="spinner" aria-hidden="true"></div>
          <p class="message" part="message">${term(STATE_TERMS[this.state])}</p>
        </div>`;
      case 'waiting': {
        const seconds = snapshot.waitingSince === null ? 0 : Math.max(0, Math.floor((Date.now() - snapshot.waitingSince) / 1000));
        return html`<div class="overlay" part="overlay" data-kind="cover" data-state="waiting">
          <div class="spinner" aria-hidden="true"></div>
          <p class="message" part="message">${term('stateWaiting')}</p>
          <span class="elapsed">${term('waitingElapsed', { seconds })}</span>
        </div>`;
      }
      case 'reconnecting':
        return html`<div class="overlay" part="overlay" data-kind="banner" data-state="reconnecting">
          <div class="spinner" aria-hidden="true"></div>
          <p class="message" part="message">${term('stateReconnecting')}</p>
        </div>`;
      case 'ended':
        return html`<div class="overlay" part="overlay" data-kind="cover" data-state="ended">
          <p class="message" part="message">${term('stateEnded')}</p>
          <button class="button" part="button retry-button" @click=${this.retry}>${icons.retry}<span>${term('startAgain')}</span></button>
        </div>`;
      case 'error': {
        const error = snapshot.error;
        const message = error ? (this.localize.strings.errors[error.code] ?? error.message) : term('stateError');
        return html`<div class="overlay" part="overlay" data-kind="cover" data-state="error">
          <span class="error-icon">${icons.alert}</span>
          <p class="message" part="message">${message}</p>
          ${error && !error.fatal
            ? html`<button class="button" part="button retry-button" @click=${this.retry}>${icons.retry}<span>${term('retry')}</span></button>`
            : nothing}
        </div>`;
      }
      default:
        return nothing;
    }
  }

  private renderStats() {
    if (!this.stats || !this.statsValue) return nothing;
    const term = this.localize.term.bind(this.localize);
    const { fps, width, height, rttMs, packetLoss } = this.statsValue;
    const dash = '–';
    return html`<dl class="stats" part="stats" aria-label=${term('stats')}>
      <dt>${term('statsFps')}</dt><dd>${fps === undefined ? dash : Math.round(fps)}</dd>
      <dt>${term('statsResolution')}</dt><dd>${width && height ? `${width}×${height}` : dash}</dd>
      <dt>${term('statsRtt')}</dt><dd>${rttMs === undefined ? dash : `${Math.round(rttMs)} ms`}</dd>
      <dt>${term('statsLoss')}</dt><dd>${packetLoss === undefined ? dash : `${(packetLoss * 100).toFixed(1)} %`}</dd>
    </dl>`;
  }

  protected override render() {
    const term = this.localize.term.bind(this.localize);
    const hasVideo = !!this.boundTrack && (this.state === 'live' || this.state === 'reconnecting');
    const canRecord = pickRecordingType() !== null;
    const canFullscreen = typeof this.requestFullscreen === 'function' && document.fullscreenEnabled !== false;
    const elapsed = this.activeRecording ? formatDuration(performance.now() - this.activeRecording.startedAt) : '';
    return html`<div class="base" part="base" dir=${this.localize.dir} lang=${this.localize.strings.lang}>
      <video
        class="video ${this.mirrored ? 'mirrored' : ''}"
        part="video"
        aria-label=${term('video')}
        playsinline
        autoplay
        muted
        .muted=${true}
      ></video>
      ${this.preview
        ? html`<video
            class="preview ${this.mirrored ? 'mirrored' : ''}"
            part="preview"
            aria-label=${term('preview')}
            ?hidden=${!this.link.snapshot?.localStream}
            playsinline
            autoplay
            muted
            .muted=${true}
          ></video>`
        : nothing}
      ${this.renderOverlay()} ${this.renderStats()}
      ${this.recording ? html`<div class="recording-indicator" part="recording-indicator">${term('recording', { time: elapsed })}</div>` : nothing}
      <div class="controls" part="controls" role="group" aria-label=${term('playerControls')} ?hidden=${this.noControls}>
        ${canRecord
          ? html`<button
              class="button button--icon"
              part="button record-button"
              aria-label=${this.recording ? term('stopRecording') : term('startRecording')}
              title=${this.recording ? term('stopRecording') : term('startRecording')}
              aria-pressed=${this.recording ? 'true' : 'false'}
              ?disabled=${!hasVideo && !this.recording}
              @click=${this.toggleRecording}
            >
              ${this.recording ? icons.stop : icons.record}
            </button>`
          : nothing}
        <button class="button button--icon" part="button snapshot-button" aria-label=${term('snapshot')} title=${term('snapshot')} ?disabled=${!hasVideo} @click=${this.saveSnapshot}>
          ${icons.camera}
        </button>
        ${canFullscreen
          ? html`<button
              class="button button--icon"
              part="button fullscreen-button"
              aria-label=${this.fullscreen ? term('exitFullscreen') : term('fullscreen')}
              title=${this.fullscreen ? term('exitFullscreen') : term('fullscreen')}
              @click=${this.toggleFullscreen}
            >
              ${this.fullscreen ? icons.exitFullscreen : icons.fullscreen}
            </button>`
          : nothing}
      </div>
    </div>`;
  }
}
