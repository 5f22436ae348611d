/* The block's editor UI: options in the sidebar, a placeholder in the canvas (the camera runs only on the
 * published page). Plain script against the editor's globals, so the plugin needs no build step. */
(function (blocks, element, blockEditor, components) {
  const el = element.createElement;
  const { InspectorControls, useBlockProps } = blockEditor;
  const { PanelBody, TextControl, SelectControl, ToggleControl, Placeholder } = components;

  blocks.registerBlockType('faceswap-elements/live-swap', {
    edit(props) {
      const { attributes: a, setAttributes: set } = props;
      return el(
        'div',
        useBlockProps(),
        el(
          InspectorControls,
          null,
          el(
            PanelBody,
            { title: 'Face swap' },
            el(TextControl, {
              label: 'Gallery (image URLs or media IDs, comma-separated)',
              value: a.gallery,
              onChange: (gallery) => set({ gallery }),
            }),
            el(SelectControl, {
              label: 'Camera',
              value: a.camera,
              options: [
                { label: 'Front (selfie)', value: 'user' },
                { label: 'Back', value: 'environment' },
              ],
              onChange: (camera) => set({ camera }),
            }),
            el(SelectControl, {
              label: 'Fit',
              value: a.fit,
              options: [
                { label: 'Contain', value: 'contain' },
                { label: 'Cover', value: 'cover' },
              ],
              onChange: (fit) => set({ fit }),
            }),
            el(SelectControl, {
              label: 'Mirror',
              value: a.mirror,
              options: [
                { label: 'Automatic', value: 'auto' },
                { label: 'On', value: 'on' },
                { label: 'Off', value: 'off' },
              ],
              onChange: (mirror) => set({ mirror }),
            }),
            el(ToggleControl, { label: 'Show the camera preview', checked: a.preview, onChange: (preview) => set({ preview }) }),
            el(ToggleControl, { label: 'Start on load', checked: a.autostart, onChange: (autostart) => set({ autostart }) }),
            el(TextControl, { label: 'Language (en, es, fr, ar; empty = page)', value: a.lang, onChange: (lang) => set({ lang }) }),
          ),
        ),
        el(Placeholder, {
          icon: 'format-video',
          label: 'Live face swap',
          instructions: 'Visitors pick a face and see themselves with it, live. The camera starts on the published page.',
        }),
      );
    },
    save: () => null,
  });
})(window.wp.blocks, window.wp.element, window.wp.blockEditor, window.wp.components);
