import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { LocalizeController } from '../../controllers/localize-controller.js';
import { SessionLinkController } from '../../controllers/session-link-controller.js';
import { FaceSourceChangeEvent, FaceswapSourceChangeEvent, type FaceOrigin, type FaceswapSourceChangeDetail } from '../../events/source-change-event.js';
import type { FaceswapStringOverrides } from '../../i18n/strings.js';
import { icons } from '../../internal/icons.js';
import { ACCEPTED_IMAGE_TYPES, checkImageFile, formatBytes, imageFromDataTransfer, ImageRejectedError } from '../../internal/image.js';
import type { PreparedImage } from '../../internal/image-prepare.js';
import { loadChunk } from '../../internal/lazy-chunk.js';
import { tokens } from '../../internal/shared-styles.js';
import { warnOnce } from '../../internal/warn.js';
import { isFaceswapError } from '../../core/errors.js';
import type { DetectedFace, DetectRequest, SessionState } from '../../core/protocol.js';
import { styles } from './face-source-picker.styles.js';

/** A gallery entry of the `sources` property. */
export interface FaceSourceOption {
  src: string;
  label?: string;
}

/** Which faces need the visitor's confirmation of the right to use them: `uploads` (files and camera photos), `all` (the gallery too), `none`. */
export type ConsentMode = 'uploads' | 'all' | 'none';
const CONSENT_MODES: readonly ConsentMode[] = ['uploads', 'all', 'none'];

/** `empty` nothing chosen · `busy` checking or detecting · `choosing` several faces · `selected` · `error`. */
export type PickerStatus = 'empty' | 'busy' | 'choosing' | 'selected' | 'error';

export const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;

type Message = { text: string; error: boolean } | null;

/** Decoding and downscaling load with the first photo, not with the element. */
async function preparePhoto(blob: Blob): Promise<PreparedImage> {
  const { prepareImage } = await loadChunk(() => import('../../internal/image-prepare.js'));
  return prepareImage(blob);
}

/**
 * Lets the visitor choose the face to swap in: from a gallery (slotted `<img>` elements or the `sources`
 * property), an uploaded, dropped or pasted photo, or a photo from the camera. Each image is checked and
 * scaled down in the browser, sent to `{token-endpoint}/detect`, and the faces found are drawn over it;
 * with several faces the visitor picks one. Inside a `<faceswap-session>` the choice becomes the
 * session's source, also mid-session.
 *
 * For a face the visitor brings (an uploaded, dropped or pasted file, a camera photo) the picker asks them to
 * confirm they have the right to use it (`consent`); until they tick the box the choice is sent with
 * `consent: 'pending'`, and the session refuses to start with it (`consent-required`).
 *
 * @summary Choose the source face: gallery, upload, drop, paste or camera.
 * @tag face-source-picker
 *
 * @slot - `<img>` elements offered as a gallery (their `alt` is the label); the images themselves stay hidden.
 *
 * @attr {PickerStatus} status - What the picker is doing: `empty`, `busy`, `choosing`, `selected` or `error` (read-only; for styling).
 * @attr {SessionState} state - The state of the linked session, `idle` without one (read-only; for styling).
 * @attr {boolean} dragging - Present while a file is dragged over the picker (read-only; for styling).
 *
 * @fires faceswap-source-change - A face was chosen, or its consent changed; detail `{path, opts, box, imageUrl, origin, consent}`.
 * @fires face-source-change - Deprecated alias of `faceswap-source-change`, fired right after it with the same detail until the next minor version; reading its detail warns once.
 *
 * @csspart base - The wrapper of the picker.
 * @csspart title - The heading "Choose a face".
 * @csspart gallery - The list of gallery thumbnails.
 * @csspart thumbnail - One gallery button.
 * @csspart dropzone - The area that takes dropped and pasted photos.
 * @csspart button - Every button of the picker.
 * @csspart upload-button - Opens the file dialog.
 * @csspart camera-button - Opens the camera to take a photo.
 * @csspart camera - The camera view while taking a photo.
 * @csspart capture-button - Takes the photo from the camera view.
 * @csspart cancel-button - Closes the camera view without a photo.
 * @csspart stage - The chosen photo with the face boxes.
 * @csspart image - The chosen photo.
 * @csspart face - A box around a found face (a button).
 * @csspart consent - The confirmation that the visitor may use the face (a label around a checkbox).
 * @csspart consent-checkbox - The checkbox of that confirmation.
 * @csspart message - Status and error text.
 *
 * @cssprop [--faceswap-thumb-size=4.5rem] - Size of gallery thumbnails.
 * @cssprop [--faceswap-picker-image-height=18rem] - Maximum height of the chosen photo.
 * @cssprop [--faceswap-face-box-color=#ffd43b] - Colour of face boxes.
 * @cssprop [--faceswap-face-box-selected-color=var(--faceswap-success)] - Colour of the chosen face's box.
 * @cssprop [--faceswap-success=#22a55b] - Status colour for success: the chosen face's box unless `--faceswap-face-box-selected-color` is set.
 * @cssprop [--faceswap-accent=#4f46e5] - Accent colour (chosen thumbnail, drop highlight).
 * @cssprop [--faceswap-surface=#ffffff] - Background of the picker.
 * @cssprop [--faceswap-border=#d4d6de] - Border colour.
 * @cssprop [--faceswap-danger=#c62828] - Colour of error messages.
 * @cssprop [--faceswap-radius=12px] - Corner radius.
 */
