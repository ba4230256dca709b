/** Settings of the Pendo destination for RudderStack's JavaScript SDK. */
export type PendoRudderStackSettings = {
  /** Your Pendo app's API key: letters, digits and '-' (at most 128 characters). */
  apiKey: string;
  /** The Pendo CDN of your subscription's region, an https:// origin; default https://cdn.pendo.io. */
  region?: string | null;
  /** Your Pendo CNAME content host: content.example.com, or an http(s):// origin. Empty means unused. */
  cnameContentHost?: string | null;
  /** Do not pass the RudderStack user traits (getUserTraits()) to pendo.initialize. Default false. */
  disableUserTraitsOnLoad?: boolean | null;
  /** Do not pass the RudderStack group id and traits to pendo.initialize. Default false. */
  disableGroupIdAndTraitsOnLoad?: boolean | null;
  /** The CSP nonce to put on the agent's script tag; default the page's own script nonce. */
  nonce?: string | null;
  /** Other keys are ignored. */
  [other: string]: unknown;
};

/** The integration object `rudderanalytics.addCustomIntegration(destinationId, integration)` takes. */
export type PendoRudderStackIntegration = {
  init: (destinationConfig: unknown, analytics: unknown, logger: unknown) => void;
  isReady: (analytics: unknown, logger: unknown) => boolean;
  track: (analytics: unknown, logger: unknown, event: unknown) => void;
  identify: (analytics: unknown, logger: unknown, event: unknown) => void;
  group: (analytics: unknown, logger: unknown, event: unknown) => void;
  page: (analytics: unknown, logger: unknown, event: unknown) => void;
  alias: (analytics: unknown, logger: unknown, event: unknown) => void;
};

/**
 * The Pendo integration for a "Custom Device Mode" destination of RudderStack's JavaScript SDK
 * (v3): `rudderanalytics.addCustomIntegration(destinationId, pendoRudderStack({ apiKey }))`,
 * before `rudderanalytics.load(…)`.
 */
declare function pendoRudderStack(settings: PendoRudderStackSettings): PendoRudderStackIntegration;
export default pendoRudderStack;
