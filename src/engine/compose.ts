import { eyeOpenness, identityOffsets, MESH_POINTS, smoothOverMesh, smoothstep, triangleFacing, vertexFacing, widenMouth, type MeshTopology } from './mesh.js';
import { addFrontalOffsets, frontalise, headPose, type HeadPose } from './pose.js';
import { LUMA, type FaceDraw, type CoverRule, type MirrorFill } from './renderer.js';

/**
 * What is drawn for each frame, decided on the CPU from the two faces' 3D meshes (no DOM, no GL):
 * - geometry: the camera's own mesh, so its pose and expression are kept exactly, moved only by the
 *   difference between the source's and the camera person's usual shapes, both seen from the front (a tilted
 *   or turned photo is rotated to frontal first, so its pose never reaches the output);
 * - visibility: triangles turned away from the camera or folded over are not drawn and their vertices fade;
 *   parts the photo itself hardly shows (a turned photo's far cheek) are drawn from their counterparts on its near
 *   side (HARDLY_SEEN), or, where the photo shows neither, fade too; the mouth opening is the camera's (the mesh
 *   has no triangles there; drawn wider than the mesh model reads it, MOUTH_WIDENING) and the lips fade towards
 *   it, so speech shows; the eyes are the source's on the camera's lids, so the face keeps the eyes it is
 *   recognised by, and while the camera's eyes close the source's eyes and the ring of lid next to them fade to
 *   the camera's, so blinks show (BLINK_FADE, blinkArea), as they do for good when the photo's eyes are much
 *   narrower than open eyes are (NARROW_EYES); where the photo has no face
 *   (a tight crop that cuts the forehead off), the camera's own shows, and so it does where hair lies over the
 *   photo's face (DARK_COVER and hairCoverable, drawn per pixel by the renderer);
 * - colour: per vertex, the camera's low-frequency skin colour over the source's, both smoothed over the mesh,
 *   so lighting and skin tone follow the camera face locally instead of through one global gain, while the
 *   features (brows, eyes, lips) keep the source's own colour under that gain.
 */

/**
 * How much wider the mouth opening is drawn than the mesh model reads it (widenMouth). The model's lips open to a
 * median 0.69 of face-api's gap on the webcam clip, so 0.45 would undo the median shortfall; it carried the clip x
 * `tilted`'s mouth at 0.68 (0.65 without widening), and 0.6 at 0.67 to 0.75 over five runs. Wider moves carried no
 * more (0.9 here, or LIP_MOVE_LIMIT 0.7 to 0.85 with the lips' body weighted by distance): see docs/quality/README.md.
 */
const MOUTH_WIDENING = 0.6;
/** Beyond these the swap fades out (radians): a warp of one photo cannot show a profile. */
const YAW_FADE: [number, number] = [0.7, 0.95];
const PITCH_FADE: [number, number] = [0.55, 0.8];
/**
 * Smoothing passes over the mesh for the colour fields (each pass reaches one ring of neighbours further): wide
 * enough that only lighting and skin tone pass from the camera, not its features' shading (3 passes let the
 * camera person's brows and eye sockets through, and the output read as them to face recognition).
 */
const COLOUR_SMOOTHING = 12;
/**
 * Bounds of the per-channel colour gain, wide enough for a side of the face lit in a colour (on photo-roll, blue
 * light on a photo of warm skin asks about 3.75 in blue) and a pale camera over dark skin (about 3.3). Within
 * [0.4, 2.5] such a cheek stayed the photo's yellow beside the camera's blue neck. The bounds only keep a channel
 * the photo hardly has from being amplified into noise.
 */
const GAIN_RANGE: [number, number] = [0.25, 4];
/** Weight of each landmark update in the running camera colour (lighting changes slowly; this stops flicker). */
const COLOUR_RATE = 0.35;
/** Weight of each update in the camera person's usual shape: about 3 s at 20 updates a second. */
const SHAPE_RATE = 0.015;
/**
 * Blinks. The mesh model closes its lids only partly in a blink (lid gap over eye width 0.30 open, 0.20 to 0.21
 * shut on franck-blink), so closure is read against the camera's own open eyes: their gap follows each landmark
 * update at once when wider and at this rate when narrower (about 1 s at 20 updates a second, so a blink of
 * a few frames hardly lowers it). Between these closures (1 - gap / open gap) the source's eyes and the ring of lid
 * next to them (blinkArea) fade to the camera's: the closed lids show, and open eyes stay the source's.
 */
