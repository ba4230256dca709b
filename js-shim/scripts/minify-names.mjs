// Shortens the names by which the .wasm and its wasm-bindgen glue know each other. wasm-bindgen
// names each import `__wbg_<name>_<16 hex digits>` in a module named after the glue's file
// (`./pendo_wasm_bg.js`, `./snippets/<crate>-<hash>/src/web/glue.js`), and each export after
// its Rust item; the names are in both files, and the hashes do not compress. `wasm-opt
// --minify-imports-and-exports-and-modules` renames them all to one or two letters in one
// module and prints the renaming, which is applied here to the glue: −1.1 KB gzip in the
// .wasm and −0.4 KB in index.js (measured on the default build). The memory keeps its name.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { imports, leb, toLeb } from '../../scripts/wasm-names.mjs';
import { MINIFY_NAMES_FLAGS } from './wasm-features.mjs';

const uleb = (value) => Buffer.from(toLeb(value));

/** `wasm` with its export named `from` renamed `to` (the export section rewritten). */
function renameExport(wasm, from, to) {
  let at = 8;
  while (at < wasm.length) {
    const start = at;
    const id = wasm[at++];
    const [length, read] = leb(wasm, at);
    const body = at + read;
    at = body + length;
    if (id !== 7) continue;
    const parts = [];
    let p = body;
    const [count, countRead] = leb(wasm, p);
    p += countRead;
    parts.push(uleb(count));
    for (let i = 0; i < count; i++) {
      const [nameLength, nameRead] = leb(wasm, p);
      const name = wasm.subarray(p + nameRead, p + nameRead + nameLength).toString('utf8');
      p += nameRead + nameLength;
      const kind = wasm[p++];
      const [index, indexRead] = leb(wasm, p);
      p += indexRead;
      const written = Buffer.from(name === from ? to : name, 'utf8');
      parts.push(uleb(written.length), written, Buffer.from([kind]), uleb(index));
    }
    const section = Buffer.concat(parts);
    return Buffer.concat([wasm.subarray(0, start), Buffer.from([7]), uleb(section.length), section, wasm.subarray(at)]);
  }
  throw new Error('the .wasm has no export section');
}

/**
 * Minifies the import and export names of `wasmFile` in place (with binaryen's `wasmOpt`) and
 * rewrites the glue `glueFile` to match.
 */
export function minifyNames({ wasmOpt, wasmFile, glueFile }) {
  const printed = execFileSync(process.execPath, [wasmOpt, ...MINIFY_NAMES_FLAGS, wasmFile, '-o', wasmFile], { encoding: 'utf8' });
  const renaming = JSON.parse(printed.slice(printed.indexOf('{')));
  // The memory keeps its usual name, which tools (and the tests' instance count) look for.
  const memory = renaming.exports.find(([name]) => name === 'memory');
  if (!memory) throw new Error(`${wasmFile} exports no memory`);
  writeFileSync(wasmFile, renameExport(readFileSync(wasmFile), memory[1], 'memory'));
  memory[1] = 'memory';
  const [module, ...others] = new Set(imports(readFileSync(wasmFile)).map(({ module }) => module));
  if (module === undefined || others.length) throw new Error(`expected the minified imports in one module, found ${[module, ...others].join(', ')}`);

  let glue = readFileSync(glueFile, 'utf8');
  // The imports object: `"<module>": importN,` per module, importN being the glue's own
  // functions (import0, defined in the file) or a snippet module's namespace.
  const returned = glue.match(/\n(\s*)return \{\n\s*__proto__: null,\n((?:\s*"[^"]+": import\d+,\n)+)\s*\};/);
  if (!returned) throw new Error(`${glueFile}: the imports object of wasm-bindgen's glue is not where it was`);
  const namespaces = new Map();
  for (const [, specifier, namespace] of returned[2].matchAll(/"([^"]+)": (import\d+),/g)) {
    if (!namespaces.has(specifier)) namespaces.set(specifier, namespace);
  }
  const own = namespaces.get('./pendo_wasm_bg.js');
  const entries = renaming.imports.map(([from, field, short]) => {
    const namespace = namespaces.get(from);
    if (namespace === undefined) throw new Error(`${glueFile}: no module ${from} for the import ${field}`);
    // The glue's own functions are renamed where they are defined, below.
    return namespace === own ? `${short}: ${own}.${short}` : `${short}: ${namespace}.${field}`;
  });
  const indent = returned[1];
  // Replaced through functions: minified names may hold `$`, which a replacement string reads
  // as a pattern (`$$`, `$&`).
  const importsObject = `\n${indent}return { __proto__: null, ${JSON.stringify(module)}: { __proto__: null, ${entries.join(', ')} } };`;
  glue = glue.replace(returned[0], () => importsObject);
  for (const [from, field, short] of renaming.imports) {
    if (from !== './pendo_wasm_bg.js') continue;
    const definition = new RegExp(`^(\\s*)${field}: function`, 'm');
    if (!definition.test(glue)) throw new Error(`${glueFile}: the import ${field} is not defined in the glue`);
    glue = glue.replace(definition, (_, space) => `${space}${short}: function`);
  }
  const exports = new Map(renaming.exports);
  glue = glue.replace(/\bwasm\.(\w+)/g, (whole, name) => {
    const short = exports.get(name);
    if (short === undefined) throw new Error(`${glueFile}: the glue uses wasm.${name}, which the .wasm does not export`);
    return `wasm.${short}`;
  });
  writeFileSync(glueFile, glue);
}
