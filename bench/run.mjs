// `npm run bench`: builds the release package, then measures in one headless Chromium session
// on 127.0.0.1 what the package costs a page: bytes downloaded, time to load, and time per
// event against Segment's own JavaScript implementation and against a bare `pendo.track`.
// Prints a table with PASS/FAIL against the budgets and writes it all as JSON under
// target/bench/. See bench/README.md.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { bundle, packageDist, root, serve } from '../scripts/local-server.mjs';
import { launch, openPage as open } from '../scripts/browser.mjs';
import { API_KEY, SIMPLE_SUBSCRIPTIONS, SUBSCRIPTIONS } from './workload.mjs';

const HELP = `usage: npm run bench [-- options]
  --no-build         measure js-shim/dist as it is (default: npm run build first)
  --simple-triggers  extras' triggers cut down to type = "..." (for a trigger language that
                     parses nothing else yet; the results say so)
  --loads N          fresh page loads for the load figure (default 30)
  --batches N        timed batches per action and implementation (default 10)
  --batch-size N     events per batch (default 10000)
  --no-profile       skip the CPU profile of our per-event path`;

const BUDGETS = {
  gzipBytes: { limit: 30_000, aim: 15_000 },
  loadMs: { limit: 15, aim: 10 },
  perEventRatio: { limit: 0.25, aim: 0.1 },
};
const TYPES = ['track', 'identify', 'group'];
const IMPLS = ['ours', 'reference', 'floor'];
const WARMUP_LOADS = 2;
const STAGE_LOADS = 10;
const POOL_SIZE = 1000;
const NAMES_VERSION = 2;
const REFUSED = /Pendo Web \(Actions\): subscription .* is disabled/;

const options = parseArgs(process.argv.slice(2));
process.chdir(root);
const startedAt = Date.now();
const log = (message) => process.stderr.write(`[bench ${((Date.now() - startedAt) / 1000).toFixed(1)}s] ${message}\n`);

// ---- build and size -----------------------------------------------------------------------

if (options.build) {
  log('npm run build');
  execFileSync('npm', ['run', 'build'], { stdio: ['ignore', process.stderr, process.stderr] });
}
const shipped = shippedFiles();
const size = measureSize(shipped);
const wasmBytes = readFileSync(join(packageDist, 'pendo_wasm_bg.wasm'));
const wasmSections = sections(wasmBytes);
const wasmNames = functionNames(wasmBytes);

// ---- server and browser -------------------------------------------------------------------

const subscriptions = options.simpleTriggers ? SIMPLE_SUBSCRIPTIONS : SUBSCRIPTIONS;
log('bundling the bench pages');
const eventsBundle = await bundle(join(root, 'bench', 'events-page.mjs'));
const harnessBundle = await bundle(join(root, 'bench', 'load-page.mjs'));
const distFiles = new Map(shipped.map((file) => [relative(packageDist, file), readFileSync(file)]));
// The stage timings call wasm-bindgen's own module (bundled into index.js in the package)
// from the build's intermediate output, with the package's optimized .wasm.
const glueDir = join(root, 'target', 'wasm-bindgen');
const stageFiles = new Map(
  listFiles(glueDir)
    .filter((file) => file.endsWith('.js'))
    .map((file) => [`stages/${relative(glueDir, file)}`, readFileSync(file)]),
);
const requested = new Map(); // load page number → dist files it fetched

const html = (script) =>
  `<!doctype html><html><head><meta charset="utf-8"><title>pendo-wasm bench</title><link rel="icon" href="data:,"><script type="module" src="${script}"></script></head><body></body></html>`;
