// The package's entry: the plugin factory, with the .wasm (and the JavaScript build for pages
// without WebAssembly) found beside this module.
import { makeFactory } from './factory.js';

export default makeFactory(undefined, () => new URL('pendo_wasm_fallback.js', import.meta.url));
