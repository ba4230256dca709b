// A trivial analytics.js destination plugin beside ours, to see that analytics.js and its other
// destinations carry on, or in which order analytics.js hands them events. Pure code: safe in
// Node and in a page (the end-to-end pages expose it as `window.recordingDestination`).

/**
 * A destination named `name`, always loaded, that hands each event of `methods` ('track',
 * 'identify', 'group', 'page', 'alias') to `record(method, ctx)` and passes it on. It has no
 * other methods, so analytics.js passes other events by it untouched.
 */
export function recordingDestination(name, methods, record) {
  const destination = { name, type: 'destination', version: '1.0.0', isLoaded: () => true, load: () => Promise.resolve() };
  for (const method of methods) destination[method] = (ctx) => (record(method, ctx), ctx);
  return destination;
}
