import { expect } from '@open-wc/testing';
import { QUALITY_TARGETS, scalePolygon, sectorSeam } from './quality-metrics.js';

// The worst-sector seam metric judges skin only: a source's own features that the ring happens to cross (red lips
// on a foreshortened chin) are not a seam, while an edge of wrong colour on the skin still is. Drawn faces, so the
// metric is checked apart from any model.

const SIZE = 320;
const SKIN = 'rgb(200, 160, 130)';

function ellipse(cx: number, cy: number, rx: number, ry: number, count: number, from = 0, to = 2 * Math.PI): number[] {
  const closed = to - from >= 2 * Math.PI;
  return Array.from({ length: count }, (_, i) => {
    const t = from + ((to - from) * i) / (closed ? count : count - 1);
    return [cx + rx * Math.cos(t), cy + ry * Math.sin(t)];
  }).flat();
}

/**
 * 68 landmarks of a drawn face whose lips lie on the mask's inner polygon at the bottom and whose brows lie a tenth of
 * an eye distance inside it at the top (as on the webcam clip, where the mask's top runs just above the brows).
 */
function landmarks(): Float32Array {
  return Float32Array.from([
    ...ellipse(160, 150, 70, 100, 17, Math.PI, 0), // jaw, left to right
    ...ellipse(127, 95, 22, 0, 5, Math.PI, 2 * Math.PI), // brows
    ...ellipse(193, 95, 22, 0, 5, Math.PI, 2 * Math.PI),
    ...Array.from({ length: 9 }, (_, i) => [160, 135 + i * 6]).flat(), // nose
    ...ellipse(130, 140, 15, 6, 6, Math.PI), // eyes
    ...ellipse(190, 140, 15, 6, 6, Math.PI),
    ...ellipse(160, 232, 28, 9, 12, Math.PI), // outer lips
    ...ellipse(160, 232, 18, 3, 8, Math.PI), // inner lips
  ]);
}

function canvas(draw: (ctx: CanvasRenderingContext2D) => void): HTMLCanvasElement {
  const c = document.createElement('canvas');
  c.width = SIZE;
  c.height = SIZE;
  const ctx = c.getContext('2d')!;
  ctx.fillStyle = SKIN;
  ctx.fillRect(0, 0, SIZE, SIZE);
  draw(ctx);
  return c;
}

function fillPolygon(ctx: CanvasRenderingContext2D, polygon: ArrayLike<number>, colour: string): void {
  ctx.beginPath();
  for (let i = 0; i < polygon.length; i += 2) ctx.lineTo(polygon[i], polygon[i + 1]);
  ctx.closePath();
  ctx.fillStyle = colour;
  ctx.fill();
}

describe('worst-sector seam metric: skin only', () => {
  const face = landmarks();
  const contour = Float32Array.from(ellipse(160, 160, 75, 95, 48, -Math.PI / 2, (3 * Math.PI) / 2));
  const mask = { outer: contour, inner: scalePolygon(contour, 0.75) };
  const lips = face.slice(48 * 2, 60 * 2);
  const input = canvas(() => {});
  const withLips = canvas((ctx) => fillPolygon(ctx, lips, 'rgb(150, 30, 45)'));
  const withEdge = canvas((ctx) => {
    fillPolygon(ctx, scalePolygon(contour, 0.875), 'rgb(235, 195, 165)');
    fillPolygon(ctx, lips, 'rgb(150, 30, 45)');
  });

  it('the drawn lips do cross the ring', () => {
    expect(sectorSeam(input, withLips, mask)!.ratio, 'lips judged as skin').to.be.above(5);
  });

  it('does not count the lips as a seam', () => {
    expect(sectorSeam(input, withLips, mask, [face])!.ratio).to.be.at.most(QUALITY_TARGETS.sectorSeamRatio);
  });

  it('still fails an edge of wrong colour on the skin beside them', () => {
    const seam = sectorSeam(input, withEdge, mask, [face])!;
    expect(seam.ratio).to.be.above(2 * QUALITY_TARGETS.sectorSeamRatio);
  });

  it('still judges the forehead between the top of the mask and the brows', () => {
    const withBand = canvas((ctx) => {
      ctx.save();
      fillPolygon(ctx, contour, SKIN);
      ctx.clip();
      ctx.fillStyle = 'rgb(170, 170, 170)';
      ctx.fillRect(0, 0, SIZE, 78);
      ctx.restore();
    });
    expect(sectorSeam(input, withBand, mask, [face])!.top, 'top sectors').to.be.above(2 * QUALITY_TARGETS.sectorSeamRatio);
  });
});
