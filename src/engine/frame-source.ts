/**
 * Delivers the camera track's frames one by one without showing anything: MediaStreamTrackProcessor where the
 * browser has it (Chromium: VideoFrames straight from the capture pipeline), else a detached, never-inserted
 * `<video>` paced by requestVideoFrameCallback (or a timer). The camera track itself is never stopped here.
 */
/** Handles one frame; the frame stays valid until the returned promise settles. */
export type FrameHandler = (frame: CanvasImageSource, width: number, height: number, timeMs: number) => Promise<void>;

/** Whether `frame` is a VideoFrame (false where the browser has none). */
export function isVideoFrame(frame: CanvasImageSource): frame is VideoFrame {
  return typeof VideoFrame !== 'undefined' && frame instanceof VideoFrame;
}

export interface FrameSource {
  stop(): void;
}

interface TrackProcessorConstructor {
  new (init: { track: MediaStreamTrack; maxBufferSize?: number }): { readable: ReadableStream<VideoFrame> };
}

function processorFrames(track: MediaStreamTrack, onFrame: FrameHandler, Processor: TrackProcessorConstructor): FrameSource {
  // The processor reads a clone, so stopping our side never ends the controller's camera track.
  const clone = track.clone();
  const reader = new Processor({ track: clone, maxBufferSize: 1 }).readable.getReader();
  let stopped = false;
  void (async () => {
    while (!stopped) {
      const { value: frame, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done || !frame) break;
      try {
        if (!stopped) await onFrame(frame, frame.displayWidth, frame.displayHeight, performance.now());
      } catch {
        // A frame that failed to process is dropped; the next one is tried afresh.
      } finally {
        frame.close();
      }
    }
  })();
  return {
    stop() {
      stopped = true;
      void reader.cancel().catch(() => undefined);
      clone.stop();
    },
  };
}

/** The <video>'s current frame as a VideoFrame, or null where the browser has none or cannot make one. */
function wrapFrame(video: HTMLVideoElement, timeMs: number): VideoFrame | null {
  if (typeof VideoFrame === 'undefined') return null;
  try {
    return new VideoFrame(video, { timestamp: Math.round(timeMs * 1000) });
  } catch {
    return null;
  }
}

function videoFrames(track: MediaStreamTrack, onFrame: FrameHandler): FrameSource {
  const video = document.createElement('video');
  video.muted = true;
  video.playsInline = true;
  video.srcObject = new MediaStream([track]);
  let stopped = false;
  let handle = 0;
  const hasCallback = 'requestVideoFrameCallback' in video;
  const tick = async () => {
    if (stopped) return;
    if (video.readyState >= 2 && video.videoWidth > 0) {
      const now = performance.now();
      // A VideoFrame of the presented frame shares its pixels with the <video>: the landmark worker receives it
      // without the copy an ImageBitmap of the <video> costs, and drawing it skips the <video>'s paint path.
      const frame = wrapFrame(video, now);
      await onFrame(frame ?? video, video.videoWidth, video.videoHeight, now).catch(() => undefined);
      frame?.close();
    }
    schedule();
  };
  const schedule = () => {
    if (stopped) return;
    handle = hasCallback ? video.requestVideoFrameCallback(() => void tick()) : window.setTimeout(() => void tick(), 1000 / 30);
  };
  void video.play().catch(() => undefined);
  schedule();
  return {
    stop() {
      stopped = true;
      if (hasCallback) video.cancelVideoFrameCallback(handle);
      else clearTimeout(handle);
      video.pause();
      video.srcObject = null;
    },
  };
}

export function startFrameSource(track: MediaStreamTrack, onFrame: FrameHandler): FrameSource {
  const Processor = (globalThis as { MediaStreamTrackProcessor?: TrackProcessorConstructor }).MediaStreamTrackProcessor;
  return Processor ? processorFrames(track, onFrame, Processor) : videoFrames(track, onFrame);
}
