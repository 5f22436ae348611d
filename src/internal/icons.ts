import { svg } from 'lit';

/** Small stroke icons (Feather-style paths), decorative: every control carries its own text label. */
const icon = (paths: ReturnType<typeof svg>) => svg`<svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">${paths}</svg>`;

export const icons = {
  play: icon(svg`<polygon points="6 4 20 12 6 20 6 4"></polygon>`),
  stop: icon(svg`<rect x="6" y="6" width="12" height="12" rx="1"></rect>`),
  mic: icon(svg`<rect x="9" y="2" width="6" height="12" rx="3"></rect><path d="M19 10a7 7 0 0 1-14 0M12 17v5M8 22h8"></path>`),
  micOff: icon(
    svg`<path d="M2 2l20 20M9 9v1a3 3 0 0 0 5.1 2.1M15 9.3V5a3 3 0 0 0-5.9-.7M17 16.9A7 7 0 0 1 5 10M19 10a7 7 0 0 1-.1 1.2M12 17v5M8 22h8"></path>`,
  ),
  switchCamera: icon(
    svg`<path d="M20 7h-3l-2-3H9L7 7H4a2 2 0 0 0-2 2v9a2 2 0 0 0 2 2h16a2 2 0 0 0 2-2V9a2 2 0 0 0-2-2z"></path><path d="M9 13a3 3 0 0 1 5-2.2M15 13a3 3 0 0 1-5 2.2M14 8.8v2h-2M10 17.2v-2h2"></path>`,
  ),
  fullscreen: icon(svg`<path d="M8 3H5a2 2 0 0 0-2 2v3M21 8V5a2 2 0 0 0-2-2h-3M3 16v3a2 2 0 0 0 2 2h3M16 21h3a2 2 0 0 0 2-2v-3"></path>`),
  exitFullscreen: icon(svg`<path d="M8 3v3a2 2 0 0 1-2 2H3M21 8h-3a2 2 0 0 1-2-2V3M3 16h3a2 2 0 0 1 2 2v3M16 21v-3a2 2 0 0 1 2-2h3"></path>`),
  camera: icon(svg`<path d="M23 19a2 2 0 0 1-2 2H3a2 2 0 0 1-2-2V8a2 2 0 0 1 2-2h4l2-3h6l2 3h4a2 2 0 0 1 2 2z"></path><circle cx="12" cy="13" r="4"></circle>`),
  record: icon(svg`<circle cx="12" cy="12" r="7"></circle>`),
  upload: icon(svg`<path d="M21 15v4a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2v-4M17 8l-5-5-5 5M12 3v12"></path>`),
  retry: icon(svg`<path d="M1 4v6h6M3.5 15a9 9 0 1 0 2.1-9.4L1 10"></path>`),
  alert: icon(svg`<circle cx="12" cy="12" r="10"></circle><path d="M12 8v4M12 16h.01"></path>`),
};
