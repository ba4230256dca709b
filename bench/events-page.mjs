// The per-event page: our plugins, the JavaScript reference and the floor, all calling the same
// recording `window.pendo` in the same page. bench/run.mjs drives it through `window.bench`.
import pendoWebActions from '../js-shim/dist/index.js';
import { makeEvents, visitorAnalytics, EXTRAS, PRESETS } from './workload.mjs';
import { referenceMatches, referenceParseError, referencePlugins } from './reference.mjs';

const TYPES = ['track', 'identify', 'group'];
/** Entries the recording stub pushes per event: one Pendo call of each event. */
const ENTRIES_PER_EVENT = { track: 3, identify: 2, group: 2 };

// The recording stub: every call pushes its method and arguments onto one array, which is
// emptied before each batch.
const calls = [];
const stub = {
  calls,
  initialize(options) {
    calls.push('initialize', options);
  },
  identify(options) {
    calls.push('identify', options);
  },
  track(event, metadata) {
    calls.push('track', event, metadata);
  },
  pageLoad(url) {
    calls.push('pageLoad', url);
  },
  updateOptions(options) {
    calls.push('updateOptions', options);
  },
};

let ours;
let reference;
let pools;

async function setup({ subscriptions, poolSize }) {
  window.pendo = stub;
  pools = Object.fromEntries(TYPES.map((type) => [type, makeEvents(type, poolSize)]));

  // Subscriptions our constructor refuses are reported with console.error: count them.
  const refused = [];
  const consoleError = console.error;
  console.error = (...args) => refused.push(args.map(String).join(' '));
  try {
    ours = await pendoWebActions({ apiKey: 'bench-api-key', subscriptions });
  } finally {
    console.error = consoleError;
  }
  // A visitor without an account yet (group id null), so that Send Identify sends the same
  // call as the reference, which has no such fallback.
  const analytics = visitorAnalytics({ groupId: null });
  await Promise.all(ours.map((plugin) => plugin.load({}, analytics)));
  reference = referencePlugins(subscriptions);
  await Promise.all(reference.map((plugin) => plugin.load({}, analytics)));
  // From here on the stub stands for a loaded agent (ours warns about one that never loads).
  stub.isReady = () => true;

  return {
    crossOriginIsolated: self.crossOriginIsolated,
    subscriptions: subscriptions.length,
    refusedByOurs: refused,
    refusedByReference: subscriptions.map((s) => referenceParseError(s.subscribe)).filter(Boolean),
    plugins: { ours: ours.map((p) => p.name), reference: reference.map((p) => p.name) },
    problems: [...triggerProblems(subscriptions), ...TYPES.flatMap(agreement)],
  };
}

/** The workload's promise: presets match their own type only, extras match nothing. */
function triggerProblems(subscriptions) {
  const problems = [];
  for (const type of TYPES) {
    for (const event of pools[type]) {
      for (const s of subscriptions) {
        const expected = PRESETS.some((p) => p.subscribe === s.subscribe) && s.partnerAction === type;
        if (referenceMatches(s.subscribe, event) !== expected) {
          problems.push(`trigger ${JSON.stringify(s.subscribe)} ${expected ? 'misses' : 'matches'} a ${type} event`);
          break;
        }
      }
    }
  }
  return [...new Set(problems)];
}

/**
 * Ours and the reference make the same Pendo calls for the first 200 events of `type`. Known,
 * intended difference: ours sends `traits.parentAccount` once, as `parentAccount`; the
 * reference also leaves it inside `account`.
 */
function agreement(type) {
  const events = pools[type].slice(0, 200);
  const record = (plugins) => {
    calls.length = 0;
    for (const event of events) for (const plugin of plugins) plugin[type]({ event });
    return split(calls.slice());
  };
  const a = record(ours);
  const b = record(reference).map(([method, ...args]) => {
    if (type === 'group' && args[0]?.account) delete args[0].account.parentAccount;
    return [method, ...args];
  });
  calls.length = 0;
  if (a.length !== events.length || b.length !== events.length) {
    return [`${type}: ${events.length} events made ${a.length} Pendo calls in ours, ${b.length} in the reference`];
  }
  for (let i = 0; i < a.length; i++) {
    if (canonical(a[i]) !== canonical(b[i])) {
      return [`${type}: event ${i} differs: ours ${canonical(a[i])} reference ${canonical(b[i])}`];
    }
  }
  return [];
}

function split(flat) {
  const arity = { initialize: 1, identify: 1, track: 2, pageLoad: 1, updateOptions: 1 };
  const out = [];
  for (let i = 0; i < flat.length; ) {
    const method = flat[i];
    out.push([method, ...flat.slice(i + 1, i + 1 + arity[method])]);
    i += 1 + arity[method];
  }
  return out;
}

function canonical(value) {
  if (value === undefined) return 'undefined';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const keys = Object.keys(value).filter((k) => value[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
}

// ---- timed loops ------------------------------------------------------------------------
// Each loop sends `count` events of one type, cycling through the pool, and returns the
// elapsed milliseconds; the stub's array is emptied first and its length checked after.

function throughPlugins(plugins, type, count) {
  const pool = pools[type];
  const size = pool.length;
  const n = plugins.length;
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    const ctx = { event: pool[i % size] };
    for (let p = 0; p < n; p++) plugins[p][type](ctx);
  }
  return performance.now() - start;
}

function floor(type, count) {
  const pool = pools[type];
  const size = pool.length;
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    const event = pool[i % size];
    window.pendo.track(event.event ?? event.type, event.properties ?? event.traits);
  }
  return performance.now() - start;
}

function batch(impl, type, count) {
  calls.length = 0;
  const ms = impl === 'ours' ? throughPlugins(ours, type, count) : impl === 'reference' ? throughPlugins(reference, type, count) : floor(type, count);
  const expected = count * (impl === 'floor' ? 3 : ENTRIES_PER_EVENT[type]);
  const made = calls.length;
  calls.length = 0;
  return { ms, ok: made === expected, made, expected };
}

window.bench = { setup, batch, extras: EXTRAS.length };
window.benchReady = true;
