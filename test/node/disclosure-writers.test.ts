// The metadata writers of marked files (PNG XMP, WebM tags), read back with ExifTool.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { AI_DIGITAL_SOURCE_TYPE } from '../../src/core/provenance.js';
import { disclosureWebmTags, disclosureXmp } from '../../src/internal/disclosure.js';
import { concatBytes } from '../../src/internal/bytes.js';
import { withPngXmp } from '../../src/internal/png-xmp.js';
import { encodeTags, withWebmTags } from '../../src/internal/webm-tags.js';
import { exiftool } from '../support/exiftool.js';

async function png(): Promise<Uint8Array> {
  return new Uint8Array(
    await sharp({ create: { width: 8, height: 6, channels: 3, background: '#336699' } })
      .png()
      .toBuffer(),
  );
}

test('PNG: the XMP packet is read back by ExifTool as the IPTC digital source type; the pixels are untouched', async () => {
  const original = await png();
  const marked = withPngXmp(original, disclosureXmp('AI face swap <test> & "quotes"'));
  const tags = exiftool(marked, 'png');
  assert.equal(tags['XMP-iptcExt:DigitalSourceType'], AI_DIGITAL_SOURCE_TYPE);
  assert.equal(tags['XMP-dc:Description'], 'AI face swap <test> & "quotes"');
  assert.equal(tags['XMP-xmp:CreatorTool'], 'faceswap-elements');
  assert.equal(tags['ExifTool:Warning'], undefined, 'ExifTool reports no broken chunk (CRC, order)');
  const [before, after] = await Promise.all([sharp(original).raw().toBuffer(), sharp(marked).raw().toBuffer()]);
  assert.deepEqual(after, before);
});

test('PNG negative control: an unmarked file has no digital source type', async () => {
  assert.equal(exiftool(await png(), 'png')['XMP-iptcExt:DigitalSourceType'], undefined);
});

test('PNG: marking twice replaces the packet instead of adding a second one', async () => {
  const twice = withPngXmp(withPngXmp(await png(), disclosureXmp('first')), disclosureXmp('second'));
  const text = new TextDecoder('latin1').decode(twice);
  assert.equal(text.split('XML:com.adobe.xmp').length - 1, 1);
  assert.equal(exiftool(twice, 'png')['XMP-dc:Description'], 'second');
});

test('PNG: anything else is refused with a TypeError', async () => {
  assert.throws(() => withPngXmp(new TextEncoder().encode('GIF89a not a png at all, but long enough to read'), ''), TypeError);
  const good = await png();
  assert.throws(() => withPngXmp(good.subarray(0, good.length - 6), ''), TypeError, 'truncated');
});

// EBML as MediaRecorder writes it live: a Segment and Clusters of unknown size, no SeekHead, no Cues.
const hex = (s: string) =>
  Uint8Array.from(
    s
      .replace(/\s+/g, '')
      .match(/../g)!
      .map((b) => parseInt(b, 16)),
  );
const ebmlHeader = hex('1A45DFA3 9F 4286 81 01 42F7 81 01 42F2 81 04 42F3 81 08 4282 84 7765626D 4287 81 04 4285 81 02');
const info = hex('1549A966 8B 2AD7B1 83 0F4240 4D80 81 41');
const tracks = hex('1654AE6B 8F AE 8D D7 81 01 83 81 01 86 85 565F565038');
const cluster = hex('1F43B675 01FFFFFFFFFFFFFF E7 81 00 A3 85 81 0000 80 00');
const liveWebm = (segmentSize = hex('01FFFFFFFFFFFFFF')) => concatBytes([ebmlHeader, hex('18538067'), segmentSize, info, tracks, cluster]);

test('WebM: the tags go before the first Cluster and ExifTool reads them', () => {
  const marked = withWebmTags(liveWebm(), disclosureWebmTags('AI face swap'));
  const tags = exiftool(marked, 'webm');
  assert.equal(tags['Matroska:DigitalSourceType'], AI_DIGITAL_SOURCE_TYPE);
  assert.equal(tags['Matroska:Description'], 'AI face swap');
  assert.equal(tags['Matroska:Encoder'], 'faceswap-elements');
  assert.equal(tags['Track1:VideoCodecID'], 'V_VP8', 'the tracks before the insertion still parse');
  // The cluster follows the tags, byte for byte.
  const text = Buffer.from(marked);
  assert.ok(text.indexOf(Buffer.from(cluster)) > text.indexOf(Buffer.from(encodeTags(disclosureWebmTags('AI face swap')))));
});

