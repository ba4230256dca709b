// Names for the functions of the package's .wasm, and what they weigh: for the benchmark
// (bench/run.mjs: the size breakdown and the CPU profile) and the size test
// (tests/package/size.test.mjs). The shipped .wasm has no names; the same cargo build (with its
// panic code snipped, js-shim/scripts/snip.mjs), run again through wasm-bindgen and wasm-opt
// with names kept (-g), gives them, when its code
// section is byte for byte the shipped one (then function N is the same function in both).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MINIFY_NAMES_FLAGS, SNIPPED_DEFAULT_BUILD, WASM_OPT_FLAGS } from '../js-shim/scripts/wasm-features.mjs';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const NAMES_VERSION = 4;
// The optimization and renaming of js-shim/scripts/build.mjs, plus -g. Should the builds drift
// apart, the code sections differ and the names are reported missing (with the reason), never
// wrong.

/**
 * Function index → name for `shippedWasm`, as `{ names, note }` (`names` null, and `note`
 * saying why, when they cannot be had). Cached under target/bench/ by the code section's hash.
 */
export function functionNames(shippedWasm, { log = () => {} } = {}) {
  const code = sectionPayload(shippedWasm, 10);
  const hash = createHash('sha256').update(code).digest('hex');
  const cacheFile = join(root, 'target', 'bench', 'wasm-names.json');
  if (existsSync(cacheFile)) {
    const cached = JSON.parse(readFileSync(cacheFile, 'utf8'));
    if (cached.codeHash === hash && cached.version === NAMES_VERSION) return { names: cached.names, note: 'cached' };
  }
  const built = SNIPPED_DEFAULT_BUILD;
  if (!existsSync(built)) return { names: null, note: 'no cargo build output to take names from' };
  log('naming the WebAssembly functions (wasm-opt -g of the same build)');
  const dir = mkdtempSync(join(tmpdir(), 'pendo-bench-'));
  try {
    execFileSync('wasm-bindgen', ['--target', 'web', '--no-typescript', '--out-name', 'pendo_wasm', '--out-dir', dir, built]);
    const wasm = join(dir, 'pendo_wasm_bg.wasm');
    const wasmOpt = join(dirname(createRequire(join(root, 'package.json')).resolve('binaryen/package.json')), 'bin', 'wasm-opt');
    execFileSync(process.execPath, [wasmOpt, ...WASM_OPT_FLAGS, '-g', wasm, '-o', wasm]);
    execFileSync(process.execPath, [wasmOpt, ...MINIFY_NAMES_FLAGS, '-g', wasm, '-o', wasm]);
    const named = readFileSync(wasm);
    if (!sectionPayload(named, 10).equals(code)) return { names: null, note: 'the named build differs from js-shim/dist (run without --no-build)' };
    const names = nameSection(named);
    mkdirSync(dirname(cacheFile), { recursive: true });
    writeFileSync(cacheFile, JSON.stringify({ version: NAMES_VERSION, codeHash: hash, names }));
    return { names, note: 'built' };
  } catch (error) {
    log(`no function names: ${error.message}`);
    return { names: null, note: `could not build names: ${error.message}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function sectionPayload(bytes, wanted) {
  let offset = 8;
  while (offset < bytes.length) {
    const id = bytes[offset++];
    const [length, read] = leb(bytes, offset);
    offset += read;
    if (id === wanted) return bytes.subarray(offset, offset + length);
    offset += length;
  }
  return Buffer.alloc(0);
}

/** Function index → name, from the "name" custom section, without Rust's hashes. */
export function nameSection(bytes) {
  const names = {};
  let offset = 8;
  while (offset < bytes.length) {
    const id = bytes[offset++];
    const [length, read] = leb(bytes, offset);
    offset += read;
    const end = offset + length;
    if (id === 0) {
      const [nameLength, nameRead] = leb(bytes, offset);
      let at = offset + nameRead + nameLength;
      if (bytes.subarray(offset + nameRead, at).toString() === 'name') {
        while (at < end) {
          const sub = bytes[at++];
          const [subLength, subRead] = leb(bytes, at);
          at += subRead;
          const subEnd = at + subLength;
          if (sub === 1) {
            let [count, r] = leb(bytes, at);
            at += r;
            for (let i = 0; i < count; i++) {
              const [index, r1] = leb(bytes, at);
              at += r1;
              const [l, r2] = leb(bytes, at);
              at += r2;
              names[index] = bytes.subarray(at, at + l).toString().replace(/::h[0-9a-f]{16}$/, '').replace(/\[[0-9a-f]{16}\]/g, '');
              at += l;
            }
          }
          at = subEnd;
        }
      }
    }
    offset = end;
  }
  return names;
}

/** The imports of a WebAssembly module, in order: `{ module, name, kind }` (kind 0: a function). */
export function imports(bytes) {
  const section = sectionPayload(bytes, 2);
  let at = 0;
  const next = () => {
    const [value, read] = leb(section, at);
    at += read;
    return value;
  };
  const text = () => {
    const length = next();
    at += length;
    return section.subarray(at - length, at).toString('utf8');
  };
  const limits = () => {
    const flags = section[at++];
    next();
    if (flags & 1) next();
  };
  const out = [];
  for (let i = 0, count = section.length ? next() : 0; i < count; i++) {
    const module = text();
    const name = text();
    const kind = section[at++];
    if (kind === 0) next();
    else if (kind === 1) (at++, limits()); // a table: its reference type, then its limits
    else if (kind === 2) limits();
    else if (kind === 3) at += 2;
    else if (kind === 4) (at++, next());
    else throw new Error(`malformed .wasm: import kind ${kind}`);
    out.push({ module, name, kind });
  }
  return out;
}

/** Bytes of code per function, summed by Rust module, and the largest functions. */
export function codeByModule(bytes, names) {
  if (!names) return undefined;
  const importedFunctions = imports(bytes).filter(({ kind }) => kind === 0).length;
  const code = sectionPayload(bytes, 10);
  const [count, countRead] = leb(code, 0);
  let at = countRead;
  const byModule = new Map();
  const functions = [];
  for (let i = 0; i < count; i++) {
    const [length, read] = leb(code, at);
    at += read + length;
    const name = names[importedFunctions + i] ?? `function ${importedFunctions + i}`;
    functions.push({ name, bytes: length });
    byModule.set(crateOf(name), (byModule.get(crateOf(name)) ?? 0) + length);
  }
  return {
    byModule: [...byModule.entries()].sort((a, b) => b[1] - a[1]).slice(0, 15).map(([name, b]) => ({ name, bytes: b })),
    largest: functions.sort((a, b) => b.bytes - a.bytes).slice(0, 15),
  };
}

/**
 * The Rust module a function belongs to: `pendo_wasm::mapping::Expr<D>::evaluate` →
 * `pendo_wasm::mapping`, `pendo_core::trigger::parse` → `pendo_core::trigger`, `<f64 as core::fmt::Display>::fmt` → `core::fmt`, `hashbrown::raw::…`
 * → `hashbrown`. wasm-bindgen's export shims (which inline the exported function) stay apart.
 */
export function crateOf(name) {
  const clean = name.replace(/\[[0-9a-f]+\]/g, '');
  if (/^\S+ (externref|multivalue) shim/.test(clean)) return 'exports (wasm-bindgen shims)';
  const impl = clean.match(/^<(.+?) as (.+?)>::/);
  const subject = impl ? (impl[1].includes('::') ? impl[1] : impl[2]) : clean;
  const path = subject.replace(/^(&|mut |dyn |<)+/, '').split(/[<>]/)[0].split('::');
  return ['pendo_wasm', 'pendo_core', 'core', 'alloc', 'std'].includes(path[0]) && path.length > 2 ? path.slice(0, 2).join('::') : path[0];
}

/** Bytes per section of a WebAssembly module. */
export function sections(bytes) {
  const NAMES = ['custom', 'type', 'import', 'function', 'table', 'memory', 'global', 'export', 'start', 'element', 'code', 'data', 'data count', 'tag'];
  const out = {};
  let offset = 8;
  while (offset < bytes.length) {
    const id = bytes[offset++];
    const [length, read] = leb(bytes, offset);
    offset += read;
    let name = NAMES[id] ?? `section ${id}`;
    if (id === 0) {
      const [nameLength, nameRead] = leb(bytes, offset);
      name = `custom "${bytes.subarray(offset + nameRead, offset + nameRead + nameLength).toString()}"`;
    }
    out[name] = (out[name] ?? 0) + length;
    offset += length;
  }
  return out;
}

export function leb(bytes, offset) {
  let value = 0;
  let shift = 0;
  let read = 0;
  for (;;) {
    const byte = bytes[offset + read++];
    if (byte === undefined) throw new Error('malformed .wasm: a number runs past the end');
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if (byte < 0x80) return [value, read];
  }
}

/** `value` as an unsigned LEB128 number, the bytes of a WebAssembly module's sizes and counts. */
export function toLeb(value) {
  const out = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value) byte |= 0x80;
    out.push(byte);
  } while (value);
  return out;
}
