// End to end: real @segment/analytics-next with the built package in headless Chromium; the
// page's Pendo agent is a local stand-in that records every call it receives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isolatedContext } from '../../scripts/browser.mjs';
import { openPage as open, pageServer } from './support.mjs';

const env = pageServer();
const openPage = (context) => open(context, env.server.origin);

const settings = (extra = {}) => ({ apiKey: 'e2e-key', cnameContentHost: env.server.origin, ...extra });

/** Waits until the recording agent has at least `count` calls, and returns them. */
async function pendoCalls(page, count) {
  await page.waitForFunction((n) => (window.pendoCalls || []).length >= n, count, { timeout: 10_000 });
  return page.evaluate(() => window.pendoCalls);
}

test('identify, group and track through analytics.js reach window.pendo', async () => {
  const { context, blocked } = await isolatedContext(env.browser);
  const { page } = await openPage(context);
  const anonymousId = await page.evaluate(async (s) => {
    const [analytics] = await window.startAnalytics(s);
    return analytics.user().anonymousId();
  }, settings());
  assert.deepEqual(await pendoCalls(page, 1), [['initialize', { visitor: { id: `_PENDO_T_${anonymousId}` } }]]);

  await page.evaluate(async () => {
    await window.analytics.identify('u1', { email: 'ada@example.com', plan: 'pro' });
    await window.analytics.group('g1', { name: 'Acme', parentAccount: { id: 'p1', tier: 'gold' } });
    await window.analytics.track('Order Completed', { total: 120, currency: 'EUR' });
  });
  const calls = await pendoCalls(page, 4);
  assert.deepEqual(calls.slice(1), [
    ['identify', { visitor: { email: 'ada@example.com', plan: 'pro', id: 'u1' } }],
    ['identify', { visitor: { id: 'u1' }, account: { name: 'Acme', id: 'g1' }, parentAccount: { id: 'p1', tier: 'gold' } }],
    ['track', 'Order Completed', { total: 120, currency: 'EUR' }],
  ]);
  assert.deepEqual(env.server.agentRequests.at(-1), 'e2e-key', 'the agent script was requested from the CNAME host');
  assert.equal(await page.evaluate(() => document.scripts[0].src), `${env.server.origin}/agent/static/e2e-key/pendo.js`);
  assert.ok(!blocked.some((url) => url.includes('pendo.io')), `nothing went to Pendo's CDN: ${blocked}`);
  await context.close();
});

test('events sent before the plugin finished loading are delivered in order', async () => {
  const { context } = await isolatedContext(env.browser);
  const { page } = await openPage(context);
  await page.evaluate((s) => {
    const analytics = window.startAnalytics(s);
    for (let i = 0; i < 5; i++) analytics.track(`Early ${i}`, { i });
  }, settings());
  const calls = await pendoCalls(page, 6);
  assert.equal(calls[0][0], 'initialize');
  assert.deepEqual(calls.slice(1), [0, 1, 2, 3, 4].map((i) => ['track', `Early ${i}`, { i }]));
  await context.close();
});

test('initialize carries the known user and group, honouring the disable flags', async () => {
  for (const [flags, expected] of [
    [{}, { visitor: { email: 'ada@example.com', id: 'u1' }, account: { plan: 'pro', id: 'g1' } }],
    [{ disableUserTraitsOnLoad: true }, { visitor: { id: 'u1' }, account: { plan: 'pro', id: 'g1' } }],
    [{ disableGroupIdAndTraitsOnLoad: true }, { visitor: { email: 'ada@example.com', id: 'u1' } }],
    [{ disableUserTraitsOnLoad: true, disableGroupIdAndTraitsOnLoad: true }, { visitor: { id: 'u1' } }],
  ]) {
    const { context } = await isolatedContext(env.browser);
    const first = await openPage(context);
    await first.page.evaluate(async (s) => {
      const analytics = window.startAnalytics(s);
      await analytics.identify('u1', { email: 'ada@example.com' });
      await analytics.group('g1', { plan: 'pro' });
    }, settings(flags));
    await first.page.close();
    // A later page view: analytics.js remembers the user and group, and Pendo starts with them.
    const { page } = await openPage(context);
    await page.evaluate((s) => window.startAnalytics(s), settings(flags));
    const [initialize] = await pendoCalls(page, 1);
    assert.deepEqual(initialize, ['initialize', expected], JSON.stringify(flags));
    await context.close();
  }
});

