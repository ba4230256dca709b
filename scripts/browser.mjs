// Headless Chromium for the browser tests, the demo check and the benchmark: Debian's
// chromium through playwright-core, with every request to a host other than 127.0.0.1
// answered locally, so nothing leaves the machine.
import { chromium } from 'playwright-core';

export const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
];

export function launch() {
  return chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/**
 * A fresh browser context (its own storage) whose non-local requests are intercepted:
 * `blocked` lists their URLs, and each is answered by `answer(route, url)` or aborted.
 */
export async function isolatedContext(browser, { answer } = {}) {
  const context = await browser.newContext();
  const blocked = [];
  await context.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === '127.0.0.1') return route.continue();
    blocked.push(url.href);
    if (answer && (await answer(route, url))) return;
    return route.abort('blockedbyclient');
  });
  return { context, blocked };
}
