import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { localEnginePlatform, pageGrant, sampleFaces } from './support.js';

const meta: Meta = {
  title: 'Flows/Full flow (local engine)',
  parameters: {
    docs: {
      description: {
        component:
          'The three elements together on the in-browser engine: camera in, face mesh and warp in a worker and WebGL, ' +
          'swapped video out. No server: the grant is made in the page and the source face is given directly ' +
          '(what `/detect` answers for the sample photo). Allow the camera when the browser asks.',
      },
    },
  },
};
export default meta;

/** Starts on its own with the first sample face; the player shows the swapped camera with a preview. */
export const LocalEngine: StoryObj = {
  render: () => html`<faceswap-session
    engine="local"
    auto-start
    data-expect-state="live"
    .platform=${localEnginePlatform()}
    .tokenProvider=${pageGrant('local')}
    .source=${sampleFaces[0].source()}
  >
    <div class="story-row">
      <faceswap-player preview stats></faceswap-player>
      <face-source-picker .sources=${sampleFaces.map((face) => ({ src: face.src, label: face.label }))}></face-source-picker>
    </div>
  </faceswap-session>`,
};
