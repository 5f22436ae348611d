/** Geometry of the 468-point face mesh: its regions, neighbours, feathering and which way its triangles face. */

export const MESH_POINTS = 468;

/** The face's outer contour in the 468-point mesh (MediaPipe's FACE_OVAL), forehead clockwise. */
export const FACE_OVAL = [
  10, 338, 297, 332, 284, 251, 389, 356, 454, 323, 361, 288, 397, 365, 379, 378, 400, 377, 152, 148, 176, 149, 150, 136, 172, 58, 132, 93, 234, 127, 162, 21,
  54, 103, 67, 109,
];

/** How wide the face contour is along x, in the units of `points` (x0 y0 x1 y1 ...). */
export function ovalWidth(points: Float32Array): number {
  let minX = Infinity;
  let maxX = -Infinity;
  for (const i of FACE_OVAL) {
    minX = Math.min(minX, points[i * 2]);
    maxX = Math.max(maxX, points[i * 2]);
  }
  return maxX - minX;
}

/** Distance from (px, py) to the segment a-b. */
function segmentDistance(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  const t = len2 > 0 ? Math.min(1, Math.max(0, ((px - ax) * dx + (py - ay) * dy) / len2)) : 0;
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/**
 * Blend weight per vertex: 0 on the face contour rising smoothly to 1 a `feather` fraction of the face width
 * inside it, measured on the canonical face (`uv`, x0 y0 x1 y1 ...), so the seam fades out the same way for
 * every face. Interpolated across triangles, this is the feathered mask. An eighth of the width: with a fifth, the
 * camera person's cheeks and jaw line showed through so much of the face that face recognition read the output as
 * them on half the frames (Ben's photo on the webcam clip); the colour is matched locally, so the narrower feather
 * leaves no seam (border ratio 1.12 -> 1.13 there).
 */
export function featherWeights(uv: Float32Array, feather = 0.12): Float32Array {
  const width = Math.max(1e-6, ovalWidth(uv) * feather);
  const weights = new Float32Array(MESH_POINTS);
  for (let v = 0; v < MESH_POINTS; v++) {
    const px = uv[v * 2];
    const py = uv[v * 2 + 1];
    let d = Infinity;
    for (let k = 0; k < FACE_OVAL.length; k++) {
      const a = FACE_OVAL[k];
      const b = FACE_OVAL[(k + 1) % FACE_OVAL.length];
      d = Math.min(d, segmentDistance(px, py, uv[a * 2], uv[a * 2 + 1], uv[b * 2], uv[b * 2 + 1]));
    }
    const t = Math.min(1, d / width);
    weights[v] = t * t * (3 - 2 * t);
  }
  return weights;
}

/** The eye openings (upper and lower lid margins), the person's right eye then left. */
export const RIGHT_EYE = [33, 7, 163, 144, 145, 153, 154, 155, 133, 173, 157, 158, 159, 160, 161, 246];
export const LEFT_EYE = [263, 249, 390, 373, 374, 380, 381, 382, 362, 398, 384, 385, 386, 387, 388, 466];
/** The eyebrows (their upper and lower edges), the person's right then left. */
export const BROWS = [70, 63, 105, 66, 107, 55, 65, 52, 53, 46, 300, 293, 334, 296, 336, 285, 295, 282, 283, 276];
/** The lips' outer contour. */
export const LIPS_OUTER = [61, 146, 91, 181, 84, 17, 314, 405, 321, 375, 291, 409, 270, 269, 267, 0, 37, 39, 40, 185];
/** The lips' inner contour: the edge of the mouth opening, which the mesh leaves open. */
export const LIPS_INNER = [78, 95, 88, 178, 87, 14, 317, 402, 318, 324, 308, 415, 310, 311, 312, 13, 82, 81, 80, 191];

/**
 * The lip vertices that MediaPipe's face mesh with attention refines with its own lips head (human's
 * LANDMARKS_REFINEMENT_LIPS_CONFIG): the outer and inner contours and the two rows between them on each lip.
 */
// prettier-ignore
const REFINED_LIPS = [
  61, 146, 91, 181, 84, 17, 314, 405, 321, 375, 291, 185, 40, 39, 37, 0, 267, 269, 270, 409,
  78, 95, 88, 178, 87, 14, 317, 402, 318, 324, 308, 191, 80, 81, 82, 13, 312, 311, 310, 415,
  76, 77, 90, 180, 85, 16, 315, 404, 320, 307, 306, 184, 74, 73, 72, 11, 302, 303, 304, 408,
  62, 96, 89, 179, 86, 15, 316, 403, 319, 325, 292, 183, 42, 41, 38, 12, 268, 271, 272, 407,
];

/**
 * The vertices round each eye that the model refines with its eye heads, ring by ring out from the lid margins (16
 * vertices) to the brows (EYE_RING_ENDS): the person's right eye (human's LANDMARKS_REFINEMENT_LEFT_EYE_CONFIG, the
 * image's left), then the left (_RIGHT_EYE_CONFIG).
 */
// prettier-ignore
const REFINED_EYES = [
  [
    33, 7, 163, 144, 145, 153, 154, 155, 133, 246, 161, 160, 159, 158, 157, 173,
    130, 25, 110, 24, 23, 22, 26, 112, 243, 247, 30, 29, 27, 28, 56, 190,
    226, 31, 228, 229, 230, 231, 232, 233, 244, 113, 225, 224, 223, 222, 221, 189,
    35, 124, 46, 53, 52, 65,
    143, 111, 117, 118, 119, 120, 121, 128, 245, 156, 70, 63, 105, 66, 107, 55, 193,
  ],
  [
    263, 249, 390, 373, 374, 380, 381, 382, 362, 466, 388, 387, 386, 385, 384, 398,
    359, 255, 339, 254, 253, 252, 256, 341, 463, 467, 260, 259, 257, 258, 286, 414,
    446, 261, 448, 449, 450, 451, 452, 453, 464, 342, 445, 444, 443, 442, 441, 413,
    265, 353, 276, 283, 282, 295,
    372, 340, 346, 347, 348, 349, 350, 357, 465, 383, 300, 293, 334, 296, 336, 285, 417,
  ],
];
/** Where each ring of REFINED_EYES ends: the lid margins, then four rings out to the brows. */
const EYE_RING_ENDS = [16, 32, 48, 54, 71];
/** How much of an eye's move each ring takes: all at the margins, fading towards the brows, which stay nearly put. */
const EYE_RING_SHARES = [1, 0.8, 0.6, 0.4, 0.2];

/**
 * The most the refined lips, or either eye's refined lid margins, may lie from the mesh's own on average (eye
 * distances): further, the model found another face or failed, and nothing of it is used. On the ten test sources
 * the lips lie 0.012 to 0.044 apart and the margins 0.006 to 0.061.
 */
const REFINED_MAX_APART = 0.25;

/** Mean move of `vertices` from `points` to `refined`, and its mean length. */
function meanMove(points: Float32Array, refined: Float32Array, vertices: number[]): { dx: number; dy: number; apart: number } {
  let dx = 0;
  let dy = 0;
  let apart = 0;
  for (const v of vertices) {
    const [x, y] = [refined[v * 2] - points[v * 2], refined[v * 2 + 1] - points[v * 2 + 1]];
    dx += x / vertices.length;
    dy += y / vertices.length;
    apart += Math.hypot(x, y) / vertices.length;
  }
  return { dx, dy, apart };
}

/**
 * A source photo's mesh `points` with the refinements of `refined` (the same photo's mesh from the model with
 * attention, in the same pixels): its lips, and its eyes' places. Each eye's margins and the rings round them move
 * as a whole, by the mean move of its margins (less towards the brows, EYE_RING_SHARES), and keep the shape the
 * mesh gave them: the model's own eye shapes read some photos' eyes near shut (`tilted`'s lid gap 0.07 to 0.03 eye
 * distances), which cost identity, while its places correct the mesh where it sets an eye off (Ada's right eye, 0.13
 * eye distances from face-api's landmarks, comes to 0.08). Null when `refined` is not this face (REFINED_MAX_APART).
 */
export function withRefinedFeatures(points: Float32Array, refined: Float32Array): Float32Array | null {
  const limit = REFINED_MAX_APART * Math.hypot(points[263 * 2] - points[33 * 2], points[263 * 2 + 1] - points[33 * 2 + 1]);
  const eyeMoves = REFINED_EYES.map((eye) => meanMove(points, refined, eye.slice(0, EYE_RING_ENDS[0])));
  // Written so that a NaN anywhere fails it.
  if (![meanMove(points, refined, REFINED_LIPS), ...eyeMoves].every(({ apart }) => apart <= limit)) return null;
  const out = points.slice();
  for (const v of REFINED_LIPS) {
    out[v * 2] = refined[v * 2];
    out[v * 2 + 1] = refined[v * 2 + 1];
  }
  REFINED_EYES.forEach((eye, e) => {
    const { dx, dy } = eyeMoves[e];
    eye.forEach((v, k) => {
      const share = EYE_RING_SHARES[EYE_RING_ENDS.findIndex((end) => k < end)];
      out[v * 2] += share * dx;
      out[v * 2 + 1] += share * dy;
    });
  });
  return out;
}

const LIP_BODY_ALPHA = 0.4;
/**
 * The widened mouth (widenMouth) keeps its corners: its lips move less within this share of the mouth's width from
 * either corner, where the mesh's triangles are thin and a full move would fold them.
 */
const LIP_CORNER_TAPER = 0.3;
/** The outer contour's middle: the top of the upper lip, the bottom of the lower. */
const LIPS_MIDDLE = [0, 17];
/** The inner contour's corners, the person's right then left. */
const MOUTH_CORNERS = [LIPS_INNER[0], LIPS_INNER[LIPS_INNER.length / 2]];
/**
 * The inner contour's vertices facing each other across the mouth, upper then lower (the corners left out), each
 * with the outer contour's vertex on its own lip: the two contours are listed in step, index k of one facing index
 * k of the other.
 */
const LIP_PAIRS = Array.from({ length: LIPS_INNER.length / 2 - 1 }, (_, i) => {
  const [upper, lower] = [LIPS_INNER.length - 1 - i, 1 + i];
  return { upper: LIPS_INNER[upper], upperOuter: LIPS_OUTER[upper], lower: LIPS_INNER[lower], lowerOuter: LIPS_OUTER[lower] };
});
/**
 * A widened lip's inner edge moves at most this share of the lip's thickness, so the lip is thinned, never folded:
 * the lower lip's first ring lies a quarter of its thickness from the inner edge and follows two thirds of the move,
 * so 0.5 leaves that row of triangles 27 % of their height on the canonical face, and 0.7 folded them.
 */
const LIP_MOVE_LIMIT = 0.5;

/** The distance between vertices `a` and `b` of `points` (x0 y0 x1 y1 ...). */
function vertexDistance(points: Float32Array, a: number, b: number): number {
  return Math.hypot(points[a * 2] - points[b * 2], points[a * 2 + 1] - points[b * 2 + 1]);
}

function insidePolygon(x: number, y: number, uv: Float32Array, polygon: number[]): boolean {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const ax = uv[polygon[i] * 2];
    const ay = uv[polygon[i] * 2 + 1];
    const bx = uv[polygon[j] * 2];
    const by = uv[polygon[j] * 2 + 1];
    if (ay > y !== by > y && x < ((bx - ax) * (y - ay)) / (by - ay) + ax) inside = !inside;
  }
  return inside;
}

