// Runs the end-to-end suites in every engine, one after the other, and prints one summary line
// per run: `e2e chromium: 30 passed, 0 failed, 2 skipped`. Arguments pick runs by name
// (`node scripts/e2e.mjs firefox no-wasm-webkit`); without any, all of RUNS run. WebKit's
// MiniBrowser needs a display, so it runs under xvfb-run when there is none. Exits non-zero
// when a run fails or runs no test.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const E2E = 'tests/e2e/';
const NO_WASM = ['tests/e2e/analytics.test.mjs', 'tests/e2e/pendo-agent.test.mjs', 'tests/e2e/rudderstack.test.mjs'];

const RUNS = {
  chromium: { engine: 'chromium', files: [E2E] },
  firefox: { engine: 'firefox', files: [E2E] },
  webkit: { engine: 'webkit', files: [E2E] },
  // The analytics.js and real-agent suites on pages whose WebAssembly is deleted first.
  'no-wasm-chromium': { engine: 'chromium', files: NO_WASM, page: 'no-wasm' },
  'no-wasm-firefox': { engine: 'firefox', files: NO_WASM, page: 'no-wasm' },
};

function runOne(name, { engine, files, page }) {
  const args = ['--test', '--test-concurrency=1', '--test-reporter=tap', ...files];
  const needsDisplay = engine === 'webkit' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
  const [command, commandArgs] = needsDisplay ? ['xvfb-run', ['-a', process.execPath, ...args]] : [process.execPath, args];
  const env = { ...process.env, E2E_ENGINE: engine, ...(page ? { E2E_PAGE: page } : {}) };
  return new Promise((resolve) => {
    const child = spawn(command, commandArgs, { cwd: root, env, stdio: ['ignore', 'pipe', 'inherit'] });
    let tail = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      tail = (tail + chunk).slice(-2000);
    });
    child.on('close', (code) => {
      const count = (key) => Number(tail.match(new RegExp(`^# ${key} (\\d+)$`, 'm'))?.[1] ?? 0);
      const [pass, fail, skipped, cancelled] = ['pass', 'fail', 'skipped', 'cancelled'].map(count);
      const line = `e2e ${name}: ${pass} passed, ${fail + cancelled} failed, ${skipped} skipped`;
      resolve({ line, ok: code === 0 && fail + cancelled === 0 && pass > 0 });
    });
  });
}

const names = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(RUNS);
const results = [];
for (const name of names) {
  if (!RUNS[name]) throw new Error(`no run named ${name}; the runs are ${Object.keys(RUNS).join(', ')}`);
  console.log(`== End-to-end tests: ${name}`);
  const result = await runOne(name, RUNS[name]);
  console.log(result.line);
  results.push(result);
}
console.log('== End-to-end summary');
for (const { line } of results) console.log(line);
process.exitCode = results.every(({ ok }) => ok) ? 0 : 1;
