// The package's declarations as a TypeScript app uses them, checked with `tsc --strict`.
import { AnalyticsBrowser, type Plugin } from '@segment/analytics-next';
import pendoWebActions, { type PendoPlugin, type PendoWebActionsSettings } from 'pendo-wasm';
import pendoRudderStack, { type PendoRudderStackSettings } from 'pendo-wasm/rudderstack';

// The factory is an analytics.js plugin factory, matched to the workspace by its name.
export const analytics = AnalyticsBrowser.load({ writeKey: 'YOUR_WRITE_KEY', plugins: [pendoWebActions] });
export const pluginName: 'Pendo Web (actions)' = pendoWebActions.pluginName;

const settings: PendoWebActionsSettings = {
  apiKey: 'YOUR_PENDO_API_KEY',
  region: 'https://cdn.eu.pendo.io',
  cnameContentHost: null,
  disableUserTraitsOnLoad: true,
  subscriptions: [{ partnerAction: 'track', enabled: true, subscribe: 'type = "track"', mapping: { event: { '@path': '$.event' } } }],
  somethingSegmentAdds: 1,
};

export async function withOwnSettings(): Promise<void> {
  // Called directly, it resolves to analytics.js destination plugins.
  const plugins: PendoPlugin[] = await pendoWebActions(settings);
  const asPlugins: Plugin[] = plugins;
  const names: string[] = asPlugins.map((plugin) => plugin.name);
  AnalyticsBrowser.load({ writeKey: 'YOUR_WRITE_KEY', plugins });
  await Promise.all(plugins.map((plugin) => plugin.ready()));
  console.log(names, plugins[0]?.isLoaded());
}

// @ts-expect-error apiKey is required
export const missingKey: PendoWebActionsSettings = { region: 'https://cdn.pendo.io' };
// @ts-expect-error the flags are booleans
export const wrongFlag: PendoWebActionsSettings = { apiKey: 'k', disableUserTraitsOnLoad: 'yes' };
// @ts-expect-error partnerAction is one of the four actions
export const wrongAction: PendoWebActionsSettings = { apiKey: 'k', subscriptions: [{ partnerAction: 'alias', subscribe: 'type = "alias"' }] };

// RudderStack's SDK takes the integration for a Custom Device Mode destination, before load().
// Its own declarations need packages its npm package leaves out (@preact/signals-core), so its
// contract for the integration (RSACustomIntegration, 3.34.1) is written out here.
type RudderStackAnalytics = { getUserId(): unknown; getAnonymousId(): unknown };
type RudderStackLogger = { warn(...args: unknown[]): void };
type RudderStackEvent = { message: { type: string } };
type RSACustomIntegration = {
  init?: (destinationConfig: Record<string, unknown>, analytics: RudderStackAnalytics, logger: RudderStackLogger) => void;
  isReady: (analytics: RudderStackAnalytics, logger: RudderStackLogger) => boolean;
  track?: (analytics: RudderStackAnalytics, logger: RudderStackLogger, event: RudderStackEvent) => void;
  page?: (analytics: RudderStackAnalytics, logger: RudderStackLogger, event: RudderStackEvent) => void;
  identify?: (analytics: RudderStackAnalytics, logger: RudderStackLogger, event: RudderStackEvent) => void;
  group?: (analytics: RudderStackAnalytics, logger: RudderStackLogger, event: RudderStackEvent) => void;
  alias?: (analytics: RudderStackAnalytics, logger: RudderStackLogger, event: RudderStackEvent) => void;
};
export const rudderStackIntegration: RSACustomIntegration = pendoRudderStack({ apiKey: 'YOUR_PENDO_API_KEY', region: 'https://cdn.eu.pendo.io' });
// @ts-expect-error apiKey is required
export const missingRudderStackKey: PendoRudderStackSettings = { region: 'https://cdn.pendo.io' };