test('WebM negative control: an unmarked file has no digital source type', () => {
  assert.equal(exiftool(liveWebm(), 'webm')['Matroska:DigitalSourceType'], undefined);
});

test('WebM: a Segment of known size grows by the inserted bytes, in the same size field', () => {
  const body = concatBytes([info, tracks, hex('1F43B675 88 E7 81 00 A3 83 81 0000')]);
  const sized = concatBytes([ebmlHeader, hex('18538067'), hex(`01 ${body.length.toString(16).padStart(14, '0')}`), body]);
  const marked = withWebmTags(sized, { DESCRIPTION: 'x' });
  const added = marked.length - sized.length;
  const at = ebmlHeader.length + 4;
  const size = Buffer.from(marked.subarray(at + 1, at + 8)).readUIntBE(1, 6);
  assert.equal(size, body.length + added);
  assert.equal(exiftool(marked, 'webm')['Matroska:Description'], 'x');
});

test('WebM: files it cannot tag safely are refused with a TypeError', () => {
  assert.throws(() => withWebmTags(new Uint8Array([1, 2, 3, 4]), {}), TypeError, 'not EBML');
  assert.throws(() => withWebmTags(liveWebm().subarray(0, ebmlHeader.length + 6), {}), TypeError, 'truncated');
  const seekHead = hex('114D9B74 80');
  const unknownSizeInfo = hex('1549A966 FF 2AD7B1 83 0F4240');
  assert.throws(() => withWebmTags(concatBytes([ebmlHeader, hex('18538067 01FFFFFFFFFFFFFF'), seekHead, unknownSizeInfo, cluster]), {}), /not a Cluster/);
  const overlongBlock = hex('1F43B675 FF E7 81 00 A3 90 81 0000 80 00');
  assert.throws(() => withWebmTags(concatBytes([ebmlHeader, hex('18538067 01FFFFFFFFFFFFFF'), seekHead, info, overlongBlock]), {}), /overlong size/);
});

// Firefox's MediaRecorder (scripts/record-firefox-webm.mjs made the fixture): an empty SeekHead, then Info, Tracks
// and Clusters, the Segment and every Cluster of unknown size, so the SeekHead layout must walk such Clusters.
const firefoxRecording = () => new Uint8Array(readFileSync('test/fixtures/media/firefox-recording.webm'));
const UNKNOWN_8 = '01ffffffffffffff';

/** Sizes of the top-level elements of a live-written file, found by ID (the fixture's Clusters cannot be walked by size). */
function liveLayout(bytes: Uint8Array): { segmentSize: string; seekHeadSize: number; clusterSizes: string[] } {
  const [ebml] = walk(bytes, 0, bytes.length);
  const segmentSize = Buffer.from(bytes.subarray(ebml!.end + 4, ebml!.end + 12)).toString('hex');
  const [seekHead] = walk(bytes, ebml!.end + 12, ebml!.end + 24);
  const clusterSizes: string[] = [];
  for (let at = Buffer.from(bytes).indexOf(Buffer.from('1f43b675', 'hex')); at >= 0; at = Buffer.from(bytes).indexOf(Buffer.from('1f43b675', 'hex'), at + 4)) {
    clusterSizes.push(Buffer.from(bytes.subarray(at + 4, at + 12)).toString('hex'));
  }
  return { segmentSize, seekHeadSize: seekHead!.id === 0x114d9b74 ? seekHead!.end - seekHead!.data : -1, clusterSizes };
}

/** Frames ffprobe decodes from a file. */
function decodedFrames(bytes: Uint8Array): number {
  return withTempDir((dir) => {
    writeFileSync(join(dir, 'in.webm'), bytes);
    const args = ['-v', 'error', '-count_frames', '-select_streams', 'v:0', '-show_entries', 'stream=nb_read_frames', '-of', 'csv=p=0', join(dir, 'in.webm')];
    return Number(execFileSync('ffprobe', args, { encoding: 'utf8' }).trim());
  });
}