const server = await serve({
  handle: (request, response, url) => {
    const path = url.pathname;
    const reply = (type, body) => {
      response.writeHead(200, {
        'content-type': type,
        'cache-control': 'no-store',
        // Cross-origin isolation gives performance.now() its finest resolution.
        'cross-origin-opener-policy': 'same-origin',
        'cross-origin-embedder-policy': 'require-corp',
        'cross-origin-resource-policy': 'same-origin',
      });
      response.end(body);
      return true;
    };
    const js = 'text/javascript; charset=utf-8';
    if (path === '/events/') return reply('text/html; charset=utf-8', html('/events.js'));
    if (path === '/events.js') return reply(js, eventsBundle);
    if (path === '/pendo_wasm_bg.wasm') return reply('application/wasm', wasmBytes);
    if (path === '/harness.js') return reply(js, harnessBundle);
    if (/^\/agent\/static\/[A-Za-z0-9-]+\/pendo\.js$/.test(path)) return reply(js, '');
    const load = path.match(/^\/load\/(\d+)\/(.*)$/);
    if (load) {
      const [, n, file] = load;
      if (file === '') return reply('text/html; charset=utf-8', html('/harness.js'));
      if (stageFiles.has(file)) return reply(js, stageFiles.get(file));
      if (distFiles.has(file)) {
        if (!requested.has(n)) requested.set(n, new Set());
        requested.get(n).add(file);
        // Each page gets bytes no earlier page had, so no compiled module can be reused.
        if (file.endsWith('.wasm')) return reply('application/wasm', uniqueWasm(distFiles.get(file), `load-${n}`));
        return reply(js, distFiles.get(file));
      }
    }
    response.writeHead(404, { 'content-type': 'text/plain' });
    response.end('not found');
    return true;
  },
});
const browser = await launch();
const environment = {
  date: new Date().toISOString(),
  commit: git(['rev-parse', '--short', 'HEAD']) + (git(['status', '--porcelain']) ? ' (with uncommitted changes)' : ''),
  chromium: browser.version(),
  node: process.version,
  cpus: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}`,
  // One-minute load averages: above the number of cores, other work competed for the CPU.
  loadAverage: { atStart: loadavg()[0] },
  triggers: options.simpleTriggers ? 'simple (type = "..." only)' : 'realistic',
  subscriptions: subscriptions.length,
};
const nonLocal = [];
const pagesOpened = []; // { path, pageErrors }, in order

// Each page gets a context of its own (its own storage and renderer). Requests are not
// intercepted, which would add a round trip through this process to every one of them: the
// browser's host-resolver rules keep everything on 127.0.0.1, and any other request is
// counted here and fails the run.
async function openPage(path) {
  const context = await browser.newContext();
  const { page, consoleMessages, pageErrors } = await open(context, `${server.origin}${path}`, {
    ready: 'benchReady',
    beforeLoad: (tab) => {
      tab.on('request', (request) => {
        const url = new URL(request.url());
        if (/^(https?|wss?):$/.test(url.protocol) && url.hostname !== '127.0.0.1') nonLocal.push(url.href);
      });
    },
  });
  pagesOpened.push({ path, pageErrors });
  /** The console so far, as `type: text`. */
  const messages = () => consoleMessages.map(({ type, text }) => `${type}: ${text}`);
  return { context, page, messages };
}

let results;
try {
  results = {
    environment,
    budgets: BUDGETS,
    size: { ...size, wasmSections, wasmCode: codeByModule(wasmBytes, wasmNames.names) },
    load: await measureLoad(),
    perEvent: await measurePerEvent(),
  };
} finally {
  await browser.close();
  await server.close();
}
environment.loadAverage.atEnd = loadavg()[0];
const pageErrors = pagesOpened.flatMap(({ path, pageErrors }) => pageErrors.map((message) => `${path}: ${message}`));
results.checks = { nonLocalRequests: nonLocal, pageErrors };
results.verdicts = verdicts(results);

mkdirSync(join(root, 'target', 'bench'), { recursive: true });
const json = `${JSON.stringify(results, null, 2)}\n`;
writeFileSync(join(root, 'target', 'bench', 'latest.json'), json);
writeFileSync(join(root, 'target', 'bench', `${environment.date.replace(/[:.]/g, '-')}.json`), json);
console.log(table(results));
console.log(`\nJSON: target/bench/latest.json  (whole run ${((Date.now() - startedAt) / 1000).toFixed(0)} s)`);
if (pageErrors.length || nonLocal.length) process.exitCode = 1;

// ---- load ---------------------------------------------------------------------------------

async function measureLoad() {
  const settings = { apiKey: API_KEY, cnameContentHost: server.origin, subscriptions };
  const runs = [];
  const problems = [];
  let refused = 0;
  log(`load: ${WARMUP_LOADS} warm-up + ${options.loads} fresh pages`);
  for (let i = 0; i < WARMUP_LOADS + options.loads; i++) {
    const { context, page, messages } = await openPage(`/load/${i}/`);
    const run = await page.evaluate((s) => window.bench.load(s), settings);
    if (!run.initialized) problems.push(`page ${i}: pendo.initialize was not called`);
    // Refused subscriptions are reported once, below; any other console error is a problem.
    const errors = messages().filter((m) => m.startsWith('error:'));
    refused = errors.filter((m) => REFUSED.test(m)).length;
    for (const m of errors.filter((m) => !REFUSED.test(m))) problems.push(`page ${i}: ${m}`);
    if (i >= WARMUP_LOADS) runs.push(run);
    await context.close();
  }
  log(`load stages: ${STAGE_LOADS} fresh pages`);
  const stageRuns = [];
  for (let i = 0; i < STAGE_LOADS; i++) {
    const n = WARMUP_LOADS + options.loads + i;
    const { context, page } = await openPage(`/load/${n}/`);
    stageRuns.push(await page.evaluate((s) => window.bench.stages(s), settings));
    await context.close();
  }
  // What a load page fetched of the package, against what the size figure counts.
  const fetched = [...new Set([...requested.values()].flatMap((files) => [...files]))].sort();
  const counted = [...distFiles.keys()].sort();
  return {
    runs: runs.length,
    ms: stats(runs.map((r) => r.ms)),
    wasmResponseEndMs: stats(runs.map((r) => r.wasm?.responseEnd ?? NaN)),
    plugins: runs[0]?.plugins,
    stages: {
      runs: stageRuns.length,
      wasmResponseEndMs: median(stageRuns.map((r) => r.wasmResponseEnd)),
      initMs: median(stageRuns.map((r) => r.init)),
      constructMs: median(stageRuns.map((r) => r.construct)),
      constructAgainMs: median(stageRuns.map((r) => r.constructAgain)),
      actionsMs: median(stageRuns.map((r) => r.actions)),
      loadMs: median(stageRuns.map((r) => r.load)),
      totalMs: median(stageRuns.map((r) => r.total)),
    },
    refusedSubscriptions: refused,
    filesFetched: fetched,
    filesNotCounted: fetched.filter((f) => !counted.includes(f)),
    filesCountedNotFetched: counted.filter((f) => !fetched.includes(f)),
    problems,
  };
}

// ---- per event ----------------------------------------------------------------------------

async function measurePerEvent() {
  const { context, page, messages } = await openPage('/events/');
  log('per event: setting up ours and the reference, checking they agree');
  const setup = await page.evaluate((s) => window.bench.setup(s), { subscriptions, poolSize: POOL_SIZE });
  const consoleBefore = messages().length;
  const times = Object.fromEntries(TYPES.map((t) => [t, Object.fromEntries(IMPLS.map((i) => [i, []]))]));
  const miscounts = [];
  const runBatch = async (impl, type) => {
    const result = await page.evaluate(([i, t, n]) => window.bench.batch(i, t, n), [impl, type, options.batchSize]);
    if (!result.ok) miscounts.push(`${impl} ${type}: ${result.made} stub entries, expected ${result.expected}`);
    return result.ms;
  };
  for (const type of TYPES) {
    log(`per event: ${type}, 1 warm-up + ${options.batches} batches × ${options.batchSize} events × ${IMPLS.length} implementations`);
    for (const impl of IMPLS) await runBatch(impl, type);
    for (let round = 0; round < options.batches; round++) {
      // Interleaved, in a rotating order, so drift in the machine's speed hits all alike.
      for (let k = 0; k < IMPLS.length; k++) {
        const impl = IMPLS[(round + k) % IMPLS.length];
        times[type][impl].push(await runBatch(impl, type));
      }
    }
  }
  const consoleDuringBatches = messages().slice(consoleBefore);
  const profile = options.profile ? await profileOurs(context, page) : undefined;
  await context.close();

  const perAction = {};
  for (const type of TYPES) {
    const ns = Object.fromEntries(IMPLS.map((impl) => [impl, stats(times[type][impl].map((ms) => (ms * 1e6) / options.batchSize))]));
    perAction[type] = {
      ns,
      oursOverReference: ns.ours.median / ns.reference.median,
      oursOverFloor: ns.ours.median / ns.floor.median,
      referenceOverFloor: ns.reference.median / ns.floor.median,
    };
  }
  const valid = setup.refusedByOurs.length === 0 && setup.refusedByReference.length === 0 && setup.problems.length === 0 && miscounts.length === 0;
  return {
    crossOriginIsolated: setup.crossOriginIsolated,
    batches: options.batches,
    batchSize: options.batchSize,
    distinctEventsPerType: POOL_SIZE,
    plugins: setup.plugins,
    valid,
    refusedByOurs: setup.refusedByOurs,
    refusedByReference: setup.refusedByReference,
    problems: [...setup.problems, ...[...new Set(miscounts)]],
    consoleDuringBatches: consoleDuringBatches.slice(0, 20),
    perAction,
    profile,
    wasmNames: wasmNames.note,
  };
}

/** A CPU profile of one batch of ours per action, as self time by where the code lives. */
async function profileOurs(context, page) {
  log('per event: CPU profile of ours');
  const cdp = await context.newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 50 });
  const modules = bundleModules(eventsBundle);
  const out = {};
  for (const type of TYPES) {
    await cdp.send('Profiler.start');
    await page.evaluate(([t, n]) => window.bench.batch('ours', t, n), [type, options.batchSize]);
    const { profile } = await cdp.send('Profiler.stop');
    out[type] = summarizeProfile(profile, modules);
  }
  await cdp.detach();
  return out;
}

function summarizeProfile(profile, modules) {
  const self = new Map(profile.nodes.map((node) => [node.id, 0]));
  for (let i = 0; i < profile.samples.length; i++) {
    self.set(profile.samples[i], self.get(profile.samples[i]) + (profile.timeDeltas[i + 1] ?? 0));
  }
  const byPlace = new Map();
  const byFunction = new Map();
  const byCrate = new Map();
  let total = 0;
  for (const node of profile.nodes) {
    const us = self.get(node.id);
    const { functionName, url, lineNumber } = node.callFrame;
    if (!us || functionName === '(idle)' || functionName === '(root)') continue;
    let place;
    let name = functionName || '(anonymous)';
    if (url.startsWith('wasm://') || url.endsWith('.wasm')) {
      place = 'WebAssembly';
      const index = name.match(/^(?:wasm-function\[|\$func)(\d+)\]?$/)?.[1];
      const known = index !== undefined && wasmNames.names?.[index];
      if (known) {
        name = known;
        byCrate.set(crateOf(known), (byCrate.get(crateOf(known)) ?? 0) + us);
      }
    }
    else if (functionName === '(garbage collector)') place = 'garbage collection';
    else if (functionName === '(program)') place = 'browser (program)';
    else if (url.endsWith('/events.js')) place = moduleAt(modules, lineNumber);
    else if (!url) place = 'V8 builtins / native';
    else place = url;
    if (place === 'bench/events-page.mjs' && functionName === 'evaluate') continue;
    total += us;
    byPlace.set(place, (byPlace.get(place) ?? 0) + us);
    const key = `${name} — ${place}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
  }
  const share = (map, limit) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([name, us]) => ({ name, share: us / total }));
  return {
    sampledMs: total / 1000,
    byPlace: share(byPlace, 12),
    webAssemblyByModule: share(byCrate, 12),
    topFunctions: share(byFunction, 15),
  };
}

