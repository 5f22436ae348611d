import { aTimeout, expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../index.js';
import type { FaceswapSession } from './faceswap-session.js';
import { FaceswapError } from '../../core/errors.js';
import type { SessionState } from '../../core/protocol.js';
import { controllerOptions, fakePlatform, grantProvider, inShadow, OTHER_SOURCE, shadowText, SOURCE, until } from '../../../test/support/test-kit.js';

async function sessionFixture(options = fakePlatform()) {
  const el = await fixture<FaceswapSession>(html`<faceswap-session .tokenProvider=${grantProvider} .platform=${options.platform} .source=${SOURCE}>
    <faceswap-player></faceswap-player>
  </faceswap-session>`);
  return { el, ...options };
}

const startButton = (el: FaceswapSession) => inShadow<HTMLButtonElement>(el, '[part~=start-button]')!;

describe('<faceswap-session>', () => {
  it('starts idle with defaults, an accessible control bar and a live region', async () => {
    const el = await fixture<FaceswapSession>(html`<faceswap-session></faceswap-session>`);
    expect(el.state).to.equal('idle');
    expect(el.getAttribute('state')).to.equal('idle');
    expect(el.engine).to.equal('auto');
    expect(el.camera).to.equal('user');
    expect(el.mic).to.equal(false);
    expect(el.videoPreset).to.equal('480p');
    // Nothing to swap in yet: Start is disabled rather than failing.
    expect(startButton(el).disabled).to.equal(true);
    expect(inShadow(el, '[role=status]')!.textContent).to.contain('Ready');
    await expect(el).shadowDom.to.be.accessible();
    await expect(el).to.be.accessible();
  });

  it('keeps its computed state read-only: no setter, and an author attribute does not change it', async () => {
    const { el } = await sessionFixture();
    expect(() => ((el as unknown as { state: SessionState }).state = 'live')).to.throw(TypeError);
    el.setAttribute('state', 'live');
    expect(el.state).to.equal('idle');
    const live = oneEvent(el, 'faceswap-live');
    startButton(el).click();
    await live;
    expect(el.state).to.equal('live');
    await el.updateComplete;
    expect(el.getAttribute('state')).to.equal('live');
    // The status dot takes the status colour tokens.
    const dot = () => getComputedStyle(inShadow(el, '[part~=status]')!, '::before').backgroundColor;
    expect(dot()).to.equal('rgb(34, 165, 91)');
    el.style.setProperty('--faceswap-success', 'rgb(1, 2, 3)');
    expect(dot()).to.equal('rgb(1, 2, 3)');
  });

  it('runs a session: state changes, live and ended events, reflected state on every element', async () => {
    const { el, transports } = await sessionFixture();
    const player = el.querySelector('faceswap-player')!;
    const states: SessionState[] = [];
    const previous: SessionState[] = [];
    el.addEventListener('faceswap-state-change', (event) => {
      states.push(event.detail.state);
      previous.push(event.detail.previous);
    });
    const live = oneEvent(el, 'faceswap-live');
    startButton(el).click();
    const liveEvent = await live;
    expect(liveEvent.detail.sessionId).to.match(/^provided-/);
    expect(liveEvent.bubbles && liveEvent.composed).to.equal(true);
    expect(states).to.deep.equal(['preparing', 'connecting', 'waiting', 'live']);
    expect(previous).to.deep.equal(['idle', 'preparing', 'connecting', 'waiting']);
    await el.updateComplete;
    expect(el.getAttribute('state')).to.equal('live');
    await player.updateComplete;
    expect(player.getAttribute('state')).to.equal('live');
    expect(shadowText(el, '[part~=start-button]')).to.equal('Stop');

    const ended = oneEvent(el, 'faceswap-ended');
    startButton(el).click();
    await ended;
    expect(states.slice(-2)).to.deep.equal(['ending', 'ended']);
    expect(transports[0].left).to.equal(true);
  });

  it('ignores a second start while one runs', async () => {
    const { el, transports } = await sessionFixture();
    await Promise.all([el.start(), el.start()]);
    await until(() => el.state === 'live', 'live');
    await el.start();
    expect(transports.length).to.equal(1);
  });

  it('takes properties set before and after connection alike', async () => {
    const { platform } = fakePlatform();
    const before = document.createElement('faceswap-session');
    before.platform = platform;
    before.tokenProvider = grantProvider;
    before.source = SOURCE;
    before.setAttribute('engine', 'local');
    const after = document.createElement('faceswap-session');
    after.platform = fakePlatform().platform;
    const container = await fixture(html`<div></div>`);
    container.append(before, after);
    after.tokenProvider = grantProvider;
    after.source = SOURCE;
    after.engine = 'local';
    await Promise.all([before.updateComplete, after.updateComplete]);
    expect(controllerOptions(before).engine).to.equal('local');
    expect(controllerOptions(after).engine).to.equal('local');
    await Promise.all([before.start(), after.start()]);
    await until(() => before.state === 'live' && after.state === 'live', 'both live');
    expect(before.details.source).to.deep.equal(SOURCE);
    expect(after.details.source).to.deep.equal(SOURCE);
  });

  it('restores defaults when attributes are removed or properties set to null', async () => {
    const el = await fixture<FaceswapSession>(
      html`<faceswap-session engine="local" camera="environment" video-preset="720p" mic no-controls></faceswap-session>`,
    );
    expect(controllerOptions(el).video.width).to.equal(1280);
    expect(inShadow(el, '[part~=controls]')!.hidden).to.equal(true);
    for (const name of ['engine', 'camera', 'video-preset', 'mic', 'no-controls']) el.removeAttribute(name);
    await el.updateComplete;
    expect([el.engine, el.camera, el.videoPreset, el.mic, el.noControls]).to.deep.equal(['auto', 'user', '480p', false, false]);
    expect(controllerOptions(el).engine).to.equal('auto');
    expect(controllerOptions(el).video.width).to.equal(640);
    expect(inShadow(el, '[part~=controls]')!.hidden).to.equal(false);
    (el as unknown as Record<string, unknown>).engine = null;
    (el as unknown as Record<string, unknown>).videoPreset = null;
    el.strings = null;
    await el.updateComplete;
    expect(el.engine).to.equal('auto');
    expect(el.videoPreset).to.equal('480p');
  });

  it('warns once and falls back on invalid attribute values, never throws', async () => {
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => warnings.push(args.join(' '));
    try {
      const el = await fixture<FaceswapSession>(html`<faceswap-session engine="turbo" camera="sideways" video-preset="8k"></faceswap-session>`);
      expect(controllerOptions(el).engine).to.equal('auto');
      expect(controllerOptions(el).camera).to.equal('user');
      expect(controllerOptions(el).video.width).to.equal(640);
      el.source = { path: 42 } as never;
      await el.updateComplete;
      expect(el.details.source).to.equal(null);
    } finally {
      console.warn = warn;
    }
    expect(warnings.filter((w) => w.includes('engine="turbo"'))).to.have.length(1);
    expect(warnings.some((w) => w.includes('camera="sideways"'))).to.equal(true);
    expect(warnings.some((w) => w.includes('video-preset="8k"'))).to.equal(true);
    expect(warnings.some((w) => w.includes('source must be'))).to.equal(true);
  });

  it('auto-starts as soon as a source is set', async () => {
    const { platform } = fakePlatform();
    const el = await fixture<FaceswapSession>(html`<faceswap-session auto-start .tokenProvider=${grantProvider} .platform=${platform}></faceswap-session>`);
    await aTimeout(50);
    expect(el.state).to.equal('idle');
    el.source = SOURCE;
    await until(() => el.state === 'live', 'auto-started session live');
  });

  it('fires faceswap-error with the translated message, and the error text in its live region', async () => {
    const { el } = await sessionFixture(fakePlatform({ joinError: new FaceswapError('rtc-credentials') }));
    el.lang = 'es';
    const error = oneEvent(el, 'faceswap-error');
    await el.start();
    const { detail } = await error;
    expect(detail.code).to.equal('rtc-credentials');
    expect(detail.fatal).to.equal(true);
    expect(detail.message).to.equal('El servicio de vídeo ha rechazado las credenciales de la sesión.');
    await el.updateComplete;
    expect(el.getAttribute('state')).to.equal('error');
    expect(inShadow(el, '[role=status]')!.textContent).to.contain('rechazado');
  });

  it('applies a faceswap-source-change from inside mid-session without reconnecting', async () => {
    const { el, transports } = await sessionFixture();
    await el.start();
    await until(() => el.state === 'live', 'live');
    el.querySelector('faceswap-player')!.dispatchEvent(
      new CustomEvent('faceswap-source-change', { bubbles: true, composed: true, detail: { ...OTHER_SOURCE, box: [0, 0, 1, 1], imageUrl: 'x' } }),
    );
    await until(() => transports[0].sources.some((s) => s.path === OTHER_SOURCE.path), 'source sent to the transport');
    expect(el.source).to.deep.equal(OTHER_SOURCE);
    expect(transports.length).to.equal(1);
    expect(transports[0].calls.filter((c) => c === 'join')).to.have.length(1);
    expect(el.state).to.equal('live');
  });

  it('fires faceswap-live once per session: not again after a reconnect or a pause of the swapped video', async () => {
    const { el, transports } = await sessionFixture();
    let lives = 0;
    el.addEventListener('faceswap-live', () => (lives += 1));
    await el.start();
    await until(() => el.state === 'live', 'live');
    const transport = transports[0];
    transport.emitConnection('reconnecting');
    expect(el.state).to.equal('reconnecting');
    transport.emitConnection('connected');
    expect(el.state).to.equal('live');
    const track = transport.remoteTrack!;
    transport.deliverRemote(null);
    expect(el.state).to.equal('waiting');
    transport.deliverRemote(track.clone());
    transport.emitFirstFrame();
    expect(el.state).to.equal('live');
    expect(lives).to.equal(1);
    await el.stop();
    await el.start();
    await until(() => lives === 2, 'a new session fires it again');
  });

  it('fires faceswap-token-will-expire when the transport warns that the token ends soon', async () => {
    const { el, transports } = await sessionFixture();
    await el.start();
    await until(() => el.state === 'live', 'live');
    const warned = oneEvent(el, 'faceswap-token-will-expire');
    transports[0].emitTokenWillExpire();
    const event = await warned;
    expect(event.detail.sessionId).to.match(/^provided-/);
    expect(event.detail.sessionId).to.equal(el.details.sessionId);
    expect(event.bubbles && event.composed).to.equal(true);
    expect(el.state).to.equal('live');
  });

  it('keeps running on the old camera when a switch fails: a non-fatal faceswap-error, no state change', async () => {
    let refuse = false;
    const options = fakePlatform();
    options.platform.getUserMedia = (constraints) =>
      refuse ? Promise.reject(new DOMException('denied', 'NotAllowedError')) : navigator.mediaDevices.getUserMedia(constraints);
    const { el } = await sessionFixture(options);
    await el.start();
    await until(() => el.state === 'live', 'live');
    const camera = el.details.localStream!.getVideoTracks()[0];
    const states: SessionState[] = [];
    el.addEventListener('faceswap-state-change', (event) => states.push(event.detail.state));
    refuse = true;
    const error = oneEvent(el, 'faceswap-error');
    await el.switchCamera();
    const { detail } = await error;
    expect([detail.code, detail.fatal]).to.deep.equal(['camera-denied', false]);
    expect(states).to.deep.equal([]);
    expect(el.state).to.equal('live');
    expect(camera.readyState).to.equal('live');
    expect(el.details.localStream!.getVideoTracks()[0]).to.equal(camera);
  });

  it('toggles the microphone from its button, reflected in aria-pressed and the mic attribute', async () => {
    const { el } = await sessionFixture();
    const mic = inShadow<HTMLButtonElement>(el, '[part~=mic-button]')!;
    expect(mic.getAttribute('aria-pressed')).to.equal('false');
    mic.click();
    await el.updateComplete;
    expect(el.mic).to.equal(true);
    expect(el.hasAttribute('mic')).to.equal(true);
    expect(mic.getAttribute('aria-pressed')).to.equal('true');
    await el.start();
    await until(() => el.state === 'live', 'live');
    await until(() => el.details.localStream !== null, 'local stream');
    mic.click();
    await until(() => el.details.micEnabled === false, 'mic off in the session');
  });

  it('keeps two sessions on one page independent', async () => {
    const a = fakePlatform();
    const b = fakePlatform();
    const container = await fixture(html`<div>
      <faceswap-session id="a" .tokenProvider=${grantProvider} .platform=${a.platform} .source=${SOURCE}><faceswap-player></faceswap-player></faceswap-session>
      <faceswap-session id="b" .tokenProvider=${grantProvider} .platform=${b.platform} .source=${OTHER_SOURCE}><faceswap-player></faceswap-player></faceswap-session>
    </div>`);
    const [first, second] = container.querySelectorAll('faceswap-session');
    await first.start();
    await until(() => first.state === 'live', 'first live');
    expect(second.state).to.equal('idle');
    await second.start();
    await until(() => second.state === 'live', 'second live');
    await first.stop();
    expect(first.state).to.equal('ended');
    expect(second.state).to.equal('live');
    const [playerA, playerB] = container.querySelectorAll('faceswap-player');
    await Promise.all([playerA.updateComplete, playerB.updateComplete]);
    expect(playerA.state).to.equal('ended');
    expect(playerB.state).to.equal('live');
    expect(a.transports[0].left).to.equal(true);
    expect(b.transports[0].left).to.equal(false);
  });

  it('releases the camera and leaves when removed mid-session, but survives a move', async () => {
    const { el, transports } = await sessionFixture();
    await el.start();
    await until(() => el.state === 'live', 'live');
    const tracks = el.details.localStream!.getTracks();
    const other = await fixture(html`<section></section>`);
    other.append(el);
    await aTimeout(50);
    expect(el.state).to.equal('live');
    expect(tracks.every((track) => track.readyState === 'live')).to.equal(true);
    el.remove();
    await until(() => el.state === 'ended', 'ended after removal');
    expect(tracks.every((track) => track.readyState === 'ended')).to.equal(true);
    expect(transports[0].left).to.equal(true);
  });

  it('leaves no live track and no transport listener after repeated add, start and remove', async () => {
    const { platform, transports } = fakePlatform();
    const container = await fixture(html`<div></div>`);
    const tracks: MediaStreamTrack[] = [];
    for (let cycle = 0; cycle < 6; cycle += 1) {
      const session = document.createElement('faceswap-session');
      session.platform = platform;
      session.tokenProvider = grantProvider;
      session.source = SOURCE;
      session.append(document.createElement('faceswap-player'));
      container.append(session);
      await session.start();
      await until(() => session.state === 'live', `live in cycle ${cycle}`);
      const { localStream, remoteTrack } = session.details;
      tracks.push(...localStream!.getTracks(), remoteTrack!);
      session.remove();
      await until(() => session.state === 'ended', `ended in cycle ${cycle}`);
    }
    expect(transports).to.have.length(6);
    expect(transports.every((transport) => transport.left && transport.listenerCount() === 0)).to.equal(true);
    expect(tracks.filter((track) => track.readyState === 'live')).to.deep.equal([]);
  });

  it('takes its language from the nearest lang, its strings from `strings`, and lays out right to left in Arabic', async () => {
    const { platform } = fakePlatform();
    const wrapper = await fixture(html`<div lang="fr"><faceswap-session .platform=${platform} .source=${SOURCE}></faceswap-session></div>`);
    const el = wrapper.querySelector('faceswap-session')!;
    await until(() => shadowText(el, '[part~=start-button]') === 'Démarrer', 'French');
    wrapper.setAttribute('lang', 'es-MX');
    await until(() => shadowText(el, '[part~=start-button]') === 'Iniciar', 'Spanish after the lang change');
    wrapper.setAttribute('lang', 'ar');
    await until(() => shadowText(el, '[part~=start-button]') === 'ابدأ', 'Arabic');
    expect(inShadow(el, '[part=base]')!.getAttribute('dir')).to.equal('rtl');
    await expect(el).shadowDom.to.be.accessible();
    el.lang = 'de';
    await until(() => shadowText(el, '[part~=start-button]') === 'Start', 'English fallback for an unknown language');
    expect(inShadow(el, '[part=base]')!.getAttribute('dir')).to.equal('ltr');
    el.strings = { start: 'Los!', errors: { 'camera-denied': 'Kamera verweigert.' } };
    await el.updateComplete;
    expect(shadowText(el, '[part~=start-button]')).to.equal('Los!');
    el.strings = null;
    await el.updateComplete;
    expect(shadowText(el, '[part~=start-button]')).to.equal('Start');
  });

  it('lists cameras in a select when there are several, and switches to the chosen one', async () => {
    // A camera is added to the browser's fake ones: a device entry and a canvas stream for it.
    const second = { deviceId: 'second-camera', groupId: 'second', kind: 'videoinput', label: 'Second camera', toJSON: () => ({}) } as MediaDeviceInfo;
    const mediaDevices = navigator.mediaDevices;
    const enumerate = mediaDevices.enumerateDevices;
    mediaDevices.enumerateDevices = async () => [...(await enumerate.call(mediaDevices)), second];
    const secondCamera = () => {
      const canvas = Object.assign(document.createElement('canvas'), { width: 320, height: 240 });
      canvas.getContext('2d')!.fillRect(0, 0, 320, 240);
      const track = canvas.captureStream(15).getVideoTracks()[0];
      const settings = track.getSettings.bind(track);
      track.getSettings = () => ({ ...settings(), deviceId: second.deviceId });
      return new MediaStream([track]);
    };
    const options = fakePlatform();
    options.platform.getUserMedia = (constraints) => {
      const video = constraints.video as MediaTrackConstraints | false;
      const wanted = video && (video.deviceId as ConstrainDOMStringParameters | undefined)?.exact;
      return wanted === second.deviceId ? Promise.resolve(secondCamera()) : mediaDevices.getUserMedia(constraints);
    };
    try {
      const { el, transports } = await sessionFixture(options);
      await el.start();
      await until(() => el.state === 'live', 'live');
      const first = el.details.localStream!.getVideoTracks()[0];
      const select = await until(() => inShadow<HTMLSelectElement>(el, '[part~=camera-select]'), 'camera select');
      // The browser's own fake cameras: one in Chromium and Firefox, two in WebKitGTK's mock capture.
      const ownCameras = (await enumerate.call(mediaDevices)).filter((device) => device.kind === 'videoinput').length;
      expect([...select.options].map((option) => option.textContent))
        .to.have.length(ownCameras + 1)
        .and.to.include('Second camera');
      expect(select.value, 'the camera in use is selected').to.equal(first.getSettings().deviceId);
      select.value = second.deviceId;
      select.dispatchEvent(new Event('change'));
      await until(() => el.details.localStream?.getVideoTracks()[0]?.getSettings().deviceId === second.deviceId, 'switched camera');
      expect(first.readyState, 'the old camera is released').to.equal('ended');
      expect(transports[0].published.at(-1)!.video.getSettings().deviceId, 'the new camera is published').to.equal(second.deviceId);
      expect(el.state).to.equal('live');
      await el.updateComplete;
      expect(select.value).to.equal(second.deviceId);
    } finally {
      mediaDevices.enumerateDevices = enumerate;
    }
  });

  it('takes a PNG snapshot of the swapped video', async () => {
    const { el } = await sessionFixture();
    let failed: unknown = null;
    await el.snapshot().catch((error) => (failed = error));
    expect((failed as DOMException).name).to.equal('InvalidStateError');
    await el.start();
    await until(() => el.state === 'live', 'live');
    const png = await el.snapshot();
    expect(png.type).to.equal('image/png');
    const bytes = new Uint8Array(await png.arrayBuffer());
    expect(Array.from(bytes.slice(1, 4), (b) => String.fromCharCode(b)).join('')).to.equal('PNG');
  });

  it('passes an accessibility audit in every state', async () => {
    // No swapped video until the test delivers one, so `waiting` lasts as long as its audit.
    const { el, transports } = await sessionFixture(fakePlatform({ remote: 'none' }));
    const audited = new Set<string>();
    const audit = async () => {
      await el.updateComplete;
      const state = el.state;
      await expect(el).to.be.accessible();
      audited.add(state);
    };
    await audit();
    void el.start();
    await until(() => el.state === 'waiting', 'waiting');
    await audit();
    const canvas = document.createElement('canvas');
    canvas.getContext('2d')!.fillRect(0, 0, 10, 10);
    transports[0].deliverRemote(canvas.captureStream(5).getVideoTracks()[0]);
    transports[0].emitFirstFrame();
    await until(() => el.state === 'live', 'live');
    await audit();
    transports[0].emitConnection('reconnecting');
    await until(() => el.state === 'reconnecting', 'reconnecting');
    await audit();
    await el.stop();
    await audit();
    const failing = await sessionFixture(fakePlatform({ joinError: new FaceswapError('rtc-join-timeout') }));
    await failing.el.start();
    await until(() => failing.el.state === 'error', 'error');
    await failing.el.updateComplete;
    await expect(failing.el).to.be.accessible();
    expect([...audited]).to.include.members(['idle', 'waiting', 'live', 'reconnecting', 'ended']);
  });
});