/** Twice the signed area of triangle a, b, c of x0 y0 x1 y1 ... (positive when clockwise on screen). */
function signedArea(points: Float32Array, a: number, b: number, c: number): number {
  const ax = points[a * 2];
  const ay = points[a * 2 + 1];
  return (points[b * 2] - ax) * (points[c * 2 + 1] - ay) - (points[b * 2 + 1] - ay) * (points[c * 2] - ax);
}

/** What the renderer and the engine need to know about the mesh, derived once from its triangles and canonical face. */
export interface MeshTopology {
  triangles: Uint16Array;
  /** Per triangle: +1 or -1, the sign of its area on the canonical (frontal) face. */
  winding: Int8Array;
  /** Neighbours of vertex v: `neighbours[start[v]] .. neighbours[start[v + 1] - 1]`. */
  start: Uint32Array;
  neighbours: Uint16Array;
  /** Per vertex: 0 elsewhere, 1 lips, 2 right eye, 3 left eye; these move as units when the shape is transferred. */
  region: Uint8Array;
  /** Per vertex: 1 on the edges of the eye and mouth openings, whose colour there is not skin. */
  openingEdge: Uint8Array;
  /**
   * Per vertex: 1 where the colour sampled around it is a feature (eyes and the lids next to them, brows,
   * lips), not skin. Local colour is matched on skin only, so a feature's own colour (the camera's dark brows,
   * the source's red lips) never passes from one face to the other through the colour gain.
   */
  feature: Uint8Array;
  /**
   * Per vertex, how much of the source is drawn at most: less towards the mouth opening, so the camera's own lip
   * edges (and what is between them) show through and carry speech. The eyes are the source's, drawn on the
   * camera's lid margins, and fade to the camera's while it blinks (blinkArea).
   */
  openingAlpha: Float32Array;
  /**
   * Per vertex: 1 on the eyes and the lids around them (the lid margins and two rings of neighbours), never drawn
   * wholly from their counterparts across the midline (awayButMirrored, mirrorFill in compose.ts: the blend from the
   * skin beside them reaches their rings, not the margins); hair may reach onto its outer ring (hairReach).
   */
  eyeArea: Uint8Array;
  /**
   * Per vertex: 1 on the lid margins and the ring next to them, where the camera's own eyes are shown while they
   * close (BLINK_FADE in compose.ts), and for good on a photo whose eyes are too narrow (NARROW_EYES); beyond, the
   * source's outer lids and the corners of its eyes stay. Faded over eyeArea's two rings, the blinks showed as well,
   * but face-api read franck-blink x `frontal` as the camera person in 0.28 of its frames (0.06 over this area);
   * faded over the margins alone, several sources' blinks no longer showed (eye closure carried 0.55 to 0.63).
   */
  blinkArea: Uint8Array;
  /**
   * Per vertex: the inner lip vertex whose move it follows when the mouth opening is widened (widenMouth; a corner,
   * which stays, for the vertices nearest one), -1 off the lips; and how much of that move, from 1 on the inner
   * contour down to 0 on the outer one, less near the corners (LIP_CORNER_TAPER).
   */
  lipFollows: Int16Array;
  lipWeight: Float32Array;
  /** Blend weight per vertex (featherWeights). */
  feather: Float32Array;
  /**
   * Per vertex: 1 on the forehead, temples, cheeks and the sides of the jaw, where hair (or a hand) may lie over a
   * photo's face and is told from skin by being much darker (see CoverRule); 0 on the features (brows,
   * and a ring around the eyes and lips: lids, make-up), down the nose, and in the middle of the face below the
   * nostrils (upper lip, chin), where a moustache or goatee is the face's own.
   */
  coverable: Float32Array;
  /**
   * Per vertex: 1 on the brows and the outer ring of `eyeArea` (not the lids' margins), where hair is not looked
   * for, but where hair lying over a coverable part may reach on (a fringe over a brow, a strand across the temple
   * by an eye's corner: see hairCoverable in compose.ts).
   */
  hairReach: Uint8Array;
  /**
   * Per vertex: its counterpart across the face's midline (itself on the midline), from the canonical face's
   * left-right symmetry, so a part a turned photo hardly shows can be drawn from the part it mirrors.
   */
  mirror: Uint16Array;
  /** Per triangle: the triangle of its vertices' counterparts (`mirror`), -1 where the mesh has none. */
  counterpart: Int16Array;
}

