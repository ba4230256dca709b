#!/usr/bin/env bash
# Installs everything the build, the tests and the demo need on a Debian machine with Rust,
# Node.js and npm, then builds the npm package. Steps already done are skipped.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [[ $(id -u) == 0 ]]; then "$@"; else sudo "$@"; fi; }

rustup target add wasm32-unknown-unknown

# The wasm-bindgen CLI must be exactly the version of the crate pinned in Cargo.toml.
wasm_bindgen_version=$(sed -n 's/^wasm-bindgen = .*"=\([0-9][0-9.]*\)".*/\1/p' Cargo.toml)
if [[ -z $wasm_bindgen_version ]]; then
  echo "Cargo.toml must pin wasm-bindgen to an exact version (\"=x.y.z\")" >&2
  exit 1
fi
if [[ $(wasm-bindgen --version 2>/dev/null) != "wasm-bindgen $wasm_bindgen_version" ]]; then
  cargo install wasm-bindgen-cli --version "$wasm_bindgen_version"
fi

# wasm-snip takes the code only a panic runs out of the default build (js-shim/scripts/snip.mjs).
wasm_snip_version=0.4.0
if [[ $(wasm-snip --version 2>/dev/null) != "wasm-snip $wasm_snip_version" ]]; then
  cargo install wasm-snip --version "$wasm_snip_version" --locked
fi

# The fuzz targets (scripts/fuzz.sh) run under cargo-fuzz; its libFuzzer is C++ compiled from
# source, hence a C++ compiler.
cargo_fuzz_version=0.13.2
if [[ $(cargo fuzz --version 2>/dev/null) != "cargo-fuzz $cargo_fuzz_version" ]]; then
  cargo install cargo-fuzz --version "$cargo_fuzz_version" --locked
fi

missing=()
command -v c++ >/dev/null || missing+=(g++)
command -v chromium >/dev/null || missing+=(chromium)
command -v chromedriver >/dev/null || missing+=(chromium-driver)
command -v firefox-esr >/dev/null || missing+=(firefox-esr)
# WebKit for the end-to-end tests: WebKitWebDriver with its MiniBrowser, which needs a display
# (xvfb-run gives it a virtual one).
command -v WebKitWebDriver >/dev/null || missing+=(webkit2gtk-driver)
command -v xvfb-run >/dev/null || missing+=(xvfb)
if ((${#missing[@]})); then
  as_root apt-get update
  as_root apt-get install -y "${missing[@]}"
fi

# The browser tests and the end-to-end tests also run in Firefox, driven by geckodriver.
command -v geckodriver >/dev/null || cargo install geckodriver

npm ci --no-audit --no-fund
npm run build
