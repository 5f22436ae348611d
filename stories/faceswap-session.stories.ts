import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { getStorybookHelpers } from '@wc-toolkit/storybook-helpers';
import { html, nothing } from 'lit';
import { expect, userEvent } from 'storybook/test';
import type { FaceswapSession } from '../src/components/faceswap-session/faceswap-session.js';
import type { FakeTransport, FakeTransportOptions } from '../src/rtc/fake-transport.js';
import { FaceswapError } from '../src/core/errors.js';
import type { FaceSource, SessionState } from '../src/core/protocol.js';
import type { SessionPlatform, TokenProvider } from '../src/session/session-api.js';
import { translationFor } from '../src/i18n/registry.js';
import { expectOverlay, expectRetry, expectState, part, pressStartStop, settle } from './assertions.js';
import {
  cameraFailingOnce,
  failingCamera,
  fakePlatform,
  offlineNetwork,
  pageGrant,
  pendingCamera,
  queueingEndpoint,
  refusingGrant,
  sampleFaces,
  withTimeouts,
} from './support.js';

const { args, argTypes, template } = getStorybookHelpers<FaceswapSession>('faceswap-session');

const meta: Meta<FaceswapSession> = {
  title: 'Elements/faceswap-session',
  component: 'faceswap-session',
  tags: ['autodocs'],
  args,
  argTypes,
  parameters: {
    usage: `<faceswap-session token-endpoint="/api/faceswap" engine="auto">
  <face-source-picker>
    <img src="/faces/ada.jpg" alt="Ada" />
    <img src="/faces/ben.jpg" alt="Ben" />
  </face-source-picker>
  <faceswap-player preview></faceswap-player>
</faceswap-session>`,
    docs: { description: { component: 'State stories run over FakeTransport (no network); each one reaches its state by the path that really produces it.' } },
  },
};
export default meta;

type Story = StoryObj<FaceswapSession>;

/** Controls from the manifest. With no source and no credentials the Start button stays disabled. */
export const Default: Story = {
  render: (storyArgs) => template(storyArgs, html`<faceswap-player></faceswap-player>`),
  play: async ({ canvasElement }) => {
    const session = canvasElement.querySelector('faceswap-session')!;
    await expectState(session, 'idle');
    await expect(part(session, 'start-button')).toBeDisabled();
  },
};

interface StateSetup {
  /** The state this story shows; its play function fails when the session does not get there. */
  expect: SessionState;
  /** FakeTransport script; omit to use `platform` alone. */
  transport?: FakeTransportOptions;
  platform?: Partial<SessionPlatform>;
  tokenProvider?: TokenProvider | null;
  tokenEndpoint?: string;
  source?: FaceSource | null;
  timeouts?: { swapTimeoutMs?: number; joinTimeoutMs?: number };
  /** Started by `start()` instead of the Start button (which stays disabled without a source). */
  startByMethod?: boolean;
  /** Scripted events once the session is running (transport faults, stop ...); replayed after a retry. */
  then?: (session: FaceswapSession, transport: () => FakeTransport | null) => Promise<void> | void;
}

/**
 * A session with a player: the play function presses Start and checks that the session ends up in `expect`;
 * an error or the end is then retried from the player's overlay (see `expectRetry`).
 */
function stateStory(setup: StateSetup): Story {
  let transport: FakeTransport | null = null;
  return {
    render: () => {
      const platform = { ...(setup.transport ? fakePlatform(setup.transport, (t) => (transport = t)) : {}), ...setup.platform };
      const source = setup.source === undefined ? sampleFaces[0].source() : setup.source;
      const provider = setup.tokenProvider === undefined ? pageGrant('akool') : setup.tokenProvider;
      return html`<faceswap-session
        engine="auto"
        token-endpoint=${setup.tokenEndpoint ?? nothing}
        .platform=${platform}
        .tokenProvider=${provider}
        .source=${source}
      >
        <faceswap-player preview></faceswap-player>
      </faceswap-session>`;
    },
    play: async ({ canvasElement }) => {
      const session = canvasElement.querySelector('faceswap-session')!;
      const player = canvasElement.querySelector('faceswap-player')!;
      if (setup.timeouts) withTimeouts(session, setup.timeouts);
      if (setup.startByMethod) void session.start();
      else await pressStartStop(session);
      const then = () => setup.then?.(session, () => transport);
      await then();
      await expectState(session, setup.expect);
      if (setup.expect === 'error' || setup.expect === 'ended') await expectRetry(session, player, then);
      else await expectOverlay(player, setup.expect === 'live' ? 'none' : setup.expect);
    },
  };
}