/**
 * Bounds of `coverable` on the canonical face (its midline at x = 0.5; the nostrils at y 0.59, the mouth's corners
 * at 0.70 and x 0.5 +- 0.12, the chin at 0.95): above the nostrils, and over the whole height of the face more than
 * OUTER_FACE from the midline, where long hair falls along the cheeks and the jaw (stopping at the mouth's corners,
 * strands over the jaw stayed: the thickest seams measured on the webcam clip; at 0.2, one beside the mouth). A full
 * beard loses its sides to the camera's jaw and keeps its middle, like a goatee. Outside the nose below the brows.
 */
const COVERABLE_BOTTOM = 0.58;
const OUTER_FACE = 0.16;
const NOSE_STRIP: { halfWidth: number; top: number } = { halfWidth: 0.11, top: 0.33 };

/** The topology of the mesh given as `triangles` (vertex index triples) with the canonical face `uv`. */
export function meshTopology(triangles: Uint16Array, uv: Float32Array): MeshTopology {
  const count = triangles.length / 3;
  const winding = new Int8Array(count);
  const mirror = mirrorVertices(uv);
  const sets: Set<number>[] = Array.from({ length: MESH_POINTS }, () => new Set());
  for (let t = 0; t < count; t++) {
    const [a, b, c] = [triangles[t * 3], triangles[t * 3 + 1], triangles[t * 3 + 2]];
    winding[t] = signedArea(uv, a, b, c) >= 0 ? 1 : -1;
    sets[a].add(b).add(c);
    sets[b].add(a).add(c);
    sets[c].add(a).add(b);
  }
  const start = new Uint32Array(MESH_POINTS + 1);
  for (let v = 0; v < MESH_POINTS; v++) start[v + 1] = start[v] + sets[v].size;
  const neighbours = new Uint16Array(start[MESH_POINTS]);
  sets.forEach((set, v) => neighbours.set([...set], start[v]));
  const region = new Uint8Array(MESH_POINTS);
  for (let v = 0; v < MESH_POINTS; v++) if (insidePolygon(uv[v * 2], uv[v * 2 + 1], uv, LIPS_OUTER)) region[v] = 1;
  for (const v of LIPS_OUTER) region[v] = 1;
  for (const v of RIGHT_EYE) region[v] = 2;
  for (const v of LEFT_EYE) region[v] = 3;
  const openingEdge = new Uint8Array(MESH_POINTS);
  for (const v of [...RIGHT_EYE, ...LEFT_EYE, ...LIPS_INNER]) openingEdge[v] = 1;
  const eyes = new Uint8Array(MESH_POINTS);
  for (const v of [...RIGHT_EYE, ...LEFT_EYE]) eyes[v] = 1;
  const aroundEyes = widen(eyes, start, neighbours);
  const eyesAndLips = Uint8Array.from(region, (r, v) => (r || aroundEyes[v] ? 1 : 0));
  const feature = eyesAndLips.slice();
  for (const v of BROWS) feature[v] = 1;
  const openingAlpha = new Float32Array(MESH_POINTS).fill(1);
  // The lips from the camera's own towards the opening: a photo's open mouth (its teeth) never shows.
  const outerLips = new Set(LIPS_OUTER);
  for (let v = 0; v < MESH_POINTS; v++) if (region[v] === 1 && !outerLips.has(v)) openingAlpha[v] = LIP_BODY_ALPHA;
  for (const v of LIPS_INNER) openingAlpha[v] = 0;
  const eyeArea = widen(aroundEyes, start, neighbours);
  // A ring around the eyes and lips (make-up, lid shadow), none above the brows: the forehead is one ring high.
  const nearEyesAndLips = widen(eyesAndLips, start, neighbours);
  const coverable = Float32Array.from(feature, (f, v) => {
    const x = uv[v * 2];
    const y = uv[v * 2 + 1];
    const nose = Math.abs(x - 0.5) < NOSE_STRIP.halfWidth && y > NOSE_STRIP.top;
    const outer = Math.abs(x - 0.5) > OUTER_FACE;
    return f || nearEyesAndLips[v] || nose || (y >= COVERABLE_BOTTOM && !outer) ? 0 : 1;
  });
  // Not coverable by construction: eyeArea lies within nearEyesAndLips, and the brows are features.
  const hairReach = Uint8Array.from(eyeArea, (e, v) => ((e && !aroundEyes[v]) || BROWS.includes(v) ? 1 : 0));
  const { follows: lipFollows, weight: lipWeight } = lipBody(uv, region, start, neighbours);
  return {
    triangles,
    winding,
    eyeArea,
    blinkArea: aroundEyes,
    start,
    neighbours,
    region,
    openingEdge,
    feature,
    openingAlpha,
    coverable,
    hairReach,
    lipFollows,
    lipWeight,
    feather: featherWeights(uv),
    mirror,
    counterpart: counterpartTriangles(triangles, mirror),
  };
}

