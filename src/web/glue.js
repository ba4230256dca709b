// The few page operations that are one JS statement but many boundary calls from Rust. Each
// export says, on its `// JS:` line, why it is JavaScript rather than Rust.
//
// Every exported function here returns instead of throwing: an exception that unwinds through
// the WebAssembly instance leaks a slot of its externref table, and after 1,024 of them the
// instance is dead. A value that cannot be read (a getter or a Proxy that throws, a revoked
// Proxy) reads as UNREADABLE.
//
// The page may have patched the built-ins (old libraries replace Array.prototype.push, polluted
// pages add keys to Object.prototype). So the module takes the built-ins it uses once, when it
// loads, and calls them as functions, never through a prototype at call time; it builds arrays
// by index and objects as literals or with defineProperty, and reads only own properties of
// `window` and of the objects it creates.

const ObjectPrototype = Object.prototype;
const objectKeys = Object.keys;
const defineProperty = Object.defineProperty;
const isExtensible = Object.isExtensible;
const isArray = Array.isArray;
const isView = ArrayBuffer.isView;
const jsonStringify = JSON.stringify;
const jsonParse = JSON.parse;
const parseFloatText = parseFloat;
const setTimer = setTimeout;
const uncurry = (fn) => Function.prototype.call.bind(fn);
const hasOwn = Object.hasOwn || uncurry(ObjectPrototype.hasOwnProperty);
const callFunction = uncurry(Function.prototype.call);
const toUpperCase = uncurry(String.prototype.toUpperCase);
const toLowerCase = uncurry(String.prototype.toLowerCase);
const charCodeAt = uncurry(String.prototype.charCodeAt);
const trimString = uncurry(String.prototype.trim);
const bigIntText = uncurry(BigInt.prototype.toString);
const regExpTest = uncurry(RegExp.prototype.test);

const nativeConsole = globalThis.console;
const nativeWarn = nativeConsole && nativeConsole.warn;
const nativeError = nativeConsole && nativeConsole.error;

/** What a read that threw gives: a symbol, so it is of kind "other" and JSON leaves it out. */
const UNREADABLE = Symbol('unreadable');

// ---- the console ----------------------------------------------------------------------------

/**
 * Says `message` on the console (`level` 0: warn, 1: error): through the page's console as it
 * is now, so the page's own console hooks see it, else through the console as it was when
 * this module loaded, else not at all.
 */
// JS: the console as this module found it, and a console method that throws, are caught here; Rust cannot catch them.
export function say(level, message) {
  try {
    const console = globalThis.console;
    callFunction(level === 0 ? console.warn : console.error, console, message);
    return;
  } catch (_) {}
  try {
    callFunction(level === 0 ? nativeWarn : nativeError, nativeConsole, message);
  } catch (_) {}
}

// The prefix of every message, from the Rust side (which names the plugin).
let logPrefix = '';
// JS: the prefix is kept beside `say`, so each message crosses the boundary once.
export function setLogPrefix(prefix) {
  logPrefix = prefix;
}

// ---- the page's storage --------------------------------------------------------------------

// JS: localStorage may be missing, switched off or throw on any read (sandboxed frames, blocked
// storage); caught here.
export function isStoredText(key, text) {
  try {
    return globalThis.localStorage.getItem(key) === text;
  } catch (_) {
    return false;
  }
}

// ---- reading the page's values --------------------------------------------------------------

// Keys that triggers and mappings read from every event, registered once by number, so that
// no key text crosses from WebAssembly per event. By index, not push: the page may have
// replaced Array.prototype.push.
const KEYS = [];
const KEY_NUMBERS = Object.create(null);

// JS: a prepared key's string lives here, so per event only its number crosses (per-event path).
export function registerKey(name) {
  let number = KEY_NUMBERS[name];
  if (number === undefined) {
    number = KEYS.length;
    KEYS[number] = name;
    KEY_NUMBERS[name] = number;
  }
  return number;
}

