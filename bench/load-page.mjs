// The load page's harness. Each load page lives under its own path (/load/<n>/), and the
// package's files are served beside it, so every run fetches, compiles and instantiates the
// WebAssembly anew. The package's modules are imported before the clock starts; the clock
// covers the factory call (which fetches and instantiates the .wasm) up to every plugin's
// load() resolved with `pendo.initialize` called.
import { visitorAnalytics } from './workload.mjs';

const base = new URL('./', location.href).href;

function wasmTiming(t0) {
  const entry = performance.getEntriesByType('resource').find((e) => e.name.endsWith('.wasm'));
  return entry && { requestStart: entry.startTime - t0, responseEnd: entry.responseEnd - t0, bytes: entry.encodedBodySize };
}

function initializeQueued() {
  const queue = window.pendo && window.pendo._q;
  return Array.isArray(queue) && queue.some((entry) => entry[0] === 'initialize');
}

/** The figure: factory → every load() resolved and pendo.initialize called. */
async function load(settings) {
  const { default: pendoWebActions } = await import(`${base}index.js`);
  if ('pendo' in window) throw new Error('window.pendo exists before the factory is called');
  const analytics = visitorAnalytics();
  const t0 = performance.now();
  const plugins = await pendoWebActions(settings);
  await Promise.all(plugins.map((plugin) => plugin.load({}, analytics)));
  const ms = performance.now() - t0;
  return { ms, plugins: plugins.length, initialized: initializeQueued(), wasm: wasmTiming(t0) };
}

/** The same path in stages, through the wasm-bindgen module the factory uses. */
async function stages(settings) {
  const { default: init, PendoDestination } = await import(`${base}stages/pendo_wasm.js`);
  if ('pendo' in window) throw new Error('window.pendo exists before init');
  const analytics = visitorAnalytics();
  const t0 = performance.now();
  await init({ module_or_path: `${base}pendo_wasm_bg.wasm` });
  const t1 = performance.now();
  const destination = new PendoDestination(settings);
  const t2 = performance.now();
  destination.actions();
  const tActions = performance.now();
  destination.load(analytics);
  const t3 = performance.now();
  const wasm = wasmTiming(t0);
  // The same again, now that every function it runs has been compiled and run once.
  const t4 = performance.now();
  new PendoDestination(settings).actions();
  const constructAgain = performance.now() - t4;
  return {
    constructAgain,
    wasmResponseEnd: wasm ? wasm.responseEnd : null,
    init: t1 - t0,
    construct: t2 - t1,
    actions: tActions - t2,
    load: t3 - tActions,
    total: t3 - t0,
    initialized: initializeQueued(),
  };
}

window.bench = { load, stages };
window.benchReady = true;
