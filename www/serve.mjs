// Builds the demo page and serves it on 127.0.0.1 (PORT, default 8080) with a local
// stand-in for the Pendo agent that shows every call it receives.
import { readFile } from 'node:fs/promises';
import { bundle, root, serve } from '../scripts/local-server.mjs';
import { join } from 'node:path';

const www = join(root, 'www');
const port = Number(process.env.PORT ?? 8080);
const server = await serve({
  port,
  routes: {
    '/': { type: 'text/html; charset=utf-8', body: await readFile(join(www, 'index.html')) },
    '/demo.css': join(www, 'demo.css'),
    '/demo.js': { type: 'text/javascript', body: await bundle(join(www, 'demo.mjs')) },
  },
});
console.log(`Pendo Web (Actions) demo: ${server.origin}/  (Ctrl+C to stop)`);
