import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { expect, userEvent } from 'storybook/test';
import { installPageDetect, STORY_ENDPOINT } from './page-detect.js';
import { expectOverlay, expectState, expectStatus, recordStates } from './assertions.js';
import { localEnginePlatform, pageGrant, sampleFaces } from './support.js';

const meta: Meta = {
  title: 'Flows/Full flow (local engine)',
  parameters: {
    docs: {
      description: {
        component:
          'The three elements together on the in-browser engine: camera in, face mesh and warp in a worker and WebGL, ' +
          'swapped video out. No server: the grant is made in the page, the first face is given directly (what ' +
          '`/detect` answers for the sample photo), and the picker detects other photos in the page. Pick another ' +
          'face, or upload one, to change it live. Allow the camera when the browser asks.',
      },
    },
  },
};
export default meta;

/** Starts on its own with the first sample face; the player shows the swapped camera with a preview. */
export const LocalEngine: StoryObj = {
  render: () => {
    installPageDetect();
    return html`<faceswap-session
      engine="local"
      auto-start
      .platform=${localEnginePlatform()}
      .tokenProvider=${pageGrant('local')}
      .source=${sampleFaces[0].source()}
    >
      <div class="story-row">
        <faceswap-player preview stats></faceswap-player>
        <face-source-picker token-endpoint=${STORY_ENDPOINT} .sources=${sampleFaces.map((face) => ({ src: face.src, label: face.label }))}></face-source-picker>
      </div>
    </faceswap-session>`;
  },
  play: async ({ canvasElement }) => {
    await expectState(canvasElement.querySelector('faceswap-session')!, 'live');
    await expectOverlay(canvasElement.querySelector('faceswap-player')!, 'none');
  },
};

/** Live on the first face, then the visitor picks the second one: the swap changes without a reconnect. */
export const ChangeFaceWhileLive: StoryObj = {
  render: () => {
    installPageDetect();
    return html`<faceswap-session
      engine="local"
      auto-start
      .platform=${localEnginePlatform()}
      .tokenProvider=${pageGrant('local')}
      .source=${sampleFaces[0].source()}
    >
      <div class="story-row">
        <faceswap-player preview></faceswap-player>
        <face-source-picker token-endpoint=${STORY_ENDPOINT}>
          ${sampleFaces.map((face) => html`<img src=${face.src} alt=${face.label} />`)}
        </face-source-picker>
      </div>
    </faceswap-session>`;
  },
  play: async ({ canvasElement }) => {
    const session = canvasElement.querySelector('faceswap-session')!;
    const picker = canvasElement.querySelector('face-source-picker')!;
    await expectState(session, 'live');
    const first = session.source;
    const states = recordStates(session);
    await userEvent.click(picker.shadowRoot!.querySelectorAll<HTMLElement>('[part~="thumbnail"]')[1]);
    await expectStatus(picker, 'selected');
    await expect(session.source, 'the session took the new face').not.toEqual(first);
    await expect(session.source?.opts).toBe(picker.value?.opts);
    await expect(states, 'no reconnect for a new face').toEqual([]);
  },
};
