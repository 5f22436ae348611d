// Reads files back with ExifTool (Debian's libimage-exiftool-perl), the independent reader of the disclosure marks.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Every tag ExifTool finds, as `Group:Name` → value (`-G1 -j`; warnings included as `ExifTool:Warning`). */
export function exiftool(bytes: Uint8Array, extension: string): Record<string, unknown> {
  const dir = mkdtempSync(join(tmpdir(), 'exif-'));
  const file = join(dir, `file.${extension}`);
  try {
    writeFileSync(file, bytes);
    const [tags] = JSON.parse(execFileSync('exiftool', ['-j', '-G1', '-a', file], { encoding: 'utf8' })) as Record<string, unknown>[];
    return tags!;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