// ---- the healthy path

/** The camera permission prompt is open (getUserMedia has not answered). */
export const Preparing = stateStory({ expect: 'preparing', platform: pendingCamera() });

/** Credentials are there; joining the RTC channel takes its time. */
export const Connecting = stateStory({ expect: 'connecting', transport: { joinHangs: true, joinTimeoutMs: 3_600_000 } });

/** Joined and publishing; the swap worker has not sent a frame yet. */
export const Waiting = stateStory({ expect: 'waiting', transport: { remote: 'none' }, timeouts: { swapTimeoutMs: 3_600_000 } });

/** The swapped video plays (FakeTransport echoes the camera as the "swapped" video). */
export const Live = stateStory({ expect: 'live', transport: { remote: 'echo' } });

/** The connection dropped; the last frame stays on screen under a banner. */
export const Reconnecting = stateStory({
  expect: 'reconnecting',
  transport: { remote: 'echo' },
  then: async (session, transport) => {
    await expectState(session, 'live');
    transport()?.emitConnection('reconnecting');
  },
});

/** Stopped by the visitor: camera released, server session closed. */
export const Ended = stateStory({
  expect: 'ended',
  transport: { remote: 'echo' },
  then: async (session) => {
    await expectState(session, 'live');
    await session.stop();
  },
});

// ---- errors (each from the path that really produces it)

/** The visitor (or the browser settings) denied the camera: NotAllowedError. */
export const ErrorCameraDenied = stateStory({ expect: 'error', platform: failingCamera('NotAllowedError', 'Permission denied') });

/** No camera on this device: NotFoundError. */
export const ErrorCameraNotFound = stateStory({ expect: 'error', platform: failingCamera('NotFoundError', 'Requested device not found') });

/** Another application holds the camera: NotReadableError. */
export const ErrorCameraInUse = stateStory({ expect: 'error', platform: failingCamera('NotReadableError', 'Could not start video source') });

/** The token endpoint cannot be reached (offline, wrong URL, CORS). */
export const ErrorEndpointUnreachable = stateStory({
  expect: 'error',
  tokenProvider: null,
  tokenEndpoint: '/api/faceswap',
  platform: offlineNetwork(),
});

/** Neither a token endpoint nor a token provider nor credentials are configured. */
export const ErrorNotConfigured = stateStory({ expect: 'error', tokenProvider: null });

/** Started without a source face. */
export const ErrorNoSource = stateStory({ expect: 'error', source: null, startByMethod: true, transport: { remote: 'echo' } });

/** The AKOOL credit is used up (business code 1104). */
export const ErrorQuotaExhausted = stateStory({ expect: 'error', tokenProvider: refusingGrant('quota-exhausted', 1104) });

/** The server rate-limits session creation. */
export const ErrorRateLimited = stateStory({ expect: 'error', tokenProvider: refusingGrant('rate-limited') });

/** AKOOL reports the swap worker failed (`faceswap_status` 4, `failed` on the wire). */
export const ErrorSwapFailed = stateStory({ expect: 'error', tokenProvider: pageGrant('akool', { status: 'failed' }), transport: { remote: 'echo' } });

/** The RTC join does not complete in time. */
export const ErrorJoinTimeout = stateStory({ expect: 'error', transport: { joinHangs: true, joinTimeoutMs: 1500 } });

/** The same uid joined twice (the session is open in another tab). */
export const ErrorUidConflict = stateStory({ expect: 'error', transport: { joinError: new FaceswapError('uid-conflict') } });

