// Subscriptions through the factory, as a Segment workspace sends them: triggers and mappings
// are evaluated in WebAssembly for every event.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isolatedContext, openPage } from '../../scripts/browser.mjs';
import { PRESET_MAPPINGS } from '../support/presets.mjs';
import { pageHtml, pageServer, withoutWebAssembly } from './support.mjs';

// While true, the full build's module answers 404.
let fullBuildMissing = false;
const env = pageServer({
  html: pageHtml('subscriptions'),
  handle: (_request, response, url) => {
    if (!fullBuildMissing || url.pathname !== '/pendo_wasm_full.js') return false;
    response.writeHead(404).end();
    return true;
  },
});

const sub = (partnerAction, subscribe, mapping, extra = {}) => ({ partnerAction, name: `${partnerAction}: ${subscribe}`, enabled: true, subscribe, mapping, ...extra });
const TRACK_MAPPING = PRESET_MAPPINGS.track;

/**
 * Creates the plugins with `subscriptions`, loads them, sends `events` (each `{type, ...}`)
 * to every plugin as analytics.js does, and returns the plugin names, the calls Pendo
 * received after initialize, and the console errors.
 */
async function run(subscriptions, events, { asJson = false } = {}) {
  const { context } = await isolatedContext(env.browser);
  const { page, consoleMessages } = await openPage(context, `${env.server.origin}/`);
  const names = await page.evaluate(async ({ settings, events }) => {
    const analytics = window.fakeAnalytics({ userId: null, anonymousId: 'anon', groupId: null });
    const plugins = await window.pendoWebActions(settings);
    await Promise.all(plugins.map((plugin) => plugin.load({}, analytics)));
    for (const event of events) for (const plugin of plugins) plugin[event.type]({ event });
    window.sent = true;
    return plugins.map((plugin) => plugin.name);
  }, { settings: { apiKey: 'subs', cnameContentHost: env.server.origin, subscriptions: asJson ? JSON.stringify(subscriptions) : subscriptions }, events });
  // The recording agent replays the queue when its script has run.
  await page.waitForFunction(() => typeof window.pendo?.isReady === 'function', null, { timeout: 10_000 });
  const calls = await page.evaluate(() => window.pendoCalls.slice(1));
  await context.close();
  const errors = consoleMessages.filter(({ type }) => type === 'error').map(({ text }) => text);
  return { names, calls, errors };
}

test('every matching subscription of an action runs, in order; disabled ones never do', async () => {
  const { names, calls } = await run(
    [
      sub('track', 'type = "track"', TRACK_MAPPING),
      sub('track', 'type = "track"', { event: { '@template': 'copy of {{event}}' } }),
      sub('track', 'type = "track"', TRACK_MAPPING, { enabled: false }),
    ],
    [{ type: 'track', event: 'Clicked', properties: { a: 1 } }],
    { asJson: true },
  );
  assert.deepEqual(names, ['Pendo Web (actions) track']);
  assert.deepEqual(calls, [['track', 'Clicked', { a: 1 }], ['track', 'copy of Clicked']]);
});

test('a trigger on event name and a numeric property', async () => {
  const { calls } = await run(
    [sub('track', 'event = "Order Completed" and properties.total > 100', TRACK_MAPPING)],
    [
      { type: 'track', event: 'Order Completed', properties: { total: 120 } },
      { type: 'track', event: 'Order Completed', properties: { total: 80 } },
      { type: 'track', event: 'Order Completed', properties: { total: '120' } },
      { type: 'track', event: 'Order Started', properties: { total: 500 } },
    ],
  );
  assert.deepEqual(calls, [['track', 'Order Completed', { total: 120 }]]);
});

