// The JavaScript reference: the same subscriptions evaluated the way Segment's browser runtime
// (@segment/browser-destination-runtime) does for its Pendo Web (actions) destination, with
// Segment's own packages. Per event, every plugin walks its action's subscriptions: the
// trigger is parsed and validated (`validate(parseFql(subscribe), event)`), a matching
// subscription's mapping is transformed (`transform(mapping, event)`), and the action's
// `perform` calls the Pendo client.
//
// One simplification, in the reference's favour: the runtime's handler is `async` and awaits
// `Promise.all` of the performs; here the handler is synchronous, so the reference pays no
// promise overhead and the ratio ours/reference errs against us.
import { transform } from '@segment/actions-core/mapping-kit';
import { parseFql, validate } from '@segment/destination-subscriptions';

/** The three actions' `perform`, calling the Pendo client as Segment's Pendo Web action does. */
const ACTIONS = {
  identify: (pendo, { visitorId, visitorData, accountId }) =>
    pendo.identify({ visitor: { ...visitorData, id: visitorId }, account: accountId ? { id: accountId } : undefined }),
  group: (pendo, { visitorId, accountId, accountData, parentAccountData }) =>
    pendo.identify({ visitor: { id: visitorId }, account: { ...accountData, id: accountId }, parentAccount: parentAccountData }),
  track: (pendo, { event, metadata }) => pendo.track(event, metadata),
};

/**
 * The reference's plugins for `subscriptions`: one per action with an enabled subscription,
 * in the runtime's order. `client()` is the Pendo client (`window.pendo`), captured at load as
 * the runtime does.
 */
export function referencePlugins(subscriptions, client = () => window.pendo) {
  let pendo;
  const load = async () => {
    pendo ??= client();
  };
  const plugins = [];
  for (const [key, perform] of Object.entries(ACTIONS)) {
    const actionSubscriptions = subscriptions.filter((s) => s.enabled && s.partnerAction === key);
    if (actionSubscriptions.length === 0) continue;
    const evaluate = (ctx) => {
      for (const sub of actionSubscriptions) {
        if (!validate(parseFql(sub.subscribe), ctx.event)) continue;
        const payload = transform(sub.mapping ?? {}, ctx.event);
        perform(pendo, payload);
      }
      return ctx;
    };
    plugins.push({
      name: `Pendo Web (actions) ${key}`,
      type: 'destination',
      version: '0.1.0',
      isLoaded: () => pendo !== undefined,
      load,
      track: evaluate,
      page: evaluate,
      alias: evaluate,
      identify: evaluate,
      group: evaluate,
    });
  }
  return plugins;
}

/** Whether a trigger matches an event, by Segment's own evaluator. */
export const referenceMatches = (subscribe, event) => validate(parseFql(subscribe), event);

/** A parse error of Segment's parser for a trigger, or undefined. */
export function referenceParseError(subscribe) {
  const parsed = parseFql(subscribe);
  return parsed && parsed.error ? String(parsed.error.message ?? parsed.error) : undefined;
}