const OPEN_EYES_RATE = 0.05;
const BLINK_FADE: [number, number] = [0.15, 0.3];
/**
 * A photo with lowered or half-shut eyes (looking down): its lids drawn on the camera's open eyes look shut, so its
 * eyes fade to the camera's as its lid gap (eyeOpenness) falls between these. Measured: 0.24 on a photo looking
 * down, 0.30 to 0.40 on the test sources looking ahead and on the test cameras' open eyes, so most sources keep
 * their own eyes, which face recognition reads them by. A property of the photo, not of each frame: against the
 * camera's open gap (0.30 to 0.36 over the webcam clip as it narrows its eyes and opens them) the choice flickered.
 */
const NARROW_EYES: [number, number] = [0.255, 0.285];

/**
 * Hair or a hand over the photo's face: where hair is looked for (the forehead, temples, cheeks, the jaw's sides, and
 * brows or the skin around the eyes that hair reaches: hairCoverable), source pixels darker than these shares of the
 * photo's median skin luminance are not drawn, smoothly between, nor their blurred surroundings (the renderer's
 * COVER_BLUR), so the camera's skin fades in instead of strands smeared over the cheek. Skin in deep shade (a strong
 * side light) can fall below the upper share too, and is then partly the camera's. Dark vertices anywhere (hair, a
 * beard) are left out of the colour match, which is for skin.
 */
const DARK_COVER: [number, number] = [0.35, 0.6];
/**
 * Beside that hair (within the renderer's COVER_BLUR) and where hair is looked for, pixels darker than these shares of
 * the skin's luminance are hair too: where a mass of hair ends, single strands mixed with the skin under them are
 * lighter than DARK_COVER, and `frontal`'s were drawn as dark lines down the camera's cheek and beside its ear. On the
 * quality matrix the worst border sector met its target on 16 -> 22 pairs (`frontal`'s mean -0.25), the other
 * metrics within run-to-run noise (docs/quality/README.md, "Strands where hair ends").
 */
const NEAR_HAIR: [number, number] = [0.75, 0.9];

/**
 * Nothing counts as hair: before any source, or with no lit skin seen (limits below any luminance, the lower below the
 * upper as the shader's smoothstep needs).
 */
const NO_COVER: CoverRule = { darkLimit: [-2, -1], nearHairLimit: [-2, -1], coverable: new Float32Array(MESH_POINTS) };

/**
 * Where hair is looked for on this photo: the mesh's coverable parts, and from there on across the brows and the
 * skin around the eyes (MeshTopology.hairReach) through vertices darker than `shade`, starting from coverable ones
 * darker than `dark` (hair, not shade). So black hair across a brow's tail and an eye's outer corner is not drawn
 * there (it was smeared over the camera's temple), while a brow with skin all around it stays the face's own. The
 * reach is not limited in distance: hair touching a dark brow's tail takes the whole brow, and the ring around an
 * eye as far as it is as dark; dark make-up that runs into hair (a wing of eyeliner to the temple) goes with it.
 */
function hairCoverable(mesh: MeshTopology, luminance: (v: number) => number, [dark, shade]: readonly [number, number]): Float32Array {
  const coverable = mesh.coverable.slice();
  const reached: number[] = [];
  for (let v = 0; v < MESH_POINTS; v++) if (coverable[v] > 0 && luminance(v) < dark) reached.push(v);
  while (reached.length) {
    const v = reached.pop()!;
    for (let i = mesh.start[v]; i < mesh.start[v + 1]; i++) {
      const n = mesh.neighbours[i];
      if (mesh.hairReach[n] && !coverable[n] && luminance(n) < shade) {
        coverable[n] = 1;
        reached.push(n);
      }
    }
  }
  return coverable;
}

