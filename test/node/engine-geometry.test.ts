// The engine's pure geometry: head pose and frontalisation, triangle facing and culling, the eyes
// fading to the camera's in a blink or for a photo looking down, hair on the photo, a turned photo's far side mirrored, smoothing over the mesh and the identity offsets. Runs in Node: none of it touches the DOM or WebGL.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  BROWS,
  EYE_GAPS,
  eyeOpenness,
  identityOffsets,
  LEFT_EYE,
  LIPS_INNER,
  LIPS_OUTER,
  MESH_POINTS,
  meshTopology,
  RIGHT_EYE,
  type MeshTopology,
  smoothOverMesh,
  triangleFacing,
  triangleLookup,
  vertexFacing,
  widenMouth,
  withRefinedFeatures,
} from '../../src/engine/mesh.js';
import { ACROSS, addFrontalOffsets, frontalise, headPose } from '../../src/engine/pose.js';
import { FaceComposer } from '../../src/engine/compose.js';
import { readFileSync } from 'node:fs';
import { realMesh } from './human-mesh.js';

/** A deterministic pseudo-random sequence in [-1, 1). */
function noise(seed: number) {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2147483648) / 1073741824 - 1;
}

/** Midline points: with pose.ts's symmetric pairs (ACROSS), what makes a synthetic face symmetric where pose.ts looks. */
const MIDLINE = [10, 152, 151, 175, 9, 199, 168, 18];

/** A face-like cloud in its own frame (x right, y down, z away), symmetric where pose.ts looks. */
function frontalCloud(seed = 1): Float64Array {
  const rand = noise(seed);
  const cloud = new Float64Array(MESH_POINTS * 3);
  for (let v = 0; v < MESH_POINTS; v++) {
    cloud[v * 3] = 60 * rand();
    cloud[v * 3 + 1] = 80 * rand();
    cloud[v * 3 + 2] = 30 * rand();
  }
  for (const [r, l] of ACROSS) {
    cloud[l * 3] = -cloud[r * 3];
    cloud[l * 3 + 1] = cloud[r * 3 + 1];
    cloud[l * 3 + 2] = cloud[r * 3 + 2];
    cloud[r * 3] = -Math.abs(cloud[r * 3]) - 5;
    cloud[l * 3] = -cloud[r * 3];
  }
  MIDLINE.forEach((v, i) => {
    cloud[v * 3] = 0;
    cloud[v * 3 + 1] = -80 + 20 * i;
    cloud[v * 3 + 2] = 0;
  });
  return cloud;
}

/** The cloud turned by yaw (about y), then pitch (about x), then roll (in the image plane), scaled and placed. */
function posed(cloud: Float64Array, yaw: number, pitch: number, roll: number, scale = 1, at = [320, 240, 0]) {
  const points = new Float32Array(MESH_POINTS * 2);
  const depth = new Float32Array(MESH_POINTS);
  for (let v = 0; v < MESH_POINTS; v++) {
    let [x, y, z] = [cloud[v * 3], cloud[v * 3 + 1], cloud[v * 3 + 2]];
    [x, z] = [x * Math.cos(yaw) + z * Math.sin(yaw), -x * Math.sin(yaw) + z * Math.cos(yaw)];
    [y, z] = [y * Math.cos(pitch) - z * Math.sin(pitch), y * Math.sin(pitch) + z * Math.cos(pitch)];
    [x, y] = [x * Math.cos(roll) - y * Math.sin(roll), x * Math.sin(roll) + y * Math.cos(roll)];
    points[v * 2] = at[0] + scale * x;
    points[v * 2 + 1] = at[1] + scale * y;
    depth[v] = at[2] + scale * z;
  }
  return { points, depth };
}

/** `points` with both upper lids moved along the line to their lower lids so that eyeOpenness is `gap`. */
function withLidGap(points: Float32Array, gap: number): Float32Array {
  const out = points.slice();
  const share = 1 - gap / eyeOpenness(points);
  for (const {
    lids: [upper, lower],
  } of EYE_GAPS) {
    out[upper * 2] += share * (points[lower * 2] - points[upper * 2]);
    out[upper * 2 + 1] += share * (points[lower * 2 + 1] - points[upper * 2 + 1]);
  }
  return out;
}

function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

describe('head pose from the 3D mesh', () => {
  it('reads yaw, pitch and roll of a turned and tilted face', () => {
    const cloud = frontalCloud();
    const straight = headPose(...(Object.values(posed(cloud, 0, 0, 0)) as [Float32Array, Float32Array]));
    assert.ok(Math.abs(straight.yaw) < 1e-3 && Math.abs(straight.pitch) < 1e-3 && Math.abs(straight.roll) < 1e-3);
    const { points, depth } = posed(cloud, 0.5, 0, 0.4);
    const pose = headPose(points, depth);
    assert.ok(Math.abs(Math.abs(pose.yaw) - 0.5) < 1e-3, `yaw ${pose.yaw}`);
    assert.ok(Math.abs(pose.roll - 0.4) < 1e-3, `roll ${pose.roll}`);
    const nod = headPose(...(Object.values(posed(cloud, 0, 0.3, 0)) as [Float32Array, Float32Array]));
    assert.ok(Math.abs(Math.abs(nod.pitch) - 0.3) < 1e-3, `pitch ${nod.pitch}`);
  });

  it('frontalises a tilted, turned, scaled photo to the same shape as a frontal one', () => {
    const cloud = frontalCloud(3);
    const a = posed(cloud, 0, 0, 0, 1);
    const b = posed(cloud, 0.45, -0.2, 0.6, 2.5, [100, 50, 40]);
    const frontA = frontalise(a.points, a.depth, headPose(a.points, a.depth));
    const frontB = frontalise(b.points, b.depth, headPose(b.points, b.depth));
    assert.ok(maxDifference(frontA, frontB) < 1e-3, `differs by ${maxDifference(frontA, frontB)}`);
    // Negative control: without the pose removed (the tilted photo taken as it is) the shapes differ widely.
    const naive = headPose(a.points, a.depth);
    const frontBNaive = frontalise(b.points, b.depth, { ...naive, centre: headPose(b.points, b.depth).centre, scale: headPose(b.points, b.depth).scale });
    assert.ok(maxDifference(frontA, frontBNaive) > 0.2);
  });

  it('maps frontal offsets back with the face turned as the camera sees it', () => {
    const cloud = frontalCloud(5);
    const { points, depth } = posed(cloud, 0, 0, Math.PI / 2, 2);
    const pose = headPose(points, depth);
    const offsets = new Float32Array(MESH_POINTS * 3);
    offsets[1 * 3] = 0.1; // vertex 1 moves to the face's right by a tenth of its scale
    const weights = new Float32Array(MESH_POINTS).fill(1);
    const out = new Float32Array(points.length);
    addFrontalOffsets(points, pose, offsets, weights, 1, out);
    // The face is rolled a quarter turn: its right is the image's down.
    assert.ok(Math.abs(out[2] - points[2]) < 1e-3);
    assert.ok(Math.abs(out[3] - points[3] - 0.1 * pose.scale) < 1e-3);
    assert.equal(out[4], points[4]);
  });
});

