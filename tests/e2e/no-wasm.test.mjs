// Pages without WebAssembly (switched off, deleted, or refused by a Content Security Policy):
// the package runs its JavaScript build, fetched only there, behind the same factory; when that
// build cannot be loaded either, the factory rejects with one console error and analytics.js
// keeps working. (scripts/e2e.mjs also runs the analytics.js and real-agent suites on pages
// without WebAssembly: E2E_PAGE=no-wasm.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { isolatedContext, openPage } from '../../scripts/browser.mjs';
import { bundle } from '../../scripts/local-server.mjs';
import { DELETE_WEBASSEMBLY, pageServer } from './support.mjs';

const NONCE = 'bm8td2FzbS1ub25jZQ';
const page = (first = '') => `<!doctype html><html><head><title>no WebAssembly</title>
<script nonce="${NONCE}">${first}window.pageScriptRan = true;</script></head>
<body><script type="module" nonce="${NONCE}" src="/app.js"></script></body></html>`;
const REMOTE_PAGE = (first) => page(first).replace('/app.js', '/analytics-only.js');

let fallbackAvailable = true;
let remoteBundle;
const env = pageServer({
  html: page(),
  routes: {
    '/no-wasm': { type: 'text/html', body: page(DELETE_WEBASSEMBLY) },
    // A policy without 'wasm-unsafe-eval': the browser refuses to compile any WebAssembly.
    '/refused': { type: 'text/html', body: page(), headers: { 'content-security-policy': `script-src 'nonce-${NONCE}'; object-src 'none'` } },
    '/remote-no-wasm': { type: 'text/html', body: REMOTE_PAGE(DELETE_WEBASSEMBLY) },
  },
  handle: async (request, response, url) => {
    if (url.pathname === '/analytics-only.js') {
      remoteBundle ??= bundle(fileURLToPath(new URL('./analytics-only.mjs', import.meta.url)));
      response.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'no-store' });
      response.end(await remoteBundle);
      return true;
    }
    if (url.pathname === '/pendo_wasm_fallback.js' && !fallbackAvailable) {
      response.writeHead(404, { 'content-type': 'text/plain' });
      response.end('not here');
      return true;
    }
    return false;
  },
});

async function open(path) {
  const { context, blocked } = await isolatedContext(env.browser);
  const { page: tab, messages } = await openPage(context, `${env.server.origin}${path}`, { beforeLoad: () => env.requested.clear() });
  return { context, page: tab, messages, blocked };
}

const settings = () => ({ apiKey: 'no-wasm-key', cnameContentHost: env.server.origin });
const fetched = () => ['/pendo_wasm_bg.wasm', '/pendo_wasm_fallback.js'].filter((path) => env.requested.has(path));

/** identify, group and track through analytics.js; returns what the recording agent got. */
async function sendThrough(tab) {
  const anonymousId = await tab.evaluate(async (s) => {
    const [analytics] = await window.startAnalytics(s);
    await analytics.identify('u1', { email: 'ada@example.com' });
    await analytics.group('g1', { name: 'Acme' });
    await analytics.track('Order Completed', { total: 120 });
    return analytics.user().anonymousId();
  }, settings());
  await tab.waitForFunction(() => (window.pendoCalls || []).length >= 4, null, { timeout: 15_000 });
  return { anonymousId, calls: await tab.evaluate(() => window.pendoCalls) };
}

const expectedCalls = (anonymousId) => [
  ['initialize', { visitor: { id: `_PENDO_T_${anonymousId}` } }],
  ['identify', { visitor: { email: 'ada@example.com', id: 'u1' } }],
  ['identify', { visitor: { id: 'u1' }, account: { name: 'Acme', id: 'g1' } }],
  ['track', 'Order Completed', { total: 120 }],
];

test('with WebAssembly, the page fetches the .wasm and never the JavaScript build', async () => {
  const { context, page: tab, messages } = await open('/');
  const { anonymousId, calls } = await sendThrough(tab);
  assert.deepEqual(calls, expectedCalls(anonymousId));
  assert.deepEqual(fetched(), ['/pendo_wasm_bg.wasm']);
  assert.deepEqual(messages.filter((m) => /^(error|pageerror)/.test(m)), []);
  await context.close();
});

test('importing the package starts fetching its build before the factory is called, and changes nothing else', async () => {
  for (const [path, build] of [['/', '/pendo_wasm_bg.wasm'], ['/no-wasm', '/pendo_wasm_fallback.js']]) {
    const { context, page: tab, messages } = await open(path);
    await tab.waitForFunction(() => window.appReady === true);
    // Nothing calls the factory on this page: the package's own import fetched the build.
    for (let tries = 0; !env.requested.has(build) && tries < 250; tries++) await tab.waitForTimeout(20);
    assert.deepEqual(fetched(), [build], path);
    // Time for the build to arrive and compile: that too leaves the page and the console as
    // they were.
    await tab.waitForTimeout(500);
    const page = await tab.evaluate(() => ({ pendo: 'pendo' in window, scripts: document.scripts.length }));
    assert.deepEqual(page, { pendo: false, scripts: 2 }, `${path}: no stub, no agent script`);
    assert.deepEqual(messages.filter((m) => /^(error|pageerror|warning)/.test(m)), [], path);
    await context.close();
  }
});

