// Segment's names: a workspace's CDN settings name this destination `Pendo Web (actions)`, and
// analytics.js uses a factory from `plugins` only when its `pluginName` is exactly that; each
// action's plugin is `Pendo Web (actions) <partnerAction>`, the names per-event `integrations`
// options switch off.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { isolatedContext } from '../../scripts/browser.mjs';
import { openPage, pageServer } from './support.mjs';

const PACKAGE_VERSION = JSON.parse(readFileSync(new URL('../../js-shim/package.json', import.meta.url), 'utf8')).version;

const env = pageServer();

test('analytics.js uses our factory for the remotePlugins entry named "Pendo Web (actions)", and integrations options switch it off', async () => {
  const { context, blocked } = await isolatedContext(env.browser);
  const { page } = await openPage(context, env.server.origin);
  const loaded = await page.evaluate(async (settings) => {
    const [analytics] = await window.startAnalytics(settings);
    return {
      pluginName: window.pendoWebActions.pluginName,
      destinations: analytics.queue.plugins.filter((p) => p.type === 'destination').map((p) => [p.name, ...(p.alternativeNames ?? [])]),
      versions: analytics.queue.plugins.filter((p) => p.name === 'Pendo Web (actions)').map((p) => (p.action ?? p).version), // analytics.js wraps each plugin as `action`
    };
  }, { apiKey: 'e2e-key', cnameContentHost: env.server.origin });
  assert.equal(loaded.pluginName, 'Pendo Web (actions)');
  assert.deepEqual(loaded.versions, [PACKAGE_VERSION, PACKAGE_VERSION, PACKAGE_VERSION], 'each plugin has the package\'s version');
  for (const action of ['identify', 'group', 'track']) {
    assert.ok(
      loaded.destinations.some(([name, ...alternatives]) => name === 'Pendo Web (actions)' && alternatives.includes(`Pendo Web (actions) ${action}`)),
      `${action}: ${JSON.stringify(loaded.destinations)}`,
    );
  }

  await page.evaluate(async () => {
    await window.analytics.track('Everywhere', { n: 1 });
    await window.analytics.track('Not to Pendo', { n: 2 }, { integrations: { 'Pendo Web (actions)': false } });
    await window.analytics.track('Not to Send Track', { n: 3 }, { integrations: { 'Pendo Web (actions) track': false } });
    await window.analytics.identify('u1', { plan: 'pro' }, { integrations: { 'Pendo Web (actions) track': false } });
    await window.analytics.track('Last', { n: 4 });
  });
  await page.waitForFunction(() => (window.pendoCalls || []).some((call) => call[1] === 'Last'), null, { timeout: 10_000 });
  const calls = await page.evaluate(() => window.pendoCalls);
  assert.deepEqual(calls.slice(1), [
    ['track', 'Everywhere', { n: 1 }],
    ['identify', { visitor: { plan: 'pro', id: 'u1' } }],
    ['track', 'Last', { n: 4 }],
  ]);
  assert.deepEqual(blocked.filter((url) => url.includes('cdn.segment.com')), [], "the entry's url was never fetched");
  await context.close();
});