/** A 468-vertex grid mesh (22 wide), its canonical face the grid itself: enough to test topology code. */
function gridMesh() {
  const columns = 22;
  const uv = new Float32Array(MESH_POINTS * 2);
  for (let v = 0; v < MESH_POINTS; v++) {
    uv[v * 2] = (v % columns) / columns;
    uv[v * 2 + 1] = Math.floor(v / columns) / columns;
  }
  const triangles: number[] = [];
  for (let v = 0; v < MESH_POINTS; v++) {
    const right = v + 1;
    const below = v + columns;
    if (v % columns === columns - 1 || below + 1 >= MESH_POINTS) continue;
    triangles.push(v, right, below, right, below + 1, below);
  }
  return { uv, triangles: Uint16Array.from(triangles) };
}

describe('mesh facing and culling', () => {
  const { uv, triangles } = gridMesh();
  const mesh = meshTopology(triangles, uv);
  const flat = (transform: (x: number, y: number) => [number, number, number]) => {
    const points = new Float32Array(MESH_POINTS * 2);
    const depth = new Float32Array(MESH_POINTS);
    for (let v = 0; v < MESH_POINTS; v++) {
      const [x, y, z] = transform(uv[v * 2] * 200, uv[v * 2 + 1] * 200);
      points[v * 2] = x;
      points[v * 2 + 1] = y;
      depth[v] = z;
    }
    return { points, depth };
  };
  const facingOf = ({ points, depth }: { points: Float32Array; depth: Float32Array }) =>
    triangleFacing(points, depth, mesh, new Float32Array(triangles.length / 3));

  it('faces the camera when laid out as the canonical face, and away when mirrored (folded)', () => {
    for (const f of facingOf(flat((x, y) => [x, y, 0]))) assert.ok(Math.abs(f - 1) < 1e-6);
    for (const f of facingOf(flat((x, y) => [200 - x, y, 0]))) assert.ok(Math.abs(f + 1) < 1e-6);
  });

  it('measures how far a surface is turned', () => {
    const turn = (1.2 * Math.PI) / 3; // 72 degrees
    const facing = facingOf(flat((x, y) => [x * Math.cos(turn), y, x * Math.sin(turn)]));
    for (const f of facing) assert.ok(Math.abs(f - Math.cos(turn)) < 1e-5);
    const perVertex = vertexFacing(facing, mesh, new Float32Array(MESH_POINTS));
    assert.ok(Math.abs(perVertex[30] - Math.cos(turn)) < 1e-5);
  });

  it('marks the features (eyes, the lids next to them, brows, lips) so colour is matched on skin only', () => {
    for (const v of [...RIGHT_EYE, ...LEFT_EYE, ...BROWS, ...LIPS_OUTER]) assert.equal(mesh.feature[v], 1, `vertex ${v}`);
    assert.ok(mesh.feature.includes(0), 'the rest is skin');
  });

  it("shows the camera's own eyes and the lids' first ring while they close; the outer lids stay the source's", () => {
    const points = uv.map((v) => v * 200);
    const depth = new Float32Array(MESH_POINTS);
    const colour = new Float32Array(MESH_POINTS * 3).fill(0.5);
    const composer = new FaceComposer(mesh);
    composer.setSource(points, depth, colour, new Float32Array(MESH_POINTS).fill(1));
    composer.updateCamera(points, depth, colour);
    const all = Array.from({ length: MESH_POINTS }, (_, v) => v);
    const lids = all.filter((v) => mesh.blinkArea[v]);
    const outerLids = all.filter((v) => mesh.eyeArea[v] && !mesh.blinkArea[v]);
    const margins = new Set([...RIGHT_EYE, ...LEFT_EYE]);
    const nextToMargin = (v: number) => mesh.neighbours.subarray(mesh.start[v], mesh.start[v + 1]).some((n) => margins.has(n));
    for (const v of all) assert.equal(mesh.blinkArea[v] === 1, margins.has(v) || nextToMargin(v), `vertex ${v}: the lid margins and the ring next to them`);
    assert.ok(outerLids.length > 0 && lids.every((v) => mesh.eyeArea[v]), 'the blink fades within the eye area');
    const skin = mesh.eyeArea.indexOf(0, 50);
    const open = composer.compose(points, depth, 1, 0).alpha.slice();
    // On this grid the eye's vertices are scattered, and some lie where nothing is drawn (the face's edge).
    assert.ok(
      lids.some((v) => open[v] > 0),
      'open: the source eyes are drawn',
    );
    const closed = composer.compose(withLidGap(points, 0), depth, 1, 0).alpha;
    for (const v of lids) assert.equal(closed[v], 0, `closed: the camera eye shows at ${v}`);
    for (const v of [skin, ...outerLids]) assert.equal(closed[v], open[v], `vertex ${v}: the source's outer lids and the rest of the face are unchanged`);
  });

  it("shows the camera's eyes for a photo whose eyes are much narrower than open eyes are (looking down)", () => {
    const points = uv.map((v) => v * 200);
    const depth = new Float32Array(MESH_POINTS);
    const colour = new Float32Array(MESH_POINTS * 3).fill(0.5);
    const eyeVertex = mesh.blinkArea.indexOf(1);
    const eyeAlpha = (sourceGap: number, cameraGap: number) => {
      const composer = new FaceComposer(mesh);
      composer.setSource(withLidGap(points, sourceGap), depth, colour, new Float32Array(MESH_POINTS).fill(1));
      const camera = withLidGap(points, cameraGap);
      composer.updateCamera(camera, depth, colour);
      return composer.compose(camera, depth, 1, 0).alpha[eyeVertex];
    };
    const drawn = eyeAlpha(0.36, 0.36);
    assert.ok(drawn > 0, "eyes as open as the camera's: the source's are drawn");
    assert.equal(eyeAlpha(0.3, 0.4), drawn, 'the narrowest test source looking ahead (0.30), on a wide-eyed camera: its own');
    assert.equal(eyeAlpha(0.24, 0.36), 0, "a photo looking down (0.24): the camera's eyes show");
    assert.equal(eyeAlpha(0.24, 0.3), 0, 'the same whatever the camera: it is a property of the photo, so it cannot flicker');
  });

  it("takes pixels much darker than the photo's skin as hair, relative to that skin", () => {
    const points = uv.map((v) => v * 200);
    const depth = new Float32Array(MESH_POINTS);
    const limitFor = (skin: number) => {
      const composer = new FaceComposer(mesh);
      composer.setSource(points, depth, new Float32Array(MESH_POINTS * 3).fill(skin), new Float32Array(MESH_POINTS).fill(1));
      return composer.coverRule.darkLimit.slice();
    };
    const light = limitFor(0.6);
    const dark = limitFor(0.2);
    assert.ok(light[0] > 0 && light[0] < light[1] && light[1] < 0.6, `skin itself stays above the limit ${light}`);
    assert.ok(Math.abs(dark[1] / light[1] - 1 / 3) < 1e-6, "relative to the photo's own skin, so dark skin is not taken for hair");
    const none = limitFor(0);
    assert.ok(none[0] < none[1] && none[1] < 0, `no lit skin: nothing is hair, and the shader still gets a range (${none})`);
  });

  it('matches colour around hair or a beard on the photo, not on it', () => {
    const points = uv.map((v) => v * 200);
    const depth = new Float32Array(MESH_POINTS);
    const camera = new Float32Array(MESH_POINTS * 3).fill(0.5);
    const source = camera.slice();
    const hair = mesh.coverable.indexOf(1);
    const beard = mesh.coverable.findIndex((c, v) => c === 0 && !mesh.feature[v]); // where hair is not looked for
    for (const v of [hair, beard]) source.fill(0.05, v * 3, v * 3 + 3);
    const composer = new FaceComposer(mesh);
    composer.setSource(points, depth, source, new Float32Array(MESH_POINTS).fill(1));
    composer.updateCamera(points, depth, camera);
    const { gain } = composer.compose(points, depth, 1, 0);
    assert.ok(Math.abs(gain[hair * 3] - 1) < 1e-3, `gain over the hair ${gain[hair * 3]}: from the skin around it`);
    assert.ok(Math.abs(gain[beard * 3] - 1) < 1e-3, `gain over the beard ${gain[beard * 3]}: from the skin around it`);
  });

  it("matches skin to the camera's under coloured light and across skin tones, not only within a small gain", () => {
    const points = uv.map((v) => v * 200);
    const depth = new Float32Array(MESH_POINTS);
    const cases: Array<[string, [number, number, number], [number, number, number]]> = [
      // A side of the face lit blue (photo-roll's camera) over a photo of warm skin: blue x 3.75, red x 0.44.
      ['a blue-lit camera over warm skin', [0.8, 0.55, 0.2], [0.35, 0.45, 0.75]],
      ['a pale camera over dark skin', [0.3, 0.2, 0.15], [0.8, 0.6, 0.5]],
    ];
    const field = (rgb: [number, number, number]) => Float32Array.from({ length: MESH_POINTS * 3 }, (_, i) => rgb[i % 3]);
    for (const [name, photoSkin, cameraSkin] of cases) {
      const composer = new FaceComposer(mesh);
      composer.setSource(points, depth, field(photoSkin), new Float32Array(MESH_POINTS).fill(1));
      composer.updateCamera(points, depth, field(cameraSkin));
      const { gain } = composer.compose(points, depth, 1, 0);
      for (let v = 0; v < MESH_POINTS; v++) {
        for (let c = 0; c < 3; c++) {
          const drawn = photoSkin[c] * gain[v * 3 + c];
          assert.ok(Math.abs(drawn - cameraSkin[c]) < 0.01, `${name}: vertex ${v} channel ${c} drawn ${drawn.toFixed(3)}, camera ${cameraSkin[c]}`);
        }
      }
    }
    // A channel the photo hardly has (blue 0.02 under red light) is not amplified 30 times into noise.
    const composer = new FaceComposer(mesh);
    composer.setSource(points, depth, field([0.7, 0.3, 0.02]), new Float32Array(MESH_POINTS).fill(1));
    composer.updateCamera(points, depth, field([0.6, 0.6, 0.6]));
    const { gain } = composer.compose(points, depth, 1, 0);
    const blue = Math.max(...Array.from({ length: MESH_POINTS }, (_, v) => gain[v * 3 + 2]));
    assert.ok(blue <= 4 + 1e-6 && blue > 3, `blue gain ${blue}: held at its bound`);
  });

  it('smooths a field over the mesh and fills unknown vertices from their neighbours', () => {
    const field = new Float32Array(MESH_POINTS);
    field[100] = 1;
    const smooth = smoothOverMesh(field, 1, mesh, 1);
    assert.ok(smooth[100] < 1 && smooth[100] > 0);
    assert.ok(smooth[101] > 0 && smooth[99] > 0);
    assert.ok(Math.abs(smooth.reduce((a, b) => a + b, 0) - 1) < 0.2, 'roughly conserves the total');
    const unknown = new Uint8Array(MESH_POINTS);
    const constant = new Float32Array(MESH_POINTS).fill(0.5);
    unknown[200] = 1;
    constant[200] = 40; // a specular highlight or an eye: not skin
    const filled = smoothOverMesh(constant, 1, mesh, 0, unknown);
    assert.ok(Math.abs(filled[200] - 0.5) < 1e-6);
  });
});

