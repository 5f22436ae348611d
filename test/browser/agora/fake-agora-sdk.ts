import type { IAgoraRTC } from 'agora-rtc-sdk-ng';

/**
 * A stand-in for the Agora cloud behind the SDK's API surface that AgoraTransport uses. It behaves like
 * It behaves as the real SDK was measured to: a join that never settles offline, `OPERATION_ABORTED` for a
 * join cancelled by `leave()`, `user-published` repeating, subscribe resolving with the user's track.
 */

type Listener = (...args: never[]) => void;

class FakeEmitter {
  readonly listeners = new Map<string, Set<Listener>>();
  on(event: string, listener: Listener): void {
    if (!this.listeners.has(event)) this.listeners.set(event, new Set());
    this.listeners.get(event)!.add(listener);
  }
  off(event: string, listener: Listener): void {
    this.listeners.get(event)?.delete(listener);
  }
  removeAllListeners(): void {
    this.listeners.clear();
  }
  emit(event: string, ...args: unknown[]): void {
    for (const listener of [...(this.listeners.get(event) ?? [])]) (listener as (...a: unknown[]) => void)(...args);
  }
  count(): number {
    return [...this.listeners.values()].reduce((n, set) => n + set.size, 0);
  }
}

export class AgoraError extends Error {
  override name = 'AgoraRTCException';
  constructor(
    readonly code: string,
    message = code,
  ) {
    super(`AgoraRTCError ${code}: ${message}`);
  }
}

export class FakeLocalTrack extends FakeEmitter {
  closed = false;
  constructor(readonly config: Record<string, unknown>) {
    super();
  }
  getMediaStreamTrack(): MediaStreamTrack {
    return this.config.mediaStreamTrack as MediaStreamTrack;
  }
  close(): void {
    this.closed = true;
    this.getMediaStreamTrack().stop(); // what the real SDK does to a custom track's source
  }
}

export class FakeRemoteVideoTrack extends FakeEmitter {
  /** As agora-rtc-sdk-ng 4.24.8 fills them: `packetLossRate` is lost / (received + lost), so NaN before any packet. */
  stats = {
    receiveResolutionWidth: 0,
    receiveResolutionHeight: 0,
    decodeFrameRate: 0,
    receiveFrameRate: 0,
    receivePackets: 0,
    receivePacketsLost: 0,
    packetLossRate: NaN,
    receiveBitrate: 0,
  };
  constructor(readonly mediaStreamTrack: MediaStreamTrack) {
    super();
  }
  getMediaStreamTrack(): MediaStreamTrack {
    return this.mediaStreamTrack;
  }
  getStats() {
    return this.stats;
  }
  /** The receiver decoded its first frame. */
  decodeFrames(width = 640, height = 480): void {
    this.stats = { ...this.stats, receiveResolutionWidth: width, receiveResolutionHeight: height, decodeFrameRate: 20, receiveFrameRate: 20 };
    this.receive(100, 0);
  }
  /** Packets received and lost so far, and the loss rate the SDK derives from them. */
  receive(packets: number, lost: number): void {
    this.stats = { ...this.stats, receivePackets: packets, receivePacketsLost: lost, packetLossRate: lost / (packets + lost) };
  }
}

/** The worker's audio as the SDK hands it over: `play()` is what plays it. */
export class FakeRemoteAudioTrack {
  plays = 0;
  play(): void {
    this.plays += 1;
  }
}

export interface FakeUser {
  uid: number | string;
  videoTrack?: FakeRemoteVideoTrack;
  audioTrack?: FakeRemoteAudioTrack;
}

export type JoinBehaviour = 'resolve' | 'hang' | { rejectWith: string; message?: string };

export class FakeClient extends FakeEmitter {
  readonly calls: string[] = [];
  joinArgs: unknown[] | null = null;
  /** Listener count at the moment join was called (handlers must be on before join). */
  listenersAtJoin = -1;
  readonly published: FakeLocalTrack[] = [];
  subscribeCount = 0;
  /** Agora error codes the next subscribes reject with, one each (a publisher that unpublished meanwhile). */
  readonly subscribeFailures: string[] = [];
  #rejectJoin: ((error: Error) => void) | null = null;

