import { ContextProvider } from '@lit/context';
import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { LocalizeController } from '../../controllers/localize-controller.js';
import { sessionContext, type FaceswapSessionHost } from '../../controllers/session-context.js';
import { FaceswapEndedEvent } from '../../events/ended-event.js';
import { FaceswapErrorEvent } from '../../events/error-event.js';
import type { FaceswapSourceChangeEvent } from '../../events/source-change-event.js';
import { FaceswapLiveEvent } from '../../events/live-event.js';
import { FaceswapStateChangeEvent } from '../../events/state-change-event.js';
import { FaceswapTokenWillExpireEvent } from '../../events/token-will-expire-event.js';
import type { FaceswapStringOverrides } from '../../i18n/strings.js';
import { iconButton } from '../../internal/icon-button.js';
import { icons } from '../../internal/icons.js';
import { loadChunk } from '../../internal/lazy-chunk.js';
import { RUNNING_STATES as RUNNING, STATE_TERMS } from '../../internal/state-terms.js';
import { tokens } from '../../internal/shared-styles.js';
import { DEFAULT_VIDEO_PRESET, isVideoPreset, VIDEO_PRESETS, type VideoPresetName } from '../../core/video.js';
import { warnOnce } from '../../internal/warn.js';
import { LazySessionController } from '../../session/lazy-controller.js';
import { sameSource, type EngineChoice, type FaceSource, type RtcCredentials, type SessionState } from '../../core/protocol.js';
import type { CameraFacing, SessionOptions, SessionPlatform, SessionSnapshot, SessionStats, TokenProvider } from '../../session/session-api.js';
import { styles } from './faceswap-session.styles.js';

const ENGINES: readonly EngineChoice[] = ['auto', 'akool', 'local'];
const CAMERAS: readonly CameraFacing[] = ['user', 'environment'];
/** The properties that make up the controller's options. */
const OPTION_PROPERTIES = ['tokenEndpoint', 'tokenProvider', 'credentials', 'engine', 'camera', 'mic', 'remoteAudio', 'videoPreset', 'timeouts'] as const;

/**
 * Runs one live face-swap session: the visitor's camera goes to the swap service (AKOOL, or the in-browser
 * engine) and the swapped video comes back for the `<faceswap-player>` elements inside. It owns one
 * `SessionController` and provides it to its descendants; a `<face-source-picker>` inside sets the face.
 *
 * @summary The session: camera, connection, state, and a small control bar.
 * @tag faceswap-session
 *
 * @attr {SessionState} state - The current session state (read-only; for styling with `[state=live]`).
 *
 * @slot - Players, pickers and any other content of the session.
 *
 * @fires faceswap-state-change - Every change of `state`; detail `{state, previous}`.
 * @fires faceswap-error - Something failed; detail `{code, fatal, message, upstreamCode?}` with the message in the element's language. With `fatal: true` the session ended (state `error`); with `fatal: false` it goes on, e.g. on the previous camera after a failed switch or with the previous face after a refused one.
 * @fires faceswap-live - The first swapped frame of a session arrived; once per session (from Start to its end), not again after a reconnect or a pause of the swapped video; detail `{sessionId, engine}`.
 * @fires faceswap-token-will-expire - The session's RTC token ends soon (AKOOL warns about 30 s ahead; the session then ends with `rtc-token-expired`); detail `{sessionId}`.
 * @fires faceswap-ended - The session ended and the camera was released; detail `{sessionId}`.
 *
 * @csspart base - The wrapper around the slot and the control bar.
 * @csspart controls - The built-in control bar (hidden with `no-controls`).
 * @csspart button - Every button of the control bar.
 * @csspart start-button - The Start/Stop button.
 * @csspart camera-button - The front/back camera switch (touch devices with two cameras).
 * @csspart camera-select - The camera list (other devices with several cameras).
 * @csspart mic-button - The microphone toggle.
 * @csspart status - The state text of the control bar.
 *
 * @cssprop [--faceswap-accent=#4f46e5] - Accent colour of primary buttons and highlights.
 * @cssprop [--faceswap-on-accent=#ffffff] - Text colour on the accent colour.
 * @cssprop [--faceswap-surface=#ffffff] - Background of buttons and panels.
 * @cssprop [--faceswap-surface-2=#f1f2f6] - Background of the control bar.
 * @cssprop [--faceswap-on-surface=#1c1d22] - Text colour.
 * @cssprop [--faceswap-muted=#5d6170] - Secondary text colour.
 * @cssprop [--faceswap-border=#d4d6de] - Border colour.
 * @cssprop [--faceswap-danger=#c62828] - Colour of errors (the status dot in state `error`).
 * @cssprop [--faceswap-success=#22a55b] - Status colour of a live session (the status dot).
 * @cssprop [--faceswap-warning=#e3a008] - Status colour while preparing, connecting, waiting or reconnecting (the status dot).
 * @cssprop [--faceswap-radius=12px] - Corner radius.
 * @cssprop [--faceswap-gap=0.5rem] - Space between controls.
 * @cssprop [--faceswap-focus-ring=#2563eb] - Keyboard focus outline colour.
 * @cssprop [--faceswap-font=system-ui] - Font family.
 * @cssprop [--faceswap-session-gap=1rem] - Space between the slotted content and the control bar.
 */
