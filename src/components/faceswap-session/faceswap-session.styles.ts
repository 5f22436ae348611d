import { css } from 'lit';

/** @internal Styles of the element, combined with the shared tokens. */
export const styles = css`
  :host {
    display: block;
  }
  .base {
    display: flex;
    flex-direction: column;
    gap: var(--faceswap-session-gap, 1rem);
  }
  .controls {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--_gap);
    padding: 0.5rem;
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) + 0.5rem);
    background: var(--_surface-2);
  }
  .status {
    margin-inline-start: auto;
    display: inline-flex;
    align-items: center;
    gap: 0.4em;
    padding-inline: 0.5rem;
    color: var(--_muted);
    font-size: 0.9rem;
  }
  .status::before {
    content: '';
    width: 0.6em;
    height: 0.6em;
    border-radius: 50%;
    background: var(--_muted);
  }
  :host([state='live']) .status::before {
    background: var(--_success);
  }
  :host([state='error']) .status::before {
    background: var(--_danger);
  }
  :host([state='connecting']) .status::before,
  :host([state='preparing']) .status::before,
  :host([state='waiting']) .status::before,
  :host([state='reconnecting']) .status::before {
    background: var(--_warning);
  }
  .camera-select {
    min-height: 2.5rem;
    max-width: 14rem;
    padding: 0 0.75rem;
    border: 1px solid var(--_border);
    border-radius: 999px;
    background: var(--_surface);
    color: var(--_on-surface);
  }
`;