test('WebM: a Firefox recording (empty SeekHead, Segment and Clusters of unknown size) is tagged; ExifTool reads the tags, every frame still decodes', () => {
  const original = firefoxRecording();
  const layout = liveLayout(original);
  assert.equal(layout.segmentSize, UNKNOWN_8, 'the fixture is a live-written Segment');
  assert.equal(layout.seekHeadSize, 0, 'with an empty SeekHead first');
  assert.ok(layout.clusterSizes.length >= 2 && layout.clusterSizes.every((size) => size === UNKNOWN_8), 'and several Clusters of unknown size');
  assert.equal(exiftool(original, 'webm')['Matroska:DigitalSourceType'], undefined, 'negative control: the recording as Firefox made it is unmarked');

  const marked = withWebmTags(original, disclosureWebmTags('AI face swap'));
  const tags = exiftool(marked, 'webm');
  assert.equal(tags['Matroska:DigitalSourceType'], AI_DIGITAL_SOURCE_TYPE);
  assert.equal(tags['Matroska:Description'], 'AI face swap');
  assert.equal(tags['Track1:VideoCodecID'], 'V_VP8');
  assert.equal(tags['ExifTool:Warning'], undefined);
  assert.deepEqual(liveLayout(marked).clusterSizes, layout.clusterSizes);
  // The Tags element sits right before the first Cluster, and the Clusters are the same bytes.
  const clusters = original.subarray(Buffer.from(original).indexOf(Buffer.from('1f43b675', 'hex')));
  const tagsThenClusters = Buffer.from(concatBytes([encodeTags(disclosureWebmTags('AI face swap')), clusters]));
  assert.ok(
    Buffer.from(marked)
      .subarray(marked.length - tagsThenClusters.length)
      .equals(tagsThenClusters),
  );
  const frames = decodedFrames(original);
  assert.ok(frames > 20, `the fixture has frames (${frames})`);
  assert.equal(decodedFrames(marked), frames);
});

/** A short VP8 file as ffmpeg writes it: SeekHead, Void, Info, Tracks, Tags, Clusters, Cues at the end; `.mkv` adds CRC-32 elements. */
function ffmpegFile(extension: 'webm' | 'mkv'): Uint8Array {
  return withTempDir((dir) => {
    const path = join(dir, `in.${extension}`);
    execFileSync('ffmpeg', ['-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc=size=64x48:rate=10', '-t', '3', '-c:v', 'libvpx', '-g', '5', path]);
    return new Uint8Array(readFileSync(path));
  });
}

