// Builds the package into dist/: the crate to WebAssembly (release) twice, the default build
// and the full build with every mapping directive and the RudderStack entry (features
// `all-directives` and `rudderstack`), each with its JS glue from wasm-bindgen and
// `wasm-opt -Oz --converge`; then with esbuild one minified ES module (the factory), one script
// build (the global for remote loading), the RudderStack entry and the full build's module;
// and the JavaScript build of the crate for pages without WebAssembly
// (js-shim/scripts/fallback.mjs).
import { execFileSync } from 'node:child_process';
import { buildFallback } from './fallback.mjs';
import { minifyNames } from './minify-names.mjs';
import { snipPanicCode } from './snip.mjs';
import { SNIPPED_DEFAULT_BUILD, WASM_OPT_FLAGS } from './wasm-features.mjs';
import { copyFileSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const shim = dirname(dirname(fileURLToPath(import.meta.url)));
const crate = dirname(shim);
const dist = join(shim, 'dist');
const glue = join(crate, 'target', 'wasm-bindgen');
const require = createRequire(join(crate, 'package.json'));
const run = (command, args) => execFileSync(command, args, { cwd: crate, stdio: 'inherit' });

// Panic messages carry the source path of the code that panics; for the standard library and
// other crates that is a path on the build machine. Shorten them: it saves bytes, and the
// package does not depend on where it was built.
const sysroot = execFileSync('rustc', ['--print', 'sysroot'], { encoding: 'utf8' }).trim();
const cargoHome = process.env.CARGO_HOME || join(homedir(), '.cargo');
const remap = [
  `--remap-path-prefix=${join(sysroot, 'lib', 'rustlib', 'src', 'rust')}=rust`,
  `--remap-path-prefix=${join(cargoHome, 'registry', 'src')}=crates`,
];
const rustflags = [process.env.RUSTFLAGS, ...remap].filter(Boolean).join(' ');
const wasmOpt = join(dirname(require.resolve('binaryen/package.json')), 'bin', 'wasm-opt');

/**
 * Builds the crate without the standard library (see Cargo.toml) with `features`, its
 * wasm-bindgen glue into `glueDir`, and the optimized .wasm as `wasmOut`.
 */
function buildWasm(features, glueDir, wasmOut) {
  const featureArgs = features.length ? ['--features', features.join(',')] : [];
  execFileSync('cargo', ['build', '--release', '--lib', '--no-default-features', ...featureArgs, '--target', 'wasm32-unknown-unknown'], {
    cwd: crate,
    stdio: 'inherit',
    env: { ...process.env, RUSTFLAGS: rustflags },
  });
  rmSync(glueDir, { recursive: true, force: true });
  let built = join(crate, 'target', 'wasm32-unknown-unknown', 'release', 'pendo_wasm.wasm');
  // The default build formats nothing, so its panic code can go (snip.mjs); the full build
  // formats its messages.
  if (features.length === 0) {
    snipPanicCode(built, SNIPPED_DEFAULT_BUILD);
    built = SNIPPED_DEFAULT_BUILD;
  }
  // Every browser that runs these builds (reference types, multi-value: wasm-features.mjs) has
  // TextEncoder's encodeInto, so the glue leaves out its stand-in (-42 bytes gzip on index.js).
  run('wasm-bindgen', ['--target', 'web', '--no-typescript', '--encode-into', 'always', '--out-name', 'pendo_wasm', '--out-dir', glueDir, built]);
  run(process.execPath, [wasmOpt, ...WASM_OPT_FLAGS, join(glueDir, 'pendo_wasm_bg.wasm'), '-o', wasmOut]);
  minifyNames({ wasmOpt, wasmFile: wasmOut, glueFile: join(glueDir, 'pendo_wasm.js') });
  // The glue now goes with the minified .wasm only: keep that one beside it.
  copyFileSync(wasmOut, join(glueDir, 'pendo_wasm_bg.wasm'));
}

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });
// The full build first, so that the cargo output left in target/ is the default build's (the
// benchmark names its functions from it).
const fullGlue = join(crate, 'target', 'wasm-bindgen-full');
buildWasm(['all-directives', 'rudderstack'], fullGlue, join(dist, 'pendo_wasm_full_bg.wasm'));
buildWasm([], glue, join(dist, 'pendo_wasm_bg.wasm'));

const esbuild = require('esbuild');

// wasm-bindgen's glue imports its snippet modules (src/web/glue.js, and src/web/explain.js in
// the full build) as a namespace once per function the .wasm takes from each directly.
// Bundled, a namespace becomes an object filled by esbuild's export helper, whose
// `for (name in ...)` also walks keys a polluted page added to Object.prototype and then
// throws: the package would not load on such a page. So the namespace imports become one
// import of the names the .wasm takes, gathered in an object without a prototype. Where the
// imports object still names a module once per import (the JavaScript build; minify-names.mjs
// rewrites the others), the first of the repeated keys is kept, so that bundlers re-bundling
// the output see no duplicate keys (esbuild warns about each one).
// The same plugin drops the glue's warning for a call of its init function with a bare module
// or URL: the loaders here always pass an object or nothing, so it is text no page can see
// (-52 bytes gzip on index.js).
// A line of wasm-bindgen's imports object that hands a module's namespace over whole.
const WHOLE_NAMESPACE = /^\s*("[^"]+"): import\d+,?$/m;
// wasm-bindgen's warning for the init functions called the old way.
const OLD_STYLE_INIT_WARNING = /^\s*console\.warn\('using deprecated parameters for [^']*; pass a single object instead'\);?$/;
const glueExports = (file) =>
  [...readFileSync(file, 'utf8').matchAll(/^export (?:async )?function (\w+)/gm)].map(([, name]) => name);
