// Firefox (geckodriver) and WebKit (WebKitWebDriver with its MiniBrowser) behind the small
// part of Playwright's browser/context/page API that the tests use, so that one test runs in
// every engine. WebDriver has no request interception, init scripts or page events, so every
// request of the browser goes through a local proxy (below) that answers other hosts the way
// `isolatedContext` does, reports responses, and puts scripts/page-harness.js and the
// context's init scripts at the top of every HTML document.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import { connect, createServer as createNetServer } from 'node:net';
import { Builder, By } from 'selenium-webdriver';

const HARNESS = readFileSync(new URL('./page-harness.js', import.meta.url), 'utf8');
const HARNESS_PATH = '/__e2e/harness.js';
const LOCAL_HOST = '127.0.0.1';

// The browser's own services (Firefox's remote settings, for one, which no preference keeps
// quiet): refused like every other host, but not the page's requests, so not listed in
// `blocked`.
const BROWSER_SERVICE_HOST = /(^|\.)(mozilla\.(com|net|org)|firefox\.com|mozaws\.net)$/;

/** Where each engine's driver and browser are, and how a session of it is asked for. */
export const WEBDRIVER_ENGINES = {
  firefox: {
    driver: () => process.env.GECKODRIVER || 'geckodriver',
    driverArgs: (port) => ['--port', String(port), '--host', LOCAL_HOST],
    capabilities: (proxyPort) => ({
      browserName: 'firefox',
      'moz:firefoxOptions': {
        binary: process.env.FIREFOX || '/usr/bin/firefox-esr',
        args: ['-headless'],
        prefs: {
          // Everything, 127.0.0.1 included, through the test proxy.
          'network.proxy.type': 1,
          'network.proxy.http': LOCAL_HOST,
          'network.proxy.http_port': proxyPort,
          'network.proxy.ssl': LOCAL_HOST,
          'network.proxy.ssl_port': proxyPort,
          'network.proxy.no_proxies_on': '',
          'network.proxy.allow_hijacking_localhost': true,
          // The browser's own traffic, which is not the page's.
          'network.captive-portal-service.enabled': false,
          'network.connectivity-service.enabled': false,
          'network.dns.disablePrefetch': true,
          'network.http.speculative-parallel-limit': 0,
          'network.prefetch-next': false,
          'browser.safebrowsing.malware.enabled': false,
          'browser.safebrowsing.phishing.enabled': false,
          'browser.safebrowsing.downloads.enabled': false,
          'browser.safebrowsing.blockedURIs.enabled': false,
          'browser.safebrowsing.provider.mozilla.updateURL': '',
          'services.settings.server': `http://${LOCAL_HOST}:1/`,
          'dom.push.enabled': false,
          'dom.push.connection.enabled': false,
          'extensions.getAddons.cache.enabled': false,
          'extensions.blocklist.enabled': false,
          'app.normandy.enabled': false,
          'app.update.enabled': false,
          'datareporting.healthreport.uploadEnabled': false,
          'datareporting.policy.dataSubmissionEnabled': false,
          'toolkit.telemetry.enabled': false,
          'browser.newtabpage.enabled': false,
          'browser.startup.homepage': 'about:blank',
          'browser.region.network.url': '',
          'browser.search.geoip.url': '',
          'media.gmp-manager.url': '',
          'identity.fxaccounts.enabled': false,
          'privacy.trackingprotection.enabled': false,
        },
      },
    }),
  },
  webkit: {
    driver: () => process.env.WEBKIT_WEBDRIVER || 'WebKitWebDriver',
    driverArgs: (port) => [`--port=${port}`, `--host=${LOCAL_HOST}`],
    capabilities: (proxyPort) => ({
      browserName: 'MiniBrowser',
      'webkitgtk:browserOptions': {
        binary: process.env.MINIBROWSER || '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser',
        args: ['--automation'],
      },
      proxy: { proxyType: 'manual', httpProxy: `${LOCAL_HOST}:${proxyPort}`, sslProxy: `${LOCAL_HOST}:${proxyPort}`, noProxy: [] },
    }),
  },
};

