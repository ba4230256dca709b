// Reliability: the plugin never breaks the host page and never loses an event, whatever the
// page, the agent or the events do.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RECORDING_AGENT } from '../../scripts/local-server.mjs';
import { isolatedContext, openPage as open } from '../../scripts/browser.mjs';
import { cannot, pageHtml, pageServer } from './support.mjs';

// Keeps a handle on every WebAssembly memory the page instantiates, to watch it grow.
const WATCH_MEMORY = `(() => {
  window.wasmMemories = [];
  const keep = (result) => {
    const instance = result.instance || result;
    if (instance.exports && instance.exports.memory) window.wasmMemories.push(instance.exports.memory);
    return result;
  };
  const streaming = WebAssembly.instantiateStreaming;
  WebAssembly.instantiateStreaming = (...args) => streaming(...args).then(keep);
  const plain = WebAssembly.instantiate;
  WebAssembly.instantiate = (...args) => plain(...args).then(keep);
})();`;

let agentAvailable = true;
const env = pageServer({
  html: pageHtml('reliability'),
  routes: { '/late-agent.js': { type: 'text/javascript', body: RECORDING_AGENT } },
  agent: () => (agentAvailable ? RECORDING_AGENT : null),
});

async function openPage() {
  const { context } = await isolatedContext(env.browser);
  await context.addInitScript(WATCH_MEMORY);
  const { page, messages, pageErrors } = await open(context, `${env.server.origin}/`);
  return { context, page, messages, pageErrors };
}

/** Resolves when `condition()` holds; fails after `ms`. */
async function until(condition, ms = 10_000) {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${condition}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const settings = () => ({ apiKey: 'reliable', cnameContentHost: env.server.origin });

test('when the agent never loads, calls queue in order, one warning, and a late agent gets them all', async () => {
  agentAvailable = false;
  try {
    const { context, page, messages } = await openPage();
    const queued = await page.evaluate(async (s) => {
      const [analytics] = await window.startAnalytics(s);
      for (let i = 0; i < 3; i++) await analytics.track(`Queued ${i}`, { i });
      return window.pendo._q.map(([method, ...args]) => [method, args[0]]);
    }, settings());
    assert.deepEqual(queued.map(([method]) => method), ['initialize', 'track', 'track', 'track']);
    assert.deepEqual(queued.slice(1).map(([, name]) => name), ['Queued 0', 'Queued 1', 'Queued 2']);
    const agentWarnings = () => messages.filter((line) => line.startsWith('warning') && line.includes('Pendo agent'));
    await until(() => agentWarnings().length > 0);
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 100)));
    const warnings = agentWarnings();
    assert.equal(warnings.length, 1, messages.join('\n'));
    assert.match(warnings[0], /could not be loaded/);

    await page.evaluate(() => {
      const script = document.createElement('script');
      script.src = '/late-agent.js';
      document.head.append(script);
    });
    await page.waitForFunction(() => (window.pendoCalls || []).length >= 4);
    const calls = await page.evaluate(() => window.pendoCalls.map(([method, arg]) => [method, typeof arg === 'string' ? arg : null]));
    assert.deepEqual(calls, [['initialize', null], ['track', 'Queued 0'], ['track', 'Queued 1'], ['track', 'Queued 2']]);
    await context.close();
  } finally {
    agentAvailable = true;
  }
});

test('a burst of 10,000 events while loading and after: each reaches Pendo once, in order', async () => {
  const { context, page, pageErrors } = await openPage();
  await page.evaluate((s) => {
    // Another destination records the order in which analytics.js hands events to
    // destinations (it replays calls buffered before loading grouped by method).
    window.delivered = [];
    const index = (ctx) => (ctx.event.properties ?? ctx.event.traits).i;
    const recorder = window.recordingDestination('Order Recorder', ['track', 'identify', 'group'], (_, ctx) => window.delivered.push(index(ctx)));
    const analytics = window.startAnalytics(s, { extraPlugins: [recorder] });
    const fire = (i) => {
      if (i % 3 === 0) analytics.track(`Burst ${i}`, { i });
      else if (i % 3 === 1) analytics.identify(`user-${i}`, { i });
      else analytics.group(`group-${i}`, { i });
    };
    for (let i = 0; i < 5_000; i++) fire(i);
    return analytics.then(() => {
      for (let i = 5_000; i < 10_000; i++) fire(i);
    });
  }, settings());
  await page.waitForFunction(() => (window.pendoCalls || []).length >= 10_001, null, { timeout: 180_000 });
  const report = await page.evaluate(() => {
    const problems = [];
    const received = [];
    for (const call of window.pendoCalls.slice(1)) {
      const [method, first, second] = call;
      let i;
      if (method === 'track' && first === `Burst ${second?.i}`) i = second.i;
      else if (method === 'identify' && first.visitor.i !== undefined && first.visitor.id === `user-${first.visitor.i}`) i = first.visitor.i;
      else if (method === 'identify' && first.account?.id === `group-${first.account.i}`) i = first.account.i;
      if (i === undefined) problems.push(`unexpected call ${JSON.stringify(call)}`);
      else received.push(i);
    }
    const firstDifference = received.findIndex((i, n) => i !== window.delivered[n]);
    if (firstDifference !== -1) problems.push(`call ${firstDifference}: event ${received[firstDifference]}, analytics.js delivered ${window.delivered[firstDifference]}`);
    return { delivered: window.delivered.length, distinct: new Set(received).size, received: received.length, problems: problems.slice(0, 5) };
  });
  assert.deepEqual(report, { delivered: 10_000, distinct: 10_000, received: 10_000, problems: [] });
  assert.deepEqual(pageErrors, []);
  await context.close();
});

