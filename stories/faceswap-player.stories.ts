import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { getStorybookHelpers } from '@wc-toolkit/storybook-helpers';
import { html, type TemplateResult } from 'lit';
import { expect, userEvent } from 'storybook/test';
import type { FaceswapPlayer } from '../src/components/faceswap-player/faceswap-player.js';
import type { FaceswapSession } from '../src/components/faceswap-session/faceswap-session.js';
import type { FakeTransport, FakeTransportOptions } from '../src/rtc/fake-transport.js';
import { FaceswapError } from '../src/core/errors.js';
import { translationFor } from '../src/i18n/registry.js';
import type { SessionState } from '../src/core/protocol.js';
import { expectOverlay, expectRetry, expectState, part, pressStartStop } from './assertions.js';
import { fakePlatform, pageGrant, sampleFaces, withTimeouts } from './support.js';

const { args, argTypes, template } = getStorybookHelpers<FaceswapPlayer>('faceswap-player');

const meta: Meta<FaceswapPlayer> = {
  title: 'Elements/faceswap-player',
  component: 'faceswap-player',
  tags: ['autodocs'],
  args,
  argTypes,
  parameters: {
    usage: `<faceswap-session id="swap" token-endpoint="/api/faceswap">
  <faceswap-player preview></faceswap-player>
</faceswap-session>

<!-- or anywhere else on the page, attached by id -->
<faceswap-player session="swap" fit="contain" mirror="off" stats></faceswap-player>`,
    docs: { description: { component: 'Each story runs a session over FakeTransport (no network) and shows the overlay of one state.' } },
  },
};
export default meta;

type Story = StoryObj<FaceswapPlayer>;

interface PlayerSetup {
  transport: FakeTransportOptions;
  /** The overlay the player must show (checked by the play function); `none` for plain video. */
  overlay?: string;
  state?: SessionState;
  timeouts?: { swapTimeoutMs?: number };
  /** Scripted events once the session runs; replayed after a retry. */
  then?: (session: FaceswapSession, transport: () => FakeTransport | null) => Promise<void> | void;
  /** What the visitor does with the overlay once it shows. */
  interact?: (player: FaceswapPlayer) => Promise<void>;
  player?: () => TemplateResult;
}

/**
 * A player inside a session started by the story over a scripted FakeTransport; the play function checks the
 * session state and the overlay, and retries an error or the end from the overlay (see `expectRetry`).
 */
function playerStory(setup: PlayerSetup): Story {
  let transport: FakeTransport | null = null;
  return {
    render: (storyArgs) => html`<faceswap-session
      no-controls
      .platform=${fakePlatform(setup.transport, (t) => (transport = t))}
      .tokenProvider=${pageGrant('akool')}
      .source=${sampleFaces[0].source()}
    >
      ${setup.player ? setup.player() : template(storyArgs)}
    </faceswap-session>`,
    play: async ({ canvasElement }) => {
      const session = canvasElement.querySelector('faceswap-session')!;
      const player = canvasElement.querySelector('faceswap-player')!;
      if (setup.timeouts) withTimeouts(session, setup.timeouts);
      void session.start();
      const then = () => setup.then?.(session, () => transport);
      await then();
      await expectState(session, setup.state ?? 'live');
      await expectOverlay(player, setup.overlay ?? 'none');
      if (session.state === 'error' || session.state === 'ended') await expectRetry(session, player, then);
      await setup.interact?.(player);
    },
  };
}

/** Live video with the controls from the manifest (fit, mirror, preview, stats, no-controls ...). */
export const Default = playerStory({ transport: { remote: 'echo' } });

/** Picture-in-picture preview of the visitor's own camera, letterboxed video, statistics overlay. */
export const PreviewContainStats = playerStory({
  transport: { remote: 'echo' },
  player: () => html`<faceswap-player preview stats fit="contain"></faceswap-player>`,
});

