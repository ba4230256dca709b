// The WebAssembly features the package's .wasm may use, beyond the first version of
// WebAssembly: `wasm-opt` is allowed these and no others (scripts/build.mjs), the README's
// table of browsers follows them, and tests/e2e/wasm-features.test.mjs checks the built module
// against them. Browsers below them get the JavaScript build (scripts/fallback.mjs).
export const WASM_FEATURES = ['bulk-memory', 'nontrapping-float-to-int', 'sign-ext', 'mutable-globals', 'reference-types', 'multivalue'];
