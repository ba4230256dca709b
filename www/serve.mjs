// Builds the demo page and serves it on 127.0.0.1 (PORT, default 8080), with the real Pendo
// agent (npm @pendo/agent) hosted locally and a local stand-in for Pendo's data host whose
// decoded events the page shows. Nothing leaves the machine.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { bundle, root, serve } from '../scripts/local-server.mjs';
import { agentLoader, pendoBackend } from '../scripts/pendo-agent.mjs';

const www = join(root, 'www');
const port = Number(process.env.PORT ?? 8080);
const backend = pendoBackend();

const server = await serve({
  port,
  routes: {
    '/': { type: 'text/html; charset=utf-8', body: await readFile(join(www, 'index.html')) },
    '/demo.css': join(www, 'demo.css'),
    '/demo.js': { type: 'text/javascript', body: await bundle(join(www, 'demo.mjs')) },
  },
  agent: agentLoader({ initializeImmediately: true }),
  handle: (request, response, url) => {
    if (url.pathname !== '/demo/sent') return backend.handle(request, response, url);
    // What the agent sent to "Pendo" for this API key, decoded, oldest first.
    const events = backend.events(url.searchParams.get('apiKey') ?? undefined);
    response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    response.end(JSON.stringify(events.sort((a, b) => a.browser_time - b.browser_time || a.sequence - b.sequence)));
    return true;
  },
});
console.log(`Pendo Web (actions) demo: ${server.origin}/  (Ctrl+C to stop)`);
