#!/usr/bin/env bash
# Sets everything up, then runs every test: Rust unit, doc, conformance, property and fuzz
# regression tests on the host, the differential tests against Segment's own libraries, clippy
# for host and WebAssembly, the browser suite in headless Chromium and Firefox, a short run of
# every fuzz target, the end-to-end tests with real analytics.js, and the packed npm package in
# bundled apps.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

export CHROMEDRIVER=${CHROMEDRIVER:-/usr/bin/chromedriver}
export PATH="$HOME/.cargo/bin:$PATH"

echo "== clippy (host and wasm32)"
cargo clippy --all-targets -- -D warnings
cargo clippy --all-targets --target wasm32-unknown-unknown -- -D warnings

echo "== Rust tests on the host"
cargo test

echo "== Differential tests against Segment's libraries"
node tests/differential/build.mjs
node --test --test-concurrency=1 tests/differential/

echo "== Rust tests in headless Chromium (doc tests run on the host only)"
cargo test --target wasm32-unknown-unknown --lib --tests

echo "== Rust tests in headless Firefox"
env -u CHROMEDRIVER GECKODRIVER="${GECKODRIVER:-$(command -v geckodriver)}" cargo test --target wasm32-unknown-unknown --lib --tests

echo "== Fuzzing, ${FUZZ_SECONDS:-10} s per target (scripts/fuzz.sh)"
scripts/fuzz.sh "${FUZZ_SECONDS:-10}"

echo "== End-to-end tests with real analytics.js"
node --test --test-concurrency=1 tests/e2e/

echo "== The packed npm package in apps built with Vite, esbuild and webpack"
node --test --test-concurrency=1 tests/consumers/