/** A page with the plugins loaded directly, and `run()`: one round of poison events, with its report. */
async function poisonPage() {
  const { context, page, pageErrors } = await openPage();
  await page.evaluate(async (s) => {
    const analytics = window.fakeAnalytics({ userId: 'u', anonymousId: 'a', groupId: null });
    window.plugins = await window.pendoWebActions(s);
    await Promise.all(window.plugins.map((plugin) => plugin.load({}, analytics)));
  }, settings());
  await page.waitForFunction(() => typeof window.pendo.isReady === 'function');

  const runPoison = () =>
    page.evaluate(() => {
      const deep = {};
      let cursor = deep;
      for (let i = 0; i < 10_000; i++) cursor = cursor.next = {};
      const cyclic = { type: 'track', event: 'Cyclic' };
      cyclic.properties = cyclic;
      const throwing = new Proxy({}, { get() { throw new Error('boom'); }, ownKeys() { throw new Error('boom'); }, has() { throw new Error('boom'); }, getOwnPropertyDescriptor() { throw new Error('boom'); } });
      const huge = 'x'.repeat(1 << 20);
      const poison = [
        null, undefined, 42, 'track', [], Symbol('event'), 10n, () => {},
        { type: 'track' }, { type: 'track', event: 12 }, { type: 'track', event: {} }, { type: 'track', event: '' },
        { type: 'track', event: Symbol('x') }, { type: 'track', event: 10n }, { type: 'track', event: new Date() },
        { type: 'track', event: 'Props', properties: 'not an object' }, { type: 'identify' }, { type: 'identify', traits: [] },
        { type: 'group', userId: 'u' }, { type: 'group', groupId: 'g', traits: { parentAccount: { name: 'no id' } } },
        { type: Symbol('t') }, throwing, { type: 'track', event: 'Throwing', properties: throwing },
        { type: 'identify', userId: 'u', traits: throwing }, { type: 'track', event: huge }, { type: 'identify', userId: huge },
        { type: 'track', event: 'Deep', properties: deep }, cyclic, { type: 'track', event: 'Odd', properties: { big: 10n, f() {}, s: Symbol('s') } },
        Object.defineProperty({}, 'type', { get() { throw new Error('getter'); }, enumerable: true }),
      ];
      window.pendoCalls.length = 0;
      let escaped = 0;
      let good = 0;
      for (let i = 0; i < 1_000; i++) {
        for (const plugin of window.plugins) {
          for (const method of ['track', 'identify', 'group']) {
            try {
              plugin[method]({ event: poison[i % poison.length] });
            } catch (_) {
              escaped++;
            }
          }
        }
        const event = { type: 'track', event: 'Good', properties: { good: i } };
        for (const plugin of window.plugins) plugin.track({ event });
        good++;
      }
      const goods = window.pendoCalls.filter(([method, name]) => method === 'track' && name === 'Good').map(([, , p]) => p.good);
      const inOrder = goods.length === good && goods.every((value, i) => value === i);
      return { escaped, good, arrived: goods.length, inOrder, memory: window.wasmMemories.map((m) => m.buffer.byteLength) };
    });

  return { context, page, pageErrors, runPoison };
}

const POISON_REPORT = { escaped: 0, good: 1_000, arrived: 1_000, inOrder: true, memory: undefined };