describe('where hair over the photo is looked for (the real mesh)', () => {
  const { uv, triangles } = realMesh();
  const mesh = meshTopology(triangles, uv);
  const expectCoverable = (vertices: number[], expected: number, where: string) => {
    for (const v of vertices) assert.equal(mesh.coverable[v], expected, `${where}: vertex ${v}`);
  };

  it('on the forehead, the temples, the cheeks and the sides of the jaw, where long hair falls', () => {
    expectCoverable([69, 108, 151, 337, 299], 1, 'forehead');
    expectCoverable([54, 284], 1, 'temples');
    expectCoverable([50, 280, 123, 352, 147, 187], 1, 'cheeks');
    expectCoverable([135, 138, 172, 136, 149, 364, 367, 397, 365, 378], 1, 'sides of the jaw');
  });

  it('never on the features, down the nose or where a moustache or goatee grows', () => {
    expectCoverable([...RIGHT_EYE, ...LEFT_EYE, ...BROWS, ...LIPS_OUTER], 0, 'feature');
    expectCoverable([6, 197, 5, 4, 1], 0, 'nose');
    expectCoverable([164, 18, 200, 152, 176, 400, 202, 422], 0, 'upper lip, chin and beside the mouth');
  });

  it('follows hair from where it is looked for onto a brow or beside an eye, but leaves a brow with skin around it', () => {
    const points = uv.map((v) => v * 200);
    const depth = new Float32Array(MESH_POINTS);
    // The tail of the person's right brow (70) and the temple beside it (139), where a side fringe falls; the skin
    // by the eye's outer corner (113) and the temple beside that (124).
    const [browTail, temple, eyeCorner, besideCorner] = [70, 139, 113, 124];
    const touching = (v: number, n: number) => mesh.neighbours.slice(mesh.start[v], mesh.start[v + 1]).includes(n);
    assert.ok(mesh.hairReach[browTail] && mesh.coverable[temple] && touching(browTail, temple));
    assert.ok(mesh.hairReach[eyeCorner] && !BROWS.includes(eyeCorner) && mesh.coverable[besideCorner] && touching(eyeCorner, besideCorner));
    const coverableWith = (dark: number[]) => {
      const colour = new Float32Array(MESH_POINTS * 3).fill(0.6);
      for (const v of dark) colour.fill(0.05, v * 3, v * 3 + 3);
      const composer = new FaceComposer(mesh);
      composer.setSource(points, depth, colour, new Float32Array(MESH_POINTS).fill(1));
      return composer.coverRule.coverable;
    };
    assert.equal(coverableWith(BROWS)[browTail], 0, "dark brows with skin all around: the face's own");
    assert.equal(coverableWith([...BROWS, temple])[browTail], 1, 'hair over the temple beside a dark brow: the brow is under hair');
    assert.equal(coverableWith([eyeCorner, besideCorner])[eyeCorner], 1, "hair over the temple by the eye's corner: under hair");
    assert.equal(coverableWith([temple])[browTail], 0, 'a brow as light as skin beside hair: drawn');
    assert.deepEqual(coverableWith([]), mesh.coverable, 'no hair: where the mesh looks for it, nothing more');
    // Everything dark, the eyes, lids and lips too: hair still reaches no further than the brows and the skin around the eyes.
    const features = [...RIGHT_EYE, ...LEFT_EYE, ...LIPS_OUTER, ...LIPS_INNER, ...Array.from(mesh.eyeArea.keys()).filter((v) => mesh.eyeArea[v])];
    const everything = coverableWith([...BROWS, temple, eyeCorner, besideCorner, ...features]);
    const beyond = features.filter((v) => everything[v] > 0 && !mesh.coverable[v] && !mesh.hairReach[v]);
    assert.deepEqual(beyond, [], 'never onto the eyes, their lids or the lips');
    assert.equal(everything[eyeCorner], 1, 'while the skin around the eyes is reached');
  });
});