/** Joined, but the swapped video never arrives. */
export const ErrorSwapTimeout = stateStory({ expect: 'error', transport: { remote: 'none' }, timeouts: { swapTimeoutMs: 1500 } });

/** The connection was lost for good after being live. */
export const ErrorDisconnected = stateStory({
  expect: 'error',
  transport: { remote: 'echo' },
  then: async (session, transport) => {
    await expectState(session, 'live');
    transport()?.failWith(new FaceswapError('rtc-disconnected'));
  },
});

// ---- a retry that succeeds

/** Another application held the camera on the first try; it is free again when the visitor presses Try again. */
export const RetryAfterCameraInUse: Story = {
  render: () => html`<faceswap-session
    .platform=${{ ...fakePlatform({ remote: 'echo' }), ...cameraFailingOnce('NotReadableError') }}
    .tokenProvider=${pageGrant('akool')}
    .source=${sampleFaces[0].source()}
  >
    <faceswap-player preview></faceswap-player>
  </faceswap-session>`,
  play: async ({ canvasElement }) => {
    const session = canvasElement.querySelector('faceswap-session')!;
    const player = canvasElement.querySelector('faceswap-player')!;
    await pressStartStop(session);
    await expectState(session, 'error');
    await expect(session.details.error?.code).toBe('camera-in-use');
    await expectOverlay(player, 'error');
    await userEvent.click(part(player, 'retry-button')!);
    await expectState(session, 'live');
    await expectOverlay(player, 'none');
  },
};

// ---- queued at AKOOL

const queuedSession = (platform: Partial<SessionPlatform>) => html`<faceswap-session
  token-endpoint="story-api"
  .platform=${platform}
  .source=${sampleFaces[0].source()}
>
  <faceswap-player preview></faceswap-player>
</faceswap-session>`;

/** The player's overlay text. */
const overlayMessage = (player: Element) => part(player, 'message')?.textContent?.trim();
/** The strings of the language the player shows (the toolbar's). */
const stringsOf = (player: Element) => translationFor(player.closest('[lang]')?.getAttribute('lang'));

/** AKOOL has no free swap worker yet: the session waits in its queue, and the player says so. */
export const QueuedAtAkool: Story = {
  render: () => queuedSession({ ...fakePlatform({ remote: 'none' }), ...queueingEndpoint() }),
  play: async ({ canvasElement }) => {
    const session = canvasElement.querySelector('faceswap-session')!;
    const player = canvasElement.querySelector('faceswap-player')!;
    await pressStartStop(session);
    await expectState(session, 'waiting');
    await expect(session.details.queued, 'the session is queued').toBe(true);
    await expectOverlay(player, 'waiting');
    await expect(overlayMessage(player)).toBe(stringsOf(player).stateQueued);
  },
};

/** The transport of the latest queued session, for the play function to deliver the worker's video. */
let queuedTransport: FakeTransport | null = null;

/** Queued, then a worker takes the session (the status poll says `ready`) and its swapped video arrives: live. */
export const QueuedThenLive: Story = {
  render: () => queuedSession({ ...fakePlatform({ remote: 'none' }, (t) => (queuedTransport = t)), ...queueingEndpoint(1) }),
  play: async ({ canvasElement, step }) => {
    const session = canvasElement.querySelector('faceswap-session')!;
    const player = canvasElement.querySelector('faceswap-player')!;
    await step('Queued', async () => {
      await pressStartStop(session);
      await expectState(session, 'waiting');
      await expect(overlayMessage(player)).toBe(stringsOf(player).stateQueued);
    });
    await step('A worker is ready', async () => {
      await settle(() => !session.details.queued, 'the end of the queue');
      await expect(session.details.queued, 'the status poll ended the queue').toBe(false);
      await expect(overlayMessage(player)).toBe(stringsOf(player).stateWaiting);
    });
    await step('Its swapped video arrives', async () => {
      queuedTransport!.deliverRemote(session.details.localStream!.getVideoTracks()[0].clone());
      queuedTransport!.emitFirstFrame();
      await expectState(session, 'live');
      await expectOverlay(player, 'none');
    });
  },
};
