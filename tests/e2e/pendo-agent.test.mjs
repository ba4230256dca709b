// End to end against the real Pendo web agent (npm `@pendo/agent`): real analytics.js with the
// built package loads the agent from the local server, and the tests read what the agent SENT
// to its data host (also the local server), decoded from its beacons.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RECORDING_AGENT } from '../../scripts/local-server.mjs';
import { subscription } from '../support/presets.mjs';
import { realAgentServer } from './support.mjs';
import { ONE_PIXEL_GIF, decodeJzb } from '../../scripts/pendo-agent.mjs';

// Segment's subscriptions: the three presets, plus Send Page on page calls.
const SUBSCRIPTIONS = [
  subscription('identify', { name: 'Send Identify' }),
  subscription('group', { name: 'Send Group' }),
  subscription('track', { name: 'Send Track' }),
  subscription('pageLoad', { name: 'Page' }),
];

// Each test uses its own Pendo API key. Page views that only seed analytics.js's storage get
// the quick recording stand-in.
const { env, backend, newApiKey, settings, offlineContext, open: openPage, agentReady } = realAgentServer({
  title: 'pendo-wasm e2e, real agent',
  keyPrefix: 'e2e',
  keyDigits: 5,
  subscriptions: SUBSCRIPTIONS,
  otherAgents: { 'seed-': RECORDING_AGENT },
});

/** Loads analytics.js with our destination and waits for the real agent to be initialized. */
async function startWithAgent(page, pendoSettings) {
  const anonymousId = await page.evaluate(async (s) => {
    const [analytics] = await window.startAnalytics(s);
    return analytics.user().anonymousId();
  }, pendoSettings);
  await agentReady(page);
  return anonymousId;
}

/** A fresh offline context and a page in it, analytics.js and the real agent started on a new API key. */
async function agentPage(extra) {
  const apiKey = newApiKey();
  const { context, blocked } = await offlineContext();
  const { page, messages } = await openPage(context);
  const anonymousId = await startWithAgent(page, settings(apiKey, extra));
  return { apiKey, context, blocked, page, messages, anonymousId };
}

const agentIds = (page) => page.evaluate(() => ({ visitor: window.pendo.getVisitorId(), account: window.pendo.getAccountId() }));

/** The metadata as the agent reports it, without the `language` it adds to every visitor. */
function metadata({ props }) {
  const { language, ...visitor } = props.visitor;
  assert.equal(typeof language, 'string', 'the agent adds the browser language');
  return { visitor, account: props.account, parentAccount: props.parentAccount };
}

test('the real agent loads from the CNAME host and reports the anonymous visitor', async () => {
  const { apiKey, context, blocked, page, messages, anonymousId } = await agentPage();
  const visitor = `_PENDO_T_${anonymousId}`;

  const meta = await backend.waitForEvent((e) => e.type === 'meta', { apiKey, what: 'the meta event of the load' });
  assert.equal(meta.visitor_id, visitor);
  assert.equal(meta.account_id, null);
  assert.deepEqual(metadata(meta), { visitor: { id: visitor }, account: { id: null }, parentAccount: {} });
  const load = await backend.waitForEvent((e) => e.type === 'load', { apiKey, what: 'the load event' });
  assert.equal(load.url, `${env.server.origin}/`);
  assert.deepEqual(await agentIds(page), { visitor, account: null });

  assert.equal(await page.evaluate(() => document.scripts[0].src), `${env.server.origin}/agent/static/${apiKey}/pendo.js`);
  assert.deepEqual(blocked, [], 'no request left the machine');
  assert.ok(!messages.some((m) => m.startsWith('pageerror') || m.includes('failed to load')), messages.join('\n'));
  const reports = backend.beacons.filter((b) => b.apiKey === apiKey && !['ptm', 'guide'].includes(b.name));
  assert.deepEqual(reports, [], 'the agent reported no error to its data host');
  await context.close();
});

