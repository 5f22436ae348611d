import { html, nothing, type TemplateResult } from 'lit';

export interface OverlayContent {
  /** `hint`: text over the empty player; `cover`: hides the video; `banner`: a strip over the last frame. */
  kind: 'hint' | 'cover' | 'banner';
  /** What the overlay shows (`data-state`, for styling): a session state or `autoplay-blocked`. */
  state: string;
  spinner?: boolean;
  icon?: TemplateResult;
  message?: string;
  /** Anything after the message: an elapsed time, a button. */
  extra?: TemplateResult;
}

/** The one overlay template of the player; every state fills it in. */
export function overlay({ kind, state, spinner, icon, message, extra }: OverlayContent): TemplateResult {
  return html`<div class="overlay" part="overlay" data-kind=${kind} data-state=${state}>
    ${spinner ? html`<div class="spinner" aria-hidden="true"></div>` : nothing} ${icon ?? nothing}
    ${message === undefined ? nothing : html`<p class="message" part="message">${message}</p>`} ${extra ?? nothing}
  </div>`;
}
