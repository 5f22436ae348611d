import { MESH_POINTS, ovalWidth, type MeshTopology } from './mesh.js';

/**
 * The face warp: the source face drawn in WebGL2 through the 468-point triangle mesh onto the camera face's
 * position, each vertex with its own colour gain (local colour matching, interpolated across the triangles)
 * and its own alpha (the feathered mask, faded where the face turns away), its colour read partly at its
 * counterpart across the face's midline where the photo hardly shows it (MirrorFill), only the triangles the engine
 * lists, into a face-sized canvas with premultiplied alpha. The outputs (output.ts) lay it over the camera
 * frame; pixels outside the mesh stay the camera's. Only the face is rendered on the GPU: uploading and
 * redrawing the whole camera frame in WebGL cost far more on software GL (SwiftShader).
 */

const FACE_VS = `#version 300 es
uniform vec4 u_box;
in vec2 a_position;
in vec2 a_sourceUv;
in vec2 a_mirrorUv;
in float a_mirror;
in float a_alpha;
in vec3 a_gain;
out vec2 v_uv;
out vec2 v_mirrorUv;
out float v_mirror;
out float v_alpha;
out vec3 v_gain;
void main() {
  v_uv = a_sourceUv;
  v_mirrorUv = a_mirrorUv;
  v_mirror = a_mirror;
  v_alpha = a_alpha;
  v_gain = a_gain;
  vec2 p = (a_position - u_box.xy) / u_box.zw;
  gl_Position = vec4(p.x * 2.0 - 1.0, 1.0 - p.y * 2.0, 0.0, 1.0);
}`;

/** Luminance of an RGB colour (Rec. 601 weights), as the cover mask (COVER_FS) and the hair limit (compose.ts) read it. */
export const LUMA: readonly [number, number, number] = [0.299, 0.587, 0.114];

const FACE_FS = `#version 300 es
precision mediump float;
uniform sampler2D u_source;
in vec2 v_uv;
in vec2 v_mirrorUv;
in float v_mirror;
in float v_alpha;
in vec3 v_gain;
out vec4 colour;
void main() {
  vec4 texel = mix(texture(u_source, v_uv), texture(u_source, v_mirrorUv), v_mirror);
  float alpha = v_alpha * (1.0 - texel.a);
  colour = vec4(clamp(texel.rgb * v_gain, 0.0, 1.0) * alpha, alpha);
}`;

/** One triangle over the whole target, for the pass that prepares the source texture: (0,0) (2,0) (0,2) in texture space. */
const FULL_VS = `#version 300 es
out vec2 v_uv;
void main() {
  v_uv = vec2(gl_VertexID & 1, gl_VertexID >> 1) * 2.0;
  gl_Position = vec4(v_uv * 2.0 - 1.0, 0.0, 1.0);
}`;

/** The source mesh drawn where it lies on the photo (texture space), each vertex with its CoverRule.coverable weight. */
const MESH_ON_PHOTO_VS = `#version 300 es
in vec2 a_sourceUv;
in float a_coverable;
out vec2 v_uv;
out float v_coverable;
void main() {
  v_uv = a_sourceUv;
  v_coverable = a_coverable;
  gl_Position = vec4(a_sourceUv * 2.0 - 1.0, 0.0, 1.0);
}`;

/**
 * Per photo pixel, in red 1 where it is hair or a hand over the face: dark (CoverRule.darkLimit) on a part of the face
 * where hair is looked for (CoverRule.coverable, in green). Brows, lips or a beard's middle are dark too, and are left
 * out there (unless hair reaches a brow) so that the blur does not spread from them onto the skin around.
 */
// highp: a photo up to 1024 px wide is read texel for texel, finer than mediump (16-bit on some GPUs) can address.
const COVER_FS = `#version 300 es
precision highp float;
uniform sampler2D u_photo;
uniform vec2 u_dark;
in vec2 v_uv;
in float v_coverable;
out vec4 colour;
void main() {
  float luma = dot(texture(u_photo, v_uv).rgb, vec3(${LUMA.join(', ')}));
  colour = vec4(v_coverable * (1.0 - smoothstep(u_dark.x, u_dark.y, luma)), v_coverable, 0.0, 1.0);
}`;

