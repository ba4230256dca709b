// The real Pendo web agent (npm `@pendo/agent`), served and answered entirely by the local
// test server: a classic script at /agent/static/<apiKey>/pendo.js that loads the package's
// ES module build with a static config, the agent's files under /pendo-agent/, and a stand-in
// for Pendo's data host that answers and records every beacon the agent sends.
//
// Use with scripts/local-server.mjs:
//   const backend = pendoBackend();
//   const server = await serve({ agent: agentLoader(), handle: backend.handle, ... });
import { EventEmitter } from 'node:events';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { inflateSync } from 'node:zlib';

/** The installed @pendo/agent's dist/ folder and its version. */
const packageJson = createRequire(import.meta.url).resolve('@pendo/agent/package.json');
export const AGENT_DIST = join(dirname(packageJson), 'dist');
export const AGENT_VERSION = JSON.parse(await readFile(packageJson, 'utf8')).version;

/** Where the agent's own files (dist/*) are served; also its `assetPath`. */
export const AGENT_ASSET_PATH = 'pendo-agent';

/** A transparent 1x1 GIF, the answer Pendo's data host gives to every beacon. */
export const ONE_PIXEL_GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-allow-headers': 'content-type',
};

/**
 * The static agent config the package's setup.js builds for `loadAgent` (without fetching
 * config.json), with the data host, designer host and asset host all set to `origin`.
 * `extra` is merged in last (e.g. `{ initializeImmediately: true }`).
 */
export function agentConfig(apiKey, origin, extra = {}) {
  return {
    apiKey,
    env: 'prod',
    server: origin,
    designerServer: origin,
    assetHost: origin,
    assetPath: AGENT_ASSET_PATH,
    ...extra,
  };
}

/**
 * The classic script served at /agent/static/<apiKey>/pendo.js: it imports the agent's ES
 * module and calls `loadAgent(config)`. Without `loadAsModule` the agent mounts on the page's
 * `window.pendo` (the snippet's stub) and replays its `_q`, as the CDN agent does.
 */
export function agentLoaderScript(config, origin) {
  const moduleUrl = `${origin}/${AGENT_ASSET_PATH}/pendo.module.js`;
  return `(() => {
  const config = ${JSON.stringify(config)};
  import(${JSON.stringify(moduleUrl)})
    .then(({ loadAgent }) => loadAgent(config))
    .catch((error) => console.error('Pendo agent failed to load', error));
})();`;
}

/** An `agent(apiKey, request)` option for `serve()` answering with the real agent's loader. */
export function agentLoader(extraConfig = {}) {
  return (apiKey, request) => {
    const origin = `http://${request.headers.host}`;
    return agentLoaderScript(agentConfig(apiKey, origin, extraConfig), origin);
  };
}

/** Decodes a `jzb` value: zlib-deflated UTF-8 JSON in unpadded base64url. */
export function decodeJzb(jzb) {
  return JSON.parse(inflateSync(Buffer.from(jzb, 'base64url')).toString('utf8'));
}

/**
 * A stand-in for Pendo's data host. `handle` (for `serve({ handle })`) serves the agent's
 * files under /pendo-agent/ and answers /data/...: beacons (`<name>.gif`, GET with `jzb` or
 * POST with `{ events: jzb }`; `log.gif`, `errorlog`) with a 1x1 GIF, `guide.json` with no
 * guides. Every distinct request is kept in `beacons` as `{ name, apiKey, method, params,
 * jzb, payload, retry }`, its payload decoded; the agent's re-sends (`rt=1`, `rt=2`, ...) of
 * a beacon it already sent go to `resent` instead.
 */
