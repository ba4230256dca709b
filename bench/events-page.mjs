// The per-event page: our plugins, the JavaScript reference and the floor, all calling the same
// recording `window.pendo` in the same page, with real analytics.js (@segment/analytics-next):
// the plugins are loaded with a real `analytics` instance (so `analytics.user()` and
// `analytics.group()` are analytics.js's own, reading its cookies and localStorage) and called
// with analytics.js's own `Context` objects. A second part sends bursts of events through
// whole analytics.js instances, with ours, the reference or a trivial destination.
// bench/run.mjs drives it through `window.bench`.
import { AnalyticsBrowser, Context } from '@segment/analytics-next';
import pendoWebActions from '../js-shim/dist/index.js';
import { remotePlugin } from '../tests/support/cdn-settings.mjs';
import { makeEvents, EXTRAS, PRESETS, VISITOR } from './workload.mjs';
import referenceDestination, { referenceMatches, referenceParseError, referencePlugins } from './reference.mjs';

/**
 * The measured actions: the plugin method each calls and the events it sends. Identify twice:
 * events that carry their account (`context.groupId`), and events that need the current group.
 */
const ACTIONS = {
  track: { method: 'track', type: 'track' },
  identify: { method: 'identify', type: 'identify', withAccount: true },
  'identify, current group': { method: 'identify', type: 'identify', withAccount: false },
  group: { method: 'group', type: 'group' },
};
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

const analyticsOptions = { integrations: { 'Segment.io': false } };
// CDN settings with no destination of analytics.js's own, and its telemetry to Segment off.
const cdnSettings = (remotePlugins) => ({ integrations: {}, remotePlugins, metrics: { sampleRate: 0 } });
let analytics;
let ours;
let reference;
let pools; // action → analytics.js Contexts
let settings;

async function setup({ subscriptions, poolSize }) {
  window.pendo = stub;
  settings = { apiKey: 'bench-api-key', cnameContentHost: location.origin, subscriptions };
  pools = {};
  for (const [action, { type, withAccount }] of Object.entries(ACTIONS)) {
    const events = makeEvents(type, poolSize);
    // What analytics.identify(userId, traits, { context: { groupId } }) sends.
    if (withAccount) for (const event of events) event.context.groupId = event.traits.company_id;
    pools[action] = events.map((event) => new Context(event));
  }

  // A real analytics.js, offline: no destination of its own, no Segment.io. Its visitor has
  // an account, so the current-group fallback finds one.
  [analytics] = await AnalyticsBrowser.load({ writeKey: 'bench-write-key', cdnSettings: cdnSettings([]) }, analyticsOptions);
  await analytics.identify(VISITOR.userId, VISITOR.userTraits);
  await analytics.group(VISITOR.groupId, VISITOR.groupTraits);

  // Subscriptions our constructor refuses are reported with console.error: count them.
  const refused = [];
  const consoleError = console.error;
  console.error = (...args) => refused.push(args.map(String).join(' '));
  try {
    ours = await pendoWebActions(settings);
  } finally {
    console.error = consoleError;
  }
  await Promise.all(ours.map((plugin) => plugin.load(new Context({ type: 'page' }), analytics)));
  reference = referencePlugins(settings);
  await Promise.all(reference.map((plugin) => plugin.load(new Context({ type: 'page' }), analytics)));
  // From here on the stub stands for a loaded agent (ours warns about one that never loads).
  stub.isReady = () => true;

  return {
    crossOriginIsolated: self.crossOriginIsolated,
    subscriptions: subscriptions.length,
    refusedByOurs: refused,
    refusedByReference: subscriptions.map((s) => referenceParseError(s.subscribe)).filter(Boolean),
    plugins: { ours: ours.map((p) => p.name), reference: reference.map((p) => p.name) },
    groupId: analytics.group().id(),
    contextClass: Object.values(pools).every((pool) => pool.every((ctx) => ctx instanceof Context)) ? 'Context' : 'not Context',
    problems: [...triggerProblems(subscriptions), ...Object.keys(ACTIONS).flatMap(agreement)],
    readerCallsPerEvent: readerCallsPerEvent(),
  };
}

