import { aTimeout, expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../index.js';
import type { FaceSourcePicker } from './face-source-picker.js';
import type { FaceswapSession } from '../faceswap-session/faceswap-session.js';
import { fakePlatform, inShadow, shadowText, until } from '../../../test/support/test-kit.js';
import { facelessFile } from '../../../test/support/faceless.js';

const ENDPOINT = '/api/faceswap';
const ONE_FACE = '/demo/faces/ada.jpg';
const OTHER_FACE = '/demo/faces/ben.jpg';
/** A 1920x1280 group photo with three faces. */
const GROUP = '/node_modules/@vladmandic/face-api/demo/sample1.jpg';

async function fileFrom(url: string, name = url.split('/').pop()!): Promise<File> {
  const blob = await (await fetch(url)).blob();
  return new File([blob], name, { type: blob.type || 'image/jpeg' });
}

function faceless(): Promise<File> {
  return facelessFile('gradient.png', 480, 360);
}

/** Counts `/detect` requests, to prove bad files never leave the browser. */
function countDetects() {
  const original = window.fetch;
  const counter = { count: 0, restore: () => (window.fetch = original) };
  window.fetch = (input, init) => {
    if (String(input instanceof Request ? input.url : input).endsWith('/detect')) counter.count += 1;
    return original(input, init);
  };
  return counter;
}

function withFiles(files: File[]): DataTransfer {
  const data = new DataTransfer();
  for (const file of files) data.items.add(file);
  return data;
}

async function upload(picker: FaceSourcePicker, file: File) {
  const input = inShadow<HTMLInputElement>(picker, 'input[type=file]')!;
  input.files = withFiles([file]).files;
  input.dispatchEvent(new Event('change'));
}

const faces = (picker: FaceSourcePicker) => [...picker.shadowRoot!.querySelectorAll<HTMLButtonElement>('[part~=face]')];

describe('<face-source-picker>', () => {
  before(async function () {
    // The emulator's face detector loads on the first detection: load it here, under this hook's own limit, so
    // that no test's 20 s budget pays for it on a busy machine.
    this.timeout(120_000);
    expect((await fetch('/__test/detector/warm-up', { method: 'POST' })).ok, 'detector warmed up').to.equal(true);
  });

  it('renders an accessible empty picker with a gallery from slotted images and `sources`', async () => {
    const picker = await fixture<FaceSourcePicker>(html`<face-source-picker token-endpoint=${ENDPOINT}>
      <img src=${ONE_FACE} alt="Ada" />
      <img src=${OTHER_FACE} alt="Ben" />
    </face-source-picker>`);
    picker.sources = [{ src: '/demo/faces/cleo.jpg', label: 'Cleo' }];
    await picker.updateComplete;
    const thumbs = [...picker.shadowRoot!.querySelectorAll('[part~=thumbnail]')];
    expect(thumbs.map((t) => t.getAttribute('aria-label'))).to.deep.equal(['Use Ada', 'Use Ben', 'Use Cleo']);
    expect(picker.status).to.equal('empty');
    expect(picker.getAttribute('status')).to.equal('empty');
    expect(() => ((picker as unknown as { status: string }).status = 'selected'), 'status is read-only').to.throw(TypeError);
    expect(picker.getAttribute('state')).to.equal('idle');
    await expect(picker).shadowDom.to.be.accessible();
    await expect(picker).to.be.accessible();
    picker.sources = null;
    await picker.updateComplete;
    expect(picker.shadowRoot!.querySelectorAll('[part~=thumbnail]')).to.have.length(2);
  });

  it('takes properties set before and after connection alike, and null restores defaults', async () => {
    const before = document.createElement('face-source-picker');
    before.sources = [{ src: ONE_FACE, label: 'Ada' }];
    before.maxBytes = 2000;
    const after = document.createElement('face-source-picker');
    const container = await fixture(html`<div></div>`);
    container.append(before, after);
    after.sources = [{ src: ONE_FACE, label: 'Ada' }];
    after.maxBytes = 2000;
    await Promise.all([before.updateComplete, after.updateComplete]);
    for (const picker of [before, after]) {
      expect(picker.shadowRoot!.querySelectorAll('[part~=thumbnail]')).to.have.length(1);
      await upload(picker, await fileFrom(ONE_FACE));
      await until(() => shadowText(picker, '[part~=message]') === 'This image is too large. The limit is 2 KB.', 'limit applied');
      (picker as unknown as Record<string, unknown>).maxBytes = null;
      picker.sources = null;
      await picker.updateComplete;
      expect(picker.maxBytes).to.equal(10_485_760);
      expect(picker.shadowRoot!.querySelectorAll('[part~=thumbnail]')).to.have.length(0);
    }
  });

  it('detects the face of a gallery photo and fires faceswap-source-change', async () => {
    const picker = await fixture<FaceSourcePicker>(html`<face-source-picker token-endpoint=${ENDPOINT}><img src=${ONE_FACE} alt="Ada" /></face-source-picker>`);
    const change = oneEvent(picker, 'faceswap-source-change');
    inShadow<HTMLButtonElement>(picker, '[part~=thumbnail]')!.click();
    const { detail, bubbles, composed } = await change;
    expect(bubbles && composed).to.equal(true);
    expect(detail.path).to.match(/^http/);
    expect(detail.opts).to.match(/^\d+(\.\d+)?,\d+(\.\d+)?(:\d+(\.\d+)?,\d+(\.\d+)?){3}$/);
    expect(detail.box).to.have.length(4);
    expect(detail.imageUrl).to.equal(new URL(ONE_FACE, location.href).href);
    await picker.updateComplete;
    expect(picker.status).to.equal('selected');
    expect(picker.value).to.deep.equal(detail);
    expect(faces(picker)).to.have.length(1);
    expect(faces(picker)[0].getAttribute('aria-pressed')).to.equal('true');
    expect(inShadow(picker, '[part~=thumbnail]')!.getAttribute('aria-pressed')).to.equal('true');
    await expect(picker).shadowDom.to.be.accessible();
  });

  it('fires the deprecated face-source-change right after faceswap-source-change, warning once when it is read', async () => {
    const picker = await fixture<FaceSourcePicker>(html`<face-source-picker token-endpoint=${ENDPOINT}><img src=${ONE_FACE} alt="Ada" /></face-source-picker>`);
    const order: string[] = [];
    picker.addEventListener('faceswap-source-change', () => order.push('faceswap-source-change'));
    picker.addEventListener('face-source-change', () => order.push('face-source-change'));
    const current = oneEvent(picker, 'faceswap-source-change');
    const deprecated = oneEvent(picker, 'face-source-change');
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (message: string) => warnings.push(message);
    try {
      inShadow<HTMLButtonElement>(picker, '[part~=thumbnail]')!.click();
      const [{ detail }, old] = await Promise.all([current, deprecated]);
      expect(warnings, 'the new event does not warn').to.deep.equal([]);
      expect(old.bubbles && old.composed).to.equal(true);
      expect(old.detail).to.deep.equal(detail);
      expect(old.detail.path).to.equal(detail.path);
    } finally {
      console.warn = warn;
    }
    expect(order).to.deep.equal(['faceswap-source-change', 'face-source-change']);
    expect(warnings.filter((message) => message.includes('face-source-change event is deprecated'))).to.have.length(1);
  });

  it('uploads a photo through the file input, scaled down, and lets the visitor choose among several faces by keyboard', async () => {
    const picker = await fixture<FaceSourcePicker>(html`<face-source-picker token-endpoint=${ENDPOINT}></face-source-picker>`);
    const requests: { width: number; body: string }[] = [];
    const original = window.fetch;
    window.fetch = async (input, init) => {
      const response = await original(input, init);
      if (String(input).endsWith('/detect')) requests.push({ width: (await response.clone().json()).width, body: String(init?.body) });
      return response;
    };
    let fired = 0;
    picker.addEventListener('faceswap-source-change', () => (fired += 1));
    try {
      await upload(picker, await fileFrom(GROUP));
      await until(() => picker.status === 'choosing', 'several faces to choose from', 15000);
    } finally {
      window.fetch = original;
    }
    // 1920 px wide: sent at 1280 as JPEG.
    expect(requests[0].width).to.equal(1280);
    expect(requests[0].body).to.contain('"image":"data:image/jpeg;base64,');
    expect(faces(picker).length).to.equal(3);
    expect(fired).to.equal(0);
    expect(shadowText(picker, '[part~=message]')).to.equal('Several faces were found. Choose one.');
    await expect(picker).shadowDom.to.be.accessible();
    // Focus goes to the first face; arrows move; Enter picks.
    await until(() => picker.shadowRoot!.activeElement === faces(picker)[0], 'first face focused');
    faces(picker)[0].dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true, composed: true }));
    expect(picker.shadowRoot!.activeElement).to.equal(faces(picker)[1]);
    const change = oneEvent(picker, 'faceswap-source-change');
    faces(picker)[1].click(); // what Enter/Space do on a focused button
    const { detail } = await change;
    expect(detail.imageUrl).to.match(/^blob:/);
    await picker.updateComplete;
    expect(faces(picker).map((f) => f.getAttribute('aria-pressed'))).to.deep.equal(['false', 'true', 'false']);
    expect(detail.box).to.deep.equal((picker as unknown as { faces: { box: number[] }[] }).faces[1].box);
  });

  it('takes a dropped photo', async () => {
    const picker = await fixture<FaceSourcePicker>(html`<face-source-picker token-endpoint=${ENDPOINT}></face-source-picker>`);
    const dropzone = inShadow(picker, '[part~=dropzone]')!;
    const data = withFiles([await fileFrom(ONE_FACE)]);
    dropzone.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true, composed: true }));
    await picker.updateComplete;
    expect(picker.hasAttribute('dragging')).to.equal(true);
    expect(picker.dragging).to.equal(true);
    expect(() => ((picker as unknown as { dragging: boolean }).dragging = false), 'dragging is read-only').to.throw(TypeError);
    const dropped = oneEvent(picker, 'faceswap-source-change');
    dropzone.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true, composed: true }));
    const { detail } = await dropped;
    expect(picker.hasAttribute('dragging')).to.equal(false);
    expect(picker.dragging).to.equal(false);
    expect(detail.imageUrl).to.match(/^blob:/);
  });

  it('takes a pasted photo', async function () {
    const picker = await fixture<FaceSourcePicker>(html`<face-source-picker token-endpoint=${ENDPOINT}></face-source-picker>`);
    const paste = new ClipboardEvent('paste', { clipboardData: withFiles([await fileFrom(OTHER_FACE)]), bubbles: true, cancelable: true, composed: true });
    // Firefox drops the files of a script-made ClipboardEvent (a real paste carries them): nothing to test there.
    if (!paste.clipboardData || paste.clipboardData.files.length === 0) this.skip();
    const pasted = oneEvent(picker, 'faceswap-source-change');
    inShadow(picker, '[part~=upload-button]')!.dispatchEvent(paste);
    const { detail } = await pasted;
    expect(paste.defaultPrevented).to.equal(true);
    expect(detail.imageUrl).to.match(/^blob:/);
  });

  it('refuses wrong types, too-large and unreadable files before any upload, with clear messages', async () => {
    const picker = await fixture<FaceSourcePicker>(html`<face-source-picker token-endpoint=${ENDPOINT} max-bytes="5000"></face-source-picker>`);
    const detects = countDetects();
    try {
      await upload(picker, new File(['just text'], 'notes.txt', { type: 'text/plain' }));
      await until(() => picker.status === 'error', 'wrong type refused');
      expect(shadowText(picker, '[part~=message]')).to.equal('This file is not a supported image. Use a JPEG, PNG or WebP photo.');

      await upload(picker, await fileFrom(ONE_FACE));
      await until(() => shadowText(picker, '[part~=message]').includes('too large'), 'too large refused');
      expect(shadowText(picker, '[part~=message]')).to.equal('This image is too large. The limit is 5 KB.');

      picker.removeAttribute('max-bytes');
      await picker.updateComplete;
      expect(picker.maxBytes).to.equal(10 * 1024 * 1024);
      const garbage = new Uint8Array(2048).map((_, i) => (i * 7919) % 251);
      await upload(picker, new File([garbage], 'broken.png', { type: 'image/png' }));
      await until(() => shadowText(picker, '[part~=message]') === 'This image could not be read.', 'unreadable refused');
      expect(picker.status).to.equal('error');
      await expect(picker).shadowDom.to.be.accessible();
    } finally {
      detects.restore();
    }
    expect(detects.count).to.equal(0);
  });

  it('says so clearly when a photo has no face', async () => {
    const picker = await fixture<FaceSourcePicker>(html`<face-source-picker token-endpoint=${ENDPOINT}></face-source-picker>`);
    let fired = false;
    picker.addEventListener('faceswap-source-change', () => (fired = true));
    await upload(picker, await faceless());
    await until(() => picker.status === 'error', 'no face', 15000);
    expect(shadowText(picker, '[part~=message]')).to.equal('No face was found in this photo. Try another one.');
    expect(faces(picker)).to.have.length(0);
    expect(fired).to.equal(false);
  });

  it('explains a missing endpoint instead of failing silently', async () => {
    const picker = await fixture<FaceSourcePicker>(html`<face-source-picker><img src=${ONE_FACE} alt="Ada" /></face-source-picker>`);
    inShadow<HTMLButtonElement>(picker, '[part~=thumbnail]')!.click();
    await until(() => picker.status === 'error', 'error');
    expect(shadowText(picker, '[part~=message]')).to.equal('Face detection is not set up on this page.');
  });

  it('takes a photo with the camera', async () => {
    const picker = await fixture<FaceSourcePicker>(html`<face-source-picker token-endpoint=${ENDPOINT}></face-source-picker>`);
    inShadow<HTMLButtonElement>(picker, '[part~=camera-button]')!.click();
    const video = await until(() => inShadow<HTMLVideoElement>(picker, '[part~=camera] video'), 'camera view');
    await until(() => video.videoWidth > 0, 'camera frames');
    const stream = video.srcObject as MediaStream;
    await expect(picker).shadowDom.to.be.accessible();
    inShadow<HTMLButtonElement>(picker, '[part~=capture-button]')!.click();
    // The fake camera shows no face: the photo is checked like any other and the camera is released.
    await until(() => picker.status === 'error' || picker.status === 'selected' || picker.status === 'choosing', 'photo detected', 15000);
    expect(stream.getTracks().every((track) => track.readyState === 'ended')).to.equal(true);
    expect(inShadow(picker, '[part~=camera]')).to.equal(null);
  });

  it('names the camera failures as the session does: an http page is insecure, a refusal is denied', async () => {
    const picker = await fixture<FaceSourcePicker>(html`<face-source-picker token-endpoint=${ENDPOINT}></face-source-picker>`);
    // An http page: no secure context, and browsers leave navigator.mediaDevices undefined there.
    Object.defineProperty(window, 'isSecureContext', { value: false, configurable: true });
    Object.defineProperty(navigator, 'mediaDevices', { value: undefined, configurable: true });
    try {
      inShadow<HTMLButtonElement>(picker, '[part~=camera-button]')!.click();
      await until(() => picker.status === 'error', 'error');
      expect(shadowText(picker, '[part~=message]')).to.equal('The camera needs a secure (https) page.');
    } finally {
      delete (window as { isSecureContext?: boolean }).isSecureContext;
      delete (navigator as { mediaDevices?: MediaDevices }).mediaDevices;
    }
    expect(navigator.mediaDevices).to.not.equal(undefined);
    const getUserMedia = navigator.mediaDevices.getUserMedia;
    navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('denied', 'NotAllowedError'));
    try {
      inShadow<HTMLButtonElement>(picker, '[part~=camera-button]')!.click();
      await until(() => shadowText(picker, '[part~=message]') !== 'The camera needs a secure (https) page.', 'a new message');
      expect(picker.status).to.equal('error');
      expect(shadowText(picker, '[part~=message]')).to.equal('Camera access was denied. Allow the camera in your browser settings and try again.');
    } finally {
      navigator.mediaDevices.getUserMedia = getUserMedia;
    }
  });

  it('releases the camera view when removed', async () => {
    const picker = await fixture<FaceSourcePicker>(html`<face-source-picker token-endpoint=${ENDPOINT}></face-source-picker>`);
    inShadow<HTMLButtonElement>(picker, '[part~=camera-button]')!.click();
    const video = await until(() => inShadow<HTMLVideoElement>(picker, '[part~=camera] video'), 'camera view');
    await until(() => video.srcObject, 'camera stream');
    const tracks = (video.srcObject as MediaStream).getTracks();
    picker.remove();
    expect(tracks.every((track) => track.readyState === 'ended')).to.equal(true);
  });

  it('inside a session: uses its endpoint, sets its source, and changes the face live without reconnecting; removal closes the server session', async () => {
    const { platform, transports } = fakePlatform({ remote: 'echo' });
    const session = await fixture<FaceswapSession>(html`<faceswap-session token-endpoint=${ENDPOINT} .platform=${platform}>
      <face-source-picker><img src=${ONE_FACE} alt="Ada" /><img src=${OTHER_FACE} alt="Ben" /></face-source-picker>
      <faceswap-player></faceswap-player>
    </faceswap-session>`);
    const picker = session.querySelector('face-source-picker')!;
    const thumbs = () => [...picker.shadowRoot!.querySelectorAll<HTMLButtonElement>('[part~=thumbnail]')];
    const first = oneEvent(picker, 'faceswap-source-change');
    thumbs()[0].click();
    const { detail } = await first;
    await session.updateComplete;
    expect(session.source).to.deep.equal({ path: detail.path, opts: detail.opts });
    await session.start();
    await until(() => session.state === 'live', 'live', 15000);
    await picker.updateComplete;
    expect(picker.getAttribute('state')).to.equal('live');
    const sessionId = session.details.sessionId!;

    const second = oneEvent(picker, 'faceswap-source-change');
    thumbs()[1].click();
    const next = await second;
    await until(() => transports[0].sources.some((s) => s.path === next.detail.path), 'new face applied', 15000);
    expect(transports).to.have.length(1);
    expect(transports[0].calls.filter((c) => c === 'join')).to.have.length(1);
    expect(session.state).to.equal('live');
    const open = async () =>
      ((await (await fetch('/__test/emulator/sessions')).json()) as { sessions: { _id: string; closed: boolean; updates: number }[] }).sessions;
    const mine = (await open()).find((s) => sessionId.includes(s._id) || s._id.includes(sessionId));
    expect(mine, `emulator session for ${sessionId}`).to.not.equal(undefined);
    expect(mine!.closed).to.equal(false);
    expect(mine!.updates).to.be.greaterThan(0);

    session.remove();
    await until(() => session.state === 'ended', 'ended after removal');
    for (let i = 0; i < 40; i += 1) {
      const now = (await open()).find((s) => s._id === mine!._id)!;
      if (now.closed) return;
      await aTimeout(100);
    }
    throw new Error('the server session was not closed');
  });

  it('asks to confirm the right to use an uploaded face: unconfirmed, the session refuses to start; confirmed, it starts', async () => {
    const { platform, transports } = fakePlatform({ remote: 'echo' });
    const session = await fixture<FaceswapSession>(html`<faceswap-session token-endpoint=${ENDPOINT} .platform=${platform}>
      <face-source-picker></face-source-picker>
      <faceswap-player></faceswap-player>
    </faceswap-session>`);
    const picker = session.querySelector('face-source-picker')!;
    const player = session.querySelector('faceswap-player')!;
    const pending = oneEvent(picker, 'faceswap-source-change');
    await upload(picker, await fileFrom(ONE_FACE));
    const { detail } = await pending;
    expect([detail.origin, detail.consent]).to.deep.equal(['upload', 'pending']);
    await picker.updateComplete;
    const checkbox = inShadow<HTMLInputElement>(picker, '[part~=consent-checkbox]')!;
    expect(checkbox.checked).to.equal(false);
    expect(shadowText(picker, '[part~=consent]')).to.equal('I have the right to use this face: it is my own, or its owner agreed.');
    expect(shadowText(picker, '[part~=message]')).to.equal('Confirm that you may use this face before it is used.');
    await expect(picker).shadowDom.to.be.accessible();
    await session.updateComplete;
    expect(session.source).to.equal(null);
    // Start stays pressable and explains the refusal; nothing is opened or requested.
    const startButton = inShadow<HTMLButtonElement>(session, '[part~=start-button]')!;
    expect(startButton.disabled).to.equal(false);
    const refused = oneEvent(session, 'faceswap-error');
    startButton.click();
    const error = (await refused).detail;
    expect([error.code, error.fatal]).to.deep.equal(['consent-required', true]);
    expect(session.state).to.equal('error');
    expect(transports).to.have.length(0);
    await player.updateComplete;
    expect(shadowText(player, '[part~=message]')).to.equal('Confirm that you have the right to use this face before starting.');

    const confirmed = oneEvent(picker, 'faceswap-source-change');
    checkbox.click();
    expect((await confirmed).detail.consent).to.equal('confirmed');
    expect(picker.value!.consent).to.equal('confirmed');
    expect(shadowText(picker, '[part~=message]')).to.equal('Face selected.');
    await session.updateComplete;
    expect(session.source).to.deep.equal({ path: detail.path, opts: detail.opts });
    await session.start();
    await until(() => session.state === 'live', 'live after consent', 15000);
    expect(transports[0].sources.map((s) => s.path)).to.include(detail.path);

    // Unticking withdraws the face: the next start is refused again.
    const withdrawn = oneEvent(picker, 'faceswap-source-change');
    checkbox.click();
    expect((await withdrawn).detail.consent).to.equal('pending');
    await session.stop();
    await session.start();
    expect(session.state).to.equal('error');
    expect(session.details.error?.code).to.equal('consent-required');
  });

  it('asks for camera photos and uploads by default, for the gallery with consent="all", never with consent="none"', async () => {
    const picker = await fixture<FaceSourcePicker>(html`<face-source-picker token-endpoint=${ENDPOINT}><img src=${ONE_FACE} alt="Ada" /></face-source-picker>`);
    const choose = async (act: () => unknown) => {
      const change = oneEvent(picker, 'faceswap-source-change');
      await act();
      const { detail } = await change;
      await picker.updateComplete;
      return [detail.origin, detail.consent, !!inShadow(picker, '[part~=consent]')];
    };
    const gallery = () => inShadow<HTMLButtonElement>(picker, '[part~=thumbnail]')!.click();
    expect(await choose(gallery)).to.deep.equal(['gallery', 'not-required', false]);
    picker.setAttribute('consent', 'all');
    expect(await choose(gallery)).to.deep.equal(['gallery', 'pending', true]);
    picker.setAttribute('consent', 'none');
    const file = await fileFrom(ONE_FACE);
    expect(await choose(() => upload(picker, file))).to.deep.equal(['upload', 'not-required', false]);
    picker.setAttribute('consent', 'sometimes');
    expect(await choose(() => upload(picker, file))).to.deep.equal(['upload', 'pending', true]);
    // A camera photo is the visitor's too (the fake camera has no face, so the photo goes through chooseFile's path as 'camera').
    (picker as unknown as { chooseVisitorImage(b: Blob, o: string): Promise<void> }).chooseVisitorImage(file, 'camera');
    await until(() => picker.value?.origin === 'camera', 'camera photo chosen', 15000);
    expect(picker.value!.consent).to.equal('pending');
  });

  it('follows the nearest lang and its strings, right to left in Arabic', async () => {
    const wrapper = await fixture(html`<div lang="es"><face-source-picker token-endpoint=${ENDPOINT}></face-source-picker></div>`);
    const picker = wrapper.querySelector('face-source-picker')!;
    // Bundled languages other than English load on first use.
    await until(() => shadowText(picker, '[part~=upload-button]') === 'Subir una foto', 'Spanish');
    document.documentElement.lang = 'fr';
    wrapper.removeAttribute('lang');
    try {
      await until(() => shadowText(picker, '[part~=upload-button]') === 'Importer une photo', 'French from <html lang>');
      picker.lang = 'ar';
      await until(() => inShadow(picker, '[part=base]')!.getAttribute('dir') === 'rtl', 'rtl');
      await until(() => shadowText(picker, '[part~=upload-button]') === 'رفع صورة', 'Arabic');
      await expect(picker).shadowDom.to.be.accessible();
      picker.strings = { upload: 'ارفع' };
      await picker.updateComplete;
      expect(shadowText(picker, '[part~=upload-button]')).to.equal('ارفع');
    } finally {
      document.documentElement.removeAttribute('lang');
    }
  });
});