/**
 * A turned photo shows its far side foreshortened: `tilted`'s far cheek, a few pixels wide in her photo, was stretched
 * over the webcam clip's cheek as a ladder of dark dashes (her skin and the hair beside it), and where the photo
 * shows a part hardly at all, the camera's own cheek showed through. Such a part is drawn from its counterpart across
 * the midline instead, the photo's near side: the same person's skin, seen squarely, and drawn as fully as that side
 * is seen. Where, in the photo, a vertex faces the lens less than HARDLY_SEEN (vertex facing, 1 towards the lens) and
 * less than MIRROR_FACING times its counterpart does, smoothly between. Only there: mirroring more of what the photo
 * shows obliquely (up to facing 0.45 or 0.6) cost identity on pairs that kept it (docs/quality/README.md, "What a
 * turned photo hardly shows"). The eyes with their lids, and the lips, keep their own (a mirrored eye looks the other way, and a
 * mirrored lip is another smile); the blend into the mirrored part runs over the skin around them.
 */
const HARDLY_SEEN: [number, number] = [0.15, 0.35];
const MIRROR_FACING: [number, number] = [0.5, 0.8];
/** Mesh rings over which the mirrored part blends into the photo's own. */
const MIRROR_BLEND = 2;

/**
 * Per vertex, 1 where reading at the counterpart would reach texture folded over: next to a triangle whose
 * counterpart the photo turns away, or which has none. The mirror weight is one per vertex and is interpolated
 * across every triangle around it, so mirroring a vertex reads part of each of them at its counterpart.
 */
function foldedCounterparts(triangleFacings: Float32Array, mesh: MeshTopology): Uint8Array {
  const folded = new Uint8Array(MESH_POINTS);
  for (let t = 0; t < triangleFacings.length; t++) {
    const c = mesh.counterpart[t];
    if (c < 0 || triangleFacings[c] <= 0) for (let k = 0; k < 3; k++) folded[mesh.triangles[t * 3 + k]] = 1;
  }
  return folded;
}

/**
 * Triangles the photo turns away (the far side of a turned photo's nose) have their own texture folded over. Left
 * undrawn, they were holes with hard edges in the face, the camera's own skin showing in a sharp-edged patch beside
 * the nose. Such a triangle is drawn wholly from its counterpart instead where each of its vertices may be: not the
 * eyes or the lips (they keep their own), the counterpart well seen (`facing` at least HARDLY_SEEN's upper end) and
 * wholly in the picture, and no triangle around the vertex reading folded texture there (`folded`:
 * foldedCounterparts). So the triangles along the nose's ridge stay undrawn: its vertices are shared with the near
 * side, whose counterparts are the turned-away ones. Returns 1 per triangle drawn so.
 */
function awayButMirrored(triangleFacings: Float32Array, facing: Float32Array, inPicture: Float32Array, folded: Uint8Array, mesh: MeshTopology): Uint8Array {
  const mirrorable = (v: number) => {
    const m = mesh.mirror[v];
    return !folded[v] && !mesh.eyeArea[v] && mesh.region[v] !== 1 && inPicture[m] >= 1 && facing[m] >= HARDLY_SEEN[1];
  };
  const { triangles } = mesh;
  return Uint8Array.from(triangleFacings, (f, t) =>
    f <= 0 && mirrorable(triangles[t * 3]) && mirrorable(triangles[t * 3 + 1]) && mirrorable(triangles[t * 3 + 2]) ? 1 : 0,
  );
}

/**
 * Which parts of the photo are drawn from their counterparts across the midline (HARDLY_SEEN, and wholly on the
 * triangles `away`: awayButMirrored), and from where: only counterparts wholly in the picture (`inPicture`, see
 * pictureVisibility), so the texture read there is the photo's.
 */
