// The few page operations that are one JS statement but many boundary calls from Rust.
// Every function here catches: a throwing getter or a Proxy in an event must never unwind
// through the WebAssembly instance.

const hasOwn = Object.prototype.hasOwnProperty;

// Keys that triggers and mappings read from every event, registered once by number, so that
// no key text crosses from WebAssembly per event.
const KEYS = [];
const KEY_NUMBERS = new Map();

export function registerKey(name) {
  let number = KEY_NUMBERS.get(name);
  if (number === undefined) {
    number = KEYS.push(name) - 1;
    KEY_NUMBERS.set(name, number);
  }
  return number;
}

export function ownField(object, key) {
  return ownValue(object, KEYS[key]);
}

export function isKeyText(value, key) {
  return value === KEYS[key];
}

// The kinds of src/data.rs, in its order: null, bool, number, string, array, object, other.
export function kindOf(value) {
  switch (typeof value) {
    case 'undefined':
      return 0;
    case 'boolean':
      return 1;
    case 'number':
      return 2;
    case 'string':
      return 3;
    case 'object':
      return value === null ? 0 : Array.isArray(value) ? 4 : 5;
    default:
      return 6;
  }
}

export function isNonEmptyText(value) {
  return typeof value === 'string' && value.length > 0;
}

export function isId(value) {
  return (typeof value === 'string' && value.length > 0) || (typeof value === 'number' && Number.isFinite(value));
}

// An object of up to three prepared keys; `undefined` values are left out.
export function objectOfKeys(k1, v1, k2, v2, k3, v3) {
  const object = {};
  if (v1 !== undefined) define(object, KEYS[k1], v1);
  if (v2 !== undefined) define(object, KEYS[k2], v2);
  if (v3 !== undefined) define(object, KEYS[k3], v3);
  return object;
}

// The Pendo stub: queues calls until the agent loads; `initialize` goes to the front.
export function installPendoStub(win, methods) {
  const pendo = (win.pendo = win.pendo || {});
  const queue = (pendo._q = pendo._q || []);
  for (const method of methods) {
    pendo[method] =
      pendo[method] ||
      function (...args) {
        queue[method === 'initialize' ? 'unshift' : 'push']([method, ...args]);
      };
  }
  return pendo;
}

export function ownValue(object, key) {
  try {
    return object !== null && typeof object === 'object' && hasOwn.call(object, key) ? object[key] : undefined;
  } catch (_) {
    return undefined;
  }
}

export function itemAt(array, index) {
  try {
    return Array.isArray(array) ? array[index] : undefined;
  } catch (_) {
    return undefined;
  }
}

// [keys, values] of an object's own enumerable string-keyed properties.
export function ownEntries(object) {
  try {
    const keys = Object.keys(object);
    return [keys, keys.map((key) => object[key])];
  } catch (_) {
    return [[], []];
  }
}

export function arrayItems(array) {
  try {
    return Array.isArray(array) ? Array.from(array) : [];
  } catch (_) {
    return [];
  }
}

// A fresh plain object: own data properties only, so `__proto__` stays an ordinary key.
export function objectFrom(keys, values) {
  const object = {};
  for (let i = 0; i < keys.length; i++) define(object, keys[i], values[i]);
  return object;
}

// `removeKey`/`setKey` are prepared key numbers, or names when `byName` is set.
export function copyObject(base, removeKey, setKey, setValue, byName) {
  if (!byName) {
    removeKey = KEYS[removeKey];
    setKey = KEYS[setKey];
  }
  let object = {};
  if (base !== null && typeof base === 'object' && !Array.isArray(base)) {
    try {
      object = { ...base };
    } catch (_) {
      object = {};
    }
  }
  if (removeKey !== undefined) delete object[removeKey];
  if (setKey !== undefined) {
    delete object[setKey];
    define(object, setKey, setValue);
  }
  return object;
}

function define(object, key, value) {
  Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
}

export function toJson(value) {
  try {
    return JSON.stringify(value);
  } catch (_) {
    return undefined;
  }
}

export function parseJson(text) {
  try {
    return { value: JSON.parse(text) };
  } catch (_) {
    return undefined;
  }
}

const PENDO_METHODS = ['initialize', 'identify', 'track', 'pageLoad'];