/** Never mirrored (the default mirrors the front camera only). */
export const MirrorOff = playerStory({
  transport: { remote: 'echo' },
  player: () => html`<faceswap-player mirror="off"></faceswap-player>`,
});

/** Joined; the overlay counts the seconds until the first swapped frame. */
export const WaitingForSwap = playerStory({ transport: { remote: 'none' }, state: 'waiting', overlay: 'waiting', timeouts: { swapTimeoutMs: 3_600_000 } });

/** Reconnecting: the last frame stays, under a banner. */
export const Reconnecting = playerStory({
  transport: { remote: 'echo' },
  state: 'reconnecting',
  overlay: 'reconnecting',
  then: async (session, transport) => {
    await expectState(session, 'live');
    transport()?.emitConnection('reconnecting');
  },
});

/** The browser blocked playback until a user gesture: "tap to start". */
export const AutoplayBlocked = playerStory({
  transport: { remote: 'echo' },
  overlay: 'autoplay-blocked',
  then: async (session, transport) => {
    await expectState(session, 'live');
    transport()?.emitAutoplayFailed();
  },
  // The visitor's tap is the gesture the browser waited for: the video plays and the overlay goes.
  interact: async (player) => {
    const button = part<HTMLButtonElement>(player, 'play-button');
    await expect(button, 'the tap-to-start button').not.toBeNull();
    await userEvent.click(button!);
    await expectOverlay(player, 'none');
    await expect(part(player, 'play-button'), 'the tap-to-start button after the tap').toBeNull();
  },
});

/**
 * The "AI face swap" label over the live video (on by default; EU AI Act Art. 50(4)), and the one-time
 * announcement screen readers hear.
 */
export const DisclosureLabel = playerStory({
  transport: { remote: 'echo' },
  player: () => html`<faceswap-player></faceswap-player>`,
  interact: async (player) => {
    const strings = translationFor(player.closest('[lang]')?.getAttribute('lang'));
    const label = part(player, 'disclosure');
    await expect(label, 'the disclosure label').not.toBeNull();
    await expect(label).toBeVisible();
    await expect(label!.textContent?.trim()).toBe(strings.aiLabel);
    await expect(player.shadowRoot!.querySelector('[role="status"]')?.textContent?.trim(), 'the announcement').toBe(strings.aiDisclosure);
  },
});

/** `no-disclosure`: no label (the page discloses in its own way; the console warns once about Art. 50(4)). */
export const NoDisclosure = playerStory({
  transport: { remote: 'echo' },
  player: () => html`<faceswap-player no-disclosure></faceswap-player>`,
  interact: async (player) => {
    await expect(player.hasAttribute('no-disclosure')).toBe(true);
    await expect(part(player, 'disclosure'), 'no disclosure label').toBeNull();
  },
});

/** A recoverable error: the message in the page's language and a retry button. */
export const ErrorWithRetry = playerStory({
  transport: { remote: 'echo' },
  state: 'error',
  overlay: 'error',
  then: async (session, transport) => {
    await expectState(session, 'live');
    transport()?.failWith(new FaceswapError('rtc-disconnected'));
  },
});

/** After the end: "start again". */
export const Ended = playerStory({
  transport: { remote: 'echo' },
  state: 'ended',
  overlay: 'ended',
  then: async (session) => {
    await expectState(session, 'live');
    await session.stop();
  },
});

/** A player outside its session, attached with `session="id"` (for layouts that separate them). */
export const AttachedById: Story = {
  render: () => html`<div class="story-row">
    <faceswap-session
      id="story-session"
      .platform=${fakePlatform({ remote: 'echo' })}
      .tokenProvider=${pageGrant('akool')}
      .source=${sampleFaces[0].source()}
    ></faceswap-session>
    <faceswap-player session="story-session"></faceswap-player>
  </div>`,
  play: async ({ canvasElement }) => {
    const session = canvasElement.querySelector('faceswap-session')!;
    await pressStartStop(session);
    await expectState(session, 'live');
    await expectOverlay(canvasElement.querySelector('faceswap-player')!, 'none');
  },
};
