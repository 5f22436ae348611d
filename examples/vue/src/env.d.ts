/// <reference types="vite/client" />
// Typed attributes, properties and events of the three elements in templates (vue-tsc, Volar).
/// <reference types="faceswap-elements/vue" />