export class FaceswapSession extends LitElement implements FaceswapSessionHost {
  static override styles = [tokens, styles];

  private readonly localize = new LocalizeController(this, { overrides: () => [this.strings] });
  private readonly provider = new ContextProvider(this, { context: sessionContext, initialValue: this });
  private sessionController: LazySessionController | null = null;
  private autoStarted = false;
  /** Whether `faceswap-live` was fired for the current session (it fires once per session). */
  private liveAnnounced = false;
  /** A picker inside chose a face whose use the visitor has not confirmed yet; starting is refused. */
  @state() private consentPending = false;
  /** The controller call for the last change of `mic`. */
  private micChange: Promise<void> = Promise.resolve();

  @state() private cameras: MediaDeviceInfo[] = [];

  /** Base URL of the token endpoint, e.g. `/api/faceswap`. A picker inside the session uses it too. */
  @property({ attribute: 'token-endpoint' }) tokenEndpoint: string | null = null;

  /** `local` runs the in-browser engine, `akool` the AKOOL service, `auto` lets the token endpoint decide. */
  @property() engine: EngineChoice = 'auto';

  /** Which camera to open: `user` (front) or `environment` (back). */
  @property() camera: CameraFacing = 'user';

  /** Send the microphone too. Can be changed during a session. */
  @property({ type: Boolean, reflect: true }) mic = false;

  /** Play the swap service's audio when it sends any (with `akool`; off by default, it is usually your own voice). */
  @property({ type: Boolean, attribute: 'remote-audio' }) remoteAudio = false;

  /** Capture and encoding preset: `360p`, `480p` or `720p`. */
  @property({ attribute: 'video-preset' }) videoPreset: VideoPresetName = '480p';

  /** Start on its own as soon as a source face (or `credentials`) is there. */
  @property({ type: Boolean, attribute: 'auto-start' }) autoStart = false;

  /** Hide the built-in control bar (build your own with the methods). */
  @property({ type: Boolean, attribute: 'no-controls', reflect: true }) noControls = false;

  /** The face to swap in: `{path, opts}` as `/detect` answers it in `faces[i].source`. */
  @property({ attribute: false }) source: FaceSource | null = null;

  /** Fetches session credentials from any backend instead of `token-endpoint`. */
  @property({ attribute: false }) tokenProvider: TokenProvider | null = null;

  /** Literal Agora credentials `{appId, channel, uid, token, remoteUid?}`: no token endpoint involved. */
  @property({ attribute: false }) credentials: RtcCredentials | null = null;

  /** Overrides for any visible string, for this session and every element in it. */
  @property({ attribute: false }) strings: FaceswapStringOverrides | null = null;

  /**
   * Browser facilities for the controller (camera, fetch, transport factory), read at each use; tests use
   * it to inject a fake transport.
   * @internal
   */
  @property({ attribute: false }) platform: Partial<SessionPlatform> | null = null;

  /**
   * Shortened watchdogs and heartbeat for tests and stories; they apply to the next start.
   * @internal
   */
  @property({ attribute: false }) timeouts: Partial<Pick<SessionOptions, 'swapTimeoutMs' | 'joinTimeoutMs' | 'heartbeatMs'>> | null = null;

  constructor() {
    super();
    this.addEventListener('faceswap-source-change', this.onSourceChange);
  }

  /** The current session state; read-only, reflected as the `state` attribute for styling with `[state=live]`. */
  get state(): SessionState {
    return this.sessionController?.snapshot.state ?? 'idle';
  }

