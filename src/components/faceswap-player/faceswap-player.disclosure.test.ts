import { expect, fixture, html } from '@open-wc/testing';
import '../../index.js';
import type { FaceswapSession } from '../faceswap-session/faceswap-session.js';
import type { FaceswapPlayer } from './faceswap-player.js';
import { fakePlatform, grantProvider, inShadow, shadowText, SOURCE, until } from '../../../test/support/test-kit.js';

/** The "AI face swap" label of <faceswap-player> (EU AI Act Art. 50): shown, not covered, translated, announced once. */

async function livePlayer(lang = 'en', attributes = '') {
  const options = fakePlatform({ remote: 'echo' });
  const session =
    await fixture<FaceswapSession>(html`<faceswap-session lang=${lang} .tokenProvider=${grantProvider} .platform=${options.platform} .source=${SOURCE}>
    <faceswap-player fit="cover" style="width: 320px; --faceswap-player-aspect-ratio: 9 / 16"></faceswap-player>
  </faceswap-session>`);
  const player = session.querySelector('faceswap-player')!;
  for (const attribute of attributes.split(' ').filter(Boolean)) player.setAttribute(attribute, '');
  await session.start();
  await until(() => player.state === 'live', 'live', 15000);
  await player.updateComplete;
  return { session, player, ...options };
}

/** The label is rendered, inside the player's visible box, and the topmost element at its centre. */
function expectVisibleLabel(player: FaceswapPlayer, text: string) {
  const label = inShadow(player, '[part~=disclosure]');
  expect(label, 'label rendered').to.not.equal(null);
  expect(shadowText(player, '[part~=disclosure]')).to.equal(text);
  const box = player.getBoundingClientRect();
  const rect = label!.getBoundingClientRect();
  expect(rect.width * rect.height).to.be.greaterThan(0);
  expect(rect.left >= box.left && rect.right <= box.right && rect.top >= box.top && rect.bottom <= box.bottom, 'inside the visible box').to.equal(true);
  const top = player.shadowRoot!.elementFromPoint(rect.left + rect.width / 2, rect.top + rect.height / 2);
  expect(top === label || label!.contains(top), `not covered (found ${top?.className})`).to.equal(true);
}

const LABELS = { en: 'AI face swap', es: 'Cara cambiada con IA', fr: 'Visage modifié par IA', ar: 'وجه مُبدَّل بالذكاء الاصطناعي' };

describe('<faceswap-player> AI disclosure', () => {
  it('labels the swapped video in live and reconnecting, not covered, with passing contrast, announced once', async function () {
    this.timeout(60_000); // three accessibility audits of a live player
    const { player, transports, session } = await livePlayer('en', 'stats');
    expectVisibleLabel(player, LABELS.en);
    await expect(player).shadowDom.to.be.accessible();
    const region = [...player.shadowRoot!.querySelectorAll('[role=status]')].find((el) => el.textContent!.includes('artificially'))!;
    expect(region.getAttribute('aria-live')).to.equal('polite');
    expect(region.textContent!.trim()).to.equal('This video is artificially generated: the face was swapped by AI.');
    const announced = region.textContent;
    transports[0].emitConnection('reconnecting');
    await until(() => player.state === 'reconnecting', 'reconnecting');
    await player.updateComplete;
    expectVisibleLabel(player, LABELS.en);
    await expect(player).shadowDom.to.be.accessible();
    transports[0].emitConnection('connected');
    await until(() => player.state === 'live', 'live again');
    await player.updateComplete;
    expectVisibleLabel(player, LABELS.en);
    // The same live region, unchanged: screen readers are not told again.
    expect(region.isConnected && region.textContent).to.equal(announced);
    await session.stop();
    await player.updateComplete;
    expect(inShadow(player, '[part~=disclosure]')).to.equal(null);
  });

  for (const lang of ['es', 'fr', 'ar'] as const) {
    it(`labels the swapped video in ${lang}`, async () => {
      const { player } = await livePlayer(lang);
      await until(() => shadowText(player, '[part~=disclosure]') === LABELS[lang], `${lang} label`);
      expectVisibleLabel(player, LABELS[lang]);
      await expect(player).shadowDom.to.be.accessible();
    });
  }

  it('is styled through ::part(disclosure) and --faceswap-disclosure-* properties', async () => {
    const { player } = await livePlayer();
    player.style.setProperty('--faceswap-disclosure-background', 'rgb(10 20 30)');
    player.style.setProperty('--faceswap-disclosure-color', 'rgb(250 250 200)');
    const label = inShadow(player, '[part~=disclosure]')!;
    expect(getComputedStyle(label).backgroundColor).to.equal('rgb(10, 20, 30)');
    expect(getComputedStyle(label).color).to.equal('rgb(250, 250, 200)');
  });

  it('turns off only with no-disclosure, which warns once naming the obligation', async () => {
    const warnings: string[] = [];
    const original = console.warn;
    console.warn = (...args: unknown[]) => warnings.push(args.join(' '));
    try {
      const { player } = await livePlayer('en', 'no-disclosure');
      expect(inShadow(player, '[part~=disclosure]')).to.equal(null);
      const second = await livePlayer('en', 'no-disclosure');
      expect(inShadow(second.player, '[part~=disclosure]')).to.equal(null);
      const disclosureWarnings = warnings.filter((w) => w.includes('no-disclosure'));
      expect(disclosureWarnings).to.have.length(1);
      expect(disclosureWarnings[0]).to.contain('EU AI Act (Art. 50(4))');
      player.removeAttribute('no-disclosure');
      await player.updateComplete;
      expectVisibleLabel(player, LABELS.en);
    } finally {
      console.warn = original;
    }
  });
});