/**
 * The real mesh's canonical face wrapped round a vertical cylinder and turned `degrees` about it, as a photo or camera
 * face (points in pixels, depth away from the lens), with its triangle and vertex facing. `wrap` is how far round the
 * cylinder the face reaches, in radians per canonical width.
 */
function turnedFace(uv: Float32Array, mesh: MeshTopology, degrees: number, wrap = 2.4, nose = 0) {
  const points = new Float32Array(MESH_POINTS * 2);
  const depth = new Float32Array(MESH_POINTS);
  const turn = (degrees * Math.PI) / 180;
  for (let v = 0; v < MESH_POINTS; v++) {
    const angle = (uv[v * 2] - 0.5) * wrap;
    // A ridge `nose` high down the midline, a seventh of the face wide, highest between the eyes and the mouth.
    const radius = 100 + nose * Math.max(0, 1 - Math.abs(uv[v * 2] - 0.5) / 0.07) * Math.exp(-(((uv[v * 2 + 1] - 0.5) / 0.12) ** 2));
    const [x, z] = [radius * Math.sin(angle), -radius * Math.cos(angle)];
    points[v * 2] = 320 + x * Math.cos(turn) + z * Math.sin(turn);
    points[v * 2 + 1] = 200 * uv[v * 2 + 1];
    depth[v] = -x * Math.sin(turn) + z * Math.cos(turn);
  }
  const triangleFacings = triangleFacing(points, depth, mesh, new Float32Array(mesh.triangles.length / 3));
  return { points, depth, triangleFacings, facing: vertexFacing(triangleFacings, mesh, new Float32Array(MESH_POINTS)) };
}

