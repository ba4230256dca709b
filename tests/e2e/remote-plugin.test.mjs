// Remote loading: analytics.js finds the destination through a `remotePlugins` entry of its
// CDN settings, loads our script build from its URL, and calls the global factory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isolatedContext, openPage } from '../../scripts/browser.mjs';
import { PRESET_MAPPINGS, subscription, without } from '../support/presets.mjs';
import { pageHtml, pageServer } from './support.mjs';

const env = pageServer({ entry: 'analytics-only.mjs', html: pageHtml('remote plugin') });

test('analytics.js loads the script build through remotePlugins and events reach Pendo', async () => {
  const { context, blocked } = await isolatedContext(env.browser);
  const { page } = await openPage(context, `${env.server.origin}/`);
  const subscriptions = JSON.stringify([
    subscription('track', { name: 'Track' }),
    // Without the preset's account id.
    subscription('identify', { name: 'Identify', mapping: without(PRESET_MAPPINGS.identify, 'accountId') }),
  ]);
  const factoryType = await page.evaluate(async ({ origin, subscriptions }) => {
    const analytics = window.loadAnalytics({
      writeKey: 'remote',
      url: `${origin}/pendo-web-actions.global.js`,
      settings: { apiKey: 'remote-key', cnameContentHost: origin, subscriptions },
    });
    await analytics.identify('u7', { role: 'admin' });
    await analytics.track('Remote Works', { n: 1 });
    return typeof window['pendo-web-actionsDestination'];
  }, { origin: env.server.origin, subscriptions });
  assert.equal(factoryType, 'function');
  await page.waitForFunction(() => (window.pendoCalls || []).length >= 3);
  const calls = await page.evaluate(() => window.pendoCalls);
  assert.equal(calls[0][0], 'initialize');
  assert.deepEqual(calls.slice(1), [
    ['identify', { visitor: { role: 'admin', id: 'u7' } }],
    ['track', 'Remote Works', { n: 1 }],
  ]);
  assert.deepEqual(blocked, [], 'nothing was requested from outside 127.0.0.1');
  await context.close();
});
