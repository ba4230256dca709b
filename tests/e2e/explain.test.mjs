// Explain mode (the setting `debug`, or `localStorage['pendo-wasm:debug'] = '1'`), end to end:
// real analytics.js with the built package; every console group the page prints is recorded
// through the page's own console, and the recording agent shows what reached window.pendo.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isolatedContext } from '../../scripts/browser.mjs';
import { openPage as open, pageServer, withoutWebAssembly } from './support.mjs';

const env = pageServer();

const track = (name, subscribe, mapping = { event: { '@path': '$.event' }, metadata: { '@path': '$.properties' } }) => ({
  partnerAction: 'track',
  name,
  enabled: true,
  subscribe,
  mapping,
});
// Send Track twice: every track, and big orders only; and Send Identify as preset.
const SUBSCRIPTIONS = [
  { partnerAction: 'identify', name: 'Identify', enabled: true, subscribe: 'type = "identify"', mapping: { visitorId: { '@path': '$.userId' } } },
  track('Every track', 'type = "track"'),
  track('Big orders', 'type = "track" and event = "Order Completed" and properties.total > 100', {
    event: { '@path': '$.properties.pendoName' },
  }),
];
const settings = (extra = {}) => ({ apiKey: 'e2e-key', cnameContentHost: env.server.origin, subscriptions: SUBSCRIPTIONS, ...extra });

/**
 * Opens the page with the console recorded: `window.groups` gets one `{title, lines}` per
 * console group, `window.logged` every other console.log. `beforeStart` runs first in the page.
 */
async function openRecorded(context, beforeStart = '') {
  await context.addInitScript(`(() => {
    ${beforeStart}
    window.groups = [];
    window.logged = [];
    let open = null;
    const { groupCollapsed, log, groupEnd } = console;
    console.groupCollapsed = (title, ...rest) => { open = { title: String(title), lines: [] }; return groupCollapsed.call(console, title, ...rest); };
    console.log = (...args) => { (open ? open.lines : window.logged).push(args.map(String).join(' ')); return log.apply(console, args); };
    console.groupEnd = () => { if (open) window.groups.push(open); open = null; return groupEnd.call(console); };
  })();`);
  return open(context, env.server.origin);
}

/** Waits for `count` console groups, and returns them. */
async function groups(page, count) {
  await page.waitForFunction((n) => window.groups.length >= n, count, { timeout: 10_000 });
  await page.waitForTimeout(100);
  return page.evaluate(() => window.groups);
}

test('debug: one console group per event, saying why it did or did not reach Pendo', async () => {
  const { context } = await isolatedContext(env.browser);
  const { page, messages } = await openRecorded(context);
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.evaluate(async (s) => {
    const analytics = window.startAnalytics(s);
    await analytics.ready();
    await analytics.track('Order Completed', { total: 120, currency: 'EUR', pendoName: 'Big order' });
    await analytics.track('Order Completed', { total: 80 });
    await analytics.track('Signed Up');
  }, settings({ debug: true }));
  const [matched, unmatched, other, ...more] = await groups(page, 3);
  assert.deepEqual(more, []);

  // Matched: both Send Track subscriptions run, each with its payload and its Pendo call.
  assert.equal(matched.title, 'Pendo Web (actions): track "Order Completed"');
  assert.deepEqual(matched.lines, [
    'Send Identify Event, subscription "Identify" (type = "identify"): not matched, type = "identify" is false: it saw "track"',
    'Send Track Event, subscription "Every track" (type = "track"): matched',
    '  payload {"event":"Order Completed","metadata":{"total":120,"currency":"EUR","pendoName":"Big order"}}',
    '  Pendo call: pendo.track("Order Completed", {"total":120,"currency":"EUR","pendoName":"Big order"})',
    'Send Track Event, subscription "Big orders" (type = "track" and event = "Order Completed" and properties.total > 100): matched',
    '  payload {"event":"Big order"}',
    '  Pendo call: pendo.track("Big order")',
  ]);
  // Unmatched: the first condition that failed, and the value it saw.
  assert.equal(unmatched.title, 'Pendo Web (actions): track "Order Completed"');
  assert.equal(
    unmatched.lines.at(-1),
    'Send Track Event, subscription "Big orders" (type = "track" and event = "Order Completed" and properties.total > 100): not matched, properties.total > 100 is false: it saw 80',
  );
  assert.equal(
    other.lines.at(-1),
    'Send Track Event, subscription "Big orders" (type = "track" and event = "Order Completed" and properties.total > 100): not matched, event = "Order Completed" is false: it saw "Signed Up"',
  );
  // What the explanation says is what happened.
  const calls = await page.evaluate(() => window.pendoCalls.filter(([method]) => method === 'track'));
  assert.deepEqual(calls, [
    ['track', 'Order Completed', { total: 120, currency: 'EUR', pendoName: 'Big order' }],
    ['track', 'Big order'],
    ['track', 'Order Completed', { total: 80 }],
    ['track', 'Signed Up', {}],
  ]);
  assert.deepEqual(pageErrors, []);
  assert.deepEqual(messages.filter((m) => /^(error|warn|warning|pageerror):/.test(m)), []);
  if (!withoutWebAssembly) assert.ok(env.requested.has('/pendo_wasm_full_bg.wasm'), 'explain mode runs in the full build');
  await context.close();
});

