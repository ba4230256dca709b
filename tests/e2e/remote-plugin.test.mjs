// Remote loading: analytics.js finds the destination through a `remotePlugins` entry of its
// CDN settings, loads our script build from its URL, and calls the global factory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isolatedContext } from '../../scripts/browser.mjs';
import { pageHtml, pageServer } from './support.mjs';

const env = pageServer({ entry: 'analytics-only.mjs', html: pageHtml('remote plugin') });

test('analytics.js loads the script build through remotePlugins and events reach Pendo', async () => {
  const { context, blocked } = await isolatedContext(env.browser);
  const page = await context.newPage();
  await page.goto(`${env.server.origin}/`);
  await page.waitForFunction(() => window.appReady === true);
  const subscriptions = JSON.stringify([
    { partnerAction: 'track', name: 'Track', enabled: true, subscribe: 'type = "track"', mapping: { event: { '@path': '$.event' }, metadata: { '@path': '$.properties' } } },
    { partnerAction: 'identify', name: 'Identify', enabled: true, subscribe: 'type = "identify"', mapping: { visitorId: { '@path': '$.userId' }, visitorData: { '@path': '$.traits' } } },
  ]);
  const factoryType = await page.evaluate(async ({ origin, subscriptions }) => {
    const analytics = window.AnalyticsBrowser.load(
      {
        writeKey: 'remote',
        cdnSettings: {
          integrations: {},
          remotePlugins: [
            {
              name: 'Pendo Web (actions)',
              creationName: 'Pendo Web (actions)',
              libraryName: 'pendo-web-actionsDestination',
              url: `${origin}/pendo-web-actions.global.js`,
              settings: { apiKey: 'remote-key', cnameContentHost: origin, subscriptions },
            },
          ],
        },
      },
      { integrations: { 'Segment.io': false } },
    );
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
