import { expect } from '@open-wc/testing';
import './faceswap-session.js';
import './faceswap-player.js';
import './face-source-picker.js';
import { FaceswapPlayer } from '../components/faceswap-player/faceswap-player.js';
import { define } from '../internal/define.js';

const VERSIONS = Symbol.for('faceswap-elements/defined-versions');

describe('define()', () => {
  let warnings: string[];
  const warn = console.warn;
  beforeEach(() => {
    warnings = [];
    console.warn = (...args: unknown[]) => warnings.push(args.join(' '));
  });
  afterEach(() => {
    console.warn = warn;
  });

  it('registers each element through its define entry', () => {
    for (const tag of ['faceswap-session', 'faceswap-player', 'face-source-picker']) {
      expect(customElements.get(tag), tag).to.not.equal(undefined);
    }
    expect(customElements.get('faceswap-player')).to.equal(FaceswapPlayer);
  });

  it('stays silent when the same release defines a tag again (a second bundle, or an entry imported twice)', () => {
    define('faceswap-player', FaceswapPlayer);
    define('faceswap-player', class SecondBundle extends FaceswapPlayer {});
    expect(warnings).to.deep.equal([]);
    expect(customElements.get('faceswap-player')).to.equal(FaceswapPlayer);
  });

  it('warns for a real conflict (another release or another library) and keeps the first definition', () => {
    const first = class extends HTMLElement {};
    customElements.define('faceswap-test-other-library', first);
    define('faceswap-test-other-library', class extends HTMLElement {});
    expect(warnings.length).to.equal(1);
    expect(warnings[0]).to.contain('<faceswap-test-other-library> is already defined by another library');
    expect(customElements.get('faceswap-test-other-library')).to.equal(first);

    const older = class extends HTMLElement {};
    customElements.define('faceswap-test-older', older);
    (globalThis as unknown as Record<symbol, Record<string, string>>)[VERSIONS]['faceswap-test-older'] = '0.0.1';
    define('faceswap-test-older', class extends HTMLElement {});
    expect(warnings[1]).to.contain('<faceswap-test-older> is already defined by faceswap-elements 0.0.1');
    expect(customElements.get('faceswap-test-older')).to.equal(older);
  });
});
