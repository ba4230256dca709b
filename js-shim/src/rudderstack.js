// The package's RudderStack entry, `pendo-wasm/rudderstack`: the integration for RudderStack's
// JavaScript SDK, with the full build (and the JavaScript build for pages without WebAssembly)
// found beside this module.
import { makeRudderStackIntegration } from './rudderstack-integration.js';

export default makeRudderStackIntegration({
  full: () => ({
    module: new URL('pendo_wasm_full.js', import.meta.url),
    wasm: new URL('pendo_wasm_full_bg.wasm', import.meta.url),
  }),
  fallback: () => new URL('pendo_wasm_fallback.js', import.meta.url),
});
