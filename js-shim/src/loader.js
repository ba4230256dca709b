// Instantiates the destination: the WebAssembly module; the full build (every mapping
// directive, explain mode, and the words for what is wrong with a workspace) when the
// workspace needs it; or, on a page where WebAssembly is missing or refuses to compile
// (switched off, blocked by a Content Security Policy, a browser without the features of
// scripts/wasm-features.mjs), the JavaScript build of the same crate. The other two are
// fetched only then; all three give the same bindings.
import init, { PendoDestination } from '../../target/wasm-bindgen/pendo_wasm.js';
import { REFUSED, instantiateModule as instantiate } from './module.js';

const PREFIX = 'Pendo Web (actions): ';

const instantiateModule = (url, argument, what) => instantiate(url, argument, what, PREFIX);

/**
 * Resolves to `{ PendoDestination }`, with `defaultBuild: true` when it is the default build
 * (which hands some workspaces to the full build; the JavaScript build has everything).
 * `urls.wasm` locates the .wasm (undefined: beside the glue); `urls.fallback()` gives the URL
 * of the JavaScript build.
 */
export async function loadBindings(urls) {
  if (typeof WebAssembly === 'object' && WebAssembly) {
    try {
      // The request goes out before wasm-bindgen builds its imports. `new URL(…,
      // import.meta.url)` is the form bundlers follow to the asset.
      await init({ module_or_path: fetch(urls.wasm ?? new URL('pendo_wasm_bg.wasm', import.meta.url)) });
      return { PendoDestination, defaultBuild: true };
    } catch (error) {
      if (!REFUSED.includes(error?.name)) throw error;
    }
  }
  return instantiateModule(urls.fallback(), undefined, 'no WebAssembly here, and its JavaScript build');
}

/**
 * Resolves to the full build's `{ PendoDestination }`: `urls.full()` gives the URLs of its
 * module and its .wasm.
 */
export function loadFullBindings(urls) {
  const { module, wasm } = urls.full();
  return instantiateModule(module, wasm, 'the full build');
}
