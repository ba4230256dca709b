// The RudderStack face of the WebAssembly destination: the integration object that RudderStack's
// JavaScript SDK (v3) takes in `rudderanalytics.addCustomIntegration(destinationId, …)`. Every
// decision is made in WebAssembly (the full build, which has the RudderStack presets); this
// file only wires its exports to the SDK's calls.
import { REFUSED, instantiateModule } from './module.js';

const PREFIX = 'Pendo (RudderStack): ';

/**
 * Resolves to the full build's `{ PendoDestination }`, or to the JavaScript build's where
 * WebAssembly is missing or refuses to compile.
 */
async function loadBindings(urls) {
  if (typeof WebAssembly === 'object' && WebAssembly) {
    const { module, wasm } = urls.full();
    const refused = (error) => REFUSED.includes(error?.name);
    const bindings = await instantiateModule(module, wasm, 'the WebAssembly build', PREFIX, refused);
    if (bindings) return bindings;
  }
  return instantiateModule(urls.fallback(), undefined, 'no WebAssembly here, and its JavaScript build', PREFIX);
}

function say(message, error) {
  try {
    console.error(`${PREFIX}${message}`, ...(error === undefined ? [] : [error]));
  } catch (_) {}
}

/**
 * Makes the integration factory: `urls.full()` locates the full build's module and .wasm,
 * `urls.fallback()` the JavaScript build.
 */
export function makeRudderStackIntegration(urls) {
  /**
   * The integration object for `rudderanalytics.addCustomIntegration(destinationId, …)`.
   * `init` loads the WebAssembly, validates `settings` and loads the Pendo agent; each message
   * then goes to the destination, which never throws. A refused setting (or a build that
   * cannot be loaded) is said on the console and nothing is injected; `isReady` is true then
   * too, so that the SDK does not hold its other destinations for its 11-second timeout, and
   * messages are dropped.
   */
  return function pendoRudderStack(settings) {
    let destination;
    let started;
    let settled = false;
    let reported = false;
    const handle = (_analytics, _logger, event) => {
      try {
        destination?.dispatchAll(event);
      } catch (error) {
        if (!reported) say('an event could not be handled:', error);
        reported = true;
      }
    };
    return {
      init(_config, analytics) {
        // A failed load of the build has been said on the console already.
        started ??= loadBindings(urls).then((bindings) => {
          try {
            const created = bindings.PendoDestination.forRudderStack(settings ?? {});
            created.load(analytics);
            destination = created;
          } catch (error) {
            // A refused setting, named; or the agent's script could not be added.
            const text = String(error?.message ?? error);
            say(`${text.startsWith(PREFIX) ? text.slice(PREFIX.length) : text}; nothing is sent to Pendo from this page`);
          }
        }, () => {}).then(() => {
          settled = true;
        });
      },
      isReady: () => settled,
      track: handle,
      identify: handle,
      group: handle,
      page: handle,
      alias: handle,
    };
  };
}
