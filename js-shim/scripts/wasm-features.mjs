// The WebAssembly features the package's .wasm may use, beyond the first version of
// WebAssembly: `wasm-opt` is allowed these and no others (scripts/build.mjs), the README's
// table of browsers follows them, and tests/package/wasm-features.test.mjs checks the built module
// against them. Browsers below them get the JavaScript build (scripts/fallback.mjs).
export const WASM_FEATURES = ['bulk-memory', 'nontrapping-float-to-int', 'sign-ext', 'mutable-globals', 'reference-types', 'multivalue'];

// How `wasm-opt` optimizes the package's .wasm (scripts/build.mjs; the benchmark and the size
// test repeat it with names kept). `--converge` repeats -Oz while it still shrinks the module;
// the producers and target-features sections are metadata for tools, which browsers ignore.
// `--low-memory-unused` lets constant offsets fold into loads and stores (-351 bytes gzip):
// Rust puts nothing in the first 1 KB of memory, where only the bottom of its 1 MB stack
// could ever reach.
export const WASM_OPT_FLAGS = ['-Oz', '--converge', '--low-memory-unused', '--strip-producers', '--strip-target-features', ...WASM_FEATURES.map((f) => `--enable-${f}`)];

// The renaming of js-shim/scripts/minify-names.mjs, run after WASM_OPT_FLAGS.
export const MINIFY_NAMES_FLAGS = ['--minify-imports-and-exports-and-modules', ...WASM_FEATURES.map((f) => `--enable-${f}`)];
