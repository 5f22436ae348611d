// The emulator's face detection: a real detector (face-api SSD + 68 landmarks, wasm) on real photos.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { startEmulator, type RunningEmulator } from '../../src/server/emulator/server.js';
import { API_KEY, faceFreeImage, post, samplePhoto } from './server-helpers.js';

const auth = { 'x-api-key': API_KEY };
const points = (text: string) => text.split(':').map((p) => p.split(',').map(Number));

describe('emulator face detection', () => {
  let emu: RunningEmulator;
  const listenersBefore = process.listeners('uncaughtException').length;
  before(async () => {
    emu = await startEmulator({ apiKey: API_KEY });
  });
  after(() => emu.close());

  test('finds every face in a group photo, with 4-point landmarks in AKOOL order', async () => {
    const res = await post(`${emu.url}/interface/detect-api/detect_faces`, { img: samplePhoto(1).toString('base64'), return_face_url: true }, auth);
    assert.equal(res.json.error_code, 0, res.text);
    assert.equal(res.json.error_msg, 'SUCCESS');
    const entry = res.json.faces_obj['0'];
    assert.equal(entry.landmarks_str.length, 3, 'sample1 shows three people');
    assert.equal(entry.frame_time, null);
    for (let i = 0; i < 3; i++) {
      // AKOOL documents `region` as [x, y, width, height], the emulator's default reading.
      const [x1, y1, width, height] = entry.region[i];
      const [x2, y2] = [x1 + width, y1 + height];
      assert.ok(width > 0 && height > 0 && x2 <= 1920 && y2 <= 1280, `[x, y, w, h] ${entry.region[i]}`);
      const [leftEye, rightEye, nose, mouth] = points(entry.landmarks_str[i]);
      assert.ok(leftEye[0] < rightEye[0], 'image-left eye first');
      assert.ok(nose[1] > Math.min(leftEye[1], rightEye[1]) && mouth[1] > nose[1], 'eyes above nose above mouth');
      assert.ok(mouth[0] > x1 && mouth[0] < x2 && mouth[1] > y1 && mouth[1] < y2, 'mouth inside the face box');
      assert.equal(entry.landmarks[i].length, 6);
      // The crop's landmarks are the image's landmarks shifted by the crop's corner.
      const [cx, cy] = entry.crop_region[i];
      const shifted = points(entry.crop_landmarks[i]).map(([x, y]) => [x + cx, y + cy]);
      points(entry.landmarks_str[i]).forEach(([x, y], k) => {
        assert.ok(Math.abs(shifted[k]![0]! - x!) <= 1 && Math.abs(shifted[k]![1]! - y!) <= 1);
      });
    }
    // Largest face first.
    const areas = entry.region.map(([, , width, height]: number[]) => width! * height!);
    assert.deepEqual(
      areas,
      [...areas].sort((p: number, q: number) => q - p),
    );
    // The face crop is served and is the size of its crop region.
    const crop = await fetch(entry.face_urls[0]);
    assert.equal(crop.status, 200);
    const meta = await sharp(Buffer.from(await crop.arrayBuffer())).metadata();
    assert.equal(meta.width, entry.crop_region[0][2], 'crop_region is [x, y, w, h] like region');
    assert.equal(meta.height, entry.crop_region[0][3]);
    // Detecting the crop again by its URL finds the face where crop_landmarks say it is.
    const again = await post(`${emu.url}/interface/detect-api/detect_faces`, { url: entry.face_urls[0], single_face: true }, auth);
    assert.equal(again.json.error_code, 0, again.text);
    const [expected, found] = [points(entry.crop_landmarks[0]), points(again.json.faces_obj['0'].landmarks_str[0])];
    expected.forEach(([x, y], k) => assert.ok(Math.hypot(found[k]![0]! - x!, found[k]![1]! - y!) < 12, `point ${k} moved`));
  });

  test('single_face keeps the largest face; the legacy /detect answers its flat shape', async () => {
    const photo = samplePhoto(4).toString('base64');
    const all = await post(`${emu.url}/interface/detect-api/detect_faces`, { img: photo }, auth);
    const one = await post(`${emu.url}/interface/detect-api/detect_faces`, { img: photo, single_face: true }, auth);
    assert.ok(all.json.faces_obj['0'].landmarks_str.length >= 3);
    assert.deepEqual(one.json.faces_obj['0'].landmarks_str, [all.json.faces_obj['0'].landmarks_str[0]]);
    assert.equal(all.json.faces_obj['0'].face_urls, null, 'no crops unless return_face_url');
    const legacy = await post(`${emu.url}/detect`, { img: photo, single_face: true }, auth);
    assert.equal(legacy.json.error_code, 0);
    assert.deepEqual(legacy.json.landmarks_str, one.json.faces_obj['0'].landmarks_str);
    assert.deepEqual(legacy.json.landmarks[0].slice(4), [
      [0, 0],
      [0, 0],
    ]);
    assert.equal(typeof legacy.json.seconds, 'number');
    assert.match(legacy.json.trx_id, /^[0-9a-f-]{36}$/);
  });

  test('a photo without a face answers error_code 1 with a clear message', async () => {
    const res = await post(`${emu.url}/interface/detect-api/detect_faces`, { img: (await faceFreeImage()).toString('base64') }, auth);
    assert.deepEqual(res.json, { error_code: 1, error_msg: 'No face detected in the image' });
  });

  test('an undecodable image answers error_code 1', async () => {
    const res = await post(`${emu.url}/interface/detect-api/detect_faces`, { img: Buffer.from('definitely not an image').toString('base64') }, auth);
    assert.equal(res.json.error_code, 1);
    assert.match(res.json.error_msg, /decode/);
  });

  test('EXIF rotation is applied: coordinates refer to the upright image', async () => {
    const upright = await sharp(samplePhoto(1)).resize(960).jpeg().toBuffer();
    // Stored rotated 90° clockwise with orientation 8 ("rotate 270° to view"), so viewers show it upright.
    const stored = await sharp(upright).rotate(90).withMetadata({ orientation: 8 }).jpeg().toBuffer();
    const [a, b] = await Promise.all(
      [upright, stored].map((img) => post(`${emu.url}/interface/detect-api/detect_faces`, { img: img.toString('base64'), single_face: true }, auth)),
    );
    const [pa, pb] = [points(a!.json.faces_obj['0'].landmarks_str[0]), points(b!.json.faces_obj['0'].landmarks_str[0])];
    pa.forEach(([x, y], k) => assert.ok(Math.hypot(pb[k]![0]! - x!, pb[k]![1]! - y!) < 8, `point ${k}: ${pa[k]} vs ${pb[k]}`));
  });

  test('loading the detector leaves no re-throwing process handlers behind', () => {
    assert.equal(process.listeners('uncaughtException').length, listenersBefore);
    assert.equal(emu.state().detections >= 5, true);
  });
});
