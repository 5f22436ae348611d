/**
 * A test camera that plays a .y4m file (made by scripts/make-test-camera.mjs) frame by frame into a
 * MediaStreamTrackGenerator, so every frame the engine receives has a known index and timestamp. The engine's
 * output keeps the camera frame's timestamp, which pairs each output frame exactly with its input frame.
 */
export interface Y4mVideo {
  width: number;
  height: number;
  fps: number;
  frameCount: number;
  /** Frame `index` as an I420 VideoFrame carrying `timestamp` (µs); the caller closes it. */
  frame(index: number, timestamp: number): VideoFrame;
  /** Frame `index` drawn into a new 2D canvas, the way the output frames are read. */
  canvas(index: number): HTMLCanvasElement;
}

// What ffmpeg writes for 8-bit 4:2:0 from photos and webcam video: BT.601, limited range.
const COLOUR_SPACE: VideoColorSpaceInit = { matrix: 'smpte170m', primaries: 'smpte170m', transfer: 'smpte170m', fullRange: false };

/** Loads a .y4m file, or its first `maxFrames` frames. */
export async function loadY4m(url: string, maxFrames = Infinity): Promise<Y4mVideo> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`cannot load ${url}: ${response.status}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  const lineEnd = (from: number) => bytes.indexOf(10, from);
  const headerEnd = lineEnd(0);
  const header = new TextDecoder().decode(bytes.subarray(0, headerEnd)).split(' ');
  if (header[0] !== 'YUV4MPEG2') throw new Error(`${url} is not a YUV4MPEG2 file`);
  const field = (key: string) => header.find((t) => t.startsWith(key))?.slice(1);
  const width = Number(field('W'));
  const height = Number(field('H'));
  const [num, den] = (field('F') ?? '20:1').split(':').map(Number);
  const colour = field('C') ?? '420';
  if (!colour.startsWith('420')) throw new Error(`${url}: only 4:2:0 video is supported, not C${colour}`);
  const size = (width * height * 3) / 2;
  const offsets: number[] = [];
  for (let at = headerEnd + 1; at < bytes.length && offsets.length < maxFrames;) {
    const dataStart = lineEnd(at) + 1;
    if (dataStart === 0 || dataStart + size > bytes.length) break;
    offsets.push(dataStart);
    at = dataStart + size;
  }
  const frame = (index: number, timestamp: number) =>
    new VideoFrame(bytes.subarray(offsets[index], offsets[index] + size), {
      format: 'I420',
      codedWidth: width,
      codedHeight: height,
      timestamp,
      colorSpace: COLOUR_SPACE,
    });
  return {
    width,
    height,
    fps: num / den,
    frameCount: offsets.length,
    frame,
    canvas(index) {
      const f = frame(index, 0);
      const canvas = frameCanvas(f);
      f.close();
      return canvas;
    },
  };
}

export function frameCanvas(frame: VideoFrame): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = frame.displayWidth;
  canvas.height = frame.displayHeight;
  canvas.getContext('2d', { willReadFrequently: true })!.drawImage(frame, 0, 0);
  return canvas;
}