test('a skipped event names the missing required field; identify shows its user', async () => {
  const { context } = await isolatedContext(env.browser);
  const { page } = await openRecorded(context);
  await page.evaluate(async (s) => {
    const analytics = window.startAnalytics(s);
    await analytics.ready();
    // Big enough for "Big orders", whose mapping takes the name from a property it lacks.
    await analytics.track('Order Completed', { total: 500 });
    await analytics.identify('u1', { plan: 'pro' });
  }, settings({ debug: true }));
  const [skipped, identify] = await groups(page, 2);
  assert.deepEqual(skipped.lines.slice(-3), [
    'Send Track Event, subscription "Big orders" (type = "track" and event = "Order Completed" and properties.total > 100): matched',
    '  payload {}',
    '  no Pendo call: Send Track skipped: the event has no name',
  ]);
  assert.equal(identify.title, 'Pendo Web (actions): identify, userId "u1"');
  assert.deepEqual(identify.lines, [
    'Send Identify Event, subscription "Identify" (type = "identify"): matched',
    '  payload {"visitorId":"u1"}',
    '  Pendo call: pendo.identify({"visitor":{"id":"u1"}})',
    'Send Track Event, subscription "Every track" (type = "track"): not matched, type = "track" is false: it saw "identify"',
    'Send Track Event, subscription "Big orders" (type = "track" and event = "Order Completed" and properties.total > 100): not matched, type = "track" is false: it saw "identify"',
  ]);
  await context.close();
});

/**
 * Starts analytics.js with `settings`, sends `track('Signed Up')`, and waits until Pendo has it
 * and the end of the task (where explain mode prints its groups) has passed.
 */
async function trackSignedUp(page, settings) {
  await page.evaluate(async (s) => {
    const analytics = window.startAnalytics(s);
    await analytics.ready();
    await analytics.track('Signed Up');
  }, settings);
  await page.waitForFunction(() => window.pendoCalls?.some(([method]) => method === 'track'), null, { timeout: 10_000 });
  await page.waitForTimeout(200);
}

test("localStorage['pendo-wasm:debug'] = '1' turns it on; without it and without debug nothing is explained", async () => {
  for (const [switchOn, expectedGroups] of [[true, 1], [false, 0]]) {
    const { context } = await isolatedContext(env.browser);
    const before = switchOn ? "localStorage.setItem('pendo-wasm:debug', '1');" : "localStorage.setItem('pendo-wasm:debug', 'yes');";
    const { page } = await openRecorded(context, before);
    await trackSignedUp(page, settings());
    const recorded = await page.evaluate(() => ({ groups: window.groups, logged: window.logged }));
    assert.equal(recorded.groups.length, expectedGroups, JSON.stringify(recorded));
    if (switchOn) assert.equal(recorded.groups[0].title, 'Pendo Web (actions): track "Signed Up"');
    assert.deepEqual(recorded.logged, [], 'nothing is logged outside the groups');
    await context.close();
  }
});

test('a localStorage that throws leaves explain mode off and everything else working', async () => {
  const { context } = await isolatedContext(env.browser);
  const { page } = await openRecorded(
    context,
    "Object.defineProperty(window, 'localStorage', { configurable: true, get() { throw new DOMException('blocked', 'SecurityError'); } });",
  );
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await trackSignedUp(page, settings());
  assert.deepEqual(await page.evaluate(() => window.groups), []);
  assert.deepEqual(pageErrors, []);
  await context.close();
});

test('a debug setting that is not a boolean is refused, naming it', async () => {
  const { context } = await isolatedContext(env.browser);
  const { page } = await openRecorded(context);
  const refused = await page.evaluate(async (s) => {
    try {
      await window.pendoWebActions(s);
      return 'resolved';
    } catch (error) {
      return error.message;
    }
  }, settings({ debug: 'yes' }));
  assert.equal(refused, 'Pendo Web (actions): setting "debug" must be true or false');
  assert.equal(await page.evaluate(() => document.querySelectorAll('script[src*="/agent/static/"]').length), 0);
  await context.close();
});

test('a console whose groups throw prints nothing and breaks nothing', async () => {
  const { context } = await isolatedContext(env.browser);
  const { page } = await openRecorded(context, "console.groupCollapsed = () => { throw new Error('no groups here'); };");
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.evaluate(async (s) => {
    const analytics = window.startAnalytics(s);
    await analytics.ready();
    await analytics.track('Signed Up');
    await analytics.track('Order Completed', { total: 500, pendoName: 'Big order' });
  }, settings({ debug: true }));
  await page.waitForFunction(() => window.pendoCalls?.filter(([method]) => method === 'track').length >= 3, null, { timeout: 10_000 });
  await page.waitForTimeout(200);
  const calls = await page.evaluate(() => window.pendoCalls.filter(([method]) => method === 'track').map(([, name]) => name));
  assert.deepEqual(calls, ['Signed Up', 'Order Completed', 'Big order']);
  assert.deepEqual(await page.evaluate(() => window.groups), []);
  assert.deepEqual(await page.evaluate(() => window.logged), [], 'no line printed outside a group');
  assert.deepEqual(pageErrors, []);
  await context.close();
});