function counterpartTriangles(triangles: Uint16Array, mirror: Uint16Array): Int16Array {
  const triangleOf = triangleLookup(triangles);
  return Int16Array.from(
    { length: triangles.length / 3 },
    (_, t) => triangleOf(mirror[triangles[t * 3]], mirror[triangles[t * 3 + 1]], mirror[triangles[t * 3 + 2]]) ?? -1,
  );
}

/** Finds the triangle of `triangles` with these three corners, in any order (undefined when there is none). */
export function triangleLookup(triangles: Uint16Array): (a: number, b: number, c: number) => number | undefined {
  const key = (a: number, b: number, c: number) => [a, b, c].sort((x, y) => x - y).join(',');
  const index = new Map<string, number>();
  for (let t = 0; t < triangles.length / 3; t++) index.set(key(triangles[t * 3], triangles[t * 3 + 1], triangles[t * 3 + 2]), t);
  return (a, b, c) => index.get(key(a, b, c));
}

/** Per vertex, the vertex nearest its reflection in the canonical face's midline (x = 0.5). */
function mirrorVertices(uv: Float32Array): Uint16Array {
  const mirror = new Uint16Array(MESH_POINTS);
  for (let v = 0; v < MESH_POINTS; v++) {
    const x = 1 - uv[v * 2];
    const y = uv[v * 2 + 1];
    let nearest = Infinity;
    for (let w = 0; w < MESH_POINTS; w++) {
      const d = Math.hypot(uv[w * 2] - x, uv[w * 2 + 1] - y);
      if (d < nearest) [nearest, mirror[v]] = [d, w];
    }
  }
  return mirror;
}

