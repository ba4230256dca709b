// A small HTTP server on 127.0.0.1 for the demo and the browser tests: it serves pages,
// esbuild bundles of their scripts (with the package's .wasm beside them) and a Pendo agent
// at /agent/static/<apiKey>/pendo.js, so nothing is ever fetched from outside the machine.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

export const root = dirname(dirname(fileURLToPath(import.meta.url)));
export const packageDist = join(root, 'js-shim', 'dist');

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.gif': 'image/gif',
};

// A stand-in for the Pendo agent that records every call it receives, in order, on
// `window.pendoCalls`, after replaying what the snippet's stub queued.
export const RECORDING_AGENT = `(() => {
  const pendo = window.pendo;
  const calls = (window.pendoCalls = window.pendoCalls || []);
  const record = (method) => (...args) => { calls.push([method, ...JSON.parse(JSON.stringify(args))]); };
  for (const method of ['initialize', 'identify', 'updateOptions', 'pageLoad', 'track']) pendo[method] = record(method);
  pendo.isReady = () => true;
  const queued = pendo._q || [];
  pendo._q = [];
  for (const [method, ...args] of queued) pendo[method](...args);
})();`;

/** Bundles `entry` (an ES module) for the browser; returns its code. */
export async function bundle(entry) {
  const result = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    target: 'es2020',
    write: false,
    logLevel: 'warning',
  });
  return result.outputFiles[0].text;
}

/**
 * Starts the server. `routes` maps a path to `{ type, body, headers? }` or to a file path;
 * `agent(apiKey, request)` answers /agent/static/<apiKey>/pendo.js (the recording agent by
 * default; null answers 404); `handle(request, response)` may answer anything else first (returns true).
 * Other paths are files of `dir` (inside the repository), by default the package's dist/, so
 * its files are served at the root, beside the bundles.
 */
export async function serve({ routes = {}, agent = () => RECORDING_AGENT, handle, port = 0, dir = packageDist } = {}) {
  const agentRequests = [];
  const server = createServer(async (request, response) => {
    try {
      const url = new URL(request.url, 'http://127.0.0.1');
      if (handle && (await handle(request, response, url))) return;
      const agentPath = url.pathname.match(/^\/agent\/static\/([A-Za-z0-9-]+)\/pendo\.js$/);
      if (agentPath) {
        agentRequests.push(agentPath[1]);
        const body = await agent(agentPath[1], request);
        return body == null ? send(response, 404, 'text/plain', 'no agent here') : send(response, 200, TYPES['.js'], body);
      }
      const route = routes[url.pathname];
      if (route && typeof route === 'object') return send(response, 200, route.type, route.body, route.headers);
      const file = typeof route === 'string' ? route : join(dir, url.pathname.replace(/^\/+/, ''));
      if (!file.startsWith(root) || file.includes('..')) return send(response, 404, 'text/plain', 'not found');
      const body = await readFile(file).catch(() => null);
      if (body === null) return send(response, 404, 'text/plain', 'not found');
      return send(response, 200, TYPES[extname(file)] || 'application/octet-stream', body);
    } catch (error) {
      send(response, 500, 'text/plain', String(error));
    }
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return { origin, agentRequests, close: () => new Promise((resolve) => server.close(resolve)) };
}

function send(response, status, type, body, headers = {}) {
  response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...headers });
  response.end(body);
}
