'use client';
// The elements run in the browser: the React wrappers go in a client component.
import { FaceSourcePicker, FaceswapPlayer, FaceswapSession } from 'faceswap-elements/react';

export function LiveSwap() {
  return (
    <FaceswapSession tokenEndpoint="/api/faceswap">
      <FaceSourcePicker />
      <FaceswapPlayer preview />
    </FaceswapSession>
  );
}
