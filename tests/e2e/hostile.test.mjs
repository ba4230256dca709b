// Hostile pages and hostile events, through real analytics.js and the real Pendo agent (npm
// `@pendo/agent`), whose beacons the local data host decodes: one bad value never costs a good
// event, and the page's own quirks (polluted prototypes, patched built-ins, a window.pendo
// that is not Pendo, a console that throws) never steer the plugin or break it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isolatedContext } from '../../scripts/browser.mjs';
import { openPage, pageHtml, pageServer } from './support.mjs';
import { AGENT_VERSION, agentLoader, answerOffline, pendoBackend } from '../../scripts/pendo-agent.mjs';

const backend = pendoBackend();
const env = pageServer({ html: pageHtml('pendo-wasm e2e, hostile pages'), agent: agentLoader(), handle: backend.handle });

// Each page uses its own Pendo API key: the agent keys its stored identity by it, and its
// beacons go to /data/ptm.gif/<apiKey>.
let keys = 0;
const newApiKey = () => `hostile${String(++keys).padStart(3, '0')}-0000-4000-8000-000000000000`;

const TRACK = { event: { '@path': '$.event' }, metadata: { '@path': '$.properties' } };
const PRESETS = [
  {
    partnerAction: 'identify',
    name: 'Send Identify',
    enabled: true,
    subscribe: 'type = "identify"',
    mapping: { visitorId: { '@path': '$.userId' }, visitorData: { '@path': '$.traits' } },
  },
  { partnerAction: 'track', name: 'Send Track', enabled: true, subscribe: 'type = "track"', mapping: TRACK },
];

/** Settings for a fresh Pendo app whose agent is served by the local server. */
const settings = (extra = {}) => ({ apiKey: newApiKey(), cnameContentHost: env.server.origin, subscriptions: PRESETS, ...extra });

/**
 * A fresh page on which `hostile(arg)` ran before any of the page's own scripts. Returns the
 * page, its console `messages` (`type: text`, page errors as `pageerror: ...`) and the URLs
 * that tried to leave the machine.
 */
async function hostilePage(hostile, arg) {
  const { context, blocked } = await isolatedContext(env.browser, { answer: answerOffline });
  if (hostile) await context.addInitScript(hostile, arg);
  const { page, messages } = await openPage(context, env.server.origin);
  return { context, page, messages, blocked };
}

/**
 * Loads analytics.js with the destination, as a Segment workspace delivers it: `factory` (the
 * npm package, matched by its plugin name) or `remote` (the script build, loaded by URL).
 */
async function startAnalytics(page, how, pendoSettings) {
  await page.evaluate(
    async ({ how, pendoSettings, origin }) => {
      if (how === 'factory') {
        await window.startAnalytics(pendoSettings);
        return;
      }
      window.analytics = window.AnalyticsBrowser.load(
        {
          writeKey: 'hostile',
          cdnSettings: {
            integrations: {},
            remotePlugins: [
              {
                name: 'Pendo Web (Actions)',
                creationName: 'Pendo Web (Actions)',
                libraryName: 'pendo-web-actionsDestination',
                url: `${origin}/pendo-web-actions.global.js`,
                settings: pendoSettings,
              },
            ],
          },
        },
        { integrations: { 'Segment.io': false } },
      );
      await window.analytics;
    },
    { how, pendoSettings, origin: env.server.origin },
  );
}

/** Waits for the real agent to be loaded and initialized. */
async function agentReady(page) {
  await page.waitForFunction(() => typeof window.pendo?.isReady === 'function' && window.pendo.isReady(), null, { timeout: 20_000 });
  assert.equal(await page.evaluate(() => window.pendo.getVersion()), `${AGENT_VERSION}_prod`, 'the real agent runs, not the stub');
}

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
const ours = (messages) => messages.filter((m) => m.includes('Pendo Web (Actions)'));
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