describe("a turned photo's far side drawn from its near side (the real mesh)", () => {
  const { uv, triangles } = realMesh();
  const mesh = meshTopology(triangles, uv);
  const all = Array.from({ length: MESH_POINTS }, (_, v) => v);
  const inPicture = new Float32Array(MESH_POINTS).fill(1);
  /** The photo's colour: even skin. */
  const skin = new Float32Array(MESH_POINTS * 3).fill(0.6);

  it('pairs each vertex with its reflection across the midline', () => {
    assert.deepEqual(
      all.filter((v) => mesh.mirror[mesh.mirror[v]] !== v),
      [],
      'a pairing',
    );
    const onMidline = all.filter((v) => mesh.mirror[v] === v);
    assert.ok(onMidline.length >= 20, `${onMidline.length} on the midline`);
    assert.deepEqual(
      onMidline.filter((v) => Math.abs(uv[v * 2] - 0.5) > 0.002),
      [],
      'only midline vertices are their own',
    );
    const off = (v: number) => Math.hypot(uv[v * 2] + uv[mesh.mirror[v] * 2] - 1, uv[v * 2 + 1] - uv[mesh.mirror[v] * 2 + 1]);
    assert.ok(Math.max(...all.map(off)) < 0.002, 'each the reflection of the other');
    assert.equal(mesh.mirror[RIGHT_EYE[0]], LEFT_EYE[0], "the right eye's outer corner with the left's");
  });

  it('reads what a turned photo hardly shows from its near side, never the eyes or the lips, and nothing on a frontal photo', () => {
    const photo = turnedFace(uv, mesh, 40);
    const composer = new FaceComposer(mesh);
    composer.setSource(photo.points, photo.depth, skin, inPicture);
    const { weight, points } = composer.mirrorFill;
    const own = (v: number) => !mesh.eyeArea[v] && mesh.region[v] !== 1 && mesh.mirror[v] !== v;
    const hardlySeen = all.filter((v) => own(v) && photo.facing[v] < 0.15);
    assert.ok(hardlySeen.length >= 20, `${hardlySeen.length} vertices the photo hardly shows`);
    // Less only beside the eyes and lips, into whose outer rings the weight blends.
    const mean = hardlySeen.reduce((sum, v) => sum + weight[v], 0) / hardlySeen.length;
    assert.ok(mean > 0.85 && Math.min(...hardlySeen.map((v) => weight[v])) > 0.5, `mostly from the near side (mean ${mean.toFixed(2)})`);
    for (const v of hardlySeen) assert.deepEqual([points[v * 2], points[v * 2 + 1]], [photo.points[mesh.mirror[v] * 2], photo.points[mesh.mirror[v] * 2 + 1]]);
    // Oblique but still well seen: its own, but for the blend's edge.
    const wellSeen = all.filter((v) => photo.facing[v] > 0.45 && photo.facing[v] < photo.facing[mesh.mirror[v]]);
    assert.ok(wellSeen.length >= 50 && Math.max(...wellSeen.map((v) => weight[v])) < 0.15, 'the far side seen at facing 0.45 or more: its own');
    const nearSide = all.filter((v) => photo.facing[v] > photo.facing[mesh.mirror[v]]);
    assert.equal(Math.max(...nearSide.map((v) => weight[v])), 0, 'the near side its own');
    // The blend runs over the skin around the eyes, not the lids; the lips keep their own even turned further.
    const aroundEyes = all.filter((v) => mesh.eyeArea[v] && !mesh.region[v]);
    assert.ok(Math.max(...aroundEyes.map((v) => weight[v])) > 0.1, 'blended into the skin around the eyes');
    const lips = all.filter((v) => mesh.region[v] === 1);
    for (const degrees of [40, 60]) {
      const further = turnedFace(uv, mesh, degrees);
      composer.setSource(further.points, further.depth, skin, inPicture);
      assert.deepEqual(
        [...RIGHT_EYE, ...LEFT_EYE, ...lips].filter((v) => composer.mirrorFill.weight[v] > 0),
        [],
        `turned ${degrees} degrees: the eyes and the lips their own`,
      );
    }

    // Frontal and wrapped far round (both sides as oblique as each other, down to facing 0.25): all its own.
    const frontal = turnedFace(uv, mesh, 0, 3);
    assert.ok(Math.min(...frontal.facing) < 0.3, 'oblique edges');
    composer.setSource(frontal.points, frontal.depth, skin, inPicture);
    assert.equal(Math.max(...composer.mirrorFill.weight), 0, 'a frontal photo: all its own');
  });

  it('draws on a frontal camera what the turned photo shows only on its near side, and what it turns away only from there', () => {
    const photo = turnedFace(uv, mesh, 50);
    const composer = new FaceComposer(mesh);
    composer.setSource(photo.points, photo.depth, skin, inPicture);
    const { weight } = composer.mirrorFill;
    const camera = turnedFace(uv, mesh, 0);
    const drawn = composer.compose(camera.points, camera.depth, 1, 0);
    const key = (a: number, b: number, c: number) => [a, b, c].join(',');
    const listed = new Set<string>();
    const inDrawn = new Set<number>();
    for (let i = 0; i < drawn.indexCount; i += 3) {
      listed.add(key(drawn.indices[i], drawn.indices[i + 1], drawn.indices[i + 2]));
      for (let k = 0; k < 3; k++) inDrawn.add(drawn.indices[i + k]);
    }
    // Hardly shown in the photo (facing under 0.1, so its own texture would be nearly transparent), mirrored, inside the
    // feathered edge, on a triangle that is drawn.
    const hidden = all.filter((v) => photo.facing[v] < 0.1 && weight[v] > 0.9 && mesh.feather[v] > 0.2 && inDrawn.has(v));
    assert.ok(hidden.length >= 5, `${hidden.length} vertices`);
    assert.deepEqual(
      hidden.filter((v) => drawn.alpha[v] < 0.3),
      [],
      'drawn from the near side',
    );
    // A triangle turned away in the photo has its own texture folded over: drawing any of it would fold the output.
    // It is drawn only wholly from its counterpart (left out, it was a hole with hard edges beside the nose).
    const corners = (t: number) => [mesh.triangles[t * 3], mesh.triangles[t * 3 + 1], mesh.triangles[t * 3 + 2]];
    const awayInPhoto = Array.from({ length: photo.triangleFacings.length }, (_, t) => t).filter((t) => photo.triangleFacings[t] <= 0);
    const awayDrawn = awayInPhoto.filter((t) => listed.has(key(...(corners(t) as [number, number, number]))));
    assert.ok(awayDrawn.length >= 5, `${awayDrawn.length} of ${awayInPhoto.length} turned away drawn from their counterparts`);
    assert.deepEqual(
      awayDrawn.filter((t) => corners(t).some((v) => weight[v] !== 1)),
      [],
      'nothing of their own texture',
    );

    // The same photo with its near side's outer cheek cut off (a tight crop): nothing there to mirror, so what it hardly shows fades.
    const nearCut = Float32Array.from(inPicture, (_, v) => (photo.facing[v] > photo.facing[mesh.mirror[v]] && Math.abs(uv[v * 2] - 0.5) > 0.3 ? 0 : 1));
    composer.setSource(photo.points, photo.depth, skin, nearCut);
    const cut = composer.compose(camera.points, camera.depth, 1, 0);
    const veryHidden = hidden.filter((v) => photo.facing[v] < 0.05);
    assert.ok(veryHidden.length >= 3, `${veryHidden.length} vertices`);
    assert.equal(Math.max(...veryHidden.map((v) => cut.alpha[v])), 0, 'not drawn');
    // Nothing read at a counterpart that is not wholly in the picture with all its neighbours (pictureVisibility).
    const clear = (v: number) => nearCut[v] === 1 && mesh.neighbours.slice(mesh.start[v], mesh.start[v + 1]).every((n) => nearCut[n] === 1);
    const mirroredAtCut = all.filter((v) => composer.mirrorFill.weight[v] > 0);
    assert.ok(mirroredAtCut.length > 0, 'some counterparts still in the picture');
    assert.deepEqual(
      mirroredAtCut.filter((v) => !clear(mesh.mirror[v])),
      [],
      'counterparts in the picture',
    );

    // The far side cut off instead: it stays undrawn, however well its counterpart is seen.
    const farCut = Float32Array.from(inPicture, (_, v) => (photo.facing[v] < 0.3 ? 0 : 1));
    composer.setSource(photo.points, photo.depth, skin, farCut);
    const offPicture = all.filter((v) => farCut[v] === 0);
    assert.ok(offPicture.length >= 5, `${offPicture.length} vertices`);
    const { alpha } = composer.compose(camera.points, camera.depth, 1, 0);
    assert.equal(Math.max(...offPicture.map((v) => alpha[v])), 0, 'where the photo has no face, none is drawn');
  });

  it('reads no folded texture at a counterpart: a turned nose drawn from its near side, but not along its ridge', () => {
    const photo = turnedFace(uv, mesh, 35, 2.4, 40);
    const composer = new FaceComposer(mesh);
    composer.setSource(photo.points, photo.depth, skin, inPicture);
    const { weight } = composer.mirrorFill;
    const camera = turnedFace(uv, mesh, 0, 2.4, 40);
    const drawn = composer.compose(camera.points, camera.depth, 1, 0);
    const listed = Array.from({ length: drawn.indexCount / 3 }, (_, i) => [drawn.indices[i * 3], drawn.indices[i * 3 + 1], drawn.indices[i * 3 + 2]]);
    const triangleOf = triangleLookup(mesh.triangles);
    const drawnTriangles = listed.map(([a, b, c]) => triangleOf(a, b, c)!);
    assert.ok(
      drawnTriangles.every((t) => t !== undefined),
      'every drawn triangle is one of the mesh',
    );
    const away = drawnTriangles.filter((t) => photo.triangleFacings[t] <= 0);
    assert.ok(away.length >= 3, `${away.length} triangles the photo turns away drawn from their counterparts`);
    const corners = (t: number) => [...mesh.triangles.slice(t * 3, t * 3 + 3)];
    assert.deepEqual(
      drawnTriangles.filter((t) => corners(t).some((v) => weight[v] < 1) && photo.triangleFacings[t] <= 0),
      [],
      'own texture read only where the photo shows it',
    );
    assert.deepEqual(
      drawnTriangles.filter((t) => corners(t).some((v) => weight[v] > 0) && !(photo.triangleFacings[mesh.counterpart[t]] > 0)),
      [],
      'the counterpart read only where the photo shows it',
    );
  });

  it("matches the mirrored part's colour to the camera's as drawn: from the near side's skin", () => {
    const photo = turnedFace(uv, mesh, 40);
    // The near side lit, the far side in shade (not so dark as to be taken for hair: DARK_COVER), each channel its own.
    const near = (v: number) => photo.facing[v] >= photo.facing[mesh.mirror[v]];
    const [lit, shade, cameraSkin] = [
      [0.6, 0.5, 0.4],
      [0.45, 0.36, 0.3],
      [0.5, 0.45, 0.4],
    ];
    const colour = Float32Array.from({ length: MESH_POINTS * 3 }, (_, i) => (near((i / 3) | 0) ? lit : shade)[i % 3]);
    const composer = new FaceComposer(mesh);
    composer.setSource(photo.points, photo.depth, colour, inPicture);
    const camera = turnedFace(uv, mesh, 0);
    composer.updateCamera(
      camera.points,
      camera.depth,
      Float32Array.from({ length: MESH_POINTS * 3 }, (_, i) => cameraSkin[i % 3]),
    );
    const { gain } = composer.compose(camera.points, camera.depth, 1, 0);
    const { weight } = composer.mirrorFill;
    const mirrored = all.filter((v) => weight[v] > 0.85 && !mesh.feature[v]);
    assert.ok(mirrored.length >= 5, `${mirrored.length} mostly mirrored vertices`);
    for (const v of mirrored) {
      for (let c = 0; c < 3; c++) {
        // What is drawn there is its own colour and the near side's, mixed, times the gain: the camera's (within the smoothing's reach).
        const drawn = (colour[v * 3 + c] + weight[v] * (colour[mesh.mirror[v] * 3 + c] - colour[v * 3 + c])) * gain[v * 3 + c];
        assert.ok(Math.abs(drawn - cameraSkin[c]) < 0.04, `vertex ${v} channel ${c}: drawn ${drawn.toFixed(3)}, camera ${cameraSkin[c]}`);
      }
    }
  });
});

