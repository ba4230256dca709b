// The download budget of the issue "Size and load": each build of the package (the ES module,
// index.js + .wasm; the script build, pendo-web-actions.global.js + .wasm) is at most 20,000
// bytes gzip -9 (node's zlib, level 9). Prints each build's figure and the five largest
// contributors to the .wasm's code by Rust crate/module, so that a failure says where to cut.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageDist } from '../../scripts/local-server.mjs';
import { BUILDS, SIZE_BUDGET, buildSizes, wasmContents } from '../../scripts/package-size.mjs';

const n = (value) => value.toLocaleString('en-US');

test(`each build downloads at most ${n(SIZE_BUDGET.limit)} bytes gzip -9`, (t) => {
  for (const file of new Set(Object.values(BUILDS).flat())) {
    assert.ok(existsSync(join(packageDist, file)), `js-shim/dist/${file} is missing: build the package first (npm run build)`);
  }
  const sizes = buildSizes(packageDist);
  const wasm = wasmContents(readFileSync(join(packageDist, 'pendo_wasm_bg.wasm')));
  const lines = [];
  for (const [build, size] of Object.entries(sizes)) {
    const parts = size.files.map((f) => `${f.file} ${n(f.gzip)}`).join(' + ');
    lines.push(`${build}: ${n(size.gzip)} bytes gzip -9 (${parts}; ${n(size.raw)} raw), budget ${n(SIZE_BUDGET.limit)} (aim ${n(SIZE_BUDGET.aim)})`);
  }
  const { code, data } = wasm.sections;
  lines.push(`.wasm sections: code ${n(code ?? 0)} bytes, data ${n(data ?? 0)} bytes (raw)`);
  if (wasm.code) {
    lines.push('five largest contributors to the .wasm code (raw bytes, by crate/module):');
    for (const m of wasm.code.byModule.slice(0, 5)) lines.push(`  ${m.name}: ${n(m.bytes)}`);
  } else {
    lines.push(`no breakdown of the .wasm code: ${wasm.namesNote}`);
  }
  const report = lines.join('\n');
  for (const line of lines) t.diagnostic(line);
  const over = Object.entries(sizes).filter(([, size]) => size.gzip > SIZE_BUDGET.limit);
  assert.deepEqual(
    over.map(([build, size]) => `${build} ${n(size.gzip)}`),
    [],
    `over the budget of ${n(SIZE_BUDGET.limit)} bytes gzip -9:\n${report}`,
  );
});
