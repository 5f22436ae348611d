import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { createApp, ref } from 'vue';
import type { FaceswapStateChangeEvent } from '../src/events/state-change-event.js';
import { expect } from 'storybook/test';
import { expectState, settle } from './assertions.js';
import { fakePlatform, pageGrant, sampleFaces } from './support.js';

const meta: Meta = {
  title: 'Frameworks/Vue (faceswap-session)',
  parameters: {
    docs: {
      description: {
        component:
          'The elements in a Vue 3 template, as an app writes them (typed by `faceswap-elements/vue`): kebab-case ' +
          'attributes, `@event` listeners, and camelCase `:prop` bindings for objects, functions and booleans: Vue sets ' +
          'a binding as a property only when the element has a property of exactly that name (`:tokenProvider`); a ' +
          'kebab-case binding (`:token-provider`) becomes an attribute.',
      },
    },
  },
};
export default meta;

const TAGS = new Set(['faceswap-session', 'faceswap-player', 'face-source-picker']);

/** A Vue app renders the session and player and follows the state through `@faceswap-state-change`. */
export const SessionAndPlayer: StoryObj = {
  render: () => {
    const container = document.createElement('div');
    const app = createApp({
      setup: () => ({
        state: ref('idle'),
        platform: fakePlatform({ remote: 'echo' }),
        tokenProvider: pageGrant('akool'),
        source: sampleFaces[0].source(),
      }),
      methods: {
        onState(this: { state: string }, event: FaceswapStateChangeEvent) {
          this.state = event.detail.state;
        },
      },
      template: `
        <p role="status">Vue sees: {{ state }}</p>
        <faceswap-session auto-start :platform="platform" :tokenProvider="tokenProvider" :source="source" @faceswap-state-change="onState">
          <faceswap-player preview></faceswap-player>
        </faceswap-session>`,
    });
    app.config.compilerOptions.isCustomElement = (tag) => TAGS.has(tag);
    app.mount(container);
    return container;
  },
  play: async ({ canvasElement }) => {
    await expectState(canvasElement.querySelector('faceswap-session')!, 'live');
    await settle(() => canvasElement.querySelector('[role="status"]')?.textContent === 'Vue sees: live', 'the framework state');
    await expect(canvasElement.querySelector('[role="status"]')).toHaveTextContent('Vue sees: live');
  },
};
