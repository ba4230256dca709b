import { fileURLToPath } from 'node:url';

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
// could ever reach. `--one-caller-inline-max-function-size=100` keeps a function of more than
// 100 bytes with one caller out of line (-Oz inlines every such function): -627 bytes gzip on
// the package, +641 raw, and per event and at creation the same within the noise of
// side-by-side runs. Other sizes, on the .wasm before renaming: 20, -726 gzip (100: -576) but
// +1.6 KB raw and creation about 1 ms slower; 300, -386; 1,000, -202.
// `--reorder-functions-by-name`, first: the functions in the order of their Rust paths, so that
// each module's code lies together within gzip's window (-88 bytes gzip on the package, -75 on
// the .wasm; after -Oz instead of before, -71).
export const WASM_OPT_FLAGS = ['--reorder-functions-by-name', '-Oz', '--converge', '--low-memory-unused', '--one-caller-inline-max-function-size=100', '--strip-producers', '--strip-target-features', ...WASM_FEATURES.map((f) => `--enable-${f}`)];

// The renaming of js-shim/scripts/minify-names.mjs, run after WASM_OPT_FLAGS.
export const MINIFY_NAMES_FLAGS = ['--minify-imports-and-exports-and-modules', ...WASM_FEATURES.map((f) => `--enable-${f}`)];

// The default build's .wasm as cargo makes it, with the code that only a panic runs snipped
// (snip.mjs): what wasm-bindgen and wasm-opt make the package's .wasm from, and what the
// benchmark and the size test name its functions from.
export const SNIPPED_DEFAULT_BUILD = fileURLToPath(new URL('../../target/wasm32-unknown-unknown/release/pendo_wasm.snipped.wasm', import.meta.url));
