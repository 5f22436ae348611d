import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { expect } from 'storybook/test';
import { expectState, part, pressStartStop } from './assertions.js';
import { fakePlatform, pageGrant, sampleFaces } from './support.js';

const meta: Meta = {
  title: 'Guides/Styling and language (faceswap-session)',
  parameters: {
    docs: {
      description: {
        component:
          'What a CMS author can change without code: `--faceswap-*` custom properties, `::part()` rules, the ' +
          'reflected `state` attribute, `lang` (with right-to-left layout for Arabic) and the `strings` property.',
      },
    },
  },
};
export default meta;

const live = (content: ReturnType<typeof html>) => html`<faceswap-session
  .platform=${fakePlatform({ remote: 'echo' })}
  .tokenProvider=${pageGrant('akool')}
  .source=${sampleFaces[0].source()}
>
  ${content}
</faceswap-session>`;

/** Starts the session with its Start button and checks it goes live. */
const start = async ({ canvasElement }: { canvasElement: HTMLElement }) => {
  const session = canvasElement.querySelector('faceswap-session')!;
  await pressStartStop(session);
  await expectState(session, 'live');
};

/** Custom properties, parts and a state selector, all from the page's own stylesheet. */
export const CustomPropertiesAndParts: StoryObj = {
  render: () => html`<style>
      .branded faceswap-session {
        --faceswap-accent: #0f766e;
        --faceswap-radius: 4px;
        --faceswap-font: Georgia, serif;
        --faceswap-player-aspect-ratio: 16 / 9;
      }
      .branded faceswap-session::part(start-button) {
        text-transform: uppercase;
        letter-spacing: 0.06em;
      }
      .branded faceswap-player::part(video) {
        filter: saturate(1.2);
      }
      .branded faceswap-session[state='live'] {
        outline: 3px solid #0f766e;
        outline-offset: 4px;
      }
    </style>
    <div class="branded">${live(html`<faceswap-player></faceswap-player>`)}</div>`,
  play: start,
};

/** `lang="ar"`: Arabic strings and a right-to-left layout, from the attribute alone. */
export const ArabicRightToLeft: StoryObj = {
  render: () => html`<div lang="ar">${live(html`<faceswap-player preview></faceswap-player>`)}</div>`,
  play: async (context) => {
    await start(context);
    const base = part(context.canvasElement.querySelector('faceswap-session')!, 'base');
    await expect(base).toHaveAttribute('dir', 'rtl');
    await expect(base).toHaveAttribute('lang', 'ar');
  },
};

/** The `strings` property overrides single strings over the language's table (here Spanish). */
export const SpanishWithOverrides: StoryObj = {
  render: () => html`<div lang="es">
    <faceswap-session
      .strings=${{ stop: 'Terminar la demo', stateLive: 'En directo' }}
      .platform=${fakePlatform({ remote: 'echo' })}
      .tokenProvider=${pageGrant('akool')}
      .source=${sampleFaces[0].source()}
    >
      <faceswap-player></faceswap-player>
    </faceswap-session>
  </div>`,
  play: async (context) => {
    await start(context);
    const session = context.canvasElement.querySelector('faceswap-session')!;
    await expect(part(session, 'start-button')).toHaveTextContent('Terminar la demo');
    await expect(part(session, 'status')).toHaveTextContent('En directo');
  },
};
