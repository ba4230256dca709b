// The npm package as customers get it: `npm pack` in js-shim/, the tarball installed into a
// copy of the tiny app in tests/consumers/app/ (under target/, so the repository stays clean),
// its declarations checked with tsc --strict, and the app built with Vite, esbuild and webpack,
// then run in headless Chromium with real analytics.js against the recording stand-in agent.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { root, packageDist, serve } from '../../scripts/local-server.mjs';
import { isolatedContext, launch, openPage } from '../../scripts/browser.mjs';

const work = join(root, 'target', 'consumers');
const app = join(work, 'app');
const tools = createRequire(join(root, 'package.json'));
const versionOf = (name) => tools(`${name}/package.json`).version;

/** The files the package ships, and nothing else. */
const SHIPPED = [
  'LICENSE',
  'README.md',
  'dist/index.d.ts',
  'dist/index.js',
  'dist/pendo-web-actions.global.js',
  'dist/pendo_wasm_bg.wasm',
  'dist/pendo_wasm_fallback.js',
  'dist/pendo_wasm_full.js',
  'dist/pendo_wasm_full_bg.wasm',
  'dist/rudderstack.d.ts',
  'dist/rudderstack.js',
  'package.json',
];

let packed;
let browser;

const npm = (args, cwd) => execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