  /** The session's current details: state, error, source, engine, the camera stream and the swapped track. */
  get details(): SessionSnapshot {
    return this.core.snapshot;
  }

  /**
   * Calls `listener` after every change of `details` (what linked players and pickers re-render on).
   * @returns The function that unsubscribes the listener.
   */
  subscribe(listener: (details: SessionSnapshot) => void): () => void {
    return this.core.on('change', listener);
  }

  /**
   * Current media figures of the swapped video (frame rate, resolution, round trip, loss; with the local engine
   * also its own figures under `engine`); `{}` while none runs.
   */
  getStats(): Promise<SessionStats> {
    return this.core.getStats();
  }

  /**
   * `picture` with a signed C2PA manifest when the token endpoint signs for the running session (its session
   * answer said `c2pa: true`), else `picture` itself; what `snapshot()` and linked players use. Rejects with a
   * `FaceswapError` when the endpoint fails to sign.
   */
  signSnapshot(picture: Blob): Promise<Blob> {
    return this.core.signSnapshot(picture);
  }

  /** The session core; its code loads when a session first needs it (start, source, mic, camera). */
  private get core(): LazySessionController {
    if (!this.sessionController) {
      const controller = new LazySessionController(this.controllerOptions(), async (options) => {
        const [{ SessionController }, { browserPlatform }] = await loadChunk(() =>
          Promise.all([import('../../session/controller.js'), import('../../session/platform.js')]),
        );
        return new SessionController(options, this.delegatingPlatform(browserPlatform()));
      });
      this.sessionController = controller;
      // The controller belongs to this element alone, so these listeners live as long as both do.
      controller.on('state-change', ({ state, previous }) => this.onStateChange(state, previous));
      // The message is in the element's language, whose table may still be loading (languages load on first use).
      controller.on('error', (error) =>
        this.localize.withStrings((strings) => this.dispatchEvent(new FaceswapErrorEvent({ ...error, message: strings.errors[error.code] ?? error.message }))),
      );
      controller.on('change', () => this.requestUpdate());
      controller.on('token-will-expire', () => this.dispatchEvent(new FaceswapTokenWillExpireEvent({ sessionId: controller.snapshot.sessionId })));
    }
    return this.sessionController;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    navigator.mediaDevices?.addEventListener?.('devicechange', this.refreshCameras);
    this.refreshCameras();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    navigator.mediaDevices?.removeEventListener?.('devicechange', this.refreshCameras);
    this.autoStarted = false;
    // A move (removed and re-inserted in the same task) keeps the session; a removal stops it.
    queueMicrotask(() => {
      if (!this.isConnected && this.sessionController) void this.sessionController.stop();
    });
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('engine') && this.engine != null && !ENGINES.includes(this.engine)) {
      warnOnce(`<faceswap-session> engine="${this.engine}" is not one of ${ENGINES.join(', ')}; using "auto".`);
    }
    if (changed.has('camera') && this.camera != null && !CAMERAS.includes(this.camera)) {
      warnOnce(`<faceswap-session> camera="${this.camera}" is not one of ${CAMERAS.join(', ')}; using "user".`);
    }
    if (changed.has('videoPreset') && this.videoPreset != null && !isVideoPreset(this.videoPreset)) {
      warnOnce(
        `<faceswap-session> video-preset="${this.videoPreset}" is not one of ${Object.keys(VIDEO_PRESETS).join(', ')}; using "${DEFAULT_VIDEO_PRESET}".`,
      );
    }
    // Attribute removal and `null` fall back to the defaults.
    this.engine ??= 'auto';
    this.camera ??= 'user';
    this.videoPreset ??= DEFAULT_VIDEO_PRESET;
    this.mic ??= false;
    const controller = this.core;
    this.setAttribute('state', this.state);
    if (OPTION_PROPERTIES.some((name) => changed.has(name))) this.applyOptions();
    if (changed.has('mic') && changed.get('mic') !== undefined) this.micChange = controller.setMicEnabled(this.mic);
    if (changed.has('source') && !sameSource(this.source, controller.snapshot.source)) {
      void controller.setSource(this.validSource(this.source));
    }
    if (changed.has('strings') || changed.has('tokenEndpoint')) {
      // Same value, but children re-read the strings and the endpoint.
      this.provider.setValue(this, true);
    }
  }

  protected override updated(): void {
    if (this.autoStart && !this.autoStarted && this.isConnected && (this.source || this.credentials)) {
      this.autoStarted = true;
      void this.start();
    }
  }

  /** Starts a session with the current source. Ignored while one runs or when not connected. Never rejects. */
  async start(): Promise<void> {
    if (!this.isConnected) return;
    const controller = this.core;
    this.applyOptions();
    if (this.source && !sameSource(this.source, controller.snapshot.source)) await controller.setSource(this.validSource(this.source));
    await controller.start();
  }

  /** Stops the session, releases the camera and closes the server session. Never rejects. */
  async stop(): Promise<void> {
    if (this.sessionController) await this.sessionController.stop();
  }

  /**
   * Sets the source face; during a session it is applied without reconnecting.
   * @param source `{path, opts}` as `/detect` answers it in `faces[i].source`, or `null` to clear it.
   */
  async setSource(source: FaceSource | null): Promise<void> {
    this.source = this.validSource(source);
    if (this.isConnected && !sameSource(this.source, this.core.snapshot.source)) await this.core.setSource(this.source);
  }

  /**
   * Switches to the given camera, or between front and back when no id is given.
   * @param deviceId A `deviceId` from `navigator.mediaDevices.enumerateDevices()`.
   */
  async switchCamera(deviceId?: string): Promise<void> {
    if (!this.isConnected) return;
    await this.core.switchCamera(deviceId);
    const facing = this.core.snapshot.facing;
    if (!deviceId && facing) this.camera = facing;
  }

  /**
   * Turns the microphone on or off (also during a session); the same as setting `mic`.
   * @param enabled Whether the microphone is sent.
   */
  async setMicEnabled(enabled: boolean): Promise<void> {
    this.mic = enabled;
    if (!this.isConnected) return;
    await this.updateComplete;
    await this.micChange;
  }

  /**
   * A PNG of the current swapped frame, marked as AI-made: the translated "AI face swap" in the bottom end
   * corner and the IPTC digital source type in its XMP, plus a signed C2PA manifest where the token endpoint
   * signs. Rejects with `InvalidStateError` when no swapped video is playing.
   */
  async snapshot(): Promise<Blob> {
    const track = this.sessionController?.snapshot.remoteTrack;
    if (!track) throw new DOMException('No swapped video to capture.', 'InvalidStateError');
    const { signedSnapshot, trackFrameToPng } = await loadChunk(() => import('../../internal/frame-capture.js'));
    const png = await trackFrameToPng(track, { text: this.localize.strings.aiLabel, corner: 'bottom-end', dir: this.localize.dir });
    return signedSnapshot(png, (picture) => this.signSnapshot(picture));
  }

  /**
   * The controller may be created early (a child asks for it on connection), so the platform it gets reads
   * `this.platform` at each call: a platform set later still applies to the next session.
   */
  private delegatingPlatform(defaults: SessionPlatform): SessionPlatform {
    const pick = <K extends keyof SessionPlatform>(key: K): NonNullable<SessionPlatform[K]> =>
      (this.platform?.[key] ?? defaults[key]) as NonNullable<SessionPlatform[K]>;
    return {
      getUserMedia: (constraints) => pick('getUserMedia')(constraints),
      fetch: (input, init) => pick('fetch')(input, init),
      sendBeacon: (url, body) => pick('sendBeacon')(url, body),
      onPageHide: (listener) => pick('onPageHide')(listener),
      transportFactory: (engine, options) => pick('transportFactory')(engine, options),
      // Transports of the page's own making are not mixed with a prepared default one.
      prepareTransport: (engine, options) =>
        this.platform?.transportFactory && !this.platform.prepareTransport ? Promise.resolve(null) : pick('prepareTransport')(engine, options),
      now: () => pick('now')(),
    };
  }

  /** Hands the element's settings to the controller (for the next start; `mic` applies at once). */
  private applyOptions(): void {
    this.core.options = { ...this.core.options, ...this.controllerOptions() };
  }

  private controllerOptions(): Partial<SessionOptions> {
    const preset = isVideoPreset(this.videoPreset) ? this.videoPreset : DEFAULT_VIDEO_PRESET;
    return {
      tokenEndpoint: this.tokenEndpoint ?? undefined,
      tokenProvider: this.tokenProvider ?? undefined,
      credentials: this.credentials ?? undefined,
      engine: ENGINES.includes(this.engine) ? this.engine : 'auto',
      camera: CAMERAS.includes(this.camera) ? this.camera : 'user',
      mic: this.mic,
      remoteAudio: this.remoteAudio,
      video: { ...VIDEO_PRESETS[preset] },
      ...this.timeouts,
      consentPending: this.consentPending,
    };
  }

  private validSource(source: FaceSource | null): FaceSource | null {
    if (source === null || source === undefined) return null;
    if (typeof source.path !== 'string' || typeof source.opts !== 'string') {
      warnOnce('<faceswap-session> source must be {path, opts} as /detect answers it; ignoring it.');
      return null;
    }
    return { path: source.path, opts: source.opts };
  }

  private onStateChange(state: SessionState, previous: SessionState): void {
    this.dispatchEvent(new FaceswapStateChangeEvent({ state, previous }));
    const { sessionId, engine } = this.core.snapshot;
    if (state === 'preparing') this.liveAnnounced = false;
    if (state === 'live' && !this.liveAnnounced) {
      this.liveAnnounced = true;
      this.dispatchEvent(new FaceswapLiveEvent({ sessionId, engine }));
    }
    if (state === 'ended') this.dispatchEvent(new FaceswapEndedEvent({ sessionId }));
    if (state === 'live') this.refreshCameras();
  }

  /** An unconfirmed face is never applied, not even mid-session: the source is cleared until it is confirmed. */
  private readonly onSourceChange = (event: FaceswapSourceChangeEvent) => {
    const { path, opts, consent } = event.detail;
    this.consentPending = consent === 'pending';
    void this.setSource(this.consentPending ? null : { path, opts });
  };

  private readonly refreshCameras = () => {
    navigator.mediaDevices
      ?.enumerateDevices?.()
      .then((devices) => {
        this.cameras = devices.filter((device) => device.kind === 'videoinput');
      })
      .catch(() => {
        this.cameras = [];
      });
  };

  private onStartClick(): void {
    if (RUNNING.has(this.state)) void this.stop();
    else void this.start();
  }

  private renderCameraControl() {
    if (this.cameras.length < 2) return nothing;
    const term = this.localize.term;
    const touch = matchMedia('(pointer: coarse)').matches;
    if (touch) {
      return iconButton({ part: 'camera-button', label: term('switchCamera'), icon: icons.switchCamera, onClick: () => void this.switchCamera() });
    }
    const active = this.sessionController?.snapshot.localStream?.getVideoTracks()[0]?.getSettings().deviceId;
    return html`<select class="camera-select" part="camera-select" aria-label=${term('camera')} @change=${(event: Event) => this.switchCamera((event.target as HTMLSelectElement).value)}>
      ${this.cameras.map(
        (camera, index) =>
          html`<option value=${camera.deviceId} ?selected=${camera.deviceId === active}>${camera.label || `${term('camera')} ${index + 1}`}</option>`,
      )}
    </select>`;
  }

  protected override render() {
    const term = this.localize.term;
    const running = RUNNING.has(this.state);
    // With an unconfirmed face, Start stays enabled so that pressing it explains what is missing.
    const canStart = !!(this.source || this.credentials || this.consentPending);
    const stateText =
      this.state === 'error' && this.sessionController?.snapshot.error
        ? this.localize.strings.errors[this.sessionController.snapshot.error.code]
        : term(STATE_TERMS[this.state]);
    return html`<div class="base" part="base" dir=${this.localize.dir} lang=${this.localize.strings.lang}>
      <slot></slot>
      <div class="controls" part="controls" role="group" aria-label=${term('sessionControls')} ?hidden=${this.noControls}>
        <button
          class="button button--primary"
          part="button start-button"
          ?disabled=${this.state === 'ending' || (!running && !canStart)}
          @click=${this.onStartClick}
        >
          ${running ? icons.stop : icons.play}<span>${running ? term('stop') : term('start')}</span>
        </button>
        ${this.renderCameraControl()}
        ${iconButton({ part: 'mic-button', label: term('microphone'), icon: this.mic ? icons.mic : icons.micOff, pressed: this.mic, onClick: () => this.setMicEnabled(!this.mic) })}
        <span class="status" part="status" aria-hidden="true">${stateText}</span>
      </div>
      <div class="visually-hidden" role="status" aria-live="polite">${stateText}</div>
    </div>`;
  }
}
