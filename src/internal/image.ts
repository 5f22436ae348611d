/** Image checks done in the browser before anything is read or uploaded (the downscaling, loaded on first use, is in image-prepare.ts). */

export const ACCEPTED_IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;

export type ImageProblem = 'wrong-type' | 'too-large' | 'unreadable';

export class ImageRejectedError extends Error {
  readonly problem: ImageProblem;
  constructor(problem: ImageProblem) {
    super(problem);
    this.name = 'ImageRejectedError';
    this.problem = problem;
  }
}

/** Refuses what cannot be a usable photo without reading it: wrong type or over the byte limit. */
export function checkImageFile(file: Blob, maxBytes: number): void {
  if (!(ACCEPTED_IMAGE_TYPES as readonly string[]).includes(file.type)) throw new ImageRejectedError('wrong-type');
  if (file.size > maxBytes) throw new ImageRejectedError('too-large');
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
