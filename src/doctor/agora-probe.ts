/**
 * The page `faceswap-elements doctor` opens on 127.0.0.1 (src/server/doctor-agora.ts): it joins the throwaway
 * session's Agora channel with the client's own AgoraTransport, sends the doctor's face photo as a generated video
 * track (no camera needed), notes which uids join and publish what and when, and which one the client takes as
 * the swapped video, then leaves and posts that account back once. The Agora SDK is whatever the doctor serves
 * as `agora-rtc-sdk-ng` (the page's import map): the package's own copy.
 */
import type { IAgoraRTC, IAgoraRTCClient, IAgoraRTCRemoteUser, IRemoteAudioTrack, IRemoteVideoTrack } from 'agora-rtc-sdk-ng';
import { base64ToBytes } from '../core/base64.js';
import type { ChannelEvent, ChannelProbeRequest, ChannelProbeResult } from '../core/doctor-channel.js';
import { FaceswapError } from '../core/errors.js';
import { loadAgora } from '../rtc/agora-loader.js';
import { AgoraTransport } from '../rtc/agora-transport.js';

const FACE_URL = '/face.jpg';
const FRAME_RATE = 15;

type Note = (uid: IAgoraRTCRemoteUser['uid'], kind: ChannelEvent['kind'], media?: ChannelEvent['media']) => void;

/** The SDK with every client it creates watched: the channel's events, and which uid each subscribed video is from. */
function watchedSdk(sdk: IAgoraRTC, note: Note, videoUids: Map<MediaStreamTrack, string>): IAgoraRTC {
  const watch = (client: IAgoraRTCClient) => {
    client.on('user-joined', (user: IAgoraRTCRemoteUser) => note(user.uid, 'joined'));
    client.on('user-left', (user: IAgoraRTCRemoteUser) => note(user.uid, 'left'));
    client.on('user-published', (user: IAgoraRTCRemoteUser, media: ChannelEvent['media']) => note(user.uid, 'published', media));
    client.on('user-unpublished', (user: IAgoraRTCRemoteUser, media: ChannelEvent['media']) => note(user.uid, 'unpublished', media));
    const subscribe = client.subscribe.bind(client) as (user: IAgoraRTCRemoteUser, media: string) => Promise<IRemoteVideoTrack | IRemoteAudioTrack>;
    const watchedSubscribe = async (user: IAgoraRTCRemoteUser, media: string) => {
      const track = await subscribe(user, media);
      if (media === 'video') videoUids.set(track.getMediaStreamTrack(), String(user.uid));
      return track;
    };
    client.subscribe = watchedSubscribe as IAgoraRTCClient['subscribe'];
    return client;
  };
  return new Proxy(sdk, {
    get(target, key) {
      if (key === 'createClient') return (...args: Parameters<IAgoraRTC['createClient']>) => watch(target.createClient(...args));
      const value = Reflect.get(target, key, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** The doctor's photo as a live video track, redrawn every frame so the encoder always has something to send. */
async function faceTrack(): Promise<{ track: MediaStreamTrack; stop: () => void }> {
  const image = new Image();
  image.src = FACE_URL;
  await image.decode();
  const canvas = document.createElement('canvas');
  canvas.width = image.naturalWidth;
  canvas.height = image.naturalHeight;
  const context = canvas.getContext('2d')!;
  let frame = 0;
  const draw = () => {
    context.drawImage(image, 0, 0);
    // A changing corner pixel: a canvas that never changes may send no frames at all.
    context.fillStyle = frame++ % 2 ? '#000' : '#fff';
    context.fillRect(0, 0, 1, 1);
  };
  draw();
  const timer = setInterval(draw, 1000 / FRAME_RATE);
  const [track] = canvas.captureStream(FRAME_RATE).getVideoTracks();
  return {
    track: track!,
    stop: () => {
      clearInterval(timer);
      track!.stop();
    },
  };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Joins, publishes, waits for the swapped video (then `settleMs` more), leaves: what was seen, never a rejection. */
async function probe(request: ChannelProbeRequest, show: (text: string) => void): Promise<ChannelProbeResult> {
  const started = performance.now();
  const at = () => Math.round(performance.now() - started);
  const result: ChannelProbeResult = { events: [], userAgent: navigator.userAgent };
  const videoUids = new Map<MediaStreamTrack, string>();
  const note: Note = (uid, kind, media) => result.events.push({ atMs: at(), uid: String(uid), kind, ...(media ? { media } : {}) });
  const transport = new AgoraTransport({ disableEventReport: true, loadSdk: async () => watchedSdk(await loadAgora(), note, videoUids) });
  let played: MediaStreamTrack | null = null;
  transport.on('remote-video', (track) => (played = track ?? played));
  const firstFrame = new Promise<void>((resolve) => transport.on('first-frame', () => resolve()));
  const lost = new Promise<FaceswapError>((resolve) => {
    transport.on('error', resolve);
    transport.on('connection', ({ error }) => error && resolve(error));
  });
  let face: Awaited<ReturnType<typeof faceTrack>> | undefined;
  try {
    face = await faceTrack();
    show('Joining the Agora channel…');
    const { appId, channel, uid, token, remoteUid } = request;
    await transport.join({ appId, channel, uid, token, remoteUid }, new AbortController().signal);
    result.joinMs = at();
    await transport.publish({ video: face.track });
    show('Joined; sending the photo and waiting for the swapped video…');
    const outcome = await Promise.race([firstFrame.then(() => 'video' as const), lost, sleep(request.observeMs).then(() => 'timeout' as const)]);
    if (outcome instanceof FaceswapError) throw outcome;
    if (outcome === 'video') {
      result.firstFrameMs = at();
      result.playedUid = played ? videoUids.get(played) : undefined;
      show('Swapped video arrived; listening a little longer for audio…');
      await sleep(request.settleMs);
    }
  } catch (error) {
    const code = error instanceof FaceswapError ? error.code : 'page-error';
    result.error = { code, message: error instanceof Error ? error.message : String(error) };
  } finally {
    await transport.leave();
    face?.stop();
  }
  return result;
}

function readRequest(): ChannelProbeRequest | undefined {
  const fragment = location.hash.slice(1);
  // Out of the address bar and the history: the fragment holds the RTC token.
  history.replaceState(null, '', location.pathname);
  if (!fragment) return undefined;
  try {
    return JSON.parse(new TextDecoder().decode(base64ToBytes(fragment))) as ChannelProbeRequest;
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const status = document.getElementById('status')!;
  const show = (text: string) => {
    status.textContent = text;
  };
  const request = readRequest();
  if (!request) return show('This page has no orders (it works once, from the link the doctor prints). Run the doctor again.');
  const result = await probe(request, show);
  document.getElementById('result')!.textContent = JSON.stringify(result, null, 2);
  const answer = await fetch('/result', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-doctor-key': request.resultKey },
    body: JSON.stringify(result),
  }).catch(() => null);
  show(answer?.ok ? 'Done: the doctor has the result, you can close this tab.' : 'The doctor did not take the result (it may have stopped waiting).');
}

void main();