describe('the mouth opening drawn wider than the mesh reads it (the real mesh)', () => {
  const { uv, triangles } = realMesh();
  const mesh = meshTopology(triangles, uv);
  const [upperMiddle, lowerMiddle, corners] = [13, 14, [LIPS_INNER[0], LIPS_INNER[10]]];
  /** The canonical face 200 px wide with its jaw dropped by `drop` px below the mouth's line: an open mouth. */
  const face = (drop: number) => {
    const points = uv.map((v) => v * 200);
    const mouthLine = (uv[upperMiddle * 2 + 1] + uv[lowerMiddle * 2 + 1]) / 2;
    for (let v = 0; v < MESH_POINTS; v++) if (uv[v * 2 + 1] > mouthLine) points[v * 2 + 1] += drop;
    return points;
  };
  const gap = (p: Float32Array) => Math.hypot(p[lowerMiddle * 2] - p[upperMiddle * 2], p[lowerMiddle * 2 + 1] - p[upperMiddle * 2 + 1]);
  const signedArea = (p: Float32Array, t: number) => {
    const [a, b, c] = [triangles[t * 3], triangles[t * 3 + 1], triangles[t * 3 + 2]];
    return (p[b * 2] - p[a * 2]) * (p[c * 2 + 1] - p[a * 2 + 1]) - (p[c * 2] - p[a * 2]) * (p[b * 2 + 1] - p[a * 2 + 1]);
  };

  it('opens an open mouth by the share asked, moving only the lips: the corners and the outer contour stay', () => {
    const before = face(12);
    const after = before.slice();
    widenMouth(after, mesh, 0.45, new Float32Array(MESH_POINTS * 2));
    assert.ok(Math.abs(gap(after) / gap(before) - 1.45) < 1e-3, `gap ${gap(before)} -> ${gap(after)}`);
    const moved = (v: number) => Math.hypot(after[v * 2] - before[v * 2], after[v * 2 + 1] - before[v * 2 + 1]);
    for (const v of [...corners, ...LIPS_OUTER]) assert.ok(moved(v) < 1e-6, `vertex ${v} moved ${moved(v)}`);
    for (let v = 0; v < MESH_POINTS; v++) if (mesh.region[v] !== 1) assert.equal(moved(v), 0, `vertex ${v} is not on the lips`);
    assert.ok(moved(upperMiddle) > moved(12) && moved(12) > moved(11) && moved(11) > 0, 'less towards the outer contour');
  });

  it('thins the lips but never folds them, however wide the mouth is open', () => {
    for (const drop of [4, 12, 40, 80]) {
      const before = face(drop);
      const after = before.slice();
      widenMouth(after, mesh, 1, new Float32Array(MESH_POINTS * 2));
      for (let t = 0; t < triangles.length / 3; t++) {
        const [was, is] = [signedArea(before, t), signedArea(after, t)];
        if (Math.abs(was) > 1e-6) assert.equal(Math.sign(is), Math.sign(was), `jaw dropped ${drop} px: triangle ${t} folded`);
      }
    }
  });

  it('opens along the face, rolled too, and leaves lips drawn crossed as they are', () => {
    const turn = (p: Float32Array, angle: number) => {
      const [c, s] = [Math.cos(angle), Math.sin(angle)];
      return p.map((_, i) => (i % 2 ? s * p[i - 1] + c * p[i] : c * p[i] - s * p[i + 1]));
    };
    const before = turn(face(12), 0.5);
    const after = before.slice();
    widenMouth(after, mesh, 0.45, new Float32Array(MESH_POINTS * 2));
    assert.ok(Math.abs(gap(after) / gap(before) - 1.45) < 1e-3, `rolled: gap ${gap(before)} -> ${gap(after)}`);
    const crossed = face(-3);
    const kept = crossed.slice();
    widenMouth(kept, mesh, 0.45, new Float32Array(MESH_POINTS * 2));
    assert.deepEqual(kept, crossed);
  });

  it('is what the composer draws over the camera face', () => {
    const composer = new FaceComposer(mesh);
    const depth = new Float32Array(MESH_POINTS);
    composer.setSource(face(0), depth, new Float32Array(MESH_POINTS * 3).fill(0.6), new Float32Array(MESH_POINTS).fill(1));
    const camera = face(12);
    const drawn = composer.compose(camera, depth, 1, 0).points;
    assert.ok(gap(drawn) > 1.3 * gap(camera), `camera gap ${gap(camera)}, drawn ${gap(drawn)}`);
  });

  it('leaves a closed mouth closed', () => {
    const before = face(0);
    const after = before.slice();
    widenMouth(after, mesh, 0.45, new Float32Array(MESH_POINTS * 2));
    let most = 0;
    for (let i = 0; i < after.length; i++) most = Math.max(most, Math.abs(after[i] - before[i]));
    assert.ok(most < 0.2 && gap(after) < 1, `moved up to ${most} px, gap ${gap(after)} px`);
  });
});