function withTempDir<T>(use: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'webm-'));
  try {
    return use(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What ffmpeg reports decoding the whole file, and after seeking to 2 s through the Cues (empty when clean). */
function ffmpegComplaints(bytes: Uint8Array, extension: string): string {
  return withTempDir((dir) => {
    const path = join(dir, `out.${extension}`);
    writeFileSync(path, bytes);
    const run = (args: string[]) => spawnSync('ffmpeg', ['-v', 'warning', ...args, '-f', 'null', '-'], { encoding: 'utf8' }).stderr;
    return run(['-i', path]) + run(['-ss', '2', '-i', path, '-frames:v', '1']);
  });
}

// An EBML walker of its own (not the writer's), to check the positions the SeekHead and Cues hold.
function vint(bytes: Uint8Array, at: number, keepMarker: boolean): [value: number, length: number] {
  const length = Math.clz32(bytes[at]!) - 23;
  let value = keepMarker ? bytes[at]! : bytes[at]! & (0xff >> length);
  for (let i = 1; i < length; i++) value = value * 256 + bytes[at + i]!;
  return [value, length];
}
function walk(bytes: Uint8Array, start: number, end: number): { id: number; at: number; data: number; end: number }[] {
  const found = [];
  for (let at = start; at < end;) {
    const [id, idLength] = vint(bytes, at, true);
    const [size, sizeLength] = vint(bytes, at + idLength, false);
    const data = at + idLength + sizeLength;
    found.push({ id, at, data, end: data + size });
    at = data + size;
  }
  return found;
}
const uint = (bytes: Uint8Array, from: number, to: number) => bytes.subarray(from, to).reduce((v, b) => v * 256 + b, 0);

/** The top-level elements with a CRC-32 child (Matroska's checksum of the rest of the element), and those where it is wrong. */
function checksums(bytes: Uint8Array): { checked: string[]; bad: string[] } {
  const [ebml] = walk(bytes, 0, bytes.length);
  const [segment] = walk(bytes, ebml!.end, bytes.length);
  const checked = walk(bytes, segment!.data, segment!.end).filter(
    (element) => element.id !== 0xec && bytes[element.data] === 0xbf && bytes[element.data + 1] === 0x84,
  );
  const wrong = (element: { data: number; end: number }) =>
    Buffer.from(bytes.subarray(element.data + 2, element.data + 6)).readUInt32LE() !== crc32(bytes.subarray(element.data + 6, element.end));
  const name = (element: { id: number }) => element.id.toString(16);
  return { checked: checked.map(name), bad: checked.filter(wrong).map(name) };
}

/** Every SeekHead entry and CueClusterPosition that does not point at the element it names (empty when all do). */
function brokenPositions(bytes: Uint8Array): string[] {
  const [ebml] = walk(bytes, 0, bytes.length);
  const [segment] = walk(bytes, ebml!.end, bytes.length);
  const top = walk(bytes, segment!.data, segment!.end);
  const idAt = (position: number) => vint(bytes, segment!.data + position, true)[0];
  const broken: string[] = [];
  const seekHead = top.find((e) => e.id === 0x114d9b74)!;
  for (const seek of walk(bytes, seekHead.data, seekHead.end).filter((e) => e.id === 0x4dbb)) {
    const fields = walk(bytes, seek.data, seek.end);
    const seekId = fields.find((f) => f.id === 0x53ab)!;
    const position = fields.find((f) => f.id === 0x53ac)!;
    const id = uint(bytes, seekId.data, seekId.end);
    if (idAt(uint(bytes, position.data, position.end)) !== id) broken.push(`Seek ${id.toString(16)}`);
  }
  const cues = top.find((e) => e.id === 0x1c53bb6b)!;
  for (const point of walk(bytes, cues.data, cues.end).filter((e) => e.id === 0xbb)) {
    for (const positions of walk(bytes, point.data, point.end).filter((e) => e.id === 0xb7)) {
      const cluster = walk(bytes, positions.data, positions.end).find((e) => e.id === 0xf1)!;
      if (idAt(uint(bytes, cluster.data, cluster.end)) !== 0x1f43b675) broken.push(`Cue at ${point.at}`);
    }
  }
  return broken;
}

for (const extension of ['webm', 'mkv'] as const) {
  test(`WebM: a file from ffmpeg (.${extension}, SeekHead and Cues) is tagged with every position moved; it decodes and seeks cleanly`, () => {
    const original = ffmpegFile(extension);
    assert.deepEqual(brokenPositions(original), [], 'the checker accepts ffmpeg’s own file');
    assert.deepEqual(checksums(original).bad, []);
    if (extension === 'mkv') assert.ok(checksums(original).checked.includes('1c53bb6b'), 'ffmpeg wrote a CRC-32 in the Cues');
    const marked = withWebmTags(original, disclosureWebmTags('AI face swap'));
    const tags = exiftool(marked, extension);
    assert.equal(tags['Matroska:DigitalSourceType'], AI_DIGITAL_SOURCE_TYPE);
    assert.equal(tags['ExifTool:Warning'], undefined);
    assert.deepEqual(brokenPositions(marked), []);
    assert.deepEqual(checksums(marked).bad, [], 'the CRC-32 of each rewritten element matches');
    assert.deepEqual(checksums(marked).checked, checksums(original).checked);
    assert.equal(ffmpegComplaints(marked, extension), '');
  });
}

test('WebM negative control: the same tags inserted without moving the positions are caught', () => {
  const original = ffmpegFile('webm');
  const [ebml] = walk(original, 0, original.length);
  const [segment] = walk(original, ebml!.end, original.length);
  const firstCluster = walk(original, segment!.data, segment!.end).find((e) => e.id === 0x1f43b675)!;
  const inserted = encodeTags(disclosureWebmTags('AI face swap'));
  // The Segment grows by the insertion (8-byte size field, as ffmpeg writes it); only the positions stay stale.
  const size = new Uint8Array(8);
  new DataView(size.buffer).setBigUint64(0, BigInt(segment!.end - segment!.data + inserted.length));
  size[0] = 0x01;
  assert.equal(segment!.data - segment!.at, 12, 'ffmpeg wrote an 8-byte Segment size');
  const naive = concatBytes([
    original.subarray(0, segment!.at + 4),
    size,
    original.subarray(segment!.data, firstCluster.at),
    inserted,
    original.subarray(firstCluster.at),
  ]);
  assert.ok(brokenPositions(naive).length > 0, 'the stale positions are reported');
  const mkv = withWebmTags(ffmpegFile('mkv'), disclosureWebmTags('AI face swap'));
  const cues = mkv.lastIndexOf(0xf1); // the last CueClusterPosition's ID: change its value, not its CRC
  mkv[cues + 2] = (mkv[cues + 2]! + 1) % 256;
  assert.deepEqual(checksums(mkv).bad, ['1c53bb6b'], 'a changed Cues without its CRC-32 is reported');
});