test('poison events: good ones all arrive, nothing escapes, the module lives on', async () => {
  const { context, page, pageErrors, runPoison } = await poisonPage();
  const first = await runPoison();
  assert.deepEqual({ ...first, memory: undefined }, POISON_REPORT);
  const second = await runPoison();
  assert.deepEqual(second, first, 'the second run grows the WebAssembly memory by zero pages');

  const alive = await page.evaluate(() => {
    const before = window.pendoCalls.length;
    for (const plugin of window.plugins) plugin.track({ event: { type: 'track', event: 'Still alive' } });
    return window.pendoCalls.slice(before);
  });
  assert.deepEqual(alive, [['track', 'Still alive']]);
  assert.deepEqual(pageErrors, []);
  assert.equal(await page.evaluate(() => Object.keys(window.Object.prototype).length), 0);
  await context.close();
});

test('poison events leak nothing: the JS heap after a forced GC stays within 10%', { skip: cannot('cdp') }, async () => {
  const { context, page, pageErrors, runPoison } = await poisonPage();
  const cdp = await context.newCDPSession(page);
  const heap = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('HeapProfiler.collectGarbage');
    return (await cdp.send('Runtime.getHeapUsage')).usedSize;
  };
  const first = await runPoison();
  assert.deepEqual({ ...first, memory: undefined }, POISON_REPORT);
  const heapBefore = await heap();
  const second = await runPoison();
  assert.deepEqual(second, first);
  const heapAfter = await heap();
  assert.ok(heapAfter <= heapBefore * 1.1, `JS heap after a forced GC: ${heapBefore} -> ${heapAfter} bytes`);
  assert.deepEqual(pageErrors, []);
  await context.close();
});

test('two copies of the plugin on one page, and load() twice: one stub, one script, one initialize', async () => {
  const { context, page } = await openPage();
  const loaded = await page.evaluate(async (s) => {
    const analytics = window.fakeAnalytics({ userId: 'u', anonymousId: 'a', groupId: null });
    const first = await window.pendoWebActions(s);
    const second = await window.pendoWebActions(s);
    const before = [...first, ...second].map((plugin) => plugin.isLoaded());
    await Promise.all([...first, ...second].map((plugin) => plugin.load({}, analytics)));
    const after = [...first, ...second].map((plugin) => plugin.isLoaded());
    await Promise.all(first.map((plugin) => plugin.load({}, analytics)));
    // A second, independent WebAssembly instance: the script build.
    await new Promise((resolve, reject) => {
      const script = document.createElement('script');
      script.src = '/pendo-web-actions.global.js';
      script.onload = resolve;
      script.onerror = reject;
      document.head.append(script);
    });
    const third = await window['pendo-web-actionsDestination'](s);
    await Promise.all(third.map((plugin) => plugin.load({}, analytics)));
    return { before, after, third: third.map((plugin) => plugin.isLoaded()) };
  }, settings());
  // isLoaded() is false until the plugin's load() resolves, also where the page was already
  // loaded by another copy.
  assert.ok(loaded.before.length > 0 && loaded.before.every((value) => value === false), JSON.stringify(loaded));
  assert.ok(loaded.after.every((value) => value === true) && loaded.third.every((value) => value === true), JSON.stringify(loaded));
  await page.waitForFunction(() => typeof window.pendo.isReady === 'function');
  const counts = await page.evaluate(() => ({
    scripts: document.querySelectorAll('script[src*="/agent/static/"]').length,
    initialize: window.pendoCalls.filter(([method]) => method === 'initialize').length,
    instances: window.wasmMemories.length,
  }));
  assert.deepEqual(counts, { scripts: 1, initialize: 1, instances: 2 });
  await context.close();
});

test('a Pendo installed by hand is kept and receives the calls', async () => {
  const { context, page } = await openPage();
  const result = await page.evaluate(async (s) => {
    const calls = [];
    const mine = { mine: true };
    for (const method of ['initialize', 'identify', 'track', 'pageLoad', 'updateOptions']) mine[method] = (...args) => calls.push([method, ...args]);
    window.pendo = mine;
    const [analytics] = await window.startAnalytics(s);
    await analytics.track('Hand Installed', { ok: 1 });
    return { same: window.pendo === mine, calls, scripts: document.querySelectorAll('script[src*="/agent/static/"]').length };
  }, settings());
  assert.equal(result.same, true);
  assert.equal(result.scripts, 0);
  assert.deepEqual(result.calls.map(([method]) => method), ['initialize', 'track']);
  assert.deepEqual(result.calls[1], ['track', 'Hand Installed', { ok: 1 }]);
  await context.close();
});
