// The script build for remote loading: analytics.js loads this file from the URL of a
// `remotePlugins` entry and calls `window['pendo-web-actionsDestination'](settings)`.
// The .wasm, the full build and the JavaScript build for pages without WebAssembly are found
// beside this script.
import { makeFactory } from './factory.js';

const script = document.currentScript;
const base = script && script.src ? script.src : location.href;
window['pendo-web-actionsDestination'] = makeFactory({
  wasm: new URL('pendo_wasm_bg.wasm', base),
  full: () => ({ module: new URL('pendo_wasm_full.js', base), wasm: new URL('pendo_wasm_full_bg.wasm', base) }),
  fallback: () => new URL('pendo_wasm_fallback.js', base),
});