before(async () => {
  assert.ok(existsSync(join(packageDist, 'pendo_wasm_bg.wasm')), 'build the package first: npm run build');
  rmSync(work, { recursive: true, force: true });
  cpSync(join(root, 'tests', 'consumers', 'app'), app, { recursive: true });
  [packed] = JSON.parse(npm(['pack', '--json', '--pack-destination', work], join(root, 'js-shim')));
  // The tarball only: the app finds @segment/analytics-next and the bundlers in the
  // repository's node_modules, further up.
  npm(['install', '--no-save', '--no-package-lock', '--offline', '--no-audit', '--no-fund', join(work, packed.filename)], app);
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

test('npm pack ships exactly the package files, the same as dist/', () => {
  assert.deepEqual(packed.files.map((file) => file.path).sort(), SHIPPED);
  const installed = join(app, 'node_modules', 'pendo-wasm');
  for (const file of readdirSync(packageDist)) {
    assert.ok(readFileSync(join(installed, 'dist', file)).equals(readFileSync(join(packageDist, file))), file);
  }
  const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'));
  assert.equal(manifest.sideEffects, false);
  assert.deepEqual(manifest.exports['.'], { types: './dist/index.d.ts', default: './dist/index.js' });
  assert.deepEqual(manifest.exports['./rudderstack'], { types: './dist/rudderstack.d.ts', default: './dist/rudderstack.js' });
  assert.match(readFileSync(join(installed, 'dist', 'index.js'), 'utf8'), /new URL\("pendo_wasm_bg\.wasm",import\.meta\.url\)/);
});

test(`the declarations type-check in a TypeScript app (tsc ${versionOf('typescript')} --strict)`, () => {
  const tsc = join(root, 'node_modules', '.bin', 'tsc');
  try {
    execFileSync(tsc, ['-p', join(app, 'tsconfig.json')], { encoding: 'utf8', stdio: 'pipe' });
  } catch (error) {
    assert.fail(`tsc failed:\n${error.stdout}${error.stderr}`);
  }
});

const PAGE = (script) => `<!doctype html><html><head><title>pendo-wasm consumer</title></head>
<body>${script}</body></html>`;

const bundlers = {
  async vite(out) {
    const { build, createLogger } = await import('vite');
    const logger = createLogger('warn');
    const warnings = [];
    logger.warn = (message) => warnings.push(message);
    logger.warnOnce = logger.warn;
    await build({
      root: app,
      configFile: false,
      logLevel: 'warn',
      customLogger: logger,
      cacheDir: join(work, 'vite-cache'),
      build: { outDir: out, emptyOutDir: true },
    });
    return warnings;
  },

  async esbuild(out) {
    const esbuild = await import('esbuild');
    const result = await esbuild.build({
      entryPoints: [join(app, 'main.js')],
      bundle: true,
      format: 'esm',
      target: 'es2020',
      minify: true,
      outdir: out,
      logLevel: 'silent',
    });
    // esbuild leaves `new URL('pendo_wasm_bg.wasm', import.meta.url)` alone: the .wasm is
    // copied beside the bundle, from the package's `pendo-wasm/wasm` export.
    copyFileSync(createRequire(join(app, 'main.js')).resolve('pendo-wasm/wasm'), join(out, 'pendo_wasm_bg.wasm'));
    copyFileSync(createRequire(join(app, 'main.js')).resolve('pendo-wasm/fallback'), join(out, 'pendo_wasm_fallback.js'));
    copyFileSync(createRequire(join(app, 'main.js')).resolve('pendo-wasm/full'), join(out, 'pendo_wasm_full.js'));
    copyFileSync(createRequire(join(app, 'main.js')).resolve('pendo-wasm/wasm-full'), join(out, 'pendo_wasm_full_bg.wasm'));
    writeFileSync(join(out, 'index.html'), PAGE('<script type="module" src="/main.js"></script>'));
    return result.warnings.map((warning) => warning.text);
  },

  async webpack(out) {
    const { default: webpack } = await import('webpack');
    const stats = await new Promise((resolve, reject) => {
      webpack(
        {
          mode: 'production',
          context: app,
          entry: './main.js',
          output: { path: out, filename: 'main.js', clean: true },
          performance: { hints: false },
        },
        (error, result) => (error ? reject(error) : resolve(result)),
      );
    });
    const { errors, warnings } = stats.toJson({ all: false, errors: true, warnings: true });
    assert.deepEqual(errors.map((e) => e.message), [], 'webpack errors');
    writeFileSync(join(out, 'index.html'), PAGE('<script src="/main.js"></script>'));
    return warnings.map((warning) => warning.message);
  },
};

/**
 * Opens the app at `url` in a fresh browser context and sends identify, group and track
 * through analytics.js, with the recording agent of `agentServer` as the CNAME content host;
 * checks what reached Pendo, and returns the .wasm responses as [path, status].
 */
async function checkApp(url, agentServer) {
  const { context, blocked } = await isolatedContext(browser);
  try {
    const wasmResponses = [];
    const { page, messages } = await openPage(context, url, {
      beforeLoad: (tab) => {
        tab.on('response', (response) => {
          if (new URL(response.url()).pathname.endsWith('.wasm')) wasmResponses.push([new URL(response.url()).pathname, response.status()]);
        });
      },
    });

    const anonymousId = await page.evaluate(async (settings) => {
      const [analytics] = await window.startAnalytics(settings);
      await analytics.identify('u1', { email: 'ada@example.com', plan: 'pro' });
      await analytics.group('g1', { name: 'Acme', parentAccount: { id: 'p1', tier: 'gold' } });
      await analytics.track('Order Completed', { total: 120, currency: 'EUR' });
      return analytics.user().anonymousId();
    }, { apiKey: 'consumer-key', cnameContentHost: agentServer.origin });
    await page
      .waitForFunction(() => (window.pendoCalls || []).length >= 4, null, { timeout: 10_000 })
      .catch(() => assert.fail(`Pendo got no calls:\n${messages.join('\n')}`));
    assert.deepEqual(await page.evaluate(() => window.pendoCalls), [
      ['initialize', { visitor: { id: `_PENDO_T_${anonymousId}` } }],
      ['identify', { visitor: { email: 'ada@example.com', plan: 'pro', id: 'u1' } }],
      ['identify', { visitor: { id: 'u1' }, account: { name: 'Acme', id: 'g1' }, parentAccount: { id: 'p1', tier: 'gold' } }],
      ['track', 'Order Completed', { total: 120, currency: 'EUR' }],
    ]);
    assert.deepEqual(agentServer.agentRequests, ['consumer-key'], 'the agent was requested from the CNAME host');
    assert.deepEqual(blocked, [], 'nothing was requested from outside 127.0.0.1');
    assert.deepEqual(messages.filter((m) => /^(error|pageerror)/.test(m)), [], 'no errors on the console');
    return wasmResponses;
  } finally {
    await context.close();
  }
}

for (const [name, buildApp] of Object.entries(bundlers)) {
  test(`${name} ${versionOf(name)}: the built app's identify, group and track reach Pendo`, async () => {
    const out = join(work, 'out', name);
    rmSync(out, { recursive: true, force: true });
    const warnings = await buildApp(out);
    assert.deepEqual(warnings.filter((w) => /pendo/i.test(w)), [], `no warnings about the package: ${warnings.join('\n')}`);
    const wasmFiles = readdirSync(out, { recursive: true }).map((file) => String(file).replaceAll('\\', '/')).filter((file) => file.endsWith('.wasm'));
    // The default build's and the full build's (for workspaces that need it), told apart by
    // their bytes, as bundlers may rename them.
    const holding = (distFile) => wasmFiles.filter((file) => readFileSync(join(out, file)).equals(readFileSync(join(packageDist, distFile))));
    const defaultWasm = holding('pendo_wasm_bg.wasm');
    assert.equal(defaultWasm.length, 1, `one default .wasm in the build output: ${wasmFiles}`);
    assert.equal(holding('pendo_wasm_full_bg.wasm').length, 1, `one full-build .wasm in the build output: ${wasmFiles}`);
    assert.equal(wasmFiles.length, 2, `no other .wasm in the build output: ${wasmFiles}`);
    // The JavaScript build for pages without WebAssembly is emitted as a file of its own (webpack
    // minifies it again): one output file holds its data, a long base64 text only it has.
    const data = readFileSync(join(packageDist, 'pendo_wasm_fallback.js'), 'utf8').match(/["'`]([A-Za-z0-9+/=]{200,})["'`]/)[1].slice(0, 200);
    const outputs = readdirSync(out, { recursive: true }).map((file) => join(out, String(file))).filter((file) => file.endsWith('.js'));
    const holders = outputs.filter((file) => readFileSync(file, 'utf8').includes(data));
    assert.equal(holders.length, 1, `the JavaScript build is emitted once: ${holders}`);
    assert.ok(!holders.some((file) => /(^|[\\/])main\.js$/.test(file)), 'and not inside the main bundle');

    // Only the bundler's output is served: a .wasm it did not emit would be a 404.
    const server = await serve({ dir: out, routes: { '/': join(out, 'index.html') } });
    try {
      const wasmResponses = await checkApp(`${server.origin}/`, server);
      assert.deepEqual(wasmResponses, [[`/${defaultWasm[0]}`, 200]], 'the default .wasm alone came, from the build output');
    } finally {
      await server.close();
    }
  });
}

test(`vite ${versionOf('vite')} dev server: the app's identify, group and track reach Pendo`, async () => {
  const { createServer } = await import('vite');
  const agentServer = await serve({ dir: work });
  const vite = await createServer({
    root: app,
    configFile: false,
    logLevel: 'error',
    cacheDir: join(work, 'vite-dev-cache'),
    server: { host: '127.0.0.1', port: 0, strictPort: false },
  });
  try {
    await vite.listen();
    const wasmResponses = await checkApp(vite.resolvedUrls.local[0], agentServer);
    assert.deepEqual(wasmResponses.map(([, status]) => status), [200], `the .wasm was served: ${JSON.stringify(wasmResponses)}`);
  } finally {
    await vite.close();
    await agentServer.close();
  }
});
