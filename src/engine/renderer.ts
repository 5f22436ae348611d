import type { ColourStats } from './landmark-worker.js';

/**
 * The face warp: the source face drawn in WebGL2 through the 468-point triangle mesh onto the camera face's
 * position, colour-matched (mean/std per channel) and with per-vertex alpha falling to zero at the face
 * contour, into a face-sized canvas with premultiplied alpha. The outputs (output.ts) lay it over the camera
 * frame; pixels outside the mesh stay the camera's. Only the face is rendered on the GPU: uploading and
 * redrawing the whole camera frame in WebGL cost far more on software GL (SwiftShader).
 */

const FACE_VS = `#version 300 es
uniform vec4 u_box;
in vec2 a_position;
in vec2 a_sourceUv;
in float a_weight;
out vec2 v_uv;
out float v_weight;
void main() {
  v_uv = a_sourceUv;
  v_weight = a_weight;
  vec2 p = (a_position - u_box.xy) / u_box.zw;
  gl_Position = vec4(p.x * 2.0 - 1.0, 1.0 - p.y * 2.0, 0.0, 1.0);
}`;

const FACE_FS = `#version 300 es
precision mediump float;
uniform sampler2D u_source;
uniform vec3 u_sourceMean;
uniform vec3 u_gain;
uniform vec3 u_cameraMean;
uniform float u_opacity;
in vec2 v_uv;
in float v_weight;
out vec4 colour;
void main() {
  vec3 s = texture(u_source, v_uv).rgb;
  float a = v_weight * u_opacity;
  colour = vec4(clamp((s - u_sourceMean) * u_gain + u_cameraMean, 0.0, 1.0) * a, a);
}`;

/** The face canvas grows in steps, so a moving face does not reallocate it every frame. */
const FACE_CANVAS_STEP = 64;


export interface SwapSource {
  image: ImageBitmap;
  /** Landmarks in the image's pixels. */
  points: Float32Array;
  colour: ColourStats;
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

function texture(gl: WebGL2RenderingContext): WebGLTexture {
  const tex = gl.createTexture()!;
  gl.bindTexture(gl.TEXTURE_2D, tex);
  gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.LINEAR);
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
  readonly #sourceTexture: WebGLTexture;
  readonly #faceVao: WebGLVertexArrayObject;
  readonly #positionBuffer: WebGLBuffer;
  readonly #sourceUvBuffer: WebGLBuffer;
  readonly #indexCount: number;
  readonly #u: Record<string, WebGLUniformLocation | null>;
  #source: SwapSource | null = null;

  constructor(triangles: Uint16Array, weights: Float32Array) {
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
    this.#u = {};
    for (const name of ['u_box', 'u_source', 'u_sourceMean', 'u_gain', 'u_cameraMean', 'u_opacity']) {
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
    this.#positionBuffer = attribute('a_position', 2, new Float32Array(weights.length * 2), gl.DYNAMIC_DRAW);
    this.#sourceUvBuffer = attribute('a_sourceUv', 2, new Float32Array(weights.length * 2), gl.STATIC_DRAW);
    attribute('a_weight', 1, weights, gl.STATIC_DRAW);
    const indices = gl.createBuffer()!;
    gl.bindBuffer(gl.ELEMENT_ARRAY_BUFFER, indices);
    gl.bufferData(gl.ELEMENT_ARRAY_BUFFER, triangles, gl.STATIC_DRAW);
    this.#indexCount = triangles.length;
    gl.bindVertexArray(null);
  }

  get hasSource(): boolean {
    return this.#source !== null;
  }

  /** Uploads a new source face; used from the next drawn frame on. */
  setSource(source: SwapSource): void {
    const gl = this.#gl;
    gl.bindTexture(gl.TEXTURE_2D, this.#sourceTexture);
    gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA, gl.RGBA, gl.UNSIGNED_BYTE, source.image);
    const uv = new Float32Array(source.points.length);
    for (let i = 0; i < uv.length; i += 2) {
      uv[i] = source.points[i] / source.image.width;
      uv[i + 1] = source.points[i + 1] / source.image.height;
    }
    gl.bindBuffer(gl.ARRAY_BUFFER, this.#sourceUvBuffer);
    gl.bufferSubData(gl.ARRAY_BUFFER, 0, uv);
    this.#source?.image.close();
    this.#source = source;
  }

  /**
   * Renders the source face onto `face` (camera landmarks for this frame, in a `width` x `height` frame),
   * colour-matched to `cameraColour`, at `opacity`. Returns the face's box in the frame, or null when there is
   * nothing to draw.
   */
  renderFace(face: Float32Array, cameraColour: ColourStats, opacity: number, width: number, height: number): Box | null {
    const source = this.#source;
    if (!source || opacity <= 0) return null;
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
    gl.uniform1f(this.#u.u_opacity, opacity);
    const s = source.colour;
    const c = cameraColour;
    gl.uniform3f(this.#u.u_sourceMean, s.mean[0], s.mean[1], s.mean[2]);
    gl.uniform3f(this.#u.u_cameraMean, c.mean[0], c.mean[1], c.mean[2]);
    // Contrast follows the camera face but within bounds, so a flat or noisy region cannot blow it up.
    const gain = [0, 1, 2].map((k) => Math.min(2, Math.max(0.5, c.std[k] / s.std[k])));
    gl.uniform3f(this.#u.u_gain, gain[0], gain[1], gain[2]);
    gl.bindVertexArray(this.#faceVao);
    gl.bindBuffer(gl.ARRAY_BUFFER, this.#positionBuffer);
    gl.bufferSubData(gl.ARRAY_BUFFER, 0, face);
    gl.enable(gl.BLEND);
    gl.blendFunc(gl.ONE, gl.ONE_MINUS_SRC_ALPHA);
    gl.drawElements(gl.TRIANGLES, this.#indexCount, gl.UNSIGNED_SHORT, 0);
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
