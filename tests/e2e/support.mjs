// What every end-to-end test file sets up: a bundled page served on 127.0.0.1 and one
// headless Chromium, both closed after the file's tests.
import { after, before } from 'node:test';
import { fileURLToPath } from 'node:url';
import { bundle, serve } from '../../scripts/local-server.mjs';
import { launch } from '../../scripts/browser.mjs';

export const pageHtml = (title, nonce) => `<!doctype html><html><head><title>${title}</title>
<script${nonce ? ` nonce="${nonce}"` : ''}>window.pageScriptRan = true;</script></head>
<body><script type="module"${nonce ? ` nonce="${nonce}"` : ''} src="/app.js"></script></body></html>`;

/**
 * Serves `entry` (a module beside this file, bundled to /app.js) under the page `html` at /,
 * with `headers` on the page, more `routes`, and the other options of `serve()`. Returns an
 * object whose `server` and `browser` are set once the file's tests start.
 */
export function pageServer({ entry = 'app.mjs', html = pageHtml('pendo-wasm e2e'), headers, routes = {}, ...options } = {}) {
  const env = { server: undefined, browser: undefined };
  before(async () => {
    const app = await bundle(fileURLToPath(new URL(`./${entry}`, import.meta.url)));
    env.server = await serve({
      ...options,
      routes: { '/': { type: 'text/html', body: html, headers }, '/app.js': { type: 'text/javascript', body: app }, ...routes },
    });
    env.browser = await launch();
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.close();
  });
  return env;
}

/** Opens the page in `context` and waits for its script; `messages` collects the console. */
export async function openPage(context, origin) {
  const tab = await context.newPage();
  const messages = [];
  tab.on('console', (message) => messages.push(`${message.type()}: ${message.text()}`));
  tab.on('pageerror', (error) => messages.push(`pageerror: ${error.message}`));
  await tab.goto(`${origin}/`);
  await tab.waitForFunction(() => window.appReady === true);
  return { page: tab, messages };
}
