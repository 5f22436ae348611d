/**
 * What marks a swapped picture or recording as AI-made: the IPTC digital source type in the metadata and a
 * small visible mark in a corner of the pixels (EU AI Act Art. 50(2): machine-readable and detectable).
 */
import { AI_DIGITAL_SOURCE_TYPE, MARKING_TOOL } from '../core/provenance.js';

/** Where the visible mark goes; `start`/`end` follow the writing direction, as in CSS. */
export type MarkCorner = 'top-start' | 'top-end' | 'bottom-start' | 'bottom-end';
export const MARK_CORNERS: readonly MarkCorner[] = ['top-start', 'top-end', 'bottom-start', 'bottom-end'];

/** The mark of one file: the visible text (the translated "AI face swap"), its corner and direction. */
export interface FileMark {
  text: string;
  corner: MarkCorner;
  dir: 'ltr' | 'rtl';
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The XMP packet of a marked picture: digital source type, the visible text as description, the tool. */
export function disclosureXmp(text: string): string {
  return [
    '<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>',
    '<x:xmpmeta xmlns:x="adobe:ns:meta/">',
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
    '<rdf:Description rdf:about=""',
    ' xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/"',
    ' xmlns:dc="http://purl.org/dc/elements/1.1/"',
    ' xmlns:xmp="http://ns.adobe.com/xap/1.0/"',
    ` Iptc4xmpExt:DigitalSourceType="${AI_DIGITAL_SOURCE_TYPE}"`,
    ` xmp:CreatorTool="${MARKING_TOOL}">`,
    `<dc:description><rdf:Alt><rdf:li xml:lang="x-default">${escapeXml(text)}</rdf:li></rdf:Alt></dc:description>`,
    '</rdf:Description>',
    '</rdf:RDF>',
    '</x:xmpmeta>',
    '<?xpacket end="r"?>',
  ].join('\n');
}

/** The Matroska tags of a marked recording: the same source type, description and tool as the XMP. */
export function disclosureWebmTags(text: string): Record<string, string> {
  return { DIGITAL_SOURCE_TYPE: AI_DIGITAL_SOURCE_TYPE, DESCRIPTION: text, ENCODER: MARKING_TOOL };
}

/**
 * Draws the visible mark: the text on a dark rounded plate in a corner, sized to the frame (about 3.5 % of
 * its height, never under 12 px) so it stays legible in a thumbnail and small on a large picture.
 */
export function drawMark(context: CanvasRenderingContext2D, width: number, height: number, mark: FileMark): void {
  const fontSize = Math.max(12, Math.round(Math.min(width, height) * 0.035));
  const padding = Math.round(fontSize * 0.45);
  const margin = Math.round(fontSize * 0.75);
  context.save();
  context.font = `600 ${fontSize}px system-ui, sans-serif`;
  context.direction = mark.dir;
  context.textBaseline = 'middle';
  context.textAlign = 'left';
  const textWidth = Math.min(context.measureText(mark.text).width, width - 2 * (margin + padding));
  const plateWidth = textWidth + 2 * padding;
  const plateHeight = fontSize + 2 * padding;
  const [block, inline] = mark.corner.split('-') as ['top' | 'bottom', 'start' | 'end'];
  const atLeft = (inline === 'start') === (mark.dir === 'ltr');
  const x = atLeft ? margin : width - margin - plateWidth;
  const y = block === 'top' ? margin : height - margin - plateHeight;
  context.fillStyle = 'rgb(0 0 0 / 0.62)';
  context.beginPath();
  context.roundRect(x, y, plateWidth, plateHeight, Math.round(plateHeight / 4));
  context.fill();
  context.fillStyle = '#ffffff';
  context.fillText(mark.text, x + padding, y + plateHeight / 2, textWidth);
  context.restore();
}