/**
 * The Rust module a function belongs to: `pendo_wasm::mapping::Expr<D>::evaluate` →
 * `pendo_wasm::mapping`, `<f64 as core::fmt::Display>::fmt` → `core::fmt`, `hashbrown::raw::…`
 * → `hashbrown`. wasm-bindgen's export shims (which inline the exported function) stay apart.
 */
function crateOf(name) {
  const clean = name.replace(/\[[0-9a-f]+\]/g, '');
  if (/^\S+ (externref|multivalue) shim/.test(clean)) return 'exports (wasm-bindgen shims)';
  const impl = clean.match(/^<(.+?) as (.+?)>::/);
  const subject = impl ? (impl[1].includes('::') ? impl[1] : impl[2]) : clean;
  const path = subject.replace(/^(&|mut |dyn |<)+/, '').split(/[<>]/)[0].split('::');
  return ['pendo_wasm', 'core', 'alloc', 'std'].includes(path[0]) && path.length > 2 ? path.slice(0, 2).join('::') : path[0];
}

/** Line ranges of the source modules in an esbuild bundle, from its `// path` comments. */
function bundleModules(code) {
  const starts = [];
  code.split('\n').forEach((line, index) => {
    const match = line.match(/^\/\/ ((?:js-shim|bench|node_modules)\/\S+)$/);
    if (match) starts.push({ line: index, module: match[1] });
  });
  return starts;
}

