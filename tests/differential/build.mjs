// Builds the crate with the `differential` feature into target/differential/, a WebAssembly
// module for Node.js that exports `triggerVerdict` and `mappingResult` beside the destination.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const crate = dirname(dirname(dirname(fileURLToPath(import.meta.url))));
const out = join(crate, 'target', 'differential');
const run = (command, args) => execFileSync(command, args, { cwd: crate, stdio: 'inherit' });

run('cargo', ['build', '--profile', 'differential', '--lib', '--features', 'differential', '--target', 'wasm32-unknown-unknown']);
rmSync(out, { recursive: true, force: true });
const built = join(crate, 'target', 'wasm32-unknown-unknown', 'differential', 'pendo_wasm.wasm');
run('wasm-bindgen', ['--target', 'web', '--no-typescript', '--out-name', 'pendo_wasm', '--out-dir', out, built]);