export function pendoBackend() {
  const beacons = [];
  const seen = new Set();
  const changes = new EventEmitter();
  const resent = [];

  function record(beacon) {
    // Guide requests may legitimately repeat a payload (the guide.gif probe); event beacons
    // never do, since each event carries its own sequence number and time.
    const key = `${beacon.name}/${beacon.apiKey}/${beacon.params.type ?? ''}/${beacon.jzb ?? JSON.stringify(beacon.payload)}`;
    if (beacon.name !== 'guide' && seen.has(key)) {
      resent.push(beacon);
      return;
    }
    seen.add(key);
    beacons.push(beacon);
    changes.emit('beacon', beacon);
  }

  async function handle(request, response, url) {
    if (url.pathname.startsWith(`/${AGENT_ASSET_PATH}/`)) {
      const name = url.pathname.slice(AGENT_ASSET_PATH.length + 2);
      if (!/^[\w.-]+$/.test(name)) return false;
      const body = await readFile(join(AGENT_DIST, name)).catch(() => null);
      if (body === null) return false;
      const type = name.endsWith('.css') ? 'text/css' : name.endsWith('.json') ? 'application/json' : 'text/javascript';
      // Versioned files, as on Pendo's CDN: the browser may keep them for the session.
      response.writeHead(200, { 'content-type': `${type}; charset=utf-8`, 'cache-control': 'max-age=3600', ...CORS });
      response.end(body);
      return true;
    }
    // /data/<target>/<apiKey>, or /data/errorlog?apiKey=<apiKey> for the agent's error reports.
    const data = url.pathname.match(/^\/data\/([\w.-]+)(?:\/([\w-]+))?$/);
    if (!data) return false;
    if (request.method === 'OPTIONS') {
      response.writeHead(204, CORS);
      response.end();
      return true;
    }
    const [, target, apiKey = url.searchParams.get('apiKey')] = data;
    const params = Object.fromEntries(url.searchParams);
    let jzb = params.jzb;
    delete params.jzb;
    let payload;
    if (request.method === 'POST') {
      const body = await readBody(request);
      try {
        const json = JSON.parse(body);
        if (typeof json?.events === 'string') jzb = json.events;
        else payload = json;
      } catch {
        payload = body;
      }
    }
    if (jzb !== undefined) {
      try {
        payload = decodeJzb(jzb);
      } catch (error) {
        payload = { undecodable: String(error) };
      }
    }
    const name = target.replace(/\.(gif|json|js)$/, '');
    const retry = Number(params.rt ?? 0);
    delete params.rt;
    record({ name, apiKey, method: request.method, params, jzb, payload, retry });

    if (target === 'guide.json') {
      response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store', ...CORS });
      response.end(JSON.stringify({ guides: [], normalizedUrl: payload?.url ?? '' }));
    } else {
      response.writeHead(200, { 'content-type': 'image/gif', 'cache-control': 'no-store', ...CORS });
      response.end(ONE_PIXEL_GIF);
    }
    return true;
  }

  /** The events of every `ptm` beacon so far (for `apiKey` only, if given), as they arrived. */
  function events(apiKey) {
    return beacons
      .filter((b) => b.name === 'ptm' && Array.isArray(b.payload) && (apiKey === undefined || b.apiKey === apiKey))
      .flatMap((b) => b.payload);
  }

  /**
   * Resolves with the first truthy `check(events)` over the events sent so far (for `apiKey`
   * only, if given), re-checked on every new beacon; rejects after `timeout` ms naming `what`
   * and listing what the agent sent.
   */
  function waitFor(check, { apiKey, what = 'the expected events', timeout = 10_000 } = {}) {
    return new Promise((resolve, reject) => {
      const attempt = () => {
        const result = check(events(apiKey));
        if (!result) return;
        cleanup();
        resolve(result);
      };
      const timer = setTimeout(() => {
        cleanup();
        const sent = events(apiKey).map(
          (e) => `#${e.sequence} ${e.type}${e.track_event_name ? `(${e.track_event_name})` : ''} v=${e.visitor_id} a=${e.account_id} ${e.url}`,
        );
        reject(new Error(`timed out after ${timeout} ms waiting for ${what}; the agent sent: ${sent.join(', ') || 'nothing'}`));
      }, timeout);
      const cleanup = () => {
        clearTimeout(timer);
        changes.off('beacon', attempt);
      };
      changes.on('beacon', attempt);
      attempt();
    });
  }

  /** Resolves with the first event matching `predicate`; options as for `waitFor`. */
  function waitForEvent(predicate, options = {}) {
    return waitFor((sent) => sent.find(predicate), { what: 'a matching event', ...options });
  }

  /**
   * Resolves with the events, in collection order, once every event the agent collected up to
   * `event` has arrived. Beacons travel in parallel, but the agent numbers the events it
   * collects (`sequence`, per page), so this tells that none sent before `event` is missing.
   */
  function waitForAllUpTo(event, options = {}) {
    return waitFor(
      (sent) => {
        const upTo = sent.filter((e) => e.sequence <= event.sequence).sort((a, b) => a.sequence - b.sequence);
        return upTo.length === event.sequence + 1 && upTo.every((e, i) => e.sequence === i) && upTo;
      },
      { what: `every event up to #${event.sequence}`, ...options },
    );
  }

  return {
    handle,
    beacons,
    events,
    waitFor,
    waitForEvent,
    waitForAllUpTo,
    resent,
  };
}

/**
 * An `answer(route, url)` for scripts/browser.mjs's isolatedContext: every request to another
 * host is answered locally (a GIF for `.gif` paths, an empty 404 otherwise), never sent out.
 */
export async function answerOffline(route, url) {
  if (url.pathname.endsWith('.gif')) {
    await route.fulfill({ status: 200, headers: { ...CORS, 'cache-control': 'no-store' }, contentType: 'image/gif', body: ONE_PIXEL_GIF });
  } else {
    await route.fulfill({ status: 404, headers: CORS, contentType: 'text/plain', body: '' });
  }
  return true;
}

function readBody(request) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}