/** The workload's promise: presets match their own type only, extras match nothing. */
function triggerProblems(subscriptions) {
  const problems = [];
  for (const [action, { type }] of Object.entries(ACTIONS)) {
    for (const { event } of pools[action]) {
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
 * Ours and the reference make the same Pendo calls for the first 200 events of `action`, and
 * identify's account is the event's or, without one, the current group's.
 */
function agreement(action) {
  const { method, withAccount } = ACTIONS[action];
  const contexts = pools[action].slice(0, 200);
  const record = (plugins) => {
    calls.length = 0;
    for (const ctx of contexts) for (const plugin of plugins) plugin[method](ctx);
    return split(calls.slice());
  };
  const a = record(ours);
  const b = record(reference);
  calls.length = 0;
  if (a.length !== contexts.length || b.length !== contexts.length) {
    return [`${action}: ${contexts.length} events made ${a.length} Pendo calls in ours, ${b.length} in the reference`];
  }
  for (let i = 0; i < a.length; i++) {
    if (canonical(a[i]) !== canonical(b[i])) {
      return [`${action}: event ${i} differs: ours ${canonical(a[i])} reference ${canonical(b[i])}`];
    }
    if (method === 'identify') {
      const expected = withAccount ? contexts[i].event.context.groupId : analytics.group().id();
      if (a[i][1]?.account?.id !== expected) return [`${action}: event ${i} has account ${canonical(a[i][1]?.account)}, expected id ${expected}`];
    }
  }
  return [];
}

/**
 * How many times ours and the reference call analytics.js's user and group readers
 * (`analytics.group().id()`, `.traits()`, `analytics.user().id()`, `.anonymousId()`, `.traits()`)
 * per identify event, with the account in the event and without: counted by wrapping them
 * (put back as they were after), for 100 events. Each one re-reads analytics.js's storage.
 */
function readerCallsPerEvent() {
  const wrapped = [];
  let counts = {};
  for (const [owner, object] of [['group', analytics.group()], ['user', analytics.user()]]) {
    for (const method of owner === 'group' ? ['id', 'traits'] : ['id', 'anonymousId', 'traits']) {
      const own = Object.getOwnPropertyDescriptor(object, method);
      const original = object[method];
      const name = `${owner}().${method}()`;
      object[method] = function (...args) {
        counts[name] = (counts[name] ?? 0) + 1;
        return original.apply(this, args);
      };
      wrapped.push(() => (own ? Object.defineProperty(object, method, own) : delete object[method]));
    }
  }
  const out = {};
  try {
    for (const action of ['identify', 'identify, current group']) {
      out[action] = {};
      for (const [impl, plugins] of [['ours', ours], ['reference', reference]]) {
        counts = {};
        for (const ctx of pools[action].slice(0, 100)) for (const plugin of plugins) plugin.identify(ctx);
        out[action][impl] = Object.fromEntries(Object.entries(counts).map(([name, c]) => [name, c / 100]));
      }
    }
  } finally {
    for (const restore of wrapped) restore();
    calls.length = 0;
  }
  return out;
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
// Each loop sends `count` events of one action, cycling through the pool, and returns the
// elapsed milliseconds; the stub's array is emptied first and its length checked after.

function throughPlugins(plugins, action, count) {
  const pool = pools[action];
  const method = ACTIONS[action].method;
  const size = pool.length;
  const n = plugins.length;
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    const ctx = pool[i % size];
    for (let p = 0; p < n; p++) plugins[p][method](ctx);
  }
  return performance.now() - start;
}

function floor(action, count) {
  const pool = pools[action];
  const size = pool.length;
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    const { event } = pool[i % size];
    window.pendo.track(event.event ?? event.type, event.properties ?? event.traits);
  }
  return performance.now() - start;
}

/** `count` calls of analytics.js's `analytics.group().id()`, alone. */
function groupIdCalls(count) {
  let found = 0;
  const start = performance.now();
  for (let i = 0; i < count; i++) if (analytics.group().id()) found++;
  const ms = performance.now() - start;
  return { ms, ok: found === count, made: found, expected: count };
}

/**
 * The current-group check, in pairs: blocks of `block` events alternate between ours on events
 * that need the current group and ours on events that carry their account, each of those
 * followed by one `analytics.group().id()` call (the bound). Both sides run in the same state of
 * analytics.js's storage and of the heap, which a batch apart does not share: the call's storage
 * writes cost 30–45 µs here, varying more between batches than the 4 µs of ours. Returns the
 * milliseconds of each side, over `count` events each.
 */
function fallbackPairs(count, block = 50) {
  const need = pools['identify, current group'];
  const carry = pools.identify;
  const n = ours.length;
  let fallbackMs = 0;
  let boundMs = 0;
  let found = 0;
  calls.length = 0;
  for (let done = 0, round = 0; done < count; done += block, round++) {
    const size = Math.min(block, count - done);
    // Alternating which side goes first, so that neither always follows the other.
    for (const side of round % 2 ? ['bound', 'fallback'] : ['fallback', 'bound']) {
      const start = performance.now();
      if (side === 'fallback') {
        for (let i = 0; i < size; i++) {
          const ctx = need[(done + i) % need.length];
          for (let p = 0; p < n; p++) ours[p].identify(ctx);
        }
        fallbackMs += performance.now() - start;
      } else {
        for (let i = 0; i < size; i++) {
          const ctx = carry[(done + i) % carry.length];
          for (let p = 0; p < n; p++) ours[p].identify(ctx);
          if (analytics.group().id()) found++;
        }
        boundMs += performance.now() - start;
      }
    }
  }
  const made = calls.length;
  calls.length = 0;
  const expected = 2 * count * ENTRIES_PER_EVENT.identify;
  return { fallbackMs, boundMs, ok: made === expected && found === count, made, expected };
}

function batch(impl, action, count) {
  if (impl === 'group().id()') return groupIdCalls(count);
  calls.length = 0;
  const ms = impl === 'ours' ? throughPlugins(ours, action, count) : impl === 'reference' ? throughPlugins(reference, action, count) : floor(action, count);
  const expected = count * (impl === 'floor' ? 3 : ENTRIES_PER_EVENT[ACTIONS[action].method]);
  const made = calls.length;
  calls.length = 0;
  return { ms, ok: made === expected, made, expected };
}

// ---- through analytics.js as a whole ----------------------------------------------------

/** A destination that does nothing: what analytics.js costs without one of substance. */
async function trivialDestination() {
  const handle = (ctx) => ctx;
  return [{ name: 'Trivial destination', type: 'destination', version: '1.0.0', isLoaded: () => true, load: async () => {}, track: handle, identify: handle, group: handle, page: handle, alias: handle }];
}
trivialDestination.pluginName = 'Pendo Web (actions)';

const whole = {};

/**
 * One analytics.js per destination, each with it as a workspace delivers it (a remote plugin
 * of the CDN settings, its factory given in `plugins`), Segment.io off.
 */
async function wholeSetup() {
  const factories = { ours: pendoWebActions, reference: referenceDestination, trivial: trivialDestination };
  for (const [impl, factory] of Object.entries(factories)) {
    const { subscriptions, ...rest } = settings;
    const [instance] = await AnalyticsBrowser.load(
      { writeKey: `bench-${impl}`, cdnSettings: cdnSettings([remotePlugin({ url: `${location.origin}/not-fetched.js`, settings: { ...rest, subscriptions } })]), plugins: [factory] },
      analyticsOptions,
    );
    whole[impl] = instance;
  }
  const registered = Object.fromEntries(Object.entries(whole).map(([impl, a]) => [impl, a.queue.plugins.filter((p) => p.type === 'destination').length]));
  const expected = { ours: ours.length, reference: reference.length, trivial: 1 };
  const problems = Object.keys(expected)
    .filter((impl) => registered[impl] !== expected[impl])
    .map((impl) => `${impl}: analytics.js registered ${registered[impl]} destination plugin(s), expected ${expected[impl]}`);
  return { registered, problems };
}

/**
 * `count` events of `type` sent at once through the analytics.js of `impl`, all awaited;
 * returns the milliseconds from the first call to the last event delivered.
 */
async function burst(impl, type, count) {
  const instance = whole[impl];
  const pool = pools[type];
  calls.length = 0;
  const start = performance.now();
  const sent = [];
  for (let i = 0; i < count; i++) {
    const { event } = pool[i % pool.length];
    if (type === 'track') sent.push(instance.track(event.event, event.properties));
    else if (type === 'identify') sent.push(instance.identify(event.userId, event.traits));
    else sent.push(instance.group(event.groupId, event.traits));
  }
  await Promise.all(sent);
  const ms = performance.now() - start;
  const made = calls.length;
  const expected = impl === 'trivial' ? 0 : count * ENTRIES_PER_EVENT[type];
  calls.length = 0;
  return { ms, ok: made === expected, made, expected };
}

window.bench = { setup, batch, fallbackPairs, wholeSetup, burst, actions: Object.keys(ACTIONS), extras: EXTRAS.length };
window.benchReady = true;
