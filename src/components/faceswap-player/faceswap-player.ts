import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { LocalizeController } from '../../controllers/localize-controller.js';
import { RecordingController } from '../../controllers/recording-controller.js';
import { SessionLinkController } from '../../controllers/session-link-controller.js';
import { StatsController, type EngineFigures, type NetworkQuality } from '../../controllers/stats-controller.js';
import { TickerController } from '../../controllers/ticker-controller.js';
import type { FaceswapStringOverrides } from '../../i18n/strings.js';
import { MARK_CORNERS, type FileMark, type MarkCorner } from '../../internal/disclosure.js';
import { icons } from '../../internal/icons.js';
import { loadChunk } from '../../internal/lazy-chunk.js';
import { iconButton } from '../../internal/icon-button.js';
import { formatDuration, pickRecordingType, recordingExtension } from '../../internal/recording.js';
import { tokens } from '../../internal/shared-styles.js';
import { STATE_TERMS } from '../../internal/state-terms.js';
import { warnOnce } from '../../internal/warn.js';
import type { SessionState } from '../../core/protocol.js';
import { overlay } from './overlay.js';
import { styles } from './faceswap-player.styles.js';

export type PlayerFit = 'cover' | 'contain';
export type PlayerMirror = 'auto' | 'on' | 'off';
const FITS: readonly PlayerFit[] = ['cover', 'contain'];
const MIRRORS: readonly PlayerMirror[] = ['auto', 'on', 'off'];
/** How long a notice (a control that could not do its job) stays on screen. */
const NOTICE_MS = 8000;
const NETWORK_TERMS = { good: 'networkGood', fair: 'networkFair', poor: 'networkPoor' } as const satisfies Record<NetworkQuality, string>;

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
 * Whenever the swapped video is on screen a translated "AI face swap" label sits in its top start corner,
 * inside the visible box whatever the `fit`, and screen readers hear once that the video is artificially
 * generated. Snapshots and recordings carry the same label burned into a corner of the pixels and the IPTC
 * digital source type in their metadata. Both are on by default; `no-disclosure` and `no-file-marks` turn
 * them off, with a console warning, for a site that discloses in its own way.
 *
 * @summary The swapped video, with state overlays, snapshot, recording and full screen.
 * @tag faceswap-player
 *
 * @attr {SessionState} state - The state of the linked session (read-only; for styling with `[state=live]`).
 * @attr {boolean} recording - Present while recording (read-only; for styling).
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
 * @csspart disclosure - The "AI face swap" label over the swapped video (unless `no-disclosure`).
 * @csspart recording-indicator - The "Recording m:ss" badge.
 * @csspart notice - A message for a few seconds when the record button could not start (the browser cannot record video, or another failure); screen readers hear it too.
 * @csspart stats - The statistics overlay (with `stats`).
 * @csspart network-quality - The network-quality indicator (with `network-quality`); its `data-quality` is `good`, `fair` or `poor`.
 * @csspart controls - The bar with full screen, snapshot and record buttons (hidden with `no-controls`).
 * @csspart button - Every button of the player.
 * @csspart record-button - The record toggle (only where MediaRecorder can record video; `aria-disabled`, still focusable, while the recorder starts).
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
 * @cssprop [--faceswap-success=#22a55b] - Colour of a good connection.
 * @cssprop [--faceswap-warning=#e3a008] - Colour of a fair connection.
 * @cssprop [--faceswap-danger=#c62828] - Colour of a poor connection and of the error icon.
 * @cssprop [--faceswap-disclosure-background=rgb(0 0 0 / 0.78)] - Background of the "AI face swap" label.
 * @cssprop [--faceswap-disclosure-color=#ffffff] - Text colour of the label.
 * @cssprop [--faceswap-disclosure-font-size=0.8125rem] - Text size of the label.
 */
export class FaceswapPlayer extends LitElement {
  static override styles = [tokens, styles];

  private readonly link = new SessionLinkController(this, { sessionId: () => this.session });
  private readonly localize = new LocalizeController(this, {
    overrides: () => [this.link.session?.strings, this.strings],
  });
  private readonly recorder = new RecordingController(this);
  private readonly statsReader = new StatsController(this, {
    active: () => (this.stats || this.networkQuality) && (this.state === 'live' || this.state === 'reconnecting'),
    read: () => this.link.session?.getStats(),
  });
  private boundTrack: MediaStreamTrack | null = null;
  /** Whether screen readers were told that the video is AI-made (once per player). */
  private disclosureAnnounced = false;

  @query('.video', true) private readonly video!: HTMLVideoElement;

  @state() private playBlocked = false;
  /**
   * The visitor tapped "tap to play" after the session reported blocked playback. The session keeps its
   * `autoplayBlocked` until the next start, but the tap was the gesture the browser waited for (Agora
   * resumes its own playback on it), so the overlay goes.
   */
  @state() private autoplayAnswered = false;
  @state() private fullscreen = false;
  /**
   * What this browser can do, found after the first render: a server (Lit SSR) knows neither, and the first
   * client render must match the server's markup for it to hydrate.
   */
  @state() private canRecord = false;
  @state() private canFullscreen = false;
  /** Why the record button could not start, shown for NOTICE_MS (a term, so it follows the language). */
  @state() private notice: 'recordingUnsupported' | 'recordingFailed' | null = null;
  private noticeTimer: ReturnType<typeof setTimeout> | undefined;

  /** The id of a `<faceswap-session>` to show, when the player is not inside it. */
  @property({ reflect: true }) session: string | null = null;

  /** How the video fills the player: `cover` (crop) or `contain` (letterbox). */
  @property({ reflect: true }) fit: PlayerFit = 'cover';

  /** Mirror the video: `auto` mirrors the front camera only, `on` always, `off` never. */
  @property({ reflect: true }) mirror: PlayerMirror = 'auto';

  /** Show the visitor's own camera as a small picture in picture. */
  @property({ type: Boolean, reflect: true }) preview = false;

  /**
   * Show frame rate, resolution, round trip and packet loss over the video; with the in-browser engine also its
   * face-tracking rate and main-thread time per frame.
   */
  @property({ type: Boolean, reflect: true }) stats = false;

  /**
   * Show how well the connection carries the swapped video (good, fair, poor), judged from the round trip and
   * packet loss the transport measures. Nothing is shown for the in-browser engine, which has no network path.
   */
  @property({ type: Boolean, attribute: 'network-quality', reflect: true }) networkQuality = false;

  /** Hide the full screen, snapshot and record buttons. */
  @property({ type: Boolean, attribute: 'no-controls', reflect: true }) noControls = false;

  /**
   * Hides the "AI face swap" label. The EU AI Act (Art. 50(4)) requires whoever shows a deepfake to disclose
   * it, so the player warns once in the console; use it only where the page discloses in its own way.
   */
  @property({ type: Boolean, attribute: 'no-disclosure', reflect: true }) noDisclosure = false;

  /** The corner of snapshots and recordings that carries the visible mark: `top-start`, `top-end`, `bottom-start` or `bottom-end`. */
  @property({ attribute: 'mark-corner' }) markCorner: MarkCorner = 'bottom-end';

  /**
   * Saves snapshots and recordings without the visible mark and without the AI digital source type in their
   * metadata. The EU AI Act (Art. 50(2)) requires AI-generated video to be marked in a machine-readable way,
   * so the player warns once in the console.
   */
  @property({ type: Boolean, attribute: 'no-file-marks', reflect: true }) noFileMarks = false;

  /** Overrides for any visible string of this player (over the session's `strings`). */
  @property({ attribute: false }) strings: FaceswapStringOverrides | null = null;

  constructor() {
    super();
    // Counts the seconds in the waiting overlay and the recording badge.
    new TickerController(this, () => this.state === 'waiting' || this.recording);
  }

  /** The state of the linked session; read-only, reflected as the `state` attribute for styling. */
  get state(): SessionState {
    return this.link.details?.state ?? 'idle';
  }

  /** Whether a recording runs; read-only, reflected as the `recording` attribute for styling. */
  get recording(): boolean {
    return this.recorder.recording;
  }

  /** Whether the video is currently shown mirrored. */
  get mirrored(): boolean {
    const mirror = MIRRORS.includes(this.mirror) ? this.mirror : 'auto';
    if (mirror !== 'auto') return mirror === 'on';
    const facing = this.link.details?.facing ?? null;
    return facing === 'user';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener('fullscreenchange', this.onFullscreenChange);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.removeEventListener('fullscreenchange', this.onFullscreenChange);
    clearTimeout(this.noticeTimer);
    this.notice = null;
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
    if (changed.has('markCorner') && this.markCorner !== null && !MARK_CORNERS.includes(this.markCorner)) {
      warnOnce(`<faceswap-player> mark-corner="${this.markCorner}" is not one of ${MARK_CORNERS.join(', ')}; using "bottom-end".`);
    }
    if (this.noDisclosure) {
      warnOnce(
        '<faceswap-player> no-disclosure hides the "AI face swap" label. Under the EU AI Act (Art. 50(4)) whoever shows a deepfake must disclose that it is artificially generated or manipulated: disclose it on the page in another way.',
      );
    }
    if (this.noFileMarks) {
      warnOnce(
        '<faceswap-player> no-file-marks saves snapshots and recordings unmarked. Under the EU AI Act (Art. 50(2)) AI-generated video must be marked in a machine-readable, detectable way: mark the files in another way.',
      );
    }
    if (this.autoplayAnswered && !this.link.details?.autoplayBlocked) this.autoplayAnswered = false;
    // Attribute removal and `null` fall back to the defaults.
    this.fit ??= 'cover';
    this.mirror ??= 'auto';
    this.markCorner ??= 'bottom-end';
    this.setAttribute('state', this.state);
    this.toggleAttribute('recording', this.recording);
  }

  protected override firstUpdated(): void {
    this.canRecord = pickRecordingType() !== null;
    this.canFullscreen = typeof this.requestFullscreen === 'function' && document.fullscreenEnabled !== false;
  }

  protected override updated(): void {
    const details = this.link.details;
    const track = details?.remoteTrack ?? null;
    // Keep the last frame while reconnecting; follow the session otherwise.
    if (track !== this.boundTrack && !(track === null && this.state === 'reconnecting')) this.bindTrack(track);
    const preview = this.renderRoot.querySelector<HTMLVideoElement>('.preview');
    const localStream = details?.localStream ?? null;
    if (preview && preview.srcObject !== localStream) {
      preview.srcObject = localStream;
      if (localStream) preview.play().catch(() => {});
    }
    if (this.recorder.recording && this.recorder.track !== track && this.state !== 'reconnecting') void this.recorder.stop();
  }

  /**
   * A PNG of the frame on screen (not mirrored), marked as AI-made unless `no-file-marks`, and signed with a
   * C2PA manifest when the session's token endpoint signs. Rejects with `InvalidStateError` before the first frame.
   */
  async snapshot(): Promise<Blob> {
    if (!this.hasUpdated || !this.boundTrack) throw new DOMException('No swapped video to capture.', 'InvalidStateError');
    const { signedSnapshot, videoFrameToPng } = await loadChunk(() => import('../../internal/frame-capture.js'));
    const mark = this.fileMark;
    const png = await videoFrameToPng(this.video, mark);
    // Unmarked files (no-file-marks) are not signed either: the manifest says the picture is AI-made.
    const session = this.link.session;
    return mark && session ? signedSnapshot(png, (picture) => session.signSnapshot(picture)) : png;
  }

  /**
   * Starts recording the swapped video (WebM where supported, MP4 in Safari), marked as AI-made unless
   * `no-file-marks`. Resolves once the recorder writes, so even a recording stopped a second later has frames.
   * Rejects with `InvalidStateError` when there is no video, a recording runs or the player shows fewer than 5
   * frames within 10 s (stalled or hidden), `NotSupportedError` without MediaRecorder or when its recorder writes
   * nothing from the frames shown within 10 s (the record button is then hidden).
   */
  async startRecording(): Promise<void> {
    await this.record();
  }

  private async record(onDone?: (blob: Blob) => void | Promise<void>): Promise<void> {
    try {
      await this.recorder.start(this.boundTrack, { video: this.video, mark: this.fileMark, onDone });
    } catch (error) {
      if ((error as DOMException).name === 'NotSupportedError') await this.hideRecordButton();
      throw error;
    }
  }

  /** The browser cannot record: the button goes, and keyboard focus on it moves to the snapshot button instead of the page. */
  private async hideRecordButton(): Promise<void> {
    const focused = this.shadowRoot?.activeElement?.matches('[part~="record-button"]') ?? false;
    this.canRecord = false;
    if (!focused) return;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('[part~="snapshot-button"]')?.focus();
  }

  private async showNotice(notice: NonNullable<FaceswapPlayer['notice']>): Promise<void> {
    clearTimeout(this.noticeTimer);
    // The same notice again is cleared first, so the live region changes and is read again.
    this.notice = null;
    await this.updateComplete;
    if (!this.isConnected) return;
    this.notice = notice;
    this.noticeTimer = setTimeout(() => (this.notice = null), NOTICE_MS);
  }

  /** The mark of saved files: the label's text in the chosen corner, or `null` with `no-file-marks`. */
  private get fileMark(): FileMark | null {
    if (this.noFileMarks) return null;
    const corner = MARK_CORNERS.includes(this.markCorner) ? this.markCorner : 'bottom-end';
    return { text: this.localize.strings.aiLabel, corner, dir: this.localize.dir };
  }

  /** Stops the recording and resolves with the file. Rejects with `InvalidStateError` when not recording. */
  async stopRecording(): Promise<Blob> {
    return this.recorder.stop();
  }

  private bindTrack(track: MediaStreamTrack | null): void {
    this.boundTrack = track;
    if (this.playBlocked) this.playBlocked = false;
    const video = this.video;
    video.srcObject = track ? new MediaStream([track]) : null;
    if (track) this.play();
  }

  private play(onPlaying?: () => void): void {
    this.video.play().then(
      () => {
        this.playBlocked = false;
        onPlaying?.();
      },
      (error: DOMException) => {
        // AbortError: the source changed before playback started; the next bind plays again.
        if (error?.name === 'NotAllowedError') this.playBlocked = true;
      },
    );
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
    if (this.recorder.starting) return;
    if (this.recorder.recording) {
      void this.recorder.stop();
      return;
    }
    // Recordings started from the built-in button are saved when they stop (unless the player is gone).
    const onDone = (blob: Blob) =>
      this.isConnected
        ? saveFile(blob, recordingExtension(blob.type)).catch((error: unknown) =>
            warnOnce(`<faceswap-player> could not save the recording: ${(error as Error).message}`),
          )
        : undefined;
    this.record(onDone).catch((error: unknown) => {
      warnOnce(`<faceswap-player> could not record: ${(error as Error).message}`);
      if (this.isConnected) void this.showNotice((error as DOMException).name === 'NotSupportedError' ? 'recordingUnsupported' : 'recordingFailed');
    });
  }

  private retry(): void {
    void this.link.session?.start();
  }

  private onTapToPlay(): void {
    this.play(() => {
      if (this.link.details?.autoplayBlocked) this.autoplayAnswered = true;
    });
  }

  private renderOverlay() {
    const term = this.localize.term;
    const details = this.link.details;
    if ((this.playBlocked || (details?.autoplayBlocked && !this.autoplayAnswered)) && this.boundTrack) {
      return overlay({
        kind: 'cover',
        state: 'autoplay-blocked',
        extra: html`<button class="button button--primary" part="button play-button" @click=${this.onTapToPlay}>${icons.play}<span>${term('tapToStart')}</span></button>`,
      });
    }
    switch (this.state) {
      case 'idle':
        return overlay({ kind: 'hint', state: 'idle', message: term('idleHint') });
      case 'preparing':
      case 'connecting':
      case 'ending':
        return overlay({ kind: 'cover', state: this.state, spinner: true, message: term(STATE_TERMS[this.state]) });
      case 'waiting': {
        const since = details?.waitingSince ?? null;
        const seconds = since === null ? 0 : Math.max(0, Math.floor((Date.now() - since) / 1000));
        return overlay({
          kind: 'cover',
          state: 'waiting',
          spinner: true,
          message: term(details?.queued ? 'stateQueued' : 'stateWaiting'),
          extra: html`<span class="elapsed">${term('waitingElapsed', { seconds })}</span>`,
        });
      }
      case 'reconnecting':
        return overlay({ kind: 'banner', state: 'reconnecting', spinner: true, message: term('stateReconnecting') });
      case 'ended':
        return overlay({ kind: 'cover', state: 'ended', message: term('stateEnded'), extra: this.renderRetry(term('startAgain')) });
      case 'error': {
        const error = details?.error ?? null;
        return overlay({
          kind: 'cover',
          state: 'error',
          icon: html`<span class="error-icon">${icons.alert}</span>`,
          message: error ? (this.localize.strings.errors[error.code] ?? error.message) : term('stateError'),
          extra: error && !error.fatal ? this.renderRetry(term('retry')) : undefined,
        });
      }
      default:
        return nothing;
    }
  }

  private renderRetry(label: string) {
    return html`<button class="button" part="button retry-button" @click=${this.retry}>${icons.retry}<span>${label}</span></button>`;
  }

  private renderStats() {
    const stats = this.statsReader.value;
    if (!this.stats || !stats) return nothing;
    const term = this.localize.term;
    const { fps, width, height, rttMs, packetLoss, engine } = stats;
    const dash = '–';
    return html`<dl class="stats" part="stats" aria-label=${term('stats')}>
      <dt>${term('statsFps')}</dt><dd>${fps === undefined ? dash : Math.round(fps)}</dd>
      <dt>${term('statsResolution')}</dt><dd>${width && height ? `${width}×${height}` : dash}</dd>
      <dt>${term('statsRtt')}</dt><dd>${rttMs === undefined ? dash : `${Math.round(rttMs)} ms`}</dd>
      <dt>${term('statsLoss')}</dt><dd>${packetLoss === undefined ? dash : `${(packetLoss * 100).toFixed(1)} %`}</dd>
      ${engine ? this.renderEngineStats(engine) : nothing}
    </dl>`;
  }

  /** The in-browser engine's rows: how often the face is tracked, and the page's own work per frame. */
  private renderEngineStats({ landmarkFps, frameMsMedian }: EngineFigures) {
    const term = this.localize.term;
    return html`<dt>${term('statsTracking')}</dt><dd>${Math.round(landmarkFps)}/s</dd>
      <dt>${term('statsFrameTime')}</dt><dd>${frameMsMedian.toFixed(1)} ms</dd>`;
  }

  private renderNetworkQuality() {
    const quality = this.networkQuality ? this.statsReader.quality : null;
    if (!quality) return nothing;
    const label = this.localize.term(NETWORK_TERMS[quality]);
    return html`<div class="network" part="network-quality" data-quality=${quality} role="img" aria-label=${label} title=${label}>
      <span class="bar"></span><span class="bar"></span><span class="bar"></span>
    </div>`;
  }

  /**
   * The label over the swapped video (first in the box: the reconnecting banner and the statistics move
   * below it; above every overlay so nothing covers it), and the live region that tells screen readers once
   * (its text is set the first time and then stays); notices have a live region of their own, so a reader that
   * reads a whole region does not repeat the disclosure (the visible notice is hidden from them: read once).
   */
  private renderDisclosure() {
    const term = this.localize.term;
    const shown = !!this.boundTrack && !this.noDisclosure;
    if (shown) this.disclosureAnnounced = true;
    return html`${shown ? html`<p class="disclosure" part="disclosure">${term('aiLabel')}</p>` : nothing}
      ${this.notice ? html`<p class="notice" part="notice" aria-hidden="true">${term(this.notice)}</p>` : nothing}
      <div class="visually-hidden" role="status" aria-live="polite">${this.disclosureAnnounced ? term('aiDisclosure') : ''}</div>
      <div class="visually-hidden" role="status" aria-live="polite">${this.notice ? term(this.notice) : ''}</div>`;
  }

  protected override render() {
    const term = this.localize.term;
    const hasVideo = !!this.boundTrack && (this.state === 'live' || this.state === 'reconnecting');
    const elapsed = this.recorder.recording ? formatDuration(this.recorder.elapsedMs) : '';
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
      ${
        this.preview
          ? html`<video
            class="preview ${this.mirrored ? 'mirrored' : ''}"
            part="preview"
            aria-label=${term('preview')}
            ?hidden=${!this.link.details?.localStream}
            playsinline
            autoplay
            muted
            .muted=${true}
          ></video>`
          : nothing
      }
      ${this.renderDisclosure()} ${this.renderOverlay()} ${this.renderStats()} ${this.renderNetworkQuality()}
      ${this.recording ? html`<div class="recording-indicator" part="recording-indicator">${term('recording', { time: elapsed })}</div>` : nothing}
      <div class="controls" part="controls" role="group" aria-label=${term('playerControls')} ?hidden=${this.noControls}>
        ${
          this.canRecord
            ? iconButton({
                part: 'record-button',
                label: this.recording ? term('stopRecording') : term('startRecording'),
                icon: this.recording ? icons.stop : icons.record,
                pressed: this.recording,
                disabled: !hasVideo && !this.recording,
                // While the recorder starts (up to 10 s on a loaded machine) there is nothing to stop yet.
                busy: this.recorder.starting,
                onClick: this.toggleRecording,
              })
            : nothing
        }
        ${iconButton({ part: 'snapshot-button', label: term('snapshot'), icon: icons.camera, disabled: !hasVideo, onClick: this.saveSnapshot })}
        ${
          this.canFullscreen
            ? iconButton({
                part: 'fullscreen-button',
                label: this.fullscreen ? term('exitFullscreen') : term('fullscreen'),
                icon: this.fullscreen ? icons.exitFullscreen : icons.fullscreen,
                onClick: this.toggleFullscreen,
              })
            : nothing
        }
      </div>
    </div>`;
  }
}
