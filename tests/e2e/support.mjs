// What every end-to-end test file sets up: a bundled page served on 127.0.0.1 and one
// headless browser of the engine of this run, both closed after the file's tests.
//
// Every test file runs in every engine: `E2E_ENGINE=chromium|firefox|webkit node --test
// tests/e2e/` (scripts/e2e.mjs runs all three). Chromium is driven by playwright-core, Firefox
// and WebKit by WebDriver (scripts/webdriver.mjs) behind the same small API, so a test is
// written once. Keep to that API:
//   - `isolatedContext(env.browser, { answer })` and `openPage(context, url, { ready,
//     beforeLoad })` from scripts/browser.mjs, then `context.newPage()`, `context.addInitScript(source)`, `context.close()`;
//   - `page.goto(url)`, `page.evaluate(fn, arg)`, `page.waitForFunction(fn, arg, { timeout })`,
//     `page.on('console' | 'pageerror' | 'response', listener)` (`message.type()`,
//     `message.text()`, `error.message`, `response.url()`, `response.status()`),
//     `page.click(selector)`, `page.$$eval(selector, fn)`, `page.setViewportSize(size)`,
//     `page.waitForTimeout(ms)`, `page.screenshot({ path })`, `page.close()`.
// `fn` and `arg` travel as JSON, so `fn` uses nothing from the test's scope. Reach the page's
// globals through `window.` (`window.Object.prototype`, `typeof window.WebAssembly`): Firefox
// runs `fn` in a sandbox whose bare built-ins (`Object`, `WebAssembly`) are its own. Over WebDriver the
// console and uncaught errors are what the page's scripts report (console calls, error and
// unhandledrejection events, CSP violations); a browser's own network messages are not seen.
// Anything else (Playwright's locators, CDP sessions, request routing) exists in Chromium
// only: guard such a test with `{ skip: cannot('capability') }` so that the other engines
// list it as skipped, by name, with the reason.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { bundle, serve } from '../../scripts/local-server.mjs';
import { ENGINE, isolatedContext, launch, openPage as openAt } from '../../scripts/browser.mjs';
import { AGENT_VERSION, agentLoader, answerOffline, pendoBackend } from '../../scripts/pendo-agent.mjs';

/** The engine of this run: 'chromium', 'firefox' or 'webkit'. */
export const engine = ENGINE;

/** What only some engines can do here, and why the others cannot. */
const CAPABILITIES = {
  cdp: {
    engines: ['chromium'],
    reason: 'forcing a garbage collection and reading the JS heap needs the Chrome DevTools Protocol, which WebDriver does not offer',
  },
  screenshot: {
    engines: ['chromium', 'firefox'],
    reason: "WebKitWebDriver's Take Screenshot never answers for MiniBrowser under Xvfb",
  },
};

/**
 * False when this engine can do `capability` (a key of CAPABILITIES), else the reason it
 * cannot, for `test(name, { skip: cannot('cdp') }, ...)`.
 */
export function cannot(capability) {
  const known = CAPABILITIES[capability];
  if (!known) throw new Error(`unknown capability ${capability}`);
  return known.engines.includes(engine) ? false : `not in ${engine}: ${known.reason}`;
}

/**
 * `E2E_PAGE=no-wasm`: every page of `pageHtml` deletes `WebAssembly` in its first script, before
 * the package loads, so the package runs its JavaScript build; `pageServer` then checks that
 * the page fetched that build and never the .wasm.
 */
export const withoutWebAssembly = process.env.E2E_PAGE === 'no-wasm';
export const DELETE_WEBASSEMBLY = 'delete globalThis.WebAssembly;';

export const pageHtml = (title, nonce) => `<!doctype html><html><head><title>${title}</title>
<script${nonce ? ` nonce="${nonce}"` : ''}>${withoutWebAssembly ? DELETE_WEBASSEMBLY : ''}window.pageScriptRan = true;</script></head>
<body><script type="module"${nonce ? ` nonce="${nonce}"` : ''} src="/app.js"></script></body></html>`;

