// Negative controls of the story test: stories that look like the real ones but whose play functions are
// broken on purpose. Only in the test's own build (FACESWAP_STORYBOOK_SELF_TEST=1, see .storybook/main.ts);
// test/node/storybook-render.test.ts requires each of them to be reported as failing.
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { expectOverlay, expectState, pressStartStop } from '../../stories/assertions.js';
import { fakePlatform, pageGrant, sampleFaces } from '../../stories/support.js';

const meta: Meta = { title: 'Self-test/Broken play functions' };
export default meta;

const session = (transport: Parameters<typeof fakePlatform>[0]) => html`<faceswap-session
  .platform=${fakePlatform(transport)}
  .tokenProvider=${pageGrant('akool')}
  .source=${sampleFaces[0].source()}
>
  <faceswap-player></faceswap-player>
</faceswap-session>`;

/** The join never completes, so the session stops at `connecting` while the play function waits for `live`. */
export const StopsShortOfItsState: StoryObj = {
  render: () => session({ joinHangs: true, joinTimeoutMs: 3_600_000 }),
  play: async ({ canvasElement }) => {
    const element = canvasElement.querySelector('faceswap-session')!;
    await pressStartStop(element);
    await expectState(element, 'live', 3_000);
  },
};

/** Goes live, then claims the player shows the error overlay. */
export const ClaimsTheWrongOverlay: StoryObj = {
  render: () => session({ remote: 'echo' }),
  play: async ({ canvasElement }) => {
    const element = canvasElement.querySelector('faceswap-session')!;
    await pressStartStop(element);
    await expectState(element, 'live');
    await expectOverlay(canvasElement.querySelector('faceswap-player')!, 'error', 3_000);
  },
};