function mirrorFill(points: Float32Array, facing: Float32Array, inPicture: Float32Array, folded: Uint8Array, away: Uint8Array, mesh: MeshTopology): MirrorFill {
  const oblique = new Float32Array(MESH_POINTS);
  const mirrorPoints = new Float32Array(MESH_POINTS * 2);
  for (let v = 0; v < MESH_POINTS; v++) {
    const m = mesh.mirror[v];
    mirrorPoints[v * 2] = points[m * 2];
    mirrorPoints[v * 2 + 1] = points[m * 2 + 1];
    if (m === v || mesh.eyeArea[v] || mesh.region[v] === 1 || facing[m] <= 0) continue;
    const own = Math.max(0, facing[v]);
    oblique[v] = (1 - smoothstep(HARDLY_SEEN[0], HARDLY_SEEN[1], own)) * (1 - smoothstep(MIRROR_FACING[0], MIRROR_FACING[1], own / facing[m]));
  }
  const blended = smoothOverMesh(oblique, 1, mesh, MIRROR_BLEND);
  // The blend reaches the rings around the lips and the eyes, not the lips or the lids themselves, nor vertices that
  // would read folded texture (foldedCounterparts).
  const weight = blended.map((w, v) => (mesh.region[v] || folded[v] ? 0 : w * inPicture[mesh.mirror[v]]));
  for (let t = 0; t < away.length; t++) if (away[t]) for (let k = 0; k < 3; k++) weight[mesh.triangles[t * 3 + k]] = 1;
  return { points: mirrorPoints, weight };
}

/** Mesh rings over which the source fades out towards where its photo ends. */
const PICTURE_FADE = 2;

/**
 * Per vertex, 0..1: how much of the source may be drawn given where its photo ends (coverage, see FaceLandmarks).
 * A vertex is drawn only when it and every neighbour lie wholly in the picture, so every triangle with any opacity
 * samples the photo only, never the card around a tight crop (a grey band across the forehead) or the smeared
 * edge of a cut-off one; from there the source fades in over PICTURE_FADE rings and the camera's own face shows
 * where the photo has none.
 */
function pictureVisibility(coverage: Float32Array, mesh: MeshTopology): Float32Array {
  const { start, neighbours } = mesh;
  const clear = new Float32Array(MESH_POINTS);
  for (let v = 0; v < MESH_POINTS; v++) {
    let ok = coverage[v] >= 1;
    for (let i = start[v]; ok && i < start[v + 1]; i++) ok = coverage[neighbours[i]] >= 1;
    clear[v] = ok ? 1 : 0;
  }
  const faded = smoothOverMesh(clear, 1, mesh, PICTURE_FADE);
  return faded.map((f, v) => (clear[v] ? f : 0));
}

export interface ComposedFace extends FaceDraw {
  /** 0..1: how far the pose allows the swap (1 well within, 0 beyond what the warp can show). */
  poseLimit: number;
  pose: HeadPose;
}

export class FaceComposer {
  readonly #mesh: MeshTopology;
  readonly #triangleCount: number;
  #sourceFrontal: Float32Array | null = null;
  /** Per vertex, how well the photo shows it (0..1). */
  #sourceVisibility = new Float32Array(MESH_POINTS);
  /** Per triangle, 1 when it faces the camera in the photo or is drawn wholly from its counterpart (awayButMirrored). */
  #sourceTriangleOk = new Uint8Array(0);
  #sourceColour: Float32Array | null = null;
  #cameraFrontal: Float32Array | null = null;
  #cameraColour: Float32Array | null = null;
  #offsets: Float32Array = new Float32Array(MESH_POINTS * 3);
  /** How hair over the photo's face is told from its skin (see coverRule). */
  #coverRule: CoverRule = NO_COVER;
  /** What the photo hardly shows, drawn from its other side (see mirrorFill); set with the source. */
  #mirrorFill: MirrorFill = { points: new Float32Array(0), weight: new Float32Array(0) };
  /** The camera's lid gap with the eyes open (eyeOpenness), 0 until measured. */
  #openEyes = 0;
  /** 0..1: how far the photo's eyes are too narrow to draw on the camera's open eyes (NARROW_EYES). */
  #sourceEyesNarrow = 0;
  readonly #gain = new Float32Array(MESH_POINTS * 3).fill(1);
  readonly #facing: Float32Array;
  readonly #vertexFacing = new Float32Array(MESH_POINTS);
  readonly #lipMoves = new Float32Array(MESH_POINTS * 2);
  readonly #out: ComposedFace;

