import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { getStorybookHelpers } from '@wc-toolkit/storybook-helpers';
import { html } from 'lit';
import type { FaceSourcePicker } from '../src/components/face-source-picker/face-source-picker.js';
import { fakePlatform, pageGrant, sampleFaces } from './support.js';

const { args, argTypes, template } = getStorybookHelpers<FaceSourcePicker>('face-source-picker');

const meta: Meta<FaceSourcePicker> = {
  title: 'Elements/face-source-picker',
  component: 'face-source-picker',
  args,
  argTypes,
  parameters: {
    docs: {
      description: {
        component:
          'Choose the face to swap in. Detection runs on the token endpoint (`POST {token-endpoint}/detect`); the static ' +
          'Storybook has none, so these stories show the picker before detection and the checks it makes in the browser. ' +
          '`npm start` runs the whole flow with the bundled AKOOL emulator.',
      },
    },
  },
};
export default meta;

type Story = StoryObj<FaceSourcePicker>;

const gallery = () => sampleFaces.map((face) => html`<img src=${face.src} alt=${face.label} />`);

/** A gallery of slotted `<img>` elements (their `alt` is the label), plus upload, drop, paste and camera. */
export const Default: Story = {
  render: (storyArgs) => template(storyArgs, html`${gallery()}`),
};

/** The gallery from the `sources` property instead of slotted images. */
export const SourcesProperty: Story = {
  render: () => html`<face-source-picker data-expect-status="empty" .sources=${sampleFaces.map((face) => ({ src: face.src, label: face.label }))}></face-source-picker>`,
};

/** A file that is not a JPEG, PNG or WebP photo is refused before any upload. */
export const ErrorWrongFileType: Story = {
  render: () => html`<face-source-picker data-expect-status="error" token-endpoint="/api/faceswap">${gallery()}</face-source-picker>`,
  play: async ({ canvasElement }) => {
    const picker = canvasElement.querySelector('face-source-picker')!;
    void picker.chooseFile(new File(['just some notes'], 'notes.txt', { type: 'text/plain' }));
  },
};

/** A photo over `max-bytes` is refused before any upload. */
export const ErrorTooLarge: Story = {
  render: () => html`<face-source-picker data-expect-status="error" token-endpoint="/api/faceswap" max-bytes="4096">${gallery()}</face-source-picker>`,
  play: async ({ canvasElement }) => {
    const picker = canvasElement.querySelector('face-source-picker')!;
    const photo = await (await fetch(sampleFaces[0].src)).blob();
    void picker.chooseFile(new File([photo], 'portrait.jpg', { type: 'image/jpeg' }));
  },
};

/** No token endpoint anywhere (not on the picker, not on a session around it): the picker says so. */
export const ErrorNoEndpoint: Story = {
  render: () => html`<face-source-picker data-expect-status="error">${gallery()}</face-source-picker>`,
  play: async ({ canvasElement }) => {
    void canvasElement.querySelector('face-source-picker')!.chooseUrl(sampleFaces[0].src);
  },
};

/** Inside a live session the picker follows its state (reflected as `state`) and changes the face without a reconnect. */
export const InsideASession: Story = {
  render: () => html`<faceswap-session
    data-expect-state="live"
    .platform=${fakePlatform({ remote: 'echo' })}
    .tokenProvider=${pageGrant('akool')}
    .source=${sampleFaces[0].source()}
  >
    <div class="story-row">
      <face-source-picker>${gallery()}</face-source-picker>
      <faceswap-player></faceswap-player>
    </div>
  </faceswap-session>`,
  play: async ({ canvasElement }) => {
    void canvasElement.querySelector('faceswap-session')!.start();
  },
};