test('on load the agent reports the known user and group, honouring the disable flags', async () => {
  const cases = [
    [{}, { visitor: { email: 'ada@example.com', id: 'u1' }, account: { plan: 'pro', id: 'g1' } }],
    [{ disableUserTraitsOnLoad: true }, { visitor: { id: 'u1' }, account: { plan: 'pro', id: 'g1' } }],
    [{ disableGroupIdAndTraitsOnLoad: true }, { visitor: { email: 'ada@example.com', id: 'u1' }, account: { id: null } }],
    [{ disableUserTraitsOnLoad: true, disableGroupIdAndTraitsOnLoad: true }, { visitor: { id: 'u1' }, account: { id: null } }],
  ];
  for (const [flags, expected] of cases) {
    const label = JSON.stringify(flags);
    const { context, blocked } = await offlineContext();
    // A first page view makes analytics.js remember the user and group (its Pendo agent is the
    // recording stand-in, so the real agent's stored identity starts empty on the next one).
    const first = await openPage(context);
    await first.page.evaluate(async (s) => {
      const analytics = window.startAnalytics(s);
      await analytics.identify('u1', { email: 'ada@example.com' });
      await analytics.group('g1', { plan: 'pro' });
    }, settings(`seed-${newApiKey()}`, flags));
    await first.page.waitForFunction(() => window.pendoCalls?.length === 3);
    await first.page.close();

    // A later page view: the agent starts with what our initialize passed it.
    const apiKey = newApiKey();
    const { page } = await openPage(context);
    await startWithAgent(page, settings(apiKey, flags));
    const account = expected.account.id;
    const meta = await backend.waitForEvent((e) => e.type === 'meta', { apiKey, what: `the meta event, ${label}` });
    assert.deepEqual(metadata(meta), { ...expected, parentAccount: {} }, label);
    assert.deepEqual([meta.visitor_id, meta.account_id], ['u1', account], label);
    // The visitor was never anonymous in this Pendo app, so only an account is news to the
    // agent: it sends an identify event for it, and none without one.
    const identifies = (await backend.waitForAllUpTo(meta, { apiKey })).filter((e) => e.type === 'identify');
    assert.deepEqual(
      identifies.map((e) => e.props),
      account === null ? [] : [{ old_account_id: null, visitor_id: 'u1', account_id: account }],
      label,
    );
    assert.deepEqual(await agentIds(page), { visitor: 'u1', account }, label);
    assert.deepEqual(blocked, [], label);
    await context.close();
  }
});

test('identify, group and track reach the agent as identify, meta and track events', async () => {
  const { apiKey, context, blocked, page, anonymousId } = await agentPage();
  await backend.waitForEvent((e) => e.type === 'meta', { apiKey, what: 'the meta event of the load' });

  await page.evaluate(() => window.analytics.identify('u1', { email: 'ada@example.com', plan: 'pro' }));
  const identified = await backend.waitForEvent((e) => e.type === 'identify' && e.visitor_id === 'u1', { apiKey, what: 'the identify event of u1' });
  assert.deepEqual(identified.props, { old_visitor_id: `_PENDO_T_${anonymousId}`, old_account_id: null, visitor_id: 'u1', account_id: null });
  const visitorMeta = await backend.waitForEvent((e) => e.type === 'meta' && e.visitor_id === 'u1', { apiKey, what: 'the meta event of u1' });
  assert.deepEqual(metadata(visitorMeta), { visitor: { email: 'ada@example.com', plan: 'pro', id: 'u1' }, account: { id: null }, parentAccount: {} });
  assert.deepEqual(await agentIds(page), { visitor: 'u1', account: null });

  await page.evaluate(() => window.analytics.group('g1', { name: 'Acme', parentAccount: { id: 'p1', tier: 'gold' } }));
  const grouped = await backend.waitForEvent((e) => e.type === 'identify' && e.account_id != null, { apiKey, what: 'the identify event of the account' });
  assert.deepEqual(grouped.props, { old_visitor_id: 'u1', old_account_id: null, visitor_id: 'u1', account_id: 'p1::g1' });
  const accountMeta = await backend.waitForEvent((e) => e.type === 'meta' && e.account_id != null, { apiKey, what: 'the meta event of the account' });
  assert.deepEqual(metadata(accountMeta), {
    visitor: { id: 'u1' },
    account: { name: 'Acme', id: 'p1::g1' },
    parentAccount: { id: 'p1', tier: 'gold' },
  });
  assert.deepEqual(await agentIds(page), { visitor: 'u1', account: 'p1::g1' });

  await page.evaluate(async () => {
    await window.analytics.track('Order Completed', { total: 120, currency: 'EUR', items: [{ sku: 'A-1' }] });
    window.pendo.flushNow(true);
  });
  const track = await backend.waitForEvent((e) => e.type === 'track', { apiKey, what: 'the track event' });
  assert.equal(track.track_event_name, 'Order Completed');
  assert.deepEqual(track.props, { total: 120, currency: 'EUR', items: [{ sku: 'A-1' }] });
  assert.deepEqual([track.visitor_id, track.account_id, track.url], ['u1', 'p1::g1', `${env.server.origin}/`]);
  const trackBeacon = backend.beacons.find((b) => b.apiKey === apiKey && b.payload?.includes?.(track));
  assert.equal(trackBeacon.params.type, 'track', 'track events go in their own beacon');
  // The agent sends one beacon of a queue at a time, re-sending a failed one first (rt=1, ...):
  // after several beacons in a row, a re-send would have shown if the GIF answer did not do.
  const retried = [...backend.beacons, ...backend.resent].filter((b) => b.apiKey === apiKey && b.retry > 0);
  assert.deepEqual(retried, [], 'the GIF answers satisfied the agent: nothing was re-sent');
  assert.deepEqual(blocked, []);
  await context.close();
});