// JS: one call per field read, with the key already in JS (per-event path).
export function ownField(object, key) {
  return ownValue(object, KEYS[key]);
}

// JS: compares with the prepared string in JS: no text is copied into Rust (per-event path).
export function isKeyText(value, key) {
  return value === KEYS[key];
}

// JS: ownField and isKeyText in one call, with no reference to the field handed to Rust: a
// trigger's `type = "track"`, on every event (per-event path).
export function fieldIsKeyText(object, key, text) {
  return ownValue(object, KEYS[key]) === KEYS[text];
}

// The kinds of core/src/data.rs, in its order: null, bool, number, string, array, object, other.
// A revoked Proxy (Array.isArray throws on it) is "other".
// JS: typeof, Array.isArray and their exceptions in one call instead of several (per-event path).
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
      if (value === null) return 0;
      try {
        return isArray(value) ? 4 : 5;
      } catch (_) {
        return 6;
      }
    default:
      return 6;
  }
}

// JS: one call, no copy of the string into Rust (per-event path).
export function isNonEmptyText(value) {
  return typeof value === 'string' && value.length > 0;
}

// A non-empty string or a finite number (`n - n` is 0 only for finite numbers).
// JS: one call, no copy of the value into Rust (per-event path).
export function isId(value) {
  return (typeof value === 'string' && value.length > 0) || (typeof value === 'number' && value - value === 0);
}

// An own property of an object; undefined when absent, UNREADABLE when reading it throws.
// JS: an own-property read that may throw (getters, Proxies), caught here (per-event path).
export function ownValue(object, key) {
  if (object === null || typeof object !== 'object') return undefined;
  try {
    return hasOwn(object, key) ? object[key] : undefined;
  } catch (_) {
    return UNREADABLE;
  }
}

// JS: an indexed read that may throw, caught here (per-event path).
export function itemAt(array, index) {
  try {
    return isArray(array) ? array[index] : undefined;
  } catch (_) {
    return UNREADABLE;
  }
}

// The items of an array, read one by one: one that throws is UNREADABLE, the others are kept.
// JS: all items in one call, each read caught on its own (per-event path).
export function arrayItems(array) {
  const items = [];
  let length = 0;
  try {
    if (!isArray(array)) return items;
    length = array.length;
  } catch (_) {
    return items;
  }
  for (let i = 0; i < length; i++) {
    try {
      items[i] = array[i];
    } catch (_) {
      items[i] = UNREADABLE;
    }
  }
  return items;
}

// [key, value, key, value, ...] of an object's (not an array's) own enumerable string-keyed
// properties, read one by one: a value that throws is UNREADABLE. Empty for anything else,
// and when the object cannot list its keys.
// JS: the kind, the keys and the values in one call, each read caught on its own (per-event
// path; six calls and three per key before: creating the benchmark's destination went from
// 2,956 to 2,160 calls).
export function ownEntries(object) {
  const flat = [];
  if (kindOf(object) !== 5) return flat;
  let keys;
  try {
    keys = objectKeys(object);
  } catch (_) {
    return flat;
  }
  for (let i = 0; i < keys.length; i++) {
    flat[2 * i] = keys[i];
    try {
      flat[2 * i + 1] = object[keys[i]];
    } catch (_) {
      flat[2 * i + 1] = UNREADABLE;
    }
  }
  return flat;
}

// `target[method]()`, or undefined when it is missing or throws (analytics.js's user() and
// group(): methods of its classes, hence read through the prototype chain).
// JS: the SDKs' methods, read through their prototypes, may throw: caught here.
export function callGetter(target, method) {
  try {
    const fn = target == null ? undefined : target[method];
    return typeof fn === 'function' ? callFunction(fn, target) : undefined;
  } catch (_) {
    return undefined;
  }
}

// ---- building values ------------------------------------------------------------------------

// JS: a literal, where `new Array()` would use a global the page may have replaced.
export function newArray() {
  return [];
}

function define(object, key, value) {
  defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
}

