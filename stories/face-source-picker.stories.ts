import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { getStorybookHelpers } from '@wc-toolkit/storybook-helpers';
import { html } from 'lit';
import { expect, userEvent } from 'storybook/test';
import type { FaceSourcePicker } from '../src/components/face-source-picker/face-source-picker.js';
import { expectState, expectStatus, part, pressStartStop } from './assertions.js';
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
          "Storybook has no server, so `story-api/detect` is answered inside the page by the in-browser engine's face " +
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
  play: async ({ canvasElement }) => {
    const picker = canvasElement.querySelector('face-source-picker')!;
    await expectStatus(picker, 'empty');
    await expect(thumbnails(picker)).toHaveLength(sampleFaces.length);
  },
};

/** The visitor clicks a gallery face: it is detected, boxed, and sent on as the session's source. */
export const Selected: Story = {
  render: () => {
    installPageDetect();
    return html`<face-source-picker token-endpoint=${STORY_ENDPOINT}>${gallery()}</face-source-picker>`;
  },
  play: async ({ canvasElement }) => {
    const picker = canvasElement.querySelector('face-source-picker')!;
    await userEvent.click(thumbnails(picker)[0]);
    await expectStatus(picker, 'selected');
    await expect(picker.shadowRoot!.querySelectorAll('[part~="face"]')).toHaveLength(1);
    await expect(picker.value?.opts, 'the landmarks sent on').toMatch(/^[\d.]+,[\d.]+(:[\d.]+,[\d.]+){3}$/);
  },
};

/** A photo with several faces: the visitor picks one of the boxes. */
export const ChoosingAmongSeveral: Story = {
  render: () => {
    installPageDetect();
    return html`<face-source-picker token-endpoint=${STORY_ENDPOINT}></face-source-picker>`;
  },
  play: async ({ canvasElement }) => {
    const photos = await Promise.all(sampleFaces.map((face) => loadImage(face.src)));
    const canvas = document.createElement('canvas');
    canvas.width = photos.reduce((width, photo) => width + photo.naturalWidth, 0);
    canvas.height = Math.max(...photos.map((photo) => photo.naturalHeight));
    const context = canvas.getContext('2d')!;
    photos.reduce((x, photo) => (context.drawImage(photo, x, 0), x + photo.naturalWidth), 0);
    const group = await new Promise<Blob>((resolve) => canvas.toBlob((blob) => resolve(blob!), 'image/jpeg', 0.9));
    const picker = canvasElement.querySelector('face-source-picker')!;
    void picker.chooseFile(new File([group], 'group.jpg', { type: 'image/jpeg' }));
    await expectStatus(picker, 'choosing');
    await expect(picker.shadowRoot!.querySelectorAll('[part~="face"]')).toHaveLength(sampleFaces.length);
    await expect(picker.value, 'nothing is sent on before the visitor picks').toBeNull();
  },
};

/** A photo without a face is explained, not sent on. */
export const ErrorNoFace: Story = {
  render: () => {
    installPageDetect();
    return html`<face-source-picker token-endpoint=${STORY_ENDPOINT}></face-source-picker>`;
  },
  play: async ({ canvasElement }) => {
    const picker = canvasElement.querySelector('face-source-picker')!;
    void picker.chooseFile(await facelessFile('landscape.png'));
    await expectPickerError(picker);
  },
};

function loadImage(src: string): Promise<HTMLImageElement> {
  const image = new Image();
  image.src = src;
  return image.decode().then(() => image);
}

/** The gallery from the `sources` property instead of slotted images. */
export const SourcesProperty: Story = {
  render: () => html`<face-source-picker .sources=${sampleFaces.map((face) => ({ src: face.src, label: face.label }))}></face-source-picker>`,
  play: async ({ canvasElement }) => {
    const picker = canvasElement.querySelector('face-source-picker')!;
    await expectStatus(picker, 'empty');
    await expect(thumbnails(picker)).toHaveLength(sampleFaces.length);
    await expect(thumbnails(picker)[1]).toHaveAccessibleName(expect.stringContaining(sampleFaces[1].label));
  },
};

/**
 * A face the visitor uploads needs their confirmation that they may use it (`consent="uploads"`, the
 * default). Unconfirmed, Start ends in the fatal `consent-required` before the camera opens; once the box is
 * ticked the same face starts.
 */
