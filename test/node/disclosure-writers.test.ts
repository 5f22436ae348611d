// The metadata writers of marked files (PNG XMP, WebM tags), read back with ExifTool.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { AI_DIGITAL_SOURCE_TYPE, disclosureWebmTags, disclosureXmp } from '../../src/internal/disclosure.js';
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
  assert.throws(() => withWebmTags(concatBytes([ebmlHeader, hex('18538067 01FFFFFFFFFFFFFF'), seekHead, info, cluster]), {}), /SeekHead/);
});
