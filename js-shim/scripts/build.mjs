// Builds the package: the crate to WebAssembly (release), the JS glue with wasm-bindgen,
// `wasm-opt -Oz`, then the shim itself, all into dist/.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const shim = dirname(dirname(fileURLToPath(import.meta.url)));
const crate = dirname(shim);
const dist = join(shim, 'dist');
const run = (command, args, cwd = crate) => execFileSync(command, args, { cwd, stdio: 'inherit' });

run('cargo', ['build', '--release', '--lib', '--target', 'wasm32-unknown-unknown']);
rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });
const built = join(crate, 'target', 'wasm32-unknown-unknown', 'release', 'pendo_wasm.wasm');
run('wasm-bindgen', ['--target', 'web', '--no-typescript', '--out-name', 'pendo_wasm', '--out-dir', dist, built]);

const wasm = join(dist, 'pendo_wasm_bg.wasm');
const wasmOpt = join(dirname(createRequire(join(crate, 'package.json')).resolve('binaryen/package.json')), 'bin', 'wasm-opt');
run(process.execPath, [wasmOpt, '-Oz', '--enable-bulk-memory', '--enable-nontrapping-float-to-int', '--enable-sign-ext', '--enable-mutable-globals', '--enable-reference-types', '--enable-multivalue', wasm, '-o', wasm]);

for (const file of ['index.js', 'index.d.ts']) copyFileSync(join(shim, 'src', file), join(dist, file));
console.log(`pendo_wasm_bg.wasm: ${statSync(wasm).size} bytes after wasm-opt -Oz`);