const safeGlueImports = {
  name: 'safe-glue-imports',
  setup(build) {
    build.onLoad({ filter: /[\\/]pendo_wasm\.js$/ }, ({ path }) => {
      const seen = new Set();
      // The first namespace name of each snippet module (glue.js; explain.js in the full build).
      const namespaces = new Map();
      const source = readFileSync(path, 'utf8');
      const lines = source.split('\n').flatMap((line) => {
        const star = line.match(/^import \* as (\w+) from ("([^"]+(glue|explain)\.js)");?$/);
        if (star) {
          const [, name, specifier, relative, module] = star;
          if (namespaces.has(specifier)) return [`const ${name} = ${namespaces.get(specifier)};`];
          namespaces.set(specifier, name);
          const exported = glueExports(join(dirname(path), relative));
          if (exported.length === 0) throw new Error(`no exported functions found in ${relative}`);
          // Where the imports object names the functions the .wasm takes from the module
          // (`importN.name`, after minify-names.mjs), only those; where it hands over whole
          // namespaces (the JavaScript build's glue), all.
          const used = new Set([...source.matchAll(/\bimport\d+\.(\w+)/g)].map(([, name]) => name));
          const names = WHOLE_NAMESPACE.test(source) ? exported : exported.filter((name) => used.has(name));
          return [
            `import { ${names.map((n) => `${n} as ${module}_${n}`).join(', ')} } from ${specifier};`,
            `const ${name} = { __proto__: null, ${names.map((n) => `${n}: ${module}_${n}`).join(', ')} };`,
          ];
        }
        if (/^import \* as /.test(line)) throw new Error(`unexpected namespace import in the wasm-bindgen glue: ${line}`);
        if (OLD_STYLE_INIT_WARNING.test(line)) return [];
        const key = line.match(WHOLE_NAMESPACE)?.[1];
        if (key === undefined) return [line];
        if (seen.has(key)) return [];
        seen.add(key);
        return [line];
      });
      return { contents: lines.join('\n'), loader: 'js' };
    });
  },
};

const { version } = JSON.parse(readFileSync(join(shim, 'package.json'), 'utf8'));
const common = {
  bundle: true,
  // The plugins' `version` (js-shim/src/factory.js).
  define: { PENDO_WASM_VERSION: JSON.stringify(version) },
  minify: true,
  target: 'es2020',
  legalComments: 'none',
  logLevel: 'warning',
  plugins: [safeGlueImports],
};
await esbuild.build({ ...common, entryPoints: [join(shim, 'src', 'index.js')], format: 'esm', outfile: join(dist, 'index.js') });
// The RudderStack entry (`pendo-wasm/rudderstack`): it loads the full build, which has the
// RudderStack presets, and nothing of the default build.
await esbuild.build({ ...common, entryPoints: [join(shim, 'src', 'rudderstack.js')], format: 'esm', outfile: join(dist, 'rudderstack.js') });
await esbuild.build({
  ...common,
  entryPoints: [join(shim, 'src', 'global.js')],
  format: 'iife',
  outfile: join(dist, 'pendo-web-actions.global.js'),
  // The script build always passes the .wasm's URL, so the glue's import.meta default is unused.
  logOverride: { 'empty-import-meta': 'silent' },
});
// The full build: its own glue and .wasm, which the loader imports only for a workspace that
// needs it (js-shim/src/loader.js); the .wasm's URL comes from the loader, so that bundlers
// that copy the files under other names still find it.
const fullEntry = join(fullGlue, 'entry.js');
writeFileSync(
  fullEntry,
  `import init, { PendoDestination } from './pendo_wasm.js';
export default async function instantiate(wasmUrl) {
  await init({ module_or_path: wasmUrl });
  return { PendoDestination };
}
`,
);
await esbuild.build({ ...common, entryPoints: [fullEntry], format: 'esm', outfile: join(dist, 'pendo_wasm_full.js') });
// The loader's `import(url)` of the full build or the JavaScript build is the browser's to
// resolve, not a bundler's (webpack would make it a module of its own, which fails): mark it,
// as esbuild does not keep comments.
for (const file of ['index.js', 'pendo-web-actions.global.js', 'rudderstack.js']) {
  const path = join(dist, file);
  const code = readFileSync(path, 'utf8');
  const imports = code.split('import(').length - 1;
  if (imports !== 1) throw new Error(`${file} should have one import(), the loader's; it has ${imports}`);
  writeFileSync(path, code.replace('import(', 'import(/*webpackIgnore:true*//*@vite-ignore*/'));
}
copyFileSync(join(shim, 'src', 'index.d.ts'), join(dist, 'index.d.ts'));
copyFileSync(join(shim, 'src', 'rudderstack.d.ts'), join(dist, 'rudderstack.d.ts'));
await buildFallback({ crate, dist, rustflags, esbuildOptions: common });

// The check that the namespace imports are gone: no export helper walks inherited keys.
for (const file of ['index.js', 'pendo-web-actions.global.js', 'rudderstack.js', 'pendo_wasm_full.js', 'pendo_wasm_fallback.js']) {
  if (/for\s*\(\s*var \w+ in /.test(readFileSync(join(dist, file), 'utf8'))) {
    throw new Error(`${file} walks inherited keys with for...in: it would not load on a page with a polluted Object.prototype`);
  }
}
for (const file of ['pendo_wasm_bg.wasm', 'index.js', 'pendo-web-actions.global.js', 'rudderstack.js', 'pendo_wasm_full_bg.wasm', 'pendo_wasm_full.js', 'pendo_wasm_fallback.js']) {
  console.log(`${file}: ${statSync(join(dist, file)).size} bytes`);
}