// An object of up to three prepared keys; `undefined` values are left out.
// JS: the objects for Pendo in one call, from prepared keys (per-event path).
export function objectOfKeys(k1, v1, k2, v2, k3, v3) {
  const object = {};
  if (v1 !== undefined) define(object, KEYS[k1], v1);
  if (v2 !== undefined) define(object, KEYS[k2], v2);
  if (v3 !== undefined) define(object, KEYS[k3], v3);
  return object;
}

// A fresh plain object: own data properties only, so `__proto__` stays an ordinary key.
// JS: one call per object instead of one per key (per-event path: key by key from Rust measured ~38 µs per event, against ~1–3 µs with few calls).
export function objectFrom(keys, values) {
  const object = {};
  for (let i = 0; i < keys.length; i++) define(object, keys[i], values[i]);
  return object;
}

// A fresh shallow copy of `base`'s own enumerable properties, each read once. When one throws,
// the copy is made key by key and that one is UNREADABLE.
function shallowCopy(base) {
  try {
    return { ...base };
  } catch (_) {}
  const flat = ownEntries(base);
  const copy = {};
  for (let i = 0; i + 1 < flat.length; i += 2) define(copy, flat[i], flat[i + 1]);
  return copy;
}

// `removeKey`/`setKey` are prepared key numbers, or names when `byName` is set. Only the
// actions call this, for what goes to Pendo: the copy is made JSON-safe (see below), and
// `setValue` is an id or another such copy.
// JS: copies and makes JSON-safe in one walk, in the page's own realm (per-event path).
export function copyObject(base, removeKey, setKey, setValue, byName) {
  if (!byName) {
    removeKey = KEYS[removeKey];
    setKey = KEYS[setKey];
  }
  let object = {};
  if (kindOf(base) === 5) {
    object = shallowCopy(base);
    budget = MAX_VALUES;
    enclosing[0] = base;
    makeJsonSafe(object, 0);
  }
  if (removeKey !== undefined) delete object[removeKey];
  if (setKey !== undefined) {
    delete object[setKey];
    define(object, setKey, setValue);
  }
  return object;
}

// JS: JSON.stringify as it was at load, its exceptions caught.
export function toJson(value) {
  try {
    return jsonStringify(value);
  } catch (_) {
    return undefined;
  }
}

// JS: JSON.parse as it was at load, its exceptions caught.
export function parseJson(text) {
  try {
    return { value: jsonParse(text) };
  } catch (_) {
    return undefined;
  }
}

// ---- values for Pendo -----------------------------------------------------------------------
//
// The agent keeps what it is given and serializes it later, in batches with other events: one
// value JSON cannot carry would lose the whole batch. So what is passed to Pendo is copied into
// fresh plain objects and arrays holding only what JSON carries, every getter read once:
// - a BigInt is sent as its decimal text;
// - binary data (typed arrays, DataView), a reference back to an enclosing object (a cycle),
//   a value whose toJSON throws, a value that cannot be read (a getter or Proxy that throws),
//   and what is nested deeper than MAX_DEPTH are left out;
// - past MAX_VALUES values in one call, the rest is left out;
// - as JSON does: functions, symbols and undefined are left out (null in arrays), toJSON
//   (a Date's, for one) gives the value sent.
// Each kind is reported once per page, naming where it was found. Every object the actions
// pass to Pendo is a copyObject copy, or an objectOfKeys of such copies and ids (see
// PendoCall in core/src/actions/mod.rs): made safe as it is copied, it is not walked again.

const MAX_DEPTH = 64;
const MAX_VALUES = 10_000;

const BIGINT = 0;
const BINARY = 1;
const CYCLE = 2;
const TO_JSON_THREW = 3;
const CANNOT_READ = 4;
const TOO_DEEP = 5;
const TOO_LARGE = 6;
const PROBLEMS = [
  'is a BigInt, which JSON cannot carry: it is sent as its decimal text',
  'is binary data (a typed array or DataView), which Pendo cannot send: it is left out',
  'refers back to an object that holds it (a cycle), which JSON cannot carry: it is left out',
  'has a toJSON method that throws: it is left out',
  'cannot be read (a getter or Proxy threw): it is left out',
  `is nested deeper than ${MAX_DEPTH} levels: it is left out`,
  'is past the first 10,000 values of one call: the rest is left out',
];
const reported = [];