// Calls `window.pendo[method](...)` with one or two arguments (`second` undefined: one), the
// method given by its number in PENDO_METHODS; returns an error message instead of throwing.
export function callPendo(method, first, second) {
  const name = PENDO_METHODS[method];
  try {
    const pendo = globalThis.pendo;
    const fn = pendo == null ? undefined : pendo[name];
    if (typeof fn !== 'function') return `${name} is not a function`;
    if (second === undefined) fn.call(pendo, first);
    else fn.call(pendo, first, second);
    return undefined;
  } catch (error) {
    return String(error && error.message ? error.message : error);
  }
}

// `target[method]()`, or undefined when it is missing or throws.
export function callGetter(target, method) {
  try {
    const fn = target == null ? undefined : target[method];
    return typeof fn === 'function' ? fn.call(target) : undefined;
  } catch (_) {
    return undefined;
  }
}

// JavaScript's own text conversions, so that the .wasm carries no float formatting and no
// Unicode case tables (see js_text.rs for the Rust ports used on the host).

export function numberToString(n) {
  return String(n);
}

// `undefined` for anything but a string.
export function changeCase(value, upper) {
  if (typeof value !== 'string') return undefined;
  return upper ? value.toUpperCase() : value.toLowerCase();
}

// Each character as a case-insensitive (non-Unicode) RegExp compares it: its upper case when
// that is one UTF-16 unit and not a non-ASCII letter turned ASCII. One character out for each
// character in, so positions carry over to the original text.
export function foldCase(text) {
  let out = '';
  for (const c of text) {
    const upper = c.length === 1 ? c.toUpperCase() : c;
    out += upper.length === 1 && !(c.charCodeAt(0) >= 128 && upper.charCodeAt(0) < 128) ? upper : c;
  }
  return out;
}

// The page side of the snippet. Rust decides what to load (the URL, the nonce setting) and
// what to say; these do the DOM work.

export function globalScope() {
  return globalThis;
}

// `window.pendo`, or undefined.
export function pagePendo() {
  try {
    return globalThis.pendo;
  } catch (_) {
    return undefined;
  }
}

// Adds `<script async src>` before the page's first script, or to `<head>`, never twice. The
// nonce is `nonce`, else the nonce of the page's own scripts (an IDL property: the attribute is
// hidden once the page has loaded). If the script fails to load, `blocked` is said once.
// Returns an error message, or undefined.
export function injectScript(src, nonce, blocked) {
  const document = globalThis.document;
  if (!document) return 'no document to add the Pendo agent to';
  let script;
  try {
    const scripts = Array.from(document.getElementsByTagName('script'));
    if (scripts.some((s) => s.getAttribute('src') === src)) return undefined;
    script = document.createElement('script');
    script.async = true;
    script.src = src;
    script.addEventListener('error', () => warnAgentMissing(blocked));
    const pageNonce = nonce ?? scripts.map((s) => s.nonce).find((n) => typeof n === 'string' && n !== '');
    if (pageNonce !== undefined) script.nonce = pageNonce;
    const first = scripts[0];
    if (first && first.parentNode) {
      first.parentNode.insertBefore(script, first);
      return undefined;
    }
  } catch (_) {
    return script ? 'cannot insert the Pendo agent script' : 'cannot create a script element';
  }
  const parent = document.head || document.documentElement;
  if (!parent) return 'the page has no root element';
  try {
    parent.appendChild(script);
    return undefined;
  } catch (_) {
    return 'cannot insert the Pendo agent script';
  }
}

// Says `message` once, after `ms`, unless the agent has replaced the stub by then.
export function warnIfAgentMissingLater(ms, message) {
  setTimeout(() => {
    let loaded = false;
    try {
      loaded = typeof globalThis.pendo.isReady === 'function';
    } catch (_) {}
    if (!loaded) warnAgentMissing(message);
  }, ms);
}

// One warning per page that the agent is missing: the stub keeps every call until it arrives.
let agentMissingReported = false;
function warnAgentMissing(message) {
  if (agentMissingReported) return;
  agentMissingReported = true;
  console.warn(message);
}

// Unicode's Alphabetic property (and numbers), as Rust's char::is_alphabetic and
// is_alphanumeric, for characters beyond ASCII in trigger field names.
const LETTER = /^\p{Alphabetic}$/u;
const LETTER_OR_NUMBER = /^[\p{Alphabetic}\p{N}]$/u;
export function isLetter(character, orNumber) {
  return (orNumber ? LETTER_OR_NUMBER : LETTER).test(character);
}
