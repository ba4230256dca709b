// The browser for the end-to-end tests, the demo check and the benchmark, chosen by the
// E2E_ENGINE environment variable: `chromium` (the default; Debian's chromium through
// playwright-core), `firefox` (Firefox ESR through geckodriver) or `webkit` (WebKitGTK's
// MiniBrowser through WebKitWebDriver). Every engine has the same small API (see
// tests/e2e/support.mjs), and every request to a host other than 127.0.0.1 is answered
// locally, so nothing leaves the machine.
import { chromium } from 'playwright-core';

export const ENGINES = ['chromium', 'firefox', 'webkit'];

/** The engine of this run. */
export const ENGINE = process.env.E2E_ENGINE || 'chromium';
if (!ENGINES.includes(ENGINE)) throw new Error(`E2E_ENGINE must be one of ${ENGINES.join(', ')}, not ${ENGINE}`);

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

/** Starts the engine of this run (or `engine`). */
export async function launch(engine = ENGINE) {
  if (engine === 'chromium') return chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: CHROMIUM_ARGS });
  const { launchWebDriver } = await import('./webdriver.mjs');
  return launchWebDriver(engine);
}

/**
 * A fresh browser context (its own storage) whose non-local requests are intercepted:
 * `blocked` lists their URLs, and each is answered by `answer(route, url)` or aborted.
 * (Over WebDriver, an https request to another host is refused unanswered and listed as
 * its origin: the proxy sees only the host it tunnels to.)
 */
export async function isolatedContext(browser, { answer } = {}) {
  if (typeof browser.newWebDriverContext === 'function') {
    const context = await browser.newWebDriverContext({ answer });
    return { context, blocked: context.blocked };
  }
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

/**
 * Opens `url` in a new page of `context` and waits until the page's script sets
 * `window[ready]` to true. `beforeLoad(page)`, when given, runs first (more listeners, a
 * viewport size). Returns the page and what it reported while open: `messages` (console
 * calls as `type: text`, uncaught errors as `pageerror: message`, in order), `consoleMessages`
 * (the console calls as `{ type, text }`) and `pageErrors` (the uncaught errors' messages).
 */
export async function openPage(context, url, { ready = 'appReady', beforeLoad } = {}) {
  const page = await context.newPage();
  const messages = [];
  const consoleMessages = [];
  const pageErrors = [];
  page.on('console', (message) => {
    const entry = { type: message.type(), text: message.text() };
    consoleMessages.push(entry);
    messages.push(`${entry.type}: ${entry.text}`);
  });
  page.on('pageerror', (error) => {
    pageErrors.push(error.message);
    messages.push(`pageerror: ${error.message}`);
  });
  if (beforeLoad) await beforeLoad(page);
  await page.goto(url);
  await page.waitForFunction((name) => window[name] === true, ready);
  return { page, messages, consoleMessages, pageErrors };
}