// The value being made safe: the objects enclosing the value at hand (to find cycles), the
// keys leading to it (to say where a problem is), and the values left to copy.
const enclosing = [];
const path = [];
let budget = 0;

function report(problem, depth) {
  if (reported[problem]) return;
  reported[problem] = true;
  let where = '';
  for (let i = 0; i < depth; i++) where += (i === 0 ? '' : '.') + path[i];
  say(0, `${logPrefix}a value sent to Pendo (at ${where || 'the top'}) ${PROBLEMS[problem]}. Said once per page; later values of this kind are handled the same way.`);
}

/** `value` as JSON carries it; undefined when it is left out. `depth` keys lead to it. */
function jsonSafe(value, depth, useToJson) {
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
      return value;
    case 'bigint':
      report(BIGINT, depth);
      return bigIntText(value);
    case 'object':
      return value === null ? null : jsonSafeObject(value, depth, useToJson);
    case 'symbol':
      if (value === UNREADABLE) report(CANNOT_READ, depth);
      return undefined;
    default:
      return undefined;
  }
}

function jsonSafeObject(value, depth, useToJson) {
  if (depth > MAX_DEPTH) {
    report(TOO_DEEP, depth);
    return undefined;
  }
  for (let i = 0; i < depth; i++) {
    if (enclosing[i] === value) {
      report(CYCLE, depth);
      return undefined;
    }
  }
  let copy;
  try {
    if (isArray(value)) {
      enclosing[depth] = value;
      return jsonSafeArray(value, depth);
    }
    if (isView(value)) {
      report(BINARY, depth);
      return undefined;
    }
    const toJson = useToJson ? value.toJSON : undefined;
    if (typeof toJson === 'function') {
      let replaced;
      try {
        replaced = callFunction(toJson, value, depth === 0 ? '' : path[depth - 1]);
      } catch (_) {
        report(TO_JSON_THREW, depth);
        return undefined;
      }
      return jsonSafe(replaced, depth, false);
    }
    copy = shallowCopy(value);
  } catch (_) {
    report(CANNOT_READ, depth);
    return undefined;
  }
  enclosing[depth] = value;
  makeJsonSafe(copy, depth);
  return copy;
}

/** Makes the values of `object`, a fresh plain object of own data properties, JSON-safe. */
function makeJsonSafe(object, depth) {
  // for...in, which needs no array of keys, also walks keys a polluted page put on
  // Object.prototype: those are never written (hasOwn below) nor deleted (a no-op).
  for (const key in object) {
    if (--budget < 0) {
      if (budget === -1) {
        path[depth] = key;
        report(TOO_LARGE, depth + 1);
      }
      delete object[key];
      continue;
    }
    const value = object[key];
    const type = typeof value;
    if (type === 'string' || type === 'number' || type === 'boolean' || value === null) continue;
    if (!hasOwn(object, key)) continue;
    path[depth] = key;
    const safe = jsonSafe(value, depth + 1, true);
    if (safe === undefined) delete object[key];
    else if (safe !== value) object[key] = safe;
  }
}

function jsonSafeArray(array, depth) {
  const copy = [];
  const length = array.length;
  for (let i = 0; i < length; i++) {
    if (--budget < 0) {
      path[depth] = i;
      report(TOO_LARGE, depth + 1);
      break;
    }
    let item;
    try {
      item = array[i];
    } catch (_) {
      item = UNREADABLE;
    }
    const type = typeof item;
    if (type !== 'string' && type !== 'number' && type !== 'boolean' && item !== null) {
      path[depth] = i;
      item = jsonSafe(item, depth + 1, true);
    }
    copy[i] = item === undefined ? null : item;
  }
  return copy;
}