test('refused settings inject nothing and analytics.js keeps working', async () => {
  const { context } = await isolatedContext(env.browser);
  const { page, messages } = await openPage(context);
  const received = await page.evaluate(async (s) => {
    const seen = [];
    const other = window.recordingDestination('Other Destination', ['track'], (_, ctx) => seen.push(ctx.event.event));
    const [analytics] = await window.startAnalytics(s, { extraPlugins: [other] });
    await analytics.track('Still Works');
    return { seen, pendo: typeof window.pendo, agentScripts: document.querySelectorAll('script[src*="/agent/static/"]').length };
  }, settings({ apiKey: 'bad key"><script>' }));
  assert.deepEqual(received, { seen: ['Still Works'], pendo: 'undefined', agentScripts: 0 });
  assert.ok(messages.some((m) => m.includes('"apiKey"')), `the console names the setting: ${messages.join('\n')}`);
  await context.close();
});

test('a bad event is skipped with a warning and never stops later ones', async () => {
  const { context } = await isolatedContext(env.browser);
  const { page, messages } = await openPage(context);
  await page.evaluate(async (s) => {
    const [analytics] = await window.startAnalytics(s);
    await analytics.group('', { plan: 'none' });
    await analytics.track('After', { ok: true });
  }, settings());
  const calls = await pendoCalls(page, 2);
  assert.deepEqual(calls.slice(1), [['track', 'After', { ok: true }]]);
  assert.ok(messages.some((m) => m.startsWith('warning') && m.includes('Send Group skipped')), messages.join('\n'));
  await context.close();
});

// Segment's runtime gives each action's plugin handlers for track, page, alias, identify and
// group only, so analytics.js never hands it a screen event: a trigger that matches every
// event of the user must not run for `analytics.screen()`.
test('screen events never reach the subscriptions, as in Segment', async () => {
  const { context } = await isolatedContext(env.browser);
  const { page } = await openPage(context);
  const subscriptions = [
    { partnerAction: 'track', name: 'every event of u1', enabled: true, subscribe: 'userId = "u1"', mapping: { event: { '@template': '{{type}}' } } },
  ];
  await page.evaluate(async (s) => {
    const [analytics] = await window.startAnalytics(s);
    await analytics.identify('u1');
    await analytics.screen('Home');
    await analytics.page();
    await analytics.track('Clicked');
  }, settings({ subscriptions }));
  const calls = await pendoCalls(page, 4);
  assert.deepEqual(calls.slice(1).map(([method, event]) => [method, event]), [['track', 'identify'], ['track', 'page'], ['track', 'track']]);
  await context.close();
});

// A load that fails (here the page refuses to create script elements) is said on the console,
// and neither holds back nor breaks the page's analytics.ready() callbacks.
test('when the agent script cannot be added, the error is said and analytics.ready() still resolves', async () => {
  const { context } = await isolatedContext(env.browser);
  const { page, messages } = await openPage(context);
  const outcome = await page.evaluate(async (s) => {
    const create = Document.prototype.createElement;
    Document.prototype.createElement = function (tag, ...rest) {
      if (String(tag).toLowerCase() === 'script') throw new Error('no scripts on this page');
      return create.call(this, tag, ...rest);
    };
    const [analytics] = await window.startAnalytics(s);
    const timeout = new Promise((resolve) => setTimeout(() => resolve('still pending after 3 s'), 3000));
    const ready = analytics.ready().then(() => 'resolved', (error) => `rejected: ${error?.message ?? error}`);
    return Promise.race([ready, timeout]);
  }, settings());
  assert.equal(outcome, 'resolved');
  assert.ok(messages.some((m) => m.includes('cannot create a script element')), messages.join('\n'));
  await context.close();
});