  constructor(mesh: MeshTopology) {
    this.#mesh = mesh;
    this.#triangleCount = mesh.triangles.length / 3;
    this.#facing = new Float32Array(this.#triangleCount);
    this.#out = {
      points: new Float32Array(MESH_POINTS * 2),
      alpha: new Float32Array(MESH_POINTS),
      gain: this.#gain,
      indices: new Uint16Array(mesh.triangles.length),
      indexCount: 0,
      poseLimit: 0,
      pose: headPose(new Float32Array(MESH_POINTS * 2), new Float32Array(MESH_POINTS)),
    };
  }

  get hasSource(): boolean {
    return this.#sourceFrontal !== null;
  }

  /** For the renderer (SwapSource.cover), from the last setSource: how hair over the photo's face is told (CoverRule). */
  get coverRule(): CoverRule {
    return this.#coverRule;
  }

  /** For the renderer (SwapSource.mirror), from the last setSource: which parts are drawn from the photo's other side. */
  get mirrorFill(): MirrorFill {
    return this.#mirrorFill;
  }

  /** The source face: its landmarks, depth, per-vertex colour and coverage (see FaceLandmarks) in its photo. */
  setSource(points: Float32Array, depth: Float32Array, vertexColour: Float32Array, coverage: Float32Array): void {
    const mesh = this.#mesh;
    this.#sourceFrontal = frontalise(points, depth, headPose(points, depth));
    this.#sourceEyesNarrow = 1 - smoothstep(NARROW_EYES[0], NARROW_EYES[1], eyeOpenness(points));
    const facing = triangleFacing(points, depth, mesh, new Float32Array(this.#triangleCount));
    const perVertex = vertexFacing(facing, mesh, new Float32Array(MESH_POINTS));
    const inPicture = pictureVisibility(coverage, mesh);
    const folded = foldedCounterparts(facing, mesh);
    const away = awayButMirrored(facing, perVertex, inPicture, folded, mesh);
    this.#mirrorFill = mirrorFill(points, perVertex, inPicture, folded, away, mesh);
    const { weight } = this.#mirrorFill;
    const seen = (v: number) => smoothstep(0.05, 0.3, perVertex[v]);
    // Triangles the photo turns away are drawn only wholly from their counterparts (awayButMirrored): their own
    // texture is folded over, and the quality metrics count any of it drawn as a fold.
    this.#sourceTriangleOk = Uint8Array.from(facing, (f, t) => (f > 0 || away[t] ? 1 : 0));
    // A mirrored part is drawn as fully as its counterpart is seen, if it lies in the picture itself.
    this.#sourceVisibility = Float32Array.from(perVertex, (_, v) => inPicture[v] * (seen(v) + weight[v] * (seen(mesh.mirror[v]) - seen(v))));
    const luminance = (v: number) => LUMA[0] * vertexColour[v * 3] + LUMA[1] * vertexColour[v * 3 + 1] + LUMA[2] * vertexColour[v * 3 + 2];
    const skin: number[] = [];
    for (let v = 0; v < MESH_POINTS; v++) if (!mesh.feature[v] && inPicture[v] > 0 && perVertex[v] > 0.3) skin.push(luminance(v));
    skin.sort((a, b) => a - b);
    const skinLuminance = skin.length ? skin[skin.length >> 1] : 0;
    const shares = ([a, b]: readonly [number, number]) => [a * skinLuminance, b * skinLuminance] as const;
    const darkLimit = skinLuminance > 0 ? shares(DARK_COVER) : NO_COVER.darkLimit;
    const nearHairLimit = skinLuminance > 0 ? shares(NEAR_HAIR) : NO_COVER.nearHairLimit;
    this.#coverRule = { darkLimit, nearHairLimit, coverable: hairCoverable(mesh, luminance, darkLimit) };
    // Colour sampled partly off the picture (the card, or the clamped edge) or over hair or a beard is not the skin's: filled from its neighbours.
    const unknown = Uint8Array.from(mesh.feature, (f, v) => (f || coverage[v] < 1 || luminance(v) < darkLimit[1] ? 1 : 0));
    const colour = smoothOverMesh(vertexColour, 3, mesh, COLOUR_SMOOTHING, unknown);
    // The colour drawn is partly the counterpart's: so is the colour matched against the camera's.
    this.#sourceColour = colour.map((c, i) => c + weight[(i / 3) | 0] * (colour[mesh.mirror[(i / 3) | 0] * 3 + (i % 3)] - c));
    this.#cameraFrontal = null;
    this.#updateGain();
  }

  /** Forgets the camera person (another person, or the face was lost). */
  resetCamera(): void {
    this.#cameraFrontal = null;
    this.#cameraColour = null;
    this.#openEyes = 0;
    this.#offsets.fill(0);
    this.#gain.fill(1);
  }

  /** A new landmark measurement of the camera face: updates its usual shape and its colour. */
  updateCamera(points: Float32Array, depth: Float32Array, vertexColour: Float32Array): void {
    const openness = eyeOpenness(points);
    this.#openEyes = openness > this.#openEyes ? openness : this.#openEyes + OPEN_EYES_RATE * (openness - this.#openEyes);
    const frontal = frontalise(points, depth, headPose(points, depth));
    if (!this.#cameraFrontal) this.#cameraFrontal = frontal;
    else for (let i = 0; i < frontal.length; i++) this.#cameraFrontal[i] += SHAPE_RATE * (frontal[i] - this.#cameraFrontal[i]);
    if (this.#sourceFrontal) this.#offsets = identityOffsets(this.#sourceFrontal, this.#cameraFrontal, this.#mesh);
    const colour = smoothOverMesh(vertexColour, 3, this.#mesh, COLOUR_SMOOTHING, this.#mesh.feature);
    if (!this.#cameraColour) this.#cameraColour = colour;
    else for (let i = 0; i < colour.length; i++) this.#cameraColour[i] += COLOUR_RATE * (colour[i] - this.#cameraColour[i]);
    this.#updateGain();
  }

  #updateGain(): void {
    const source = this.#sourceColour;
    const camera = this.#cameraColour;
    if (!source || !camera) {
      this.#gain.fill(1);
      return;
    }
    for (let i = 0; i < this.#gain.length; i++) {
      this.#gain[i] = Math.min(GAIN_RANGE[1], Math.max(GAIN_RANGE[0], camera[i] / Math.max(1e-3, source[i])));
    }
  }

  /**
   * The face to draw over camera landmarks `points` / `depth` at `opacity`, with the source's proportions
   * applied at `shapeAmount` (0..1). The returned object is reused by the next call.
   */
  compose(points: Float32Array, depth: Float32Array, opacity: number, shapeAmount: number): ComposedFace {
    const mesh = this.#mesh;
    const out = this.#out;
    const pose = headPose(points, depth);
    addFrontalOffsets(points, pose, this.#offsets, mesh.feather, this.#cameraFrontal ? shapeAmount : 0, out.points);
    widenMouth(out.points, mesh, MOUTH_WIDENING, this.#lipMoves);
    const facing = triangleFacing(out.points, depth, mesh, this.#facing);
    const perVertex = vertexFacing(facing, mesh, this.#vertexFacing);
    const blink = this.#openEyes > 0 ? smoothstep(BLINK_FADE[0], BLINK_FADE[1], 1 - eyeOpenness(points) / this.#openEyes) : 0;
    const eyeWeight = (1 - blink) * (1 - this.#sourceEyesNarrow);
    for (let v = 0; v < MESH_POINTS; v++) {
      const eyes = mesh.blinkArea[v] ? eyeWeight : 1;
      out.alpha[v] = opacity * eyes * mesh.feather[v] * mesh.openingAlpha[v] * this.#sourceVisibility[v] * smoothstep(0.02, 0.3, perVertex[v]);
    }
    let count = 0;
    const triangles = mesh.triangles;
    for (let t = 0; t < this.#triangleCount; t++) {
      if (facing[t] <= 0.02 || !this.#sourceTriangleOk[t]) continue;
      out.indices[count++] = triangles[t * 3];
      out.indices[count++] = triangles[t * 3 + 1];
      out.indices[count++] = triangles[t * 3 + 2];
    }
    out.indexCount = opacity > 0 ? count : 0;
    out.pose = pose;
    out.poseLimit = (1 - smoothstep(YAW_FADE[0], YAW_FADE[1], Math.abs(pose.yaw))) * (1 - smoothstep(PITCH_FADE[0], PITCH_FADE[1], Math.abs(pose.pitch)));
    return out;
  }
}