/**
 * Near hair: the blurred cover mask above these (smoothly between), about a blur radius from hair's edge (a straight
 * edge gives 0.5 on it), not the faint tail of the blur further out.
 */
const NEAR_HAIR_MASK: readonly [number, number] = [0.02, 0.15];
/**
 * The source texture: the photo's colour, and in alpha how much each pixel is not drawn as hair or a hand: the
 * cover mask itself, or near it (read blurred, at a mipmap level); and where hair is looked for, pixels near hair
 * (NEAR_HAIR_MASK) a little darker than skin (CoverRule.nearHairLimit): the strands at the edge of a mass of hair,
 * mixed with the skin they lie on. A brow or a beard's middle beside hair stays the face's own.
 */
const SOURCE_FS = `#version 300 es
precision highp float;
uniform sampler2D u_photo;
uniform sampler2D u_coverMask;
uniform float u_blurLod;
uniform vec2 u_nearHair;
in vec2 v_uv;
out vec4 colour;
void main() {
  vec3 photo = texture(u_photo, v_uv).rgb;
  vec2 here = textureLod(u_coverMask, v_uv, 0.0).rg;
  float near = textureLod(u_coverMask, v_uv, u_blurLod).r;
  float luma = dot(photo, vec3(${LUMA.join(', ')}));
  float strand = here.g * smoothstep(${NEAR_HAIR_MASK.map((v) => v.toFixed(2)).join(', ')}, near) * (1.0 - smoothstep(u_nearHair.x, u_nearHair.y, luma));
  colour = vec4(photo, max(max(here.r, near), strand));
}`;

/**
 * How far hair's edge is softened, as a share of the source face's width: where hair meets the photo's skin the
 * camera's face fades in over about this distance instead of starting at a hard edge that follows each strand (a
 * cheek in shade beside long hair left a vertical cut down the face). Prepared once per source, so the face
 * shader reads one texture as before: reading a second, mipmapped one there delayed the first swapped frame on the
 * demo page from about 0.55 s to 1 s (medians of 6 runs on SwiftShader).
 */
const COVER_BLUR = 1 / 24;

/** The face canvas grows in steps, so a moving face does not reallocate it every frame. */
const FACE_CANVAS_STEP = 64;

export interface SwapSource {
  image: ImageBitmap;
  /** Landmarks in the image's pixels. */
  points: Float32Array;
  /** What of the photo is hair or a hand over its face: those pixels are not drawn, and the pixels near them fade (COVER_BLUR). */
  cover: CoverRule;
  /** What of the face is drawn from the photo's other side (see FaceComposer.mirrorFill). */
  mirror: MirrorFill;
}

/**
 * Per vertex, how much of its texel (0..1: the colour, and whether it is hair) is read at `points` instead of at its
 * own landmark: in the photo's pixels, its counterpart across the face's midline, for a part the photo hardly shows.
 */
export interface MirrorFill {
  points: Float32Array;
  weight: Float32Array;
}

/** How hair or a hand over a photo's face is told from its skin (see FaceComposer.coverRule). */
export interface CoverRule {
  /** Luminance (0..1) below `[0]` is hair or a hand, above `[1]` skin, smoothly between. */
  darkLimit: readonly [number, number];
  /** Luminance below which, smoothly between, a pixel beside hair is hair too (SOURCE_FS): higher than darkLimit. */
  nearHairLimit: readonly [number, number];
  /** Per vertex, 0..1: how much hair is looked for there (MeshTopology.coverable, widened for this photo). */
  coverable: Float32Array;
}

/** One frame's face for renderFace. */
export interface FaceDraw {
  /** Where each vertex lands in the frame (x0 y0 x1 y1 ...). */
  points: Float32Array;
  /** Per vertex, 0..1. */
  alpha: Float32Array;
  /** Per vertex, the RGB factor applied to the source's colour. */
  gain: Float32Array;
  /** The triangles to draw (vertex index triples) and how many indices of it are used. */
  indices: Uint16Array;
  indexCount: number;
}