test('a broken trigger disables only its own subscription, with an error quoting it', async () => {
  const { calls, errors } = await run(
    [sub('track', 'type = "track" and (event = "x"', TRACK_MAPPING), sub('track', 'type = "track"', TRACK_MAPPING)],
    [{ type: 'track', event: 'Still Here' }],
  );
  assert.deepEqual(calls, [['track', 'Still Here']]);
  assert.equal(errors.length, 1, errors.join('\n'));
  assert.match(errors[0], /type = \\?"track\\?" and \(event = \\?"x\\?"/);
  assert.match(errors[0], /position \d+/);
});

test('a custom mapping renames fields', async () => {
  const { calls } = await run(
    [
      sub('identify', 'type = "identify"', {
        visitorId: { '@path': '$.traits.email' },
        visitorData: { fullName: { '@path': '$.traits.name' }, plan: { '@case': { value: { '@path': '$.traits.tier' }, operator: 'upper' } } },
        accountId: { '@path': '$.traits.company' },
      }),
    ],
    [{ type: 'identify', userId: 'u1', traits: { email: 'ada@example.com', name: 'Ada', tier: 'pro', company: 'acme' } }],
  );
  assert.deepEqual(calls, [['identify', { visitor: { fullName: 'Ada', plan: 'PRO', id: 'ada@example.com' }, account: { id: 'acme' } }]]);
});

test('the default build runs @path, @if and @template; a workspace with another directive gets the full build', async (t) => {
  if (withoutWebAssembly) return t.skip('pages without WebAssembly fetch the JavaScript build, which has every directive');
  // A page with WebAssembly never fetches the JavaScript build for pages without it.
  const builds = () => ['/pendo_wasm_bg.wasm', '/pendo_wasm_full.js', '/pendo_wasm_full_bg.wasm', '/pendo_wasm_fallback.js'].filter((path) => env.requested.has(path));
  env.requested.clear();
  const common = await run(
    [
      sub('identify', 'type = "identify"', PRESET_MAPPINGS.identify),
      sub('track', 'type = "track"', { event: { '@template': 'Viewed {{properties.plan}}' }, metadata: { '@path': '$.properties' } }),
      // Disabled: its directive does not call for the full build.
      sub('track', 'type = "track"', { event: { '@case': { value: { '@path': '$.event' }, operator: 'upper' } } }, { enabled: false }),
    ],
    [{ type: 'track', event: 'Viewed', properties: { plan: 'pro' } }],
  );
  assert.deepEqual(common.calls, [['track', 'Viewed pro', { plan: 'pro' }]]);
  assert.deepEqual(builds(), ['/pendo_wasm_bg.wasm']);
  env.requested.clear();
  const full = await run(
    [sub('track', 'type = "track"', { event: { '@case': { value: { '@path': '$.event' }, operator: 'upper' } } })],
    [{ type: 'track', event: 'Viewed' }],
    { asJson: true },
  );
  assert.deepEqual(full.calls, [['track', 'VIEWED']]);
  assert.deepEqual(full.errors, []);
  assert.deepEqual(builds(), ['/pendo_wasm_bg.wasm', '/pendo_wasm_full.js', '/pendo_wasm_full_bg.wasm']);
});

test('the default build has no words for what is wrong with a workspace: the full build says it', async (t) => {
  if (withoutWebAssembly) return t.skip('pages without WebAssembly fetch the JavaScript build, which has the words');
  const builds = () => ['/pendo_wasm_bg.wasm', '/pendo_wasm_full.js', '/pendo_wasm_full_bg.wasm'].filter((path) => env.requested.has(path));
  // A subscription left out, and one whose trigger is not well-formed (it runs).
  env.requested.clear();
  const problems = await run(
    [sub('track', 'type = "track" and (event = "x"', TRACK_MAPPING), sub('track', 'type = "track" and', TRACK_MAPPING)],
    [{ type: 'track', event: 'Still Here' }],
  );
  assert.deepEqual(problems.calls, [['track', 'Still Here']]);
  assert.deepEqual(problems.errors, [
    'Pendo Web (actions): subscription "track: type = "track" and (event = "x"" is disabled: cannot parse trigger "type = \\"track\\" and (event = \\"x\\"" at position 19: unclosed parenthesis',
  ]);
  assert.deepEqual(builds(), ['/pendo_wasm_bg.wasm', '/pendo_wasm_full.js', '/pendo_wasm_full_bg.wasm']);
  // A refused setting: the full build says why; where it cannot be fetched, the default
  // build's refusal names the setting.
  const refusal = async () => {
    const { context } = await isolatedContext(env.browser);
    const { page } = await openPage(context, `${env.server.origin}/`);
    const message = await page.evaluate(() => window.pendoWebActions({ apiKey: 'k', nonce: '"><script>' }).then(() => 'resolved', (error) => error.message));
    const injected = await page.evaluate(() => document.querySelectorAll('script[src*="pendo"]').length);
    await context.close();
    return { message, injected };
  };
  env.requested.clear();
  assert.deepEqual(await refusal(), { message: 'Pendo Web (actions): setting "nonce" must be a CSP nonce (base64 characters only)', injected: 0 });
  assert.deepEqual(builds(), ['/pendo_wasm_bg.wasm', '/pendo_wasm_full.js', '/pendo_wasm_full_bg.wasm']);
  fullBuildMissing = true;
  try {
    assert.deepEqual(await refusal(), { message: 'Pendo Web (actions): setting "nonce" is refused', injected: 0 });
  } finally {
    fullBuildMissing = false;
  }
});

test('Send Page calls pendo.pageLoad with the page url', async () => {
  const { names, calls } = await run(
    [sub('pageLoad', 'type = "page"', PRESET_MAPPINGS.pageLoad)],
    [
      { type: 'page', name: 'Pricing', context: { page: { url: 'https://app.example.com/pricing' } } },
      { type: 'track', event: 'Not a page' },
    ],
  );
  assert.deepEqual(names, ['Pendo Web (actions) pageLoad']);
  assert.deepEqual(calls, [['pageLoad', 'https://app.example.com/pricing']]);
});

test('without subscriptions the three presets run; Send Page has none', async () => {
  const { names } = await run(undefined, []);
  assert.deepEqual(names, ['Pendo Web (actions) identify', 'Pendo Web (actions) group', 'Pendo Web (actions) track']);
});
