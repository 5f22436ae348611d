import { css } from 'lit';

/** @internal Styles of the element, combined with the shared tokens. */
export const styles = css`
  :host {
    display: block;
  }
  .base {
    display: flex;
    flex-direction: column;
    gap: 0.75rem;
    padding: 1rem;
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) + 0.25rem);
    background: var(--_surface);
  }
  .title {
    margin: 0;
    font-size: 1rem;
    font-weight: 650;
  }
  .gallery {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_gap);
    margin: 0;
    padding: 0;
    list-style: none;
  }
  .thumb {
    display: block;
    width: var(--faceswap-thumb-size, 4.5rem);
    height: var(--faceswap-thumb-size, 4.5rem);
    padding: 0;
    border: 2px solid transparent;
    border-radius: calc(var(--_radius) * 0.75);
    overflow: hidden;
    background: var(--_surface-2);
    cursor: pointer;
    transition:
      border-color var(--_duration),
      transform var(--_duration);
  }
  .thumb:hover {
    transform: translateY(-1px);
    border-color: var(--_border);
  }
  .thumb[aria-pressed='true'] {
    border-color: var(--_accent);
    box-shadow: 0 0 0 2px var(--_accent);
  }
  .thumb img {
    width: 100%;
    height: 100%;
    object-fit: cover;
    display: block;
  }
  .dropzone {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: center;
    gap: var(--_gap);
    padding: 1rem;
    border: 2px dashed var(--_border);
    border-radius: var(--_radius);
    color: var(--_muted);
    text-align: center;
    transition:
      border-color var(--_duration),
      background-color var(--_duration);
  }
  :host([dragging]) .dropzone {
    border-color: var(--_accent);
    background: color-mix(in srgb, var(--_accent) 10%, transparent);
  }
  .drop-hint {
    margin: 0;
  }
  .stage {
    position: relative;
    align-self: center;
    max-width: 100%;
    line-height: 0;
  }
  .stage img {
    display: block;
    max-width: 100%;
    max-height: var(--faceswap-picker-image-height, 18rem);
    border-radius: calc(var(--_radius) * 0.75);
  }
  :host([status='busy']) .stage img {
    opacity: 0.6;
  }
  .face {
    position: absolute;
    padding: 0;
    border: 2px solid var(--faceswap-face-box-color, #ffd43b);
    border-radius: 6px;
    background: transparent;
    cursor: pointer;
    box-shadow: 0 0 0 1px rgb(0 0 0 / 0.5);
  }
  .face[aria-pressed='true'] {
    border-color: var(--faceswap-face-box-selected-color, var(--_success));
    border-width: 3px;
    background: color-mix(in srgb, var(--faceswap-face-box-selected-color, var(--_success)) 15%, transparent);
  }
  .face-label {
    position: absolute;
    inset-block-start: -1.5rem;
    inset-inline-start: -2px;
    padding: 0.15rem 0.4rem;
    border-radius: 4px;
    background: var(--faceswap-face-box-color, #ffd43b);
    color: #111;
    font-size: 0.75rem;
    line-height: 1.2;
    white-space: nowrap;
  }
  .face[aria-pressed='true'] .face-label {
    background: var(--faceswap-face-box-selected-color, var(--_success));
  }
  .message {
    display: flex;
    align-items: center;
    gap: 0.5rem;
    min-height: 1.5rem;
    margin: 0;
    color: var(--_muted);
    font-size: 0.95rem;
  }
  :host([status='error']) .message {
    color: var(--_danger);
    font-weight: 600;
  }
  .message .spinner {
    width: 1rem;
    height: 1rem;
    border-width: 2px;
  }
  .consent {
    display: flex;
    align-items: flex-start;
    gap: 0.5rem;
    font-size: 0.95rem;
    line-height: 1.4;
    cursor: pointer;
  }
  .consent input {
    flex: none;
    width: 1.1rem;
    height: 1.1rem;
    margin: 0.15rem 0 0;
    accent-color: var(--_accent);
  }
  .camera {
    display: flex;
    flex-direction: column;
    align-items: center;
    gap: var(--_gap);
  }
  .camera video {
    width: 100%;
    max-width: 24rem;
    border-radius: var(--_radius);
    background: #000;
    transform: scaleX(-1);
  }
  .camera-actions {
    display: flex;
    gap: var(--_gap);
  }
`;
