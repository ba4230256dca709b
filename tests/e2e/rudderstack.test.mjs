// End to end with RudderStack's real JavaScript SDK (npm `@rudderstack/analytics-js`) and the
// real Pendo agent: the page adds the package's RudderStack entry as the integration of a
// "Custom Device Mode" destination; the SDK reads its source configuration from the test
// server (`configUrl`) and sends its own events to a data plane that is the test server too.
// What is asserted is what the real agent SENT to its data host, decoded from its beacons.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RECORDING_AGENT } from '../../scripts/local-server.mjs';
import { realAgentServer } from './support.mjs';

const DESTINATION_ID = 'pendo-custom-device-mode';

/** The source configuration RudderStack's control plane would answer, with one Custom Device Mode destination. */
const SOURCE_CONFIG = {
  isHosted: true,
  source: {
    id: 'rudderstack-e2e-source',
    name: 'pendo-wasm e2e',
    workspaceId: 'rudderstack-e2e-workspace',
    enabled: true,
    config: {},
    destinations: [
      {
        id: DESTINATION_ID,
        enabled: true,
        config: {},
        destinationDefinition: { name: 'CUSTOM_DEVICE_MODE', displayName: 'Custom Device Mode' },
        shouldApplyDeviceModeTransformation: false,
        propagateEventsUntransformedOnError: false,
      },
    ],
  },
};

/** What the SDK sent to its data plane (the test server), as `{ path, body }`. */
const dataPlane = [];
const CORS = { 'access-control-allow-origin': '*', 'access-control-allow-headers': 'authorization, content-type', 'access-control-allow-methods': 'GET, POST, OPTIONS' };

async function dataPlaneHandle(request, response, url) {
  if (url.pathname === '/sourceConfig/' || url.pathname === '/sourceConfig') {
    response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store', ...CORS });
    response.end(JSON.stringify(SOURCE_CONFIG));
    return true;
  }
  if (!url.pathname.startsWith('/v1/') && !url.pathname.startsWith('/rsaMetrics')) return false;
  const chunks = [];
  for await (const chunk of request) chunks.push(chunk);
  let body = Buffer.concat(chunks).toString('utf8');
  try {
    body = JSON.parse(body);
  } catch {}
  if (request.method === 'POST') dataPlane.push({ path: url.pathname, body });
  response.writeHead(200, { 'content-type': 'text/plain', 'cache-control': 'no-store', ...CORS });
  response.end('OK');
  return true;
}

const { env, backend, newApiKey, settings, offlineContext, open, agentReady } = realAgentServer({
  title: 'pendo-wasm e2e, RudderStack',
  keyPrefix: 'rs',
  keyDigits: 6,
  subscriptions: undefined,
  otherAgents: { 'seed-': RECORDING_AGENT },
  entry: 'rudderstack-app.mjs',
  handle: dataPlaneHandle,
});

/** Starts RudderStack with our integration; resolves to its anonymous id once it is ready. */
const startRudderStack = (page, pendoSettings) => page.evaluate((s) => window.startRudderStack(s), pendoSettings);

/** A fresh offline context and a page in it, RudderStack and the real agent started on a new API key. */
async function agentPage(extra) {
  const apiKey = newApiKey();
  const { context, blocked } = await offlineContext();
  const { page, messages } = await open(context);
  const anonymousId = await startRudderStack(page, settings(apiKey, extra));
  await agentReady(page);
  return { apiKey, context, blocked, page, messages, anonymousId };
}

/** The metadata as the agent reports it, without the `language` it adds to every visitor. */
function metadata({ props }) {
  const { language, ...visitor } = props.visitor;
  assert.equal(typeof language, 'string', 'the agent adds the browser language');
  return { visitor, account: props.account };
}

/**
 * Flushes the agent's queue until an event matching `predicate` has arrived: RudderStack hands
 * events to its device-mode destinations from a queue of its own, so the test cannot tell when
 * the agent has the event to flush.
 */
