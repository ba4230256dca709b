// The JavaScript build of the crate, dist/pendo_wasm_fallback.js, for pages where WebAssembly
// is missing or refuses to compile (js-shim/src/loader.js fetches it only there). binaryen's
// wasm2js turns a module into JavaScript but handles a single table, so the crate is built a
// second time for the first version of WebAssembly (`target-cpu=mvp`), which keeps JS values
// in wasm-bindgen's JS-side heap instead of an externref table; wasm2js translates that build,
// and esbuild bundles it with its own glue into one ES module with no imports, whose default
// export instantiates it and returns the same bindings as the WebAssembly build.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** `wasm` without its `target_features` custom section (wasm-bindgen reads features from it). */
function withoutTargetFeatures(wasm) {
  const parts = [wasm.subarray(0, 8)];
  let at = 8;
  const leb = () => {
    let value = 0;
    let shift = 0;
    let byte;
    do {
      byte = wasm[at++];
      value |= (byte & 0x7f) << shift;
      shift += 7;
    } while (byte & 0x80);
    return value >>> 0;
  };
  while (at < wasm.length) {
    const start = at;
    const id = wasm[at++];
    const size = leb();
    const body = at;
    let drop = false;
    if (id === 0) {
      const length = leb();
      drop = wasm.subarray(at, at + length).toString('utf8') === 'target_features';
    }
    at = body + size;
    if (!drop) parts.push(wasm.subarray(start, at));
  }
  return Buffer.concat(parts);
}

/** Cuts `text` at `marker`, failing the build loudly when a tool's output no longer has it. */
function expect(text, marker, what) {
  const at = text.indexOf(marker);
  if (at === -1) throw new Error(`the JavaScript build: ${what} lacks ${JSON.stringify(marker)}; the tools' output changed`);
  return at;
}

export async function buildFallback({ crate, dist, rustflags, esbuildOptions }) {
  const require = createRequire(join(crate, 'package.json'));
  const binaryen = join(dirname(require.resolve('binaryen/package.json')), 'bin');
  const work = join(crate, 'target', 'fallback-js');
  const targetDir = join(crate, 'target', 'fallback');
  const run = (command, args, env = process.env) => execFileSync(command, args, { cwd: crate, stdio: 'inherit', env });

  run('cargo', ['build', '--release', '--lib', '--target', 'wasm32-unknown-unknown', '--target-dir', targetDir], {
    ...process.env,
    RUSTFLAGS: [rustflags, '-C target-cpu=mvp'].filter(Boolean).join(' '),
  });
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  // The standard library is prebuilt with reference types; without the section that says so,
  // wasm-bindgen takes the module at its word and keeps JS values on its JS-side heap.
  const built = readFileSync(join(targetDir, 'wasm32-unknown-unknown', 'release', 'pendo_wasm.wasm'));
  writeFileSync(join(work, 'mvp.wasm'), withoutTargetFeatures(built));
  run('wasm-bindgen', ['--target', 'web', '--no-typescript', '--out-name', 'pendo_wasm', '--out-dir', join(work, 'glue'), join(work, 'mvp.wasm')]);
  const features = ['bulk-memory', 'nontrapping-float-to-int', 'sign-ext', 'mutable-globals'].map((f) => `--enable-${f}`);
  run(process.execPath, [join(binaryen, 'wasm2js'), ...features, '-Oz', join(work, 'glue', 'pendo_wasm_bg.wasm'), '-o', join(work, 'asm.js')]);

  // wasm2js writes an ES module that imports the glue by name and instantiates itself at once;
  // keep its `asmFunc(imports)` and export that instead.
  const asm = readFileSync(join(work, 'asm.js'), 'utf8');
  // One import line per module the .wasm imports from (wasm-bindgen's and glue.js).
  const imports = asm.match(/^(?:import \* as [^\n]*\n)+/)?.[0];
  if (!imports) throw new Error('the JavaScript build: wasm2js output does not start with its imports');
  const body = asm.slice(imports.length, expect(asm, 'var retasmFunc = asmFunc(', 'wasm2js output'));
  writeFileSync(join(work, 'asm.js'), `${body}\nexport { asmFunc };\n`);

  // The glue's own instantiation needs WebAssembly; give it the exports of asmFunc instead.
  // And it keeps views of the memory until the memory's buffer is detached, which is how a
  // WebAssembly memory grows; wasm2js's memory grows into a new buffer instead, leaving the old
  // one intact, so each view is renewed whenever the buffer is not the memory's.
  const gluePath = join(work, 'glue', 'pendo_wasm.js');
  let views = 0;
  const glue = readFileSync(gluePath, 'utf8').replace(/(function get(\w+)Memory0\(\) \{\n\s*if \()[^\n]*(\) \{)/g, (_, start, kind, end) => {
    views++;
    return `${start}cached${kind}Memory0 === null || cached${kind}Memory0.buffer !== wasm.memory.buffer${end}`;
  });
  if (views === 0) throw new Error('the JavaScript build: the glue has no memory views to renew; its output changed');
  expect(glue, 'function __wbg_finalize_init(instance, module)', 'the glue');
  expect(glue, 'function __wbg_get_imports()', 'the glue');
  writeFileSync(
    gluePath,
    `${glue}\nexport function initWithExports(instantiate) {\n  return wasm ?? __wbg_finalize_init({ exports: instantiate(__wbg_get_imports()) }, undefined);\n}\n`,
  );
  writeFileSync(
    join(work, 'entry.js'),
    `import { initWithExports, PendoDestination } from './glue/pendo_wasm.js';
import { asmFunc } from './asm.js';
export default function instantiate() {
  initWithExports(asmFunc);
  return { PendoDestination };
}
`,
  );
  const esbuild = require('esbuild');
  await esbuild.build({ ...esbuildOptions, entryPoints: [join(work, 'entry.js')], format: 'esm', outfile: join(dist, 'pendo_wasm_fallback.js') });
}
