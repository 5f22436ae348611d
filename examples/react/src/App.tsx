import { useState } from 'react';
// The wrappers register the elements; every property is a typed prop and every event a typed onXxx callback.
import { FaceSourcePicker, FaceswapPlayer, FaceswapSession } from 'faceswap-elements/react';

export function App() {
  const [state, setState] = useState('idle');
  return (
    <main>
      <h1>Live face swap</h1>
      <FaceswapSession tokenEndpoint="/api/faceswap" onFaceswapStateChange={(event) => setState(event.detail.state)}>
        <FaceSourcePicker />
        <FaceswapPlayer preview fit="contain" />
      </FaceswapSession>
      <p id="state">{state}</p>
    </main>
  );
}