async function flushUntil(page, apiKey, predicate, what) {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const found = backend.events(apiKey).find(predicate);
    if (found) return found;
    if (Date.now() > deadline) return backend.waitForEvent(predicate, { apiKey, what, timeout: 1 });
    await page.evaluate(() => window.pendo.flushNow(true));
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const agentIds = (page) => page.evaluate(() => ({ visitor: window.pendo.getVisitorId(), account: window.pendo.getAccountId() }));

const noProblems = (messages) => !messages.some((m) => m.startsWith('pageerror') || m.startsWith('error') || /Pendo \(RudderStack\)/.test(m));

test('an anonymous visitor: the agent loads from the CNAME host and reports _PENDO_T_ + the RudderStack anonymous id', async () => {
  const { apiKey, context, blocked, page, messages, anonymousId } = await agentPage();
  assert.match(anonymousId, /^[0-9a-f-]{36}$/, 'RudderStack made an anonymous id');
  const visitor = `_PENDO_T_${anonymousId}`;
  const meta = await backend.waitForEvent((e) => e.type === 'meta', { apiKey, what: 'the meta event of the load' });
  assert.equal(meta.visitor_id, visitor);
  assert.equal(meta.account_id, null);
  assert.deepEqual(metadata(meta), { visitor: { id: visitor }, account: { id: null } });
  const load = await backend.waitForEvent((e) => e.type === 'load', { apiKey, what: 'the load event' });
  assert.equal(load.url, `${env.server.origin}/`);
  assert.deepEqual(await agentIds(page), { visitor, account: null });
  const agentScripts = await page.evaluate(() => [...document.querySelectorAll('script[src*="/agent/static/"]')].map((s) => s.src));
  assert.deepEqual(agentScripts, [`${env.server.origin}/agent/static/${apiKey}/pendo.js`], 'one agent script, from the CNAME host');
  assert.deepEqual(blocked, [], 'no request left the machine');
  assert.ok(noProblems(messages), messages.join('\n'));
  await context.close();
});

test('identify, group and track reach the agent as identify, meta and track events', async () => {
  const { apiKey, context, blocked, page, messages, anonymousId } = await agentPage();
  await backend.waitForEvent((e) => e.type === 'meta', { apiKey, what: 'the meta event of the load' });

  await page.evaluate(() => window.rudderanalytics.identify('u1', { email: 'ada@example.com', plan: 'pro' }));
  const identified = await backend.waitForEvent((e) => e.type === 'identify' && e.visitor_id === 'u1', { apiKey, what: 'the identify event of u1' });
  assert.deepEqual(identified.props, { old_visitor_id: `_PENDO_T_${anonymousId}`, old_account_id: null, visitor_id: 'u1', account_id: null });
  const visitorMeta = await backend.waitForEvent((e) => e.type === 'meta' && e.visitor_id === 'u1', { apiKey, what: 'the meta event of u1' });
  // RudderStack puts an identify's traits under context.traits: they arrive as visitor metadata.
  assert.deepEqual(metadata(visitorMeta), { visitor: { email: 'ada@example.com', plan: 'pro', id: 'u1' }, account: { id: null } });

  await page.evaluate(() => window.rudderanalytics.group('g1', { name: 'Acme', employees: 120 }));
  const grouped = await backend.waitForEvent((e) => e.type === 'identify' && e.account_id === 'g1', { apiKey, what: 'the identify event of the account' });
  assert.deepEqual(grouped.props, { old_visitor_id: 'u1', old_account_id: null, visitor_id: 'u1', account_id: 'g1' });
  const accountMeta = await backend.waitForEvent((e) => e.type === 'meta' && e.account_id === 'g1', { apiKey, what: 'the meta event of the account' });
  assert.deepEqual(metadata(accountMeta), { visitor: { id: 'u1' }, account: { name: 'Acme', employees: 120, id: 'g1' } });
  assert.deepEqual(await agentIds(page), { visitor: 'u1', account: 'g1' });

  await page.evaluate(() => window.rudderanalytics.track('Order Completed', { total: 120, currency: 'EUR', items: [{ sku: 'A-1' }] }));
  const track = await flushUntil(page, apiKey, (e) => e.type === 'track', 'the track event');
  assert.equal(track.track_event_name, 'Order Completed');
  assert.deepEqual(track.props, { total: 120, currency: 'EUR', items: [{ sku: 'A-1' }] });
  assert.deepEqual([track.visitor_id, track.account_id, track.url], ['u1', 'g1', `${env.server.origin}/`]);

  // RudderStack itself kept working: its own events went to its data plane.
  const sent = dataPlane.filter((d) => d.body?.anonymousId === anonymousId || d.body?.batch?.some?.((e) => e.anonymousId === anonymousId));
  assert.ok(sent.length > 0, 'RudderStack sent its events to its data plane');
  assert.deepEqual(blocked, [], 'no request left the machine');
  assert.ok(noProblems(messages), messages.join('\n'));
  await context.close();
});

test('rudderanalytics.page makes the agent send a page load for the page URL', async () => {
  const { apiKey, context, page, messages } = await agentPage();
  await page.evaluate(() => window.rudderanalytics.identify('u1'));
  // A URL the browser never shows, so only pendo.pageLoad(url) can report it.
  const url = `${env.server.origin}/virtual/checkout?step=2`;
  await page.evaluate((u) => window.rudderanalytics.page('Shop', 'Checkout', { url: u }), url);
  const load = await backend.waitForEvent((e) => e.type === 'load' && e.url === url, { apiKey, what: `a load event for ${url}` });
  assert.equal(load.visitor_id, 'u1');
  const sent = await backend.waitForAllUpTo(load, { apiKey });
  assert.deepEqual(
    sent.filter((e) => e.type === 'load').map((e) => e.url),
    [`${env.server.origin}/`, url],
    'the load of the page, then the one for the new URL',
  );
  assert.ok(noProblems(messages), messages.join('\n'));
  await context.close();
});

test('a returning visitor: the next page view initializes the agent with what RudderStack remembers', async () => {
  const cases = [
    [{}, { visitor: { email: 'ada@example.com', id: 'u1' }, account: { plan: 'pro', id: 'g1' } }],
    [{ disableUserTraitsOnLoad: true, disableGroupIdAndTraitsOnLoad: true }, { visitor: { id: 'u1' }, account: { id: null } }],
  ];
  for (const [flags, expected] of cases) {
    const label = JSON.stringify(flags);
    const { context, blocked } = await offlineContext();
    // The first page view: an anonymous visitor, then identified and grouped (its agent is the
    // recording stand-in, so the real agent's stored identity starts empty on the next one).
    const first = await open(context);
    const anonymousId = await startRudderStack(first.page, settings(`seed-${newApiKey()}`, flags));
    const [initialize] = await first.page.evaluate(async () => {
      await new Promise((resolve) => {
        const wait = () => (window.pendoCalls?.length ? resolve() : setTimeout(wait, 50));
        wait();
      });
      return window.pendoCalls;
    });
    assert.deepEqual(initialize, ['initialize', { visitor: { id: `_PENDO_T_${anonymousId}` } }], label);
    await first.page.evaluate(() => {
      window.rudderanalytics.identify('u1', { email: 'ada@example.com' });
      window.rudderanalytics.group('g1', { plan: 'pro' });
    });
    await first.page.waitForFunction(() => window.pendoCalls?.length === 3);
    await first.page.close();

    // A later page view: the agent starts with what our initialize passed it.
    const apiKey = newApiKey();
    const { page, messages } = await open(context);
    const sameAnonymousId = await startRudderStack(page, settings(apiKey, flags));
    assert.equal(sameAnonymousId, anonymousId, 'RudderStack remembered the anonymous id');
    await agentReady(page);
    const meta = await backend.waitForEvent((e) => e.type === 'meta', { apiKey, what: `the meta event, ${label}` });
    assert.deepEqual(metadata(meta), expected, label);
    assert.deepEqual([meta.visitor_id, meta.account_id], ['u1', expected.account.id], label);
    assert.deepEqual(await agentIds(page), { visitor: 'u1', account: expected.account.id }, label);
    assert.deepEqual(blocked, [], label);
    assert.ok(noProblems(messages), messages.join('\n'));
    await context.close();
  }
});

test('a hostile setting is refused with nothing injected, and RudderStack keeps working', async () => {
  const hostile = [
    [{ apiKey: 'bad key"><script>' }, '"apiKey"'],
    [{ cnameContentHost: 'javascript:alert(1)//' }, '"cnameContentHost"'],
    [{ region: '//evil.example' }, '"region"'],
  ];
  for (const [extra, named] of hostile) {
    const label = JSON.stringify(extra);
    const { context, blocked } = await offlineContext();
    const { page, messages } = await open(context);
    const agentRequestsBefore = env.server.agentRequests.length;
    const anonymousId = await startRudderStack(page, { ...settings(newApiKey()), ...extra });
    await page.evaluate(() => new Promise((resolve) => window.rudderanalytics.track('Still Works', { ok: true }, {}, () => resolve())));
    const tracked = async () =>
      dataPlane.some((d) => [d.body, ...(d.body?.batch ?? [])].some((e) => e?.event === 'Still Works' && e.anonymousId === anonymousId));
    for (let i = 0; i < 50 && !(await tracked()); i++) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.ok(await tracked(), `RudderStack still sent the track event to its data plane, ${label}`);
    const injected = await page.evaluate(() => ({ pendo: typeof window.pendo, agentScripts: document.querySelectorAll('script[src*="/agent/static/"]').length }));
    assert.deepEqual(injected, { pendo: 'undefined', agentScripts: 0 }, label);
    assert.equal(env.server.agentRequests.length, agentRequestsBefore, `no agent was requested, ${label}`);
    const errors = messages.filter((m) => m.startsWith('error') && m.includes('Pendo (RudderStack): setting'));
    assert.equal(errors.length, 1, `one console error: ${messages.join('\n')}`);
    assert.ok(errors[0].includes(named), `the error names the setting: ${errors[0]}`);
    assert.ok(!messages.some((m) => m.startsWith('pageerror')), messages.join('\n'));
    assert.deepEqual(blocked, [], label);
    await context.close();
  }
});

test('a message that lacks a required field is skipped with one warning, and later ones arrive', async () => {
  const { apiKey, context, page, messages } = await agentPage();
  await page.evaluate(() => {
    // RudderStack sends a group without an id when none was ever set: no account for Send Group.
    for (let i = 0; i < 3; i++) window.rudderanalytics.group(undefined, { plan: 'none' });
    window.rudderanalytics.track('After', { ok: true });
  });
  const track = await flushUntil(page, apiKey, (e) => e.type === 'track' && e.track_event_name === 'After', 'the track event after the skipped ones');
  assert.deepEqual(track.props, { ok: true });
  const warnings = messages.filter((m) => m.startsWith('warning') && m.includes('Pendo (RudderStack): Send Group skipped'));
  assert.equal(warnings.length, 1, `said once: ${messages.join('\n')}`);
  assert.ok(warnings[0].includes('no account id'), warnings[0]);
  assert.equal(backend.events(apiKey).filter((e) => e.type === 'identify').length, 0, 'nothing was sent for the skipped group calls');
  await context.close();
});
