// What the play functions check: each story asserts the state it shows, so a story that stops reaching it fails
// (in the Interactions panel, and in test/node/storybook-render.test.ts, which runs every play function in
// Chromium). The waits end at a deadline and then let `expect` report what was there instead.
import { expect, userEvent } from 'storybook/test';
import type { FaceSourcePicker } from '../src/components/face-source-picker/face-source-picker.js';
import type { FaceswapPlayer } from '../src/components/faceswap-player/faceswap-player.js';
import type { FaceswapSession } from '../src/components/faceswap-session/faceswap-session.js';
import type { SessionState } from '../src/core/protocol.js';
import { until } from '../test/support/until.js';

/** Long enough for a slow shared CI machine; the local engine loads its model within it too. */
const DEADLINE_MS = 45_000;

/**
 * Resolves once `check()` holds, or at the deadline without complaint: the caller's `expect` then fails with
 * what was there instead, which says more than a timeout.
 */
export function settle(check: () => boolean, what: string, timeoutMs = DEADLINE_MS): Promise<void> {
  return until(check, what, timeoutMs).then(
    () => undefined,
    () => undefined,
  );
}

/** A part inside an element's shadow root (`button` as the part list names it). */
export function part<T extends Element = HTMLElement>(host: Element, name: string): T | null {
  return host.shadowRoot?.querySelector<T>(`[part~="${name}"]`) ?? null;
}

export async function expectState(session: FaceswapSession, state: SessionState, timeoutMs?: number): Promise<void> {
  await settle(() => session.getAttribute('state') === state, `state ${state}`, timeoutMs);
  await expect(session).toHaveAttribute('state', state);
}

/** The player's overlay (`data-state` of its overlay part), `none` without one. */
export function overlayOf(player: FaceswapPlayer): string {
  return part(player, 'overlay')?.getAttribute('data-state') ?? 'none';
}

export async function expectOverlay(player: FaceswapPlayer, overlay: string, timeoutMs?: number): Promise<void> {
  await settle(() => overlayOf(player) === overlay, `overlay ${overlay}`, timeoutMs);
  await expect(overlayOf(player), 'the overlay of <faceswap-player>').toBe(overlay);
}

export async function expectStatus(picker: FaceSourcePicker, status: string): Promise<void> {
  await settle(() => picker.getAttribute('status') === status, `status ${status}`);
  await expect(picker).toHaveAttribute('status', status);
}

/** Every state the session passes through from now on. */
export function recordStates(session: FaceswapSession): SessionState[] {
  const states: SessionState[] = [];
  session.addEventListener('faceswap-state-change', (event) => states.push(event.detail.state));
  return states;
}

/** Presses the session's own Start/Stop button. */
export async function pressStartStop(session: FaceswapSession): Promise<void> {
  const button = part<HTMLButtonElement>(session, 'start-button');
  await expect(button, 'the start button').not.toBeNull();
  await expect(button).toBeEnabled();
  await userEvent.click(button!);
}

/**
 * The error (or end) the player shows and its way out. After a fatal error (the visitor or the site must
 * change something first) there is no retry button. Otherwise the button starts a new attempt: the session
 * leaves the state, `again()` replays what led to it, and the same state is reached again (its cause is
 * still there), so the story ends showing what it is named after.
 */
export async function expectRetry(session: FaceswapSession, player: FaceswapPlayer, again?: () => Promise<void> | void): Promise<void> {
  const shown = session.state;
  await expectOverlay(player, shown);
  const error = session.details.error;
  const retry = part<HTMLButtonElement>(player, 'retry-button');
  if (shown === 'error' && error?.fatal) {
    await expect(retry, `a retry button after the fatal error ${error.code}`).toBeNull();
    return;
  }
  await expect(retry, `a retry button in the ${shown} overlay`).not.toBeNull();
  const states = recordStates(session);
  await userEvent.click(retry!);
  await settle(() => states.length > 0, 'a new attempt');
  await expect(states[0], 'the state right after pressing retry').not.toBe(shown);
  await again?.();
  await expectState(session, shown);
  if (error) await expect(session.details.error?.code, 'the error after the retry').toBe(error.code);
}