  constructor(
    readonly config: Record<string, unknown>,
    private readonly behaviour: JoinBehaviour,
  ) {
    super();
  }

  join(...args: unknown[]): Promise<number> {
    this.calls.push('join');
    this.joinArgs = args;
    this.listenersAtJoin = this.count();
    if (this.behaviour === 'resolve') return Promise.resolve(Number(args[3]));
    if (typeof this.behaviour === 'object') return Promise.reject(new AgoraError(this.behaviour.rejectWith, this.behaviour.message));
    return new Promise((_resolve, reject) => (this.#rejectJoin = reject));
  }

  async leave(): Promise<void> {
    this.calls.push('leave');
    // The real SDK rejects the pending join 1-8 s later; "later" is enough here.
    const reject = this.#rejectJoin;
    this.#rejectJoin = null;
    if (reject) setTimeout(() => reject(new AgoraError('OPERATION_ABORTED', 'cancel token canceled')), 30);
  }

  async publish(tracks: FakeLocalTrack[]): Promise<void> {
    this.calls.push(`publish:${tracks.length}`);
    this.published.push(...tracks);
  }

  async unpublish(tracks: FakeLocalTrack[]): Promise<void> {
    this.calls.push(`unpublish:${tracks.length}`);
    for (const track of tracks) this.published.splice(this.published.indexOf(track), 1);
  }

  async subscribe(user: FakeUser, mediaType: string): Promise<FakeRemoteVideoTrack | FakeRemoteAudioTrack> {
    this.calls.push(`subscribe:${user.uid}:${mediaType}`);
    this.subscribeCount += 1;
    await new Promise((resolve) => setTimeout(resolve, 10));
    const failure = this.subscribeFailures.shift();
    if (failure) throw new AgoraError(failure);
    return mediaType === 'audio' ? user.audioTrack! : user.videoTrack!;
  }

  async unsubscribe(user: FakeUser, mediaType: string): Promise<void> {
    this.calls.push(`unsubscribe:${user.uid}:${mediaType}`);
  }

  getRTCStats() {
    return { RTT: 42 };
  }
}

export class FakeAgoraSdk extends FakeEmitter {
  readonly calls: string[] = [];
  readonly clients: FakeClient[] = [];
  readonly localTracks: FakeLocalTrack[] = [];
  logLevel: number | null = null;
  readonly parameters: Record<string, unknown> = {};
  supported = true;

  constructor(public joinBehaviour: JoinBehaviour = 'resolve') {
    super();
  }

  get client(): FakeClient {
    return this.clients.at(-1)!;
  }

  setLogLevel(level: number): void {
    this.calls.push('setLogLevel');
    this.logLevel = level;
  }
  setParameter(key: string, value: unknown): void {
    this.calls.push(`setParameter:${key}`);
    this.parameters[key] = value;
  }
  checkSystemRequirements(): boolean {
    return this.supported;
  }
  createClient(config: Record<string, unknown>): FakeClient {
    this.calls.push('createClient');
    const client = new FakeClient(config, this.joinBehaviour);
    this.clients.push(client);
    return client;
  }
  createCustomVideoTrack(config: Record<string, unknown>): FakeLocalTrack {
    const track = new FakeLocalTrack(config);
    this.localTracks.push(track);
    return track;
  }
  createCustomAudioTrack(config: Record<string, unknown>): FakeLocalTrack {
    const track = new FakeLocalTrack(config);
    this.localTracks.push(track);
    return track;
  }

  asSdk(): IAgoraRTC {
    return this as unknown as IAgoraRTC;
  }
}

/** A live video track that is not the camera (what the swap worker would send). */
export function canvasTrack(): MediaStreamTrack {
  const canvas = document.createElement('canvas');
  canvas.width = 64;
  canvas.height = 48;
  canvas.getContext('2d')!.fillRect(0, 0, 64, 48);
  return canvas.captureStream(5).getVideoTracks()[0]!;
}
