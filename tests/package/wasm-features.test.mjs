// The built .wasm uses no WebAssembly feature beyond js-shim/scripts/wasm-features.mjs (the
// list the README's browser table is made from): binaryen's wasm-opt validates it with exactly
// those features enabled, and fails to without one that the module does use.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { packageDist, root } from '../../scripts/local-server.mjs';
import { WASM_FEATURES } from '../../js-shim/scripts/wasm-features.mjs';

const wasm = join(packageDist, 'pendo_wasm_bg.wasm');
const fullWasm = join(packageDist, 'pendo_wasm_full_bg.wasm');
const wasmOpt = join(dirname(createRequire(join(root, 'package.json')).resolve('binaryen/package.json')), 'bin', 'wasm-opt');

/** Whether wasm-opt reads and validates the module with only `features` beyond the MVP. */
function validatesWith(features, module = wasm) {
  const result = spawnSync(process.execPath, [wasmOpt, '--mvp-features', ...features.map((f) => `--enable-${f}`), module, '-o', '/dev/null'], { encoding: 'utf8' });
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}`.slice(0, 2000) };
}

test('the .wasm validates with exactly the listed features, and fails without reference types', () => {
  assert.ok(existsSync(wasm), 'build the package first: npm run build');
  const listed = validatesWith(WASM_FEATURES);
  assert.ok(listed.ok, `the .wasm needs a feature beyond ${WASM_FEATURES.join(', ')}:\n${listed.output}`);
  // The check can fail: the module does use reference types (wasm-bindgen's externref table).
  const without = validatesWith(WASM_FEATURES.filter((f) => f !== 'reference-types'));
  assert.equal(without.ok, false, 'the module uses reference types, so validation without them must fail');
});

test('the full build (every mapping directive) validates with the same features', () => {
  assert.ok(existsSync(fullWasm), 'build the package first: npm run build');
  const listed = validatesWith(WASM_FEATURES, fullWasm);
  assert.ok(listed.ok, `the full build's .wasm needs a feature beyond ${WASM_FEATURES.join(', ')}:\n${listed.output}`);
  assert.ok(statSync(fullWasm).size > statSync(wasm).size, 'it holds the directives the default build leaves out');
});

test('the JavaScript build for pages without WebAssembly is in dist/', () => {
  const fallback = join(packageDist, 'pendo_wasm_fallback.js');
  assert.ok(existsSync(fallback));
  assert.ok(statSync(fallback).size > statSync(wasm).size, 'it holds the whole module, translated to JavaScript');
});
