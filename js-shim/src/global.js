// The script build for remote loading: analytics.js loads this file from the URL of a
// `remotePlugins` entry and calls `window['pendo-web-actionsDestination'](settings)`.
// The .wasm is found beside this script.
import { makeFactory } from './factory.js';

const script = document.currentScript;
window['pendo-web-actionsDestination'] = makeFactory(new URL('pendo_wasm_bg.wasm', script && script.src ? script.src : location.href));
