import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { expect, userEvent } from 'storybook/test';
import { installPageDetect, STORY_ENDPOINT } from './page-detect.js';
import { expectOverlay, expectState, expectStatus, pressStartStop, recordStates } from './assertions.js';
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

/** A photo of `source` turned by `degrees` (clockwise), as a PNG URL in the page. */
async function tiltedPhoto(source: string, degrees: number): Promise<string> {
  const image = new Image();
  image.src = source;
  await image.decode();
  const canvas = document.createElement('canvas');
  canvas.width = image.naturalWidth;
  canvas.height = image.naturalHeight;
  const context = canvas.getContext('2d')!;
  context.fillStyle = '#808080';
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.translate(canvas.width / 2, canvas.height / 2);
  context.rotate((degrees * Math.PI) / 180);
  context.drawImage(image, -canvas.width / 2, -canvas.height / 2);
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
  return URL.createObjectURL(blob!);
}

/** The eye line of a source's landmarks (AKOOL's `opts`: left eye, right eye, nose, mouth), in degrees. */
function eyeLineDegrees(opts: string): number {
  const [[x1, y1], [x2, y2]] = opts.split(':').map((point) => point.split(',').map(Number));
  return (Math.atan2(y2! - y1!, x2! - x1!) * 180) / Math.PI;
}

const TILT_DEGREES = 25;

/**
 * A source photo with the head tilted (the first sample face turned by 25°): the picker detects it, the
 * local engine aligns the tilted face to the camera's, and the swap goes live.
 */
export const TiltedSourceFace: StoryObj = {
  loaders: [async () => ({ tilted: await tiltedPhoto(sampleFaces[0].src, TILT_DEGREES) })],
  render: (_args, { loaded }) => {
    installPageDetect();
    return html`<faceswap-session engine="local" .platform=${localEnginePlatform()} .tokenProvider=${pageGrant('local')}>
      <div class="story-row">
        <faceswap-player preview></faceswap-player>
        <face-source-picker token-endpoint=${STORY_ENDPOINT} consent="none">
          <img src=${(loaded as { tilted: string }).tilted} alt="${sampleFaces[0].label}, tilted" />
        </face-source-picker>
      </div>
    </faceswap-session>`;
  },
  play: async ({ canvasElement }) => {
    const session = canvasElement.querySelector('faceswap-session')!;
    const picker = canvasElement.querySelector('face-source-picker')!;
    await userEvent.click(picker.shadowRoot!.querySelector<HTMLElement>('[part~="thumbnail"]')!);
    await expectStatus(picker, 'selected');
    const tilt = eyeLineDegrees(picker.value!.opts) - eyeLineDegrees(sampleFaces[0].opts);
    // The detector's eye corners follow most of the turn (about 18° of 25° here): clearly a tilted face.
    await expect(tilt, `the detected eye line is turned by ${tilt.toFixed(1)}°`).toBeGreaterThan(TILT_DEGREES / 2);
    await expect(session.source?.opts).toBe(picker.value!.opts);
    await pressStartStop(session);
    await expectState(session, 'live');
    await expectOverlay(canvasElement.querySelector('faceswap-player')!, 'none');
  },
};
