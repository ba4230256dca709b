// The load page's harness. Each load page lives under its own path (/load/<n>/), with the
// package's files and the reference's bundle served beside it (no-store, bytes no earlier page
// had), so every run fetches, compiles and instantiates anew. One load per page.
import { visitorAnalytics } from './workload.mjs';

const base = new URL('./', location.href).href;
const ENTRY = { ours: 'index.js', reference: 'reference.js' };

function wasmTiming(t0) {
  const entry = performance.getEntriesByType('resource').find((e) => e.name.endsWith('.wasm'));
  return entry && { requestStart: entry.startTime - t0, responseEnd: entry.responseEnd - t0, bytes: entry.encodedBodySize };
}

/**
 * What analytics.js has done to the page's storage before it calls a destination's factory:
 * read its stored user and group from localStorage and the cookies. A browser opens a page's
 * localStorage on first use (0.5–2 ms here); in a page with analytics.js that is paid
 * before any destination loads, so neither implementation pays it on the clock.
 */
function openStorageAsAnalyticsJsHas() {
  try {
    localStorage.getItem('ajs_user_id');
    void document.cookie;
  } catch (_) {}
}

function initializeQueued() {
  const queue = window.pendo && window.pendo._q;
  return Array.isArray(queue) && queue.some((entry) => entry[0] === 'initialize');
}

/**
 * The figure, for `impl` (ours or the reference): from importing its module (fetching,
 * parsing and running it) through the factory call (ours: fetching, compiling and
 * instantiating the .wasm; both: the settings and subscriptions) to every plugin's load()
 * resolved with `pendo.initialize` called; `gapMs` waits between the import and the factory.
 */
async function load(settings, impl, gapMs = 0) {
  if ('pendo' in window) throw new Error('window.pendo exists before the factory is called');
  const analytics = visitorAnalytics();
  openStorageAsAnalyticsJsHas();
  const t0 = performance.now();
  const { default: factory } = await import(`${base}${ENTRY[impl]}`);
  // A page's analytics.js fetches the workspace's settings between importing a destination and
  // calling its factory; `gapMs` stands for that wait (its time is in `ms`, not in `factoryMs`).
  if (gapMs > 0) await new Promise((resolve) => setTimeout(resolve, gapMs));
  const t1 = performance.now();
  const plugins = await factory(settings);
  const t2 = performance.now();
  await Promise.all(plugins.map((plugin) => plugin.load({}, analytics)));
  const t3 = performance.now();
  return { ms: t3 - t0, importMs: t1 - t0, factoryMs: t2 - t1, loadMs: t3 - t2, plugins: plugins.length, initialized: initializeQueued(), wasm: wasmTiming(t0) };
}

/**
 * Ours in stages, through the wasm-bindgen module the factory uses (imported before the clock
 * starts): the .wasm streamed and compiled (WebAssembly.compileStreaming: the fetch is until
 * its last byte arrived, the compile what remained after), instantiated, then the settings and
 * subscriptions (`new PendoDestination`, `actions()`) and `load()`.
 */
async function stages(settings) {
  const { default: init, PendoDestination } = await import(`${base}stages/pendo_wasm.js`);
  if ('pendo' in window) throw new Error('window.pendo exists before init');
  const analytics = visitorAnalytics();
  openStorageAsAnalyticsJsHas();
  const t0 = performance.now();
  const module = await WebAssembly.compileStreaming(fetch(`${base}pendo_wasm_bg.wasm`));
  const t1 = performance.now();
  await init({ module_or_path: module });
  const t2 = performance.now();
  const destination = new PendoDestination(settings);
  const t3 = performance.now();
  destination.actions();
  const t4 = performance.now();
  destination.load(analytics);
  const t5 = performance.now();
  const wasm = wasmTiming(t0);
  // The same again, now that every function it runs has been compiled and run once.
  const t6 = performance.now();
  new PendoDestination(settings).actions();
  const settingsAgain = performance.now() - t6;
  const fetched = wasm ? Math.min(wasm.responseEnd, t1 - t0) : NaN;
  return {
    fetch: fetched,
    compile: t1 - t0 - fetched,
    instantiate: t2 - t1,
    construct: t3 - t2,
    actions: t4 - t3,
    settings: t4 - t2,
    settingsAgain,
    load: t5 - t4,
    total: t5 - t0,
    initialized: initializeQueued(),
  };
}

window.bench = { load, stages };
window.benchReady = true;
