import { readFileSync } from 'node:fs';

/**
 * The real 468-point mesh, canonical face and triangles, as the engine gets them from human at run time; read from
 * the package's source text so tests need neither its models nor TensorFlow.
 */
export function realMesh(): { uv: Float32Array; triangles: Uint16Array } {
  const text = readFileSync(new URL('../../node_modules/@vladmandic/human/src/face/facemeshcoords.ts', import.meta.url), 'utf8');
  const array = (name: string): number[] => {
    const open = text.indexOf('= [', text.indexOf(`export const ${name}:`)) + 2;
    return (JSON.parse(text.slice(open, text.indexOf('];', open) + 1).replace(/,\s*\]/g, ']')) as number[] | number[][]).flat();
  };
  return { uv: Float32Array.from(array('UV468')), triangles: Uint16Array.from(array('TRI468')) };
}