export class FaceSourcePicker extends LitElement {
  static override styles = [tokens, styles];

  private readonly link = new SessionLinkController(this, { sessionId: () => null });
  private readonly localize = new LocalizeController(this, {
    overrides: () => [this.link.session?.strings, this.strings],
  });
  private abort: AbortController | null = null;
  private ownedImageUrl: string | null = null;
  private cameraStream: MediaStream | null = null;
  private selection: FaceswapSourceChangeDetail | null = null;

  @query('input[type=file]') private readonly fileInput!: HTMLInputElement;

  @state() private slottedSources: FaceSourceOption[] = [];
  @state() private imageUrl: string | null = null;
  @state() private activeGalleryIndex: number | null = null;
  @state() private faces: DetectedFace[] = [];
  @state() private imageSize: { width: number; height: number } | null = null;
  @state() private selectedFace: number | null = null;
  @state() private message: Message = null;
  @state() private cameraOpen = false;
  @state() private origin: FaceOrigin = 'gallery';
  @state() private consentGiven = false;
  @state() private currentStatus: PickerStatus = 'empty';
  @state() private dragActive = false;

  /** Base URL of the token endpoint for `/detect`; inside a session the session's is used when unset. */
  @property({ attribute: 'token-endpoint' }) tokenEndpoint: string | null = null;

  /** Largest accepted file in bytes (default 10 MB); larger files are refused before upload. */
  @property({ type: Number, attribute: 'max-bytes' }) maxBytes: number = DEFAULT_MAX_BYTES;

  /** Gallery entries `[{src, label}]`, shown after the slotted images. */
  @property({ attribute: false }) sources: FaceSourceOption[] | null = null;

  /**
   * Which faces need the visitor to confirm the right to use them before they are used: `uploads` (files and
   * camera photos, the default), `all` (the gallery too) or `none` (the site collects this consent itself).
   */
  @property() consent: ConsentMode = 'uploads';

  /** Overrides for any visible string of this picker (over the session's `strings`). */
  @property({ attribute: false }) strings: FaceswapStringOverrides | null = null;

  /** What the picker is doing; read-only, reflected as the `status` attribute for styling. */
  get status(): PickerStatus {
    return this.currentStatus;
  }

  /** The state of the linked session, `idle` without one; read-only, reflected as the `state` attribute for styling. */
  get state(): SessionState {
    return this.link.details?.state ?? 'idle';
  }

  /** Whether a file is being dragged over the picker; read-only, reflected as the `dragging` attribute for styling. */
  get dragging(): boolean {
    return this.dragActive;
  }

