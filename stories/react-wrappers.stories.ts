import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { createElement as h, useState } from 'react';
import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';
import { FaceswapPlayer, FaceswapSession } from '../src/react/index.js';
import type { SessionState } from '../src/core/protocol.js';
import { expect } from 'storybook/test';
import { expectState, settle } from './assertions.js';
import { fakePlatform, pageGrant, sampleFaces } from './support.js';

const meta: Meta = {
  title: 'Frameworks/React wrappers (faceswap-session)',
  parameters: {
    docs: {
      description: {
        component:
          'The generated `faceswap-elements/react` components in a React 19 app: object and function props (`source`, ' +
          '`tokenProvider`) are set as properties, `onFaceswapStateChange` is a typed event callback.',
      },
    },
  },
};
export default meta;

function App() {
  const [state, setState] = useState<SessionState>('idle');
  const [platform] = useState(() => fakePlatform({ remote: 'echo' }));
  const [tokenProvider] = useState(() => pageGrant('akool'));
  const [source] = useState(() => sampleFaces[0].source());
  return h(
    'div',
    null,
    h('p', { role: 'status' }, `React sees: ${state}`),
    h(
      FaceswapSession,
      {
        autoStart: true,
        source,
        tokenProvider,
        platform,
        onFaceswapStateChange: (event) => setState(event.detail.state),
      } as Parameters<typeof FaceswapSession>[0],
      h(FaceswapPlayer, { preview: true }),
    ),
  );
}

/** A React app renders the session and player wrappers and follows the state through the callback. */
export const SessionAndPlayer: StoryObj = {
  render: () => {
    const container = document.createElement('div');
    // Rendered synchronously, so the story's DOM is complete when Storybook shows it.
    flushSync(() => createRoot(container).render(h(App)));
    return container;
  },
  play: async ({ canvasElement }) => {
    await expectState(canvasElement.querySelector('faceswap-session')!, 'live');
    await settle(() => canvasElement.querySelector('[role="status"]')?.textContent === 'React sees: live', 'the framework state');
    await expect(canvasElement.querySelector('[role="status"]')).toHaveTextContent('React sees: live');
  },
};
