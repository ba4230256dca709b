#!/usr/bin/env bash
# The core crate (core/) stays page-independent: it builds for the browser target and for the
# host, and neither build has wasm-bindgen (or js-sys, web-sys) in its dependency tree, so the
# core cannot call up into the web layer. Cargo enforces the rest: the core does not depend on
# the web crate.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

status=0
for target in wasm32-unknown-unknown host; do
  for features in --no-default-features --all-features; do
    target_flag=()
    [[ $target == host ]] || target_flag=(--target "$target")
    cargo build --quiet -p pendo-core "${target_flag[@]}" "$features"
    tree=$(cargo tree -p pendo-core -e normal --prefix none "${target_flag[@]}" "$features")
    if grep -Eq '^(wasm-bindgen|js-sys|web-sys)( |$)' <<<"$tree"; then
      echo "core ($target, $features): the dependency tree has a JS binding crate:"
      grep -E '^(wasm-bindgen|js-sys|web-sys)( |$)' <<<"$tree"
      status=1
    else
      echo "core ($target, $features): builds, $(sort -u <<<"$tree" | wc -l) crates, no wasm-bindgen"
    fi
  done
done
if grep -rnE 'wasm_bindgen|target_arch|pendo_wasm' core/src; then
  echo "core/src names the web layer or a target (above)"
  status=1
fi
exit $status