/** Hops from the nearest of `from` to each vertex of the lips (region 1), through the lips only. */
function lipHops(from: number[], region: Uint8Array, start: Uint32Array, neighbours: Uint16Array): Uint8Array {
  const hops = new Uint8Array(MESH_POINTS).fill(255);
  let ring = from.slice();
  for (const v of ring) hops[v] = 0;
  for (let distance = 1; ring.length; distance++) {
    const next: number[] = [];
    for (const v of ring) {
      for (let i = start[v]; i < start[v + 1]; i++) {
        const n = neighbours[i];
        if (region[n] === 1 && hops[n] === 255) {
          hops[n] = distance;
          next.push(n);
        }
      }
    }
    ring = next;
  }
  return hops;
}

/** MeshTopology.lipFollows and lipWeight: each lip vertex follows the nearest inner vertex on the canonical face. */
function lipBody(uv: Float32Array, region: Uint8Array, start: Uint32Array, neighbours: Uint16Array) {
  const follows = new Int16Array(MESH_POINTS).fill(-1);
  const weight = new Float32Array(MESH_POINTS);
  const fromInner = lipHops(LIPS_INNER, region, start, neighbours);
  const fromOuter = lipHops(LIPS_OUTER, region, start, neighbours);
  const distance = (a: number, b: number) => vertexDistance(uv, a, b);
  const taperWidth = LIP_CORNER_TAPER * distance(MOUTH_CORNERS[0], MOUTH_CORNERS[1]);
  for (let v = 0; v < MESH_POINTS; v++) {
    if (region[v] !== 1 || fromInner[v] === 255) continue;
    follows[v] = LIPS_INNER.reduce((a, b) => (distance(b, v) < distance(a, v) ? b : a));
    const toCorner = Math.min(distance(v, MOUTH_CORNERS[0]), distance(v, MOUTH_CORNERS[1]));
    weight[v] = (fromOuter[v] / (fromInner[v] + fromOuter[v])) * smoothstep(0, taperWidth, toCorner);
  }
  return { follows, weight };
}

