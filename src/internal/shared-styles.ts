import { css } from 'lit';

/**
 * Design tokens and the pieces every element shares. Public tokens are `--faceswap-*`; the private `--_*`
 * copies carry the light/dark defaults so an author's value always wins.
 */
export const tokens = css`
  :host {
    --_accent: var(--faceswap-accent, #4f46e5);
    --_on-accent: var(--faceswap-on-accent, #ffffff);
    --_surface: var(--faceswap-surface, #ffffff);
    --_surface-2: var(--faceswap-surface-2, #f1f2f6);
    --_on-surface: var(--faceswap-on-surface, #1c1d22);
    --_muted: var(--faceswap-muted, #5d6170);
    --_border: var(--faceswap-border, #d4d6de);
    --_danger: var(--faceswap-danger, #c62828);
    --_success: var(--faceswap-success, #22a55b);
    --_warning: var(--faceswap-warning, #e3a008);
    --_overlay: var(--faceswap-overlay, rgb(12 13 18 / 0.72));
    --_on-overlay: var(--faceswap-on-overlay, #ffffff);
    --_radius: var(--faceswap-radius, 12px);
    --_gap: var(--faceswap-gap, 0.5rem);
    --_focus: var(--faceswap-focus-ring, #2563eb);
    --_font: var(--faceswap-font, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    --_duration: 160ms;
    font-family: var(--_font);
    color: var(--_on-surface);
    box-sizing: border-box;
  }
  @media (prefers-color-scheme: dark) {
    :host {
      --_accent: var(--faceswap-accent, #8b87ff);
      --_on-accent: var(--faceswap-on-accent, #12121a);
      --_surface: var(--faceswap-surface, #1b1c22);
      --_surface-2: var(--faceswap-surface-2, #262832);
      --_on-surface: var(--faceswap-on-surface, #eceef4);
      --_muted: var(--faceswap-muted, #a8acba);
      --_border: var(--faceswap-border, #3a3d4a);
      --_danger: var(--faceswap-danger, #ff6b6b);
      --_focus: var(--faceswap-focus-ring, #8ab4ff);
    }
  }
  @media (prefers-reduced-motion: reduce) {
    :host {
      --_duration: 0ms;
    }
  }
  :host([hidden]) {
    display: none !important;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  [hidden] {
    display: none !important;
  }
  .visually-hidden {
    position: absolute !important;
    width: 1px;
    height: 1px;
    padding: 0;
    margin: -1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }
  button,
  select {
    font: inherit;
  }
  .button {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: 0.4em;
    min-height: 2.5rem;
    min-width: 2.5rem;
    padding: 0 0.9rem;
    border: 1px solid var(--_border);
    border-radius: 999px;
    background: var(--_surface);
    color: var(--_on-surface);
    cursor: pointer;
    font-weight: 600;
    line-height: 1;
    transition:
      background-color var(--_duration),
      border-color var(--_duration),
      transform var(--_duration);
  }
  .button:hover:not(:disabled, [aria-disabled='true']) {
    border-color: var(--_accent);
  }
  .button:active:not(:disabled, [aria-disabled='true']) {
    transform: scale(0.97);
  }
  .button:disabled,
  .button[aria-disabled='true'] {
    opacity: 0.5;
    cursor: not-allowed;
  }
  .button--primary {
    background: var(--_accent);
    border-color: var(--_accent);
    color: var(--_on-accent);
  }
  .button--icon {
    padding: 0;
    width: 2.5rem;
  }
  .button[aria-pressed='true'] {
    background: var(--_accent);
    border-color: var(--_accent);
    color: var(--_on-accent);
  }
  :focus-visible {
    outline: 3px solid var(--_focus);
    outline-offset: 2px;
  }
  svg.icon {
    width: 1.25em;
    height: 1.25em;
    flex: none;
    fill: none;
    stroke: currentColor;
    stroke-width: 2;
    stroke-linecap: round;
    stroke-linejoin: round;
  }
  .spinner {
    width: 2rem;
    height: 2rem;
    border-radius: 50%;
    border: 3px solid currentColor;
    border-inline-end-color: transparent;
    animation: spin 900ms linear infinite;
  }
  @media (prefers-reduced-motion: reduce) {
    .spinner {
      animation-duration: 3s;
    }
  }
  @keyframes spin {
    to {
      transform: rotate(360deg);
    }
  }
`;
