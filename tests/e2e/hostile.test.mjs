// Hostile pages and hostile events, through real analytics.js and the real Pendo agent (npm
// `@pendo/agent`), whose beacons the local data host decodes: one bad value never costs a good
// event, and the page's own quirks (polluted prototypes, patched built-ins, a window.pendo
// that is not Pendo, a console that throws) never steer the plugin or break it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PRESET_MAPPINGS, subscription, without } from '../support/presets.mjs';
import { realAgentServer } from './support.mjs';

// Send Identify without the preset's account id, and Send Track.
const PRESETS = [
  subscription('identify', { name: 'Send Identify', mapping: without(PRESET_MAPPINGS.identify, 'accountId') }),
  subscription('track', { name: 'Send Track' }),
];

// Each page uses its own Pendo API key. Those starting with `noagent` get no agent (404): the
// stub stays, to be looked at.
const { env, backend, newApiKey, settings: settingsFor, offlineContext, open, agentReady: realAgentReady } = realAgentServer({
  title: 'pendo-wasm e2e, hostile pages',
  keyPrefix: 'hostile',
  keyDigits: 3,
  subscriptions: PRESETS,
  otherAgents: { noagent: null },
});

/** Settings for a fresh Pendo app whose agent is served by the local server. */
const settings = (extra = {}) => settingsFor(newApiKey(), extra);

/**
 * A fresh page on which `hostile(arg)` ran before any of the page's own scripts. Returns the
 * page, its console `messages` (`type: text`, page errors as `pageerror: ...`) and the URLs
 * that tried to leave the machine.
 */
async function hostilePage(hostile, arg) {
  const { context, blocked } = await offlineContext();
  if (hostile) await context.addInitScript(hostile, arg);
  const { page, messages } = await open(context);
  return { context, page, messages, blocked };
}

/**
 * Loads analytics.js with the destination, as a Segment workspace delivers it: `factory` (the
 * npm package bundled into the page, matched by its plugin name), `module` (the same, with the
 * package's dist/index.js imported only now, after whatever the page did to itself) or
 * `remote` (the script build, loaded by URL).
 */
async function startAnalytics(page, how, pendoSettings) {
  await page.evaluate(
    async ({ how, pendoSettings, origin }) => {
      if (how === 'factory') {
        await window.startAnalytics(pendoSettings);
        return;
      }
      if (how === 'module') {
        window.pendoWebActions = (await import(`${origin}/index.js`)).default;
        await window.startAnalytics(pendoSettings);
        return;
      }
      window.analytics = window.loadAnalytics({ writeKey: 'hostile', url: `${origin}/pendo-web-actions.global.js`, settings: pendoSettings });
      await window.analytics;
    },
    { how, pendoSettings, origin: env.server.origin },
  );
}

/** Waits for the real agent to be loaded and initialized. */
const agentReady = (page) => realAgentReady(page, { timeout: 20_000 });

/** Makes the agent send what it holds now. */
const flush = (page) => page.evaluate(() => window.pendo.flushNow(true));

/** The track events the agent sent for `apiKey` whose name starts with `prefix`, in the order it collected them. */
const tracksSent = (apiKey, prefix) =>
  backend
    .events(apiKey)
    .filter((e) => e.type === 'track' && e.track_event_name.startsWith(prefix))
    .sort((a, b) => a.sequence - b.sequence);