const PENDO_METHODS = ['initialize', 'identify', 'track', 'pageLoad'];

// Calls `window.pendo[method](...)` with one or two arguments (`second` undefined: one), the
// method given by its number in PENDO_METHODS; returns an error message instead of throwing.
// `first` and `second` are ids, names, or objects made JSON-safe by copyObject.
// JS: the agent's methods may throw; caught here, so no exception reaches the WebAssembly frames.
export function callPendo(method, first, second) {
  const name = PENDO_METHODS[method];
  try {
    const pendo = ownPendo();
    const fn = pendoMethod(pendo, name);
    if (fn === undefined) return `window.pendo has no ${name} method`;
    if (second === undefined) callFunction(fn, pendo, first);
    else callFunction(fn, pendo, first, second);
    return undefined;
  } catch (error) {
    try {
      return `${error && error.message ? error.message : error}`;
    } catch (_) {
      return 'it threw';
    }
  }
}

// A method of window.pendo: its own, or its class's; never one inherited from Object.prototype,
// where a polluted page may have put one.
function pendoMethod(pendo, name) {
  if (pendo === null || (typeof pendo !== 'object' && typeof pendo !== 'function')) return undefined;
  const fn = pendo[name];
  if (typeof fn !== 'function') return undefined;
  return hasOwn(pendo, name) || fn !== ObjectPrototype[name] ? fn : undefined;
}

// ---- JavaScript's text conversions ----------------------------------------------------------
// So that the .wasm carries no float formatting and no Unicode case tables (see js_text_rules.rs for
// the Rust ports used on the host).

// JS: JavaScript's own number text, which Rust would have to ship as float-formatting code.
export function numberToString(n) {
  return `${n}`;
}

// JS: parseFloat as it was at load, instead of Rust's float parser in the .wasm.
export function parseNumber(text) {
  return parseFloatText(text);
}

// `Number(text)`, which the page cannot have replaced.
// JS: `+text`, instead of a port of Number() in the .wasm.
export function numberOfText(text) {
  return +text;
}

// JS: String.prototype.trim as it was at load, instead of its white space table in the .wasm.
export function trimText(text) {
  return trimString(text);
}

// `undefined` for anything but a string.
// JS: the page's Unicode case tables, instead of Rust's in the .wasm.
export function changeCase(value, upper) {
  if (typeof value !== 'string') return undefined;
  return upper ? toUpperCase(value) : toLowerCase(value);
}

// Each character as a case-insensitive (non-Unicode) RegExp compares it: its upper case when
// that is one UTF-16 unit and not a non-ASCII letter turned ASCII. One character out for each
// character in, so positions carry over to the original text.
// JS: the page's Unicode case tables, instead of Rust's in the .wasm.
export function foldCase(text) {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const unit = charCodeAt(text, i);
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = charCodeAt(text, i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        out += text[i] + text[i + 1];
        i++;
        continue;
      }
    }
    const c = text[i];
    const upper = toUpperCase(c);
    out += upper.length === 1 && !(unit >= 128 && charCodeAt(upper, 0) < 128) ? upper : c;
  }
  return out;
}

// Unicode's Alphabetic property (and numbers), as Rust's char::is_alphabetic and
// is_alphanumeric, for characters beyond ASCII in trigger field names.
const LETTER = /^\p{Alphabetic}$/u;
const LETTER_OR_NUMBER = /^[\p{Alphabetic}\p{N}]$/u;
// JS: the page's Unicode property tables, instead of Rust's in the .wasm.
export function isLetter(character, orNumber) {
  try {
    return regExpTest(orNumber ? LETTER_OR_NUMBER : LETTER, character);
  } catch (_) {
    return false;
  }
}

// ---- the page side of the snippet -----------------------------------------------------------
// Rust decides what to load (the URL, the nonce setting) and what to say; these do the DOM work.

