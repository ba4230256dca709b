// Instantiates the destination: the WebAssembly module, or, on a page where WebAssembly is
// missing or refuses to compile (switched off, blocked by a Content Security Policy, a browser
// without the features of scripts/wasm-features.mjs), the JavaScript build of the same module,
// fetched only then. Both give the same bindings.
import init, { PendoDestination } from '../../target/wasm-bindgen/pendo_wasm.js';

// What a browser throws when it has WebAssembly but will not compile this module: an invalid
// or unsupported module (CompileError, LinkError), or a CSP without 'wasm-unsafe-eval' (Safari
// throws EvalError). A failed download of the .wasm is not among them: it rejects as it is.
const REFUSED = ['CompileError', 'LinkError', 'EvalError'];

/**
 * Resolves to `{ PendoDestination }`. `wasmUrl` locates the .wasm (undefined: beside the glue);
 * `fallbackUrl()` gives the URL of the JavaScript build.
 */
export async function loadBindings(wasmUrl, fallbackUrl) {
  if (typeof WebAssembly === 'object' && WebAssembly) {
    try {
      await init(wasmUrl === undefined ? undefined : { module_or_path: wasmUrl });
      return { PendoDestination };
    } catch (error) {
      if (!REFUSED.includes(error?.name)) throw error;
    }
  }
  const url = fallbackUrl();
  try {
    // Bundlers must leave this import to the browser: scripts/build.mjs marks it so, as
    // esbuild drops comments.
    const { default: instantiate } = await import(url);
    return instantiate();
  } catch (error) {
    const message = `Pendo Web (actions): no WebAssembly here, and its JavaScript build failed to load from ${url}: ${error?.message ?? error}`;
    console.error(message);
    throw new Error(message);
  }
}
