import type { ColourStats } from './landmark-worker.js';

/**
 * WebGL2 compositor: draws the camera frame, then the source face warped onto the camera face through the
 * 468-point triangle mesh, colour-matched (mean/std per channel) and alpha-blended with per-vertex weights
 * that fall to zero at the face contour. Pixels outside the mesh are the camera's, untouched.
 */

const CAMERA_VS = `#version 300 es
out vec2 v_uv;
void main() {
  vec2 p = vec2(float((gl_VertexID & 1) << 2) - 1.0, float((gl_VertexID & 2) << 1) - 1.0);
  v_uv = vec2(p.x + 1.0, 1.0 - p.y) * 0.5;
  gl_Position = vec4(p, 0.0, 1.0);
}`;

const CAMERA_FS = `#version 300 es
precision mediump float;
uniform sampler2D u_camera;
in vec2 v_uv;
out vec4 colour;
void main() { colour = texture(u_camera, v_uv); }`;

const FACE_VS = `#version 300 es
uniform vec2 u_size;
in vec2 a_position;
in vec2 a_sourceUv;
in float a_weight;
out vec2 v_uv;
out float v_weight;
void main() {
  v_uv = a_sourceUv;
  v_weight = a_weight;
  gl_Position = vec4(a_position.x / u_size.x * 2.0 - 1.0, 1.0 - a_position.y / u_size.y * 2.0, 0.0, 1.0);
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
  colour = vec4(clamp((s - u_sourceMean) * u_gain + u_cameraMean, 0.0, 1.0), v_weight * u_opacity);
}`;

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
  readonly canvas: HTMLCanvasElement;
  readonly #gl: WebGL2RenderingContext;
  readonly #cameraProgram: WebGLProgram;
  readonly #faceProgram: WebGLProgram;
  readonly #cameraTexture: WebGLTexture;
  readonly #sourceTexture: WebGLTexture;
  readonly #faceVao: WebGLVertexArrayObject;
  readonly #positionBuffer: WebGLBuffer;
  readonly #sourceUvBuffer: WebGLBuffer;
  readonly #indexCount: number;
  readonly #u: Record<string, WebGLUniformLocation | null>;
  #source: SwapSource | null = null;

  constructor(triangles: Uint16Array, weights: Float32Array) {
    // A detached canvas: never in the DOM, so the browser composites nothing for it.
    this.canvas = document.createElement('canvas');
    const gl = this.canvas.getContext('webgl2', {
      alpha: false,
      antialias: false,
      depth: false,
      stencil: false,
      premultipliedAlpha: false,
      preserveDrawingBuffer: false,
      desynchronized: true,
      powerPreference: 'high-performance',
    });
    if (!gl) throw new Error('WebGL2 is not available');
    this.#gl = gl;
    this.#cameraProgram = compile(gl, CAMERA_VS, CAMERA_FS);
    this.#faceProgram = compile(gl, FACE_VS, FACE_FS);
    this.#cameraTexture = texture(gl);
    this.#sourceTexture = texture(gl);
    this.#u = {};
    for (const name of ['u_size', 'u_source', 'u_sourceMean', 'u_gain', 'u_cameraMean', 'u_opacity']) {
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
    frame: TexImageSource,
    width: number,
    height: number,
    face: Float32Array | null,
    cameraColour: ColourStats | null,
    opacity: number,
  ): void {
    const gl = this.#gl;
    if (this.canvas.width !== width || this.canvas.height !== height) {
      this.canvas.width = width;
      this.canvas.height = height;
    }
    gl.viewport(0, 0, width, height);
    gl.disable(gl.BLEND);
    gl.useProgram(this.#cameraProgram);
    gl.activeTexture(gl.TEXTURE0);
    gl.bindTexture(gl.TEXTURE_2D, this.#cameraTexture);
    gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA, gl.RGBA, gl.UNSIGNED_BYTE, frame);
    gl.drawArrays(gl.TRIANGLES, 0, 3);

    const source = this.#source;
    if (!source || !face || !cameraColour || opacity <= 0) return;
    gl.useProgram(this.#faceProgram);
    gl.bindTexture(gl.TEXTURE_2D, this.#sourceTexture);
    gl.uniform1i(this.#u.u_source, 0);
    gl.uniform2f(this.#u.u_size, width, height);
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
    gl.blendFunc(gl.SRC_ALPHA, gl.ONE_MINUS_SRC_ALPHA);
    gl.drawElements(gl.TRIANGLES, this.#indexCount, gl.UNSIGNED_SHORT, 0);
    gl.bindVertexArray(null);
  }

  dispose(): void {
    const gl = this.#gl;
    this.#source?.image.close();
    this.#source = null;
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    this.canvas.width = this.canvas.height = 0;
  }
}
