import type { ColourStats } from './landmark-worker.js';

/**
 * Compositor: the camera frame is drawn into a 2D canvas (the output), the source face is warped in WebGL2
 * through the 468-point triangle mesh into a second, face-sized canvas, colour-matched (mean/std per channel)
 * with per-vertex alpha falling to zero at the face contour, and laid over the camera frame. Pixels outside
 * the mesh are the camera's, untouched. Measured on software GL (SwiftShader): uploading and redrawing the
 * whole camera frame in WebGL and capturing a WebGL canvas cost about 1.5x the CPU of this split.
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

export class FaceRenderer {
  /** The output: camera frame with the swapped face, never inserted into the DOM. */
  readonly canvas: HTMLCanvasElement;
  readonly #ctx: CanvasRenderingContext2D;
  readonly #faceCanvas: HTMLCanvasElement;
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
    // Detached canvases: never in the DOM, so the browser composites nothing for them.
    this.canvas = document.createElement('canvas');
    const ctx = this.canvas.getContext('2d', { alpha: false, desynchronized: true });
    this.#faceCanvas = document.createElement('canvas');
    const gl = this.#faceCanvas.getContext('webgl2', {
      alpha: true,
      premultipliedAlpha: true,
      antialias: false,
      depth: false,
      stencil: false,
      preserveDrawingBuffer: false,
      powerPreference: 'high-performance',
    });
    if (!ctx || !gl) throw new Error('WebGL2 is not available');
    this.#ctx = ctx;
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
   * Draws one output frame: the camera, and the source face on `face` (camera landmarks for this frame) when
   * given, colour-matched to `cameraColour`, at `opacity` (fades the face in and out as tracking comes and goes).
   */
  draw(
    frame: CanvasImageSource,
    width: number,
    height: number,
    face: Float32Array | null,
    cameraColour: ColourStats | null,
    opacity: number,
  ): void {
    if (this.canvas.width !== width || this.canvas.height !== height) {
      this.canvas.width = width;
      this.canvas.height = height;
    }
    const ctx = this.#ctx;
    ctx.drawImage(frame, 0, 0, width, height);

    const source = this.#source;
    if (!source || !face || !cameraColour || opacity <= 0) return;
    // The face's bounding box in the frame, in whole pixels.
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
    const bx = Math.max(0, Math.floor(minX));
    const by = Math.max(0, Math.floor(minY));
    const bw = Math.min(width, Math.ceil(maxX) + 1) - bx;
    const bh = Math.min(height, Math.ceil(maxY) + 1) - by;
    if (bw < 4 || bh < 4) return;

    const gl = this.#gl;
    const fc = this.#faceCanvas;
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
    ctx.drawImage(fc, 0, 0, bw, bh, bx, by, bw, bh);
  }

  dispose(): void {
    const gl = this.#gl;
    this.#source?.image.close();
    this.#source = null;
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    this.canvas.width = this.canvas.height = 0;
    this.#faceCanvas.width = this.#faceCanvas.height = 0;
  }
}
