// The one place the package imports a module at run time: the full build, or the JavaScript
// build for pages without WebAssembly. Bundlers must leave this import to the browser:
// scripts/build.mjs marks it so, as esbuild drops comments.

// What a browser throws when it has WebAssembly but will not compile a module: an invalid or
// unsupported module (CompileError, LinkError), or a CSP without 'wasm-unsafe-eval' (Safari
// throws EvalError). A failed download of the .wasm is not among them: it rejects as it is.
export const REFUSED = ['CompileError', 'LinkError', 'EvalError'];

/**
 * Imports the module at `url` and calls its default export with `argument`. A failure is said
 * on the console and rejects with an Error saying the same, unless `tolerated(error)`: then
 * it resolves to undefined.
 */
export async function instantiateModule(url, argument, what, prefix, tolerated) {
  try {
    const { default: instantiate } = await import(url);
    return await instantiate(argument);
  } catch (error) {
    if (tolerated?.(error)) return undefined;
    const message = `${prefix}${what} failed to load from ${url}: ${error?.message ?? error}`;
    console.error(message);
    throw new Error(message);
  }
}
