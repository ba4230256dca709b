// The JavaScript reference: Segment's runtime path for its Pendo Web (actions) destination, in
// JavaScript, with Segment's own packages. Load: the destination's `initialize` (Pendo's
// snippet: the stub on window.pendo and the agent's script, then `pendo.initialize` with the
// visitor and account of `analytics.user()` and `analytics.group()`), once for all plugins.
// Per event, every plugin walks its action's subscriptions as @segment/browser-destination-runtime
// does: the trigger is parsed and validated (`validate(parseFql(subscribe), event)`), a
// matching subscription's mapping is transformed (`transform(mapping, event)`), and the
// action's `perform` calls the Pendo client, as Segment's pendo-web-actions actions do
// (re-expressed from segmentio/action-destinations).
//
// One simplification, in the reference's favour: the runtime's handler is `async` and awaits
// `Promise.all` of the performs; here the handler is synchronous, so the reference pays no
// promise overhead and the ratio ours/reference errs against us.
//
// The load figure loads this file as one esbuild-minified bundle (bench/run.mjs); the
// per-event page bundles it with the page.
import { transform } from '@segment/actions-core/mapping-kit';
import { parseFql, validate } from '@segment/destination-subscriptions';
import { removeNestedObject } from '../tests/support/remove-nested.mjs';

const PENDO_METHODS = ['initialize', 'identify', 'updateOptions', 'pageLoad', 'track'];

/** Pendo's snippet, as the destination's loadScript runs it: the stub, then the agent's script. */
function loadPendo(apiKey, region, cnameContentHost) {
  const pendo = (window.pendo = window.pendo || {});
  pendo._q = pendo._q || [];
  for (const method of PENDO_METHODS) {
    pendo[method] =
      pendo[method] ||
      function (...args) {
        pendo._q[method === PENDO_METHODS[0] ? 'unshift' : 'push']([method, ...args]);
      };
  }
  const script = document.createElement('script');
  script.async = true;
  script.src = `${cnameContentHost || region}/agent/static/${apiKey}/pendo.js`;
  const first = document.getElementsByTagName('script')[0];
  first.parentNode.insertBefore(script, first);
}

/** The destination's `initialize`: Pendo loaded and initialized with Segment's user and group. */
function initialize(settings, analytics) {
  let host = settings.cnameContentHost;
  if (host && !/^https?:/.exec(host) && host.length) host = `https://${host}`;
  loadPendo(settings.apiKey, settings.region ?? 'https://cdn.pendo.io', host);
  let visitorId = null;
  let accountId = null;
  if (analytics.user().id()) visitorId = analytics.user().id();
  else if (analytics.user().anonymousId()) visitorId = `_PENDO_T_${analytics.user().anonymousId()}`;
  if (analytics.group().id()) accountId = analytics.group().id();
  window.pendo.initialize({
    visitor: { ...(!settings.disableUserTraitsOnLoad ? analytics.user().traits() : {}), id: visitorId },
    ...(accountId && !settings.disableGroupIdAndTraitsOnLoad ? { account: { ...analytics.group().traits(), id: accountId } } : {}),
  });
  return window.pendo;
}

/** The three actions' `perform`, calling the Pendo client as Segment's Pendo Web actions do. */
const ACTIONS = {
  identify: (pendo, { payload, settings, analytics }) => {
    const options = { visitor: { ...payload.visitorData, id: payload.visitorId } };
    const analyticsGroupId = typeof analytics?.group === 'function' ? analytics.group()?.id() : undefined;
    if (payload.accountId) options.account = { id: payload.accountId };
    else if (analyticsGroupId && !settings.disableGroupIdAndTraitsOnLoad) options.account = { id: analyticsGroupId };
    pendo.identify(options);
  },
  group: (pendo, { payload, mapping }) => {
    // The parent account's data leaves the account's when their paths overlap.
    const parentPath = mapping?.parentAccountData?.['@path'];
    const accountPath = mapping?.accountData?.['@path'];
    let accountData = payload.accountData;
    if (typeof parentPath === 'string' && typeof accountPath === 'string' && parentPath.startsWith(accountPath)) {
      accountData = removeNestedObject(payload.accountData, parentPath.substring(accountPath.length));
    }
    const options = { visitor: { id: payload.visitorId }, account: { ...accountData, id: payload.accountId } };
    if (payload.parentAccountData) options.parentAccount = payload.parentAccountData;
    pendo.identify(options);
  },
  track: (pendo, { payload }) => pendo.track(payload.event, payload.metadata),
};

/**
 * The reference's plugins for `settings` (with its `subscriptions`): one per action with an
 * enabled subscription, in the runtime's order, sharing one `initialize`, run by the first
 * `load(ctx, analytics)`.
 */
export function referencePlugins(settings) {
  const { subscriptions = [], ...destinationSettings } = settings;
  let pendo;
  let analytics;
  let loading;
  const load = (_ctx, instance) =>
    (loading ??= Promise.resolve().then(() => {
      analytics = instance;
      pendo = initialize(destinationSettings, instance);
    }));
  const plugins = [];
  for (const [key, perform] of Object.entries(ACTIONS)) {
    const actionSubscriptions = subscriptions.filter((s) => s.enabled && s.partnerAction === key);
    if (actionSubscriptions.length === 0) continue;
    const evaluate = (ctx) => {
      for (const sub of actionSubscriptions) {
        if (!validate(parseFql(sub.subscribe), ctx.event)) continue;
        const payload = transform(sub.mapping ?? {}, ctx.event);
        perform(pendo, { payload, mapping: sub.mapping, settings: destinationSettings, analytics, context: ctx });
      }
      return ctx;
    };
    plugins.push({
      name: `Pendo Web (actions) ${key}`,
      type: 'destination',
      version: '0.1.0',
      isLoaded: () => pendo !== undefined,
      load,
      ready: () => loading ?? Promise.resolve(),
      track: evaluate,
      page: evaluate,
      alias: evaluate,
      identify: evaluate,
      group: evaluate,
    });
  }
  return plugins;
}

/** The reference as a plugin factory, as analytics.js calls a destination's. */
export default async function referenceDestination(settings) {
  return referencePlugins(settings ?? {});
}
referenceDestination.pluginName = 'Pendo Web (actions)';

/** Whether a trigger matches an event, by Segment's own evaluator. */
export const referenceMatches = (subscribe, event) => validate(parseFql(subscribe), event);

/** A parse error of Segment's parser for a trigger, or undefined. */
export function referenceParseError(subscribe) {
  const parsed = parseFql(subscribe);
  return parsed && parsed.error ? String(parsed.error.message ?? parsed.error) : undefined;
}
