/** Image checks and downscaling done in the browser before anything is uploaded. */

export const ACCEPTED_IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;

/** Longest side sent to `/detect`; larger photos are scaled down first (faster upload, same detection). */
export const MAX_UPLOAD_DIMENSION = 1280;

export type ImageProblem = 'wrong-type' | 'too-large' | 'unreadable';

export class ImageRejectedError extends Error {
  readonly problem: ImageProblem;
  constructor(problem: ImageProblem) {
    super(problem);
    this.name = 'ImageRejectedError';
    this.problem = problem;
  }
}

export interface PreparedImage {
  /** `data:image/jpeg;base64,...` (or PNG/WebP when no scaling was needed), ready for `/detect`. */
  dataUrl: string;
  width: number;
  height: number;
}

/** Refuses what cannot be a usable photo without reading it: wrong type or over the byte limit. */
export function checkImageFile(file: Blob, maxBytes: number): void {
  if (!(ACCEPTED_IMAGE_TYPES as readonly string[]).includes(file.type)) throw new ImageRejectedError('wrong-type');
  if (file.size > maxBytes) throw new ImageRejectedError('too-large');
}

async function decode(blob: Blob): Promise<ImageBitmap> {
  try {
    return await createImageBitmap(blob);
  } catch {
    throw new ImageRejectedError('unreadable');
  }
}

function readAsDataUrl(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result as string);
    reader.onerror = () => reject(new ImageRejectedError('unreadable'));
    reader.readAsDataURL(blob);
  });
}

/**
 * Decodes the image (so an unreadable file is refused here, not by the server) and scales it down to
 * `maxDimension` on its longest side. Small images are sent as they are.
 */
export async function prepareImage(blob: Blob, maxDimension = MAX_UPLOAD_DIMENSION): Promise<PreparedImage> {
  const bitmap = await decode(blob);
  try {
    const { width, height } = bitmap;
    if (width === 0 || height === 0) throw new ImageRejectedError('unreadable');
    const scale = Math.min(1, maxDimension / Math.max(width, height));
    if (scale === 1) return { dataUrl: await readAsDataUrl(blob), width, height };
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    const context = canvas.getContext('2d');
    if (!context) throw new ImageRejectedError('unreadable');
    context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    return { dataUrl: canvas.toDataURL('image/jpeg', 0.9), width: canvas.width, height: canvas.height };
  } finally {
    bitmap.close();
  }
}

/** "10 MB", "512 KB": the byte limit as people read it. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/** The first image among pasted or dropped items; `null` when there is none. */
export function imageFromDataTransfer(data: DataTransfer | null): File | null {
  if (!data) return null;
  const files = Array.from(data.files ?? []);
  if (files.length > 0) return files[0];
  for (const item of Array.from(data.items ?? [])) {
    if (item.kind === 'file') {
      const file = item.getAsFile();
      if (file) return file;
    }
  }
  return null;
}