describe('identity offsets', () => {
  const { uv, triangles } = gridMesh();
  const mesh = meshTopology(triangles, uv);

  it("moves the lips and eyes as units, so the photo's open mouth is not copied", () => {
    const camera = new Float32Array(MESH_POINTS * 3);
    const source = new Float32Array(MESH_POINTS * 3);
    // The source's mouth is open: its lower inner lip sits 0.06 lower than the camera person's.
    const lower = LIPS_INNER.slice(1, 10);
    for (const v of lower) source[v * 3 + 1] = 0.06;
    const offsets = identityOffsets(source, camera, mesh);
    const spread = (vs: number[]) => Math.max(...vs.map((v) => offsets[v * 3 + 1])) - Math.min(...vs.map((v) => offsets[v * 3 + 1]));
    // The raw difference would open the mouth by the full 0.06; what is left is smoothing at the lips' edge.
    assert.ok(spread([...LIPS_INNER, ...LIPS_OUTER]) < 0.02, `lips spread ${spread([...LIPS_INNER, ...LIPS_OUTER])}`);
  });

  it('caps how far any point moves', () => {
    const camera = new Float32Array(MESH_POINTS * 3);
    const source = new Float32Array(MESH_POINTS * 3).fill(1);
    const offsets = identityOffsets(source, camera, mesh, 0.08);
    for (let v = 0; v < MESH_POINTS; v++) {
      assert.ok(Math.hypot(offsets[v * 3], offsets[v * 3 + 1], offsets[v * 3 + 2]) <= 0.08 + 1e-6);
    }
  });
});