/**
 * Opens the mouth of `points` wider: each facing pair of inner lip vertices moves apart by up to `amount` of the
 * distance between them, at most LIP_MOVE_LIMIT of its lip's thickness; the lips' body follows, less towards the
 * outer contour and near the corners. The corners, a closed mouth and a pair drawn crossed (the lower vertex above
 * the upper one, across the mouth: nothing to open) stay. The mesh model draws an open mouth's lips closer
 * together than they are (on the webcam clip its gap is a median 0.69 of face-api's), and only what lies inside the
 * inner contour is the camera's own mouth. `moves`: scratch, two numbers per vertex, zero at the corners.
 */
export function widenMouth(points: Float32Array, mesh: MeshTopology, amount: number, moves: Float32Array): void {
  const [right, left] = MOUTH_CORNERS;
  const acrossX = points[left * 2] - points[right * 2];
  const acrossY = points[left * 2 + 1] - points[right * 2 + 1];
  const width = Math.hypot(acrossX, acrossY);
  if (!(width > 0)) return;
  // The unit vector square to the corners' line, turned to point from the upper lip to the lower one.
  let downX = -acrossY / width;
  let downY = acrossX / width;
  const [top, bottom] = LIPS_MIDDLE;
  if ((points[bottom * 2] - points[top * 2]) * downX + (points[bottom * 2 + 1] - points[top * 2 + 1]) * downY < 0) {
    downX = -downX;
    downY = -downY;
  }
  // The share of the gap a lip's inner vertex moves: half the widening, at most LIP_MOVE_LIMIT of the lip's thickness.
  const share = (inner: number, outer: number, gap: number) => Math.min((gap * amount) / 2, LIP_MOVE_LIMIT * vertexDistance(points, inner, outer)) / gap;
  for (const { upper, upperOuter, lower, lowerOuter } of LIP_PAIRS) {
    const gapX = points[lower * 2] - points[upper * 2];
    const gapY = points[lower * 2 + 1] - points[upper * 2 + 1];
    const gap = Math.hypot(gapX, gapY);
    const open = gapX * downX + gapY * downY > 0;
    const up = open ? share(upper, upperOuter, gap) : 0;
    const down = open ? share(lower, lowerOuter, gap) : 0;
    moves[upper * 2] = -up * gapX;
    moves[upper * 2 + 1] = -up * gapY;
    moves[lower * 2] = down * gapX;
    moves[lower * 2 + 1] = down * gapY;
  }
  for (let v = 0; v < MESH_POINTS; v++) {
    const f = mesh.lipFollows[v];
    if (f < 0) continue;
    points[v * 2] += mesh.lipWeight[v] * moves[f * 2];
    points[v * 2 + 1] += mesh.lipWeight[v] * moves[f * 2 + 1];
  }
}

