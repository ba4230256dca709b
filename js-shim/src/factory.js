// The analytics.js face of the WebAssembly destination: a plugin factory. Every decision is
// made in WebAssembly; this file only wires its exports to the Plugin interface.
//
// The page may have patched Array.prototype (push, map, iteration): lists here are walked and
// built by index.
import { loadBindings, loadFullBindings } from './loader.js';

// The package's version, put here by the build from js-shim/package.json.
const VERSION = PENDO_WASM_VERSION;

let reported = false;
function reportOnce(error) {
  if (reported) return;
  reported = true;
  try {
    console.error('Pendo Web (actions): an event could not be handled:', error);
  } catch (_) {}
}

/**
 * Makes the factory. `urls.wasm` locates the .wasm; by default it is found beside the module
 * that holds this code, through `new URL(…, import.meta.url)`, which bundlers follow.
 * `urls.full()` locates the full build's module and .wasm, for workspaces that map with a
 * directive the default build leaves out, and `urls.fallback()` the JavaScript build, for
 * pages without WebAssembly (loader.js).
 */
export function makeFactory(urls) {
  // In a page, the .wasm is fetched and compiled from the moment this module runs, while
  // analytics.js fetches the workspace's settings, so that the factory finds it ready. The
  // rejection of a failed load waits for the factory, which reports it.
  let instantiated = typeof document === 'object' ? loadBindings(urls) : undefined;
  instantiated?.catch(() => {});
  let instantiatedFull;

  /**
   * Creates the analytics.js destination plugins for Pendo Web (actions), one per action with
   * an enabled subscription, all sharing one load of the Pendo agent. Rejects with an Error
   * naming the setting when a setting is refused.
   */
  async function pendoWebActions(settings) {
    const bindings = await (instantiated ??= loadBindings(urls));
    const full = () => (instantiatedFull ??= loadFullBindings(urls));
    let destination;
    try {
      destination = new bindings.PendoDestination(settings ?? {});
    } catch (refusal) {
      // The default build names the refused setting; the full build refuses it too and says
      // why. Where that build cannot be fetched, the default build's refusal stands.
      if (!bindings.defaultBuild) throw refusal;
      const fullBindings = await full().catch(() => Promise.reject(refusal));
      destination = new fullBindings.PendoDestination(settings ?? {});
    }
    // [slot, key, slot, key, ...]; undefined for a directive the default build leaves out,
    // explain mode, or something to say about the subscriptions: the full build has them.
    let actions = destination.actions();
    if (actions === undefined) {
      destination.free();
      destination = new (await full()).PendoDestination(settings ?? {});
      actions = destination.actions();
    }
    let loading;
    let loaded = false;
    const load = (analytics) =>
      (loading ??= Promise.resolve().then(() => {
        destination.load(analytics);
        loaded = true;
      }));
    const plugins = [];
    for (let i = 0; i + 1 < actions.length; i += 2) {
      const slot = actions[i];
      const key = actions[i + 1];
      // dispatch reports what it skips and never throws: the guard is for the unforeseen (a
      // context whose `event` getter throws, a WebAssembly trap), said once, never thrown into
      // analytics.js.
      const handle = (ctx) => {
        try {
          destination.dispatch(slot, ctx.event);
        } catch (error) {
          reportOnce(error);
        }
        return ctx;
      };
      plugins[i / 2] = {
        name: `Pendo Web (actions) ${key}`,
        type: 'destination',
        version: VERSION,
        isLoaded: () => loaded,
        load: (_ctx, analytics) => load(analytics),
        ready: () => loading ?? Promise.resolve(),
        track: handle,
        identify: handle,
        group: handle,
        page: handle,
        // As Segment's runtime: no screen handler, so analytics.js gives these plugins no
        // screen events.
        alias: handle,
      };
    }
    return plugins;
  }

  pendoWebActions.pluginName = 'Pendo Web (actions)';
  return pendoWebActions;
}
