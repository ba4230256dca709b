// The download of each build of the package (the ES module, index.js + .wasm; the script
// build, pendo-web-actions.global.js + .wasm), gzip -9 (node's zlib, level 9): at most
// SIZE_CEILING bytes, today's size, so that it can only shrink; and the budget of the issue
// "Size and load", 20,000 bytes, which is not met yet and is reported as a to-do until it is.
// Each prints the figures and the five largest contributors to the .wasm's code by Rust
// crate/module, so that a failure says where to cut.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageDist } from '../../scripts/local-server.mjs';
import { BUILDS, SIZE_BUDGET, SIZE_CEILING, buildSizes, wasmContents } from '../../scripts/package-size.mjs';

const n = (value) => value.toLocaleString('en-US');

let measured;
/** The builds' sizes and the report of them, measured once. */
function measure() {
  if (measured) return measured;
  for (const file of new Set(Object.values(BUILDS).flat())) {
    assert.ok(existsSync(join(packageDist, file)), `js-shim/dist/${file} is missing: build the package first (npm run build)`);
  }
  const sizes = buildSizes(packageDist);
  const wasm = wasmContents(readFileSync(join(packageDist, 'pendo_wasm_bg.wasm')));
  const lines = [];
  for (const [build, size] of Object.entries(sizes)) {
    const parts = size.files.map((f) => `${f.file} ${n(f.gzip)}`).join(' + ');
    lines.push(`${build}: ${n(size.gzip)} bytes gzip -9 (${parts}; ${n(size.raw)} raw)`);
  }
  const { code, data } = wasm.sections;
  lines.push(`.wasm sections: code ${n(code ?? 0)} bytes, data ${n(data ?? 0)} bytes (raw)`);
  if (wasm.code) {
    lines.push('five largest contributors to the .wasm code (raw bytes, by crate/module):');
    for (const m of wasm.code.byModule.slice(0, 5)) lines.push(`  ${m.name}: ${n(m.bytes)}`);
  } else {
    lines.push(`no breakdown of the .wasm code: ${wasm.namesNote}`);
  }
  measured = { sizes, lines };
  return measured;
}

/** Fails, with the report, when a build downloads more than `limit` bytes. */
function assertAtMost(t, limit) {
  const { sizes, lines } = measure();
  for (const line of lines) t.diagnostic(line);
  const over = Object.entries(sizes).filter(([, size]) => size.gzip > limit);
  assert.deepEqual(
    over.map(([build, size]) => `${build} ${n(size.gzip)}`),
    [],
    `over ${n(limit)} bytes gzip -9:\n${lines.join('\n')}`,
  );
}

test(`the download does not grow: each build at most ${n(SIZE_CEILING)} bytes gzip -9`, (t) => {
  assertAtMost(t, SIZE_CEILING);
});

test(
  `each build downloads at most ${n(SIZE_BUDGET.limit)} bytes gzip -9 (aim ${n(SIZE_BUDGET.aim)})`,
  { todo: 'the budget of the issue "Size and load" is not met yet' },
  (t) => {
    assertAtMost(t, SIZE_BUDGET.limit);
  },
);
