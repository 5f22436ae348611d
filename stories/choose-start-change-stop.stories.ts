import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { expect, userEvent } from 'storybook/test';
import { expectOverlay, expectState, expectStatus, part, pressStartStop, recordStates } from './assertions.js';
import { installPageDetect, STORY_ENDPOINT } from './page-detect.js';
import { fakePlatform, pageGrant, sampleFaces } from './support.js';

const meta: Meta = {
  title: 'Flows/Choose, start, change, stop',
  parameters: {
    docs: {
      description: {
        component:
          'What a visitor does on a page with the three elements, played step by step by the story (open the ' +
          'Interactions panel to follow it). The picker detects faces in the page; the session runs over FakeTransport, ' +
          'which plays the camera back as the swapped video.',
      },
    },
  },
};
export default meta;

const thumbnail = (picker: Element, index: number) => picker.shadowRoot!.querySelectorAll<HTMLElement>('[part~="thumbnail"]')[index];

/** Choose a face, press Start, go live, change the face while live (no reconnect), press Stop. */
export const ChooseStartChangeStop: StoryObj = {
  render: () => {
    installPageDetect();
    return html`<faceswap-session token-endpoint=${STORY_ENDPOINT} .platform=${fakePlatform({ remote: 'echo' })} .tokenProvider=${pageGrant('akool')}>
      <div class="story-row">
        <face-source-picker>${sampleFaces.map((face) => html`<img src=${face.src} alt=${face.label} />`)}</face-source-picker>
        <faceswap-player preview></faceswap-player>
      </div>
    </faceswap-session>`;
  },
  play: async ({ canvasElement, step }) => {
    const session = canvasElement.querySelector('faceswap-session')!;
    const picker = canvasElement.querySelector('face-source-picker')!;
    const player = canvasElement.querySelector('faceswap-player')!;

    await step('Nothing to start without a face', async () => {
      await expectState(session, 'idle');
      await expect(part(session, 'start-button')).toBeDisabled();
    });
    await step('Choose a face', async () => {
      await userEvent.click(thumbnail(picker, 0));
      await expectStatus(picker, 'selected');
      await expect(session.source?.opts).toBe(picker.value?.opts);
    });
    await step('Start and go live', async () => {
      await pressStartStop(session);
      await expectState(session, 'live');
      await expectOverlay(player, 'none');
    });
    await step('Change the face while live', async () => {
      const first = session.source;
      const states = recordStates(session);
      await userEvent.click(thumbnail(picker, 1));
      await expectStatus(picker, 'selected');
      await expect(session.source).not.toEqual(first);
      await expect(states, 'no reconnect for a new face').toEqual([]);
    });
    await step('Stop', async () => {
      await pressStartStop(session);
      await expectState(session, 'ended');
      await expectOverlay(player, 'ended');
    });
  },
};
