import { ImageRejectedError } from './image.js';

/** Decoding and downscaling of a chosen photo before `/detect`; loaded with the first photo. */

/** Longest side sent to `/detect`; larger photos are scaled down first (faster upload, same detection). */
export const MAX_UPLOAD_DIMENSION = 1280;

export interface PreparedImage {
  /** `data:image/jpeg;base64,...` (or PNG/WebP when no scaling was needed), ready for `/detect`. */
  dataUrl: string;
  width: number;
  height: number;
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