const freePort = () =>
  new Promise((resolve, reject) => {
    const server = createNetServer();
    server.on('error', reject);
    server.listen(0, LOCAL_HOST, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

/** Puts the harness script first in an HTML document, with the page's script nonce. */
function injectHarness(html, nonce) {
  const tag = `<script${nonce ? ` nonce="${nonce}"` : ''} src="${HARNESS_PATH}"></script>`;
  for (const pattern of [/<head\b[^>]*>/i, /<html\b[^>]*>/i, /<!doctype[^>]*>/i]) {
    const match = pattern.exec(html);
    if (match) return html.slice(0, match.index + match[0].length) + tag + html.slice(match.index + match[0].length);
  }
  return tag + html;
}

/**
 * The proxy every request of the browser goes through. Requests to 127.0.0.1 are forwarded;
 * others are handed to the current context (`onBlocked`), which answers or refuses them.
 */
async function startProxy(browser) {
  const server = createServer(async (request, response) => {
    let url;
    try {
      url = new URL(request.url);
    } catch (_) {
      response.writeHead(400).end();
      return;
    }
    const context = browser.current;
    if (url.hostname !== LOCAL_HOST) {
      const answered = context && !BROWSER_SERVICE_HOST.test(url.hostname) ? await context.onBlocked(url, response) : false;
      if (!answered) response.destroy();
      return;
    }
    if (url.pathname === HARNESS_PATH) {
      const scripts = [HARNESS, ...(context?.initScripts ?? []).map((script) => `try { ${script} } catch (_) {}`), 'document.currentScript?.remove();'];
      response.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' });
      response.end(scripts.join('\n'));
      return;
    }
    if (url.pathname === '/__e2e/blank') {
      response.writeHead(200, { 'content-type': 'text/html', 'cache-control': 'no-store' });
      response.end('<!doctype html><title>blank</title>');
      return;
    }
    context?.visited.add(url.origin);
    const headers = { ...request.headers };
    delete headers['accept-encoding'];
    delete headers['proxy-connection'];
    const upstream = httpRequest({ host: LOCAL_HOST, port: url.port || 80, method: request.method, path: url.pathname + url.search, headers }, (answer) => {
      context?.emit('response', { url: url.href, status: answer.statusCode });
      const type = answer.headers['content-type'] ?? '';
      if (!type.startsWith('text/html') || answer.headers['content-encoding']) {
        response.writeHead(answer.statusCode, answer.headers);
        answer.pipe(response);
        return;
      }
      const chunks = [];
      answer.on('data', (chunk) => chunks.push(chunk));
      answer.on('end', () => {
        const csp = String(answer.headers['content-security-policy'] ?? '');
        const html = Buffer.concat(chunks).toString('utf8');
        const nonce = csp.match(/'nonce-([^']+)'/)?.[1] ?? html.match(/<script[^>]*\snonce="([^"]+)"/i)?.[1];
        const body = Buffer.from(injectHarness(html, nonce));
        const outHeaders = { ...answer.headers, 'content-length': String(body.length) };
        delete outHeaders['transfer-encoding'];
        response.writeHead(answer.statusCode, outHeaders);
        response.end(body);
      });
    });
    upstream.on('error', () => response.destroy());
    request.pipe(upstream);
  });
  // HTTPS and WebSockets: tunnels to 127.0.0.1 only; other hosts are refused.
  server.on('connect', (request, socket, head) => {
    const [host, port] = request.url.split(':');
    if (host !== LOCAL_HOST) {
      if (!BROWSER_SERVICE_HOST.test(host)) browser.current?.blocked.push(`https://${request.url.replace(/:443$/, '')}/`);
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    const tunnel = connect(Number(port), LOCAL_HOST, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      tunnel.write(head);
      tunnel.pipe(socket).pipe(tunnel);
    });
    tunnel.on('error', () => socket.destroy());
    socket.on('error', () => tunnel.destroy());
  });
  // Plain WebSockets to 127.0.0.1 (a dev server's live reload) are passed through as well.
  server.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url);
    if (url.hostname !== LOCAL_HOST) return socket.destroy();
    const tunnel = connect(Number(url.port || 80), LOCAL_HOST, () => {
      const lines = [`${request.method} ${url.pathname}${url.search} HTTP/1.1`];
      for (let i = 0; i < request.rawHeaders.length; i += 2) lines.push(`${request.rawHeaders[i]}: ${request.rawHeaders[i + 1]}`);
      tunnel.write(`${lines.join('\r\n')}\r\n\r\n`);
      tunnel.write(head);
      tunnel.pipe(socket).pipe(tunnel);
    });
    tunnel.on('error', () => socket.destroy());
    socket.on('error', () => tunnel.destroy());
  });
  await new Promise((resolve) => server.listen(0, LOCAL_HOST, resolve));
  server.unref();
  return server;
}