describe('a source photo refined by the mesh with attention (the real mesh)', () => {
  const { uv } = realMesh();
  const face = () => uv.map((v) => v * 200);
  const eyeDistance = (p: Float32Array) => Math.hypot(p[263 * 2] - p[33 * 2], p[263 * 2 + 1] - p[33 * 2 + 1]);
  /** human's refinement lists (src/face/constants.ts): what its lips and eye heads replace. */
  const humanList = (name: string) => {
    const text = readFileSync(new URL('../../node_modules/@vladmandic/human/src/face/constants.ts', import.meta.url), 'utf8');
    const open = text.indexOf('[', text.indexOf(`export const ${name}`));
    return text
      .slice(open + 1, text.indexOf('];', open))
      .replace(/\/\/[^\n]*/g, '')
      .split(',')
      .map((n) => n.trim())
      .filter(Boolean)
      .map(Number);
  };
  const lips = humanList('LANDMARKS_REFINEMENT_LIPS_CONFIG');
  // The person's right eye first (human's LEFT: the image's left).
  const eyes = [humanList('LANDMARKS_REFINEMENT_LEFT_EYE_CONFIG'), humanList('LANDMARKS_REFINEMENT_RIGHT_EYE_CONFIG')];
  /** human's eye lists ring by ring: the lid margins, two halos of 16, one of 6 and the brows' 17. */
  const rings = (eye: number[]) => [eye.slice(0, 16), eye.slice(16, 32), eye.slice(32, 48), eye.slice(48, 54), eye.slice(54)];
  const sorted = (list: number[]) => [...list].sort((a, b) => a - b);

  it("moves exactly the vertices the model's lips and eye heads refine: the eyes' rings less towards the brows", () => {
    const points = face();
    const refined = points.map((value, i) => value + (i % 2 === 0 ? 3 : -2));
    const out = withRefinedFeatures(points, refined)!;
    const shares = new Map<number, number[]>();
    for (let v = 0; v < MESH_POINTS; v++) {
      const share = Math.round((Math.hypot(out[v * 2] - points[v * 2], out[v * 2 + 1] - points[v * 2 + 1]) / Math.hypot(3, 2)) * 100) / 100;
      if (share > 0) shares.set(share, [...(shares.get(share) ?? []), v]);
    }
    const expected = new Map<number, number[]>([[1, [...lips, ...eyes.flatMap((eye) => rings(eye)[0])]]]);
    [0.8, 0.6, 0.4, 0.2].forEach((share, r) =>
      expected.set(
        share,
        eyes.flatMap((eye) => rings(eye)[r + 1]),
      ),
    );
    assert.deepEqual([...shares.keys()].sort(), [...expected.keys()].sort(), 'the shares moved: 1 (lips, margins), then 0.8 to 0.2 ring by ring');
    for (const [share, vertices] of expected) assert.deepEqual(sorted(shares.get(share)!), sorted(vertices), `share ${share}`);
  });

  it("takes the model's lips as they are, and moves each eye to its place keeping the mesh's shape", () => {
    const points = face();
    const refined = points.slice();
    lips.forEach((v, k) => {
      refined[v * 2] += 3 + (k % 5);
      refined[v * 2 + 1] -= 2 + (k % 3);
    });
    // The right eye set 4 px to the side and 6 px higher, and drawn narrower (its lids 40 % nearer its middle row).
    const margins = rings(eyes[0])[0];
    const middle = margins.reduce((sum, v) => sum + points[v * 2 + 1], 0) / margins.length;
    for (const v of margins) {
      refined[v * 2] += 4;
      refined[v * 2 + 1] = middle + (points[v * 2 + 1] - middle) * 0.6 - 6;
    }
    const out = withRefinedFeatures(points, refined);
    assert.ok(out, 'taken as the same face');
    const moved = (v: number) => [out[v * 2] - points[v * 2], out[v * 2 + 1] - points[v * 2 + 1]];
    for (const v of lips) assert.deepEqual([out[v * 2], out[v * 2 + 1]], [refined[v * 2], refined[v * 2 + 1]], `lip vertex ${v}`);
    const shift = margins.reduce((sum, v) => sum + refined[v * 2 + 1] - points[v * 2 + 1], 0) / margins.length;
    assert.ok(shift < -5, `the eye moved up (${shift} px)`);
    rings(eyes[0]).forEach((ring, r) => {
      const share = [1, 0.8, 0.6, 0.4, 0.2][r];
      for (const v of ring) {
        const [x, y] = moved(v);
        assert.ok(
          Math.abs(x - share * 4) < 1e-4 && Math.abs(y - share * shift) < 1e-4,
          `ring ${r} vertex ${v} moved ${x}, ${y}: the whole eye, its shape kept`,
        );
      }
    });
    for (const v of eyes[1]) assert.deepEqual(moved(v), [0, 0], `the left eye, unmoved by the model, stays (${v})`);
    const refinedSet = new Set([...lips, ...eyes.flat()]);
    for (let v = 0; v < MESH_POINTS; v++) if (!refinedSet.has(v)) assert.deepEqual(moved(v), [0, 0], `vertex ${v} is not refined`);
  });

  it("leaves the mesh as it is when the model's lips or either eye lie half an eye distance off, or are not numbers", () => {
    const points = face();
    const off = 0.5 * eyeDistance(points);
    const shifted = (vertices: number[], by: number) => {
      const refined = points.slice();
      for (const v of vertices) refined[v * 2] += by;
      return refined;
    };
    assert.equal(withRefinedFeatures(points, shifted([...Array(MESH_POINTS).keys()], off)), null, 'another face');
    assert.equal(withRefinedFeatures(points, shifted(rings(eyes[1])[0], off)), null, 'one eye off, the lips right');
    assert.equal(withRefinedFeatures(points, shifted(lips, off)), null, 'the lips off, the eyes right');
    assert.equal(withRefinedFeatures(points, shifted([eyes[0][0]], NaN)), null, 'not a number');
    assert.ok(withRefinedFeatures(points, shifted([...Array(MESH_POINTS).keys()], 0.1 * eyeDistance(points))), 'a tenth off is the same face');
  });
});