/** Waits until the agent has sent `count` track events named `prefix...`; returns them in order. */
async function waitForTracks(page, apiKey, prefix, count, timeout = 30_000) {
  await flush(page);
  const deadline = Date.now() + timeout;
  while (tracksSent(apiKey, prefix).length < count) {
    if (Date.now() > deadline) {
      const names = tracksSent(apiKey, prefix).map((e) => e.track_event_name);
      throw new Error(`${names.length} of ${count} track events named ${prefix}... arrived; the first: ${names.slice(0, 20).join(', ')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return tracksSent(apiKey, prefix);
}

/** Our console messages, and the page errors. */
const ours = (messages) => messages.filter((m) => m.includes('Pendo Web (actions)'));
const pageErrors = (messages) => messages.filter((m) => m.startsWith('pageerror'));

// ---- values Pendo cannot send ----------------------------------------------------------------

// Track properties JSON cannot carry, each of its own kind, built in the page. analytics.js
// hands action destinations a deep copy of each event, made by walking plain objects
// ('[object Object]') and arrays; anything else is passed on as it is. So a page's own classes
// (here, objects with a Symbol.toStringTag) carry cycles, getters and Proxies to the plugin,
// as do typed arrays, and BigInts and toJSON methods survive the copy.
const HOSTILE_PROPERTIES = `(() => {
  const tagged = (object) => Object.defineProperty(object, Symbol.toStringTag, { value: 'PageModel' });
  const cyclic = tagged({ name: 'cyclic' });
  cyclic.self = cyclic;
  const revoked = Proxy.revocable({}, {});
  revoked.revoke();
  let reads = 0;
  return [
    () => ({ kind: 'bigint', amount: 12345678901234567890n }),
    () => ({ kind: 'typed array', bytes: new Uint8Array([1, 2, 3]), big: new BigInt64Array(2) }),
    () => ({ kind: 'cycle', node: cyclic }),
    () => ({ kind: 'toJSON', value: { toJSON() { throw new Error('toJSON refuses'); } } }),
    () => ({ kind: 'getter', model: tagged({ get broken() { throw new Error('getter refuses'); }, fine: 1 }) }),
    // A getter that answers once, then throws: read once, the value sent is the first answer.
    () => ({ kind: 'getter once', model: tagged(Object.defineProperty({}, 'once', { enumerable: true, get() { if (reads++ % 2) throw new Error('read twice'); return 'first'; } })) }),
    () => ({ kind: 'revoked', model: tagged({ proxy: revoked.proxy, fine: 2 }) }),
    () => ({ kind: 'nested', deep: { list: [1n, new Uint16Array(1), cyclic, 'ok'] } }),
  ];
})()`;

for (const how of ['factory', 'remote']) {
  test(`values JSON cannot carry never lose the batch they travel in (${how})`, async () => {
    const pendoSettings = settings();
    const { context, page, messages, blocked } = await hostilePage();
    await startAnalytics(page, how, pendoSettings);
    await agentReady(page);
    await page.evaluate(async (source) => {
      const hostile = (0, eval)(source);
      const sent = [];
      for (let i = 0; i < 500; i++) {
        sent.push(window.analytics.track(`Good ${i}`, { i }));
        const make = hostile[i % hostile.length];
        sent.push(window.analytics.track(`Hostile ${i}`, make()));
      }
      await Promise.all(sent);
    }, HOSTILE_PROPERTIES);
    const good = await waitForTracks(page, pendoSettings.apiKey, 'Good ', 500);
    assert.deepEqual(
      good.map((e) => e.track_event_name),
      Array.from({ length: 500 }, (_, i) => `Good ${i}`),
      'every good event arrived, in order',
    );
    assert.deepEqual(good.map((e) => e.props.i), Array.from({ length: 500 }, (_, i) => i));
    const hostile = await waitForTracks(page, pendoSettings.apiKey, 'Hostile ', 500);
    const byKind = Object.fromEntries(hostile.slice(0, 8).map((e) => [e.props.kind, e.props]));
    assert.deepEqual(byKind, {
      bigint: { kind: 'bigint', amount: '12345678901234567890' },
      'typed array': { kind: 'typed array' },
      cycle: { kind: 'cycle', node: { name: 'cyclic' } },
      toJSON: { kind: 'toJSON' },
      getter: { kind: 'getter', model: { fine: 1 } },
      'getter once': { kind: 'getter once', model: { once: 'first' } },
      revoked: { kind: 'revoked', model: { fine: 2 } },
      nested: { kind: 'nested', deep: { list: ['1', null, { name: 'cyclic' }, 'ok'] } },
    });
    const warnings = ours(messages);
    const expected = [/BigInt.*decimal text/, /binary data/, /cycle/, /toJSON/, /cannot be read/];
    assert.equal(warnings.length, expected.length, warnings.join('\n'));
    for (const pattern of expected) assert.equal(warnings.filter((w) => pattern.test(w)).length, 1, `one warning matching ${pattern}:\n${warnings.join('\n')}`);
    assert.ok(warnings.every((w) => w.startsWith('warning: ')), warnings.join('\n'));
    assert.deepEqual(pageErrors(messages), []);
    assert.deepEqual(blocked, []);
    await context.close();
  });
}

// ---- reads that throw, and a console that throws ---------------------------------------------

test('10,000 events whose fields throw, on a page whose console.warn throws: every good event arrives, the module lives on', async () => {
  const pendoSettings = settings({
    subscriptions: [
      // The trigger reads a field that, in the hostile events, is a revoked Proxy.
      // The name comes from a property, which the events skipped with a warning lack.
      {
        partnerAction: 'track',
        name: 'Good tracks',
        enabled: true,
        subscribe: 'type = "track" and properties.kind = "good"',
        mapping: { event: { '@path': '$.properties.title' }, metadata: { '@path': '$.properties' } },
      },
    ],
  });
  const { context, page, messages } = await hostilePage();
  await startAnalytics(page, 'factory', pendoSettings);
  await agentReady(page);
  const sent = await page.evaluate(async () => {
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    // Passed on by analytics.js as it is (see HOSTILE_PROPERTIES).
    const unreadable = () => Object.defineProperty({ kind: revoked.proxy }, Symbol.toStringTag, { value: 'PageModel' });
    const warn = console.warn;
    console.warn = () => {
      throw new Error('console.warn is broken on this page');
    };
    let good = 0;
    try {
      for (let chunk = 0; chunk < 20; chunk++) {
        const calls = [];
        for (let i = 0; i < 500; i++) {
          const n = chunk * 500 + i;
          // Half read a revoked Proxy in the trigger, half are skipped with a warning (no name).
          calls.push(n % 2 ? window.analytics.track('Hostile', unreadable()) : window.analytics.track('Untitled', { kind: 'good' }));
          if (n % 476 === 0) calls.push(window.analytics.track('Good', { kind: 'good', title: `Good ${good++}` }));
        }
        await Promise.all(calls);
      }
    } finally {
      console.warn = warn;
    }
    // The console works again: the next bad event says so, and the next good one arrives.
    await window.analytics.track('Untitled', { kind: 'good' });
    await window.analytics.track('Good', { kind: 'good', title: 'Good after' });
    return good;
  });
  assert.equal(sent, 22);
  const good = await waitForTracks(page, pendoSettings.apiKey, 'Good ', sent + 1);
  assert.deepEqual(
    good.map((e) => e.track_event_name),
    [...Array.from({ length: sent }, (_, i) => `Good ${i}`), 'Good after'],
  );
  assert.ok(good.every((e) => e.visitor_id === `_PENDO_T_${e.visitor_id.slice(9)}` && e.visitor_id.length > 9));
  assert.equal(tracksSent(pendoSettings.apiKey, 'Hostile').length, 0, 'the trigger does not match a field it cannot read');
  // Said once: through the console as it was when the plugin loaded, while the page's throws.
  assert.deepEqual(ours(messages), [
    'warning: Pendo Web (actions): Send Track skipped: the event has no name (said once per page: later events skipped for this reason are skipped quietly)',
  ]);
  assert.deepEqual(pageErrors(messages), []);
  await context.close();
});

// ---- subscriptions that cannot be read --------------------------------------------------------

test('one unreadable subscription is left out with one error; the other 58 of 60 run', async () => {
  const { context, page, messages } = await hostilePage();
  const apiKey = newApiKey();
  await page.evaluate(
    async ({ apiKey, origin }) => {
      const subscriptions = [];
      for (let i = 0; i < 60; i++) {
        subscriptions[i] = {
          partnerAction: 'track',
          name: `Sub ${i}`,
          enabled: true,
          subscribe: `type = "track" and event = "Sub ${i}"`,
          mapping: { event: { '@path': '$.event' }, metadata: { '@literal': { subscription: i } } },
        };
      }
      Object.defineProperty(subscriptions, 7, { enumerable: true, get: () => { throw new Error('slot 7 refuses'); } });
      const revoked = Proxy.revocable({}, {});
      revoked.revoke();
      subscriptions[31].mapping = revoked.proxy;
      window.plugins = await window.pendoWebActions({ apiKey, cnameContentHost: origin, subscriptions });
      window.analytics = window.AnalyticsBrowser.load(
        { writeKey: 'hostile', cdnSettings: { integrations: {} }, plugins: window.plugins },
        { integrations: { 'Segment.io': false } },
      );
      await window.analytics;
    },
    { apiKey, origin: env.server.origin },
  );
  await agentReady(page);
  await page.evaluate(async () => {
    for (let i = 0; i < 60; i++) await window.analytics.track(`Sub ${i}`, {});
  });
  const expected = Array.from({ length: 60 }, (_, i) => i).filter((i) => i !== 7 && i !== 31);
  const tracks = await waitForTracks(page, apiKey, 'Sub ', expected.length);
  assert.deepEqual(tracks.map((e) => [e.track_event_name, e.props.subscription]), expected.map((i) => [`Sub ${i}`, i]));
  assert.deepEqual(ours(messages), [
    'error: Pendo Web (actions): subscription "#8" is disabled: it cannot be read as JSON data',
    'error: Pendo Web (actions): subscription "Sub 31" is disabled: its mapping cannot be read as JSON data',
  ]);
  assert.deepEqual(pageErrors(messages), []);
  await context.close();
});

// ---- window.pendo that is not Pendo -----------------------------------------------------------

const NOT_PENDO = {
  'a string': { setup: `window.pendo = 'pendo goes here';`, message: /window\.pendo is a string, not Pendo/ },
  'a number': { setup: `window.pendo = 42;`, message: /window\.pendo is a number, not Pendo/ },
  'a frozen {}': { setup: `window.pendo = Object.freeze({});`, message: /window\.pendo is a frozen \(or sealed\) object without Pendo's methods/ },
  'a getter that throws': { setup: `Object.defineProperty(window, 'pendo', { get() { throw new Error('no'); } });`, message: /window\.pendo cannot be read/ },
};

for (const [what, { setup, message }] of Object.entries(NOT_PENDO)) {
  test(`window.pendo is ${what}: one console error, no page error, analytics.js and its other destinations carry on`, async () => {
    const { context, page, messages } = await hostilePage(setup);
    const pendoSettings = settings();
    const before = await page.evaluate(() => { try { return String(window.pendo); } catch (_) { return 'unreadable'; } });
    await page.evaluate(async (s) => {
      // A destination that records what analytics.js hands it: analytics.js keeps working.
      window.recorded = [];
      const recorder = window.recordingDestination('Recorder', ['track', 'identify'], (method, ctx) => window.recorded.push([method, ctx.event.event ?? ctx.event.userId]));
      await window.startAnalytics(s, { extraPlugins: [recorder] });
      await window.analytics.identify('u1', { plan: 'pro' });
      await window.analytics.track('Still Working', { n: 1 });
    }, pendoSettings);
    assert.deepEqual(await page.evaluate(() => window.recorded), [['identify', 'u1'], ['track', 'Still Working']]);
    const after = await page.evaluate(() => { try { return String(window.pendo); } catch (_) { return 'unreadable'; } });
    assert.equal(after, before, 'window.pendo is left as the page set it');
    assert.equal(await page.evaluate(() => document.querySelectorAll('script[src*="/agent/static/"]').length), 0, 'no agent script');
    const errors = ours(messages);
    assert.equal(errors.length, 1, errors.join('\n'));
    assert.match(errors[0], /^error: Pendo Web \(actions\): /);
    assert.match(errors[0], message);
    assert.match(errors[0], /nothing is sent to Pendo/);
    assert.deepEqual(pageErrors(messages), []);
    await context.close();
  });
}

test('window.pendo is an empty object the page set early: it becomes the stub, and the agent loads on it', async () => {
  const { context, page, messages } = await hostilePage(`window.pendo = {}; window.earlyPendo = window.pendo;`);
  const pendoSettings = settings();
  await startAnalytics(page, 'factory', pendoSettings);
  await agentReady(page);
  await page.evaluate(() => window.analytics.track('On The Early Object', { n: 1 }));
  const [track] = await waitForTracks(page, pendoSettings.apiKey, 'On The Early Object', 1);
  assert.deepEqual(track.props, { n: 1 });
  assert.deepEqual(ours(messages), []);
  assert.deepEqual(pageErrors(messages), []);
  await context.close();
});

// ---- polluted prototypes and patched built-ins ------------------------------------------------

// Prototype pollution as the page's own scripts do it (not enumerable, so that analytics.js
// and the agent, which copy objects with for...in, are not thrown off themselves), before any
// of the page's scripts run.
const POLLUTED_QUEUE = `Object.defineProperty(Object.prototype, '_q', { value: [['initialize', { visitor: { id: 'evil-visitor' } }], ['track', 'Evil Event']], writable: true, configurable: true });`;
const POLLUTED_PENDO = `window.evilCalls = [];
const evil = {};
for (const method of ['initialize', 'identify', 'track', 'pageLoad', 'updateOptions']) evil[method] = () => window.evilCalls.push(method);
Object.defineProperty(Object.prototype, 'pendo', { value: evil, writable: true, configurable: true });`;
// Old libraries wrap Array.prototype.push and unshift, forwarding but returning nothing.
const SLOPPY_ARRAYS = `for (const name of ['push', 'unshift']) {
  const original = Array.prototype[name];
  Array.prototype[name] = function () { original.apply(this, arguments); };
}`;

const PAGES = {
  'Object.prototype._q holds an initialize for another visitor': POLLUTED_QUEUE,
  'Object.prototype.pendo is set': POLLUTED_PENDO,
  'Array.prototype.push and unshift return nothing': SLOPPY_ARRAYS,
};

for (const [what, hostile] of Object.entries(PAGES)) {
  for (const how of ['factory', 'remote']) {
    test(`${what} (${how}): the page does not steer the plugin; the agent gets the right visitor and every event`, async () => {
      const { context, page, messages, blocked } = await hostilePage(hostile);
      const pendoSettings = settings();
      await startAnalytics(page, how, pendoSettings);
      await agentReady(page);
      const anonymousId = await page.evaluate(async () => (await window.analytics)[0].user().anonymousId());
      const visitor = `_PENDO_T_${anonymousId}`;
      const meta = await backend.waitForEvent((e) => e.type === 'meta', { apiKey: pendoSettings.apiKey, what: 'the meta event of the load' });
      assert.equal(meta.visitor_id, visitor, 'the visitor at load');
      assert.equal(await page.evaluate(() => window.pendo.getVisitorId()), visitor);

      await page.evaluate(async () => {
        await window.analytics.identify('u1', { plan: 'pro' });
        await window.analytics.track('Checked Out', { total: 12, items: ['a', 'b'] });
      });
      const identified = await backend.waitForEvent((e) => e.type === 'identify' && e.visitor_id === 'u1', { apiKey: pendoSettings.apiKey, what: 'the identify of u1' });
      assert.equal(identified.props.old_visitor_id, visitor);
      const [track] = await waitForTracks(page, pendoSettings.apiKey, 'Checked Out', 1);
      assert.deepEqual(track.props, { total: 12, items: ['a', 'b'] });
      assert.equal(track.visitor_id, 'u1');
      assert.equal(await page.evaluate(() => window.pendo.getVisitorId()), 'u1');
      const sent = backend.events(pendoSettings.apiKey);
      assert.ok(!sent.some((e) => e.visitor_id === 'evil-visitor' || e.track_event_name === 'Evil Event'), 'nothing from the polluted queue');
      assert.deepEqual(await page.evaluate(() => window.evilCalls ?? []), [], 'the inherited pendo got no calls');
      assert.deepEqual(ours(messages), []);
      assert.deepEqual(pageErrors(messages), []);
      assert.deepEqual(blocked, []);
      await context.close();
    });
  }
}

// Enumerable pollution (a plain `Object.prototype.x = ...`) throws off esbuild's export helper,
// which walks inherited keys: in the page's own bundle of analytics.js (so it is done here once
// that bundle has run), and formerly in the package's builds. Both builds now load on such a
// page, and their stub holds only what the plugin put there. (The agent is kept away: it copies
// objects with for...in itself, and is thrown off by such a page on its own account.)
for (const how of ['module', 'remote']) {
  test(`enumerable keys on Object.prototype (${how}): the package loads, its stub holds only its own calls`, async () => {
    const { context, page, messages } = await hostilePage();
    // A script element, so that the page's own realm is polluted: WebDriver may run
    // `executeScript` in a realm of its own (Firefox does), whose `Object` is not the page's; so
    // the page's is read as `window.Object` below.
    await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = `window.evilCalls = [];
        Object.prototype._q = [['initialize', { visitor: { id: 'evil-visitor' } }]];
        Object.prototype.pendo = { initialize: () => window.evilCalls.push('initialize'), track: () => window.evilCalls.push('track') };`;
      document.head.append(script);
    });
    assert.deepEqual(await page.evaluate(() => [...document.scripts].some((s) => s.textContent.includes('evil-visitor')) && Object.keys(window.Object.prototype)), ['_q', 'pendo'], 'the page is polluted');
    const pendoSettings = settings({ apiKey: `noagent${newApiKey()}` });
    await startAnalytics(page, how, pendoSettings);
    const state = await page.evaluate(async () => {
      const [analytics] = await window.analytics;
      await window.analytics.identify('u1', { plan: 'pro' });
      await window.analytics.track('Checked Out', { total: 12 });
      const own = (object, key) => Object.prototype.hasOwnProperty.call(object, key);
      return {
        anonymousId: analytics.user().anonymousId(),
        ownPendo: own(window, 'pendo'),
        ownQueue: own(window.pendo, '_q'),
        queue: window.pendo._q,
        inheritedQueue: window.Object.prototype._q,
        evilCalls: window.evilCalls,
        scripts: document.querySelectorAll('script[src*="/agent/static/"]').length,
      };
    });
    assert.deepEqual(state, {
      anonymousId: state.anonymousId,
      ownPendo: true,
      ownQueue: true,
      queue: [
        ['initialize', { visitor: { id: `_PENDO_T_${state.anonymousId}` } }],
        ['identify', { visitor: { plan: 'pro', id: 'u1' } }],
        ['track', 'Checked Out', { total: 12 }],
      ],
      inheritedQueue: [['initialize', { visitor: { id: 'evil-visitor' } }]],
      evilCalls: [],
      scripts: 1,
    });
    assert.deepEqual(pageErrors(messages), []);
    await context.close();
  });
}
