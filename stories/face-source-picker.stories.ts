import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { getStorybookHelpers } from '@wc-toolkit/storybook-helpers';
import { html } from 'lit';
import type { FaceSourcePicker } from '../src/components/face-source-picker/face-source-picker.js';
import { installPageDetect, STORY_ENDPOINT } from './page-detect.js';
import { fakePlatform, pageGrant, sampleFaces } from './support.js';
import { facelessFile } from '../test/support/faceless.js';

const { args, argTypes, template } = getStorybookHelpers<FaceSourcePicker>('face-source-picker');

const meta: Meta<FaceSourcePicker> = {
  title: 'Elements/face-source-picker',
  component: 'face-source-picker',
  tags: ['autodocs'],
  args,
  argTypes,
  parameters: {
    usage: `<face-source-picker token-endpoint="/api/faceswap" max-bytes="8000000">
  <img src="/faces/ada.jpg" alt="Ada" />
  <img src="/faces/ben.jpg" alt="Ben" />
</face-source-picker>`,
    docs: {
      description: {
        component:
          'Detection runs on the token endpoint (`POST {token-endpoint}/detect`). The static ' +
          'Storybook has no server, so `story-api/detect` is answered inside the page by the in-browser engine\'s face ' +
          'detector; `npm start` runs the real endpoint over the bundled AKOOL emulator.',
      },
    },
  },
};
export default meta;

type Story = StoryObj<FaceSourcePicker>;

const gallery = () => sampleFaces.map((face) => html`<img src=${face.src} alt=${face.label} />`);

/** A gallery of slotted `<img>` elements (their `alt` is the label), plus upload, drop, paste and camera. */
export const Default: Story = {
  args: { 'token-endpoint': STORY_ENDPOINT } as Partial<FaceSourcePicker>,
  render: (storyArgs) => {
    installPageDetect();
    return template(storyArgs, html`${gallery()}`);
  },
};

/** A gallery face was chosen: detected, boxed, and sent as `face-source-change`. */
export const Selected: Story = {
  render: () => {
    installPageDetect();
    return html`<face-source-picker data-expect-status="selected" token-endpoint=${STORY_ENDPOINT}>${gallery()}</face-source-picker>`;
  },
  play: async ({ canvasElement }) => {
    void canvasElement.querySelector('face-source-picker')!.chooseUrl(sampleFaces[0].src);
  },
};

/** A photo with several faces: the visitor picks one of the boxes. */
export const ChoosingAmongSeveral: Story = {
  render: () => {
    installPageDetect();
    return html`<face-source-picker data-expect-status="choosing" token-endpoint=${STORY_ENDPOINT}></face-source-picker>`;
  },
  play: async ({ canvasElement }) => {
    const photos = await Promise.all(sampleFaces.map((face) => loadImage(face.src)));
    const canvas = document.createElement('canvas');
    canvas.width = photos.reduce((width, photo) => width + photo.naturalWidth, 0);
    canvas.height = Math.max(...photos.map((photo) => photo.naturalHeight));
    const context = canvas.getContext('2d')!;
    photos.reduce((x, photo) => (context.drawImage(photo, x, 0), x + photo.naturalWidth), 0);
    const group = await new Promise<Blob>((resolve) => canvas.toBlob((blob) => resolve(blob!), 'image/jpeg', 0.9));
    void canvasElement.querySelector('face-source-picker')!.chooseFile(new File([group], 'group.jpg', { type: 'image/jpeg' }));
  },
};

/** A photo without a face is explained, not sent on. */
export const ErrorNoFace: Story = {
  render: () => {
    installPageDetect();
    return html`<face-source-picker data-expect-status="error" token-endpoint=${STORY_ENDPOINT}></face-source-picker>`;
  },
  play: async ({ canvasElement }) => {
    void canvasElement.querySelector('face-source-picker')!.chooseFile(await facelessFile('landscape.png'));
  },
};

function loadImage(src: string): Promise<HTMLImageElement> {
  const image = new Image();
  image.src = src;
  return image.decode().then(() => image);
}

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
