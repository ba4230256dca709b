// The package's entry: the plugin factory, with the .wasm (the full build, and the JavaScript
// build for pages without WebAssembly) found beside this module.
import { makeFactory } from './factory.js';

export default makeFactory({
  wasm: undefined,
  full: () => ({
    module: new URL('pendo_wasm_full.js', import.meta.url),
    wasm: new URL('pendo_wasm_full_bg.wasm', import.meta.url),
  }),
  fallback: () => new URL('pendo_wasm_fallback.js', import.meta.url),
});