/**
 * Serves `entry` (a module beside this file, bundled to /app.js) under the page `html` at /,
 * with `headers` on the page, more `routes`, and the other options of `serve()`. Returns an
 * object whose `server` and `browser` are set once the file's tests start.
 */
export function pageServer({ entry = 'app.mjs', html = pageHtml('pendo-wasm e2e'), headers, routes = {}, handle, ...options } = {}) {
  const env = { server: undefined, browser: undefined, requested: new Set() };
  before(async () => {
    const app = await bundle(fileURLToPath(new URL(`./${entry}`, import.meta.url)));
    env.server = await serve({
      ...options,
      handle: (request, response, url) => {
        env.requested.add(url.pathname);
        return handle ? handle(request, response, url) : false;
      },
      routes: { '/': { type: 'text/html', body: html, headers }, '/app.js': { type: 'text/javascript', body: app }, ...routes },
    });
    env.browser = await launch();
  });
  after(async () => {
    if (withoutWebAssembly) {
      const fetched = ['/pendo_wasm_bg.wasm', '/pendo_wasm_fallback.js'].filter((path) => env.requested.has(path));
      assert.deepEqual(fetched, ['/pendo_wasm_fallback.js'], 'without WebAssembly the pages fetched the JavaScript build and never the .wasm');
    }
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.close();
  });
  return env;
}

/** Opens the page in `context` and waits for its script; `messages` collects the console. */
export async function openPage(context, origin) {
  const { page, messages } = await openAt(context, `${origin}/`);
  return { page, messages };
}

/**
 * A `pageServer` whose pages load the real Pendo agent (npm `@pendo/agent`) from it, with a
 * stand-in for Pendo's data host that decodes the agent's beacons (`backend`, see
 * scripts/pendo-agent.mjs). An API key starting with a key of `otherAgents` gets that agent
 * script instead (null: none, a 404). `entry` (default app.mjs), `routes` and `handle` (tried
 * after the backend's) are `pageServer`'s. Returns:
 *   - `env`, as `pageServer` returns it, and `backend`;
 *   - `newApiKey()`: a fresh Pendo app for each page (`<keyPrefix><number of keyDigits>-0000-...`):
 *     the agent keys its stored identity by API key, and its beacons go to /data/ptm.gif/<apiKey>;
 *   - `settings(apiKey, extra)`: the destination's settings for that app, its agent served by
 *     the local server, with `subscriptions` unless `extra` says otherwise;
 *   - `offlineContext()`: `isolatedContext`, every request to another host answered locally;
 *   - `open(context)`: `openPage` on the server's page;
 *   - `agentReady(page, { timeout })`: waits for the real agent to be initialized, and checks
 *     that it is the real one.
 */
export function realAgentServer({ title, keyPrefix, keyDigits, subscriptions, otherAgents = {}, entry, routes, handle }) {
  const backend = pendoBackend();
  const realAgent = agentLoader();
  const env = pageServer({
    entry,
    routes,
    html: pageHtml(title),
    agent: (apiKey, request) => {
      const other = Object.keys(otherAgents).find((prefix) => apiKey.startsWith(prefix));
      return other === undefined ? realAgent(apiKey, request) : otherAgents[other];
    },
    handle: async (request, response, url) => (await backend.handle(request, response, url)) || (handle ? handle(request, response, url) : false),
  });
  let keys = 0;
  const newApiKey = () => `${keyPrefix}${String(++keys).padStart(keyDigits, '0')}-0000-4000-8000-000000000000`;
  const settings = (apiKey, extra = {}) => ({ apiKey, cnameContentHost: env.server.origin, subscriptions, ...extra });
  const offlineContext = () => isolatedContext(env.browser, { answer: answerOffline });
  const open = (context) => openPage(context, env.server.origin);
  async function agentReady(page, { timeout = 15_000 } = {}) {
    await page.waitForFunction(() => typeof window.pendo?.isReady === 'function' && window.pendo.isReady(), null, { timeout });
    assert.equal(await page.evaluate(() => window.pendo.getVersion()), `${AGENT_VERSION}_prod`, 'the real agent runs, not the stub');
  }
  return { env, backend, newApiKey, settings, offlineContext, open, agentReady };
}