// `window.pendo` when it is window's own property (a polluted Object.prototype.pendo is not
// Pendo); undefined when absent, UNREADABLE when reading it throws.
// The last object found to be window's own `pendo`: found again, it needs no second look.
let lastOwnPendo;
function ownPendo() {
  try {
    const pendo = globalThis.pendo;
    if (pendo === lastOwnPendo && pendo !== undefined) return pendo;
    if (!hasOwn(globalThis, 'pendo')) return undefined;
    if (pendo !== null && (typeof pendo === 'object' || typeof pendo === 'function')) lastOwnPendo = pendo;
    return pendo;
  } catch (_) {
    return UNREADABLE;
  }
}

// What `installPendoStub` did: a new stub on a new window.pendo, or on an object the page had
// put there without Pendo's methods (both need the agent's script); or window.pendo kept as it
// was, because it already is Pendo (the agent, or a stub of Pendo's snippet).
const STUB_INSTALLED = 0;
const PENDO_KEPT = 1;
// Said already: window.pendo cannot be used, and the console has been told once.
const PENDO_REFUSED = 2;
let refusalSaid = false;

// The Pendo stub: queues calls until the agent loads; `initialize` goes to the front. Returns
// STUB_INSTALLED, PENDO_KEPT, or why window.pendo cannot be used (a message, given only once
// per page; PENDO_REFUSED after that).
// JS: the stub's methods must be JS functions (the agent replaces them; making them from Rust would need eval, which a CSP forbids).
export function installPendoStub(methods) {
  const refuse = (why) => {
    if (refusalSaid) return PENDO_REFUSED;
    refusalSaid = true;
    return why;
  };
  const existing = ownPendo();
  if (existing === UNREADABLE) return refuse('window.pendo cannot be read (its getter throws)');
  let pendo = existing;
  if (pendo === undefined || pendo === null) {
    pendo = {};
    define(pendo, '_q', []);
    // Set as the page would (a page's own accessor for window.pendo sees it); where that does
    // not give window a `pendo` of its own (a polluted Object.prototype's setter or read-only
    // `pendo` took it), defined on window directly.
    try {
      globalThis.pendo = pendo;
    } catch (_) {}
    let installed = ownPendo();
    if (installed === undefined || installed === null || installed === UNREADABLE) {
      try {
        defineProperty(globalThis, 'pendo', { value: pendo, writable: true, enumerable: true, configurable: true });
      } catch (_) {}
      installed = ownPendo();
    }
    if (installed === undefined || installed === null || installed === UNREADABLE) {
      return refuse('window.pendo cannot be set (the page made it read-only)');
    }
  } else if (typeof pendo !== 'object' && typeof pendo !== 'function') {
    return refuse(`window.pendo is ${describe(pendo)}, not Pendo`);
  } else {
    try {
      if (pendoMethod(pendo, 'initialize') !== undefined) return PENDO_KEPT;
      if (!isExtensible(pendo)) return refuse('window.pendo is a frozen (or sealed) object without Pendo\'s methods');
    } catch (_) {
      return refuse('window.pendo cannot be read (a Proxy that throws)');
    }
  }
  try {
    let queue = ownProperty(pendo, '_q');
    if (!isArray(queue)) {
      queue = [];
      define(pendo, '_q', queue);
    }
    for (let i = 0; i < methods.length; i++) {
      const method = methods[i];
      if (typeof ownProperty(pendo, method) === 'function') continue;
      define(pendo, method, stubMethod(queue, method));
    }
  } catch (_) {
    return refuse('window.pendo refuses the Pendo stub (a Proxy or an object that cannot be changed)');
  }
  return STUB_INSTALLED;
}

// An own property of window.pendo (an object or a function).
function ownProperty(pendo, key) {
  return hasOwn(pendo, key) ? pendo[key] : undefined;
}

// What window.pendo is, when it is neither an object nor a function (nor undefined or null):
// a string, a number, a boolean, a BigInt or a symbol.
function describe(value) {
  const type = typeof value;
  return `a ${type === 'bigint' ? 'BigInt' : type}`;
}

