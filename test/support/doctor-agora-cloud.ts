// The Agora cloud for the doctor's browser page in test/node/doctor-agora.test.ts: bundled by that test and served
// in place of agora-rtc-sdk-ng. It plays what the emulator's `videoUid` reading says: once the page has joined, the
// uid the test put into `globalThis.doctorCloud` publishes video (and audio when asked); in the `other` reading the
// named `algorithm_user_id` joins too, sending nothing.
import { FakeAgoraSdk, FakeRemoteAudioTrack, FakeRemoteVideoTrack, canvasTrack, type FakeClient } from '../browser/agora/fake-agora-sdk.js';

export interface DoctorCloudPlan {
  algorithmUid: string;
  videoUid: string;
  /** False: nobody publishes anything (a worker that never shows up). */
  video: boolean;
  audio: boolean;
}

const plan = (globalThis as { doctorCloud?: DoctorCloudPlan }).doctorCloud!;

class DoctorCloud extends FakeAgoraSdk {
  override createClient(config: Record<string, unknown>): FakeClient {
    const client = super.createClient(config);
    const join = client.join.bind(client);
    client.join = async (...args: unknown[]) => {
      const uid = await join(...args);
      setTimeout(() => this.#serve(client), 50);
      return uid;
    };
    return client;
  }

  #serve(client: FakeClient): void {
    if (plan.algorithmUid !== '' && plan.algorithmUid !== plan.videoUid) client.emit('user-joined', { uid: Number(plan.algorithmUid) });
    if (!plan.video) return;
    const video = new FakeRemoteVideoTrack(canvasTrack());
    video.decodeFrames();
    const worker = { uid: Number(plan.videoUid), hasVideo: true, videoTrack: video, audioTrack: plan.audio ? new FakeRemoteAudioTrack() : undefined };
    client.emit('user-joined', worker);
    client.emit('user-published', worker, 'video');
    if (plan.audio) client.emit('user-published', worker, 'audio');
  }
}

export default new DoctorCloud().asSdk();