export const ConsentForAnUpload: Story = {
  render: () => {
    installPageDetect();
    return html`<faceswap-session .platform=${fakePlatform({ remote: 'echo' })} .tokenProvider=${pageGrant('akool')}>
      <div class="story-row">
        <face-source-picker token-endpoint=${STORY_ENDPOINT}>${gallery()}</face-source-picker>
        <faceswap-player></faceswap-player>
      </div>
    </faceswap-session>`;
  },
  play: async ({ canvasElement, step }) => {
    const session = canvasElement.querySelector('faceswap-session')!;
    const picker = canvasElement.querySelector('face-source-picker')!;
    const photo = await (await fetch(sampleFaces[0].src)).blob();
    await step('Uploaded: the confirmation is asked for', async () => {
      void picker.chooseFile(new File([photo], 'portrait.jpg', { type: 'image/jpeg' }));
      await expectStatus(picker, 'selected');
      await expect(part(picker, 'consent'), 'the confirmation').toBeVisible();
      await expect(part<HTMLInputElement>(picker, 'consent-checkbox')?.checked).toBe(false);
      await expect(picker.value?.consent).toBe('pending');
    });
    await step('Not confirmed: the session refuses to start', async () => {
      await pressStartStop(session);
      await expectState(session, 'error');
      await expect(session.details.error?.code).toBe('consent-required');
      await expect(session.details.localStream, 'no camera opened').toBeNull();
    });
    await step('Confirmed: the same face starts', async () => {
      await userEvent.click(part(picker, 'consent-checkbox')!);
      await expect(picker.value?.consent).toBe('confirmed');
      await pressStartStop(session);
      await expectState(session, 'live');
    });
  },
};

/** A file that is not a JPEG, PNG or WebP photo is refused before any upload. */
export const ErrorWrongFileType: Story = {
  render: () => html`<face-source-picker token-endpoint="/api/faceswap">${gallery()}</face-source-picker>`,
  play: async ({ canvasElement }) => {
    const picker = canvasElement.querySelector('face-source-picker')!;
    void picker.chooseFile(new File(['just some notes'], 'notes.txt', { type: 'text/plain' }));
    await expectPickerError(picker);
  },
};

/** A photo over `max-bytes` is refused before any upload. */
export const ErrorTooLarge: Story = {
  render: () => html`<face-source-picker token-endpoint="/api/faceswap" max-bytes="4096">${gallery()}</face-source-picker>`,
  play: async ({ canvasElement }) => {
    const picker = canvasElement.querySelector('face-source-picker')!;
    const photo = await (await fetch(sampleFaces[0].src)).blob();
    void picker.chooseFile(new File([photo], 'portrait.jpg', { type: 'image/jpeg' }));
    await expectPickerError(picker);
  },
};

/** No token endpoint anywhere (not on the picker, not on a session around it): the picker says so. */
export const ErrorNoEndpoint: Story = {
  render: () => html`<face-source-picker>${gallery()}</face-source-picker>`,
  play: async ({ canvasElement }) => {
    const picker = canvasElement.querySelector('face-source-picker')!;
    await userEvent.click(thumbnails(picker)[0]);
    await expectPickerError(picker);
  },
};

/** Inside a live session the picker follows its state (reflected as `state`) and changes the face without a reconnect. */
export const InsideASession: Story = {
  render: () => html`<faceswap-session
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
    const session = canvasElement.querySelector('faceswap-session')!;
    await pressStartStop(session);
    await expectState(session, 'live');
    await expect(canvasElement.querySelector('face-source-picker')).toHaveAttribute('state', 'live');
  },
};

function thumbnails(picker: FaceSourcePicker): HTMLButtonElement[] {
  return [...picker.shadowRoot!.querySelectorAll<HTMLButtonElement>('[part~="thumbnail"]')];
}

/** The picker refuses and says why (its message), and nothing is sent on. */
async function expectPickerError(picker: FaceSourcePicker): Promise<void> {
  await expectStatus(picker, 'error');
  await expect(part(picker, 'message')?.textContent?.trim(), 'the error message').toBeTruthy();
  await expect(picker.value).toBeNull();
}