function compile(gl: WebGL2RenderingContext, vs: string, fs: string): WebGLProgram {
  const program = gl.createProgram()!;
  for (const [type, text] of [
    [gl.VERTEX_SHADER, vs],
    [gl.FRAGMENT_SHADER, fs],
  ] as const) {
    const shader = gl.createShader(type)!;
    gl.shaderSource(shader, text);
    gl.compileShader(shader);
    if (!gl.getShaderParameter(shader, gl.COMPILE_STATUS)) throw new Error(`shader: ${gl.getShaderInfoLog(shader)}`);
    gl.attachShader(program, shader);
    gl.deleteShader(shader);
  }
  gl.linkProgram(program);
  if (!gl.getProgramParameter(program, gl.LINK_STATUS)) throw new Error(`program: ${gl.getProgramInfoLog(program)}`);
  return program;
}

function texture(gl: WebGL2RenderingContext, minFilter: number = gl.LINEAR): WebGLTexture {
  const tex = gl.createTexture()!;
  gl.bindTexture(gl.TEXTURE_2D, tex);
  gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, minFilter);
  gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl.LINEAR);
  gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_S, gl.CLAMP_TO_EDGE);
  gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_T, gl.CLAMP_TO_EDGE);
  return tex;
}

/** Whether this browser can create a WebGL2 context at all (headless Firefox, for one, cannot). */
export function webgl2Available(): boolean {
  const gl = document.createElement('canvas').getContext('webgl2');
  gl?.getExtension('WEBGL_lose_context')?.loseContext();
  return gl !== null;
}

/** A rectangle in frame pixels: x, y, width, height. */
export type Box = [number, number, number, number];

export class FaceRenderer {
  /** Holds the last rendered face in its top-left `box[2]` x `box[3]` pixels; never inserted into the DOM. */
  readonly faceCanvas: HTMLCanvasElement;
  readonly #gl: WebGL2RenderingContext;
  readonly #faceProgram: WebGLProgram;
  /** What the face is drawn from (SOURCE_FS): the photo's colour, with where it is hair in alpha. */
  readonly #sourceTexture: WebGLTexture;
  readonly #coverProgram: WebGLProgram;
  readonly #sourceProgram: WebGLProgram;
  readonly #framebuffer: WebGLFramebuffer;
  /** The whole mesh at the source's landmarks, with CoverRule.coverable per vertex, for COVER_FS. */
  readonly #meshOnPhotoVao: WebGLVertexArrayObject;
  readonly #meshIndexCount: number;
  readonly #faceVao: WebGLVertexArrayObject;
  readonly #positionBuffer: WebGLBuffer;
  readonly #sourceUvBuffer: WebGLBuffer;
  readonly #mirrorUvBuffer: WebGLBuffer;
  readonly #mirrorBuffer: WebGLBuffer;
  /** Per vertex, where hair over the photo's face is looked for (CoverRule.coverable). */
  readonly #coverableBuffer: WebGLBuffer;
  readonly #alphaBuffer: WebGLBuffer;
  readonly #gainBuffer: WebGLBuffer;
  readonly #indexBuffer: WebGLBuffer;
  readonly #u: Record<string, WebGLUniformLocation | null>;
  #source: SwapSource | null = null;