/** What a request to another host gets from `answer(route, url)`: Playwright's `fulfill`. */
function routeFor(response) {
  return {
    fulfill: async ({ status = 200, headers = {}, contentType, body = '' }) => {
      response.writeHead(status, { ...headers, ...(contentType ? { 'content-type': contentType } : {}) });
      response.end(body);
    },
    abort: async () => response.destroy(),
  };
}

// Runs in the page: a value encoded as JSON, as Playwright would return it: `undefined`,
// functions and symbols come back as undefined, and so does a reference to an enclosing object
// (a cycle); a bigint comes back as its digits.
const ENCODE = `const encode = (root) => {
  const UNDEFINED = { __e2eUndefined: true };
  const ancestors = new Set();
  let budget = 200000;
  const walk = (value) => {
    if (--budget < 0) throw new Error('the value is too large to return from the page');
    if (value === undefined || typeof value === 'function' || typeof value === 'symbol') return UNDEFINED;
    if (typeof value === 'bigint') return String(value);
    if (value === null || typeof value !== 'object') return value;
    if (ancestors.has(value)) return UNDEFINED;
    ancestors.add(value);
    try {
      if (Array.isArray(value)) return value.map(walk);
      if (value instanceof Date) return value.toISOString();
      const out = {};
      for (const key of Object.keys(value)) out[key] = walk(value[key]);
      return out;
    } finally {
      ancestors.delete(value);
    }
  };
  return JSON.stringify({ value: walk(root) });
};
const drain = () => (window.__e2eHarness ? window.__e2eHarness.drain() : []);`;

function decode(text) {
  const revive = (value) => {
    if (Array.isArray(value)) return value.map(revive);
    if (value && typeof value === 'object') {
      if (value.__e2eUndefined === true && Object.keys(value).length === 1) return undefined;
      const out = {};
      for (const [key, item] of Object.entries(value)) out[key] = revive(item);
      return out;
    }
    return value;
  };
  return revive(JSON.parse(text).value);
}

class WebDriverPage {
  constructor(context, handle) {
    this.context = context;
    this.handle = handle;
    this.listeners = { console: [], pageerror: [], response: [] };
    this.closed = false;
    this.poller = setInterval(() => {
      if (this.listeners.console.length + this.listeners.pageerror.length === 0 || this.context.browser.busy) return;
      this.#command(`${ENCODE} return JSON.stringify(drain());`, [], (events) => this.#deliver(JSON.parse(events))).catch(() => {});
    }, 100);
    this.poller.unref();
  }

  get driver() {
    return this.context.browser.driver;
  }

