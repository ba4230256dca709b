// The demo page works for a person: every button ends up on window.pendo and in what the real
// agent sends, and a screenshot of the result is saved under target/.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { root } from '../../scripts/local-server.mjs';
import { isolatedContext, launch, openPage } from '../../scripts/browser.mjs';
import { cannot } from './support.mjs';

let demo;
let origin;
let browser;

before(async () => {
  demo = spawn(process.execPath, [join(root, 'www', 'serve.mjs')], { env: { ...process.env, PORT: '0' } });
  origin = await new Promise((resolve, reject) => {
    demo.stdout.on('data', (chunk) => {
      const match = String(chunk).match(/http:\/\/127\.0\.0\.1:\d+/);
      if (match) resolve(match[0]);
    });
    demo.on('exit', (code) => reject(new Error(`demo server exited with ${code}`)));
  });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  demo?.kill();
});

const texts = (page, selector) => page.$$eval(selector, (items) => items.map((item) => item.textContent));

test('the demo sends identify, group, track and page, and shows what reached Pendo', async (t) => {
  const { context, blocked } = await isolatedContext(browser);
  const { page } = await openPage(context, `${origin}/`, { ready: 'demoReady', beforeLoad: (tab) => tab.setViewportSize({ width: 1500, height: 1000 }) });
  for (const button of ['#send-identify', '#send-group', '#send-track', '#send-page']) {
    await page.click(button);
    await page.waitForTimeout(50);
  }
  await page.waitForFunction(() => document.querySelectorAll('#received li').length >= 5);
  const received = await texts(page, '#received li');
  assert.match(received[0], /^pendo\.initialize\(\{ "visitor": \{ "id": "_PENDO_T_/);
  assert.equal(received[1], 'pendo.identify({ "visitor": { "email": "ada@example.com", "plan": "pro", "id": "user-42" } })');
  assert.match(received[2], /"account": \{ "name": "Acme Inc", "id": "acme" \}, "parentAccount": \{ "id": "acme-holding" \}/);
  assert.equal(received[3], 'pendo.track("Order Completed", { "total": 120, "currency": "EUR" })');
  assert.match(received[4], /^pendo\.pageLoad\("http:\/\/127\.0\.0\.1:\d+\/"\)$/);
  assert.equal(received.length, 5);
  // The real agent's beacons, decoded by the demo server.
  await page.waitForFunction(() => [...document.querySelectorAll('#sent li')].some((li) => li.textContent.startsWith('track "Order Completed"')), null, { timeout: 15_000 });
  const sent = await texts(page, '#sent li');
  assert.ok(sent.some((line) => /^track "Order Completed" visitor=user-42 account=acme-holding::acme \{ "total": 120, "currency": "EUR" \}$/.test(line)), sent.join('\n'));
  assert.ok(sent.some((line) => line.startsWith('meta visitor=user-42')), sent.join('\n'));
  assert.ok(sent.every((line) => /^(meta|identify|track|load)\b/.test(line)), sent.join('\n'));
  assert.equal((await texts(page, '#emitted li')).length, 4);
  // The fourth column: explain mode's group for each event, title first.
  await page.waitForFunction(() => document.querySelectorAll('#why li').length >= 4);
  assert.deepEqual(await texts(page, '#why li .title'), ['identify, userId "user-42"', 'group, groupId "acme"', 'track "Order Completed"', 'page "Pricing"']);
  const why = await texts(page, '#why li');
  assert.equal(why.length, 4);
  assert.equal(
    why[2],
    'track "Order Completed"' +
      [
        'Send Identify Event, subscription "Send Identify Event" (type = "identify"): not matched, type = "identify" is false: it saw "track"',
        'Send Group Event, subscription "Send Group Event" (type = "group"): not matched, type = "group" is false: it saw "track"',
        'Send Track Event, subscription "Send Track Event" (type = "track"): matched',
        '  payload {"event":"Order Completed","metadata":{"total":120,"currency":"EUR"}}',
        '  Pendo call: pendo.track("Order Completed", {"total":120,"currency":"EUR"})',
        'Send Page, subscription "Send Page" (type = "page"): not matched, type = "page" is false: it saw "track"',
      ].join('\n'),
  );
  assert.match(why[0], /Send Identify Event, subscription "Send Identify Event" \(type = "identify"\): matched\n {2}payload \{"visitorId":"user-42",/);
  assert.deepEqual(await texts(page, '#problems li'), []);
  assert.deepEqual(blocked, []);
  if (cannot('screenshot')) t.diagnostic(`no screenshot: ${cannot('screenshot')}`);
  else {
    mkdirSync(join(root, 'target'), { recursive: true });
    await page.screenshot({ path: join(root, 'target', 'demo.png'), fullPage: true });
  }
  await context.close();
});

test('a call analytics.js refuses shows in the "why" column in plain words, and nothing reaches Pendo', async () => {
  const { context, blocked } = await isolatedContext(browser);
  const { page, pageErrors } = await openPage(context, `${origin}/`, { ready: 'demoReady' });
  await page.waitForFunction(() => document.querySelectorAll('#received li').length >= 1);
  await page.evaluate(() => {
    document.getElementById('track-json').value = '{"properties": {"total": 1}}';
  });
  await page.click('#send-track');
  await page.waitForFunction(() => document.querySelectorAll('#why li').length >= 1);
  await page.waitForTimeout(300);
  assert.deepEqual(await texts(page, '#why li'), [
    'analytics.track() refused' +
      'analytics.js refused this call before any destination saw it: a track call needs an event name (analytics.js says "Event missing"). Nothing was sent to Pendo.',
  ]);
  assert.deepEqual(pageErrors, []);
  assert.equal((await texts(page, '#received li')).length, 1, 'only the initialize reached window.pendo');
  assert.deepEqual(await texts(page, '#emitted li'), []);
  assert.deepEqual(await texts(page, '#problems li'), []);
  assert.deepEqual(blocked, []);
  await context.close();
});