  constructor(mesh: Pick<MeshTopology, 'triangles'>) {
    const vertexCount = MESH_POINTS;
    this.faceCanvas = document.createElement('canvas');
    const gl = this.faceCanvas.getContext('webgl2', {
      alpha: true,
      premultipliedAlpha: true,
      antialias: false,
      depth: false,
      stencil: false,
      preserveDrawingBuffer: false,
      powerPreference: 'high-performance',
    });
    if (!gl) throw new Error('WebGL2 is not available');
    this.#gl = gl;
    this.#faceProgram = compile(gl, FACE_VS, FACE_FS);
    this.#sourceTexture = texture(gl);
    this.#coverProgram = compile(gl, MESH_ON_PHOTO_VS, COVER_FS);
    this.#sourceProgram = compile(gl, FULL_VS, SOURCE_FS);
    this.#framebuffer = gl.createFramebuffer()!;
    this.#u = {};
    for (const name of ['u_box', 'u_source']) {
      this.#u[name] = gl.getUniformLocation(this.#faceProgram, name);
    }

    this.#faceVao = gl.createVertexArray()!;
    gl.bindVertexArray(this.#faceVao);
    const attribute = (name: string, size: number, data: Float32Array, usage: number): WebGLBuffer => {
      const buffer = gl.createBuffer()!;
      gl.bindBuffer(gl.ARRAY_BUFFER, buffer);
      gl.bufferData(gl.ARRAY_BUFFER, data, usage);
      const loc = gl.getAttribLocation(this.#faceProgram, name);
      gl.enableVertexAttribArray(loc);
      gl.vertexAttribPointer(loc, size, gl.FLOAT, false, 0, 0);
      return buffer;
    };
    this.#positionBuffer = attribute('a_position', 2, new Float32Array(vertexCount * 2), gl.DYNAMIC_DRAW);
    this.#sourceUvBuffer = attribute('a_sourceUv', 2, new Float32Array(vertexCount * 2), gl.STATIC_DRAW);
    this.#mirrorUvBuffer = attribute('a_mirrorUv', 2, new Float32Array(vertexCount * 2), gl.STATIC_DRAW);
    this.#mirrorBuffer = attribute('a_mirror', 1, new Float32Array(vertexCount), gl.STATIC_DRAW);
    this.#alphaBuffer = attribute('a_alpha', 1, new Float32Array(vertexCount), gl.DYNAMIC_DRAW);
    this.#gainBuffer = attribute('a_gain', 3, new Float32Array(vertexCount * 3).fill(1), gl.DYNAMIC_DRAW);
    this.#indexBuffer = gl.createBuffer()!;
    gl.bindBuffer(gl.ELEMENT_ARRAY_BUFFER, this.#indexBuffer);
    gl.bufferData(gl.ELEMENT_ARRAY_BUFFER, new Uint16Array(mesh.triangles.length), gl.DYNAMIC_DRAW);

    this.#meshOnPhotoVao = gl.createVertexArray()!;
    gl.bindVertexArray(this.#meshOnPhotoVao);
    const sourceUv = gl.getAttribLocation(this.#coverProgram, 'a_sourceUv');
    gl.bindBuffer(gl.ARRAY_BUFFER, this.#sourceUvBuffer);
    gl.enableVertexAttribArray(sourceUv);
    gl.vertexAttribPointer(sourceUv, 2, gl.FLOAT, false, 0, 0);
    const coverable = gl.getAttribLocation(this.#coverProgram, 'a_coverable');
    this.#coverableBuffer = gl.createBuffer()!;
    gl.bindBuffer(gl.ARRAY_BUFFER, this.#coverableBuffer);
    gl.bufferData(gl.ARRAY_BUFFER, new Float32Array(vertexCount), gl.STATIC_DRAW);
    gl.enableVertexAttribArray(coverable);
    gl.vertexAttribPointer(coverable, 1, gl.FLOAT, false, 0, 0);
    gl.bindBuffer(gl.ELEMENT_ARRAY_BUFFER, gl.createBuffer());
    gl.bufferData(gl.ELEMENT_ARRAY_BUFFER, mesh.triangles, gl.STATIC_DRAW);
    this.#meshIndexCount = mesh.triangles.length;
    gl.bindVertexArray(null);
  }

  get hasSource(): boolean {
    return this.#source !== null;
  }

  /** Uploads a new source face; used from the next drawn frame on. */
  setSource(source: SwapSource): void {
    const gl = this.#gl;
    const { width, height } = source.image;
    const toUv = (points: Float32Array) => points.map((p, i) => p / (i % 2 ? height : width));
    gl.bindBuffer(gl.ARRAY_BUFFER, this.#sourceUvBuffer);
    gl.bufferSubData(gl.ARRAY_BUFFER, 0, toUv(source.points));
    gl.bindBuffer(gl.ARRAY_BUFFER, this.#mirrorUvBuffer);
    gl.bufferSubData(gl.ARRAY_BUFFER, 0, toUv(source.mirror.points));
    gl.bindBuffer(gl.ARRAY_BUFFER, this.#mirrorBuffer);
    gl.bufferSubData(gl.ARRAY_BUFFER, 0, source.mirror.weight);
    gl.bindBuffer(gl.ARRAY_BUFFER, this.#coverableBuffer);
    gl.bufferSubData(gl.ARRAY_BUFFER, 0, source.cover.coverable);
    // The photo as given and its cover mask are needed only to prepare the source texture.
    const photo = texture(gl);
    gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA, gl.RGBA, gl.UNSIGNED_BYTE, source.image);
    const coverMask = texture(gl, gl.LINEAR_MIPMAP_LINEAR);
    gl.texImage2D(gl.TEXTURE_2D, 0, gl.RG8, width, height, 0, gl.RG, gl.UNSIGNED_BYTE, null);
    gl.bindTexture(gl.TEXTURE_2D, this.#sourceTexture);
    gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA8, width, height, 0, gl.RGBA, gl.UNSIGNED_BYTE, null);
    const blurLod = Math.max(0, Math.log2(ovalWidth(source.points) * COVER_BLUR)) || 0;

    this.#bindTarget(coverMask, width, height);
    gl.clearColor(0, 0, 0, 0);
    gl.clear(gl.COLOR_BUFFER_BIT);
    gl.useProgram(this.#coverProgram);
    gl.activeTexture(gl.TEXTURE0);
    gl.bindTexture(gl.TEXTURE_2D, photo);
    gl.uniform1i(gl.getUniformLocation(this.#coverProgram, 'u_photo'), 0);
    gl.uniform2f(gl.getUniformLocation(this.#coverProgram, 'u_dark'), source.cover.darkLimit[0], source.cover.darkLimit[1]);
    gl.bindVertexArray(this.#meshOnPhotoVao);
    gl.drawElements(gl.TRIANGLES, this.#meshIndexCount, gl.UNSIGNED_SHORT, 0);
    gl.bindTexture(gl.TEXTURE_2D, coverMask);
    gl.generateMipmap(gl.TEXTURE_2D);

    this.#bindTarget(this.#sourceTexture, width, height);
    gl.useProgram(this.#sourceProgram);
    gl.bindTexture(gl.TEXTURE_2D, photo);
    gl.uniform1i(gl.getUniformLocation(this.#sourceProgram, 'u_photo'), 0);
    gl.activeTexture(gl.TEXTURE1);
    gl.bindTexture(gl.TEXTURE_2D, coverMask);
    gl.uniform1i(gl.getUniformLocation(this.#sourceProgram, 'u_coverMask'), 1);
    gl.uniform1f(gl.getUniformLocation(this.#sourceProgram, 'u_blurLod'), blurLod);
    gl.uniform2f(gl.getUniformLocation(this.#sourceProgram, 'u_nearHair'), source.cover.nearHairLimit[0], source.cover.nearHairLimit[1]);
    gl.bindVertexArray(null);
    gl.drawArrays(gl.TRIANGLES, 0, 3);

    gl.bindFramebuffer(gl.FRAMEBUFFER, null);
    gl.activeTexture(gl.TEXTURE0);
    gl.deleteTexture(photo);
    gl.deleteTexture(coverMask);
    this.#source?.image.close();
    this.#source = source;
  }

  /** Renders into `target` (`width` x `height`) instead of the face canvas, with no blending. */
  #bindTarget(target: WebGLTexture, width: number, height: number): void {
    const gl = this.#gl;
    gl.bindFramebuffer(gl.FRAMEBUFFER, this.#framebuffer);
    gl.framebufferTexture2D(gl.FRAMEBUFFER, gl.COLOR_ATTACHMENT0, gl.TEXTURE_2D, target, 0);
    gl.viewport(0, 0, width, height);
    gl.disable(gl.BLEND);
  }

  /**
   * Renders the source face onto `face.points` in a `width` x `height` frame. Returns the face's box in the
   * frame, or null when there is nothing to draw.
   */
  renderFace(draw: FaceDraw, width: number, height: number): Box | null {
    const source = this.#source;
    const face = draw.points;
    if (!source || draw.indexCount === 0) return null;
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    for (let i = 0; i < face.length; i += 2) {
      minX = Math.min(minX, face[i]);
      maxX = Math.max(maxX, face[i]);
      minY = Math.min(minY, face[i + 1]);
      maxY = Math.max(maxY, face[i + 1]);
    }
    // Even coordinates keep the box aligned with 2x2 chroma blocks for the YUV output.
    const bx = Math.max(0, Math.floor(minX / 2) * 2);
    const by = Math.max(0, Math.floor(minY / 2) * 2);
    const bw = Math.min(width, Math.ceil((maxX + 1) / 2) * 2) - bx;
    const bh = Math.min(height, Math.ceil((maxY + 1) / 2) * 2) - by;
    if (bw < 4 || bh < 4) return null;

    const gl = this.#gl;
    const fc = this.faceCanvas;
    if (fc.width < bw || fc.height < bh) {
      fc.width = Math.ceil(Math.max(fc.width, bw) / FACE_CANVAS_STEP) * FACE_CANVAS_STEP;
      fc.height = Math.ceil(Math.max(fc.height, bh) / FACE_CANVAS_STEP) * FACE_CANVAS_STEP;
    }
    // The face fills the top-left bw x bh of the face canvas (GL's origin is bottom-left).
    gl.viewport(0, fc.height - bh, bw, bh);
    gl.clearColor(0, 0, 0, 0);
    gl.clear(gl.COLOR_BUFFER_BIT);
    gl.useProgram(this.#faceProgram);
    gl.activeTexture(gl.TEXTURE0);
    gl.bindTexture(gl.TEXTURE_2D, this.#sourceTexture);
    gl.uniform1i(this.#u.u_source, 0);
    gl.uniform4f(this.#u.u_box, bx, by, bw, bh);
    gl.bindVertexArray(this.#faceVao);
    gl.bindBuffer(gl.ARRAY_BUFFER, this.#positionBuffer);
    gl.bufferSubData(gl.ARRAY_BUFFER, 0, face);
    gl.bindBuffer(gl.ARRAY_BUFFER, this.#alphaBuffer);
    gl.bufferSubData(gl.ARRAY_BUFFER, 0, draw.alpha);
    gl.bindBuffer(gl.ARRAY_BUFFER, this.#gainBuffer);
    gl.bufferSubData(gl.ARRAY_BUFFER, 0, draw.gain);
    gl.bindBuffer(gl.ELEMENT_ARRAY_BUFFER, this.#indexBuffer);
    gl.bufferSubData(gl.ELEMENT_ARRAY_BUFFER, 0, draw.indices, 0, draw.indexCount);
    gl.enable(gl.BLEND);
    gl.blendFunc(gl.ONE, gl.ONE_MINUS_SRC_ALPHA);
    gl.drawElements(gl.TRIANGLES, draw.indexCount, gl.UNSIGNED_SHORT, 0);
    gl.bindVertexArray(null);
    return [bx, by, bw, bh];
  }

  /**
   * Reads the face rendered last into `out`: premultiplied RGBA, `box[2]` x `box[3]`, in GL's row order
   * (bottom row first, so face row `r` is at `box[3] - 1 - r`).
   */
  readFace(box: Box, out: Uint8Array): void {
    const gl = this.#gl;
    gl.readPixels(0, this.faceCanvas.height - box[3], box[2], box[3], gl.RGBA, gl.UNSIGNED_BYTE, out);
  }

  dispose(): void {
    const gl = this.#gl;
    this.#source?.image.close();
    this.#source = null;
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    this.faceCanvas.width = this.faceCanvas.height = 0;
  }
}