  /** One WebDriver command on this page's window, never two at once. */
  #command(body, args, then = (value) => value) {
    const browser = this.context.browser;
    const run = browser.queue.then(async () => {
      if (this.closed) throw new Error('the page is closed');
      browser.busy = true;
      try {
        if (browser.window !== this.handle) {
          await this.driver.switchTo().window(this.handle);
          browser.window = this.handle;
        }
        return then(await (typeof body === 'function' ? body() : this.driver.executeScript(body, ...args)));
      } finally {
        browser.busy = false;
      }
    });
    browser.queue = run.catch(() => {});
    return run;
  }

  #deliver(events) {
    for (const event of events) {
      if (event.kind === 'console') {
        const message = { type: () => event.type, text: () => event.text };
        for (const listener of this.listeners.console) listener(message);
      } else {
        const error = new Error(event.message);
        for (const listener of this.listeners.pageerror) listener(error);
      }
    }
  }

  on(name, listener) {
    this.listeners[name]?.push(listener);
    return this;
  }

  async goto(url) {
    await this.#command(() => this.driver.get(url), []);
    await this.evaluate(() => true);
  }

  /**
   * Playwright's `page.evaluate(fn, arg)`: `fn` (a function, or its source) runs in the page
   * with `arg`; both travel as JSON, and `undefined` survives.
   */
  async evaluate(fn, arg) {
    const body = `${ENCODE}
const arg = JSON.parse(arguments[0]).value;
return Promise.resolve().then(() => (${fn})(arg)).then((value) => encode(value)).then(
  (ok) => JSON.stringify({ ok, events: drain() }),
  (error) => JSON.stringify({ error: String((error && error.stack) || error), message: String((error && error.message) || error), events: drain() }),
);`;
    const answer = await this.#command(body, [JSON.stringify({ value: arg })], (text) => JSON.parse(text));
    this.#deliver(answer.events);
    if ('error' in answer) throw new Error(`page.evaluate: ${answer.message}\n${answer.error}`);
    return decode(answer.ok);
  }

  /** Playwright's `page.waitForFunction(fn, arg, { timeout })`: polls in the page. */
  async waitForFunction(fn, arg, { timeout = 30_000 } = {}) {
    const deadline = Date.now() + timeout;
    // Short rounds, so that page events reach the test while it waits.
    for (;;) {
      // The check's source is put into the script itself: a page's CSP may forbid eval.
      const poll = `({ arg, ms }) => new Promise((resolve, reject) => {
        const check = (${fn});
        const end = Date.now() + ms;
        const tick = () => {
          let value;
          try { value = check(arg); } catch (error) { return reject(error); }
          if (value) return resolve({ value });
          if (Date.now() > end) return resolve(null);
          setTimeout(tick, 20);
        };
        tick();
      })`;
      const found = await this.evaluate(poll, { arg, ms: Math.min(1000, Math.max(0, deadline - Date.now())) }).catch((error) => {
        throw new Error(`waitForFunction: ${error.message}`);
      });
      if (found) return found.value;
      if (Date.now() > deadline) throw new Error(`page.waitForFunction: Timeout ${timeout}ms exceeded waiting for ${fn}`);
    }
  }

  waitForTimeout(ms) {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  $$eval(selector, fn) {
    return this.evaluate(`(selector) => (${fn})([...document.querySelectorAll(selector)])`, selector);
  }

  click(selector) {
    return this.#command(() => this.driver.findElement(By.css(selector)).click(), []);
  }

  setViewportSize({ width, height }) {
    return this.#command(() => this.driver.manage().window().setRect({ width, height }), []);
  }

  async screenshot({ path } = {}) {
    const png = Buffer.from(await this.#command(() => this.driver.takeScreenshot(), []), 'base64');
    if (path) writeFileSync(path, png);
    return png;
  }

  async close() {
    if (this.closed) return;
    clearInterval(this.poller);
    await this.#command(`${ENCODE} return JSON.stringify(drain());`, [], (events) => this.#deliver(JSON.parse(events))).catch(() => {});
    await this.#command(() => this.driver.close(), []).catch(() => {});
    this.closed = true;
    this.context.pages.delete(this);
    this.context.browser.window = undefined;
  }
}

class WebDriverContext {
  constructor(browser, answer) {
    this.browser = browser;
    this.answer = answer;
    this.blocked = [];
    this.initScripts = [];
    this.pages = new Set();
    this.visited = new Set();
  }

  addInitScript(script) {
    this.initScripts.push(typeof script === 'function' ? `(${script})()` : String(script));
  }

  async onBlocked(url, response) {
    this.blocked.push(url.href);
    return this.answer ? Boolean(await this.answer(routeFor(response), url)) : false;
  }

  emit(name, value) {
    for (const page of this.pages) for (const listener of page.listeners[name] ?? []) listener({ url: () => value.url, status: () => value.status });
  }

  async newPage() {
    const { driver } = this.browser;
    const handle = await this.browser.exclusive(async () => {
      await driver.switchTo().window(this.browser.home);
      await driver.switchTo().newWindow('tab');
      return driver.getWindowHandle();
    });
    this.browser.window = handle;
    const page = new WebDriverPage(this, handle);
    this.pages.add(page);
    return page;
  }

  /** Closes the pages and forgets the context's cookies and storage, as a closed context does. */
  async close() {
    for (const page of [...this.pages]) await page.close();
    const { driver } = this.browser;
    await this.browser.exclusive(async () => {
      await driver.switchTo().window(this.browser.home);
      for (const origin of this.visited) {
        await driver.get(`${origin}/__e2e/blank`);
        await driver.manage().deleteAllCookies();
        await driver.executeScript('localStorage.clear(); sessionStorage.clear();');
      }
      await driver.get('about:blank');
    });
    this.browser.window = this.browser.home;
    if (this.browser.current === this) this.browser.current = undefined;
  }
}

class WebDriverBrowser {
  constructor(engine) {
    this.engine = engine;
    this.queue = Promise.resolve();
    this.busy = false;
  }

  /** Runs `work` with no page command in between. */
  exclusive(work) {
    const run = this.queue.then(async () => {
      this.busy = true;
      try {
        return await work();
      } finally {
        this.busy = false;
      }
    });
    this.queue = run.catch(() => {});
    return run;
  }

  async start() {
    const spec = WEBDRIVER_ENGINES[this.engine];
    this.proxy = await startProxy(this);
    const port = await freePort();
    this.service = spawn(spec.driver(), spec.driverArgs(port), { stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    this.service.stderr.on('data', (chunk) => (log = (log + chunk).slice(-4000)));
    const exited = new Promise((_, reject) => this.service.on('exit', (code) => reject(new Error(`${spec.driver()} exited with ${code}: ${log}`))));
    exited.catch(() => {});
    const url = `http://${LOCAL_HOST}:${port}`;
    for (let tries = 0; ; tries++) {
      const ready = await fetch(`${url}/status`).then((r) => r.ok, () => false);
      if (ready) break;
      if (tries > 200) throw new Error(`${spec.driver()} did not start: ${log}`);
      await Promise.race([new Promise((resolve) => setTimeout(resolve, 50)), exited]);
    }
    this.driver = await new Builder().usingServer(url).withCapabilities(spec.capabilities(this.proxy.address().port)).build();
    await this.driver.manage().setTimeouts({ script: 600_000, pageLoad: 60_000 });
    this.home = await this.driver.getWindowHandle();
    this.window = this.home;
    return this;
  }

  async newWebDriverContext({ answer } = {}) {
    if (this.current) await this.current.close();
    this.current = new WebDriverContext(this, answer);
    return this.current;
  }

  async close() {
    await this.current?.close().catch(() => {});
    await this.driver?.quit().catch(() => {});
    this.service?.kill();
    this.proxy?.close();
  }
}

/** A fresh session of `engine` ('firefox' or 'webkit'). */
export function launchWebDriver(engine) {
  return new WebDriverBrowser(engine).start();
}
