import { concatBytes, crc32 } from './bytes.js';

/**
 * Writes Matroska tags (`Tags/Tag/SimpleTag`, TagName + TagString) into a WebM file. As MediaRecorder makes
 * it (a live-written Segment, usually of unknown size, with Info and Tracks, then Clusters, and no SeekHead
 * or Cues) the Tags element is inserted before the first Cluster, where readers look (ExifTool stops there).
 * A file written by a muxer that seeks back (ffmpeg, mkvmerge: SeekHead, Cues, often Tags) is laid out
 * again: the tag joins its Tags element (or a new one before the first Cluster) and every Segment position in
 * the SeekHead and the Cues is moved to where its element now is. Firefox's MediaRecorder writes an empty
 * SeekHead in a live-written file, so that layout also walks Clusters of unknown size. Pure bytes in, bytes
 * out: no DOM, no Node APIs.
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
const SEEK_HEAD_ID = 0x114d9b74;
const CUES_ID = 0x1c53bb6b;
const CRC32_ID = 0xbf;
/**
 * The Segment's children (and the start of a next EBML document): a Cluster of unknown size ends where one of
 * them begins, as Matroska defines for live-written files (RFC 9559, "Unknown-Sized Element").
 */
const SEGMENT_LEVEL_IDS = new Set([SEEK_HEAD_ID, 0x1549a966, 0x1654ae6b, CLUSTER_ID, CUES_ID, 0x1941a469, 0x1043a770, TAGS_ID, EBML_ID, SEGMENT_ID]);
/** Elements that hold Segment positions (byte offsets from the start of the Segment's data). */
const OFFSET_ELEMENTS = new Set([SEEK_HEAD_ID, CUES_ID]);
/** Inside those: the masters to walk (Seek, CuePoint, CueTrackPositions, CueReference) ... */
const POSITION_MASTERS = new Set([0x4dbb, 0xbb, 0xb7, 0xdb]);
/** ... and the unsigned integers that are Segment positions (SeekPosition, CueClusterPosition, CueCodecState, CueRefCluster, CueRefCodecState). */
const POSITION_IDS = new Set([0x53ac, 0xf1, 0xea, 0x97, 0xeb]);
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

