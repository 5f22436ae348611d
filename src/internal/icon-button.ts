import { html, nothing, type TemplateResult } from 'lit';

export interface IconButtonContent {
  /** Its own part name, after the shared `button` part. */
  part: string;
  /** The accessible name, also shown as the tooltip. */
  label: string;
  icon: TemplateResult;
  onClick: (event: Event) => void;
  /** For toggles: sets `aria-pressed`. */
  pressed?: boolean;
  disabled?: boolean;
  /**
   * Unavailable for a moment (the recorder starting): `aria-disabled` instead of `disabled`, so keyboard focus stays on
   * it (a disabled button drops it); `onClick` must ignore clicks meanwhile.
   */
  busy?: boolean;
}

/** The one template of the elements' icon-only buttons, so every one is labelled and styled alike. */
export function iconButton({ part, label, icon, onClick, pressed, disabled, busy }: IconButtonContent): TemplateResult {
  return html`<button
    class="button button--icon"
    part="button ${part}"
    aria-label=${label}
    title=${label}
    aria-pressed=${pressed === undefined ? nothing : String(pressed)}
    ?disabled=${!!disabled}
    aria-disabled=${busy ? 'true' : nothing}
    @click=${onClick}
  >
    ${icon}
  </button>`;
}