/** The vertices of `mask` and their neighbours: the mask one mesh ring wider. */
function widen(mask: Uint8Array, start: Uint32Array, neighbours: Uint16Array): Uint8Array {
  const wider = mask.slice();
  for (let v = 0; v < MESH_POINTS; v++) if (mask[v]) for (let i = start[v]; i < start[v + 1]; i++) wider[neighbours[i]] = 1;
  return wider;
}

/** Per eye, the person's right then left: its upper and lower lid at the middle, and its two corners. */
export const EYE_GAPS: { lids: [number, number]; corners: [number, number] }[] = [
  { lids: [159, 145], corners: [33, 133] },
  { lids: [386, 374], corners: [263, 362] },
];

/** How far the lids are apart, over the eye's width, both eyes averaged (x0 y0 x1 y1 ... of the 468-point mesh). */
export function eyeOpenness(points: Float32Array): number {
  const gap = ([a, b]: [number, number]) => vertexDistance(points, a, b);
  let sum = 0;
  for (const { lids, corners } of EYE_GAPS) sum += gap(lids) / Math.max(1e-6, gap(corners));
  return sum / EYE_GAPS.length;
}

/**
 * How squarely each triangle faces the camera: the z of its unit normal, signed so that 1 is facing the
 * camera, 0 edge-on and below 0 turned away or folded over (its on-screen winding flipped from the canonical
 * face's). `points` x0 y0 ..., `depth` z0 z1 ... in the same units.
 */
export function triangleFacing(points: Float32Array, depth: Float32Array, mesh: MeshTopology, out: Float32Array): Float32Array {
  const { triangles, winding } = mesh;
  for (let t = 0; t < winding.length; t++) {
    const a = triangles[t * 3];
    const b = triangles[t * 3 + 1];
    const c = triangles[t * 3 + 2];
    const ux = points[b * 2] - points[a * 2];
    const uy = points[b * 2 + 1] - points[a * 2 + 1];
    const uz = depth[b] - depth[a];
    const vx = points[c * 2] - points[a * 2];
    const vy = points[c * 2 + 1] - points[a * 2 + 1];
    const vz = depth[c] - depth[a];
    const nx = uy * vz - uz * vy;
    const ny = uz * vx - ux * vz;
    const nz = ux * vy - uy * vx;
    const length = Math.hypot(nx, ny, nz);
    out[t] = length > 0 ? (winding[t] * nz) / length : 0;
  }
  return out;
}

