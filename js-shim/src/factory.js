// The analytics.js face of the WebAssembly destination: a plugin factory. Every decision is
// made in WebAssembly; this file only wires its exports to the Plugin interface.
import { loadBindings } from './loader.js';

const VERSION = '0.1.0';
const HANDLED = ['track', 'identify', 'group', 'page', 'alias', 'screen'];

/**
 * Makes the factory. `wasmUrl` locates the .wasm; by default it is found beside the module
 * that holds this code, through `new URL(…, import.meta.url)`, which bundlers follow.
 * `fallbackUrl()` locates the JavaScript build, for pages without WebAssembly (loader.js).
 */
export function makeFactory(wasmUrl, fallbackUrl) {
  let instantiated;

  /**
   * Creates the analytics.js destination plugins for Pendo Web (actions), one per action with
   * an enabled subscription, all sharing one load of the Pendo agent. Rejects with an Error
   * naming the setting when a setting is refused.
   */
  async function pendoWebActions(settings) {
    const { PendoDestination } = await (instantiated ??= loadBindings(wasmUrl, fallbackUrl));
    const destination = new PendoDestination(settings ?? {});
    let loading;
    const load = (analytics) => (loading ??= Promise.resolve().then(() => destination.load(analytics)));
    return destination.actions().map(({ slot, key }) => {
      const handle = (ctx) => {
        destination.dispatch(slot, ctx.event);
        return ctx;
      };
      const plugin = {
        name: `Pendo Web (actions) ${key}`,
        type: 'destination',
        version: VERSION,
        isLoaded: () => destination.isLoaded(),
        load: (_ctx, analytics) => load(analytics),
        ready: () => loading ?? Promise.resolve(),
      };
      for (const method of HANDLED) plugin[method] = handle;
      return plugin;
    });
  }

  pendoWebActions.pluginName = 'Pendo Web (actions)';
  return pendoWebActions;
}
