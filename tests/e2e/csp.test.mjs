// A page under a strict Content-Security-Policy: the agent's script only runs when it carries
// the page's nonce, taken from the `nonce` setting or from the page's own scripts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isolatedContext, openPage } from '../../scripts/browser.mjs';
import { pageHtml, pageServer } from './support.mjs';

const NONCE = 'c3RyaWN0LW5vbmNl';
const CSP = `script-src 'nonce-${NONCE}' 'wasm-unsafe-eval'; object-src 'none'; base-uri 'none'`;

const env = pageServer({ html: pageHtml('csp', NONCE), headers: { 'content-security-policy': CSP } });

async function run(settings) {
  const { context } = await isolatedContext(env.browser);
  const { page: tab, consoleMessages } = await openPage(context, `${env.server.origin}/`);
  await tab.evaluate(async (s) => {
    const [analytics] = await window.startAnalytics(s);
    await analytics.track('Under CSP');
  }, { apiKey: 'csp-key', cnameContentHost: env.server.origin, ...settings });
  await tab.waitForFunction(() => (window.pendoCalls || []).length >= 2, null, { timeout: 10_000 });
  const result = {
    calls: await tab.evaluate(() => window.pendoCalls.map(([method]) => method)),
    nonce: await tab.evaluate(() => document.querySelector('script[src*="/agent/static/"]').nonce),
  };
  await context.close();
  const violations = consoleMessages.filter(({ text }) => text.includes('Content Security Policy')).map(({ text }) => text);
  return { ...result, violations };
}

test('the agent loads under a strict CSP with the nonce of the page', async () => {
  const result = await run({});
  assert.deepEqual(result, { calls: ['initialize', 'track'], nonce: NONCE, violations: [] });
});

test('the agent loads under a strict CSP with the nonce setting', async () => {
  const result = await run({ nonce: NONCE });
  assert.deepEqual(result, { calls: ['initialize', 'track'], nonce: NONCE, violations: [] });
});