/** Per vertex, the mean facing of the triangles around it. */
export function vertexFacing(facing: Float32Array, mesh: MeshTopology, out: Float32Array): Float32Array {
  const counts = new Uint8Array(MESH_POINTS);
  out.fill(0);
  const { triangles } = mesh;
  for (let t = 0; t < facing.length; t++) {
    for (let k = 0; k < 3; k++) {
      out[triangles[t * 3 + k]] += facing[t];
      counts[triangles[t * 3 + k]]++;
    }
  }
  for (let v = 0; v < MESH_POINTS; v++) out[v] = counts[v] ? out[v] / counts[v] : 0;
  return out;
}

export function smoothstep(edge0: number, edge1: number, x: number): number {
  const t = Math.min(1, Math.max(0, (x - edge0) / (edge1 - edge0)));
  return t * t * (3 - 2 * t);
}

/**
 * Low-pass over the mesh: each of `iterations` passes replaces every vertex's `channels` values by the mean of
 * itself and its neighbours. Vertices flagged in `unknown` are first filled from their known neighbours.
 */
export function smoothOverMesh(field: Float32Array, channels: number, mesh: MeshTopology, iterations: number, unknown?: Uint8Array): Float32Array {
  const { start, neighbours } = mesh;
  let current = Float32Array.from(field);
  if (unknown) {
    const known = Uint8Array.from(unknown, (u) => (u ? 0 : 1));
    for (let pass = 0, missing = true; missing && pass < 8; pass++) {
      missing = false;
      for (let v = 0; v < MESH_POINTS; v++) {
        if (known[v]) continue;
        let n = 0;
        const sum = new Array<number>(channels).fill(0);
        for (let i = start[v]; i < start[v + 1]; i++) {
          const w = neighbours[i];
          if (known[w] !== 1) continue;
          for (let c = 0; c < channels; c++) sum[c] += current[w * channels + c];
          n++;
        }
        if (n === 0) {
          missing = true;
          continue;
        }
        for (let c = 0; c < channels; c++) current[v * channels + c] = sum[c] / n;
        known[v] = 2; // filled this pass: used as known from the next pass on
      }
      for (let v = 0; v < MESH_POINTS; v++) if (known[v] === 2) known[v] = 1;
    }
  }
  let next = new Float32Array(current.length);
  for (let pass = 0; pass < iterations; pass++) {
    for (let v = 0; v < MESH_POINTS; v++) {
      const n = start[v + 1] - start[v] + 1;
      for (let c = 0; c < channels; c++) {
        let sum = current[v * channels + c];
        for (let i = start[v]; i < start[v + 1]; i++) sum += current[neighbours[i] * channels + c];
        next[v * channels + c] = sum / n;
      }
    }
    [current, next] = [next, current];
  }
  return current;
}

/**
 * What moves the camera face towards the source's proportions, in the frontal frame (see pose.ts): the
 * source's frontal shape minus the camera person's usual frontal shape. The lips and each eye move as units
 * (their mean offset), so the photo's expression (an open smile, half-closed eyes) is never copied and the
 * camera's own stays; the result is smoothed over the mesh so neighbouring offsets cannot cross and fold.
 * Offsets are capped at `limit` (unit-scale distance).
 */
export function identityOffsets(sourceFrontal: Float32Array, cameraFrontal: Float32Array, mesh: MeshTopology, limit = 0.12): Float32Array {
  const offsets = new Float32Array(MESH_POINTS * 3);
  for (let i = 0; i < offsets.length; i++) offsets[i] = sourceFrontal[i] - cameraFrontal[i];
  for (let region = 1; region <= 3; region++) {
    const mean = [0, 0, 0];
    let n = 0;
    for (let v = 0; v < MESH_POINTS; v++) {
      if (mesh.region[v] !== region) continue;
      for (let c = 0; c < 3; c++) mean[c] += offsets[v * 3 + c];
      n++;
    }
    if (!n) continue;
    for (let v = 0; v < MESH_POINTS; v++) {
      if (mesh.region[v] === region) for (let c = 0; c < 3; c++) offsets[v * 3 + c] = mean[c] / n;
    }
  }
  const smooth = smoothOverMesh(offsets, 3, mesh, 2);
  for (let v = 0; v < MESH_POINTS; v++) {
    const length = Math.hypot(smooth[v * 3], smooth[v * 3 + 1], smooth[v * 3 + 2]);
    if (length > limit) for (let c = 0; c < 3; c++) smooth[v * 3 + c] *= limit / length;
  }
  return smooth;
}