test('analytics.page with Send Page subscribed makes the agent send a page load for the new URL', async () => {
  const { apiKey, context, page } = await agentPage();
  await page.evaluate(() => window.analytics.identify('u1'));
  // A URL the browser never shows, so only pendo.pageLoad(url) can report it.
  const url = `${env.server.origin}/virtual/checkout?step=2`;
  await page.evaluate((u) => window.analytics.page('Checkout', { url: u }), url);
  const load = await backend.waitForEvent((e) => e.type === 'load' && e.url === url, { apiKey, what: `a load event for ${url}` });
  assert.equal(load.visitor_id, 'u1');
  const sent = await backend.waitForAllUpTo(load, { apiKey });
  assert.deepEqual(
    sent.filter((e) => e.type === 'load').map((e) => e.url),
    [`${env.server.origin}/`, url],
    'the load of the page, then the one for the new URL',
  );
  await context.close();
});

test('without a Send Page subscription analytics.page sends no page load', async () => {
  const { apiKey, context, page } = await agentPage({ subscriptions: null }); // the presets
  const url = `${env.server.origin}/virtual/checkout?step=2`;
  await page.evaluate(async (u) => {
    await window.analytics.page('Checkout', { url: u });
    await window.analytics.track('After Page');
    window.pendo.flushNow(true);
  }, url);
  const track = await backend.waitForEvent((e) => e.type === 'track' && e.track_event_name === 'After Page', { apiKey, what: 'the track event' });
  // Everything the agent collected before the track event has arrived: no load for the URL.
  const sent = await backend.waitForAllUpTo(track, { apiKey });
  assert.deepEqual(sent.filter((e) => e.type === 'load').map((e) => e.url), [`${env.server.origin}/`]);
  await context.close();
});

test('a track event too large for a GET beacon is POSTed, and decodes the same', async () => {
  const { apiKey, context, page } = await agentPage();
  // Random hex hardly compresses: well over the agent's 1900-character limit for a GET.
  const notes = await page.evaluate(async () => {
    const notes = Array.from(crypto.getRandomValues(new Uint8Array(3000)), (b) => b.toString(16).padStart(2, '0')).join('');
    await window.analytics.track('Large Payload', { notes });
    window.pendo.flushNow(true);
    return notes;
  });
  const track = await backend.waitForEvent((e) => e.type === 'track' && e.track_event_name === 'Large Payload', { apiKey, what: 'the large track event' });
  assert.deepEqual(track.props, { notes });
  const beacon = backend.beacons.find((b) => b.apiKey === apiKey && b.payload?.includes?.(track));
  assert.equal(beacon.method, 'POST');
  assert.equal(beacon.params.type, 'track');
  assert.equal(Number(beacon.params.s), beacon.jzb.length, 'the URL carries the size of the POSTed payload');
  await context.close();
});

test("the decoder reads what the agent's own compress writes, and the backend drops re-sends", async () => {
  const { apiKey, context, page } = await agentPage();
  const value = { text: 'é ✓ 😀 <&>', list: [1, 2.5, null, true], nested: { deep: 'x'.repeat(300) } };
  const jzb = await page.evaluate((v) => window.pendo.compress(v), value);
  assert.match(jzb, /^[A-Za-z0-9_-]+$/, 'base64url without padding');
  assert.deepEqual(decodeJzb(jzb), value);

  // The agent re-sends a beacon that was not answered with an image, adding rt=1, rt=2, ...
  const events = [{ type: 'track', track_event_name: 'Resent', sequence: 0, props: {} }];
  const events64 = await page.evaluate((e) => window.pendo.compress(e), events);
  const before = backend.beacons.length;
  const resentBefore = backend.resent.length;
  for (const rt of ['', '&rt=1', '&rt=2']) {
    const response = await fetch(`${env.server.origin}/data/ptm.gif/${apiKey}?v=test&ct=${Date.now()}&jzb=${events64}${rt}`);
    assert.equal(response.headers.get('content-type'), 'image/gif');
    assert.equal(response.headers.get('access-control-allow-origin'), '*');
    assert.deepEqual(Buffer.from(await response.arrayBuffer()), ONE_PIXEL_GIF);
  }
  // Only the beacons sent here (`v=test`): the page's agent, loaded with the same API key, may
  // send one of its own meanwhile (a `guide` beacon with an empty payload was seen once).
  const arrived = (list) => JSON.stringify(list.map((b) => ({ name: b.name, apiKey: b.apiKey, v: b.params.v, retry: b.retry, payload: b.payload })));
  const sentHere = (b) => b.params.v === 'test';
  const stored = backend.beacons.slice(before).filter(sentHere);
  assert.deepEqual(stored.map((b) => b.payload), [events], `stored beacons: ${arrived(backend.beacons.slice(before))}`);
  const dropped = backend.resent.slice(resentBefore).filter(sentHere);
  assert.deepEqual(dropped.map((b) => b.retry), [1, 2], `dropped re-sends: ${arrived(dropped)}`);
  await context.close();
});