  /** The last face chosen, as sent in `faceswap-source-change`, or `null`. */
  get value(): FaceswapSourceChangeDetail | null {
    return this.selection;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener('paste', this.onPaste);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.removeEventListener('paste', this.onPaste);
    this.abort?.abort();
    this.abort = null;
    this.closeCamera();
    if (this.status === 'busy') this.currentStatus = 'empty';
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('maxBytes') && (typeof this.maxBytes !== 'number' || !(this.maxBytes > 0))) {
      if (this.maxBytes !== null && this.maxBytes !== undefined)
        warnOnce(`<face-source-picker> max-bytes must be a positive number; using ${DEFAULT_MAX_BYTES}.`);
      this.maxBytes = DEFAULT_MAX_BYTES;
    }
    if (changed.has('consent') && this.consent != null && !CONSENT_MODES.includes(this.consent)) {
      warnOnce(`<face-source-picker> consent="${this.consent}" is not one of ${CONSENT_MODES.join(', ')}; using "uploads".`);
    }
    this.consent ??= 'uploads';
    this.setAttribute('status', this.status);
    this.setAttribute('state', this.state);
    this.toggleAttribute('dragging', this.dragging);
  }

  /**
   * Runs detection on an image file (what upload, drop and paste do).
   * @param file A JPEG, PNG or WebP image; anything else, or over `max-bytes`, is refused with a message.
   */
  async chooseFile(file: Blob): Promise<void> {
    return this.chooseVisitorImage(file, 'upload');
  }

  private async chooseVisitorImage(file: Blob, origin: FaceOrigin): Promise<void> {
    const run = this.begin(origin);
    try {
      checkImageFile(file, this.maxBytes);
      const prepared = await preparePhoto(file);
      if (run.signal.aborted) return;
      this.showImage(URL.createObjectURL(file), true);
      this.activeGalleryIndex = null;
      await this.detect({ image: prepared.dataUrl }, run);
    } catch (error) {
      this.fail(error, run);
    }
  }

  /**
   * Runs detection on an image by URL (what the gallery does).
   * @param src The image URL; same-origin images are sent as pixels, others as a link for the server to fetch.
   */
  async chooseUrl(src: string): Promise<void> {
    const run = this.begin('gallery');
    try {
      const url = new URL(src, document.baseURI);
      this.showImage(url.href, false);
      let body: DetectRequest;
      if (url.origin === location.origin || url.protocol === 'data:' || url.protocol === 'blob:') {
        // The server (or AKOOL) may not reach this page's origin: send the pixels instead of the link.
        const response = await fetch(url, { signal: run.signal });
        if (!response.ok) throw new ImageRejectedError('unreadable');
        const blob = await response.blob();
        checkImageFile(blob, this.maxBytes);
        body = { image: (await preparePhoto(blob)).dataUrl };
      } else {
        body = { url: url.href };
      }
      if (run.signal.aborted) return;
      await this.detect(body, run);
    } catch (error) {
      this.fail(error, run);
    }
  }

  private begin(origin: FaceOrigin): AbortController {
    this.abort?.abort();
    const run = new AbortController();
    this.abort = run;
    this.origin = origin;
    this.consentGiven = false;
    this.faces = [];
    this.selectedFace = null;
    this.imageSize = null;
    this.currentStatus = 'busy';
    this.message = { text: this.localize.term('detecting'), error: false };
    return run;
  }

  private showImage(url: string, owned: boolean): void {
    if (this.ownedImageUrl && this.ownedImageUrl !== this.selection?.imageUrl) URL.revokeObjectURL(this.ownedImageUrl);
    this.ownedImageUrl = owned ? url : null;
    this.imageUrl = url;
  }

  private async detect(body: DetectRequest, run: AbortController): Promise<void> {
    const endpoint = this.tokenEndpoint ?? this.link.session?.tokenEndpoint ?? null;
    if (!endpoint) {
      warnOnce('<face-source-picker> has no token-endpoint (and no session with one): cannot detect faces.');
      this.currentStatus = 'error';
      this.message = { text: this.localize.term('noEndpoint'), error: true };
      return;
    }
    const { detectFaces } = await loadChunk(() => import('../../session/endpoint-client.js'));
    if (run.signal.aborted) return;
    const result = await detectFaces(endpoint, body, run.signal);
    if (run.signal.aborted) return;
    this.faces = result.faces;
    this.imageSize = { width: result.width, height: result.height };
    if (result.faces.length === 0) {
      this.currentStatus = 'error';
      this.message = { text: this.localize.term('noFace'), error: true };
    } else if (result.faces.length === 1) {
      this.selectFace(0);
    } else {
      this.currentStatus = 'choosing';
      this.message = { text: this.localize.term('chooseFace'), error: false };
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLButtonElement>('.face')?.focus();
    }
  }

  private fail(error: unknown, run: AbortController): void {
    if (run.signal.aborted || (error as Error)?.name === 'AbortError') return;
    const strings = this.localize.strings;
    let text: string;
    if (error instanceof ImageRejectedError) {
      text =
        error.problem === 'wrong-type'
          ? strings.wrongType
          : error.problem === 'too-large'
            ? this.localize.term('tooLarge', { size: formatBytes(this.maxBytes) })
            : strings.unreadable;
    } else if (isFaceswapError(error) && error.code === 'no-face') {
      text = strings.noFace;
    } else if (isFaceswapError(error)) {
      text = strings.errors[error.code] ?? error.message;
    } else {
      text = strings.unreadable;
    }
    this.currentStatus = 'error';
    this.message = { text, error: true };
  }

  private selectFace(index: number): void {
    const face = this.faces[index];
    if (!face || !this.imageUrl) return;
    this.selectedFace = index;
    this.currentStatus = 'selected';
    this.selection = { path: face.source.path, opts: face.source.opts, box: face.box, imageUrl: this.imageUrl, origin: this.origin, consent: 'not-required' };
    this.announceSelection();
  }

  /** Whether the current image needs the visitor's confirmation (by `consent` and where it came from). */
  private get needsConsent(): boolean {
    const mode = CONSENT_MODES.includes(this.consent) ? this.consent : 'uploads';
    return mode === 'all' || (mode === 'uploads' && this.origin !== 'gallery');
  }

  /** Sends the selection with its current consent; the message says what is still missing. */
  private announceSelection(): void {
    if (!this.selection) return;
    const consent = !this.needsConsent ? 'not-required' : this.consentGiven ? 'confirmed' : 'pending';
    this.selection = { ...this.selection, consent };
    this.message = { text: this.localize.term(consent === 'pending' ? 'consentNeeded' : 'faceSelected'), error: false };
    this.dispatchEvent(new FaceswapSourceChangeEvent({ ...this.selection }));
    this.dispatchEvent(new FaceSourceChangeEvent({ ...this.selection }));
  }

  private onConsentChange(event: Event): void {
    this.consentGiven = (event.target as HTMLInputElement).checked;
    if (this.status === 'selected') this.announceSelection();
  }

  private get gallery(): FaceSourceOption[] {
    const fromProperty = Array.isArray(this.sources)
      ? this.sources.filter((option) => {
          const ok = !!option && typeof option.src === 'string' && option.src.length > 0;
          if (!ok) warnOnce('<face-source-picker> sources entries need a non-empty src; skipping an entry.');
          return ok;
        })
      : [];
    if (this.sources !== null && this.sources !== undefined && !Array.isArray(this.sources)) {
      warnOnce('<face-source-picker> sources must be an array of {src, label}; ignoring it.');
    }
    return [...this.slottedSources, ...fromProperty];
  }

  private readonly onSlotChange = (event: Event) => this.readGallery(event.target as HTMLSlotElement);

  /** The slotted `<img>` gallery, as thumbnails. */
  private readGallery(slot: HTMLSlotElement): void {
    const sources = slot
      .assignedElements({ flatten: true })
      .filter((element): element is HTMLImageElement => element instanceof HTMLImageElement && !!element.getAttribute('src'))
      .map((img) => ({ src: img.getAttribute('src')!, label: img.alt || undefined }));
    const same =
      sources.length === this.slottedSources.length &&
      sources.every((s, i) => s.src === this.slottedSources[i]!.src && s.label === this.slottedSources[i]!.label);
    if (!same) this.slottedSources = sources;
  }

  protected override firstUpdated(): void {
    // A slot hydrated from server-rendered markup (Lit SSR) got its images before this element listened for
    // slotchange, so the gallery is read once here too.
    const slot = this.renderRoot.querySelector<HTMLSlotElement>('slot:not([name])');
    if (slot) this.readGallery(slot);
  }

  private readonly onPaste = (event: ClipboardEvent) => {
    const file = imageFromDataTransfer(event.clipboardData);
    if (!file) return;
    event.preventDefault();
    void this.chooseFile(file);
  };

  private onDragOver(event: DragEvent): void {
    if (!event.dataTransfer?.types.includes('Files')) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
    this.dragActive = true;
  }

  private onDragLeave(event: DragEvent): void {
    if (!(event.currentTarget as Element).contains(event.relatedTarget as Node | null)) this.dragActive = false;
  }

  private onDrop(event: DragEvent): void {
    event.preventDefault();
    this.dragActive = false;
    const file = imageFromDataTransfer(event.dataTransfer);
    if (file) void this.chooseFile(file);
  }

  private onFileInput(): void {
    const file = this.fileInput.files?.[0];
    this.fileInput.value = '';
    if (file) void this.chooseFile(file);
  }

  private async openCamera(): Promise<void> {
    this.closeCamera();
    try {
      // The session's camera opener, so both name a failure alike (loaded with the first photo taken).
      const { openUserMedia } = await loadChunk(() => import('../../session/capture.js'));
      this.cameraStream = await openUserMedia({ video: { facingMode: 'user' }, audio: false });
    } catch (error) {
      const code = isFaceswapError(error) ? error.code : 'unsupported-browser';
      this.currentStatus = 'error';
      this.message = { text: this.localize.strings.errors[code], error: true };
      return;
    }
    if (!this.isConnected) return this.closeCamera();
    this.cameraOpen = true;
    await this.updateComplete;
    const video = this.renderRoot.querySelector<HTMLVideoElement>('.camera video');
    if (video && this.cameraStream) {
      video.srcObject = this.cameraStream;
      video.play().catch(() => {});
    }
  }

  private closeCamera(): void {
    this.cameraStream?.getTracks().forEach((track) => track.stop());
    this.cameraStream = null;
    this.cameraOpen = false;
  }

  private async capturePhoto(): Promise<void> {
    const video = this.renderRoot.querySelector<HTMLVideoElement>('.camera video');
    if (!video || video.videoWidth === 0) return;
    const canvas = document.createElement('canvas');
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    canvas.getContext('2d')?.drawImage(video, 0, 0);
    this.closeCamera();
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.92));
    if (blob) await this.chooseVisitorImage(blob, 'camera');
  }

  private onFaceKeydown(event: KeyboardEvent, index: number): void {
    const count = this.faces.length;
    const rtl = this.localize.dir === 'rtl';
    const step =
      event.key === 'ArrowDown' || event.key === (rtl ? 'ArrowLeft' : 'ArrowRight')
        ? 1
        : event.key === 'ArrowUp' || event.key === (rtl ? 'ArrowRight' : 'ArrowLeft')
          ? -1
          : 0;
    if (step === 0) return;
    event.preventDefault();
    const buttons = this.renderRoot.querySelectorAll<HTMLButtonElement>('.face');
    buttons[(index + step + count) % count]?.focus();
  }

  private renderGallery() {
    const gallery = this.gallery;
    const term = this.localize.term;
    return html`<ul class="gallery" part="gallery" aria-label=${term('gallery')} ?hidden=${gallery.length === 0}>
      ${gallery.map(
        (option, index) => html`<li>
          <button
            class="thumb"
            part="thumbnail"
            aria-pressed=${this.activeGalleryIndex === index ? 'true' : 'false'}
            aria-label=${term('useFace', { label: option.label ?? String(index + 1) })}
            @click=${() => {
              this.activeGalleryIndex = index;
              void this.chooseUrl(option.src);
            }}
          >
            <img src=${option.src} alt="" loading="lazy" />
          </button>
        </li>`,
      )}
    </ul>`;
  }

  private renderStage() {
    if (!this.imageUrl) return nothing;
    const term = this.localize.term;
    const size = this.imageSize;
    return html`<div class="stage" part="stage">
      <img part="image" src=${this.imageUrl} alt=${term('chosenImage')} />
      ${
        size && this.faces.length > 0
          ? html`<div role="group" aria-label=${term('chooseFace')}>
            ${this.faces.map((face, index) => {
              const [x, y, w, h] = face.box;
              const style = `left:${(x / size.width) * 100}%;top:${(y / size.height) * 100}%;width:${(w / size.width) * 100}%;height:${(h / size.height) * 100}%`;
              return html`<button
                class="face"
                part="face"
                style=${style}
                aria-pressed=${this.selectedFace === index ? 'true' : 'false'}
                aria-label=${term('face', { n: index + 1 })}
                tabindex=${(this.selectedFace ?? 0) === index ? 0 : -1}
                @click=${() => this.selectFace(index)}
                @keydown=${(event: KeyboardEvent) => this.onFaceKeydown(event, index)}
              >
                ${this.faces.length > 1 ? html`<span class="face-label" aria-hidden="true">${index + 1}</span>` : nothing}
              </button>`;
            })}
          </div>`
          : nothing
      }
    </div>`;
  }

  private renderConsent() {
    if (!this.imageUrl || !this.needsConsent) return nothing;
    return html`<label class="consent" part="consent">
      <input type="checkbox" part="consent-checkbox" .checked=${this.consentGiven} @change=${this.onConsentChange} />
      <span>${this.localize.term('consentLabel')}</span>
    </label>`;
  }

  protected override render() {
    const term = this.localize.term;
    const message = this.message;
    return html`<div class="base" part="base" dir=${this.localize.dir} lang=${this.localize.strings.lang}>
      <p class="title" part="title">${term('picker')}</p>
      <slot hidden @slotchange=${this.onSlotChange}></slot>
      ${this.renderGallery()}
      ${
        this.cameraOpen
          ? html`<div class="camera" part="camera">
            <video playsinline autoplay muted .muted=${true} aria-label=${term('takePhoto')}></video>
            <div class="camera-actions">
              <button class="button button--primary" part="button capture-button" @click=${this.capturePhoto}>${icons.camera}<span>${term('capture')}</span></button>
              <button class="button" part="button cancel-button" @click=${this.closeCamera}>${term('cancel')}</button>
            </div>
          </div>`
          : html`<div class="dropzone" part="dropzone" @dragover=${this.onDragOver} @dragleave=${this.onDragLeave} @drop=${this.onDrop}>
            <p class="drop-hint">${term('dropHint')}</p>
            <button class="button" part="button upload-button" @click=${() => this.fileInput.click()}>${icons.upload}<span>${term('upload')}</span></button>
            <button class="button" part="button camera-button" @click=${this.openCamera}>${icons.camera}<span>${term('takePhoto')}</span></button>
          </div>`
      }
      <input type="file" accept=${ACCEPTED_IMAGE_TYPES.join(',')} hidden tabindex="-1" aria-hidden="true" @change=${this.onFileInput} />
      ${this.renderStage()} ${this.renderConsent()}
      <p class="message" part="message" role="status" aria-live="polite">
        ${this.status === 'busy' ? html`<span class="spinner" aria-hidden="true"></span>` : nothing}${message?.text ?? ''}
      </p>
    </div>`;
  }
}
