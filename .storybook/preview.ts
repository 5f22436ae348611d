import { setCustomElementsManifest, type Preview } from '@storybook/web-components-vite';
import { setStorybookHelpersConfig } from '@wc-toolkit/storybook-helpers';
import { html } from 'lit';
import manifest from '../custom-elements.json';
import '../src/index.js';
import { ElementDocsPage } from './element-docs.js';

// Controls, docs and actions for every element come from the Custom Elements Manifest (npm run analyze).
setCustomElementsManifest(manifest);
setStorybookHelpersConfig({ hideArgRef: true });

const RTL_LANGUAGES = new Set(['ar', 'he', 'fa', 'ur']);

const preview: Preview = {
  parameters: {
    controls: { expanded: true, sort: 'requiredFirst' },
    layout: 'padded',
    a11y: { options: { runOnly: ['wcag2a', 'wcag2aa'] } },
    // The element metas opt in with `tags: ['autodocs']`; their page is built from the manifest.
    docs: { page: ElementDocsPage },
    options: { storySort: { order: ['Introduction', 'Elements', 'Flows', 'Guides', 'Frameworks'] } },
  },
  globalTypes: {
    lang: {
      description: 'Language of the elements (lang attribute of the container)',
      toolbar: {
        title: 'Language',
        icon: 'globe',
        dynamicTitle: true,
        items: [
          { value: 'en', title: 'English' },
          { value: 'es', title: 'Español' },
          { value: 'fr', title: 'Français' },
          { value: 'ar', title: 'العربية (RTL)' },
        ],
      },
    },
    dir: {
      description: 'Text direction of the container',
      toolbar: {
        title: 'Direction',
        icon: 'transfer',
        dynamicTitle: true,
        items: [
          { value: 'auto', title: 'Direction from language' },
          { value: 'ltr', title: 'Left to right' },
          { value: 'rtl', title: 'Right to left' },
        ],
      },
    },
    theme: {
      description: 'Colour theme (the --faceswap-* custom properties)',
      toolbar: {
        title: 'Theme',
        icon: 'paintbrush',
        dynamicTitle: true,
        items: [
          { value: 'light', title: 'Light' },
          { value: 'dark', title: 'Dark' },
          { value: 'brand', title: 'Brand (custom accent, rounded)' },
        ],
      },
    },
  },
  initialGlobals: { lang: 'en', dir: 'auto', theme: 'light' },
  decorators: [
    (story, { globals }) => {
      const lang = String(globals.lang ?? 'en');
      const dir = globals.dir && globals.dir !== 'auto' ? String(globals.dir) : RTL_LANGUAGES.has(lang) ? 'rtl' : 'ltr';
      return html`<div class="story-frame" data-theme=${String(globals.theme ?? 'light')} lang=${lang} dir=${dir}>${story()}</div>`;
    },
  ],
};

export default preview;
