import { expect } from '@open-wc/testing';
import { nodeModulesAssetUrls } from '../../../src/engine/assets.js';
import { LocalTransport } from '../../../src/rtc/local-transport.js';
import { SessionController } from '../../../src/session/controller.js';
import type { TransportOptions } from '../../../src/rtc/transport.js';
import type { DetectResponse, SessionState } from '../../../src/core/protocol.js';
import { until } from '../../support/until.js';
import { analyseFace, descriptorDistance, frames, grow, loadImage, meanDifference, samplePairs } from './face-check.js';

// The whole offline path a visitor gets without an AKOOL account: the token endpoint on the emulator
// (engine "local", mounted by test/support/wtr-api-plugin.mjs), the session controller, the face camera,
// and LocalTransport. The face to swap in comes from the endpoint's own detection of an uploaded photo.
const SOURCE_PHOTO = '/test/fixtures/generated/source-face.jpg';

async function dataUrl(url: string): Promise<string> {
  const blob = await (await fetch(url)).blob();
  return new Promise((resolve) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result as string);
    reader.readAsDataURL(blob);
  });
}

async function detectedSource(): Promise<DetectResponse['faces'][number]['source']> {
  const detect = await fetch('/api/faceswap/detect', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ image: await dataUrl(SOURCE_PHOTO), singleFace: true }),
  });
  expect(detect.status).to.equal(200);
  return ((await detect.json()) as DetectResponse).faces[0].source;
}

describe('a local-engine session with the face camera', function () {
  this.timeout(120000);
  let controller: SessionController | null = null;

  // The emulator's face detector loads on its first use; on a loaded machine that alone outlasts the endpoint's
  // 15 s upstream limit and the first detect answers 504.
  before(async function () {
    this.timeout(180000);
    expect((await fetch('/__test/detector/warm-up', { method: 'POST' })).ok, 'detector warmed up').to.equal(true);
  });

  afterEach(async () => {
    await controller?.dispose();
    controller = null;
  });

  it('goes live and shows the source face in place of the camera face', async () => {
    const detect = await fetch('/api/faceswap/detect', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ image: await dataUrl(SOURCE_PHOTO), singleFace: true }),
    });
    expect(detect.status).to.equal(200);
    const { faces } = (await detect.json()) as DetectResponse;
    expect(faces.length).to.equal(1);

    controller = new SessionController(
      { tokenEndpoint: '/api/faceswap', engine: 'auto', video: { width: 640, height: 480, frameRate: 20 } },
      { transportFactory: async (_engine, options) => new LocalTransport({ ...options, assetUrls: nodeModulesAssetUrls() }) },
    );
    const states: SessionState[] = [];
    const live = new Promise<void>((resolve) =>
      controller!.on('state-change', ({ state }) => {
        states.push(state);
        if (state === 'live') resolve();
      }),
    );
    await controller.setSource(faces[0].source);
    await controller.start();
    await live;
    expect(controller.snapshot.engine).to.equal('local');
    expect(states).to.include.members(['preparing', 'connecting', 'waiting', 'live']);

    const remote = controller.snapshot.remoteTrack!;
    const camera = controller.snapshot.localStream!;
    expect(remote).to.not.equal(null);
    expect(remote.id).to.not.equal(camera.getVideoTracks()[0].id);
    const player = document.createElement('video');
    player.muted = true;
    player.srcObject = new MediaStream([remote]);
    document.body.append(player);
    await player.play();
    await new Promise((r) => setTimeout(r, 1500));
    await frames(player, 2);

    const [pair] = await samplePairs(camera.getVideoTracks()[0], remote, 1);
    const source = await analyseFace(await loadImage(faces[0].source.path));
    const output = await analyseFace(pair.output);
    expect(source && output && pair.face, 'faces found by face-api').to.be.ok;
    const toSource = descriptorDistance(output!.descriptor, source!.descriptor);
    const toCamera = descriptorDistance(output!.descriptor, pair.face!.descriptor);
    console.log(`identity: ${toSource.toFixed(3)} to the source, ${toCamera.toFixed(3)} to the camera face`);
    expect(toSource, 'output closer to the source than to the camera face').to.be.below(toCamera);
    expect(meanDifference(pair.input, pair.output, grow(pair.face!.box, 0.6), true), 'inside the face').to.be.above(12);
    expect(meanDifference(pair.input, pair.output, grow(pair.face!.box, 1.6), false), 'outside the face').to.be.below(5);

    player.remove();
    await controller.stop();
    expect(controller.snapshot.state).to.equal('ended');
    expect(remote.readyState).to.equal('ended');
  });

  it('loads the face model while the face is being chosen, without the camera, and releases it on stop', async () => {
    const source = await detectedSource();
    const transports: LocalTransport[] = [];
    const make = async (options?: TransportOptions) => {
      const transport = new LocalTransport({ ...options, assetUrls: nodeModulesAssetUrls() });
      transports.push(transport);
      return transport;
    };
    controller = new SessionController(
      { tokenEndpoint: '/api/faceswap', engine: 'auto', video: { width: 640, height: 480, frameRate: 20 } },
      {
        transportFactory: (_engine, options) => make(options),
        prepareTransport: (engine, options) => (engine === 'local' ? make(options) : Promise.resolve(null)),
      },
    );
    await controller.setSource(source);
    // The endpoint grants the local engine (GET /health), so its model loads now, before any start().
    const landmarkBackend = async (transport: LocalTransport | undefined) => (await transport?.getStats())?.engine?.landmarkBackend;
    await until(() => landmarkBackend(transports[0]), 'the model loaded before start', 60_000);
    expect(controller.snapshot.state).to.equal('idle');
    expect(controller.snapshot.localStream, 'no camera before start').to.equal(null);

    await controller.stop();
    expect(await transports[0].getStats(), 'released on stop').to.deep.equal({});

    // Chosen again and started: the run takes the prepared transport instead of loading another model.
    await controller.setSource(null);
    await controller.setSource(source);
    await until(() => landmarkBackend(transports[1]), 'prepared again', 60_000);
    await controller.start();
    await until(() => controller!.snapshot.state === 'live' || controller!.snapshot.state === 'error', 'live', 60_000);
    expect(controller.snapshot.state).to.equal('live');
    expect(transports.length, 'no third transport').to.equal(2);
    await controller.dispose();
    expect(await transports[1].getStats(), 'released on dispose').to.deep.equal({});
  });
});
