#!/usr/bin/env bash
# Sets everything up, then runs every test: the check that the core crate is page-independent,
# Rust unit, doc, conformance, property and fuzz regression tests on the host, the differential
# tests against Segment's own libraries, clippy for host and WebAssembly, the browser suite in
# headless Chromium, Firefox and WebKit, a short run of every fuzz target, the checks of the
# built package, the end-to-end tests with real analytics.js in Chromium, Firefox and WebKit and
# on pages without WebAssembly, and the packed npm package in bundled apps.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

export CHROMEDRIVER=${CHROMEDRIVER:-/usr/bin/chromedriver}
export PATH="$HOME/.cargo/bin:$PATH"

echo "== The core crate: page-independent, for the browser target and the host"
scripts/check-core.sh

echo "== clippy (host and wasm32)"
cargo clippy --workspace --all-targets -- -D warnings
cargo clippy --workspace --all-targets --target wasm32-unknown-unknown -- -D warnings
# The package's two builds: no standard library; the default, and the full one (every directive, RudderStack).
cargo clippy --lib --no-default-features --target wasm32-unknown-unknown -- -D warnings
cargo clippy --lib --no-default-features --features all-directives,rudderstack --target wasm32-unknown-unknown -- -D warnings
# The differential tests' build (tests/differential/build.mjs).
cargo clippy --lib --features differential --target wasm32-unknown-unknown -- -D warnings

echo "== Rust tests on the host"
cargo test --workspace
# The core as the package's default build has it: without the full build's directives, explain
# mode and RudderStack (its routing to the full build is tested there).
cargo clippy -p pendo-core --no-default-features --features json --all-targets -- -D warnings
cargo test -p pendo-core --no-default-features --features json

echo "== Differential tests against Segment's libraries"
node tests/differential/build.mjs
node --test --test-concurrency=1 tests/differential/

echo "== Rust tests in headless Chromium (doc tests run on the host only)"
cargo test --target wasm32-unknown-unknown --lib --tests

echo "== Rust tests in headless Firefox"
env -u CHROMEDRIVER GECKODRIVER="${GECKODRIVER:-$(command -v geckodriver)}" cargo test --target wasm32-unknown-unknown --lib --tests

# wasm-bindgen's runner drives WebKitWebDriver as it would safaridriver (a W3C session with no
# capabilities, which starts WebKitWebDriver's MiniBrowser); MiniBrowser needs a display.
echo "== Rust tests in WebKit (MiniBrowser)"
env -u CHROMEDRIVER SAFARIDRIVER="${SAFARIDRIVER:-$(command -v WebKitWebDriver)}" xvfb-run -a cargo test --target wasm32-unknown-unknown --lib --tests

echo "== Fuzzing, ${FUZZ_SECONDS:-10} s per target (scripts/fuzz.sh)"
scripts/fuzz.sh "${FUZZ_SECONDS:-10}"

echo "== The built package: WebAssembly features and files"
node --test tests/package/

echo "== End-to-end tests with real analytics.js in Chromium, Firefox and WebKit, and without WebAssembly"
node scripts/e2e.mjs

echo "== The packed npm package in apps built with Vite, esbuild and webpack"
node --test --test-concurrency=1 tests/consumers/