test('WebAssembly deleted before the package loads: the JavaScript build runs, events reach Pendo', async () => {
  const { context, page: tab, messages } = await open('/no-wasm');
  assert.equal(await tab.evaluate(() => typeof window.WebAssembly), 'undefined');
  const { anonymousId, calls } = await sendThrough(tab);
  assert.deepEqual(calls, expectedCalls(anonymousId));
  assert.deepEqual(fetched(), ['/pendo_wasm_fallback.js']);
  assert.deepEqual(messages.filter((m) => /^(error|pageerror)/.test(m)), []);
  // The JavaScript build holds the same guards: a bad event is skipped with one warning.
  await tab.evaluate(async (s) => {
    const [track] = (await window.pendoWebActions(s)).filter((plugin) => plugin.name.endsWith(' track'));
    track.track({ event: { type: 'track', properties: { no: 'name' } } });
    track.track({ event: { type: 'track', event: 'After', properties: { ok: true } } });
  }, settings());
  await tab.waitForFunction(() => window.pendoCalls.length >= 5);
  assert.deepEqual(await tab.evaluate(() => window.pendoCalls.slice(4)), [['track', 'After', { ok: true }]]);
  const skipped = () => messages.filter((m) => m.startsWith('warning') && m.includes('Send Track skipped'));
  for (let tries = 0; skipped().length === 0 && tries < 100; tries++) await tab.waitForTimeout(20);
  assert.equal(skipped().length, 1, messages.join('\n'));
  await context.close();
});

test('a Content Security Policy that refuses WebAssembly: the JavaScript build runs instead', async () => {
  const { context, page: tab, messages } = await open('/refused');
  const { anonymousId, calls } = await sendThrough(tab);
  assert.deepEqual(calls, expectedCalls(anonymousId));
  assert.deepEqual(fetched(), ['/pendo_wasm_bg.wasm', '/pendo_wasm_fallback.js'], 'the .wasm was refused, then the JavaScript build fetched');
  assert.deepEqual(messages.filter((m) => m.startsWith('pageerror')), []);
  await context.close();
});

test('the script build (remote plugin) without WebAssembly loads the JavaScript build beside it', async () => {
  const { context, page: tab } = await open('/remote-no-wasm');
  const calls = await tab.evaluate(async (origin) => {
    const analytics = window.loadAnalytics({
      writeKey: 'remote',
      url: `${origin}/pendo-web-actions.global.js`,
      settings: { apiKey: 'remote-no-wasm', cnameContentHost: origin },
    });
    await analytics.track('Remote Without WebAssembly', { n: 1 });
    return new Promise((resolve) => {
      const poll = () => ((window.pendoCalls || []).length >= 2 ? resolve(window.pendoCalls) : setTimeout(poll, 20));
      poll();
    });
  }, env.server.origin);
  assert.equal(calls[0][0], 'initialize');
  assert.deepEqual(calls.slice(1), [['track', 'Remote Without WebAssembly', { n: 1 }]]);
  assert.deepEqual(fetched(), ['/pendo_wasm_fallback.js']);
  await context.close();
});

test('when the JavaScript build cannot be loaded either: one console error, the factory rejects, analytics.js works on', async () => {
  fallbackAvailable = false;
  try {
    const { context, page: tab, messages } = await open('/no-wasm');
    const result = await tab.evaluate(async (s) => {
      const seen = [];
      const other = window.recordingDestination('Other Destination', ['track'], (_, ctx) => seen.push(ctx.event.event));
      const rejection = await window.pendoWebActions(s).then(
        () => 'resolved',
        (error) => `${error.name}: ${error.message}`,
      );
      const [analytics] = await window.startAnalytics(s, { extraPlugins: [other] });
      await analytics.track('Still Works');
      return { rejection, seen, pendo: typeof window.pendo, agentScripts: document.querySelectorAll('script[src*="/agent/static/"]').length };
    }, settings());
    assert.match(result.rejection, /^Error: Pendo Web \(actions\): no WebAssembly here, and its JavaScript build failed to load from http:\/\/127\.0\.0\.1:\d+\/pendo_wasm_fallback\.js: /);
    assert.deepEqual({ ...result, rejection: undefined }, { rejection: undefined, seen: ['Still Works'], pendo: 'undefined', agentScripts: 0 });
    const ours = messages.filter((m) => m.startsWith('error') && m.includes('JavaScript build failed to load'));
    assert.equal(ours.length, 1, `one console error, however often the factory is called:\n${messages.join('\n')}`);
    assert.deepEqual(messages.filter((m) => m.startsWith('pageerror')), []);
    await context.close();
  } finally {
    fallbackAvailable = true;
  }
});
