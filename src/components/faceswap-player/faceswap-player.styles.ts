import { css } from 'lit';

/** @internal Styles of the element, combined with the shared tokens. */
export const styles = css`
  :host {
    display: block;
    position: relative;
    aspect-ratio: var(--faceswap-player-aspect-ratio, 4 / 3);
    min-height: 12rem;
    border-radius: var(--_radius);
    overflow: hidden;
    background: var(--faceswap-player-background, #0d0e12);
    color: var(--_on-overlay);
    contain: layout paint;
  }
  :host(:fullscreen) {
    border-radius: 0;
    aspect-ratio: auto;
  }
  .base {
    position: absolute;
    inset: 0;
  }
  .video {
    position: absolute;
    inset: 0;
    width: 100%;
    height: 100%;
    object-fit: cover;
    background: transparent;
  }
  :host([fit='contain']) .video {
    object-fit: contain;
  }
  .mirrored {
    transform: scaleX(-1);
  }
  .preview {
    position: absolute;
    inset-block-end: 4rem;
    inset-inline-end: 0.75rem;
    width: var(--faceswap-preview-width, 28%);
    aspect-ratio: 4 / 3;
    object-fit: cover;
    /* Square corners: a rounded clip on a video costs Chromium's software compositor (no GPU) about 18 ms of
       CPU per frame, as much as the whole swap (bench/demo-page.mjs). */
    border: 2px solid rgb(255 255 255 / 0.8);
    box-shadow: 0 4px 16px rgb(0 0 0 / 0.4);
    background: #000;
  }
  .overlay {
    position: absolute;
    inset: 0;
    display: flex;
    flex-direction: column;
    align-items: center;
    justify-content: center;
    gap: 0.75rem;
    padding: 1.5rem;
    text-align: center;
    background: var(--_overlay);
    font-size: 1rem;
    line-height: 1.4;
  }
  .overlay[data-kind='banner'] {
    inset: 0.75rem 0.75rem auto;
    flex-direction: row;
    padding: 0.5rem 1rem;
    border-radius: 999px;
    justify-content: flex-start;
    width: max-content;
    max-width: calc(100% - 1.5rem);
  }
  .overlay[data-kind='banner'] .spinner {
    width: 1.1rem;
    height: 1.1rem;
    border-width: 2px;
  }
  .overlay[data-kind='hint'] {
    background: transparent;
    color: var(--faceswap-player-hint-color, rgb(255 255 255 / 0.75));
  }
  .message {
    max-width: 32rem;
    margin: 0;
  }
  .elapsed {
    font-variant-numeric: tabular-nums;
    opacity: 0.8;
  }
  .error-icon {
    color: var(--_danger);
    font-size: 2rem;
  }
  .overlay .button {
    border-color: transparent;
  }
  /* Inside the player box (not the video, which overflows it with fit=cover), above every overlay. */
  .disclosure {
    position: absolute;
    z-index: 1;
    inset-block-start: 0.75rem;
    inset-inline-start: 0.75rem;
    max-width: calc(50% - 1rem);
    margin: 0;
    padding: 0.3rem 0.6rem;
    border-radius: 6px;
    background: var(--faceswap-disclosure-background, rgb(0 0 0 / 0.78));
    color: var(--faceswap-disclosure-color, #ffffff);
    font-size: var(--faceswap-disclosure-font-size, 0.8125rem);
    font-weight: 600;
    line-height: 1.3;
  }
  .disclosure ~ .overlay[data-kind='banner'],
  .disclosure ~ .stats {
    inset-block-start: 2.9rem;
  }
  .recording-indicator {
    position: absolute;
    inset-block-start: 0.75rem;
    inset-inline-end: 0.75rem;
    display: inline-flex;
    align-items: center;
    gap: 0.4rem;
    padding: 0.3rem 0.7rem;
    border-radius: 999px;
    background: rgb(0 0 0 / 0.65);
    font-size: 0.85rem;
    font-variant-numeric: tabular-nums;
  }
  /* Above the controls, beside the camera preview (bottom end) rather than over it. */
  .notice {
    position: absolute;
    z-index: 1;
    inset-block-end: 4rem;
    inset-inline-start: 0.75rem;
    max-width: calc(100% - var(--faceswap-preview-width, 28%) - 2.25rem);
    margin: 0;
    padding: 0.4rem 0.8rem;
    border-radius: 6px;
    background: rgb(0 0 0 / 0.78);
    color: #fff;
    font-size: 0.85rem;
    line-height: 1.3;
  }
  .recording-indicator::before {
    content: '';
    width: 0.65rem;
    height: 0.65rem;
    border-radius: 50%;
    background: var(--faceswap-recording-color, #ff3b30);
    animation: pulse 1.2s ease-in-out infinite;
  }
  @media (prefers-reduced-motion: reduce) {
    .recording-indicator::before {
      animation: none;
    }
  }
  @keyframes pulse {
    50% {
      opacity: 0.35;
    }
  }
  .stats {
    position: absolute;
    inset-block-start: 0.75rem;
    inset-inline-start: 0.75rem;
    display: grid;
    grid-template-columns: auto auto;
    gap: 0.1rem 0.75rem;
    margin: 0;
    padding: 0.5rem 0.75rem;
    border-radius: 8px;
    background: rgb(0 0 0 / 0.65);
    font: 0.75rem/1.4 ui-monospace, SFMono-Regular, Menlo, monospace;
  }
  .stats dd {
    margin: 0;
    text-align: end;
    font-variant-numeric: tabular-nums;
  }
  /* Bottom start, over the control bar's gradient; the buttons sit at the end. */
  .network {
    position: absolute;
    z-index: 1;
    inset-block-end: 1.1rem;
    inset-inline-start: 0.9rem;
    display: inline-flex;
    align-items: flex-end;
    gap: 2px;
    height: 1rem;
    color: var(--_success);
  }
  .network .bar {
    width: 4px;
    border-radius: 1px;
    background: currentColor;
  }
  .network .bar:nth-child(1) {
    height: 40%;
  }
  .network .bar:nth-child(2) {
    height: 70%;
  }
  .network .bar:nth-child(3) {
    height: 100%;
  }
  .network[data-quality='fair'] {
    color: var(--_warning);
  }
  .network[data-quality='fair'] .bar:nth-child(3),
  .network[data-quality='poor'] .bar:nth-child(n + 2) {
    background: rgb(255 255 255 / 0.3);
  }
  .network[data-quality='poor'] {
    color: var(--_danger);
  }
  .controls {
    position: absolute;
    inset-inline: 0;
    inset-block-end: 0;
    display: flex;
    justify-content: flex-end;
    gap: var(--_gap);
    padding: 0.75rem;
    background: linear-gradient(transparent, rgb(0 0 0 / 0.55));
  }
  .controls .button {
    background: rgb(255 255 255 / 0.16);
    border-color: transparent;
    color: #fff;
    backdrop-filter: blur(6px);
  }
  .controls .button[aria-pressed='true'] {
    background: var(--faceswap-recording-color, #ff3b30);
  }
`;
