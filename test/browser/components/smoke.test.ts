import { expect } from '@open-wc/testing';

describe('browser smoke', () => {
  it('captures the fake camera', async () => {
    const stream = await navigator.mediaDevices.getUserMedia({ video: true });
    const [track] = stream.getVideoTracks();
    expect(track.readyState).to.equal('live');
    track.stop();
    expect(track.readyState).to.equal('ended');
  });
});