/** An element with its end, the end found by walking its children when its size is unknown. */
interface Element extends ElementHeader {
  start: number;
  end: number;
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

/** One movie-level `Tag` with a `SimpleTag` per entry (UTF-8 strings). */
function encodeTag(tags: Readonly<Record<string, string>>): Uint8Array<ArrayBuffer> {
  const text = new TextEncoder();
  const targets = element(TARGETS_ID, element(TARGET_TYPE_VALUE_ID, Uint8Array.of(TARGET_MOVIE)));
  const simpleTags = Object.entries(tags).map(([name, value]) =>
    element(SIMPLE_TAG_ID, concatBytes([element(TAG_NAME_ID, text.encode(name)), element(TAG_STRING_ID, text.encode(value))])),
  );
  return element(TAG_ID, concatBytes([targets, ...simpleTags]));
}

/** The `Tags` element holding that one `Tag`. */
export function encodeTags(tags: Readonly<Record<string, string>>): Uint8Array<ArrayBuffer> {
  return element(TAGS_ID, encodeTag(tags));
}

function readUint(bytes: Uint8Array): number {
  return bytes.reduce((value, byte) => value * 256 + byte, 0);
}

/** `value` as an unsigned integer of `width` bytes at least (more when it needs them). */
function encodeUint(value: number, width: number): Uint8Array<ArrayBuffer> {
  const bytes: number[] = [];
  for (let rest = value; rest > 0 || bytes.length < width; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return Uint8Array.from(bytes);
}

/**
 * Where the element at `header` ends, at most at `limit`. A Cluster of unknown size ends at the first element
 * that cannot be one of its children (a Segment-level element); any other element must have a known size.
 */
function elementEnd(bytes: Uint8Array, header: ElementHeader, limit: number): number {
  if (header.size !== null) {
    if (header.dataOffset + header.size > limit) throw new TypeError('WebM element of overlong size.');
    return header.dataOffset + header.size;
  }
  if (header.id !== CLUSTER_ID) throw new TypeError('WebM element of unknown size that is not a Cluster.');
  let offset = header.dataOffset;
  while (offset < limit) {
    const child = readHeader(bytes, offset);
    if (SEGMENT_LEVEL_IDS.has(child.id)) break;
    if (child.size === null || child.dataOffset + child.size > limit) throw new TypeError('WebM Cluster with a block of unknown or overlong size.');
    offset = child.dataOffset + child.size;
  }
  return offset;
}

/** The elements from `start` to `end`, each inside the range (Clusters of unknown size included). */
function children(bytes: Uint8Array, start: number, end: number): Element[] {
  const found: Element[] = [];
  for (let offset = start; offset < end;) {
    const child = readHeader(bytes, offset);
    const element = { ...child, start: offset, end: elementEnd(bytes, child, end) };
    found.push(element);
    offset = element.end;
  }
  return found;
}

/** A master element from its children; a CRC-32 child (Matroska's optional checksum) is computed again. */
function master(id: number, parts: readonly { id: number; bytes: Uint8Array }[]): Uint8Array<ArrayBuffer> {
  const body = concatBytes(parts.filter((part) => part.id !== CRC32_ID).map((part) => part.bytes));
  if (!parts.some((part) => part.id === CRC32_ID)) return element(id, body);
  const crc = new Uint8Array(4);
  new DataView(crc.buffer).setUint32(0, crc32(body), true);
  return element(id, concatBytes([element(CRC32_ID, crc), body]));
}

/** The element at `header` with every Segment position in it passed through `move` (SeekHead, Cues). */
function movePositions(bytes: Uint8Array, header: Element, move: (position: number) => number): Uint8Array<ArrayBuffer> {
  const parts = children(bytes, header.dataOffset, header.end).map((child) => {
    const data = bytes.subarray(child.dataOffset, child.end);
    if (POSITION_MASTERS.has(child.id)) return { id: child.id, bytes: movePositions(bytes, child, move) };
    if (POSITION_IDS.has(child.id)) {
      const position = readUint(data);
      // CueCodecState 0 means "the codec state of the track entry", not a position.
      return { id: child.id, bytes: element(child.id, encodeUint(position === 0 && child.id === 0xea ? 0 : move(position), data.length)) };
    }
    return { id: child.id, bytes: bytes.subarray(child.start, child.end) };
  });
  return master(header.id, parts);
}

/**
 * A Segment with a SeekHead or Cues, laid out again with the tag added. Every top-level child must have a
 * known size, or be a Cluster of unknown size. Positions are recomputed until the layout is stable: a moved position may need a wider
 * integer, which makes its SeekHead or Cues longer and moves what follows.
 */
function relayout(webm: Uint8Array, segment: ElementHeader, segmentEnd: number, tags: Readonly<Record<string, string>>): Uint8Array<ArrayBuffer> {
  const top = children(webm, segment.dataOffset, segmentEnd);
  const whole = (child: Element) => webm.subarray(child.start, child.end);
  const relative = (child: Element) => child.start - segment.dataOffset;
  const existingTags = top.find((child) => child.id === TAGS_ID);
  const tag = encodeTag(tags);
  // The new top-level list: `from` is the old child an entry replaces (for its old position), `null` for new.
  const entries: { from: Element | null; bytes: Uint8Array }[] = [];
  for (const child of top) {
    if (child.id === CLUSTER_ID && !existingTags && !entries.some((entry) => entry.from === null)) entries.push({ from: null, bytes: element(TAGS_ID, tag) });
    if (child === existingTags) {
      const kept = children(webm, child.dataOffset, child.end).map((part) => ({ id: part.id, bytes: whole(part) }));
      entries.push({ from: child, bytes: master(TAGS_ID, [...kept, { id: TAG_ID, bytes: tag }]) });
    } else entries.push({ from: child, bytes: whole(child) });
  }
  if (!existingTags && !entries.some((entry) => entry.from === null)) entries.push({ from: null, bytes: element(TAGS_ID, tag) });
  for (let pass = 0; pass < 8; pass++) {
    const moved = new Map<number, number>();
    let at = 0;
    for (const entry of entries) {
      if (entry.from) moved.set(relative(entry.from), at);
      at += entry.bytes.length;
    }
    const move = (position: number) => {
      const target = moved.get(position);
      if (target === undefined) throw new TypeError(`WebM position ${position} does not point at a top-level element.`);
      return target;
    };
    let changed = false;
    for (const entry of entries) {
      if (!entry.from || !OFFSET_ELEMENTS.has(entry.from.id)) continue;
      const bytes = movePositions(webm, entry.from, move);
      changed ||= bytes.length !== entry.bytes.length || bytes.some((byte, i) => byte !== entry.bytes[i]);
      entry.bytes = bytes;
    }
    if (!changed) {
      const body = concatBytes(entries.map((entry) => entry.bytes));
      // Positions count from the Segment's data, so a wider size field moves none of them.
      const size =
        segment.size === null
          ? webm.subarray(segment.sizeOffset, segment.dataOffset)
          : body.length < 2 ** (7 * segment.sizeLength) - 1
            ? encodeSize(body.length, segment.sizeLength)
            : encodeSize(body.length);
      return concatBytes([webm.subarray(0, segment.sizeOffset), size, body, webm.subarray(segmentEnd)]);
    }
  }
  throw new TypeError('WebM positions did not settle.');
}

/**
 * The WebM with `tags` added (see the top of this file). Throws a `TypeError` when the bytes are not a WebM
 * file this writer can lay out: an EBML header, then a Segment whose children up to the first Cluster have
 * known sizes, and all but Clusters when it has a SeekHead or Cues.
 */
export function withWebmTags(webm: Uint8Array, tags: Readonly<Record<string, string>>): Uint8Array<ArrayBuffer> {
  const header = readHeader(webm, 0);
  if (header.id !== EBML_ID || header.size === null) throw new TypeError('Not a WebM file.');
  const segment = readHeader(webm, header.dataOffset + header.size);
  if (segment.id !== SEGMENT_ID) throw new TypeError('WebM file without a Segment.');
  const segmentEnd = segment.size === null ? webm.length : Math.min(webm.length, segment.dataOffset + segment.size);
  // Find the first Cluster, and any SeekHead or Cues (muxers that seek back write Cues after the Clusters).
  let insertAt: number | null = null;
  for (let offset = segment.dataOffset; offset < segmentEnd;) {
    const child = readHeader(webm, offset);
    if (OFFSET_ELEMENTS.has(child.id)) return relayout(webm, segment, segmentEnd, tags);
    if (child.id === CLUSTER_ID) insertAt ??= offset;
    // A live-written Cluster of unknown size: the rest cannot be walked, and a live muxer writes no Cues.
    if (child.size === null && child.id === CLUSTER_ID) break;
    if (child.size === null) throw new TypeError('WebM element of unknown size before the first Cluster.');
    offset = child.dataOffset + child.size;
  }
  insertAt ??= segmentEnd;
  const inserted = encodeTags(tags);
  const segmentSize =
    segment.size === null ? webm.subarray(segment.sizeOffset, segment.dataOffset) : encodeSize(segment.size + inserted.length, segment.sizeLength);
  return concatBytes([webm.subarray(0, segment.sizeOffset), segmentSize, webm.subarray(segment.dataOffset, insertAt), inserted, webm.subarray(insertAt)]);
}