function moduleAt(modules, line) {
  let found = 'bundle';
  for (const m of modules) if (m.line <= line) found = m.module;
  return found.replace(/^js-shim\/dist\/snippets\/[^/]+\//, 'js-shim/dist/snippets/…/');
}

// ---- names of the WebAssembly functions, for the profile and the size ----------------------

/**
 * The shipped .wasm has no names. For the profile and the size, the same build is optimized once more
 * keeping them (wasm-opt -g): when its code section is byte for byte the shipped one, function
 * index N is the same function in both. Cached by the code section's hash.
 */
function functionNames(shippedWasm) {
  const code = sectionPayload(shippedWasm, 10);
  const hash = createHash('sha256').update(code).digest('hex');
  const cacheFile = join(root, 'target', 'bench', 'wasm-names.json');
  if (existsSync(cacheFile)) {
    const cached = JSON.parse(readFileSync(cacheFile, 'utf8'));
    if (cached.codeHash === hash && cached.version === NAMES_VERSION) return { names: cached.names, note: 'cached' };
  }
  const built = join(root, 'target', 'wasm32-unknown-unknown', 'release', 'pendo_wasm.wasm');
  if (!existsSync(built)) return { names: null, note: 'no cargo build output to take names from' };
  log('naming the WebAssembly functions (wasm-opt -g of the same build)');
  const dir = mkdtempSync(join(tmpdir(), 'pendo-bench-'));
  try {
    execFileSync('wasm-bindgen', ['--target', 'web', '--no-typescript', '--out-name', 'pendo_wasm', '--out-dir', dir, built]);
    const wasm = join(dir, 'pendo_wasm_bg.wasm');
    // The flags of js-shim/scripts/build.mjs, plus -g. Should they drift apart, the code
    // sections differ and the profile just goes without names.
    const wasmOpt = join(dirname(createRequire(join(root, 'package.json')).resolve('binaryen/package.json')), 'bin', 'wasm-opt');
    const features = ['bulk-memory', 'nontrapping-float-to-int', 'sign-ext', 'mutable-globals', 'reference-types', 'multivalue'];
    execFileSync(process.execPath, [wasmOpt, '-Oz', '-g', ...features.map((f) => `--enable-${f}`), wasm, '-o', wasm]);
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

/** The sections of a WebAssembly module, in order: `{ id, start, end }`, the bounds of each one's bytes. */
function* wasmSections(bytes) {
  let offset = 8;
  while (offset < bytes.length) {
    const id = bytes[offset++];
    const [length, read] = leb(bytes, offset);
    const start = offset + read;
    offset = start + length;
    yield { id, start, end: offset };
  }
}

/** A custom section's name, and where its content starts. */
function customName(bytes, start) {
  const [length, read] = leb(bytes, start);
  const at = start + read + length;
  return [bytes.subarray(start + read, at).toString(), at];
}

function sectionPayload(bytes, wanted) {
  for (const { id, start, end } of wasmSections(bytes)) if (id === wanted) return bytes.subarray(start, end);
  return Buffer.alloc(0);
}

/** Function index → name, from the "name" custom section, without Rust's hashes. */
function nameSection(bytes) {
  const names = {};
  for (const { id, start, end } of wasmSections(bytes)) {
    if (id === 0) {
      let [name, at] = customName(bytes, start);
      if (name === 'name') {
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
  }
  return names;
}

/** Bytes of code per function, summed by Rust module, and the largest functions. */
function codeByModule(bytes, names) {
  if (!names) return undefined;
  const imports = sectionPayload(bytes, 2);
  let at = 0;
  const next = () => {
    const [value, read] = leb(imports, at);
    at += read;
    return value;
  };
  const skipName = () => {
    const length = next();
    at += length;
  };
  let importedFunctions = 0;
  for (let i = 0, count = next(); i < count; i++) {
    skipName();
    skipName();
    const kind = imports[at++];
    if (kind === 0) (next(), importedFunctions++);
    else if (kind === 1 || kind === 2) {
      if (kind === 1) at++; // reference type
      const flags = imports[at++];
      next();
      if (flags & 1) next();
    } else if (kind === 3) at += 2;
    else if (kind === 4) (at++, next());
  }
  const code = sectionPayload(bytes, 10);
  const [count, countRead] = leb(code, 0);
  at = countRead;
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

// ---- size ---------------------------------------------------------------------------------

/** Every file below `dir`. */
function listFiles(dir) {
  const files = [];
  const walk = (at) => {
    for (const entry of readdirSync(at)) {
      const path = join(at, entry);
      if (statSync(path).isDirectory()) walk(path);
      else files.push(path);
    }
  };
  walk(dir);
  return files.sort();
}

/**
 * What a browser downloads of dist/: the .wasm and the ES module. The script build
 * (`*.global.js`) is the other way to load the same thing, never downloaded beside it; the
 * JavaScript build of the module (`*_fallback.js`) is fetched only where WebAssembly is missing.
 */
function shippedFiles() {
  const files = listFiles(packageDist).filter(
    (file) => /\.(js|wasm)$/.test(file) && !file.endsWith('.global.js') && !file.endsWith('_fallback.js'),
  );
  if (!files.some((f) => f.endsWith('.wasm'))) throw new Error('js-shim/dist has no .wasm: run without --no-build');
  return files;
}

function measureSize(files) {
  const entries = files.map((file) => {
    const raw = readFileSync(file);
    return { file: relative(packageDist, file), raw: raw.length, gzip: gzipSync(raw, { level: 9 }).length };
  });
  return {
    files: entries,
    raw: entries.reduce((sum, e) => sum + e.raw, 0),
    gzip: entries.reduce((sum, e) => sum + e.gzip, 0),
  };
}

/** Bytes per section of a WebAssembly module. */
function sections(bytes) {
  const NAMES = ['custom', 'type', 'import', 'function', 'table', 'memory', 'global', 'export', 'start', 'element', 'code', 'data', 'data count', 'tag'];
  const out = {};
  for (const { id, start, end } of wasmSections(bytes)) {
    const name = id === 0 ? `custom "${customName(bytes, start)[0]}"` : (NAMES[id] ?? `section ${id}`);
    out[name] = (out[name] ?? 0) + end - start;
  }
  return out;
}

function leb(bytes, offset) {
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

function toLeb(value) {
  const out = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value) byte |= 0x80;
    out.push(byte);
  } while (value);
  return out;
}

/** The module with a custom section naming `tag` right after the header: same code, new bytes. */
function uniqueWasm(bytes, tag) {
  const name = Buffer.from('bench');
  const body = Buffer.concat([Buffer.from(toLeb(name.length)), name, Buffer.from(tag)]);
  const section = Buffer.concat([Buffer.from([0, ...toLeb(body.length)]), body]);
  return Buffer.concat([bytes.subarray(0, 8), section, bytes.subarray(8)]);
}

// ---- verdicts and table ---------------------------------------------------------------------

function verdict(value, { limit, aim }) {
  if (!Number.isFinite(value)) return 'FAIL (no figure)';
  return value <= limit ? (value <= aim ? 'PASS (aim met)' : 'PASS') : 'FAIL';
}

function verdicts(r) {
  const out = {
    size: verdict(r.size.gzip, BUDGETS.gzipBytes),
    load: r.load.problems.length
      ? 'FAIL (see problems)'
      : r.load.refusedSubscriptions
        ? 'INVALID (subscriptions refused)'
        : verdict(r.load.ms.median, BUDGETS.loadMs),
  };
  for (const type of TYPES) {
    out[type] = r.perEvent.valid ? verdict(r.perEvent.perAction[type].oursOverReference, BUDGETS.perEventRatio) : 'INVALID (see problems)';
  }
  return out;
}

function table(r) {
  const n = (value, digits = 0) => (Number.isFinite(value) ? value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : '—');
  const pad = (text, width) => String(text).padStart(width);
  const padEnd = (text, width) => String(text).padEnd(width);
  const lines = [];
  const e = r.environment;
  lines.push(`pendo-wasm benchmark — commit ${e.commit}, Chromium ${e.chromium}, ${e.cpus}`);
  const busiest = Math.max(e.loadAverage.atStart, e.loadAverage.atEnd);
  if (busiest > cpus().length) {
    lines.push(`! the machine was busy (load average up to ${busiest.toFixed(1)} on ${cpus().length} cores): absolute times are inflated; ratios measured side by side in one page suffer less`);
  }
  lines.push(`${e.subscriptions} subscriptions (3 presets + ${e.subscriptions - 3} that never match), ${e.triggers} triggers`);

  lines.push('', 'SIZE  what a browser downloads of js-shim/dist (1 KB = 1,000 bytes)');
  const fileWidth = Math.max(...r.size.files.map((f) => f.file.length), 10);
  lines.push(`  ${padEnd('file', fileWidth)}  ${pad('raw', 9)}  ${pad('gzip -9', 9)}`);
  for (const f of r.size.files) lines.push(`  ${padEnd(f.file, fileWidth)}  ${pad(n(f.raw), 9)}  ${pad(n(f.gzip), 9)}`);
  lines.push(`  ${padEnd('total', fileWidth)}  ${pad(n(r.size.raw), 9)}  ${pad(n(r.size.gzip), 9)}   budget 30 KB gzip (aim 15 KB)   ${r.verdicts.size}`);
  const sec = r.size.wasmSections;
  lines.push(`  .wasm sections: code ${n(sec.code)} B, data ${n(sec.data ?? 0)} B, other ${n(Object.values(sec).reduce((a, b) => a + b, 0) - (sec.code ?? 0) - (sec.data ?? 0))} B`);
  if (r.size.wasmCode) {
    lines.push(`  .wasm code by module: ${r.size.wasmCode.byModule.slice(0, 8).map((m) => `${m.name} ${n(m.bytes)}`).join(', ')}`);
    lines.push(`  largest functions: ${r.size.wasmCode.largest.slice(0, 4).map((f) => `${f.name} ${n(f.bytes)}`).join('; ')}`);
  }

  const l = r.load;
  lines.push('', `LOAD  factory call → every load() resolved, pendo.initialize called; ${l.runs} fresh pages, no cache`);
  lines.push(`  median ${n(l.ms.median, 2)} ms  (p10 ${n(l.ms.p10, 2)}, p90 ${n(l.ms.p90, 2)}, min ${n(l.ms.min, 2)}, max ${n(l.ms.max, 2)})   budget 15 ms (aim 10 ms)   ${r.verdicts.load}`);
  const s = l.stages;
  lines.push(`  stages (median of ${s.runs}): .wasm received ${n(s.wasmResponseEndMs, 2)} ms after start; init() ${n(s.initMs, 2)} ms; new PendoDestination ${n(s.constructMs, 2)} ms (a second one: ${n(s.constructAgainMs, 2)} ms); actions() ${n(s.actionsMs, 2)} ms; load() ${n(s.loadMs, 2)} ms`);
  if (l.filesNotCounted.length || l.filesCountedNotFetched.length) {
    lines.push(`  ! fetched but not counted in SIZE: ${l.filesNotCounted.join(', ') || 'none'}; counted but not fetched: ${l.filesCountedNotFetched.join(', ') || 'none'}`);
  }
  if (l.refusedSubscriptions) lines.push(`  ! ours refused ${l.refusedSubscriptions} subscription(s) (see PER EVENT), so it parsed less than a real workspace needs`);
  for (const p of l.problems) lines.push(`  ! ${p}`);

  const p = r.perEvent;
  lines.push('', `PER EVENT  ns per event through all ${p.plugins.ours.length} plugins; median of ${p.batches} batches × ${n(p.batchSize)} events`);
  lines.push(`  ${padEnd('action', 9)}${pad('ours', 10)}${pad('reference', 12)}${pad('floor', 9)}${pad('ours/ref', 11)}${pad('ours/floor', 12)}${pad('ref/floor', 11)}   budget ours/ref ≤ 0.25 (aim 0.10)`);
  for (const type of TYPES) {
    const a = p.perAction[type];
    lines.push(
      `  ${padEnd(type, 9)}${pad(n(a.ns.ours.median), 10)}${pad(n(a.ns.reference.median), 12)}${pad(n(a.ns.floor.median), 9)}${pad(n(a.oursOverReference, 3), 11)}${pad(n(a.oursOverFloor, 1), 12)}${pad(n(a.referenceOverFloor, 1), 11)}   ${r.verdicts[type]}`,
    );
  }
  lines.push(`  spread (p10–p90 ns): ${TYPES.map((t) => `${t} ours ${n(p.perAction[t].ns.ours.p10)}–${n(p.perAction[t].ns.ours.p90)}, ref ${n(p.perAction[t].ns.reference.p10)}–${n(p.perAction[t].ns.reference.p90)}`).join('; ')}`);
  if (p.refusedByOurs.length) lines.push(`  ! ours refused ${p.refusedByOurs.length} subscription(s), so it evaluated fewer than the reference: figures not comparable`, ...p.refusedByOurs.map((m) => `    ${m}`));
  for (const m of p.refusedByReference) lines.push(`  ! the reference refused: ${m}`);
  for (const m of p.problems) lines.push(`  ! ${m}`);
  if (p.consoleDuringBatches.length) lines.push(`  ! console output during the batches: ${p.consoleDuringBatches.slice(0, 3).join(' | ')}`);
  if (p.profile) {
    lines.push('', 'WHERE OURS SPENDS ITS TIME  (CPU profile of one batch per action, self time)');
    for (const type of TYPES) {
      const prof = p.profile[type];
      const pct = (x) => `${x.name} ${(x.share * 100).toFixed(0)}%`;
      lines.push(`  ${type}: ${prof.byPlace.slice(0, 6).map(pct).join(', ')}`);
      if (prof.webAssemblyByModule.length) lines.push(`    WebAssembly by module: ${prof.webAssemblyByModule.slice(0, 6).map(pct).join(', ')}`);
      lines.push(`    top: ${prof.topFunctions.slice(0, 5).map(pct).join('; ')}`);
    }
  }
  if (r.checks.nonLocalRequests.length) lines.push(`  ! requests that left 127.0.0.1: ${r.checks.nonLocalRequests.slice(0, 3).join(', ')}`);
  for (const m of r.checks.pageErrors) lines.push(`  ! page error: ${m}`);
  return lines.join('\n');
}

// ---- helpers ------------------------------------------------------------------------------

function median(values) {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (!sorted.length) return NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function quantile(values, q) {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (!sorted.length) return NaN;
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  return sorted[lo] + (sorted[Math.min(lo + 1, sorted.length - 1)] - sorted[lo]) * (at - lo);
}

function stats(values) {
  return { median: median(values), p10: quantile(values, 0.1), p90: quantile(values, 0.9), min: quantile(values, 0), max: quantile(values, 1), samples: values };
}

function git(args) {
  try {
    return execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

function parseArgs(args) {
  const out = { build: true, simpleTriggers: false, profile: true, loads: 30, batches: 10, batchSize: 10_000 };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const number = () => {
      const value = Number(args[++i]);
      if (!Number.isInteger(value) || value < 1) throw new Error(`${arg} needs a positive whole number`);
      return value;
    };
    if (arg === '--no-build') out.build = false;
    else if (arg === '--simple-triggers') out.simpleTriggers = true;
    else if (arg === '--no-profile') out.profile = false;
    else if (arg === '--loads') out.loads = number();
    else if (arg === '--batches') out.batches = number();
    else if (arg === '--batch-size') out.batchSize = number();
    else {
      console.log(HELP);
      process.exit(arg === '--help' || arg === '-h' ? 0 : 2);
    }
  }
  return out;
}
