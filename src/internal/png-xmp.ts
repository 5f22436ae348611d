/**
 * Writes an XMP packet into a PNG, as the iTXt chunk with keyword `XML:com.adobe.xmp` that the XMP
 * specification (part 3) defines for PNG. Pure bytes in, bytes out: no DOM, no Node APIs.
 */

import { concatBytes, crc32 } from './bytes.js';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const XMP_KEYWORD = 'XML:com.adobe.xmp';

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** The iTXt chunk data: keyword, NUL, no compression, empty language and translated keyword, UTF-8 text. */
function xmpChunk(xmp: string): Uint8Array {
  const keyword = new TextEncoder().encode(XMP_KEYWORD);
  const text = new TextEncoder().encode(xmp);
  const data = new Uint8Array(keyword.length + 5 + text.length);
  data.set(keyword, 0);
  // keyword NUL, compression flag 0, compression method 0, language NUL, translated keyword NUL
  data.set(text, keyword.length + 5);
  return chunk('iTXt', data);
}

function isXmpChunk(png: Uint8Array, dataStart: number, length: number): boolean {
  const keyword = XMP_KEYWORD.length;
  if (length <= keyword) return false;
  for (let i = 0; i < keyword; i++) if (png[dataStart + i] !== XMP_KEYWORD.charCodeAt(i)) return false;
  return png[dataStart + keyword] === 0;
}

/**
 * The PNG with `xmp` as its only XMP packet, placed right after IHDR (readers look for it before the image
 * data). An XMP chunk already there is replaced. Throws a `TypeError` when `png` is not a well-formed PNG.
 */
export function withPngXmp(png: Uint8Array, xmp: string): Uint8Array<ArrayBuffer> {
  if (png.length < 8 + 25 || PNG_SIGNATURE.some((byte, i) => png[i] !== byte)) throw new TypeError('Not a PNG file.');
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const kept: Uint8Array[] = [png.subarray(0, 8)];
  let offset = 8;
  let sawEnd = false;
  while (offset < png.length) {
    if (offset + 12 > png.length) throw new TypeError('Truncated PNG chunk.');
    const length = view.getUint32(offset);
    const end = offset + 12 + length;
    if (end > png.length) throw new TypeError('Truncated PNG chunk.');
    const type = String.fromCharCode(...png.subarray(offset + 4, offset + 8));
    if (offset === 8 && type !== 'IHDR') throw new TypeError('PNG does not start with IHDR.');
    if (!(type === 'iTXt' && isXmpChunk(png, offset + 8, length))) kept.push(png.subarray(offset, end));
    if (type === 'IHDR') kept.push(xmpChunk(xmp));
    offset = end;
    if (type === 'IEND') {
      sawEnd = true;
      break;
    }
  }
  if (!sawEnd) throw new TypeError('PNG has no IEND chunk.');
  return concatBytes(kept);
}
