import { aTimeout, expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../index.js';
import type { FaceswapPlayer } from './faceswap-player.js';
import type { FaceswapSession } from '../faceswap-session/faceswap-session.js';
import { pickRecordingType } from '../../internal/recording.js';
import { AI_DIGITAL_SOURCE_TYPE } from '../../core/provenance.js';
import { FaceswapError } from '../../core/errors.js';
import { stubRecorder } from '../../../test/support/stub-recorder.js';
import { fakePlatform, grantProvider, inShadow, overlayState, shadowText, SOURCE, until } from '../../../test/support/test-kit.js';

async function playerFixture(options = fakePlatform(), attributes = '') {
  const el = await fixture<FaceswapSession>(html`<faceswap-session .tokenProvider=${grantProvider} .platform=${options.platform} .source=${SOURCE}>
    <faceswap-player></faceswap-player>
  </faceswap-session>`);
  const player = el.querySelector('faceswap-player')!;
  for (const attribute of attributes.split(' ').filter(Boolean)) player.setAttribute(attribute, '');
  await player.updateComplete;
  return { session: el, player, ...options };
}

const video = (player: FaceswapPlayer) => inShadow<HTMLVideoElement>(player, '[part~=video]')!;

async function frames(player: FaceswapPlayer) {
  await until(() => video(player).readyState >= HTMLMediaElement.HAVE_CURRENT_DATA && video(player).videoWidth > 0, 'video frames');
}

/** Width x height of the first frame the browser decodes from `blob` (rejects when it has none). */
async function decodedSize(blob: Blob): Promise<string> {
  const playback = document.createElement('video');
  playback.muted = true;
  const url = URL.createObjectURL(blob);
  try {
    const loaded = new Promise<void>((resolve, reject) => {
      playback.addEventListener('loadeddata', () => resolve(), { once: true });
      playback.addEventListener('error', () => reject(new Error(`the recording does not decode: ${playback.error?.message}`)), { once: true });
    });
    playback.src = url;
    await loaded;
    return `${playback.videoWidth}x${playback.videoHeight}`;
  } finally {
    URL.revokeObjectURL(url);
  }
}

describe('<faceswap-player>', () => {
  it('shows a hint with no session and when idle, with playsinline muted video always rendered', async () => {
    const lone = await fixture<FaceswapPlayer>(html`<faceswap-player></faceswap-player>`);
    expect(overlayState(lone)).to.equal('idle');
    expect(video(lone).hasAttribute('playsinline')).to.equal(true);
    expect(video(lone).muted).to.equal(true);
    await expect(lone).shadowDom.to.be.accessible();
    const { player } = await playerFixture();
    expect(overlayState(player)).to.equal('idle');
    expect(player.getAttribute('state')).to.equal('idle');
  });

  it('has an overlay for connecting, waiting (with elapsed time), live (none), reconnecting over the last frame, and ended', async () => {
    const { session, player, transports } = await playerFixture(fakePlatform({ remote: 'echo', joinDelayMs: 300, firstFrameDelayMs: 2300 }));
    const seen = new Map<string, string>();
    const record = () => {
      const state = overlayState(player);
      if (state && !seen.has(state)) seen.set(state, shadowText(player, '[part~=overlay]'));
    };
    const observer = new MutationObserver(record);
    observer.observe(player.shadowRoot!, { subtree: true, childList: true, characterData: true, attributes: true });
    const started = session.start();
    await until(() => player.state === 'waiting', 'waiting');
    await until(() => /Waiting for the face swap… [12] s/.test(shadowText(player, '[part~=overlay]')), 'elapsed seconds in the waiting overlay', 4000);
    await started;
    await until(() => player.state === 'live', 'live');
    await player.updateComplete;
    expect(overlayState(player)).to.equal(null);
    await frames(player);
    const boundStream = video(player).srcObject;
    expect(boundStream).to.be.instanceOf(MediaStream);

    transports[0].emitConnection('reconnecting');
    await until(() => player.state === 'reconnecting', 'reconnecting');
    await player.updateComplete;
    expect(overlayState(player)).to.equal('reconnecting');
    expect(inShadow(player, '[part~=overlay]')!.getAttribute('data-kind')).to.equal('banner');
    // The last frame stays: same stream, still decoded.
    expect(video(player).srcObject).to.equal(boundStream);
    expect(video(player).videoWidth).to.be.greaterThan(0);

    transports[0].emitConnection('connected');
    await until(() => player.state === 'live', 'live again');
    await session.stop();
    await player.updateComplete;
    record();
    observer.disconnect();
    expect(overlayState(player)).to.equal('ended');
    expect(seen.get('connecting') ?? seen.get('preparing')).to.match(/Connecting…|Starting the camera…/);
    expect(seen.get('waiting')).to.contain('Waiting for the face swap…');
    expect(seen.get('reconnecting')).to.contain('Reconnecting…');
    expect(seen.get('ended')).to.contain('The session has ended.');
    expect(inShadow(player, '[part~=retry-button]')).to.not.equal(null);
  });

  it('shows the queued state, translated, while the swap service queues the session', async () => {
    const queuedGrant: typeof grantProvider = async (request) => ({ ...(await grantProvider(request)), status: 'queued' });
    const { platform } = fakePlatform({ remote: 'none' });
    const el = await fixture<FaceswapSession>(html`<faceswap-session lang="es" .tokenProvider=${queuedGrant} .platform=${platform} .source=${SOURCE}>
      <faceswap-player></faceswap-player>
    </faceswap-session>`);
    const player = el.querySelector('faceswap-player')!;
    await el.start();
    await until(() => player.state === 'waiting', 'waiting');
    await until(() => shadowText(player, '[part~=overlay]').includes('En la cola del intercambio de caras…'), 'the Spanish queued text');
    expect(overlayState(player)).to.equal('waiting');
    await el.stop();
  });

  it('shows a recoverable error with a retry that starts again, and a fatal one without', async () => {
    let failJoin = true;
    const { platform } = fakePlatform();
    const flaky = {
      transportFactory: async (engine: 'akool' | 'local') => {
        const transport = await platform.transportFactory!(engine);
        if (failJoin) {
          failJoin = false;
          transport.join = async () => {
            throw new FaceswapError('rtc-join-timeout');
          };
        }
        return transport;
      },
    };
    const { session, player } = await playerFixture({ platform: flaky, transports: [] });
    await session.start();
    await until(() => player.state === 'error', 'error');
    await player.updateComplete;
    expect(overlayState(player)).to.equal('error');
    expect(shadowText(player, '[part~=message]')).to.equal('Connecting to the video service timed out.');
    await expect(player).shadowDom.to.be.accessible();
    inShadow<HTMLButtonElement>(player, '[part~=retry-button]')!.click();
    await until(() => player.state === 'live', 'live after retry');

    const fatal = await playerFixture(fakePlatform({ joinError: new FaceswapError('quota-exhausted') }));
    await fatal.session.start();
    await until(() => fatal.player.state === 'error', 'fatal error');
    await fatal.player.updateComplete;
    expect(shadowText(fatal.player, '[part~=message]')).to.equal('The face swap credit is used up.');
    expect(inShadow(fatal.player, '[part~=retry-button]')).to.equal(null);
  });

  it('offers "tap to play" when autoplay is blocked, and the tap resumes playback', async () => {
    const { session, player } = await playerFixture();
    const v = video(player);
    // A real block: the browser refuses play() until a gesture.
    v.play = () => Promise.reject(new DOMException('blocked', 'NotAllowedError'));
    await session.start();
    await until(() => player.state === 'live', 'live');
    await until(() => overlayState(player) === 'autoplay-blocked', 'tap-to-play overlay');
    const button = inShadow<HTMLButtonElement>(player, '[part~=play-button]')!;
    expect(button.textContent).to.contain('Tap to play the video');
    await expect(player).shadowDom.to.be.accessible();
    v.pause();
    delete (v as { play?: unknown }).play; // the gesture lifts the block
    button.click();
    await until(() => !v.paused, 'playing after the tap');
    await until(() => overlayState(player) !== 'autoplay-blocked', 'overlay gone after the tap');
  });

  it('shows "tap to play" when the transport reports blocked playback, and the tap takes it away', async () => {
    const { session, player, transports } = await playerFixture();
    await session.start();
    await until(() => player.state === 'live', 'live');
    await frames(player);
    transports[0].emitAutoplayFailed();
    await until(() => overlayState(player) === 'autoplay-blocked', 'tap-to-play overlay');
    // The session keeps reporting the block until its next start; the tap is the gesture that lifts it.
    expect(session.details.autoplayBlocked).to.equal(true);
    inShadow<HTMLButtonElement>(player, '[part~=play-button]')!.click();
    await until(() => overlayState(player) !== 'autoplay-blocked', 'overlay gone after the tap');
    expect(inShadow(player, '[part~=play-button]')).to.equal(null);
    expect(session.details.autoplayBlocked).to.equal(true);
  });

  it('mirrors the front camera by default, follows `mirror` and `fit`, and restores defaults on removal', async () => {
    const { session, player } = await playerFixture();
    await session.start();
    await until(() => player.state === 'live', 'live');
    await player.updateComplete;
    const facing = session.details.facing;
    expect(player.mirrored).to.equal(facing === 'user');
    player.mirror = 'off';
    await player.updateComplete;
    expect(video(player).classList.contains('mirrored')).to.equal(false);
    player.setAttribute('mirror', 'on');
    await player.updateComplete;
    expect(video(player).classList.contains('mirrored')).to.equal(true);
    player.removeAttribute('mirror');
    await player.updateComplete;
    expect(player.mirror).to.equal('auto');
    player.setAttribute('fit', 'contain');
    await player.updateComplete;
    expect(getComputedStyle(video(player)).objectFit).to.equal('contain');
    player.removeAttribute('fit');
    await player.updateComplete;
    expect(player.fit).to.equal('cover');
    expect(getComputedStyle(video(player)).objectFit).to.equal('cover');
    (player as unknown as Record<string, unknown>).fit = null;
    (player as unknown as Record<string, unknown>).mirror = null;
    player.strings = null;
    await player.updateComplete;
    expect([player.fit, player.mirror]).to.deep.equal(['cover', 'auto']);
  });

  it('takes its attributes set before connection like after', async () => {
    const early = document.createElement('faceswap-player');
    early.fit = 'contain';
    early.mirror = 'on';
    early.preview = true;
    const container = await fixture(html`<div></div>`);
    container.append(early);
    const late = document.createElement('faceswap-player');
    container.append(late);
    late.fit = 'contain';
    late.mirror = 'on';
    late.preview = true;
    await Promise.all([early.updateComplete, late.updateComplete]);
    for (const player of [early, late]) {
      expect(player.getAttribute('fit')).to.equal('contain');
      expect(video(player).classList.contains('mirrored')).to.equal(true);
      expect(inShadow(player, '[part~=preview]')).to.not.equal(null);
    }
  });

  it('shows the local camera as picture in picture only with `preview`', async () => {
    const { session, player } = await playerFixture();
    await session.start();
    await until(() => player.state === 'live', 'live');
    await player.updateComplete;
    expect(inShadow(player, '[part~=preview]')).to.equal(null);
    player.preview = true;
    await player.updateComplete;
    const preview = inShadow<HTMLVideoElement>(player, '[part~=preview]')!;
    expect(preview.srcObject).to.equal(session.details.localStream);
    expect(preview.getAttribute('aria-label')).to.equal('Your camera');
  });

  it('shows statistics from the transport with `stats`', async () => {
    const { session, player } = await playerFixture(undefined, 'stats');
    await session.start();
    await until(() => player.state === 'live', 'live');
    await until(() => inShadow(player, '[part~=stats]'), 'stats overlay');
    const text = shadowText(player, '[part~=stats]');
    expect(text).to.contain('Frame rate');
    expect(text).to.match(/\d+×\d+/);
    player.stats = false;
    await player.updateComplete;
    expect(inShadow(player, '[part~=stats]')).to.equal(null);
  });

  it("adds the in-browser engine's tracking rate and frame time to the statistics when the transport reports them", async () => {
    const { session, player, transports } = await playerFixture(undefined, 'stats');
    await session.start();
    await until(() => player.state === 'live', 'live');
    await until(() => inShadow(player, '[part~=stats]'), 'stats overlay');
    expect(shadowText(player, '[part~=stats]'), 'no engine figures (as from Agora): no engine rows').not.to.contain('Face tracking');
    const engine = {
      landmarkFps: 14.6,
      frameMsMedian: 3.21,
      frameMsP95: 6,
      landmarkMsMedian: 40,
      swapping: true,
      landmarkMisses: 0,
      landmarkBackend: 'wasm',
      sourceRefined: true,
    };
    const read = transports[0].getStats.bind(transports[0]);
    transports[0].getStats = async () => ({ ...(await read()), engine });
    await until(() => shadowText(player, '[part~=stats]').includes('Face tracking'), 'engine rows', 4000);
    const text = shadowText(player, '[part~=stats]');
    expect(text).to.contain('15/s');
    expect(text).to.contain('Frame time');
    expect(text).to.contain('3.2 ms');
  });

  it("shows a translated network-quality indicator from the transport's round trip and loss with `network-quality`", async () => {
    const { session, player, transports } = await playerFixture(undefined, 'network-quality');
    const indicator = () => inShadow(player, '[part~=network-quality]');
    await session.start();
    await until(() => player.state === 'live', 'live');
    await until(() => transports[0].calls.filter((call) => call === 'getStats').length >= 1, 'stats read');
    await player.updateComplete;
    expect(indicator(), 'no network figures (as with the in-browser engine): nothing shown').to.equal(null);
    transports[0].network = { rttMs: 40, packetLoss: 0.001 };
    await until(() => indicator()?.getAttribute('data-quality') === 'good', 'good', 4000);
    expect(indicator()!.getAttribute('aria-label')).to.equal('Good connection');
    transports[0].network = { rttMs: 250, packetLoss: 0.01 };
    await until(() => indicator()?.getAttribute('data-quality') === 'fair', 'fair', 4000);
    transports[0].network = { rttMs: 60, packetLoss: 0.2 };
    await until(() => indicator()?.getAttribute('data-quality') === 'poor', 'poor on loss alone', 4000);
    session.lang = 'es';
    await until(() => indicator()?.getAttribute('aria-label') === 'Conexión débil', 'translated');
    expect(getComputedStyle(indicator()!).color, 'poor uses --faceswap-danger').to.equal('rgb(198, 40, 40)');
    player.style.setProperty('--faceswap-danger', 'rgb(1, 2, 3)');
    expect(getComputedStyle(indicator()!).color).to.equal('rgb(1, 2, 3)');
    player.networkQuality = false;
    await player.updateComplete;
    expect(indicator()).to.equal(null);
  });

  it('takes a PNG snapshot of the frame on screen', async () => {
    const { session, player } = await playerFixture();
    let failure: DOMException | null = null;
    await player.snapshot().catch((error: DOMException) => (failure = error));
    expect(failure!.name).to.equal('InvalidStateError');
    await session.start();
    await until(() => player.state === 'live', 'live');
    await frames(player);
    const png = await player.snapshot();
    expect(png.type).to.equal('image/png');
    const bitmap = await createImageBitmap(png);
    expect(bitmap.width).to.equal(video(player).videoWidth);
    expect(bitmap.height).to.equal(video(player).videoHeight);
  });

  it('records the swapped video to a file with a visible indicator', async function () {
    // MP4 (Safari's format) is not recorded here: WebKitGTK on this machine claims it without an H.264 encoder, writes
    // nothing, and its web process has crashed while recording. The next test covers a recorder that writes nothing.
    if (!pickRecordingType() || pickRecordingType() === 'video/mp4') this.skip();
    const { session, player } = await playerFixture();
    await session.start();
    await until(() => player.state === 'live', 'live');
    await frames(player);
    const started = oneEvent(player, 'faceswap-recording-start');
    await player.startRecording();
    expect((await started).detail.mimeType).to.match(/^video\/(webm|mp4)/);
    await player.updateComplete;
    expect(player.hasAttribute('recording')).to.equal(true);
    expect(shadowText(player, '[part~=recording-indicator]')).to.match(/^Recording 0:0\d$/);
    expect(inShadow(player, '[part~=record-button]')!.getAttribute('aria-pressed')).to.equal('true');
    // A short recording: startRecording() resolves once the encoder writes, so one second has frames.
    await aTimeout(1000);
    const stopped = oneEvent(player, 'faceswap-recording-stop');
    const blob = await player.stopRecording();
    const { detail } = await stopped;
    expect(detail.blob).to.equal(blob);
    expect(detail.durationMs).to.be.within(1000, 10_000);
    expect(blob.size).to.be.greaterThan(1000);
    expect(blob.type).to.match(/^video\/(webm|mp4)$/);
    expect(await decodedSize(blob), 'the browser decodes a frame of the file').to.match(/^\d+x\d+$/);
    // This browser's WebM layout (Firefox: Clusters of unknown size after an empty SeekHead) got the disclosure tags.
    if (blob.type === 'video/webm') {
      const tagged = new TextDecoder('latin1').decode(await blob.arrayBuffer()).includes(AI_DIGITAL_SOURCE_TYPE);
      expect(tagged, 'the recording carries the digital source type tag').to.equal(true);
    }
    await player.updateComplete;
    expect(player.hasAttribute('recording')).to.equal(false);
    expect(inShadow(player, '[part~=recording-indicator]')).to.equal(null);
    let failure: DOMException | null = null;
    await player.stopRecording().catch((error: DOMException) => (failure = error));
    expect(failure!.name).to.equal('InvalidStateError');
  });

  it('hides the record button where the recorder writes nothing, says why, and moves focus to the snapshot button', async function () {
    this.timeout(40_000); // the recorder is given 10 s to write its first data
    const realRecorder = globalThis.MediaRecorder;
    globalThis.MediaRecorder = stubRecorder(() => 0).StubRecorder as unknown as typeof MediaRecorder;
    try {
      const { session, player } = await playerFixture();
      await session.start();
      await until(() => player.state === 'live', 'live');
      await frames(player);
      const recordButton = inShadow<HTMLButtonElement>(player, '[part~=record-button]');
      expect(recordButton, 'the browser claims it can record').to.not.equal(null);
      const events: string[] = [];
      player.addEventListener('faceswap-recording-start', () => events.push('start'));
      recordButton!.focus();
      recordButton!.click();
      await until(() => inShadow(player, '[part~=notice]') !== null, 'the notice', 15_000);
      const unsupported = 'This browser cannot record the video.';
      expect(inShadow(player, '[part~=notice]')!.textContent).to.equal(unsupported);
      expect(inShadow(player, '[part~=notice]')!.getAttribute('aria-hidden'), 'read once, by the live region').to.equal('true');
      const regions = [...player.shadowRoot!.querySelectorAll('[role=status]')].map((region) => region.textContent!.trim());
      expect(regions, 'a live region of its own').to.include(unsupported);
      expect(player.recording).to.equal(false);
      expect(events).to.deep.equal([]);
      expect(inShadow(player, '[part~=record-button]')).to.equal(null);
      const focused = player.shadowRoot!.activeElement;
      expect(focused?.getAttribute('part'), 'focus was on the button that went').to.contain('snapshot-button');
    } finally {
      globalThis.MediaRecorder = realRecorder;
    }
  });

  it('marks the record button unavailable but keeps it focusable while the recorder starts, then shows it pressed', async () => {
    const realRecorder = globalThis.MediaRecorder;
    // Writes its first data on the fourth request (about 0.4 s): an encoder that takes a moment to start.
    const { StubRecorder: SlowRecorder } = stubRecorder((n) => (n >= 4 ? 64 : 0));
    globalThis.MediaRecorder = SlowRecorder as unknown as typeof MediaRecorder;
    try {
      const { session, player } = await playerFixture(fakePlatform(), 'no-file-marks');
      await session.start();
      await until(() => player.state === 'live', 'live');
      await frames(player);
      const button = () => inShadow<HTMLButtonElement>(player, '[part~=record-button]')!;
      expect(button().disabled).to.equal(false);
      const started = oneEvent(player, 'faceswap-recording-start');
      button().click();
      await player.updateComplete;
      expect(button().getAttribute('aria-disabled'), 'unavailable while the recorder starts').to.equal('true');
      expect(button().disabled, 'but focusable').to.equal(false);
      expect(button().getAttribute('aria-pressed')).to.equal('false');
      button().click(); // nothing to stop yet: ignored, not a second start that fails
      await started;
      await player.updateComplete;
      expect(inShadow(player, '[part~=notice]') === null, 'no failure to report').to.equal(true);
      expect(button().hasAttribute('aria-disabled')).to.equal(false);
      expect(button().getAttribute('aria-pressed')).to.equal('true');
      player.remove(); // stops the recording without saving it
    } finally {
      globalThis.MediaRecorder = realRecorder;
    }
  });

  it('attaches to a session by id, also when the session appears later', async () => {
    const { platform } = fakePlatform();
    const container = await fixture(html`<div><faceswap-player session="later"></faceswap-player></div>`);
    const player = container.querySelector('faceswap-player')!;
    expect(overlayState(player)).to.equal('idle');
    const session = document.createElement('faceswap-session');
    session.id = 'later';
    session.platform = platform;
    session.tokenProvider = grantProvider;
    session.source = SOURCE;
    container.append(session);
    await session.updateComplete;
    await session.start();
    await until(() => player.state === 'live', 'attached player live');
    await frames(player);
    // Pointing it elsewhere detaches it.
    player.session = 'nothing-here';
    await player.updateComplete;
    expect(player.state).to.equal('idle');
    expect(video(player).srcObject).to.equal(null);
  });

  it('connects to a session that upgrades after it (late definition, as on CMS pages)', async () => {
    // A subclass under a fresh tag stands in for a session script that loads late.
    const { FaceswapSession } = await import('../faceswap-session/faceswap-session.js');
    const tag = `late-session-${Math.random().toString(36).slice(2)}`;
    const container = await fixture(html`<div></div>`);
    container.innerHTML = `<${tag}><div><faceswap-player></faceswap-player></div></${tag}>`;
    const player = container.querySelector('faceswap-player')!;
    await player.updateComplete;
    expect(overlayState(player)).to.equal('idle');
    customElements.define(tag, class extends FaceswapSession {});
    const session = container.firstElementChild as FaceswapSession;
    const { platform } = fakePlatform();
    session.platform = platform;
    session.tokenProvider = grantProvider;
    session.source = SOURCE;
    await session.updateComplete;
    await session.start();
    await until(() => player.state === 'live', 'late-linked player live');
  });

  it('translates its overlays and labels, with string overrides from the session and itself', async () => {
    const { session, player } = await playerFixture(fakePlatform({ joinError: new FaceswapError('camera-in-use') }));
    session.lang = 'fr';
    await session.start();
    await until(() => player.state === 'error', 'error');
    await player.updateComplete;
    await until(() => shadowText(player, '[part~=message]') === 'La caméra est utilisée par une autre application.', 'French');
    expect(inShadow(player, '[part~=retry-button]')!.textContent).to.contain('Réessayer');
    session.strings = { retry: 'Encore' };
    await until(() => inShadow(player, '[part~=retry-button]')!.textContent!.includes('Encore'), 'session override');
    player.strings = { retry: 'Nochmal', errors: { 'camera-in-use': 'Kamera belegt.' } };
    await player.updateComplete;
    expect(inShadow(player, '[part~=retry-button]')!.textContent).to.contain('Nochmal');
    expect(shadowText(player, '[part~=message]')).to.equal('Kamera belegt.');
    expect(inShadow(player, '[part~=snapshot-button]')!.getAttribute('aria-label')).to.equal('Enregistrer une image');
    // The full-screen button exists wherever the browser allows full screen; where it does, it is translated.
    const fullscreenButton = inShadow(player, '[part~=fullscreen-button]');
    if (document.fullscreenEnabled) expect(fullscreenButton!.getAttribute('aria-label')).to.equal('Plein écran');
    else expect(fullscreenButton).to.equal(null);
    session.lang = 'ar';
    await until(() => inShadow(player, '[part=base]')!.getAttribute('dir') === 'rtl', 'rtl');
  });

  it('stops polling statistics and unbinds the video when removed', async () => {
    const { session, player, transports } = await playerFixture(undefined, 'stats');
    await session.start();
    await until(() => player.state === 'live', 'live');
    await frames(player);
    const polls = () => transports[0].calls.filter((call) => call === 'getStats').length;
    await until(() => polls() >= 2, 'stats polled every second', 4000);
    player.remove();
    expect(video(player).srcObject).to.equal(null);
    const afterRemoval = polls();
    await aTimeout(2200);
    expect(polls()).to.equal(afterRemoval);
  });

  it('passes accessibility audits while live, with every control labelled', async () => {
    const { session, player } = await playerFixture(undefined, 'stats preview');
    await session.start();
    await until(() => player.state === 'live', 'live');
    await player.updateComplete;
    for (const button of player.shadowRoot!.querySelectorAll('button')) {
      expect(button.getAttribute('aria-label') || button.textContent!.trim(), button.outerHTML).to.not.equal('');
    }
    await expect(player).shadowDom.to.be.accessible();
    await expect(session).to.be.accessible();
  });
});
