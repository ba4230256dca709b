// Runs first in every page a WebDriver engine opens (the test proxy puts it at the top of each
// HTML document, followed by the context's init scripts, and the <script> is then removed): it records what Playwright reports as
// page events, so that tests read them the same way in every engine. Console calls keep
// working as before; `drain()` hands the records to the driver.
(() => {
  const records = [];
  const text = (value) => {
    if (typeof value === 'string') return value;
    if (value instanceof Error) return `${value.name}: ${value.message}`;
    try {
      const json = JSON.stringify(value);
      return json === undefined ? String(value) : json;
    } catch (_) {
      return String(value);
    }
  };
  const TYPES = { log: 'log', info: 'info', debug: 'debug', warn: 'warning', error: 'error' };
  for (const [method, type] of Object.entries(TYPES)) {
    const original = console[method];
    console[method] = function (...args) {
      records.push({ kind: 'console', type, text: args.map(text).join(' ') });
      return original.apply(this, args);
    };
  }
  const uncaught = (error) => records.push({ kind: 'pageerror', message: error && typeof error === 'object' && 'message' in error ? String(error.message) : String(error) });
  addEventListener('error', (event) => uncaught(event.error ?? event.message));
  addEventListener('unhandledrejection', (event) => uncaught(event.reason));
  // Browsers print refused content on the console themselves, where no script sees it; the
  // event carries the same facts.
  document.addEventListener('securitypolicyviolation', (event) =>
    records.push({ kind: 'console', type: 'error', text: `Content Security Policy: refused ${event.blockedURI || 'inline'} (${event.violatedDirective})` }),
  );
  Object.defineProperty(window, '__e2eHarness', { value: { drain: () => records.splice(0) }, enumerable: false });
})();
