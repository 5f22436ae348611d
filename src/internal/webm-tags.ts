import { concatBytes } from './bytes.js';

/**
 * Writes Matroska tags (`Tags/Tag/SimpleTag`, TagName + TagString) into a WebM file as MediaRecorder makes
 * it: a live-written Segment (usually of unknown size) with Info and Tracks, then Clusters, and no SeekHead
 * or Cues. The Tags element goes before the first Cluster, where readers look (ExifTool stops there).
 * Pure bytes in, bytes out: no DOM, no Node APIs.
 */

const EBML_ID = 0x1a45dfa3;
const SEGMENT_ID = 0x18538067;
const CLUSTER_ID = 0x1f43b675;
const TAGS_ID = 0x1254c367;
const TAG_ID = 0x7373;
const TARGETS_ID = 0x63c0;
const TARGET_TYPE_VALUE_ID = 0x68ca;
const SIMPLE_TAG_ID = 0x67c8;
const TAG_NAME_ID = 0x45a3;
const TAG_STRING_ID = 0x4487;
/** Elements whose byte offsets point into the Segment: inserting bytes before their targets would break them. */
const OFFSET_ELEMENTS = new Map([
  [0x114d9b74, 'SeekHead'],
  [0x1c53bb6b, 'Cues'],
]);
/** Matroska's target type for a whole movie or episode (the recording as a whole). */
const TARGET_MOVIE = 50;

interface ElementHeader {
  id: number;
  /** `null` for the reserved "unknown size" (all value bits set), which live muxers write. */
  size: number | null;
  sizeOffset: number;
  sizeLength: number;
  dataOffset: number;
}

function readVint(bytes: Uint8Array, offset: number, keepMarker: boolean): { value: number; length: number; allOnes: boolean } {
  const first = bytes[offset];
  if (first === undefined || first === 0) throw new TypeError(`Bad EBML variable-length integer at byte ${offset}.`);
  const length = Math.clz32(first) - 23;
  if (offset + length > bytes.length) throw new TypeError('Truncated WebM file.');
  let value = keepMarker ? first : first & (0xff >> length);
  let allOnes = value === 0xff >> length;
  for (let i = 1; i < length; i++) {
    const byte = bytes[offset + i]!;
    value = value * 256 + byte;
    allOnes &&= byte === 0xff;
  }
  return { value, length, allOnes };
}

function readHeader(bytes: Uint8Array, offset: number): ElementHeader {
  const id = readVint(bytes, offset, true);
  const size = readVint(bytes, offset + id.length, false);
  return {
    id: id.value,
    size: size.allOnes ? null : size.value,
    sizeOffset: offset + id.length,
    sizeLength: size.length,
    dataOffset: offset + id.length + size.length,
  };
}

/** A size as an EBML variable-length integer, `width` bytes long (smallest that fits when not given). */
function encodeSize(value: number, width?: number): Uint8Array<ArrayBuffer> {
  let length = width ?? 1;
  // 2^(7n) - 1 is reserved for "unknown".
  while (width === undefined && value >= 2 ** (7 * length) - 1) length++;
  if (length > 8 || value >= 2 ** (7 * length) - 1) throw new RangeError('EBML size too large for its field.');
  const out = new Uint8Array(length);
  let rest = value;
  for (let i = length - 1; i >= 0; i--) {
    out[i] = rest % 256;
    rest = Math.floor(rest / 256);
  }
  out[0]! |= 0x80 >> (length - 1);
  return out;
}

function encodeId(id: number): Uint8Array<ArrayBuffer> {
  const bytes: number[] = [];
  for (let rest = id; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return Uint8Array.from(bytes);
}

function element(id: number, data: Uint8Array): Uint8Array<ArrayBuffer> {
  return concatBytes([encodeId(id), encodeSize(data.length), data]);
}

/** The `Tags` element: one movie-level `Tag` with a `SimpleTag` per entry (UTF-8 strings). */
export function encodeTags(tags: Readonly<Record<string, string>>): Uint8Array<ArrayBuffer> {
  const text = new TextEncoder();
  const targets = element(TARGETS_ID, element(TARGET_TYPE_VALUE_ID, Uint8Array.of(TARGET_MOVIE)));
  const simpleTags = Object.entries(tags).map(([name, value]) =>
    element(SIMPLE_TAG_ID, concatBytes([element(TAG_NAME_ID, text.encode(name)), element(TAG_STRING_ID, text.encode(value))])),
  );
  return element(TAGS_ID, element(TAG_ID, concatBytes([targets, ...simpleTags])));
}

/**
 * The WebM with `tags` added before its first Cluster. Throws a `TypeError` when the bytes are not a WebM
 * file of the shape MediaRecorder writes (an EBML header, then a Segment whose children up to the first
 * Cluster have known sizes, and no SeekHead or Cues whose offsets the insertion would invalidate).
 */
export function withWebmTags(webm: Uint8Array, tags: Readonly<Record<string, string>>): Uint8Array<ArrayBuffer> {
  const header = readHeader(webm, 0);
  if (header.id !== EBML_ID || header.size === null) throw new TypeError('Not a WebM file.');
  const segment = readHeader(webm, header.dataOffset + header.size);
  if (segment.id !== SEGMENT_ID) throw new TypeError('WebM file without a Segment.');
  const segmentEnd = segment.size === null ? webm.length : Math.min(webm.length, segment.dataOffset + segment.size);
  let offset = segment.dataOffset;
  while (offset < segmentEnd) {
    const child = readHeader(webm, offset);
    if (child.id === CLUSTER_ID) break;
    const offsetElement = OFFSET_ELEMENTS.get(child.id);
    if (offsetElement) throw new TypeError(`WebM with a ${offsetElement} cannot take tags without rewriting offsets.`);
    if (child.size === null) throw new TypeError('WebM element of unknown size before the first Cluster.');
    offset = child.dataOffset + child.size;
  }
  const insertAt = Math.min(offset, segmentEnd);
  const inserted = encodeTags(tags);
  const segmentSize =
    segment.size === null ? webm.subarray(segment.sizeOffset, segment.dataOffset) : encodeSize(segment.size + inserted.length, segment.sizeLength);
  return concatBytes([webm.subarray(0, segment.sizeOffset), segmentSize, webm.subarray(segment.dataOffset, insertAt), inserted, webm.subarray(insertAt)]);
}