// One method of the stub: `[method, ...arguments]` on the queue, built by index.
function stubMethod(queue, method) {
  return function () {
    const entry = [method];
    for (let i = 0; i < arguments.length; i++) entry[i + 1] = arguments[i];
    if (method === 'initialize') {
      for (let i = queue.length; i > 0; i--) queue[i] = queue[i - 1];
      queue[0] = entry;
    } else {
      queue[queue.length] = entry;
    }
  };
}

// Whether `pendo.initialize` was queued on the stub (`_q`, an own property) already.
// JS: reads the stub's queue, own properties only, each read caught.
export function initializeQueued() {
  try {
    const pendo = ownPendo();
    if (pendo === null || (typeof pendo !== 'object' && typeof pendo !== 'function')) return false;
    const queue = ownProperty(pendo, '_q');
    if (!isArray(queue)) return false;
    for (let i = 0; i < queue.length; i++) {
      const entry = queue[i];
      if (isArray(entry) && entry[0] === 'initialize') return true;
    }
  } catch (_) {}
  return false;
}

// Adds `<script async src>` before the page's first script, or to `<head>`, never twice. The
// nonce is `nonce`, else the nonce of the page's own scripts (an IDL property: the attribute is
// hidden once the page has loaded). If the script fails to load, `blocked` is said once.
// Returns an error message, or undefined.
// JS: the DOM steps, each caught (web-sys does not catch reads WebIDL calls safe, and measured +3.4 KB gzip; see page.rs).
export function injectScript(src, nonce, blocked) {
  let script;
  try {
    const document = globalThis.document;
    if (!document) return 'no document to add the Pendo agent to';
    const scripts = document.getElementsByTagName('script');
    let pageNonce = nonce;
    for (let i = 0; i < scripts.length; i++) {
      const s = scripts[i];
      if (s.getAttribute('src') === src) return undefined;
      if (pageNonce === undefined && typeof s.nonce === 'string' && s.nonce !== '') pageNonce = s.nonce;
    }
    script = document.createElement('script');
    script.async = true;
    script.src = src;
    script.addEventListener('error', () => warnAgentMissing(blocked));
    if (pageNonce !== undefined) script.nonce = pageNonce;
    const first = scripts[0];
    if (first && first.parentNode) {
      first.parentNode.insertBefore(script, first);
      return undefined;
    }
    const parent = document.head || document.documentElement;
    if (!parent) return 'the page has no root element';
    parent.appendChild(script);
    return undefined;
  } catch (_) {
    return script ? 'cannot insert the Pendo agent script' : 'cannot create a script element';
  }
}

// Whether the agent has replaced the stub: window.pendo has its own isReady, which the stub
// lacks.
function agentLoaded() {
  const pendo = ownPendo();
  return typeof pendoMethod(pendo, 'isReady') === 'function';
}

// Says `message` once, after `ms`, unless the agent has replaced the stub by then.
// JS: setTimeout with a JS callback: a Rust closure would need wasm-bindgen's Closure (gloo-timers measured with web-sys at +3.4 KB gzip).
export function warnIfAgentMissingLater(ms, message) {
  try {
    setTimer(() => {
      let loaded = false;
      try {
        loaded = agentLoaded();
      } catch (_) {}
      if (!loaded) warnAgentMissing(message);
    }, ms);
  } catch (_) {}
}

// `pendo.isReady()` is true: the agent is loaded and initialized.
// JS: calls the agent's isReady, which may throw: caught here.
export function agentReady() {
  try {
    const pendo = ownPendo();
    const isReady = pendoMethod(pendo, 'isReady');
    return isReady !== undefined && callFunction(isReady, pendo) === true;
  } catch (_) {
    return false;
  }
}

// One warning per page that the agent is missing: the stub keeps every call until it arrives.
let agentMissingReported = false;
function warnAgentMissing(message) {
  if (agentMissingReported) return;
  agentMissingReported = true;
  say(0, message);
}
